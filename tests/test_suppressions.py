from __future__ import annotations

from nodeleaklint.findings import Confidence, Finding, NotificationKind, Severity, Span
from nodeleaklint.suppressions import Scope, Suppressions, comment_body, parse_comment


def finding(line: int, rule: str = "NLL102", end_line: int | None = None) -> Finding:
    return Finding(
        rule=rule,
        name="raised-max-listeners" if rule == "NLL102" else "never-settling-promise",
        severity=Severity.WARNING,
        confidence=Confidence.HIGH,
        path="a.js",
        span=Span(line, 1, end_line or line, 10),
        message="m",
    )


def kept_lines(suppressions: Suppressions, findings: list[Finding]) -> list[tuple[int, str]]:
    kept, _ = suppressions.apply(findings)
    return [(f.span.line, f.rule) for f in kept]


def test_comment_body_strips_markers() -> None:
    assert comment_body("// nodeleaklint-disable-line") == "nodeleaklint-disable-line"
    assert comment_body("/* nodeleaklint-disable */") == "nodeleaklint-disable"
    assert comment_body("/**\n * nodeleaklint-disable NLL1\n */") == "nodeleaklint-disable NLL1"


def test_parse_comment_reads_scope_selectors_and_reason() -> None:
    parsed = parse_comment("// nodeleaklint-disable-next-line NLL101, NLL201 NLL3 -- per-process")
    assert not isinstance(parsed, str) and parsed is not None
    assert parsed.scope is Scope.NEXT_LINE
    assert parsed.selectors == ("NLL101", "NLL201", "NLL3")
    assert parsed.reason == "per-process"


def test_directive_must_start_the_comment() -> None:
    assert parse_comment("// see nodeleaklint-disable-line NLL102 in the docs") is None
    assert parse_comment("// nodeleaklint-disabled NLL102") is not None  # a typo is reported
    assert isinstance(parse_comment("// nodeleaklint-disable-nextline NLL102"), str)


def test_next_line_covers_only_the_following_line() -> None:
    s = Suppressions.from_comments([(2, 2, "// nodeleaklint-disable-next-line NLL102")])
    findings = [finding(1), finding(3), finding(4)]
    kept, count = s.apply(findings)
    assert [f.span.line for f in kept] == [1, 4]
    assert count == 1


def test_selector_by_name_prefix_and_other_rule() -> None:
    s = Suppressions.from_comments(
        [
            (1, 1, "// nodeleaklint-disable-next-line raised-max-listeners"),
            (3, 3, "// nodeleaklint-disable-next-line NLL1"),
            (5, 5, "// nodeleaklint-disable-next-line NLL601"),
        ]
    )
    findings = [finding(2), finding(4), finding(6)]
    assert kept_lines(s, findings) == [(6, "NLL102")]


def test_disable_line_trailing_comment_covers_start_or_end_line() -> None:
    s = Suppressions.from_comments(
        [
            (1, 1, "// nodeleaklint-disable-line NLL102"),
            (7, 7, "// nodeleaklint-disable-line"),
        ]
    )
    findings = [finding(1), finding(2), finding(5, end_line=7), finding(8)]
    assert kept_lines(s, findings) == [(2, "NLL102"), (8, "NLL102")]


def test_idless_directive_suppresses_every_rule() -> None:
    s = Suppressions.from_comments([(4, 4, "/* nodeleaklint-disable-next-line */")])
    assert kept_lines(s, [finding(5, "NLL102"), finding(5, "NLL601")]) == []


def test_stacked_next_line_comments_reach_the_code_line() -> None:
    s = Suppressions.from_comments(
        [
            (1, 1, "// nodeleaklint-disable-next-line NLL102"),
            (2, 2, "// nodeleaklint-disable-next-line NLL601"),
        ]
    )
    assert kept_lines(s, [finding(3, "NLL102"), finding(3, "NLL601")]) == []


def test_file_level_directive_before_code_covers_the_file() -> None:
    s = Suppressions.from_comments(
        [(1, 3, "/*\n * nodeleaklint-disable NLL102 -- generated\n */")], first_code_line=4
    )
    assert kept_lines(s, [finding(10), finding(900), finding(11, "NLL601")]) == [(11, "NLL601")]
    assert s.warnings("a.js") == []


def test_file_level_directive_after_code_is_ignored_with_a_warning() -> None:
    s = Suppressions.from_comments(
        [(10, 10, "/* nodeleaklint-disable NLL102 */")], first_code_line=1
    )
    assert kept_lines(s, [finding(12)]) == [(12, "NLL102")]
    [warning] = s.warnings("a.js")
    assert warning.line == 10 and "before the first line of code" in warning.message


def test_unknown_rule_warns_and_known_ones_still_apply() -> None:
    s = Suppressions.from_comments([(1, 1, "// nodeleaklint-disable-next-line NLL999, NLL102")])
    assert kept_lines(s, [finding(2)]) == []
    [warning] = s.warnings("a.js")
    assert "NLL999" in warning.message
    assert warning.path == "a.js" and warning.line == 1
    assert warning.level is Severity.WARNING


def test_only_unknown_rules_suppress_nothing() -> None:
    s = Suppressions.from_comments([(1, 1, "// nodeleaklint-disable-next-line NLL999")])
    assert kept_lines(s, [finding(2)]) == [(2, "NLL102")]
    assert len(s.warnings("a.js")) == 1


def test_unused_reports_each_unused_selector() -> None:
    s = Suppressions.from_comments(
        [
            (1, 1, "// nodeleaklint-disable-next-line NLL102, NLL601"),
            (5, 5, "// nodeleaklint-disable-line"),
            (8, 8, "// nodeleaklint-disable-line NLL601"),
        ]
    )
    s.apply([finding(2), finding(8, "NLL601")])
    unused = s.unused("a.js")
    assert [(n.line, n.kind) for n in unused] == [
        (1, NotificationKind.UNUSED_SUPPRESSION),
        (5, NotificationKind.UNUSED_SUPPRESSION),
    ]
    assert "NLL601" in unused[0].message and "NLL102" not in unused[0].message


def test_unused_skips_rules_that_did_not_run() -> None:
    s = Suppressions.from_comments([(1, 1, "// nodeleaklint-disable-next-line NLL601")])
    s.apply([])
    assert s.unused("a.js", enabled={"NLL102"}) == []
    assert len(s.unused("a.js", enabled={"NLL601"})) == 1


def test_notifications_include_unused_only_on_request() -> None:
    s = Suppressions.from_comments(
        [(1, 1, "// nodeleaklint-disable-line NLL102"), (2, 2, "// nodeleaklint-disable-line X1")]
    )
    s.apply([])
    assert len(s.notifications("a.js", report_unused=False)) == 1
    assert len(s.notifications("a.js", report_unused=True)) == 2


def test_plain_comments_are_not_directives() -> None:
    s = Suppressions.from_comments([(1, 1, "// just a comment"), (2, 2, "/* NLL102 */")])
    assert s.directives == []
    assert kept_lines(s, [finding(2), finding(3)]) == [(2, "NLL102"), (3, "NLL102")]


def test_multiline_jsdoc_block_lists_rules_on_several_lines() -> None:
    parsed = parse_comment("/**\n * nodeleaklint-disable NLL102,\n * NLL601\n */")
    assert not isinstance(parsed, str) and parsed is not None
    assert parsed.selectors == ("NLL102", "NLL601")
