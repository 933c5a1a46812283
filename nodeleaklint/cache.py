"""A content-hash cache of per-file results, so a re-run over unchanged files is instant.

An entry's key hashes the digest of the file's bytes together with everything else its
result depends on: the display path, the tool version and code, the enabled rules and
their options, and whether unused suppressions are reported. Entries are JSON (never
pickle: a cache folder could come from anyone), spread over 256 shard files so that
checking one file reads one small shard.

A stat index (``stat.json``) maps each path and its stat (size, mtime, ctime, inode) to the
digest of its bytes, so a re-run over unchanged files reads and hashes none of them; a file
whose stat differs is read and hashed again, and a file changed within two seconds of its
stat is never remembered (its stat could stay the same through a second change).

Any problem with the cache (read-only or vanished folder, a truncated, garbage or too
deeply nested shard, non-finite numbers, entries of the wrong shape) turns it off or turns
the entry into a miss; it never fails a run and prints nothing. Shards are replaced
atomically, so a run killed while saving, or two runs sharing the folder, cost entries at
worst, never a corrupt shard. The folder gets a ``.gitignore`` of ``*`` and a
``CACHEDIR.TAG``, so version control and backup tools leave it alone.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from nodeleaklint import __version__
from nodeleaklint.filestat import stat_token
from nodeleaklint.findings import (
    Applicability,
    Confidence,
    Edit,
    FileReport,
    Finding,
    Fix,
    Notification,
    NotificationKind,
    RelatedLocation,
    Severity,
    Span,
)
from nodeleaklint.project.summary import FileSummary
from nodeleaklint.semantics.project_facts import ProjectFacts

CACHE_DIRNAME = ".nodeleaklint_cache"
FORMAT = "v3"
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# Created by nodeleaklint.\n"


@cache
def code_fingerprint() -> str:
    """The tool version plus the size and mtime of every module of the installed package.

    An editable install whose rules change between runs must not be answered from the
    cache of the old code.
    """
    digest = hashlib.blake2b(__version__.encode(), digest_size=16)
    package = Path(__file__).parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".scm"):
            info = path.stat()
            digest.update(f"{path.relative_to(package)}:{info.st_size}:{info.st_mtime_ns}".encode())
    return digest.hexdigest()


def settings_key(
    rule_ids: Sequence[str],
    options: Mapping[str, Mapping[str, Any]],
    report_unused: bool,
    root: Path | None = None,
    *,
    frameworks: Mapping[str, Mapping[str, Sequence[str]]] | None = None,
) -> str:
    """What, besides the bytes and the path, a file's result depends on (``root``, the
    configuration's folder, decides which paths count as test code; ``frameworks``, the
    configuration's additions to the framework table, change the model of every file)."""
    chosen = {rule_id: dict(options.get(rule_id, {})) for rule_id in rule_ids}
    added = {name: dict(rows) for name, rows in (frameworks or {}).items()}
    payload = json.dumps(
        [code_fingerprint(), list(rule_ids), chosen, report_unused, str(root), added],
        sort_keys=True,
        default=repr,
    )
    return hashlib.blake2b(payload.encode(), digest_size=16).hexdigest()


def content_digest(data: bytes) -> str:
    """The hash of a file's bytes (what the stat index remembers)."""
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def entry_key(settings: str, display: str, content: str) -> str:
    """An entry's key: the settings, the display path and the content digest."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(settings.encode())
    digest.update(b"\0" + display.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(content.encode())
    return digest.hexdigest()


def with_project(key: str, project: ProjectFacts | None) -> str:
    """The key of a file checked with what the project view learned (``project``): a file's
    findings change when the callers of its exports in other files do."""
    if not project:
        return key
    return hashlib.blake2b(f"{key}\0{project.key()}".encode(), digest_size=20).hexdigest()


def summary_key(key: str) -> str:
    """Where the project-view summary of the file checked under ``key`` is kept."""
    return hashlib.blake2b(f"summary\0{key}".encode(), digest_size=20).hexdigest()


def digest_key(key: str) -> str:
    """Where the digest of that summary is kept (beside the reports: a re-run whose
    project view is unchanged reads digests, never summaries)."""
    return hashlib.blake2b(f"digest\0{key}".encode(), digest_size=20).hexdigest()


# A file changed within this long before its stat was taken may change again within the
# same timestamp tick without its stat changing ("racily clean", as git calls it): its
# digest is not remembered, so the next run hashes it again.
RACY_NANOSECONDS = 2_000_000_000
STAT_INDEX = "stat.json"
VIEWS = "views"
KEPT_VIEWS = 8
SUMMARIES = "summaries/"


def report_cacheable(report: FileReport) -> bool:
    """Whether a report may be reused: not when checking failed (that may not recur)."""
    return all(n.kind is not NotificationKind.INTERNAL_ERROR for n in report.notifications)


def default_cache_dir(paths: Sequence[str], config_path: str | os.PathLike[str] | None) -> Path:
    """Where a run keeps its cache: ``$NODELEAKLINT_CACHE_DIR``, else ``.nodeleaklint_cache``
    in the folder of the configuration that applies to the first path (the project root),
    else in the working directory.
    """
    from_env = os.environ.get("NODELEAKLINT_CACHE_DIR")
    if from_env:
        return Path(from_env)
    if config_path is not None:
        return Path(os.path.abspath(config_path)).parent / CACHE_DIRNAME
    from nodeleaklint.config import ConfigError, ConfigResolver

    try:
        root = ConfigResolver().for_path(Path(paths[0] if paths else ".")).root
    except (ConfigError, OSError):
        root = None
    return (root if root is not None else Path.cwd()) / CACHE_DIRNAME


class ResultCache:
    """Cached ``FileReport``s in a cache folder (``.nodeleaklint_cache``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._shards: dict[str, dict[str, Any]] = {}
        # Summary digests by entry key: a cached re-run asks for each twice (is the
        # summary there, then the linking's key).
        self._summary_digests: dict[str, str | None] = {}
        self._dirty: set[str] = set()
        self._stats: dict[str, Any] | None = None
        self._stats_dirty = False

    # -- the stat index: path and stat -> content digest ---------------------------------

    def _stat_index(self) -> dict[str, Any]:
        if self._stats is None:
            try:
                loaded = json.loads((self.folder / STAT_INDEX).read_bytes())
            except (OSError, ValueError, RecursionError):
                loaded = {}
            self._stats = loaded if isinstance(loaded, dict) else {}
        return self._stats

    def digest_for(self, path: str, info: os.stat_result) -> str | None:
        """The digest of ``path``'s bytes when its stat is the one remembered with it, so
        an unchanged file is neither read nor hashed (None: read and hash it)."""
        entry = self._stat_index().get(path)
        if not isinstance(entry, list) or len(entry) != 5 or entry[:4] != stat_token(info):
            return None
        digest = entry[4]
        return digest if isinstance(digest, str) else None

    def remember(self, path: str, info: os.stat_result, digest: str, now_ns: int) -> None:
        """Remember ``path``'s digest under the stat taken *before* its bytes were read,
        unless it changed too recently to trust the stat (``RACY_NANOSECONDS``)."""
        newest = max(info.st_mtime_ns, info.st_ctime_ns)
        if now_ns - newest < RACY_NANOSECONDS:
            return
        entry = [*stat_token(info), digest]
        index = self._stat_index()
        if index.get(path) != entry:
            index[path] = entry
            self._stats_dirty = True

    @classmethod
    def open(cls, top: Path) -> ResultCache | None:
        """The cache in folder ``top``, or None when it cannot be created or written."""
        try:
            (top / FORMAT).mkdir(parents=True, exist_ok=True)
            for name, content in ((".gitignore", "*\n"), ("CACHEDIR.TAG", _TAG)):
                if not (top / name).exists():
                    (top / name).write_text(content, encoding="utf-8")
            if not os.access(top / FORMAT, os.W_OK):
                return None
        except OSError:
            return None
        return cls(top / FORMAT)

    def _shard(self, key: str, kind: str = "") -> dict[str, Any]:
        """The shard ``key`` belongs to: reports and summary digests in the cache folder,
        summaries (ten times their size, read only to link a project) under ``kind``."""
        name = f"{kind}{key[:2]}.json"
        shard = self._shards.get(name)
        if shard is None:
            try:
                loaded = json.loads((self.folder / name).read_bytes())
            except (OSError, ValueError, RecursionError):  # gone, garbage, nested too deep
                loaded = {}
            shard = self._shards[name] = loaded if isinstance(loaded, dict) else {}
        return shard

    def get(self, key: str) -> FileReport | None:
        entry = self._shard(key).get(key)
        if entry is None:
            return None
        try:
            return report_from_data(entry)
        except Exception:  # a damaged entry of any shape is a miss, never a failure
            return None

    def put(self, key: str, report: FileReport) -> None:
        self._shard(key)[key] = report_to_data(report)
        self._dirty.add(f"{key[:2]}.json")

    def get_summary(self, key: str) -> FileSummary | None:
        """The project-view summary stored for the file checked under ``key``."""
        where = summary_key(key)
        return FileSummary.from_data(self._shard(where, SUMMARIES).get(where))

    def summary_digest(self, key: str) -> str | None:
        """The digest of the summary stored for the file checked under ``key``, without
        reading the summary (None: no summary is stored)."""
        try:
            return self._summary_digests[key]
        except KeyError:
            pass
        where = digest_key(key)
        digest = self._shard(where).get(where)
        known = self._summary_digests[key] = digest if isinstance(digest, str) else None
        return known

    def put_summary(self, key: str, summary: FileSummary) -> None:
        where = summary_key(key)
        self._shard(where, SUMMARIES)[where] = summary.to_data()
        self._dirty.add(f"{SUMMARIES}{where[:2]}.json")
        where = digest_key(key)
        self._shard(where)[where] = self._summary_digests[key] = summary.digest()
        self._dirty.add(f"{where[:2]}.json")

    # -- linked project views: what linking a set of summaries taught each file ----------

    def get_view(self, key: str) -> dict[str, Any] | None:
        """The linked project view stored under ``key`` (``project.linked``), or None."""
        try:
            loaded = json.loads((self.folder / VIEWS / f"{key}.json").read_bytes())
        except (OSError, ValueError, RecursionError):
            return None
        return loaded if isinstance(loaded, dict) else None

    def put_view(self, key: str, content: dict[str, Any]) -> None:
        """Keep a linked view; only the few most recent are kept (one per project and set
        of files named, in practice)."""
        folder = self.folder / VIEWS
        try:
            folder.mkdir(exist_ok=True)
            kept = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns)
            for old in kept[: max(0, len(kept) - KEPT_VIEWS + 1)]:
                old.unlink()
        except OSError:
            return
        self._write(f"{VIEWS}/{key}.json", content)

    def save(self) -> None:
        """Write the shards that changed; on any error keep quiet (the cache is optional)."""
        for name in sorted(self._dirty):
            if name.startswith(SUMMARIES):
                with contextlib.suppress(OSError):
                    (self.folder / SUMMARIES).mkdir(exist_ok=True)
            self._write(name, self._shards[name])
        self._dirty.clear()
        if self._stats_dirty and self._stats is not None:
            self._write(STAT_INDEX, self._stats)
            self._stats_dirty = False

    def _write(self, filename: str, content: dict[str, Any]) -> None:
        temporary = None
        try:
            # Written whole to a temporary file, then renamed over the old one: a run
            # killed mid-write, or two runs saving at once, never leave half a file.
            import tempfile  # here, not at the top: a run without a cache never imports it

            target = self.folder / filename
            fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
            # ``dumps``, not ``dump``: only the one-shot encoder is the C one.
            text = json.dumps(content, separators=(",", ":"))
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(temporary, target)
            temporary = None
        except (OSError, ValueError, RecursionError):
            return
        finally:
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)


# -- (de)serialization -------------------------------------------------------------------


def _span(values: Sequence[int]) -> Span:
    line, column, end_line, end_column = map(_int, values)
    return Span(line, column, end_line, end_column)


def _int(value: Any) -> int:
    if type(value) is not int:  # ``Infinity``, ``NaN``, ``1e999`` or a string: a damaged entry
        raise ValueError(f"not an integer: {value!r}")
    return value


def report_to_data(report: FileReport) -> dict[str, Any]:
    return {
        "path": report.path,
        "suppressed": report.suppressed,
        "findings": [
            [
                f.rule,
                f.name,
                f.severity.value,
                f.confidence.value,
                f.path,
                list(f.span.__dict__.values()),
                f.message,
                f.help,
                [[list(r.span.__dict__.values()), r.message, r.path] for r in f.related],
                f.fingerprint,
                f.line_text,
                list(f.notes),
                _fix_to_data(f.fix),
            ]
            for f in report.findings
        ],
        "notifications": [
            [n.kind.value, n.message, n.path, n.line, n.level.value] for n in report.notifications
        ],
    }


# Lookups by value, several times faster than calling the enum; a bad value is a KeyError.
_SEVERITIES = {level.value: level for level in Severity}
_CONFIDENCES = {level.value: level for level in Confidence}


def _fix_to_data(fix: Fix | None) -> list[Any] | None:
    if fix is None:
        return None
    edits = [[e.start, e.end, e.content, list(e.span.__dict__.values())] for e in fix.edits]
    return [fix.title, fix.applicability.value, edits]


def _fix(item: Sequence[Any] | None) -> Fix | None:
    if item is None:
        return None
    title, applicability, edits = item
    return Fix(
        str(title),
        tuple(
            Edit(_int(start), _int(end), str(content), _span(span))
            for start, end, content, span in edits
        ),
        Applicability(applicability),
    )


def _finding(item: Sequence[Any]) -> Finding:
    (
        rule,
        name,
        severity,
        confidence,
        path,
        span,
        message,
        help_text,
        related,
        fingerprint,
        line,
        notes,
        fix,
    ) = item
    return Finding(
        rule=str(rule),
        name=str(name),
        severity=_SEVERITIES[severity],
        confidence=_CONFIDENCES[confidence],
        path=str(path),
        span=_span(span),
        message=str(message),
        help=str(help_text),
        related=tuple(
            RelatedLocation(_span(where), str(text), None if path is None else str(path))
            for where, text, path in related
        ),
        fingerprint=str(fingerprint),
        line_text=str(line),
        notes=tuple(str(note) for note in notes),
        fix=_fix(fix),
    )


def _notification(item: Sequence[Any]) -> Notification:
    kind, message, path, line, level = item
    return Notification(
        NotificationKind(kind),
        str(message),
        None if path is None else str(path),
        None if line is None else _int(line),
        Severity(level),
    )


def report_from_data(data: dict[str, Any]) -> FileReport:
    return FileReport(
        path=str(data["path"]),
        findings=[_finding(item) for item in data["findings"]],
        notifications=[_notification(item) for item in data["notifications"]],
        suppressed=_int(data["suppressed"]),
    )
