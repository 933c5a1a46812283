"""Applying fixes to a file: non-overlapping edits per pass, re-checking between passes.

As in ruff: the fixes of one pass are taken in order of position, and a fix any of whose
edits overlaps an edit already taken waits for the next pass (where it is recomputed from
the re-checked text). An edit identical to one already taken (two pipes adding the same
import) is applied once. A pass that would leave the file with more syntax errors than it
had is dropped, and fixing stops there. At most ``MAX_PASSES`` passes run.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Sequence

from nodeleaklint.findings import (
    Applicability,
    Edit,
    FileFix,
    FileReport,
    Fix,
    NotificationKind,
)

MAX_PASSES = 10


def applicable(fix: Fix, unsafe: bool) -> bool:
    return unsafe or fix.applicability is Applicability.SAFE


def apply_fixes(data: bytes, fixes: Sequence[Fix]) -> tuple[bytes, int]:
    """``data`` with every fix applied that does not overlap one taken before it, and how
    many fixes were taken."""
    taken: list[Edit] = []
    count = 0
    for fix in sorted(fixes, key=lambda fix: (min(fix.edits).start, fix.title)):
        fresh = [edit for edit in fix.edits if edit not in taken]
        if _overlapping(fresh) or any(new.overlaps(old) for new in fresh for old in taken):
            continue
        if any(edit.end > len(data) or edit.start > edit.end for edit in fresh):
            continue  # made for other bytes: never write out of range
        taken.extend(fresh)
        count += 1
    out = bytearray()
    position = 0
    for edit in sorted(taken, key=lambda edit: (edit.start, edit.end)):
        out += data[position : edit.start]
        out += edit.content.encode("utf-8", "surrogateescape")
        position = edit.end
    out += data[position:]
    return bytes(out), count


def _overlapping(edits: Sequence[Edit]) -> bool:
    return any(a.overlaps(b) for index, a in enumerate(edits) for b in edits[index + 1 :])


def _syntax_errors(report: FileReport) -> int:
    return sum(1 for n in report.notifications if n.kind is NotificationKind.PARSE_ERROR)


def fix_file(
    path: str,
    display: str,
    data: bytes,
    report: FileReport,
    check: Callable[[bytes], FileReport],
    *,
    unsafe: bool,
) -> FileFix:
    """Fix ``data`` (whose check is ``report``) pass by pass; ``check`` re-checks new text."""
    current, applied = data, 0
    for _ in range(MAX_PASSES):
        fixes = [f.fix for f in report.findings if f.fix is not None and applicable(f.fix, unsafe)]
        if not fixes:
            break
        candidate, count = apply_fixes(current, fixes)
        if count == 0 or candidate == current:
            break
        rechecked = check(candidate)
        if _syntax_errors(rechecked) > _syntax_errors(report):
            break  # a fix that breaks the parse is never written
        current, report, applied = candidate, rechecked, applied + count
    return FileFix(path, display, data, current, applied, report)


def unified_diff(fixed: FileFix) -> str:
    """A unified diff of one file's fix, as ``diff -u`` and ``ruff --diff`` print it."""
    before = fixed.original.decode("utf-8", "surrogateescape").splitlines(keepends=True)
    after = fixed.fixed.decode("utf-8", "surrogateescape").splitlines(keepends=True)
    lines = difflib.unified_diff(before, after, fixed.display, fixed.display)
    out: list[str] = []
    for line in lines:
        if line.endswith(("\n", "\r")):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


class StaleFileError(Exception):
    """The file changed on disk after it was checked: the fix was not written."""


def write(fixed: FileFix) -> None:
    """Write the fixed text over the file, in place (its mode, owner and links stay), but
    only when the file still holds the text that was fixed."""
    with open(fixed.path, "r+b") as handle:
        if handle.read() != fixed.original:
            raise StaleFileError(fixed.display)
        handle.seek(0)
        handle.write(fixed.fixed)
        handle.truncate()
        handle.flush()
        os.fsync(handle.fileno())
