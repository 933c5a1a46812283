"""Annotated rule cases: ``// ruleid: NLL101`` lines and friends, in the style of Semgrep.

``ruleid: X`` means exactly one finding of rule X starts on the next code line (stack the
annotation to expect several); ``ok: X`` and unannotated lines mean none. ``todoruleid`` and
``todook`` record known gaps: they are expected to fail, so a fixed gap is noticed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from nodeleaklint.config import Config
from nodeleaklint.engine import check_source
from nodeleaklint.findings import Finding
from nodeleaklint.rules import ALL_RULES, find_rule

_ANNOTATION = re.compile(r"^\s*(?://|/\*|\*)\s*(ruleid|ok|todoruleid|todook):\s*([A-Z]+\d+)\b")


@dataclass
class Expectations:
    """What an annotated source asks of one rule, by 1-based line."""

    rule: str
    expected: Counter[int] = field(default_factory=Counter)
    todo_expected: Counter[int] = field(default_factory=Counter)
    todo_ok: set[int] = field(default_factory=set)


def _is_code(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith(("//", "/*", "*"))


def parse_annotations(source: str, rule: str) -> Expectations:
    lines = source.splitlines()
    result = Expectations(rule=rule)
    for index, line in enumerate(lines):
        match = _ANNOTATION.match(line)
        if not match or match.group(2) != rule:
            continue
        target = next((j for j in range(index + 1, len(lines)) if _is_code(lines[j])), None)
        if target is None:
            raise ValueError(f"annotation on line {index + 1} has no code line after it")
        kind, line_number = match.group(1), target + 1
        if kind == "ruleid":
            result.expected[line_number] += 1
        elif kind == "todoruleid":
            result.todo_expected[line_number] += 1
        elif kind == "todook":
            result.todo_ok.add(line_number)
    return result


@dataclass
class Outcome:
    noisy: list[Finding]
    missing: list[int]
    fixed_todos: list[int]
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.noisy and not self.missing and not self.fixed_todos

    def explain(self) -> str:
        parts = [f"Noisy (line {f.span.line}): {f.message}" for f in self.noisy]
        parts += [f"Missing: expected a finding on line {line}" for line in self.missing]
        parts += [
            f"Known gap now passes on line {line}: promote the todo" for line in self.fixed_todos
        ]
        return "\n".join(parts)


def run_annotated(path: str, source: str, rule_id: str) -> Outcome:
    """Lint ``source`` (named ``path``) as users do (every rule: one site, one finding) and
    compare the findings of ``rule_id`` with its annotations."""
    rule = find_rule(rule_id)
    expectations = parse_annotations(source, rule.id)
    report = check_source(path, source.encode("utf-8"), Config(), ALL_RULES)
    report.findings = [f for f in report.findings if f.rule == rule.id]
    found: Counter[int] = Counter(f.span.line for f in report.findings)
    noisy: list[Finding] = []
    missing: list[int] = []
    fixed: list[int] = []
    by_line: dict[int, list[Finding]] = {}
    for finding in report.findings:
        by_line.setdefault(finding.span.line, []).append(finding)
    for line in sorted(set(found) | set(expectations.expected)):
        want, got = expectations.expected[line], found[line]
        if line in expectations.todo_ok:
            if got == want:
                fixed.append(line)
            continue
        if line in expectations.todo_expected:
            if got == want + expectations.todo_expected[line]:
                fixed.append(line)
            continue
        if got > want:
            noisy.extend(by_line[line][want:])
        elif got < want:
            missing.append(line)
    return Outcome(noisy=noisy, missing=missing, fixed_todos=fixed, findings=report.findings)


def render_snapshot(findings: list[Finding]) -> str:
    """What a user sees of each finding, one block per finding, for a reviewed snapshot."""
    blocks = []
    for f in sorted(findings, key=lambda f: f.sort_key):
        span = f.span
        lines = [
            f"{span.line}:{span.column}-{span.end_line}:{span.end_column} {f.rule} "
            f"[{f.confidence.value}]",
            f"  {f.message}",
        ]
        lines += [f"  note: {note}" for note in f.notes]
        lines += [f"  related {r.span.line}:{r.span.column}: {r.message}" for r in f.related]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"
