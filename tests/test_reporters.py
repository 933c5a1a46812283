"""The text, concise, json and github formats, and format dispatch."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest
from report_samples import (
    COLLECTION,
    INTERVAL,
    LISTENER,
    RULES,
    UNICODE_LINE,
    sample_run,
    single_run,
)

from nodeleaklint.findings import (
    FileReport,
    Notification,
    NotificationKind,
    RunResult,
    Severity,
    Span,
)
from nodeleaklint.reporters import FORMATS, concise, render
from nodeleaklint.reporters.github import escape_data, escape_property
from nodeleaklint.reporters.snippet import underline

EXPECTED_TEXT = """\
src/app.js:3:3: NLL101 [unremoved-listener] `bus.on('tick', …)` adds a listener to module-level `bus` on every request.
 3 |   bus.on('tick', () => res.write('.'));
   |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   = help: Remove the listener when the response finishes.
   = note: src/app.js:1:7: `bus` is declared here

src/cache.ts:2:7: NLL301 [unbounded-collection] [medium] `cache` grows on every call and is never shrunk.
 2 | const cache = new Map([
   |       ^^^^^^^^^^^^^^^^^
   = help: Bound it or use an LRU cache.
   = note: src/cache.ts:8:3: grown here
   = note: src/cache.ts:12:3: and here

src/my dir/ünï.js:2:18: NLL201 [uncleared-interval] `setInterval(…)` is never cleared.
 2 | const s = "é😀"; setInterval(() => poll(s), 1000);
   |                  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   = help: Keep the handle and call `clearInterval` on shutdown.

dist/huge.min.js: skipped: larger than 1 MiB
src/broken.js:4: parse-error: syntax error; the file was partially parsed
src/locked.js: unreadable: permission denied

3 findings (2 high, 1 medium) in 3 files (7 files checked)
"""  # noqa: E501

EXPECTED_CONCISE = """\
src/app.js:3:3: NLL101 [unremoved-listener] `bus.on('tick', …)` adds a listener to module-level `bus` on every request.
src/cache.ts:2:7: NLL301 [unbounded-collection] [medium] `cache` grows on every call and is never shrunk.
src/my dir/ünï.js:2:18: NLL201 [uncleared-interval] `setInterval(…)` is never cleared.
dist/huge.min.js:1:1: NLL-SKIPPED [skipped] larger than 1 MiB
src/broken.js:4:1: NLL-PARSE [parse-error] syntax error; the file was partially parsed
src/locked.js:1:1: NLL-UNREADABLE [unreadable] permission denied
"""  # noqa: E501

EXPECTED_GITHUB = """\
::error file=src/app.js,line=3,col=3,endLine=3,endColumn=39,title=NLL101 unremoved-listener::`bus.on('tick', …)` adds a listener to module-level `bus` on every request.%0Ahelp: Remove the listener when the response finishes.
::notice file=src/cache.ts,line=2,endLine=4,title=NLL301 unbounded-collection [medium]::`cache` grows on every call and is never shrunk.%0Ahelp: Bound it or use an LRU cache.
::error file=src/my dir/ünï.js,line=2,col=18,endLine=2,endColumn=50,title=NLL201 uncleared-interval::`setInterval(…)` is never cleared.%0Ahelp: Keep the handle and call `clearInterval` on shutdown.
::notice file=dist/huge.min.js,title=nodeleaklint skipped::larger than 1 MiB
::warning file=src/broken.js,line=4,title=nodeleaklint parse-error::syntax error; the file was partially parsed
::error file=src/locked.js,title=nodeleaklint unreadable::permission denied
"""  # noqa: E501


def test_formats_listed_and_dispatched() -> None:
    assert FORMATS == ("text", "concise", "json", "github", "sarif")
    for fmt in FORMATS:
        output = render(fmt, sample_run(), RULES)
        assert output.endswith("\n")
        output.encode("utf-8")


def test_unknown_format_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        render("xml", sample_run(), RULES)


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_is_byte_stable(fmt: str) -> None:
    shuffled = sample_run()
    shuffled.files.reverse()
    assert render(fmt, sample_run(), RULES) == render(fmt, shuffled, RULES)


# text


def test_text_output() -> None:
    assert render("text", sample_run(), RULES) == EXPECTED_TEXT


def test_text_summary_singular() -> None:
    output = render("text", single_run(LISTENER), RULES)
    assert output.splitlines()[-1] == "1 finding (1 high) in 1 file (1 file checked)"


def test_text_summary_without_findings() -> None:
    result = RunResult(files=[FileReport("a.js"), FileReport("b.js")])
    assert render("text", result, RULES) == "0 findings in 0 files (2 files checked)\n"


def test_text_summary_counts_files_with_findings() -> None:
    second = dataclasses.replace(LISTENER, span=Span(9, 1, 9, 5))
    result = RunResult(files=[FileReport("src/app.js", [LISTENER, second]), FileReport("b.js")])
    assert render("text", result, RULES).endswith(
        "2 findings (2 high) in 1 file (2 files checked)\n"
    )


def test_text_without_line_text_or_fix() -> None:
    bare = dataclasses.replace(LISTENER, line_text="", help="", related=())
    output = render("text", single_run(bare), RULES)
    assert output == (
        "src/app.js:3:3: NLL101 [unremoved-listener] " + LISTENER.message + "\n"
        "\n"
        "1 finding (1 high) in 1 file (1 file checked)\n"
    )


def test_text_run_level_notification() -> None:
    result = RunResult(
        files=[FileReport("a.js")],
        notifications=[Notification(NotificationKind.CONFIG_ERROR, "bad key `x`")],
    )
    assert render("text", result, RULES) == (
        "nodeleaklint: config-error: bad key `x`\n\n0 findings in 0 files (1 file checked)\n"
    )


def test_text_gutter_widens_with_line_number() -> None:
    far = dataclasses.replace(LISTENER, span=Span(1234, 3, 1234, 6), related=(), help="")
    lines = render("text", single_run(far), RULES).splitlines()
    assert lines[1] == " 1234 |   bus.on('tick', () => res.write('.'));"
    assert lines[2] == "      |   ^^^"


# snippet / underline


def test_underline_counts_utf16_units_and_wide_cells() -> None:
    snippet = underline(UNICODE_LINE, 18, 29)
    assert snippet.line == UNICODE_LINE
    # 16 code points before `setInterval`, one of them an emoji two cells wide.
    assert snippet.underline == " " * 17 + "^" * len("setInterval")


def test_underline_inside_astral_text() -> None:
    # "😀x": the emoji is UTF-16 columns 1-2, `x` is column 3.
    assert underline("😀x", 3, 4).underline == "  ^"
    assert underline("😀x", 1, 3).underline == "^^"


def test_underline_expands_tabs() -> None:
    snippet = underline("\tfoo(x)", 2, 5)
    assert snippet.line == "    foo(x)"
    assert snippet.underline == "    ^^^"


def test_underline_multiline_span_runs_to_end_of_line() -> None:
    assert underline("  run([", 3, None).underline == "  ^^^^^"


def test_underline_empty_span_gets_one_caret() -> None:
    assert underline("abc", 4, 4).underline == "   ^"
    assert underline("", 1, 1).underline == "^"


def test_underline_makes_controls_visible() -> None:
    snippet = underline("a\x1b[31mb", 1, 2)
    assert "\x1b" not in snippet.line
    assert snippet.line == "a\ufffd[31mb"


def test_underline_windows_long_lines() -> None:
    line = "x" * 500 + "target()" + "y" * 500
    snippet = underline(line, 501, 509)
    assert snippet.line.startswith("…") and snippet.line.endswith("…")
    assert len(snippet.line) <= 162
    start = snippet.underline.index("^")
    assert snippet.line[start : start + 8] == "target()"
    assert snippet.underline.endswith("^" * 8)


@pytest.mark.parametrize(
    "value",
    [
        [],
        {},
        [{}, []],
        {"a": [1, -2, 1.5, None, True, False], "b": {"c": 'é😀\u2028"\\\x01'}, "d": []},
        [{"x": {"y": {"z": [0]}}}],
    ],
)
def test_json_pretty_printer_writes_what_json_dumps_writes(value: object) -> None:
    from nodeleaklint.reporters import json_format

    out: list[str] = []
    json_format._pretty(value, "", out)
    assert "".join(out) == json.dumps(value, indent=2, ensure_ascii=False)


def test_json_output_is_json_dumps_with_indent_two() -> None:
    text = render("json", sample_run(), RULES)
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"


# concise


def test_concise_output() -> None:
    assert render("concise", sample_run(), RULES) == EXPECTED_CONCISE


def test_concise_lines_match_documented_problem_matcher() -> None:
    doc = concise.__doc__ or ""
    matcher = json.loads(doc[doc.index("{") : doc.rindex("}") + 1])
    regexp = re.compile(matcher["pattern"]["regexp"])
    assert regexp.pattern == concise.PATTERN.pattern
    groups = matcher["pattern"]
    for line in EXPECTED_CONCISE.splitlines():
        match = regexp.match(line)
        assert match, line
    first = regexp.match(EXPECTED_CONCISE.splitlines()[2])
    assert first is not None
    assert first.group(groups["file"]) == "src/my dir/ünï.js"
    assert first.group(groups["line"]) == "2"
    assert first.group(groups["column"]) == "18"
    assert first.group(groups["code"]) == "NLL201"
    assert first.group(groups["message"]) == INTERVAL.message


def test_concise_keeps_messages_on_one_line() -> None:
    odd = dataclasses.replace(LISTENER, message="first\nsecond\r\nthird\tend")
    assert render("concise", single_run(odd), RULES) == (
        "src/app.js:3:3: NLL101 [unremoved-listener] first second third end\n"
    )


def test_concise_run_level_notification() -> None:
    result = RunResult(notifications=[Notification(NotificationKind.CONFIG_ERROR, "bad")])
    assert render("concise", result, RULES) == "nodeleaklint: NLL-CONFIG [config-error] bad\n"


def test_concise_empty() -> None:
    assert render("concise", RunResult(files=[FileReport("a.js")]), RULES) == ""


# json


def test_json_output() -> None:
    output = render("json", sample_run(), RULES)
    assert output.endswith("}\n]\n")
    assert '"path": "src/my dir/ünï.js"' in output  # ensure_ascii=False
    assert output.startswith('[\n  {\n    "rule": "NLL101",\n')  # indent 2
    items = json.loads(output)
    assert [item["rule"] for item in items] == ["NLL101", "NLL301", "NLL201"]
    assert items[0] == {
        "rule": "NLL101",
        "name": "unremoved-listener",
        "severity": "warning",
        "confidence": "high",
        "path": "src/app.js",
        "line": 3,
        "column": 3,
        "end_line": 3,
        "end_column": 39,
        "message": LISTENER.message,
        "fix": LISTENER.help,
        "related": [
            {
                "line": 1,
                "column": 7,
                "end_line": 1,
                "end_column": 10,
                "message": "`bus` is declared here",
            }
        ],
        "fingerprint": "fp-listener",
        "url": RULES[0].docs_url,
        "notes": [],
        "edit": None,
    }
    assert items[1]["confidence"] == "medium"
    assert items[1]["severity"] == "note"
    assert (items[1]["end_line"], items[1]["end_column"]) == (4, 2)
    assert (items[2]["column"], items[2]["end_column"]) == (18, 50)
    assert items[2]["related"] == []


def test_json_empty_is_an_empty_array() -> None:
    assert render("json", RunResult(), RULES) == "[]\n"


def test_json_unknown_rule_has_null_url() -> None:
    items = json.loads(render("json", single_run(COLLECTION), RULES[:1]))
    assert items[0]["url"] is None


# github


def test_github_output() -> None:
    assert render("github", sample_run(), RULES) == EXPECTED_GITHUB


def test_github_escaping() -> None:
    assert escape_data("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext: a,b"
    assert escape_property("a:b,c%d\ne") == "a%3Ab%2Cc%25d%0Ae"


def test_github_escapes_properties_and_message() -> None:
    odd = dataclasses.replace(
        LISTENER,
        path="src/a,b:c%.js",
        message="50% of\ncalls: leak, maybe",
        help="",
        severity=Severity.NOTE,
    )
    assert render("github", single_run(odd), RULES) == (
        "::notice file=src/a%2Cb%3Ac%25.js,line=3,col=3,endLine=3,endColumn=39,"
        "title=NLL101 unremoved-listener::50%25 of%0Acalls: leak, maybe\n"
    )


def test_github_run_level_notification() -> None:
    result = RunResult(
        notifications=[Notification(NotificationKind.INTERNAL_ERROR, "boom", level=Severity.ERROR)]
    )
    assert render("github", result, RULES) == "::error title=nodeleaklint internal-error::boom\n"


# file names that are not valid UTF-8


@pytest.mark.parametrize("fmt", FORMATS)
def test_undecodable_file_names_still_render(fmt: str) -> None:
    path = "src/caf\udce9.js"  # os.fsdecode(b"src/caf\xe9.js")
    odd = dataclasses.replace(LISTENER, path=path)
    output = render(fmt, single_run(odd), RULES)
    output.encode("utf-8")
    if fmt == "sarif":
        assert "src/caf%E9.js" in output
    else:
        assert "src/caf\ufffd.js" in output
