"""Source text: bytes, line index, and conversion of byte offsets to lines and columns."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate

BOM = b"\xef\xbb\xbf"
# What ends a line, longest first: editors, the language server protocol and ECMAScript agree.
NEWLINE_SEQUENCES = ("\r\n", "\n", "\r")
_TEXT_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+\Z")


@dataclass(frozen=True, repr=False)
class Position:
    """A 1-based line and a 1-based column counted in UTF-16 code units."""

    line: int
    column: int


@dataclass(eq=False, repr=False)
class SourceFile:
    """One file's bytes as parsed, with a line index built on first use."""

    path: str
    data: bytes
    _line_starts: list[int] = field(default_factory=list, init=False, repr=False)

    @property
    def line_starts(self) -> list[int]:
        """Where each line begins. A line ends at LF, CRLF or a lone CR, as in editors, the
        language server protocol and ECMAScript (tree-sitter's rows count LF only)."""
        if not self._line_starts:
            # ``bytes.splitlines`` breaks at exactly these three (``str.splitlines`` at more);
            # summing the lengths of the lines runs in C, where a search per line did not.
            data = self.data
            starts = [0, *accumulate(map(len, data.splitlines(keepends=True)))]
            if len(starts) > 1 and data[-1:] not in (b"\n", b"\r"):
                starts.pop()  # the end of the last line, which no line terminator ends
            self._line_starts = starts
        return self._line_starts

    def line_number(self, byte_offset: int) -> int:
        """1-based line number containing ``byte_offset``."""
        return self.line_of(byte_offset) + 1

    def line_of(self, byte_offset: int) -> int:
        """0-based line number containing ``byte_offset``."""
        return bisect_right(self.line_starts, byte_offset) - 1

    def line_bytes(self, line0: int) -> bytes:
        """The bytes of a 0-based line, without its line terminator."""
        starts = self.line_starts
        start = starts[line0]
        end = starts[line0 + 1] if line0 + 1 < len(starts) else len(self.data)
        return self.data[start:end].rstrip(b"\r\n")

    def line_text(self, line0: int) -> str:
        return decode(self.line_bytes(line0))

    def position(self, byte_offset: int) -> Position:
        """1-based line and UTF-16 column of a byte offset."""
        line0 = self.line_of(byte_offset)
        start = self.line_starts[line0]
        prefix = self.data[start:byte_offset]
        if line0 == 0 and prefix.startswith(BOM):
            prefix = prefix[len(BOM) :]
        if prefix.isascii():  # one byte, one UTF-16 unit: no decoding (a minified line is long)
            return Position(line0 + 1, len(prefix) + 1)
        return Position(line0 + 1, utf16_length(decode(prefix)) + 1)


def split_lines(text: str) -> list[str]:
    """``text`` as lines, each with its line ending, split where ``SourceFile`` splits: LF,
    CRLF, lone CR (``str.splitlines`` also splits at form feeds, U+2028 and others)."""
    return [match.group() for match in _TEXT_LINE.finditer(text)]


def decode(data: bytes) -> str:
    """Decode source bytes; invalid UTF-8 becomes U+FFFD rather than an error."""
    return data.decode("utf-8", errors="replace")


def utf16_length(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (astral characters count twice)."""
    return len(text.encode("utf-16-le", errors="surrogatepass")) // 2


def utf16_to_codepoint_column(text: str, utf16_column: int) -> int:
    """Convert a 0-based UTF-16 column within ``text`` to a 0-based code-point column."""
    if text.isascii():  # one code unit per character
        return min(max(utf16_column, 0), len(text))
    units = 0
    for index, char in enumerate(text):
        if units >= utf16_column:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text)
