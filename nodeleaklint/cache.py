"""A content-hash cache of per-file results, so a re-run over unchanged files is instant.

An entry's key hashes the file's bytes together with everything else its result depends
on: the display path, the tool version and code, the enabled rules and their options, and
whether unused suppressions are reported. Entries are JSON (never pickle: a cache folder
could come from anyone), spread over 256 shard files so that checking one file reads one
small shard. Any problem with the cache (read-only or vanished folder, a truncated, garbage or too
deeply nested shard, non-finite numbers, entries of the wrong shape) turns it off or turns
the entry into a miss; it never fails a run and prints nothing. Shards are replaced
atomically, so a run killed while saving, or two runs sharing the folder, cost entries at
worst, never a corrupt shard. The folder gets a ``.gitignore`` of
``*`` and a ``CACHEDIR.TAG``, so version control and backup tools leave it alone.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from nodeleaklint import __version__
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

CACHE_DIRNAME = ".nodeleaklint_cache"
FORMAT = "v2"
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
) -> str:
    """What, besides the bytes and the path, a file's result depends on (``root``, the
    configuration's folder, decides which paths count as test code)."""
    chosen = {rule_id: dict(options.get(rule_id, {})) for rule_id in rule_ids}
    payload = json.dumps(
        [code_fingerprint(), list(rule_ids), chosen, report_unused, str(root)],
        sort_keys=True,
        default=repr,
    )
    return hashlib.blake2b(payload.encode(), digest_size=16).hexdigest()


def entry_key(settings: str, display: str, data: bytes) -> str:
    digest = hashlib.blake2b(digest_size=20)
    digest.update(settings.encode())
    digest.update(b"\0" + display.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(data)
    return digest.hexdigest()


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
        self._dirty: set[str] = set()

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

    def _shard(self, key: str) -> dict[str, Any]:
        name = key[:2]
        shard = self._shards.get(name)
        if shard is None:
            try:
                loaded = json.loads((self.folder / f"{name}.json").read_bytes())
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
        self._dirty.add(key[:2])

    def save(self) -> None:
        """Write the shards that changed; on any error keep quiet (the cache is optional)."""
        for name in sorted(self._dirty):
            temporary = None
            try:
                # Written whole to a temporary file, then renamed over the shard: a run
                # killed mid-write, or two runs saving at once, never leave half a shard.
                fd, temporary = tempfile.mkstemp(dir=self.folder, prefix=f".{name}.")
                # ``dumps``, not ``dump``: only the one-shot encoder is the C one.
                text = json.dumps(self._shards[name], separators=(",", ":"))
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(text)
                os.replace(temporary, self.folder / f"{name}.json")
                temporary = None
            except (OSError, ValueError, RecursionError):
                continue
            finally:
                if temporary is not None:
                    with contextlib.suppress(OSError):
                        os.unlink(temporary)
        self._dirty.clear()


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
                [[list(r.span.__dict__.values()), r.message] for r in f.related],
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
        related=tuple(RelatedLocation(_span(where), str(text)) for where, text in related),
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
