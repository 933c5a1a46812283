r"""One line per finding, for editors, grep and problem matchers.

Shape (line and column 1-based, columns in UTF-16 code units, as editors count them)::

    src/app.js:3:5: NLL101 [unremoved-listener] `bus.on(…)` adds a listener per request …
    src/jobs.js:9:3: NLL301 [unbounded-collection] [medium] `seen` grows on every call …
    src/broken.js:1:1: NLL-PARSE [parse-error] could not parse …

Per-file notifications use the same shape with their descriptor id (``NLL-PARSE``,
``NLL-UNREADABLE``, ``NLL-SKIPPED``, ``NLL-INTERNAL`` …) and line 1, column 1 when they
have no line; run-level notifications have no position: ``nodeleaklint: NLL-CONFIG
[config-error] message``. A finding shows its headline only (``rules.base.explain``),
always on one line. A medium-confidence finding
has ``[medium]`` after the rule name; a high-confidence one has no marker.

A VS Code ``problemMatcher`` (also usable with GitHub Actions' ``::add-matcher::``)::

    {
      "owner": "nodeleaklint",
      "source": "nodeleaklint",
      "fileLocation": ["relative", "${workspaceFolder}"],
      "severity": "warning",
      "pattern": {
        "regexp": "^(.+?):(\\d+):(\\d+): (NLL\\d+|NLL-[A-Z-]+) \\[([a-z0-9-]+)\\] (?:\\[medium\\] )?(.*)$",
        "file": 1, "line": 2, "column": 3, "code": 4, "message": 6
      }
    }

Vim ``errorformat``: ``%f:%l:%c: %m``.
"""  # noqa: E501

from __future__ import annotations

import re
from collections.abc import Sequence

from nodeleaklint.findings import Confidence, Finding, Notification, RunResult
from nodeleaklint.reporters.common import (
    NOTIFICATION_IDS,
    confidence_marker,
    one_line,
    sorted_notifications,
)
from nodeleaklint.rules.base import Rule, explain
from nodeleaklint.terminal import PLAIN, Palette

PATTERN = re.compile(
    r"^(.+?):(\d+):(\d+): (NLL\d+|NLL-[A-Z-]+) \[([a-z0-9-]+)\] (?:\[medium\] )?(.*)$"
)


def finding_line(finding: Finding, palette: Palette = PLAIN) -> str:
    span = finding.span
    paint = palette.error if finding.confidence is Confidence.HIGH else palette.warning
    marker = confidence_marker(finding)
    return (
        f"{palette.path(f'{one_line(finding.path)}:{span.line}:{span.column}:')} "
        f"{paint(finding.rule)} [{finding.name}] {paint(marker.strip())}{' ' if marker else ''}"
        f"{one_line(explain(finding).headline)}"
    )


def notification_line(notification: Notification) -> str:
    code = NOTIFICATION_IDS[notification.kind]
    text = f"{code} [{notification.kind.value}] {one_line(notification.message)}"
    if notification.path is None:
        return f"nodeleaklint: {text}"
    return f"{one_line(notification.path)}:{notification.line or 1}:1: {text}"


def render(
    result: RunResult, rules: Sequence[Rule], *, quiet: bool = False, palette: Palette = PLAIN
) -> str:
    lines = [finding_line(finding, palette) for finding in result.findings]
    if not quiet:
        lines.extend(notification_line(n) for n in sorted_notifications(result))
    return "".join(f"{line}\n" for line in lines)
