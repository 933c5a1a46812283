"""Baselines: record today's findings once, then report only new ones.

``--write-baseline FILE`` records the current findings; ``--baseline FILE`` drops the
findings it records. The file is plain JSON meant to be committed and reviewed in diffs:
one entry per finding, sorted, indented by two::

    {
      "tool": "nodeleaklint",
      "version": 1,
      "findings": [
        {
          "rule": "NLL102",
          "path": "src/app.js",
          "message": "`bus.setMaxListeners(0)` …",
          "fingerprint": "3f0c…"
        }
      ]
    }

Entries match by ``fingerprint`` only (``rule``, ``path`` and ``message`` are there for
people). The fingerprint is the one findings carry (rule, path, the normalised code of the
finding's line and its rank among identical lines), with the path taken relative to the
baseline file's folder, so a baseline keeps matching when lines are added above a finding
and whichever folder the linter runs from. Writing a baseline keeps the entries of files
the run did not check, so a partial run does not forget the rest of the project.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nodeleaklint.findings import FileReport, Finding, Notification, NotificationKind, RunResult
from nodeleaklint.fingerprints import with_fingerprints
from nodeleaklint.records import record

FORMAT_VERSION = 1
TOOL = "nodeleaklint"


class BaselineError(Exception):
    """A baseline file that cannot be read or written; the message names the file."""


@dataclass(frozen=True, order=True)
class BaselineEntry:
    path: str
    rule: str
    fingerprint: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "path": self.path,
            "message": self.message,
            "fingerprint": self.fingerprint,
        }


@record
class Baseline:
    """The entries of one baseline file; their paths are relative to ``root`` (posix)."""

    root: Path
    entries: tuple[BaselineEntry, ...] = ()

    @property
    def fingerprints(self) -> frozenset[str]:
        return frozenset(entry.fingerprint for entry in self.entries)


def _rebase(path: str, root: Path) -> str:
    """A display path (cwd-relative or absolute) made relative to ``root``, posix style."""
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute, root)
    except ValueError:  # another drive on Windows
        relative = absolute
    return relative.replace(os.sep, "/")


def _display(entry_path: str, root: Path) -> str:
    """An entry's path as the rest of the output shows paths (relative to the cwd)."""
    absolute = os.path.normpath(root / entry_path)
    try:
        return os.path.relpath(absolute)
    except ValueError:
        return absolute


def entries_for(findings: Iterable[Finding], root: Path) -> list[BaselineEntry]:
    """One entry per finding, fingerprinted with its path relative to ``root``."""
    rebased = [dataclasses.replace(f, path=_rebase(f.path, root)) for f in findings]
    return [
        BaselineEntry(f.path, f.rule, f.fingerprint, f.message) for f in with_fingerprints(rebased)
    ]


def _checked_paths(result: RunResult, root: Path) -> set[str]:
    return {_rebase(report.path, root) for report in result.files}


# -- reading and writing -----------------------------------------------------------------


def _entry(item: Any, file: Path, index: int) -> BaselineEntry:
    if not isinstance(item, dict):
        raise BaselineError(f"{file}: findings[{index}] must be an object")
    values: dict[str, str] = {}
    for key in ("rule", "path", "fingerprint"):
        value = item.get(key)
        if not isinstance(value, str) or not value:
            raise BaselineError(f"{file}: findings[{index}].{key} must be a non-empty string")
        values[key] = value
    message = item.get("message", "")
    return BaselineEntry(
        values["path"],
        values["rule"],
        values["fingerprint"],
        message if isinstance(message, str) else "",
    )


def load(file: str | os.PathLike[str]) -> Baseline:
    """Read a baseline file. Raises ``BaselineError`` naming the file when unusable."""
    path = Path(file)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise BaselineError(f"{path}: cannot read baseline: {error.strerror or error}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BaselineError(f"{path}: not a baseline file (invalid JSON: {error})") from None
    if not isinstance(document, dict) or not isinstance(document.get("findings"), list):
        raise BaselineError(f'{path}: not a baseline file (no "findings" list)')
    version = document.get("version")
    if version != FORMAT_VERSION:
        raise BaselineError(f"{path}: unsupported baseline version {version!r}")
    entries = tuple(_entry(item, path, i) for i, item in enumerate(document["findings"]))
    return Baseline(Path(os.path.abspath(path)).parent, entries)


def dumps(entries: Iterable[BaselineEntry]) -> str:
    """The file's text: sorted entries, two-space indent, a final newline."""
    document = {
        "tool": TOOL,
        "version": FORMAT_VERSION,
        "findings": [entry.to_json() for entry in sorted(set(entries))],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write(file: str | os.PathLike[str], result: RunResult) -> Baseline:
    """Record ``result``'s findings in ``file`` and return the baseline written.

    Entries of an existing baseline at ``file`` for files this run did not check are kept.
    """
    path = Path(file)
    root = Path(os.path.abspath(path)).parent
    entries = entries_for(result.findings, root)
    if path.exists():
        checked = _checked_paths(result, root)
        old = load(path)
        entries.extend(entry for entry in old.entries if entry.path not in checked)
    try:
        path.write_text(dumps(entries), encoding="utf-8")
    except OSError as error:
        raise BaselineError(f"{path}: cannot write baseline: {error.strerror or error}") from None
    return Baseline(root, tuple(entries))


# -- applying ----------------------------------------------------------------------------


def _stale_notice(entry: BaselineEntry, root: Path) -> Notification:
    return Notification(
        NotificationKind.STALE_BASELINE,
        f"baseline entry for {entry.rule} no longer matches a finding ({entry.message}); "
        "rewrite the baseline with --write-baseline",
        path=_display(entry.path, root),
    )


def apply(result: RunResult, baseline: Baseline, *, report_stale: bool = False) -> RunResult:
    """``result`` without the findings ``baseline`` records (counted as suppressed).

    With ``report_stale``, entries for checked files that match no finding any more
    become ``stale-baseline`` notifications.
    """
    known = baseline.fingerprints
    matched: set[str] = set()
    files: list[FileReport] = []
    for report in result.files:
        # One file: rebasing its path keeps the order ``with_fingerprints`` sorts by.
        ordered = sorted(report.findings, key=lambda finding: finding.sort_key)
        entries = entries_for(ordered, baseline.root)
        kept = [f for f, e in zip(ordered, entries, strict=True) if e.fingerprint not in known]
        matched.update(e.fingerprint for e in entries if e.fingerprint in known)
        dropped = len(report.findings) - len(kept)
        files.append(
            dataclasses.replace(report, findings=kept, suppressed=report.suppressed + dropped)
        )
    notifications = list(result.notifications)
    if report_stale:
        checked = _checked_paths(result, baseline.root)
        notifications.extend(
            _stale_notice(entry, baseline.root)
            for entry in sorted(baseline.entries)
            if entry.path in checked and entry.fingerprint not in matched
        )
    return RunResult(files=files, notifications=notifications)


def use(
    result: RunResult,
    *,
    baseline_file: str | os.PathLike[str] | None,
    write_file: str | os.PathLike[str] | None,
    report_stale: bool = False,
) -> RunResult:
    """The command line's view: write a baseline and/or report only what it lacks.

    Writing records every current finding, so the run then reports none of them.
    """
    if write_file is not None:
        return apply(result, write(write_file, result))
    if baseline_file is not None:
        return apply(result, load(baseline_file), report_stale=report_stale)
    return result
