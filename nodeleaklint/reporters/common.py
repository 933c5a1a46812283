"""Helpers every output format shares: ordering, notification ids, one-line text."""

from __future__ import annotations

import re
from collections.abc import Sequence

from nodeleaklint.findings import (
    Confidence,
    Finding,
    Notification,
    NotificationKind,
    RunResult,
    Severity,
)

SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTE: 2}

# Stable descriptor ids for notifications (SARIF ``descriptor.id``, concise and github output).
NOTIFICATION_IDS: dict[NotificationKind, str] = {
    NotificationKind.PARSE_ERROR: "NLL-PARSE",
    NotificationKind.UNREADABLE: "NLL-UNREADABLE",
    NotificationKind.SKIPPED: "NLL-SKIPPED",
    NotificationKind.INTERNAL_ERROR: "NLL-INTERNAL",
    NotificationKind.CONFIG_ERROR: "NLL-CONFIG",
    NotificationKind.TRUNCATED: "NLL-TRUNCATED",
    NotificationKind.UNUSED_SUPPRESSION: "NLL-UNUSED-SUPPRESSION",
    NotificationKind.STALE_BASELINE: "NLL-STALE-BASELINE",
}

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NEWLINES = re.compile(r"\r\n|[\r\n\u2028\u2029]")


def clean(text: str) -> str:
    """``text`` made encodable as UTF-8: undecodable bytes of a file name become U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        try:
            raw = text.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            raw = text.encode("utf-8", "surrogatepass")
        return raw.decode("utf-8", "replace")
    return text


def printable(text: str) -> str:
    """``text`` with control characters (except tab and newline) made visible as U+FFFD."""
    if text.isprintable():  # nothing to replace (the common case, and much faster)
        return text
    return _CONTROL.sub("\ufffd", clean(text))


def one_line(text: str) -> str:
    """``text`` on a single line: newlines become spaces, other controls U+FFFD."""
    if text.isprintable():
        return text
    return printable(_NEWLINES.sub(" ", text)).replace("\t", " ")


def confidence_marker(finding: Finding) -> str:
    """``"[medium] "`` for a medium-confidence finding, nothing for a high one: text and
    concise output mark the findings that need a second look, not the ordinary ones."""
    return "" if finding.confidence is Confidence.HIGH else f"[{finding.confidence.value}] "


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def notification_sort_key(notification: Notification) -> tuple[str, int, str, str]:
    return (
        notification.path or "",
        notification.line or 0,
        notification.kind.value,
        notification.message,
    )


def sorted_notifications(result: RunResult) -> list[Notification]:
    """Run-level notifications first, then per-file ones by path and line."""
    return sorted(result.all_notifications, key=notification_sort_key)


def most_severe(findings: Sequence[Finding], limit: int | None) -> tuple[list[Finding], int]:
    """Keep at most ``limit`` findings, most severe first then by position.

    Returns the kept findings in position order and how many were dropped.
    """
    ordered = sorted(findings, key=lambda f: f.sort_key)
    if limit is None or len(ordered) <= limit:
        return ordered, 0
    ranked = sorted(ordered, key=lambda f: (SEVERITY_RANK[f.level], f.sort_key))
    kept = sorted(ranked[: max(limit, 0)], key=lambda f: f.sort_key)
    return kept, len(ordered) - len(kept)
