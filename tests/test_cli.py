from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from nodeleaklint import runner
from nodeleaklint.cli import cli, exit_status
from nodeleaklint.config import Config
from nodeleaklint.findings import FileReport, NotificationKind, RunResult
from nodeleaklint.rules import find_rule
from nodeleaklint.rules.base import Rule

ROOT = Path(__file__).resolve().parent.parent

LEAKY = "const bus = require('./bus');\nbus.setMaxListeners(0);\napp.get(r, () => bus.on(e, f));\n"
CLEAN = "const bus = require('./bus');\nbus.setMaxListeners(20);\n"
NEVER = "async function f() {\n  await new Promise(() => {});\n}\n"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def write(path: str, text: str) -> Path:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def invoke(*args: str, stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=stdin, catch_exceptions=False)


def json_findings(result: Result) -> list[dict[str, object]]:
    items = json.loads(result.stdout)
    assert isinstance(items, list)
    return items


# -- exit status -------------------------------------------------------------------------


def test_clean_tree_exits_zero() -> None:
    write("src/app.js", CLEAN)
    result = invoke("check")
    assert result.exit_code == 0, result.output
    assert "0 findings in 0 files (1 file checked)" in result.stdout


def test_findings_exit_one_and_exit_zero_turns_them_to_zero() -> None:
    write("src/app.js", LEAKY)
    assert invoke("check").exit_code == 1
    assert invoke("check", "--exit-zero").exit_code == 0


def test_missing_path_exits_two_even_with_exit_zero() -> None:
    write("src/app.js", LEAKY)
    result = invoke("check", "--exit-zero", "--format", "json", "src", "nope.js")
    assert result.exit_code == 2
    assert "nope.js" in result.stderr and "No such file or directory" in result.stderr
    assert [item["path"] for item in json_findings(result)] == [os.path.join("src", "app.js")]


def test_config_error_names_file_and_key_and_exits_two() -> None:
    write("pyproject.toml", '[tool.nodeleaklint]\nselct = ["NLL1"]\n')
    write("a.js", CLEAN)
    result = invoke("check")
    assert result.exit_code == 2
    assert (
        "pyproject.toml: [tool.nodeleaklint] unknown key 'selct' (did you mean 'select'?)"
        in result.stderr
    )
    assert result.stdout == ""


def test_unknown_selector_is_a_usage_error() -> None:
    write("a.js", CLEAN)
    result = invoke("check", "--select", "NLL999")
    assert result.exit_code == 2
    assert "NLL999" in result.stderr


def test_unsupported_explicit_file_is_skipped_not_an_error() -> None:
    write("notes.md", "# hi\n")
    result = invoke("check", "notes.md")
    assert result.exit_code == 0
    assert "notes.md" in result.stdout and "skipped" in result.stdout


# -- output ------------------------------------------------------------------------------


def test_json_output_has_the_documented_keys_and_relative_paths(tmp_path: Path) -> None:
    write("src/app.js", LEAKY)
    result = invoke("check", "--format", "json", str(tmp_path / "src"))
    [item] = json_findings(result)
    assert item["path"] == os.path.join("src", "app.js")
    assert item["rule"] == "NLL102" and item["name"] == "raised-max-listeners"
    assert (item["line"], item["column"]) == (2, 1)
    for key in ("severity", "confidence", "end_line", "end_column", "message"):
        assert key in item


def test_concise_and_sarif_formats() -> None:
    write("a.js", LEAKY)
    concise = invoke("check", "--format", "concise")
    assert concise.stdout.startswith("a.js:2:1: NLL102 [raised-max-listeners] ")
    sarif = json.loads(invoke("check", "--format", "sarif").stdout)
    assert sarif["version"] == "2.1.0"
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["NLL102"]


def test_output_file_receives_results() -> None:
    write("a.js", LEAKY)
    result = invoke("check", "--format", "json", "--output", "out.json")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert json.loads(Path("out.json").read_text(encoding="utf-8"))[0]["rule"] == "NLL102"


def test_statistics_counts_per_rule() -> None:
    write("a.js", LEAKY + LEAKY)
    write("b.js", NEVER)
    result = invoke("check", "--statistics")
    assert result.stdout.splitlines() == [
        "2\tNLL102\traised-max-listeners",
        "1\tNLL601\tnever-settling-promise",
        "3\ttotal",
    ]
    stats = json.loads(invoke("check", "--statistics", "--format", "json").stdout)
    assert stats[0] == {"rule": "NLL102", "name": "raised-max-listeners", "count": 2}


def test_statistics_total_is_right_aligned_with_the_counts() -> None:
    write(
        "a.js",
        "const bus = require('./bus');\n"
        + "bus.setMaxListeners(0);\napp.get(r, () => bus.on(e, f));\n" * 12,
    )
    assert invoke("check", "--statistics").stdout.splitlines() == [
        "12\tNLL102\traised-max-listeners",
        "12\ttotal",
    ]
    write("a.js", CLEAN)
    assert invoke("check", "--statistics").stdout == "0\ttotal\n"


# -- quiet and colour ----------------------------------------------------------------------


def test_quiet_prints_the_findings_only() -> None:
    write("a.js", LEAKY)
    write("b.js", "const x = ;\n")  # a parse-error notice
    loud = invoke("check")
    assert "parse-error" in loud.stdout and "1 finding" in loud.stdout
    quiet = invoke("check", "--quiet")
    assert quiet.exit_code == 1
    assert quiet.stdout.startswith("a.js:2:1: NLL102 [raised-max-listeners] ")
    assert "parse-error" not in quiet.output and "finding" not in quiet.stdout.splitlines()[-1]
    assert quiet.stdout.splitlines()[-1].lstrip().startswith(("= help:", "= fix", "|"))
    concise = invoke("check", "-q", "--format", "concise").stdout.splitlines()
    assert [line.split(" [")[0] for line in concise] == ["a.js:2:1: NLL102"]
    write("b.js", CLEAN)
    assert invoke("check", "--quiet").stdout.count("NLL102") == 1
    assert invoke("check", "--quiet", "nothing.js").stderr.startswith("error: nothing.js")


def test_quiet_still_reports_errors_on_stderr() -> None:
    result = invoke("check", "--quiet", "missing.js")
    assert result.exit_code == 2
    assert "missing.js" in result.stderr


@pytest.mark.parametrize(
    ("args", "env", "colored"),
    [
        ((), {}, False),  # not a terminal
        (("--color", "always"), {}, True),
        (("--color", "always"), {"NO_COLOR": "1"}, True),  # the flag wins
        ((), {"FORCE_COLOR": "1"}, True),
        ((), {"FORCE_COLOR": "0"}, False),
        ((), {"FORCE_COLOR": "1", "NO_COLOR": "1"}, True),  # as in Node.js
        (("--color", "never"), {"FORCE_COLOR": "1"}, False),
    ],
)
def test_color_flag_and_environment(
    args: tuple[str, ...], env: dict[str, str], colored: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    write("a.js", LEAKY)
    for fmt in ("text", "concise"):
        result = invoke("check", "--format", fmt, *args)
        assert ("\x1b[" in result.stdout) is colored, fmt
        plain = invoke("check", "--format", fmt, "--color", "never").stdout
        assert _strip_ansi(result.stdout) == plain
    for fmt in ("json", "sarif", "github"):  # machine formats are never coloured
        assert "\x1b[" not in invoke("check", "--format", fmt, *args).stdout
    assert "\x1b[" not in invoke("check", "-o", "out.txt", *args).stdout
    assert "\x1b[" not in Path("out.txt").read_text(encoding="utf-8")


def _strip_ansi(text: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def test_checked_files_are_never_written() -> None:
    path = write("a.js", LEAKY)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    invoke("check", "--format", "sarif")
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


# -- selection and configuration ---------------------------------------------------------


def test_select_replaces_and_ignore_adds() -> None:
    write("nodeleaklint.toml", 'ignore = ["NLL601"]\n')
    write("a.js", LEAKY + NEVER.replace("function f", "function never"))  # `f` stays unknown

    def rules(*args: str) -> list[str]:
        return sorted({str(item["rule"]) for item in json_findings(invoke("check", *args))})

    assert rules("--format", "json") == ["NLL102"]
    assert rules("--format", "json", "--select", "NLL601") == ["NLL601"]
    assert rules("--format", "json", "--select", "NLL1,NLL6", "--ignore", "NLL102") == ["NLL601"]
    assert rules("--format", "json", "--ignore", "raised-max-listeners") == []


def test_per_file_ignores_are_relative_to_the_config_root() -> None:
    write("nodeleaklint.toml", '[per-file-ignores]\n"test/**" = ["NLL102"]\n')
    write("test/a.js", LEAKY)
    write("src/test/b.js", LEAKY)
    result = invoke("check", "--format", "json", "src", "test")
    assert [item["path"] for item in json_findings(result)] == [os.path.join("src", "test", "b.js")]


def test_rule_options_from_config() -> None:
    write(
        "a.js",
        "const bus = require('./bus');\nbus.setMaxListeners(100);\n"
        "app.get(r, () => bus.on(e, f));\n",
    )
    assert invoke("check").exit_code == 1
    write("nodeleaklint.toml", "[rules.raised-max-listeners]\nthreshold = 200\n")
    assert invoke("check").exit_code == 0


def test_explicit_config_file() -> None:
    write("ci/lint.toml", 'ignore = ["NLL102"]\n')
    write("a.js", LEAKY)
    assert invoke("check", "--config", "ci/lint.toml").exit_code == 0


def test_max_file_size_skips_with_a_notice() -> None:
    write("nodeleaklint.toml", "max-file-size = 10\n")
    write("a.js", LEAKY)
    result = invoke("check", "--format", "json")
    assert result.exit_code == 0
    assert "a.js" in result.stderr and "max-file-size" in result.stderr


def test_force_exclude_applies_excludes_to_named_files() -> None:
    write("dist/a.js", LEAKY)
    assert invoke("check", "dist/a.js").exit_code == 1
    assert invoke("check", "--force-exclude", "dist/a.js").exit_code == 0


# -- suppressions ------------------------------------------------------------------------


def test_suppression_comments_and_unused_report() -> None:
    write(
        "a.js",
        "const bus = require('./bus');\n"
        "// nodeleaklint-disable-next-line NLL102 -- deliberate\n"
        "bus.setMaxListeners(0);\napp.get(r, () => bus.on(e, f));\n"
        "bus.setMaxListeners(0); // nodeleaklint-disable-line raised-max-listeners\n"
        "// nodeleaklint-disable-next-line NLL601\n"
        "const s = '// nodeleaklint-disable-line NLL102'; bus.setMaxListeners(0);\n"
        "app.get(r, () => bus.on(e, f));\n",
    )
    result = invoke("check", "--format", "concise")
    assert result.exit_code == 1
    assert [line.split(":")[1] for line in result.stdout.splitlines()] == ["7"]
    unused = invoke("check", "--format", "concise", "--report-unused-suppressions")
    assert "a.js:6:1: NLL-UNUSED-SUPPRESSION" in unused.stdout


def test_unused_suppressions_alone_exit_one_when_reported() -> None:
    write("a.js", "// nodeleaklint-disable-next-line NLL102\nconst x = 1;\n")
    assert invoke("check").exit_code == 0
    assert invoke("check", "--report-unused-suppressions").exit_code == 1


def test_min_confidence_from_the_command_line_or_the_configuration() -> None:
    write("src/a.js", LEAKY)  # NLL102, high confidence
    write("src/b.js", NEVER)  # NLL601 in a function of unknown repetition: medium

    def rules(*args: str) -> list[str]:
        return sorted(
            str(f["rule"]) for f in json_findings(invoke("check", "--format", "json", *args))
        )

    assert rules() == ["NLL102", "NLL601"]
    assert rules("--min-confidence", "high") == ["NLL102"]
    write("nodeleaklint.toml", 'min-confidence = "high"\n')
    assert rules("--cache-dir", "fresh") == ["NLL102"]  # fills a new cache
    # The command line wins, and the cache kept the hidden finding for it.
    assert rules("--cache-dir", "fresh", "--min-confidence", "medium") == ["NLL102", "NLL601"]


def test_medium_findings_are_reported_but_fail_only_with_fail_on_medium() -> None:
    write("src/b.js", NEVER)  # medium only
    result = invoke("check")
    assert result.exit_code == 0, result.output
    assert "src/b.js:2:9: NLL601 [never-settling-promise] [medium] " in result.stdout
    assert result.stdout.endswith("1 finding (1 medium) in 1 file (1 file checked)\n")
    assert invoke("check", "--fail-on", "medium").exit_code == 1
    assert invoke("check", "--fail-on", "medium", "--exit-zero").exit_code == 0
    write("nodeleaklint.toml", 'fail-on = "medium"\n')
    assert invoke("check").exit_code == 1
    assert invoke("check", "--fail-on", "high").exit_code == 0  # the command line wins
    write("src/a.js", LEAKY)  # a high finding fails either way
    assert invoke("check", "--fail-on", "high").exit_code == 1


def test_fail_on_counts_only_reported_findings() -> None:
    write("src/b.js", NEVER)
    result = invoke("check", "--fail-on", "medium", "--min-confidence", "high")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "0 findings in 0 files (1 file checked, 1 medium finding hidden by min-confidence)\n"
    )


def test_summary_splits_findings_by_confidence() -> None:
    write(
        "src/a.js",
        LEAKY + "bus.setMaxListeners(0);\napp.get(r, () => bus.on(e, f));\n",
    )
    write("src/b.js", NEVER)
    write("src/c.js", CLEAN)
    result = invoke("check")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == (
        "3 findings (2 high, 1 medium) in 2 files (3 files checked)"
    )


def test_a_suppression_of_a_hidden_finding_is_still_used() -> None:
    write(
        "b.js",
        "async function f() {\n  // nodeleaklint-disable-next-line NLL601\n"
        "  await new Promise(() => {});\n}\n",
    )
    result = invoke("check", "--min-confidence", "high", "--report-unused-suppressions")
    assert result.exit_code == 0, result.output


# -- stdin -------------------------------------------------------------------------------


def test_stdin_with_filename_uses_its_config_and_path() -> None:
    write("nodeleaklint.toml", '[per-file-ignores]\n"legacy/**" = ["NLL102"]\n')
    data = LEAKY.encode()
    result = invoke("check", "--format", "json", "--stdin-filename", "src/x.js", stdin=data)
    assert [item["path"] for item in json_findings(result)] == [os.path.join("src", "x.js")]
    legacy = invoke("check", "--stdin-filename", "legacy/x.js", "-", stdin=data)
    assert legacy.exit_code == 0


def test_stdin_dash_without_filename() -> None:
    result = invoke("check", "--format", "json", "-", stdin=LEAKY.encode())
    assert [item["path"] for item in json_findings(result)] == ["-"]


def test_stdin_force_exclude_reports_nothing() -> None:
    args = ("check", "--format", "json", "--stdin-filename", "node_modules/x/i.js")
    assert len(json_findings(invoke(*args, stdin=LEAKY.encode()))) == 1
    excluded = invoke(*args, "--force-exclude", stdin=LEAKY.encode())
    assert excluded.exit_code == 0
    assert json_findings(excluded) == []


def test_stdin_with_other_paths_is_a_usage_error() -> None:
    result = invoke("check", "--stdin-filename", "a.js", "b.js", stdin=b"")
    assert result.exit_code == 2


# -- rules and rule ----------------------------------------------------------------------


def test_rules_lists_every_rule() -> None:
    text = invoke("rules")
    assert text.exit_code == 0
    assert "NLL102" in text.stdout and "raised-max-listeners" in text.stdout
    items = json.loads(invoke("rules", "--format", "json").stdout)
    ids = [item["id"] for item in items]
    assert ids == sorted(ids) and "NLL601" in ids
    assert set(items[0]) >= {"id", "name", "summary", "severity", "confidence"}


def test_rule_prints_docs_by_id_or_name() -> None:
    by_id = invoke("rule", "nll102")
    assert by_id.exit_code == 0
    assert by_id.stdout.startswith("# NLL102 raised-max-listeners\n")
    assert "## Why is this bad?" in by_id.stdout
    page = (ROOT / "rules" / "NLL102-raised-max-listeners" / "README.md").read_text("utf-8")
    assert by_id.stdout.startswith(page.split("\n", 1)[1].rstrip())  # the bundled page
    assert by_id.stdout.endswith(f"Online: {find_rule('NLL102').docs_url}\n")
    assert invoke("rule", "raised-max-listeners").stdout == by_id.stdout
    unknown = invoke("rule", "NLL999")
    assert unknown.exit_code == 2 and "NLL999" in unknown.stderr


# -- runner robustness -------------------------------------------------------------------


def test_a_failing_file_does_not_stop_the_run() -> None:
    write("a.js", CLEAN)
    write("b.js", CLEAN)
    checked: list[str] = []

    def check(
        path: str,
        data: bytes,
        config: Config,
        rules: Sequence[Rule],
        *,
        report_unused_suppressions: bool = False,
    ) -> FileReport:
        checked.append(path)
        if path == "a.js":
            raise RuntimeError("boom")
        return FileReport(path=path)

    result = runner.run(["."], check=check)
    assert checked == ["a.js", "b.js"]
    [note] = result.all_notifications
    assert note.kind is NotificationKind.INTERNAL_ERROR and note.path == "a.js"
    assert "boom" in note.message
    assert not result.successful
    assert exit_status(result, exit_zero=True) == 2


def test_non_regular_file_is_skipped_without_blocking() -> None:
    os.mkfifo("pipe.js")
    result = runner.run(["pipe.js"])
    [note] = result.notifications
    assert note.kind is NotificationKind.SKIPPED
    assert result.files == []


def test_exit_status_for_an_empty_run() -> None:
    assert exit_status(RunResult()) == 0


def test_output_dash_is_stdout_and_empty_tree_warns() -> None:
    write("a.js", LEAKY)
    assert json_findings(invoke("check", "--format", "json", "-o", "-"))[0]["rule"] == "NLL102"
    assert not Path("-").exists()
    Path("empty").mkdir()
    result = invoke("check", "empty")
    assert result.exit_code == 0
    assert "no JavaScript or TypeScript files found" in result.stderr


def test_worker_processes_give_the_same_results_in_order() -> None:
    for index in range(12):
        write(f"src/f{index:02}.js", LEAKY if index % 3 else NEVER)
    write("src/broken.js", "function (\n")
    serial = runner.run(["src"], jobs=1)
    parallel = runner.run(["src"], jobs=3)
    assert [report.path for report in parallel.files] == [report.path for report in serial.files]
    assert parallel.findings == serial.findings
    assert parallel.all_notifications == serial.all_notifications
    assert len(serial.findings) == 12
    result = invoke("check", "--jobs", "2", "--format", "json", "src")
    assert len(json_findings(result)) == 12


# -- other tools' files ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "broken"),
    [("package.json", '{"name": "app",\n'), ("pyproject.toml", "[tool.black\nline = 1\n")],
)
def test_a_broken_file_without_our_key_is_a_notice_and_discovery_goes_on(
    name: str, broken: str
) -> None:
    write("nodeleaklint.toml", 'ignore = ["NLL601"]\n')  # above the broken file: still found
    write(f"web/{name}", broken)
    write("web/src/a.js", LEAKY)
    write("web/src/b.js", NEVER)
    result = invoke("check", "--format", "concise")
    assert result.exit_code == 1, result.output  # the finding, not a configuration error
    lines = result.stdout.splitlines()
    assert lines[0].startswith(os.path.join("web", "src", "a.js") + ":2:1: NLL102")
    assert "NLL601" not in result.stdout  # the configuration above applied
    assert lines[1].startswith(os.path.join("web", name) + ":1:1: NLL-SKIPPED [skipped] ")
    assert "no nodeleaklint settings" in lines[1]


@pytest.mark.parametrize(
    ("name", "broken"),
    [
        ("package.json", '{"nodeleaklint": {"select": ["NLL1"]\n'),
        ("pyproject.toml", "[tool.nodeleaklint\nselect = 1\n"),
    ],
)
def test_a_broken_file_with_our_key_is_an_error(name: str, broken: str) -> None:
    write(name, broken)
    write("src/a.js", LEAKY)
    result = invoke("check")
    assert result.exit_code == 2
    assert name in result.stderr
