"""Files with a JavaScript/TypeScript name that are not source a person wrote.

- *Binary*: more than ``BINARY_RATIO`` of the first ``SAMPLE`` bytes are control bytes
  (NUL and the C0 controls other than tab, newline, vertical tab, form feed, carriage
  return and escape). A stray NUL in a real source file stays far below that.
- *Minified*: in the first ``SAMPLE`` bytes, lines average more than ``MINIFIED_LINE``
  bytes and whitespace is under ``MINIFIED_WHITESPACE`` of the text (hand-written code,
  indented, runs at 15-25%). Names such as ``*.min.js`` are excluded by configuration.

Both are decided from bytes with ``bytes.translate``/``count`` (C loops), so sniffing
costs little next to reading the file.
"""

from __future__ import annotations

SAMPLE = 64 * 1024
BINARY_RATIO = 0.10
MINIFIED_LINE = 300
MINIFIED_WHITESPACE = 0.08
MINIFIED_MIN_SIZE = 2048  # a short one-liner is not worth a notice

_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\x0b\x0c\r\x1b")
_WHITESPACE = b" \t\n\r"


def not_source(data: bytes) -> str | None:
    """Why ``data`` should not be checked (a notice for the user), or None to check it."""
    sample = data[:SAMPLE]
    if not sample:
        return None
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    if controls > len(sample) * BINARY_RATIO:
        return "binary content (not JavaScript or TypeScript source); skipped"
    if len(sample) < MINIFIED_MIN_SIZE:
        return None
    lines = sample.count(b"\n") + 1
    average = len(sample) // lines
    whitespace = len(sample) - len(sample.translate(None, _WHITESPACE))
    if average > MINIFIED_LINE and whitespace < len(sample) * MINIFIED_WHITESPACE:
        share = round(100 * whitespace / len(sample))
        return (
            f"looks minified (lines of {average} characters on average, {share}% "
            "whitespace); skipped"
        )
    return None
