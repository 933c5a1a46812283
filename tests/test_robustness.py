"""Nothing a source tree contains crashes or hangs a run (SPEC §5).

Each hostile input sits next to an ordinary leaking file: the run must go on, report the
ordinary finding, give the hostile file a clear notification in every output format, and
exit with the documented status.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sarif_checks import assert_valid_sarif

from nodeleaklint import runner
from nodeleaklint.cli import cli
from nodeleaklint.config import Config
from nodeleaklint.engine import check_source
from nodeleaklint.findings import FileReport, NotificationKind, RunResult
from nodeleaklint.reporters import FORMATS, render
from nodeleaklint.rules import ALL_RULES, RULES_BY_ID
from nodeleaklint.rules.base import RuleContext

LEAK = "bus.setMaxListeners(0);\napp.get(r, () => bus.on(e, f));\n"
LEAK_LINE = "good.js:1:1: NLL102"
DEPTH = 10_000


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NODELEAKLINT_CACHE_DIR", raising=False)


def write(path: str, data: bytes | str) -> Path:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    target.write_bytes(data)
    return target


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, ["check", *args], catch_exceptions=False)


def outputs(*args: str) -> dict[str, Result]:
    return {fmt: invoke("--format", fmt, "--no-cache", *args) for fmt in FORMATS}


def assert_reported(results: dict[str, Result], path: str, kind: NotificationKind) -> None:
    """The good file's finding and ``path``'s notification appear in every format."""
    sarif = assert_valid_sarif(results["sarif"].stdout)
    notes = sarif["runs"][0]["invocations"][0].get("toolExecutionNotifications", [])
    uris = [
        location["physicalLocation"]["artifactLocation"]["uri"]
        for note in notes
        for location in note.get("locations", [])
    ]
    assert path in uris, notes
    assert any(result["ruleId"] == "NLL102" for result in sarif["runs"][0]["results"])
    findings = json.loads(results["json"].stdout)
    assert any(item["path"] == "good.js" for item in findings)
    assert path in results["json"].stderr  # JSON holds findings only; notices go to stderr
    assert f"{path}:" in results["concise"].stdout and kind.value in results["concise"].stdout
    assert LEAK_LINE in results["concise"].stdout
    assert path in results["text"].stdout
    assert f"file={path}" in results["github"].stdout


# -- file contents --------------------------------------------------------------------------


def test_syntax_error_is_reported_and_the_file_still_checked() -> None:
    write("good.js", LEAK)
    write("broken.js", "function (\n" + LEAK)
    results = outputs()
    assert_reported(results, "broken.js", NotificationKind.PARSE_ERROR)
    assert "broken.js:2:1: NLL102" in results["concise"].stdout
    assert results["concise"].exit_code == 1


@pytest.mark.parametrize(
    ("name", "data", "line"),
    [
        ("latin1.js", b"const caf\xe9 = '\xff\xfe';\n" + LEAK.encode(), 2),
        ("bom.js", b"\xef\xbb\xbf" + LEAK.encode(), 1),
        ("crlf.js", b"// header\r\n" + LEAK.replace("\n", "\r\n").encode(), 2),
        ("nul.js", b"const a = '\x00';\x00\n" + LEAK.encode(), 2),
    ],
)
def test_odd_bytes_are_checked_with_correct_positions(name: str, data: bytes, line: int) -> None:
    write(name, data)
    result = invoke("--format", "concise", "--no-cache", name)
    assert f"{name}:{line}:1: NLL102" in result.stdout
    assert result.exit_code == 1, result.stdout
    report = check_source(name, data, Config(), ALL_RULES)
    assert not [n for n in report.notifications if n.kind is NotificationKind.INTERNAL_ERROR]


def test_a_lone_carriage_return_ends_a_line() -> None:
    # Editors, LSP and ECMAScript end a line at a lone CR; tree-sitter's rows do not.
    write("cr.js", b"// old mac\r" + LEAK.encode())
    result = invoke("--format", "concise", "--no-cache", "cr.js")
    assert "cr.js:2:1: NLL102" in result.stdout
    assert result.exit_code == 1
    sarif = assert_valid_sarif(invoke("--format", "sarif", "--no-cache", "cr.js").stdout)
    assert "\r" in sarif["runs"][0]["newlineSequences"]


def test_suppressions_count_lines_the_same_way_in_a_lone_cr_file() -> None:
    data = b"// old mac\r// nodeleaklint-disable-next-line NLL102\r" + LEAK.encode() + LEAK.encode()
    write("cr.js", data)
    result = invoke("--format", "concise", "--no-cache", "--report-unused-suppressions", "cr.js")
    assert "cr.js:5:1: NLL102" in result.stdout
    assert "cr.js:3:1" not in result.stdout
    assert "unused" not in result.stdout


@pytest.mark.parametrize("data", [b"", b"\n", b"\xef\xbb\xbf", b"\x00", b"\r\n\r\n", b"   "])
def test_empty_and_blank_files_have_no_findings(data: bytes) -> None:
    write("empty.js", data)
    result = invoke("--format", "json", "--no-cache", "empty.js")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []


def test_a_large_minified_bundle_is_skipped_with_a_notice() -> None:
    write("good.js", LEAK)
    bundle = "var a=0;" + "a=a+1;" * (5 * 1024 * 1024 // 6)
    write("vendor.js", bundle)
    results = outputs()
    assert_reported(results, "vendor.js", NotificationKind.SKIPPED)
    assert "max-file-size" in results["text"].stdout
    assert results["json"].exit_code == 1  # a skip is a note, not an error


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8


def test_a_binary_file_with_a_js_name_is_skipped_with_a_notice() -> None:
    write("good.js", LEAK)
    write("logo.js", PNG)
    results = outputs()
    assert_reported(results, "logo.js", NotificationKind.SKIPPED)
    assert "logo.js: skipped: binary content" in results["text"].stdout
    assert results["json"].exit_code == 1  # a note, not an error: the finding decides


def test_minified_code_is_recognised_by_its_content() -> None:
    write("good.js", LEAK)
    line = "".join(f"var a{n}=function(b){{return b+{n}}};" for n in range(400))
    write("app.js", (line + "\n") * 3 + LEAK)  # not named *.min.js
    results = outputs()
    assert_reported(results, "app.js", NotificationKind.SKIPPED)
    assert "looks minified" in results["text"].stdout
    assert "app.js:4" not in results["concise"].stdout


def test_stdin_binary_is_skipped_with_a_notice() -> None:
    result = CliRunner().invoke(
        cli, ["check", "--format", "concise", "--stdin-filename", "x.js"], input=PNG
    )
    assert result.exit_code == 0
    assert result.stdout.startswith("x.js:1:1: NLL-SKIPPED [skipped] binary content")


def test_an_extensionless_node_script_is_checked() -> None:
    write("bin/serve", "#!/usr/bin/env node\nconst bus = require('./bus');\n" + LEAK)
    write("bin/notes", "just text\n" + LEAK)
    result = invoke("--format", "concise", "--no-cache")
    assert result.stdout.splitlines()[0].startswith(os.path.join("bin", "serve") + ":3:1: NLL102")
    assert "notes" not in result.stdout
    named = invoke("--format", "concise", "--no-cache", "bin/serve")
    assert named.exit_code == 1 and ":3:1: NLL102" in named.stdout


def test_max_file_size_is_configurable() -> None:
    write("good.js", LEAK)
    write("big.js", "// " + "x" * 5000 + "\n" + LEAK)
    write("nodeleaklint.toml", "max-file-size = 1000\n")
    result = invoke("--format", "concise", "--no-cache")
    assert "big.js:1:1: NLL-SKIPPED" in result.stdout
    assert "big.js:2" not in result.stdout


# -- deep nesting ----------------------------------------------------------------------------

NESTED = {
    "parentheses": "const x = " + "(" * DEPTH + "1" + ")" * DEPTH + ";\n",
    "arrays": "const x = " + "[" * DEPTH + "]" * DEPTH + ";\n",
    "objects": "const o = " + "{a: " * DEPTH + "1" + "}" * DEPTH + ";\n",
    "blocks": "{" * DEPTH + "cache.set(k, v);" + "}" * DEPTH + "\n",
    "ifs": "if (a) " * DEPTH + "bus.on('x', () => a);\n",
    "calls": "f(" * DEPTH + ")" * DEPTH + ";\n",
    "binary": "const s = " + " + ".join(["a"] * DEPTH) + ";\n",
    "promise chain": "p" + ".then(() => bus.on('x', () => 1))" * DEPTH + ";\n",
    "unclosed functions": "function f() {\n" * DEPTH,
}


@pytest.mark.parametrize("shape", sorted(NESTED))
def test_ten_thousand_levels_of_nesting_do_not_hit_recursion_limits(shape: str) -> None:
    code = NESTED[shape] + LEAK
    report = check_source("deep.js", code.encode(), Config(), ALL_RULES)
    assert not [n for n in report.notifications if n.kind is NotificationKind.INTERNAL_ERROR]
    assert any(f.rule == "NLL102" for f in report.findings)
    result = RunResult(files=[report])
    for fmt in FORMATS:
        text = render(fmt, result, ALL_RULES)
        if fmt == "sarif":
            assert_valid_sarif(text)
        elif fmt == "json":
            json.loads(text)


def test_a_long_guard_condition_does_not_recurse() -> None:
    """NLL301 reads the tests of an ``if`` around growth; 2,000 ``&&`` are past any recursion
    limit."""
    guard = " && ".join(["seen.has(req.id)"] * 2_000)
    code = f"const seen = new Map();\napp.get('/x', (req, res) => {{\n  if ({guard}) {{\n"
    code += "    seen.set(req.id, Date.now());\n  }\n});\n" + LEAK
    report = check_source("guard.js", code.encode(), Config(), ALL_RULES)
    assert not [n for n in report.notifications if n.kind is NotificationKind.INTERNAL_ERROR]
    assert [f.rule for f in report.findings] == ["NLL102"]  # the guarded set only updates


def test_deeply_nested_functions_finish() -> None:
    """Nested functions exercise every per-function step (scopes, positions, rules)."""
    depth = 2_000
    code = "function f(req) {\n" * depth + "bus.on('tick', () => req);\n" + "}\n" * depth
    report = check_source("deep.js", code.encode(), Config(), ALL_RULES)
    assert not [n for n in report.notifications if n.kind is NotificationKind.INTERNAL_ERROR]


# -- the file system -----------------------------------------------------------------------


def test_symlink_loops_end() -> None:
    write("good.js", LEAK)
    write("pkg/a.js", LEAK)
    os.symlink("..", "pkg/up")
    os.symlink("self.js", "self.js")  # a link to itself: ELOOP on open
    result = invoke("--format", "concise", "--no-cache")
    assert LEAK_LINE in result.stdout
    assert result.stdout.count("pkg/a.js:1:1: NLL102") == 1


def test_a_folder_named_like_a_source_file_is_walked_not_read() -> None:
    write("good.js", LEAK)
    write("weird.js/inner.js", LEAK)
    for args in ((), ("good.js", "weird.js")):
        result = invoke("--format", "concise", "--no-cache", *args)
        assert "weird.js/inner.js:1:1: NLL102" in result.stdout
        assert result.exit_code == 1


def _unreadable(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """``name`` raises EACCES on open, even when running as root."""
    real = os.open

    def fake_open(path: str | os.PathLike[str], *args: int, **kwargs: int) -> int:
        if os.path.basename(path) == name:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", fake_open)


def test_unreadable_file_is_reported_and_the_run_goes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    write("good.js", LEAK)
    write("secret.js", LEAK)
    _unreadable(monkeypatch, "secret.js")
    results = outputs()
    assert_reported(results, "secret.js", NotificationKind.UNREADABLE)
    assert "Permission denied" in results["text"].stdout
    assert all(result.exit_code == 2 for result in results.values())


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a file without permissions")
def test_chmod_000_file_is_reported() -> None:
    write("good.js", LEAK)
    write("secret.js", LEAK).chmod(0)
    result = invoke("--format", "concise", "--no-cache")
    assert "secret.js:1:1: NLL-UNREADABLE" in result.stdout
    assert LEAK_LINE in result.stdout
    assert result.exit_code == 2


def test_a_file_that_vanishes_mid_run_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    write("good.js", LEAK)
    listed = runner.iter_source_files

    def vanishing(*args: object, **kwargs: object) -> Iterator[object]:
        yield from listed(*args, **kwargs)  # type: ignore[arg-type]
        Path("gone.js").unlink()  # found, then deleted before it is read

    monkeypatch.setattr(runner, "iter_source_files", vanishing)
    results = {}
    for fmt in FORMATS:
        write("gone.js", LEAK)
        results[fmt] = invoke("--format", fmt, "--no-cache")
    assert_reported(results, "gone.js", NotificationKind.UNREADABLE)
    assert "No such file" in results["concise"].stdout


# -- failures inside the linter --------------------------------------------------------------


def test_a_rule_crashing_on_one_file_is_an_internal_error_for_that_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write("good.js", LEAK)
    write("poison.js", LEAK + "async function f() { await new Promise(() => {}); }\n")
    original = RULES_BY_ID["NLL102"]

    def exploding(context: RuleContext) -> Iterator[object]:
        if context.source.path == "poison.js":
            raise ValueError("boom")
        yield from original.check(context)

    monkeypatch.setitem(RULES_BY_ID, "NLL102", dataclasses.replace(original, check=exploding))
    results = outputs()
    assert_reported(results, "poison.js", NotificationKind.INTERNAL_ERROR)
    concise = results["concise"].stdout
    assert "poison.js:1:1: NLL-INTERNAL" in concise and "NLL102" in concise and "boom" in concise
    assert "poison.js:3:28: NLL601" in concise  # the other rules still ran on that file
    assert all(result.exit_code == 2 for result in results.values())


def test_a_failing_check_of_one_file_does_not_stop_the_others() -> None:
    def check(path: str, data: bytes, *args: object, **kwargs: object) -> FileReport:
        if path == "a.js":
            raise RecursionError("maximum recursion depth exceeded")
        return check_source(path, data, Config(), ALL_RULES)

    write("a.js", LEAK)
    write("good.js", LEAK)
    result = runner.run(["."], check=check)
    assert [report.path for report in result.files if report.findings] == ["good.js"]
    (note,) = result.all_notifications
    assert note.kind is NotificationKind.INTERNAL_ERROR and note.path == "a.js"


# -- the checked tree is data ----------------------------------------------------------------


def _digest(folder: Path) -> dict[str, tuple[str, int, int]]:
    found = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        content = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
        found[str(path.relative_to(folder))] = (content, info.st_mtime_ns, info.st_mode)
    return found


def test_the_linter_executes_nothing_and_writes_nothing_in_the_checked_tree() -> None:
    write("nodeleaklint.toml", "select = ['NLL']\n")
    marker = Path("executed").resolve()
    payload = f"import pathlib; pathlib.Path({str(marker)!r}).write_text('x')\n"
    for name in ("conftest.py", "setup.py", "sitecustomize.py", "nodeleaklint.py", "pwn.py"):
        write(f"src/{name}", payload)
    write("src/package.json", json.dumps({"scripts": {"postinstall": f"touch {marker}"}}))
    write("src/app.js", "require('./pwn');\n" + LEAK)
    write("src/lib/util.ts", "export const x: number = 1;\n")
    before = _digest(Path("src"))
    for fmt in FORMATS:
        assert invoke("--format", fmt, "src").exit_code == 1  # cache on (the default)
    assert invoke("src").exit_code == 1  # answered from the cache
    assert _digest(Path("src")) == before
    assert not marker.exists()
    assert Path(".nodeleaklint_cache/.gitignore").read_text() == "*\n"  # beside, not inside
