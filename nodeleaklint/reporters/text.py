"""The human format: each finding with its source line, then notifications and a summary.

Shape (columns are 1-based UTF-16 code units, like every other format)::

    src/app.js:3:5: NLL101 [unremoved-listener] [medium] `bus.on(…)` adds …
     3 |     bus.on('tick', () => res.write('.'));
       |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
       = note: The emitter keeps the handler and `res` alive, one more per request.
       = help: Remove the listener when the request ends.
       = note: src/app.js:1:7: `bus` is declared here
       = fix (unsafe): Remove the statement

    src/broken.js:1: parse-error: could not parse …

    1 finding (1 medium) in 1 file (2 files checked)

The first line is the finding's headline; the rest of its explanation follows as
``= note:`` lines, the rule's advice as ``= help:`` (``rules.base.explain``), then its
related locations, and a rewrite ``--fix --unsafe-fixes`` would apply as ``= fix (unsafe):``.
A medium-confidence finding has ``[medium]`` after the rule name; a high-confidence one
has no marker. The summary splits the findings by confidence and says how many were
hidden by ``min-confidence``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from nodeleaklint.findings import Confidence, Finding, Notification, RunResult
from nodeleaklint.reporters.common import (
    confidence_marker,
    one_line,
    plural,
    sorted_notifications,
)
from nodeleaklint.reporters.snippet import underline
from nodeleaklint.rules.base import Explanation, Rule, explain
from nodeleaklint.terminal import PLAIN, Palette


def _paint(finding: Finding, palette: Palette) -> Callable[[str], str]:
    return palette.error if finding.confidence is Confidence.HIGH else palette.warning


def header(
    finding: Finding, palette: Palette = PLAIN, explanation: Explanation | None = None
) -> str:
    span = finding.span
    paint = _paint(finding, palette)
    marker = confidence_marker(finding)
    headline = (explanation or explain(finding)).headline
    return (
        f"{palette.path(f'{one_line(finding.path)}:{span.line}:{span.column}:')} "
        f"{paint(finding.rule)} [{finding.name}] {paint(marker.strip())}{' ' if marker else ''}"
        f"{one_line(headline)}"
    )


def _block(finding: Finding, palette: Palette) -> list[str]:
    span = finding.span
    explanation = explain(finding)
    lines = [header(finding, palette, explanation)]
    number = str(span.line)
    gutter = " " * (len(number) + 1)
    bar = palette.dim("|")
    if finding.line_text:
        end = span.end_column if span.end_line == span.line else None
        snippet = underline(finding.line_text, span.column, end)
        lines.append(f" {palette.dim(number)} {bar} {snippet.line}".rstrip())
        lines.append(f"{gutter} {bar} {_paint(finding, palette)(snippet.underline)}")
    for note in explanation.notes:
        lines.append(f"{gutter} = {palette.dim('note:')} {one_line(note)}")
    if explanation.help:
        lines.append(f"{gutter} = {palette.help('help:')} {one_line(explanation.help)}")
    for related in finding.related:
        shown = related.path if related.path is not None else finding.path
        where = f"{one_line(shown)}:{related.span.line}:{related.span.column}"
        lines.append(f"{gutter} = {palette.dim('note:')} {where}: {one_line(related.message)}")
    if finding.fix is not None:
        label = f"fix ({finding.fix.applicability.value}):"
        lines.append(f"{gutter} = {palette.help(label)} {one_line(finding.fix.title)}")
    return lines


def notification_line(notification: Notification) -> str:
    where = one_line(notification.path or "nodeleaklint")
    if notification.path is not None and notification.line is not None:
        where += f":{notification.line}"
    return f"{where}: {notification.kind.value}: {one_line(notification.message)}"


def summary(result: RunResult) -> str:
    """``5 findings (3 high, 2 medium) in 4 files (9 files checked)``, plus how many
    findings ``min-confidence`` hid."""
    findings = result.findings
    files = len({finding.path for finding in findings})
    counts = [
        f"{count} {level.value}"
        for level in Confidence
        if (count := sum(1 for finding in findings if finding.confidence is level))
    ]
    split = f" ({', '.join(counts)})" if counts else ""
    checked = f"{plural(result.files_checked, 'file')} checked"
    if result.hidden:
        checked += f", {plural(result.hidden, 'medium finding')} hidden by min-confidence"
    return f"{plural(len(findings), 'finding')}{split} in {plural(files, 'file')} ({checked})"


def render(
    result: RunResult, rules: Sequence[Rule], *, quiet: bool = False, palette: Palette = PLAIN
) -> str:
    """The report; ``quiet`` keeps the findings only (no notifications, no summary)."""
    lines: list[str] = []
    for finding in result.findings:
        lines.extend(_block(finding, palette))
        lines.append("")
    if quiet:
        return "\n".join(lines[:-1]) + "\n" if lines else ""
    notifications = sorted_notifications(result)
    lines.extend(notification_line(n) for n in notifications)
    if notifications:
        lines.append("")
    lines.append(palette.summary(summary(result)))
    return "\n".join(lines) + "\n"
