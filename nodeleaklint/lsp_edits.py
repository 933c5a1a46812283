"""Text the editor quick fixes insert: suppression comments, placed as people write them.

Pure functions over a document's lines (each with its line ending, as editors send them);
``nodeleaklint.lsp`` turns the results into LSP text edits. Positions are 0-based lines;
an insertion always happens at the start of a line, so no column conversion is needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nodeleaklint.suppressions import PREFIX, Scope


@dataclass(frozen=True, repr=False)
class Insertion:
    """Insert ``text`` at the start of 0-based ``line``."""

    line: int
    text: str


def _newline(lines: Sequence[str]) -> str:
    first = lines[0] if lines else ""
    return "\r\n" if first.endswith("\r\n") else "\n"


def disable_next_line(lines: Sequence[str], line: int, rule: str) -> Insertion:
    """``// nodeleaklint-disable-next-line RULE`` above ``line``, with that line's indentation."""
    text = lines[line] if 0 <= line < len(lines) else ""
    indent = text[: len(text) - len(text.lstrip(" \t"))]
    comment = f"{indent}// {PREFIX}{Scope.NEXT_LINE.value} {rule}{_newline(lines)}"
    return Insertion(max(line, 0), comment)


def disable_file(lines: Sequence[str], rule: str) -> Insertion:
    """``/* nodeleaklint-disable RULE */`` at the top of the file, after a ``#!`` line."""
    line = 1 if lines and lines[0].lstrip("\ufeff").startswith("#!") else 0
    return Insertion(line, f"/* {PREFIX}{Scope.FILE.value} {rule} */{_newline(lines)}")
