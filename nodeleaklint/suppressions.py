"""Inline suppression comments: parse them, drop the findings they cover, report unused ones.

Directives (line ``//`` or block ``/* */`` comments; the directive must start the comment):

- ``nodeleaklint-disable-next-line [RULES] [-- reason]``: the line after the comment.
  Several stacked next-line comments all apply to the first line after the stack.
- ``nodeleaklint-disable-line [RULES] [-- reason]``: the comment's own line, usually at the
  end of the code; it covers findings that start or end on that line.
- ``nodeleaklint-disable [RULES] [-- reason]``: the whole file. It counts only before the
  first line of code (in the header comments above the first statement, after any
  ``#!`` line); later it is ignored with a warning, so a stray comment in the middle of
  a file cannot silence everything.

``RULES`` are ids, names or id prefixes separated by commas or spaces; none means every
rule. An unknown rule makes a warning and suppresses nothing.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from nodeleaklint.findings import Finding, Notification, NotificationKind, Severity
from nodeleaklint.records import record
from nodeleaklint.rules import UnknownRuleError, expand_selectors

PREFIX = "nodeleaklint-"


class Scope(enum.Enum):
    NEXT_LINE = "disable-next-line"
    LINE = "disable-line"
    FILE = "disable"


_DIRECTIVE = re.compile(r"nodeleaklint-(disable-next-line|disable-line|disable)(?=$|[\s,]|--)")
_WORD = re.compile(r"nodeleaklint-[\w-]*")
_SEPARATORS = re.compile(r"[\s,]+")
_LINE_STARS = re.compile(r"^[ \t]*\*+", re.MULTILINE)


@dataclass(eq=False, repr=False)
class Directive:
    """One suppression comment and which of its selectors have suppressed something."""

    scope: Scope
    start_line: int
    end_line: int
    selectors: dict[str, frozenset[str]]  # selector as written -> rule ids; empty: all rules
    used: set[str] = field(default_factory=set)

    @property
    def covers_all(self) -> bool:
        return not self.selectors

    def matching(self, rule_id: str) -> list[str]:
        """The selectors naming ``rule_id`` (``["*"]`` for an id-less directive)."""
        if self.covers_all:
            return ["*"]
        return [selector for selector, ids in self.selectors.items() if rule_id in ids]


@record
class ParsedComment:
    """A suppression comment: its scope, the rules it names and the reason given."""

    scope: Scope
    selectors: tuple[str, ...]
    reason: str


def comment_body(text: str) -> str:
    """The text inside comment markers, without leading ``*`` of JSDoc-style blocks."""
    if text.startswith("//"):
        body = text[2:]
    elif text.startswith("/*"):
        body = text[2:-2] if text.endswith("*/") and len(text) >= 4 else text[2:]
    else:
        body = text
    return _LINE_STARS.sub("", body).strip()


def parse_comment(text: str) -> ParsedComment | str | None:
    """A directive, an error message for a malformed ``nodeleaklint-`` comment, or None."""
    body = comment_body(text)
    if not body.startswith(PREFIX):
        return None
    match = _DIRECTIVE.match(body)
    if match is None:
        word = _WORD.match(body)
        return f"unknown directive {word.group(0) if word else PREFIX!r}"
    rest = body[match.end() :]
    rules, _, reason = rest.partition("--")
    selectors = tuple(part for part in _SEPARATORS.split(rules) if part)
    return ParsedComment(Scope(match.group(1)), selectors, reason.strip())


@record
class _Problem:
    """A malformed suppression comment, reported at ``line``."""

    line: int
    message: str


class Suppressions:
    """The suppression directives of one file."""

    def __init__(self, directives: list[Directive], problems: list[_Problem]) -> None:
        self.directives = directives
        self._problems = problems
        self._file = [d for d in directives if d.scope is Scope.FILE]
        self._by_line: dict[int, list[Directive]] = {}
        next_line = {d.start_line: d for d in directives if d.scope is Scope.NEXT_LINE}
        for directive in directives:
            if directive.scope is Scope.LINE:
                self._by_line.setdefault(directive.start_line, []).append(directive)
            elif directive.scope is Scope.NEXT_LINE:
                target = directive.end_line + 1
                while target in next_line:
                    target = next_line[target].end_line + 1
                self._by_line.setdefault(target, []).append(directive)

    @classmethod
    def from_comments(
        cls, comments: Iterable[tuple[int, int, str]], *, first_code_line: int | None = None
    ) -> Suppressions:
        """Directives from ``(start_line, end_line, text)`` of each comment node (1-based).

        ``first_code_line`` is the line of the first token that is not a comment or a
        ``#!`` line; file-level directives ending before it count, later ones are
        ignored with a warning. None means the file has no code.
        """
        directives: list[Directive] = []
        problems: list[_Problem] = []
        for start, end, text in sorted(comments):
            parsed = parse_comment(text)
            if parsed is None:
                continue
            if isinstance(parsed, str):
                problems.append(_Problem(start, f"{parsed} in suppression comment; ignored"))
                continue
            if (
                parsed.scope is Scope.FILE
                and first_code_line is not None
                and end >= first_code_line
            ):
                problems.append(
                    _Problem(
                        start,
                        f"`{PREFIX}disable` applies to the whole file and must come before "
                        "the first line of code; ignored (use "
                        f"`{PREFIX}disable-next-line` here)",
                    )
                )
                continue
            selectors: dict[str, frozenset[str]] = {}
            for selector in parsed.selectors:
                try:
                    selectors[selector] = frozenset(expand_selectors([selector]))
                except UnknownRuleError:
                    problems.append(
                        _Problem(start, f"unknown rule {selector!r} in suppression comment")
                    )
            if parsed.selectors and not selectors:
                continue  # only unknown rules: suppress nothing rather than everything
            directives.append(Directive(parsed.scope, start, end, selectors))
        return cls(directives, problems)

    def _covering(self, finding: Finding) -> list[Directive]:
        span = finding.span
        found = list(self._file)
        found.extend(self._by_line.get(span.line, ()))
        if span.end_line != span.line:
            found.extend(d for d in self._by_line.get(span.end_line, ()) if d.scope is Scope.LINE)
        return found

    def apply(self, findings: list[Finding]) -> tuple[list[Finding], int]:
        """The findings no directive covers, and how many were suppressed."""
        if not self.directives:
            return findings, 0
        kept: list[Finding] = []
        for finding in findings:
            suppressed = False
            for directive in self._covering(finding):
                selectors = directive.matching(finding.rule)
                if selectors:
                    directive.used.update(selectors)
                    suppressed = True
            if not suppressed:
                kept.append(finding)
        return kept, len(findings) - len(kept)

    def warnings(self, path: str) -> list[Notification]:
        """Malformed directives, unknown rules and misplaced file-level directives."""
        return [
            Notification(
                NotificationKind.UNUSED_SUPPRESSION,
                problem.message,
                path=path,
                line=problem.line,
                level=Severity.WARNING,
            )
            for problem in self._problems
        ]

    def unused(self, path: str, enabled: Collection[str] | None = None) -> list[Notification]:
        """Directives (or selectors of them) that suppressed nothing, after ``apply``.

        With ``enabled`` (rule ids that ran), selectors naming only rules that did not run
        are not reported: nothing can be said about them.
        """
        notes: list[Notification] = []
        for directive in self.directives:
            comment = f"`{PREFIX}{directive.scope.value}`"
            if directive.covers_all:
                if directive.used or (enabled is not None and not enabled):
                    continue
                message = f"unused suppression: {comment} suppresses no finding"
            else:
                unused = [
                    selector
                    for selector, ids in directive.selectors.items()
                    if selector not in directive.used
                    and (enabled is None or not ids.isdisjoint(enabled))
                ]
                if not unused:
                    continue
                message = (
                    f"unused suppression: {comment} for {', '.join(unused)} suppresses no finding"
                )
            notes.append(
                Notification(
                    NotificationKind.UNUSED_SUPPRESSION,
                    message,
                    path=path,
                    line=directive.start_line,
                    level=Severity.WARNING,
                )
            )
        return notes

    def notifications(
        self, path: str, *, report_unused: bool, enabled: Collection[str] | None = None
    ) -> list[Notification]:
        """``warnings`` always, plus ``unused`` when asked for (call after ``apply``)."""
        unused = self.unused(path, enabled) if report_unused else []
        return [*self.warnings(path), *unused]
