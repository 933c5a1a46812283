"""Hand-built rules, findings and runs for the reporter tests."""

from __future__ import annotations

from nodeleaklint.findings import (
    Confidence,
    FileReport,
    Finding,
    Notification,
    NotificationKind,
    RelatedLocation,
    RunResult,
    Severity,
    Span,
)
from nodeleaklint.rules.base import Rule, RuleContext, RuleMeta


def _no_findings(context: RuleContext) -> list[Finding]:
    return []


def make_rule(
    rule_id: str,
    name: str,
    severity: Severity,
    confidence: Confidence = Confidence.HIGH,
    what: str = "Finds a leak.",
) -> Rule:
    doc = (
        f"Finds `{name}`.\n\n## What it does\n\n{what}\n\n## Why is this bad?\n\n"
        "V8 keeps it reachable.\n\n## Example\n\n```js\nbad();\n```\n\n"
        "## Use instead\n\n```js\ngood();\n```\n"
    )
    meta = RuleMeta(
        id=rule_id,
        name=name,
        summary=f"Summary of {name}.",
        fix=f"Fix {name}.",
        severity=severity,
        confidence=confidence,
    )
    return Rule(meta=meta, doc=doc, check=_no_findings)


RULES = [
    make_rule(
        "NLL101",
        "unremoved-listener",
        Severity.WARNING,
        what="Flags a listener added per call to a long-lived emitter.",
    ),
    make_rule("NLL201", "uncleared-interval", Severity.ERROR),
    make_rule("NLL301", "unbounded-collection", Severity.NOTE, Confidence.MEDIUM),
]

LISTENER = Finding(
    rule="NLL101",
    name="unremoved-listener",
    severity=Severity.WARNING,
    confidence=Confidence.HIGH,
    path="src/app.js",
    span=Span(3, 3, 3, 39),
    message="`bus.on('tick', …)` adds a listener to module-level `bus` on every request.",
    help="Remove the listener when the response finishes.",
    related=(RelatedLocation(Span(1, 7, 1, 10), "`bus` is declared here"),),
    fingerprint="fp-listener",
    line_text="  bus.on('tick', () => res.write('.'));",
)

# `setInterval` starts at code point 16, UTF-16 unit 17 (the emoji takes two units).
UNICODE_LINE = 'const s = "é😀"; setInterval(() => poll(s), 1000);'
INTERVAL = Finding(
    rule="NLL201",
    name="uncleared-interval",
    severity=Severity.ERROR,
    confidence=Confidence.HIGH,
    path="src/my dir/ünï.js",
    span=Span(2, 18, 2, 50),
    message="`setInterval(…)` is never cleared.",
    help="Keep the handle and call `clearInterval` on shutdown.",
    fingerprint="fp-interval",
    line_text=UNICODE_LINE,
)

COLLECTION = Finding(
    rule="NLL301",
    name="unbounded-collection",
    severity=Severity.NOTE,
    confidence=Confidence.MEDIUM,
    path="src/cache.ts",
    span=Span(2, 7, 4, 2),
    message="`cache` grows on every call and is never shrunk.",
    help="Bound it or use an LRU cache.",
    related=(
        RelatedLocation(Span(8, 3, 8, 20), "grown here"),
        RelatedLocation(Span(12, 3, 12, 20), "and here"),
    ),
    fingerprint="fp-collection",
    line_text="const cache = new Map([",
)

PARSE_ERROR = Notification(
    NotificationKind.PARSE_ERROR, "syntax error; the file was partially parsed", "src/broken.js", 4
)
UNREADABLE = Notification(
    NotificationKind.UNREADABLE, "permission denied", "src/locked.js", level=Severity.ERROR
)
SKIPPED = Notification(
    NotificationKind.SKIPPED, "larger than 1 MiB", "dist/huge.min.js", level=Severity.NOTE
)


def sample_run() -> RunResult:
    """Three findings in three files, three notified files and one clean file."""
    return RunResult(
        files=[
            FileReport("src/my dir/ünï.js", [INTERVAL]),
            FileReport("src/app.js", [LISTENER]),
            FileReport("src/cache.ts", [COLLECTION]),
            FileReport("src/broken.js", notifications=[PARSE_ERROR]),
            FileReport("src/locked.js", notifications=[UNREADABLE]),
            FileReport("dist/huge.min.js", notifications=[SKIPPED]),
            FileReport("src/clean.js"),
        ]
    )


def single_run(finding: Finding) -> RunResult:
    return RunResult(files=[FileReport(finding.path, [finding])])
