"""``--fix``, ``--unsafe-fixes`` and ``--diff`` on the command line: files are written only
under ``--fix --unsafe-fixes``, ``--diff`` writes nothing and exits 1 on a change."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from nodeleaklint.cli import cli

LEAKY = (
    "const bus = require('./bus');\nbus.setMaxListeners(0);\nbus.on('x', f);\n"
    "app.get(r, () => bus.on(e, f));\n"
)
FIXED = "const bus = require('./bus');\nbus.on('x', f);\napp.get(r, () => bus.on(e, f));\n"
MEDIUM_LEFT = "async function f() {\n  await new Promise(() => {});\n}\n"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def invoke(*args: str, stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(cli, ["check", "--no-cache", *args], input=stdin)


def test_fix_alone_applies_nothing_and_says_what_is_available() -> None:
    Path("a.js").write_text(LEAKY, encoding="utf-8")
    result = invoke("--fix", "a.js")
    assert Path("a.js").read_text(encoding="utf-8") == LEAKY
    assert result.exit_code == 1  # the high finding is still there
    assert "applied 0 fixes in 0 files" in result.stderr
    assert "1 unsafe fix is available with --unsafe-fixes (not applied)" in result.stderr


def test_fix_with_unsafe_fixes_writes_and_reports_what_remains() -> None:
    Path("a.js").write_text(LEAKY, encoding="utf-8")
    Path("b.js").write_text(MEDIUM_LEFT, encoding="utf-8")
    result = invoke("--fix", "--unsafe-fixes", "--format", "json", "a.js", "b.js")
    assert Path("a.js").read_text(encoding="utf-8") == FIXED
    assert Path("b.js").read_text(encoding="utf-8") == MEDIUM_LEFT
    assert "applied 1 fix in 1 file" in result.stderr
    assert [item["rule"] for item in json.loads(result.stdout)] == ["NLL601"]  # re-linted
    assert result.exit_code == 0  # what remains is medium: below fail-on
    again = invoke("--fix", "--unsafe-fixes", "a.js")
    assert "applied 0 fixes in 0 files" in again.stderr and again.exit_code == 0


def test_no_fix_flag_never_writes() -> None:
    Path("a.js").write_text(LEAKY, encoding="utf-8")
    for args in (("--unsafe-fixes",), (), ("--diff", "--unsafe-fixes")):
        invoke(*args, "a.js")
        assert Path("a.js").read_text(encoding="utf-8") == LEAKY


def test_diff_prints_the_change_and_exits_one() -> None:
    Path("a.js").write_text(LEAKY, encoding="utf-8")
    result = invoke("--diff", "--unsafe-fixes", "a.js")
    assert result.exit_code == 1
    assert result.stdout == (
        "--- a.js\n+++ a.js\n@@ -1,4 +1,3 @@\n const bus = require('./bus');\n"
        "-bus.setMaxListeners(0);\n bus.on('x', f);\n app.get(r, () => bus.on(e, f));\n"
    )
    assert "would apply 1 fix in 1 file" in result.stderr


def test_diff_without_unsafe_fixes_or_changes_exits_zero() -> None:
    Path("a.js").write_text(LEAKY, encoding="utf-8")
    withheld = invoke("--diff", "a.js")
    assert (withheld.exit_code, withheld.stdout) == (0, "")
    assert "1 unsafe fix is available with --unsafe-fixes" in withheld.stderr
    Path("b.js").write_text(FIXED, encoding="utf-8")
    assert invoke("--diff", "--unsafe-fixes", "b.js").exit_code == 0


def test_fix_and_diff_refuse_stdin() -> None:
    for flag in ("--fix", "--diff"):
        result = invoke(flag, "-", stdin=LEAKY.encode())
        assert result.exit_code == 2
        assert "work on files, not on stdin" in result.stderr


def test_fix_leaves_suppressed_findings_alone() -> None:
    suppressed = "const bus = require('./bus');\n// nodeleaklint-disable-next-line NLL102\n"
    Path("a.js").write_text(
        suppressed + "bus.setMaxListeners(0);\napp.get(r, () => bus.on(e, f));\n",
        encoding="utf-8",
    )
    invoke("--fix", "--unsafe-fixes", "a.js")
    assert (
        Path("a.js")
        .read_text(encoding="utf-8")
        .endswith("bus.setMaxListeners(0);\napp.get(r, () => bus.on(e, f));\n")
    )
