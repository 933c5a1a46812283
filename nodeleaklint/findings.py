"""What a run produces: findings, their locations, and per-file notifications."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


class Confidence(str, enum.Enum):
    HIGH = "high"
    MEDIUM = "medium"

    def at_least(self, minimum: Confidence) -> bool:
        """Whether this confidence meets ``minimum`` (``min-confidence``, ``fail-on``)."""
        return minimum is Confidence.MEDIUM or self is Confidence.HIGH


def report_level(severity: Severity, confidence: Confidence) -> Severity:
    """The level a finding is reported at: ``error`` when its confidence is high,
    ``warning`` when medium (GitHub annotations, SARIF ``level``, editor diagnostics).

    A rule declared at ``note`` severity stays a note whatever its confidence: the
    confidence of a finding never raises a rule above what its author declared.
    """
    if severity is Severity.NOTE:
        return Severity.NOTE
    return Severity.ERROR if confidence is Confidence.HIGH else Severity.WARNING


@dataclass(frozen=True, order=True)
class Span:
    """A source range: 1-based lines, 1-based UTF-16 columns, end column exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class RelatedLocation:
    """Another place a finding's explanation points to (SARIF ``relatedLocations``)."""

    span: Span
    message: str
    # The file it is in, as shown (another file of the project); None: the finding's file.
    path: str | None = None


class Applicability(str, enum.Enum):
    """Whether a fix keeps the program's behaviour (ruff's model). Every fix we offer
    changes what the program does when something fails, so all are ``unsafe``: applied only
    under ``--fix --unsafe-fixes``."""

    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True, order=True)
class Edit:
    """Replace bytes ``[start, end)`` of the checked file with ``content``.

    Offsets count bytes of the file as read (a BOM included), so applying an edit never
    depends on how columns are counted; ``span`` is the same range in lines and UTF-16
    columns, for editors.
    """

    start: int
    end: int
    content: str
    span: Span

    def overlaps(self, other: Edit) -> bool:
        """Whether the two edits touch the same bytes (two insertions at one offset do:
        their order would be a guess)."""
        if self.start == self.end == other.start == other.end:
            return True
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Fix:
    """A rewrite that resolves a finding: its edits, applied together or not at all."""

    title: str
    edits: tuple[Edit, ...]
    applicability: Applicability = Applicability.UNSAFE


@dataclass(frozen=True)
class Finding:
    """One reported problem. ``path`` is as given on the command line (or cwd-relative).

    ``message`` is the rule's whole explanation (one line when short); ``notes`` are
    further explanation lines a rule gives apart; ``help`` says how to fix it by hand (the
    rule's ``fix`` text); ``fix`` is the rewrite that does it for you, when one is known.
    """

    rule: str
    name: str
    severity: Severity
    confidence: Confidence
    path: str
    span: Span
    message: str
    help: str = ""
    related: tuple[RelatedLocation, ...] = ()
    fingerprint: str = ""
    line_text: str = ""
    notes: tuple[str, ...] = ()
    fix: Fix | None = None
    # One site, one finding (SPEC §2): drop this finding when one of these rules reports a
    # finding at that span. The engine resolves it; reports never see it.
    defers_to: tuple[tuple[str, Span], ...] = ()

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.span.line, self.span.column, self.rule, self.message)

    @property
    def level(self) -> Severity:
        """The level it is reported at (see ``report_level``)."""
        return report_level(self.severity, self.confidence)


class NotificationKind(str, enum.Enum):
    """Why a file was not (fully) checked, or what went wrong while checking it."""

    PARSE_ERROR = "parse-error"
    UNREADABLE = "unreadable"
    SKIPPED = "skipped"
    INTERNAL_ERROR = "internal-error"
    CONFIG_ERROR = "config-error"
    TRUNCATED = "truncated"
    UNUSED_SUPPRESSION = "unused-suppression"
    STALE_BASELINE = "stale-baseline"


# Notification kinds that make a run unsuccessful (exit status 2).
FAILING_NOTIFICATIONS = frozenset(
    {NotificationKind.INTERNAL_ERROR, NotificationKind.CONFIG_ERROR, NotificationKind.UNREADABLE}
)


@dataclass(frozen=True)
class Notification:
    """A message about the run or one file that is not a finding (SARIF: a notification)."""

    kind: NotificationKind
    message: str
    path: str | None = None
    line: int | None = None
    level: Severity = Severity.WARNING


@dataclass
class FileReport:
    """Everything checking one file produced.

    ``hidden`` counts findings left out because they are below the minimum confidence;
    ``fail_on`` is the lowest confidence of a finding that fails the run for this file
    (``fail-on``). Both are settings of the run, filled in after checking (not cached).
    """

    path: str
    findings: list[Finding] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)
    suppressed: int = 0
    hidden: int = 0
    fail_on: Confidence = Confidence.HIGH


@dataclass(frozen=True)
class FileFix:
    """What fixing one file did (``nodeleaklint.fixes.apply``): its bytes before and after
    and how many fixes it took; ``report`` is the check of the fixed bytes."""

    path: str
    display: str
    original: bytes
    fixed: bytes
    applied: int
    report: FileReport

    @property
    def changed(self) -> bool:
        return self.fixed != self.original


@dataclass
class RunResult:
    """The outcome of a whole run, in the order reporters print it.

    ``fixed`` lists the files fixes were computed for (``--fix``/``--diff``); their reports
    in ``files`` are then the checks of the fixed text.
    """

    files: list[FileReport] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)
    shard: tuple[int, int] | None = None  # (K, N): the K-th of N slices of the files
    fixed: list[FileFix] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        found = [finding for report in self.files for finding in report.findings]
        return sorted(found, key=lambda finding: finding.sort_key)

    @property
    def all_notifications(self) -> list[Notification]:
        return [*self.notifications, *(n for report in self.files for n in report.notifications)]

    @property
    def files_checked(self) -> int:
        return len(self.files)

    @property
    def hidden(self) -> int:
        """Findings not reported because they are below the minimum confidence."""
        return sum(report.hidden for report in self.files)

    @property
    def failing(self) -> list[Finding]:
        """Reported findings at or above their file's ``fail-on`` confidence."""
        return [
            finding
            for report in self.files
            for finding in report.findings
            if finding.confidence.at_least(report.fail_on)
        ]

    @property
    def fixable(self) -> list[Fix]:
        """The fixes of the reported findings."""
        return [finding.fix for finding in self.findings if finding.fix is not None]

    @property
    def successful(self) -> bool:
        return not any(n.kind in FAILING_NOTIFICATIONS for n in self.all_notifications)
