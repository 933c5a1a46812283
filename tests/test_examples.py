"""The example services in ``examples/`` report exactly what their READMEs say.

Each example folder has a README with a table under ``## What nodeleaklint reports``
whose first three columns are rule | file | line (files relative to the folder): checking
the folder must report exactly those findings, and its ``fixed/`` twin none. Rows under
``## What it does not report yet`` are known gaps (like ``todoruleid`` in the rule cases):
they must stay unreported, so a rule that learns one fails here until the row moves up.

``nodeleaklint check examples/`` is also compared, in JSON and SARIF, with snapshots in
``tests/snapshots/``, so every change of wording is reviewed. Only the tool version is
normalized. ``NODELEAKLINT_UPDATE_SNAPSHOTS=1 pytest tests/test_examples.py`` rewrites
the snapshots. ``examples/proofs/`` is excluded by ``examples/nodeleaklint.toml``.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from sarif_checks import assert_valid_sarif

from nodeleaklint import __version__
from nodeleaklint.cli import cli
from nodeleaklint.rules import ALL_RULES
from nodeleaklint.runner import run

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
UPDATE_SNAPSHOTS = os.environ.get("NODELEAKLINT_UPDATE_SNAPSHOTS") == "1"

REPORTED = "What nodeleaklint reports"
NOT_YET = "What it does not report yet"
EXAMPLE_DIRS = sorted(
    readme.parent for readme in EXAMPLES.glob("*/README.md") if readme.parent.name != "proofs"
)
VERSION_PLACEHOLDER = "<version>"

Row = tuple[str, str, int]
_RULE_ID = re.compile(r"\bNLL\d{3}\b")


def readme_tables(readme: Path) -> dict[str, list[Row]]:
    """The (rule, file, line) rows of each ``## `` section's table in an example README."""
    tables: dict[str, list[Row]] = {}
    section = ""
    for line in readme.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
            continue
        if not line.startswith("|"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        rule = _RULE_ID.search(cells[0])
        if rule is None or len(cells) < 3:
            continue  # the header and separator rows
        tables.setdefault(section, []).append((rule.group(), cells[1].strip("`"), int(cells[2])))
    return tables


def reported(folder: Path) -> list[Row]:
    """What the linter reports for ``folder``, as sorted (rule, file, line) rows."""
    result = run([str(folder)])
    assert not result.all_notifications, [n.message for n in result.all_notifications]
    assert result.files_checked > 0
    return sorted(
        (
            finding.rule,
            Path(os.path.abspath(finding.path)).relative_to(folder).as_posix(),
            finding.span.line,
        )
        for finding in result.findings
    )


def _ids(folders: list[Path]) -> list[str]:
    return [folder.name for folder in folders]


def test_every_example_has_a_readme_table_and_a_fixed_twin() -> None:
    assert {folder.name for folder in EXAMPLE_DIRS} >= {
        "chat-server",
        "express-api",
        "file-server",
        "nest-service",
        "worker",
    }
    for folder in EXAMPLE_DIRS:
        assert readme_tables(folder / "README.md").get(REPORTED), folder.name
        assert (folder / "fixed").is_dir(), folder.name


@pytest.mark.parametrize("folder", EXAMPLE_DIRS, ids=_ids(EXAMPLE_DIRS))
def test_findings_match_the_readme(folder: Path) -> None:
    expected = sorted(readme_tables(folder / "README.md").get(REPORTED, []))
    actual = reported(folder)
    missing = list((Counter(expected) - Counter(actual)).elements())
    unexpected = list((Counter(actual) - Counter(expected)).elements())
    assert not missing and not unexpected, (
        f"{folder.name}/README.md is out of date.\n"
        f"  in the README, not reported: {missing}\n"
        f"  reported, not in the README: {unexpected}"
    )


@pytest.mark.parametrize("folder", EXAMPLE_DIRS, ids=_ids(EXAMPLE_DIRS))
def test_fixed_twin_reports_nothing(folder: Path) -> None:
    assert reported(folder / "fixed") == []


@pytest.mark.parametrize("folder", EXAMPLE_DIRS, ids=_ids(EXAMPLE_DIRS))
def test_known_gaps_stay_unreported(folder: Path) -> None:
    gaps = readme_tables(folder / "README.md").get(NOT_YET, [])
    for _rule, file, line in gaps:
        source = folder / file
        assert source.is_file(), f"{folder.name}/README.md names a missing file {file}"
        assert line <= len(source.read_text(encoding="utf-8").splitlines())
    now_reported = sorted(set(gaps) & set(reported(folder)))
    assert not now_reported, (
        f"now reported, move these rows of {folder.name}/README.md from "
        f"'{NOT_YET}' to '{REPORTED}': {now_reported}"
    )


def test_examples_show_every_rule() -> None:
    shown = {
        rule
        for folder in EXAMPLE_DIRS
        for rule, _file, _line in readme_tables(folder / "README.md").get(REPORTED, [])
    }
    assert sorted({rule.id for rule in ALL_RULES} - shown) == []


def test_index_excerpt_is_real_output(monkeypatch: pytest.MonkeyPatch) -> None:
    """The text excerpt in examples/README.md is cut from what the linter prints."""
    monkeypatch.chdir(REPO)
    output = CliRunner().invoke(cli, ["check", "examples/", "--no-cache"]).stdout
    block = re.search(
        r"```text\n(.*?)```", (EXAMPLES / "README.md").read_text(encoding="utf-8"), re.S
    )
    assert block is not None, "examples/README.md has no ```text block"
    for chunk in re.split(r"^\.\.\.\n", block.group(1), flags=re.M):
        assert chunk in output, f"not in the output of `nodeleaklint check examples/`:\n{chunk}"


# -- snapshots ----------------------------------------------------------------------------


def _check_examples(fmt: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(cli, ["check", "examples/", "--no-cache", "--format", fmt])
    assert result.exit_code == 1, result.output
    return result.stdout


def _compare(name: str, text: str) -> None:
    snapshot = SNAPSHOTS / name
    if UPDATE_SNAPSHOTS:
        snapshot.parent.mkdir(exist_ok=True)
        snapshot.write_text(text, encoding="utf-8")
        return
    assert snapshot.is_file(), f"no snapshot {snapshot}; run with NODELEAKLINT_UPDATE_SNAPSHOTS=1"
    expected = snapshot.read_text(encoding="utf-8")
    if text != expected:
        diff = difflib.unified_diff(
            expected.splitlines(), text.splitlines(), f"snapshots/{name}", "output", lineterm=""
        )
        pytest.fail(
            "`nodeleaklint check examples/` output changed; review the diff and rerun with "
            "NODELEAKLINT_UPDATE_SNAPSHOTS=1 if it is intended:\n" + "\n".join(list(diff)[:200])
        )


def test_json_snapshot(monkeypatch: pytest.MonkeyPatch) -> None:
    output = _check_examples("json", monkeypatch)
    assert json.loads(output)
    _compare("examples.json", output)


def test_sarif_snapshot(monkeypatch: pytest.MonkeyPatch) -> None:
    """The log with the driver's version replaced; it is printed with ``indent=2`` already."""
    doc = assert_valid_sarif(_check_examples("sarif", monkeypatch))
    driver = doc["runs"][0]["tool"]["driver"]
    for key in ("version", "semanticVersion"):
        if key in driver:
            assert driver[key] == __version__
            driver[key] = VERSION_PLACEHOLDER
    _compare("examples.sarif.json", json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
