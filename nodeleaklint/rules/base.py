"""The rule API: metadata, the documentation docstring, and a ``check`` that yields findings."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from nodeleaklint.findings import Confidence, Finding, Fix, RelatedLocation, Severity, Span
from nodeleaklint.records import record

if TYPE_CHECKING:
    from nodeleaklint.parsing import Node
    from nodeleaklint.semantics.model import SemanticModel
    from nodeleaklint.source import SourceFile

DOCS_BASE_URL = "https://github.com/nodeleaklint/nodeleaklint/blob/main/rules"
DOC_HEADINGS = ("What it does", "Why is this bad?", "Example", "Use instead")


@record
class RuleOption:
    """A per-rule setting users may change in configuration."""

    name: str
    default: Any
    kind: type
    description: str


@record
class RuleMeta:
    """A rule's fixed description: id, name, texts, severity, highest confidence, options."""

    id: str
    name: str
    summary: str
    fix: str
    severity: Severity
    # The highest confidence the rule's findings reach; each finding's own comes from the
    # model's ``semantics.confidence.confidence_of``.
    confidence: Confidence = Confidence.HIGH
    tags: tuple[str, ...] = ("memory-leak", "reliability", "nodejs")
    cwe: str = "CWE-401"
    options: tuple[RuleOption, ...] = ()


@record
class Rule:
    """A registered rule: its description, documentation page and check function."""

    meta: RuleMeta
    doc: str
    check: Callable[[RuleContext], Iterable[Finding]]

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def name(self) -> str:
        return self.meta.name

    @property
    def slug(self) -> str:
        return f"{self.meta.id}-{self.meta.name}"

    @property
    def docs_url(self) -> str:
        return f"{DOCS_BASE_URL}/{self.slug}/README.md"

    @property
    def default_options(self) -> dict[str, Any]:
        return {option.name: option.default for option in self.meta.options}

    def section(self, heading: str) -> str:
        """The text under one ``## heading`` of the docstring (empty when absent)."""
        return doc_sections(self.doc).get(heading, "")


def doc_sections(doc: str) -> dict[str, str]:
    """Split a rule docstring into ``{heading: body}`` on its ``## `` headings."""
    sections: dict[str, str] = {}
    heading = ""
    lines: list[str] = []
    for line in doc.strip("\n").splitlines():
        match = re.match(r"^## (.+?)\s*$", line)
        if match:
            sections[heading] = "\n".join(lines).strip("\n")
            heading, lines = match.group(1), []
        else:
            lines.append(line)
    sections[heading] = "\n".join(lines).strip("\n")
    return sections


def code_blocks(markdown: str) -> list[tuple[str, str]]:
    """The fenced code blocks of a markdown text as ``(language, code)`` pairs."""
    return [
        (lang, code)
        for lang, code in re.findall(r"^```(\w*)\n(.*?)^```", markdown, re.MULTILINE | re.DOTALL)
    ]


@dataclass(eq=False, repr=False)
class RuleContext:
    """What a rule's ``check`` gets: the file, its semantic model and the rule's options."""

    rule: Rule
    source: SourceFile
    model: SemanticModel
    options: Mapping[str, Any] = field(default_factory=dict)

    def span(self, node: Node) -> Span:
        start = self.source.position(node.start_byte)
        end = self.source.position(node.end_byte)
        return Span(start.line, start.column, end.line, end.column)

    def related(self, node: Node, message: str) -> RelatedLocation:
        return RelatedLocation(self.span(node), message)

    def _called_from(self, node: Node) -> tuple[RelatedLocation, ...]:
        """The caller in another file that decided how often the code around ``node`` runs
        (the project view), as a related location in that file."""
        places = self.model.called_from
        function = self.model.enclosing_function(node) if places else None
        while function is not None:
            place = places.get(function.node.id)
            if place is not None:
                path, line, what = place
                return (RelatedLocation(Span(line, 1, line, 1), what, path),)
            function = function.parent
        return ()

    def finding(
        self,
        node: Node,
        message: str,
        *,
        confidence: Confidence,
        related: Iterable[RelatedLocation] = (),
        fix: str | None = None,
        defers_to: Iterable[tuple[str, Node]] = (),
        notes: Iterable[str] = (),
        autofix: Fix | None = None,
    ) -> Finding:
        """A finding of this rule at ``node``. ``message`` is the headline, or the whole
        explanation when the rule gives no ``notes`` (reporters then split it, see
        ``explain``); ``fix`` replaces the rule's help text; ``autofix`` is a rewrite that
        resolves the finding (``nodeleaklint.fixes.builders`` makes them)."""
        meta = self.rule.meta
        return Finding(
            rule=meta.id,
            name=meta.name,
            severity=meta.severity,
            confidence=confidence,
            path=self.source.path,
            span=self.span(node),
            message=message,
            help=meta.fix if fix is None else fix,
            related=(*related, *self._called_from(node)),
            defers_to=tuple((rule, self.span(site)) for rule, site in defers_to),
            notes=tuple(notes),
            fix=autofix,
        )


# -- explanations: a one-line headline, notes and help (SPEC §3 "Messages") ----------------

HEADLINE_LIMIT = 120
# "About" 120: a clean clause end this much further still beats a cut at a weaker joint.
_CLAUSE_END_SLACK = 10
# A headline shorter than this says too little to stand alone: the split is not taken.
_HEADLINE_MINIMUM = 20
# Clause ends that close a thought: the first one outside code and brackets is the split.
_STRONG_BREAKS = (": ", "; ", " — ")
# Clause joints, used when the first strong break comes too late: the note begins with
# the joint's own word, so it reads as a sentence ("…, so the pool stays open" -> "So …").
_WEAK_BREAKS = {", so ": "So ", ", which ": "This ", ", because ": "Because ", ", but ": "But "}
_AND = ", and "


@dataclass(frozen=True, repr=False)
class Explanation:
    """What a reader sees of a finding: a headline of at most about ``HEADLINE_LIMIT``
    characters (what leaks, what holds it, why it repeats), notes that explain further,
    and a help line that says how to fix it."""

    headline: str
    notes: tuple[str, ...] = ()
    help: str = ""


def explain(finding: Finding) -> Explanation:
    """The finding's explanation: its own notes when the rule gave them, else its message
    split by ``split_message``; the rule's fix text is the help line."""
    if finding.notes:
        return Explanation(finding.message, finding.notes, finding.help)
    headline, notes = split_message(finding.message)
    return Explanation(headline, notes, finding.help)


def split_message(message: str, limit: int = HEADLINE_LIMIT) -> tuple[str, tuple[str, ...]]:
    """Split a single long message into a headline and one note.

    A message within ``limit`` stays whole. Otherwise the headline ends at the first clause
    end (``: ``, ``; ``, `` — `` or a sentence end) outside backticks and brackets, when that
    keeps it within about ``limit`` (ten characters more are allowed); failing that, at the
    last clause joint (``, so``, ``, which``, ``, because``, ``, but``, ``, and``) before
    that clause end which keeps it within ``limit``. When neither fits, the message stays
    whole: a long headline is better than a cut mid-thought.
    """
    if len(message) <= limit:
        return message, ()
    strong: tuple[int, int, str] | None = None
    weak: list[tuple[int, int, str]] = []
    for index in _plain_positions(message):
        if strong is None:
            strong = _strong_break(message, index)
        if strong is not None and strong[0] < index:
            break
        joint = _weak_break(message, index)
        if joint is not None:
            weak.append(joint)
    if strong is not None and _HEADLINE_MINIMUM <= strong[0] <= limit + _CLAUSE_END_SLACK:
        chosen: tuple[int, int, str] | None = strong
    else:
        fitting = [joint for joint in weak if _HEADLINE_MINIMUM <= joint[0] <= limit]
        chosen = fitting[-1] if fitting else None
    if chosen is None:
        return message, ()
    index, width, lead = chosen
    rest = message[index + width :].strip()
    if not rest:
        return message, ()
    note = lead + rest if lead else rest[0].upper() + rest[1:]
    return message[:index].rstrip(), (note,)


def _plain_positions(message: str) -> Iterable[int]:
    """Indexes of ``message`` outside backtick code and outside brackets."""
    depth = 0
    code = False
    for index, char in enumerate(message):
        if char == "`":
            code = not code
        elif code:
            continue
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth = max(depth - 1, 0)
        elif depth == 0:
            yield index


def _strong_break(message: str, index: int) -> tuple[int, int, str] | None:
    for mark in _STRONG_BREAKS:
        if message.startswith(mark, index):
            return index, len(mark), ""
    after = index + 2
    if message.startswith(". ", index) and after < len(message) and message[after].isupper():
        return index, 2, ""
    return None


def _weak_break(message: str, index: int) -> tuple[int, int, str] | None:
    for mark, lead in _WEAK_BREAKS.items():
        if message.startswith(mark, index):
            return index, len(mark), lead
    if message.startswith(_AND, index):
        return index, len(_AND), ""
    return None
