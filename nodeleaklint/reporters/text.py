"""The human format: each finding with its source line, then notifications and a summary.

Shape (columns are 1-based UTF-16 code units, like every other format)::

    src/app.js:3:5: NLL101 [unremoved-listener] `bus.on(…)` adds … (medium confidence)
     3 |     bus.on('tick', () => res.write('.'));
       |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
       = help: Remove the listener when the request ends.
       = note: src/app.js:1:7: `bus` is declared here

    src/broken.js:1: parse-error: could not parse …

    1 finding in 1 file (2 files checked)
"""

from __future__ import annotations

from collections.abc import Sequence

from nodeleaklint.findings import Confidence, Finding, Notification, RunResult
from nodeleaklint.reporters.common import one_line, plural, sorted_notifications
from nodeleaklint.reporters.snippet import underline
from nodeleaklint.rules.base import Rule


def header(finding: Finding) -> str:
    span = finding.span
    line = (
        f"{one_line(finding.path)}:{span.line}:{span.column}: "
        f"{finding.rule} [{finding.name}] {one_line(finding.message)}"
    )
    if finding.confidence is Confidence.MEDIUM:
        line += " (medium confidence)"
    return line


def _block(finding: Finding) -> list[str]:
    span = finding.span
    lines = [header(finding)]
    number = str(span.line)
    gutter = " " * (len(number) + 1)
    if finding.line_text:
        end = span.end_column if span.end_line == span.line else None
        snippet = underline(finding.line_text, span.column, end)
        lines.append(f" {number} | {snippet.line}".rstrip())
        lines.append(f"{gutter} | {snippet.underline}")
    if finding.fix:
        lines.append(f"{gutter} = help: {one_line(finding.fix)}")
    for related in finding.related:
        where = f"{one_line(finding.path)}:{related.span.line}:{related.span.column}"
        lines.append(f"{gutter} = note: {where}: {one_line(related.message)}")
    return lines


def notification_line(notification: Notification) -> str:
    where = one_line(notification.path or "nodeleaklint")
    if notification.path is not None and notification.line is not None:
        where += f":{notification.line}"
    return f"{where}: {notification.kind.value}: {one_line(notification.message)}"


def summary(result: RunResult) -> str:
    findings = result.findings
    files = len({finding.path for finding in findings})
    return (
        f"{plural(len(findings), 'finding')} in {plural(files, 'file')} "
        f"({plural(result.files_checked, 'file')} checked)"
    )


def render(result: RunResult, rules: Sequence[Rule]) -> str:
    lines: list[str] = []
    for finding in result.findings:
        lines.extend(_block(finding))
        lines.append("")
    notifications = sorted_notifications(result)
    lines.extend(notification_line(n) for n in notifications)
    if notifications:
        lines.append("")
    lines.append(summary(result))
    return "\n".join(lines) + "\n"
