"""The rule API: metadata, the documentation docstring, and a ``check`` that yields findings."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from nodeleaklint.findings import Confidence, Finding, RelatedLocation, Severity, Span

if TYPE_CHECKING:
    from nodeleaklint.parsing import Node
    from nodeleaklint.semantics.model import SemanticModel
    from nodeleaklint.source import SourceFile

DOCS_BASE_URL = "https://github.com/nodeleaklint/nodeleaklint/blob/main/rules"
DOC_HEADINGS = ("What it does", "Why is this bad?", "Example", "Use instead")


@dataclass(frozen=True)
class RuleOption:
    """A per-rule setting users may change in configuration."""

    name: str
    default: Any
    kind: type
    description: str


@dataclass(frozen=True)
class RuleMeta:
    id: str
    name: str
    summary: str
    fix: str
    severity: Severity
    confidence: Confidence
    tags: tuple[str, ...] = ("memory-leak", "reliability", "nodejs")
    cwe: str = "CWE-401"
    options: tuple[RuleOption, ...] = ()


@dataclass(frozen=True)
class Rule:
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


@dataclass
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

    def finding(
        self,
        node: Node,
        message: str,
        *,
        confidence: Confidence | None = None,
        related: Iterable[RelatedLocation] = (),
        fix: str | None = None,
        defers_to: Iterable[tuple[str, Node]] = (),
    ) -> Finding:
        meta = self.rule.meta
        return Finding(
            rule=meta.id,
            name=meta.name,
            severity=meta.severity,
            confidence=confidence or meta.confidence,
            path=self.source.path,
            span=self.span(node),
            message=message,
            fix=meta.fix if fix is None else fix,
            related=tuple(related),
            defers_to=tuple((rule, self.span(site)) for rule, site in defers_to),
        )
