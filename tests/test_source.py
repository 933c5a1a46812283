"""Line and column arithmetic shared by every output format and the language server."""

from __future__ import annotations

import pytest

from nodeleaklint.source import Position, SourceFile, split_lines, utf16_length


@pytest.mark.parametrize(
    ("data", "offset", "expected"),
    [
        (b"a\nb", 2, Position(2, 1)),
        (b"a\r\nb", 3, Position(2, 1)),
        (b"a\rb", 2, Position(2, 1)),  # a lone CR ends a line, as in editors
        (b"a\r\rb", 3, Position(3, 1)),
        (b"a\r\n\rb", 4, Position(3, 1)),
        (b"\xef\xbb\xbfab", 4, Position(1, 2)),  # the BOM is not a column
        ("x = '😀'; y".encode(), len("x = '😀'; ".encode()), Position(1, 11)),
        (b"a\x0cb\xe2\x80\xa8c", 6, Position(1, 5)),  # form feed and U+2028 do not end lines
    ],
)
def test_positions_count_lines_at_lf_crlf_and_lone_cr(
    data: bytes, offset: int, expected: Position
) -> None:
    assert SourceFile("x.js", data).position(offset) == expected


def test_line_text_drops_every_kind_of_line_end() -> None:
    source = SourceFile("x.js", b"one\r\ntwo\rthree\nfour")
    assert [source.line_text(i) for i in range(4)] == ["one", "two", "three", "four"]


@pytest.mark.parametrize(
    "text",
    ["", "a", "a\n", "a\r\nb", "a\rb\r", "\n\n", "a\r\r\nb", "x\u2028y\x0cz\n", "é\r😀"],
)
def test_split_lines_agrees_with_the_source_line_index(text: str) -> None:
    lines = split_lines(text)
    assert "".join(lines) == text
    source = SourceFile("x.js", text.encode())
    # The index also starts an (empty) line after a final line end, or in an empty file.
    trailing = 1 if text == "" or text.endswith(("\n", "\r")) else 0
    assert len(source.line_starts) == len(lines) + trailing
    assert [source.line_text(i) for i in range(len(lines))] == [
        line.rstrip("\r\n") for line in lines
    ]


@pytest.mark.parametrize(("text", "units"), [("", 0), ("abc", 3), ("é€", 2), ("a😀b", 4)])
def test_utf16_length_counts_astral_characters_twice(text: str, units: int) -> None:
    assert utf16_length(text) == units
