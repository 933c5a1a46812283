"""Checking one file: parse, build the semantic model, run the rules, apply suppressions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import astuple, replace

from nodeleaklint.config import Config
from nodeleaklint.findings import (
    Confidence,
    FileReport,
    Finding,
    Notification,
    NotificationKind,
    Severity,
)
from nodeleaklint.fingerprints import with_fingerprints
from nodeleaklint.parsing import SHEBANG_PROBE, Node, dialect_for_source, parse
from nodeleaklint.project.summary import FileSummary, reads_of, watch_reads
from nodeleaklint.project.summary import summarize as summarize_model
from nodeleaklint.rules.base import Rule, RuleContext
from nodeleaklint.semantics import frameworks
from nodeleaklint.semantics.model import SemanticModel
from nodeleaklint.semantics.project_facts import ProjectFacts
from nodeleaklint.source import BOM, SourceFile
from nodeleaklint.suppressions import PREFIX as SUPPRESSION_PREFIX
from nodeleaklint.suppressions import Suppressions
from nodeleaklint.test_code import is_test_file


def check_source(
    path: str,
    data: bytes,
    config: Config,
    rules: Sequence[Rule],
    *,
    report_unused_suppressions: bool = False,
    project: ProjectFacts | None = None,
) -> FileReport:
    """Lint one file's bytes as if they were the file at ``path``; ``project`` is what the
    project view knows about the callers of its exports in other files."""
    return check_and_summarize(
        path,
        data,
        config,
        rules,
        report_unused_suppressions=report_unused_suppressions,
        project=project,
        summarize=False,
    )[0]


def check_and_summarize(
    path: str,
    data: bytes,
    config: Config,
    rules: Sequence[Rule],
    *,
    report_unused_suppressions: bool = False,
    project: ProjectFacts | None = None,
    summarize: bool = True,
) -> tuple[FileReport, FileSummary | None]:
    """``check_source``, plus the file's summary for the project view (when ``summarize``
    and the file could be modelled)."""
    with frameworks.using(frameworks.extended(config.frameworks)):
        return _check_and_summarize(
            path,
            data,
            config,
            rules,
            report_unused_suppressions=report_unused_suppressions,
            project=project,
            summarize=summarize,
        )


def _check_and_summarize(
    path: str,
    data: bytes,
    config: Config,
    rules: Sequence[Rule],
    *,
    report_unused_suppressions: bool,
    project: ProjectFacts | None,
    summarize: bool,
) -> tuple[FileReport, FileSummary | None]:
    """``check_and_summarize`` with the configuration's framework table in force."""
    report = FileReport(path=path)
    dialect = dialect_for_source(path, data[:SHEBANG_PROBE])
    if dialect is None:
        report.notifications.append(
            Notification(NotificationKind.SKIPPED, "not a JavaScript or TypeScript file", path)
        )
        return report, None
    source = SourceFile(path, data)
    parse_data = b"   " + data[len(BOM) :] if data.startswith(BOM) else data
    try:
        tree = parse(parse_data, dialect)
        model = SemanticModel.build(source, tree, dialect, project)
    except Exception as exc:  # a defect in the model must not stop the run
        report.notifications.append(_internal_error(path, "the semantic model", exc))
        return report, None
    # Checked alone for the project view: what the rules ask of the view's facts tells
    # whether the file needs checking again with them (``ProjectReads.change``).
    tables = watch_reads(model) if summarize and project is None else None
    if tree.root_node.has_error:
        report.notifications.append(_parse_notification(source, tree.root_node))
    findings: list[Finding] = []
    for rule in rules:
        options = {**rule.default_options, **config.rule_options.get(rule.id, {})}
        context = RuleContext(rule=rule, source=source, model=model, options=options)
        try:
            findings.extend(rule.check(context))
        except Exception as exc:  # one rule failing on one file is reported, not fatal
            report.notifications.append(_internal_error(path, f"rule {rule.id} ({rule.name})", exc))
    findings = [
        replace(f, line_text=source.line_text(f.span.line - 1), defers_to=())
        for f in _resolve_deferrals(_dedupe(findings))
    ]
    if is_test_file(path, config.root):
        findings = [replace(f, confidence=Confidence.MEDIUM) for f in findings]
    # Only a comment with the directive prefix in it can be a directive: the others (most,
    # licence headers and JSDoc blocks among them) are not decoded, nor parsed.
    find, prefix = source.data.find, SUPPRESSION_PREFIX.encode()
    directives = [
        (
            source.line_number(comment.start_byte),
            source.line_number(comment.end_byte),
            source_text(comment),
        )
        for comment in model.comments
        if find(prefix, comment.start_byte, comment.end_byte) >= 0
    ]
    # Read only for a directive (most files have none): the line index it needs is built
    # from the whole file, and a file with no findings may never need it otherwise.
    first = _first_code_line(source, tree.root_node) if directives else None
    suppressions = Suppressions.from_comments(directives, first_code_line=first)
    kept, report.suppressed = suppressions.apply(findings)
    report.findings = with_fingerprints(kept)
    report.notifications.extend(
        suppressions.notifications(
            path,
            report_unused=report_unused_suppressions,
            enabled={rule.id for rule in rules},
        )
    )
    if not summarize:
        return report, None
    # Summarized after the rules ran: a check with the view's facts runs them alone, so
    # what they asked is all such a check could ask (a fact the summary alone reads, the
    # returned value of an exported function, asks for no second check).
    reads = reads_of(model, tables) if tables is not None else None
    try:
        summary = summarize_model(model)
    except Exception as exc:  # as a defect in the model: the file's report is this error
        failed = FileReport(path=path)
        failed.notifications.append(_internal_error(path, "the semantic model", exc))
        return failed, None
    summary.reads = reads
    return report, summary


def _first_code_line(source: SourceFile, root: Node) -> int | None:
    """The 1-based line of the first statement (comments and a ``#!`` line are not code)."""
    # ``named_child(i)`` rather than ``named_children``: the statements before the first
    # one that is code are few, a whole file's top level may be thousands.
    for index in range(root.named_child_count):
        child = root.named_child(index)
        if child is not None and child.type not in ("comment", "hash_bang_line"):
            return source.line_number(child.start_byte)
    return None


def source_text(node: Node) -> str:
    return (node.text or b"").decode("utf-8", errors="replace")


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """One site, one finding per rule: drop exact repeats a rule may yield."""
    seen: set[tuple[str, int, int, int, int]] = set()
    unique: list[Finding] = []
    for finding in findings:
        key = (finding.rule, *astuple(finding.span))
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique


def _resolve_deferrals(findings: list[Finding]) -> list[Finding]:
    """Drop a finding that defers to another rule's finding at the same site (one site, one
    finding: NLL401 leaves an interval to NLL201 and a registration to NLL101)."""
    reported = {(f.rule, f.span) for f in findings if not f.defers_to}
    return [f for f in findings if not any(site in reported for site in f.defers_to)]


def _first_error(root: Node) -> Node:
    node = root
    while True:
        child = next((c for c in node.children if c.has_error or c.is_missing), None)
        if child is None or node.is_error:
            return node
        node = child


def _parse_notification(source: SourceFile, root: Node) -> Notification:
    error = _first_error(root)
    position = source.position(error.start_byte)
    what = f"missing `{error.type}`" if error.is_missing else "syntax error"
    return Notification(
        NotificationKind.PARSE_ERROR,
        f"{what} at line {position.line}, column {position.column}; the file was only "
        "partially parsed and the rest was still checked",
        source.path,
        position.line,
        Severity.WARNING,
    )


def _internal_error(path: str, what: str, exc: Exception) -> Notification:
    return Notification(
        NotificationKind.INTERNAL_ERROR,
        f"internal error in {what}: {type(exc).__name__}: {exc}",
        path,
        None,
        Severity.ERROR,
    )
