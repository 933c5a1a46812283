"""Checking one file: notifications, suppressions wiring, fingerprints, positions."""

from __future__ import annotations

from collections.abc import Iterator

from nodeleaklint.config import Config
from nodeleaklint.engine import check_source
from nodeleaklint.findings import Finding, NotificationKind
from nodeleaklint.rules import find_rule
from nodeleaklint.rules.base import Rule, RuleContext

NLL102 = find_rule("NLL102")
LEAK = "bus.setMaxListeners(0);\napp.get(r, () => bus.on(e, f));\n"


def kinds(report_notifications: list) -> list[NotificationKind]:  # type: ignore[type-arg]
    return [n.kind for n in report_notifications]


def test_a_finding_carries_line_text_fingerprint_and_utf16_columns() -> None:
    code = 'const s = "é😀"; bus.setMaxListeners(0);\napp.get(r, () => bus.on(e, f));\n'
    report = check_source("a.js", code.encode(), Config(), [NLL102])
    (finding,) = report.findings
    assert finding.line_text == code.splitlines()[0]
    assert (finding.span.line, finding.span.column) == (1, 18)  # UTF-16: é=1, 😀=2
    assert len(finding.fingerprint) == 32


def test_fingerprint_survives_lines_inserted_above() -> None:
    first = check_source("a.js", LEAK.encode(), Config(), [NLL102]).findings[0]
    moved = check_source("a.js", ("\n// note\n" + LEAK).encode(), Config(), [NLL102]).findings[0]
    assert moved.span.line == 3 and first.fingerprint == moved.fingerprint


def test_bom_does_not_shift_columns() -> None:
    report = check_source("a.js", b"\xef\xbb\xbf" + LEAK.encode(), Config(), [NLL102])
    assert report.findings[0].span.column == 1
    assert not report.notifications


def test_syntax_error_is_reported_and_the_rest_still_linted() -> None:
    code = "function f() {\n  return );\n}\n" + LEAK
    report = check_source("a.js", code.encode(), Config(), [NLL102])
    (note,) = report.notifications
    assert note.kind is NotificationKind.PARSE_ERROR and note.line == 2
    assert [f.span.line for f in report.findings] == [4]


def test_file_level_disable_counts_only_before_the_first_statement() -> None:
    header = "#!/usr/bin/env node\n/* nodeleaklint-disable NLL102 */\n" + LEAK
    assert check_source("a.js", header.encode(), Config(), [NLL102]).findings == []
    late = LEAK + "/* nodeleaklint-disable NLL102 */\n" + LEAK
    report = check_source("a.js", late.encode(), Config(), [NLL102])
    assert len(report.findings) == 2
    assert report.notifications, "a misplaced file-level directive is warned about"


def test_unknown_rule_in_a_suppression_comment_is_a_warning_not_a_crash() -> None:
    code = "// nodeleaklint-disable-next-line NLL999\n" + LEAK
    report = check_source("a.js", code.encode(), Config(), [NLL102])
    assert len(report.findings) == 1
    assert any("NLL999" in n.message for n in report.notifications)


def test_unused_suppressions_of_rules_that_did_not_run_are_not_reported() -> None:
    code = "// nodeleaklint-disable-next-line NLL601\nconst x = 1;\n"
    report = check_source(
        "a.js", code.encode(), Config(), [NLL102], report_unused_suppressions=True
    )
    assert report.notifications == []
    ran = check_source(
        "a.js",
        code.encode(),
        Config(),
        [NLL102, find_rule("NLL601")],
        report_unused_suppressions=True,
    )
    assert kinds(ran.notifications) == [NotificationKind.UNUSED_SUPPRESSION]


def _explode(ctx: RuleContext) -> Iterator[Finding]:
    raise RuntimeError("boom")
    yield  # pragma: no cover


def test_a_crashing_rule_becomes_an_internal_error_and_other_rules_still_run() -> None:
    broken = Rule(meta=NLL102.meta, doc="", check=_explode)
    report = check_source("a.js", LEAK.encode(), Config(), [broken, NLL102])
    assert len(report.findings) == 1
    (note,) = report.notifications
    assert note.kind is NotificationKind.INTERNAL_ERROR
    assert "NLL102" in note.message and note.path == "a.js" and "boom" in note.message


def test_unsupported_extension_is_skipped_with_a_notice() -> None:
    report = check_source("notes.txt", LEAK.encode(), Config(), [NLL102])
    assert report.findings == [] and kinds(report.notifications) == [NotificationKind.SKIPPED]


def test_rule_options_from_config_reach_the_rule() -> None:
    code = "bus.setMaxListeners(40);\n"
    assert check_source("a.js", code.encode(), Config(), [NLL102]).findings == []
    strict = Config(rule_options={"NLL102": {"threshold": 30}})
    assert len(check_source("a.js", code.encode(), strict, [NLL102]).findings) == 1
