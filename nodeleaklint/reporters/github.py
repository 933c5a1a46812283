"""GitHub Actions workflow commands: one annotation per finding and per notification.

Shape::

    ::error file=a.js,line=3,col=5,endLine=3,endColumn=41,title=NLL101 unremoved-listener::msg

where ``msg`` is the finding's headline (``rules.base.explain``), then ``%0Ahelp: <fix>``.
A finding's command is its confidence's level (``Finding.level``): high is ``::error``,
medium ``::warning`` (with
`` [medium]`` in the title), a rule declared at note severity ``::notice``.
Notifications map ``error`` to ``::error``, ``warning`` to ``::warning``, ``note`` to
``::notice``.
``col`` and ``endColumn`` are left out when a span covers several lines (GitHub accepts
them only on single-line annotations). Property values escape ``%``, CR, LF, ``:`` and
``,``; the message escapes ``%``, CR and LF.
"""

from __future__ import annotations

from collections.abc import Sequence

from nodeleaklint.findings import Confidence, Finding, Notification, RunResult, Severity
from nodeleaklint.reporters.common import clean, sorted_notifications
from nodeleaklint.rules.base import Rule, explain

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def escape_data(text: str) -> str:
    return clean(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: Severity, properties: Sequence[tuple[str, object]], message: str) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties)
    separator = " " if props else ""
    return f"::{COMMANDS[level]}{separator}{props}::{escape_data(message)}"


def finding_command(finding: Finding) -> str:
    span = finding.span
    properties: list[tuple[str, object]] = [("file", finding.path), ("line", span.line)]
    if span.end_line == span.line:
        properties.append(("col", span.column))
    properties.append(("endLine", span.end_line))
    if span.end_line == span.line:
        properties.append(("endColumn", span.end_column))
    title = f"{finding.rule} {finding.name}"
    if finding.confidence is not Confidence.HIGH:
        title += f" [{finding.confidence.value}]"
    properties.append(("title", title))
    explanation = explain(finding)
    message = explanation.headline
    if explanation.help:
        message += f"\nhelp: {explanation.help}"
    return command(finding.level, properties, message)


def notification_command(notification: Notification) -> str:
    properties: list[tuple[str, object]] = []
    if notification.path is not None:
        properties.append(("file", notification.path))
        if notification.line is not None:
            properties.append(("line", notification.line))
    properties.append(("title", f"nodeleaklint {notification.kind.value}"))
    return command(notification.level, properties, notification.message)


def render(result: RunResult, rules: Sequence[Rule], *, quiet: bool = False) -> str:
    lines = [finding_command(finding) for finding in result.findings]
    if not quiet:
        lines.extend(notification_command(n) for n in sorted_notifications(result))
    return "".join(f"{line}\n" for line in lines)
