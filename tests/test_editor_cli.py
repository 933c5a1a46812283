"""What editor integrations rely on: ``--stdin-filename`` and the documented matchers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from nodeleaklint.cli import cli
from nodeleaklint.reporters.concise import PATTERN

ROOT = Path(__file__).resolve().parents[1]
LEAKY = b"const bus = require('./bus');\nbus.setMaxListeners(0);\napp.get(r, () => bus.on(e, f));\n"
CONFIG = """\
extend-exclude = ["generated/"]

[per-file-ignores]
"legacy/**" = ["NLL102"]
"""


@pytest.fixture(autouse=True)
def _project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "nodeleaklint.toml").write_text(CONFIG, encoding="utf-8")
    monkeypatch.chdir(tmp_path)


def buffer(name: str, *options: str) -> Result:
    """Check LEAKY as an unsaved buffer of ``name`` (the file need not exist)."""
    args = ["check", "--format", "concise", *options, "--stdin-filename", name, "-"]
    return CliRunner().invoke(cli, args, input=LEAKY, catch_exceptions=False)


def test_stdin_filename_reports_under_that_name() -> None:
    result = buffer("web/src/app.js")
    assert result.exit_code == 1
    assert result.stdout.startswith("web/src/app.js:2:1: NLL102 ")


def test_stdin_filename_uses_the_configuration_found_from_that_path() -> None:
    assert buffer("web/legacy/old.js").exit_code == 0  # per-file-ignores, relative to web/
    assert buffer("legacy/old.js").exit_code == 1  # outside web/: no such ignore


def test_stdin_filename_applies_excludes_with_force_exclude() -> None:
    for name in ("web/generated/api.js", "web/node_modules/x/index.js"):
        excluded = buffer(name, "--force-exclude")
        assert (excluded.exit_code, excluded.stdout) == (0, ""), name
    assert buffer("web/src/app.js", "--force-exclude").exit_code == 1


def test_stdin_filename_of_an_unsupported_file_is_a_notice() -> None:
    result = buffer("web/README.md")
    assert result.exit_code == 0
    assert "skipped" in result.output


def test_concise_lines_match_the_readme_problem_matcher() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```json\n(.*?)```", readme, flags=re.DOTALL)
    matchers = [json.loads(b) for b in blocks if '"problemMatcher"' in b]
    assert matchers, "README has no VS Code problem matcher"
    pattern = matchers[0]["tasks"][0]["problemMatcher"]["pattern"]
    assert pattern["regexp"] == PATTERN.pattern
    line = buffer("web/src/app.js").stdout.splitlines()[0]
    match = re.match(pattern["regexp"], line)
    assert match is not None
    assert match.group(pattern["file"]) == "web/src/app.js"
    assert (match.group(pattern["line"]), match.group(pattern["column"])) == ("2", "1")
    assert match.group(pattern["code"]) == "NLL102"
