"""SARIF 2.1.0 for GitHub code scanning and other viewers.

One run; the driver lists every rule with descriptions, help, default level, tags,
precision and ``problem.severity``; every result has an explicit ``level`` (``error`` for
high confidence, ``warning`` for medium: ``Finding.level``), ``properties.confidence``,
one location with a ``%SRCROOT%``-relative URI and a full region in UTF-16 code units, related
locations, and ``partialFingerprints["nodeleaklint/v1"]``. A result's ``message.text`` is the
rule's whole message (its notes appended), its ``message.markdown`` the headline, notes and
help as paragraphs (``rules.base.explain``); a rewrite the tool knows is a SARIF ``fix``
(byte regions of the file). The rule's help text stays on its descriptor. Per-file problems are
``toolExecutionNotifications`` of ``invocations[0]``; configuration problems are
``toolConfigurationNotifications``. Output is sorted and has no timestamps.
"""

from __future__ import annotations

import inspect
import json
import os
import re
from collections.abc import Sequence
from typing import Any

import sarif_om as om

from nodeleaklint import __version__
from nodeleaklint.findings import (
    Confidence,
    Finding,
    Fix,
    Notification,
    NotificationKind,
    RunResult,
    Severity,
    Span,
    report_level,
)
from nodeleaklint.reporters.common import NOTIFICATION_IDS, clean, most_severe
from nodeleaklint.reporters.sarif_json import to_data
from nodeleaklint.reporters.sarif_uri import SRCROOT, artifact_uri
from nodeleaklint.rules.base import DOCS_BASE_URL, Rule, explain
from nodeleaklint.source import NEWLINE_SEQUENCES

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = DOCS_BASE_URL.split("/blob/", 1)[0]
FINGERPRINT_KEY = "nodeleaklint/v1"
AUTOMATION_ID = "nodeleaklint/"
MAX_DESCRIPTION = 1024
MAX_TAGS = 20

PRECISION = {Confidence.HIGH: "high", Confidence.MEDIUM: "medium"}
PROBLEM_SEVERITY = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.NOTE: "recommendation",
}
NOTIFICATION_DESCRIPTIONS = {
    NotificationKind.PARSE_ERROR: "A file had syntax errors; the rest of it was still checked.",
    NotificationKind.UNREADABLE: "A file could not be read.",
    NotificationKind.SKIPPED: "A file was not checked (too large, minified or not source).",
    NotificationKind.INTERNAL_ERROR: "A rule failed on a file; other rules and files went on.",
    NotificationKind.CONFIG_ERROR: "The configuration could not be used.",
    NotificationKind.TRUNCATED: "Results were left out of the log to respect a limit.",
    NotificationKind.UNUSED_SUPPRESSION: "A suppression comment suppressed nothing.",
    NotificationKind.STALE_BASELINE: "A baseline entry no longer matches any finding.",
}
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")
NOTIFICATION_ORDER = sorted(NOTIFICATION_IDS, key=lambda kind: NOTIFICATION_IDS[kind])


def _limit(text: str, size: int = MAX_DESCRIPTION) -> str:
    text = text.strip()
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def _unwrap(markdown: str) -> str:
    """Markdown with hard-wrapped paragraph lines joined (lists and code kept as they are)."""
    paragraphs = []
    for paragraph in re.split(r"\n\s*\n", markdown.strip()):
        if "```" in paragraph:
            paragraphs.append(paragraph)
            continue
        lines = paragraph.splitlines()
        joined = lines[:1]
        for line in lines[1:]:
            if _LIST_ITEM.match(line):
                joined.append(line)
            else:
                joined[-1] += " " + line.strip()
        paragraphs.append("\n".join(joined))
    return "\n\n".join(paragraphs)


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def _help_text(rule: Rule) -> str:
    text = inspect.cleandoc(rule.doc) if rule.doc.strip() else rule.meta.summary
    if "nodeleaklint-disable" not in text:
        text += (
            "\n\n## Suppressing\n\n"
            f"`// nodeleaklint-disable-next-line {rule.id} -- reason` on the line above, "
            f"or `// nodeleaklint-disable-line {rule.id}` on the line itself."
        )
    return text


def _tags(rule: Rule) -> list[str]:
    tags = ["memory-leak", *rule.meta.tags]
    if rule.meta.cwe:
        tags.append(f"external/cwe/{rule.meta.cwe.lower()}")
    return list(dict.fromkeys(tags))[:MAX_TAGS]


def rule_descriptor(rule: Rule) -> om.ReportingDescriptor:
    meta = rule.meta
    full = rule.section("What it does") or meta.summary
    help_text = _help_text(rule)
    level = report_level(meta.severity, meta.confidence)
    return om.ReportingDescriptor(
        id=meta.id,
        name=meta.name,
        short_description=om.MultiformatMessageString(text=_limit(_first_line(meta.summary))),
        full_description=om.MultiformatMessageString(text=_limit(_unwrap(full))),
        help=om.MultiformatMessageString(text=help_text, markdown=help_text),
        help_uri=rule.docs_url,
        default_configuration=om.ReportingConfiguration(level=level.value),
        properties={
            "tags": _tags(rule),
            "precision": PRECISION[meta.confidence],
            "problem.severity": PROBLEM_SEVERITY[level],
        },
    )


def _fallback_descriptor(finding: Finding) -> om.ReportingDescriptor:
    """A descriptor for a finding whose rule is not in the rule list."""
    text = f"{finding.rule} {finding.name}"
    return om.ReportingDescriptor(
        id=finding.rule,
        name=finding.name,
        short_description=om.MultiformatMessageString(text=text),
        full_description=om.MultiformatMessageString(text=text),
        help=om.MultiformatMessageString(text=text),
        default_configuration=om.ReportingConfiguration(level=finding.level.value),
        properties={
            "tags": ["memory-leak"],
            "problem.severity": PROBLEM_SEVERITY[finding.level],
        },
    )


def _region(span: Span) -> om.Region:
    return om.Region(
        start_line=span.line,
        start_column=span.column,
        end_line=span.end_line,
        end_column=span.end_column,
    )


class _Context:
    """Rule indexes and the source root shared while building one run."""

    def __init__(self, rules: Sequence[Rule], findings: Sequence[Finding], root: str) -> None:
        descriptors = {rule.id: rule_descriptor(rule) for rule in rules}
        for finding in findings:
            if finding.rule not in descriptors:
                descriptors[finding.rule] = _fallback_descriptor(finding)
        self.descriptors = [descriptors[key] for key in sorted(descriptors)]
        self.index = {descriptor.id: i for i, descriptor in enumerate(self.descriptors)}
        self.root = root

    def artifact(self, path: str) -> om.ArtifactLocation:
        uri = artifact_uri(path, self.root)
        return om.ArtifactLocation(uri=uri.uri, uri_base_id=uri.base_id)

    def physical(self, path: str, region: om.Region | None) -> om.PhysicalLocation:
        return om.PhysicalLocation(artifact_location=self.artifact(path), region=region)

    def result(self, finding: Finding) -> om.Result:
        related = [
            om.Location(
                id=number,
                physical_location=self.physical(item.path or finding.path, _region(item.span)),
                message=om.Message(text=clean(item.message)),
            )
            for number, item in enumerate(finding.related, start=1)
        ]
        fingerprints = {FINGERPRINT_KEY: finding.fingerprint} if finding.fingerprint else None
        return om.Result(
            rule_id=finding.rule,
            rule_index=self.index[finding.rule],
            kind="fail",
            level=finding.level.value,
            message=result_message(finding),
            fixes=[self.fix(finding.path, finding.fix)] if finding.fix is not None else None,
            locations=[
                om.Location(physical_location=self.physical(finding.path, _region(finding.span)))
            ],
            related_locations=related or None,
            partial_fingerprints=fingerprints,
            properties={"confidence": finding.confidence.value},
        )

    def fix(self, path: str, fix: Fix) -> om.Fix:
        replacements = [
            om.Replacement(
                deleted_region=om.Region(byte_offset=edit.start, byte_length=edit.end - edit.start),
                inserted_content=om.ArtifactContent(text=edit.content) if edit.content else None,
            )
            for edit in fix.edits
        ]
        return om.Fix(
            description=om.Message(text=f"{clean(fix.title)} ({fix.applicability.value} fix)"),
            artifact_changes=[
                om.ArtifactChange(artifact_location=self.artifact(path), replacements=replacements)
            ],
        )

    def notification(self, notification: Notification) -> om.Notification:
        locations = None
        if notification.path is not None:
            region = om.Region(start_line=notification.line) if notification.line else None
            locations = [om.Location(physical_location=self.physical(notification.path, region))]
        return om.Notification(
            message=om.Message(text=clean(notification.message)),
            level=notification.level.value,
            descriptor=om.ReportingDescriptorReference(
                id=NOTIFICATION_IDS[notification.kind],
                index=NOTIFICATION_ORDER.index(notification.kind),
            ),
            locations=locations,
        )


def result_message(finding: Finding) -> om.Message:
    """The whole message as text; headline, notes and help as markdown paragraphs."""
    text = " ".join((finding.message, *finding.notes))
    explanation = explain(finding)
    paragraphs = [explanation.headline, *explanation.notes]
    if explanation.help:
        paragraphs.append(f"Help: {explanation.help}")
    if len(paragraphs) == 1:
        return om.Message(text=clean(text))
    return om.Message(text=clean(text), markdown=clean("\n\n".join(paragraphs)))


def _notification_key(notification: Notification) -> tuple[str, int, str, str]:
    return (
        notification.path or "",
        notification.line or 0,
        NOTIFICATION_IDS[notification.kind],
        notification.message,
    )


def _truncation(kept: int, dropped: int) -> Notification:
    total = kept + dropped
    return Notification(
        kind=NotificationKind.TRUNCATED,
        message=(
            f"Only {kept} of {total} results are in this log ({dropped} left out by the "
            "result limit): the most severe ones, then the first by file and line."
        ),
        level=Severity.WARNING,
    )


def build_log(
    result: RunResult,
    rules: Sequence[Rule],
    *,
    max_results: int | None = None,
    root: str | None = None,
) -> om.SarifLog:
    """The SARIF log of a run as sarif-om objects."""
    findings, dropped = most_severe(result.findings, max_results)
    context = _Context(rules, result.findings, root if root is not None else os.getcwd())
    notifications = sorted(result.all_notifications, key=_notification_key)
    if dropped:
        notifications.insert(0, _truncation(len(findings), dropped))
    config = [n for n in notifications if n.kind is NotificationKind.CONFIG_ERROR]
    execution = [n for n in notifications if n.kind is not NotificationKind.CONFIG_ERROR]
    invocation = om.Invocation(
        execution_successful=result.successful,
        tool_execution_notifications=[context.notification(n) for n in execution] or None,
        tool_configuration_notifications=[context.notification(n) for n in config] or None,
    )
    driver = om.ToolComponent(
        name="nodeleaklint",
        semantic_version=__version__,
        version=__version__,
        information_uri=INFORMATION_URI,
        rules=context.descriptors,
        notifications=[
            om.ReportingDescriptor(
                id=NOTIFICATION_IDS[kind],
                name=kind.value,
                short_description=om.MultiformatMessageString(text=NOTIFICATION_DESCRIPTIONS[kind]),
            )
            for kind in NOTIFICATION_ORDER
        ],
    )
    run = om.Run(
        tool=om.Tool(driver=driver),
        automation_details=om.RunAutomationDetails(id=automation_id(result.shard)),
        column_kind="utf16CodeUnits",
        newline_sequences=list(NEWLINE_SEQUENCES),  # SARIF's default omits the lone CR
        original_uri_base_ids={
            SRCROOT: om.ArtifactLocation(
                description=om.Message(
                    text="The directory nodeleaklint ran in; result URIs are relative to it."
                )
            )
        },
        invocations=[invocation],
        results=[context.result(finding) for finding in findings],
    )
    return om.SarifLog(runs=[run], version="2.1.0", schema_uri=SCHEMA_URI)


def to_json(log: om.SarifLog) -> str:
    data: dict[str, Any] = to_data(log)
    ordered: dict[str, Any] = {key: data[key] for key in ("$schema", "version") if key in data}
    ordered.update(data)
    return json.dumps(ordered, indent=2, ensure_ascii=False) + "\n"


def automation_id(shard: tuple[int, int] | None) -> str:
    """The run's category for code scanning: one per slice of a sharded run, since GitHub
    rejects two uploads of one tool under one category."""
    if shard is None:
        return AUTOMATION_ID
    return f"{AUTOMATION_ID.rstrip('/')}-shard-{shard[0]}-of-{shard[1]}/"


def render(
    result: RunResult,
    rules: Sequence[Rule],
    *,
    max_results: int | None = None,
    root: str | None = None,
) -> str:
    """SARIF text for a run; URIs are relative to ``root`` (default: the cwd)."""
    return to_json(build_log(result, rules, max_results=max_results, root=root))
