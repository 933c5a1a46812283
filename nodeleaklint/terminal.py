"""The one module that knows the terminal: colour, progress on stderr, and CI detection.

Colour (``--color auto|always|never``, default ``auto``) is for the text and concise
formats only. ``auto`` colours when the output is a terminal, unless ``NO_COLOR`` is set
(https://no-color.org) or ``TERM`` is ``dumb``; ``FORCE_COLOR`` turns it on even when
the output is not a terminal (``FORCE_COLOR=0`` or ``false`` turns it off), and, as in
Node.js, it wins over ``NO_COLOR``. ``always`` and ``never`` win over the environment.

Progress is drawn on stderr, on one line rewritten in place, only for runs that take more
than ``PROGRESS_DELAY`` seconds, when stderr is a terminal, not under ``--quiet`` and not
in CI (``CI`` set to anything but ``0`` or ``false``).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Mapping
from typing import TextIO

COLOR_CHOICES = ("auto", "always", "never")
PROGRESS_DELAY = 2.0
PROGRESS_INTERVAL = 0.1

_RESET = "\x1b[0m"
_CLEAR_LINE = "\r\x1b[K"
_OFF = ("0", "false")


def _set(env: Mapping[str, str], name: str) -> bool:
    """Whether a boolean-ish environment variable is switched on."""
    value = env.get(name)
    return value is not None and value.strip().lower() not in ("", *_OFF)


def is_ci(env: Mapping[str, str] | None = None) -> bool:
    """Whether this runs in CI (``CI`` set, as GitHub Actions, GitLab and most others do)."""
    return _set(os.environ if env is None else env, "CI")


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):  # closed or not a real stream
        return False


def wants_color(choice: str, stream: TextIO, env: Mapping[str, str] | None = None) -> bool:
    """Whether output to ``stream`` should be coloured under ``--color choice``."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    env = os.environ if env is None else env
    force = env.get("FORCE_COLOR")
    if force is not None:
        return force.strip().lower() not in _OFF
    if env.get("NO_COLOR") or env.get("TERM") == "dumb":
        return False
    return is_terminal(stream)


class Palette:
    """Roles of the human formats, as ANSI colours or (disabled) as plain text."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def _paint(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}{_RESET}" if self.enabled and text else text

    def path(self, text: str) -> str:
        return self._paint(text, "1")

    def error(self, text: str) -> str:
        """High-confidence findings and errors."""
        return self._paint(text, "1;31")

    def warning(self, text: str) -> str:
        """Medium-confidence findings and warnings."""
        return self._paint(text, "1;33")

    def help(self, text: str) -> str:
        return self._paint(text, "36")

    def dim(self, text: str) -> str:
        return self._paint(text, "2")

    def summary(self, text: str) -> str:
        return self._paint(text, "1")


PLAIN = Palette(False)


class Progress:
    """``checked 1,200 of 5,000 files (800 from cache), 3.1 s`` on stderr, rewritten in place.

    Nothing is drawn before ``delay`` seconds have passed, so quick runs stay silent;
    ``close`` wipes the line so that the report starts on a clean one.
    """

    def __init__(
        self,
        stream: TextIO,
        *,
        delay: float = PROGRESS_DELAY,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.delay = delay
        self.clock = clock
        self.start = clock()
        self.drawn = False
        self._last = float("-inf")

    def __call__(self, done: int, total: int, cached: int) -> None:
        now = self.clock()
        elapsed = now - self.start
        if elapsed < self.delay or (now - self._last < PROGRESS_INTERVAL and done < total):
            return
        self._last = now
        line = f"checked {done:,} of {total:,} files ({cached:,} from cache), {elapsed:.1f} s"
        self._write(_CLEAR_LINE + line)
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self._write(_CLEAR_LINE)
            self.drawn = False

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # a closed terminal must not end the run
            pass


def progress_for(quiet: bool, stream: TextIO | None = None) -> Progress | None:
    """A progress line on ``stream`` (stderr) when one is wanted, else None."""
    stream = sys.stderr if stream is None else stream
    if quiet or is_ci() or not is_terminal(stream):
        return None
    return Progress(stream)
