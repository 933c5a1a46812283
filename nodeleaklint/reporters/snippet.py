"""A source line with a caret underline, measured in terminal cells.

Spans count UTF-16 code units; terminals count cells. Astral characters take two code
units, East Asian wide characters two cells, combining marks none and tabs run to the
next tab stop, so the underline is laid out character by character.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from nodeleaklint.records import record
from nodeleaklint.reporters.common import printable
from nodeleaklint.source import utf16_to_codepoint_column

TAB_WIDTH = 4
MAX_WIDTH = 160
CONTEXT = 40
ELLIPSIS = "…"


@record
class Snippet:
    line: str
    underline: str


def _cell_width(char: str, column: int) -> int:
    if char == "\t":
        return TAB_WIDTH - column % TAB_WIDTH
    if unicodedata.combining(char) or unicodedata.category(char) in ("Me", "Mn", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _layout(chars: str) -> tuple[str, list[int]]:
    """Render ``chars`` (tabs expanded) and give each character's starting cell."""
    parts: list[str] = []
    starts: list[int] = []
    column = 0
    for char in chars:
        width = _cell_width(char, column)
        starts.append(column)
        parts.append(" " * width if char == "\t" else char)
        column += width
    starts.append(column)
    return "".join(parts), starts


def underline(line_text: str, start_utf16: int, end_utf16: int | None) -> Snippet:
    """Lay out ``line_text`` with carets under the 1-based UTF-16 columns ``[start, end)``.

    ``end_utf16`` of ``None`` underlines to the end of the line (multi-line spans).
    """
    text = printable(line_text.rstrip("\r\n"))
    start = utf16_to_codepoint_column(text, max(start_utf16 - 1, 0))
    end = len(text) if end_utf16 is None else utf16_to_codepoint_column(text, end_utf16 - 1)
    end = max(end, start)
    first = 0
    last = len(text)
    if len(text) > MAX_WIDTH:
        first = max(0, start - CONTEXT)
        last = min(len(text), max(end, start + 1) + CONTEXT, first + MAX_WIDTH)
    shown = text[first:last]
    starts: Sequence[int]
    if shown.isascii() and "\t" not in shown:  # one cell per character: no layout needed
        rendered, starts = shown, range(len(shown) + 1)
    else:
        rendered, starts = _layout(shown)
    lead = ELLIPSIS if first > 0 else ""
    tail = ELLIPSIS if last < len(text) else ""
    begin_cell = starts[min(start, last) - first]
    end_cell = starts[min(end, last) - first]
    carets = "^" * max(end_cell - begin_cell, 1)
    return Snippet(
        line=(lead + rendered + tail).rstrip(),
        underline=" " * (len(lead) + begin_cell) + carets,
    )
