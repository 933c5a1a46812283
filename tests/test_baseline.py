"""Baselines: record findings, then report only new ones; entries survive unrelated edits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from nodeleaklint.cli import cli

LEAK = "bus.setMaxListeners(0);\napp.get(r, () => bus.on(e, f));\n"
HEADER = "const bus = require('./bus');\n"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write("src/a.js", HEADER + LEAK)
    write("src/b.ts", HEADER + "function wrap() {\n  " + LEAK + "}\n")


def write(path: str, text: str) -> None:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, ["check", *args], catch_exceptions=False)


def findings(*args: str) -> tuple[int, list[dict[str, object]]]:
    result = invoke("--format", "json", *args)
    items = json.loads(result.stdout)
    assert isinstance(items, list)
    return result.exit_code, items


def test_write_baseline_records_every_finding_as_sorted_json() -> None:
    result = invoke("--write-baseline", "baseline.json", "src")
    assert result.exit_code == 0, result.output
    text = Path("baseline.json").read_text(encoding="utf-8")
    document = json.loads(text)
    assert document["version"] == 1
    entries = document["findings"]
    assert [(e["path"], e["rule"]) for e in entries] == [
        ("src/a.js", "NLL102"),
        ("src/b.ts", "NLL102"),
    ]
    assert all(list(e) == ["rule", "path", "message", "fingerprint"] for e in entries)
    assert text == json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    assert result.stderr == "wrote 2 baseline entries to baseline.json\n"
    invoke("--write-baseline", "baseline.json", "src")
    assert Path("baseline.json").read_text(encoding="utf-8") == text  # byte-stable


def test_write_baseline_counts_kept_entries_and_is_silent_when_quiet() -> None:
    invoke("--write-baseline", "baseline.json", "src")
    result = invoke("--write-baseline", "baseline.json", "src/a.js")  # keeps b.ts's entry
    assert result.stderr == "wrote 2 baseline entries to baseline.json\n"
    write("src/a.js", HEADER)
    write("src/b.ts", HEADER)
    result = invoke("--write-baseline", "base2.json", "src/a.js")
    assert result.stderr == "wrote 0 baseline entries to base2.json\n"
    write("src/a.js", HEADER + LEAK)
    assert invoke("--write-baseline", "base2.json", "--quiet", "src").stderr == ""


def test_baseline_fingerprints_are_the_findings_fingerprints() -> None:
    invoke("--write-baseline", "baseline.json", "src")
    _, items = findings("src")
    recorded = {e["fingerprint"] for e in json.loads(Path("baseline.json").read_text())["findings"]}
    assert len(items) == 2
    sarif = json.loads(invoke("--format", "sarif", "src").stdout)
    keys = {r["partialFingerprints"]["nodeleaklint/v1"] for r in sarif["runs"][0]["results"]}
    assert keys == recorded


def test_baselined_findings_are_not_reported_and_exit_zero() -> None:
    assert invoke("--write-baseline", "baseline.json", "src").exit_code == 0
    assert findings("--baseline", "baseline.json", "src") == (0, [])
    assert findings("src")[0] == 1  # without the baseline they are still there


def test_entries_survive_lines_inserted_above() -> None:
    invoke("--write-baseline", "baseline.json", "src")
    write("src/a.js", "// a comment\n\n" + HEADER + "\n\nfunction unrelated() {}\n" + LEAK)
    assert findings("--baseline", "baseline.json", "src") == (0, [])


def test_only_new_findings_are_reported() -> None:
    invoke("--write-baseline", "baseline.json", "src")
    write(
        "src/a.js", HEADER + LEAK + "other.setMaxListeners(0);\nwss.on(e, () => other.on(e, f));\n"
    )
    status, items = findings("--baseline", "baseline.json", "src")
    assert status == 1
    assert [(i["path"], i["line"]) for i in items] == [("src/a.js", 4)]


def test_a_second_identical_line_is_new() -> None:
    invoke("--write-baseline", "baseline.json", "src")
    write("src/a.js", HEADER + LEAK + LEAK)
    status, items = findings("--baseline", "baseline.json", "src")
    assert status == 1
    assert len(items) == 1


def test_baseline_matches_from_another_working_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    invoke("--write-baseline", "baseline.json", "src")
    monkeypatch.chdir("src")
    assert findings("--baseline", "../baseline.json", ".") == (0, [])


def test_stale_entries_are_reported_on_request() -> None:
    invoke("--write-baseline", "baseline.json", "src")
    write("src/a.js", HEADER)
    quiet = invoke("--baseline", "baseline.json", "src")
    assert quiet.exit_code == 0
    assert "stale" not in quiet.output
    stale = invoke("--baseline", "baseline.json", "--report-stale-baseline", "src")
    assert stale.exit_code == 1
    assert "src/a.js" in stale.output
    assert (
        "NLL-STALE-BASELINE"
        in invoke(
            "--format", "concise", "--baseline", "baseline.json", "--report-stale-baseline", "src"
        ).stdout
    )


def test_entries_of_unchecked_files_are_neither_stale_nor_forgotten() -> None:
    invoke("--write-baseline", "baseline.json", "src")
    stale = invoke("--baseline", "baseline.json", "--report-stale-baseline", "src/a.js")
    assert stale.exit_code == 0, stale.output
    write("src/a.js", HEADER)
    invoke("--write-baseline", "baseline.json", "src/a.js")  # a partial run
    entries = json.loads(Path("baseline.json").read_text())["findings"]
    assert [e["path"] for e in entries] == ["src/b.ts"]


@pytest.mark.parametrize(
    "contents", ["not json", "[]", '{"version": 99, "findings": []}', '{"version": 1}']
)
def test_unusable_baseline_is_an_error_naming_the_file(contents: str) -> None:
    Path("bad.json").write_text(contents, encoding="utf-8")
    result = invoke("--baseline", "bad.json", "src")
    assert result.exit_code == 2
    assert "bad.json" in result.output


def test_missing_baseline_is_an_error() -> None:
    result = invoke("--baseline", "nope.json", "src")
    assert result.exit_code == 2
    assert "nope.json" in result.output
