"""The terminal: when to colour, when and how to draw progress."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from nodeleaklint import runner, terminal


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("choice", "env", "tty", "expected"),
    [
        ("auto", {}, True, True),
        ("auto", {}, False, False),
        ("auto", {"NO_COLOR": "1"}, True, False),
        ("auto", {"NO_COLOR": ""}, True, True),  # no-color.org: only a non-empty value counts
        ("auto", {"TERM": "dumb"}, True, False),
        ("auto", {"FORCE_COLOR": "1"}, False, True),
        ("auto", {"FORCE_COLOR": ""}, False, True),
        ("auto", {"FORCE_COLOR": "false"}, True, False),
        ("auto", {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False, True),
        ("always", {"NO_COLOR": "1"}, False, True),
        ("never", {"FORCE_COLOR": "1"}, True, False),
    ],
)
def test_wants_color(choice: str, env: dict[str, str], tty: bool, expected: bool) -> None:
    stream = Tty() if tty else io.StringIO()
    assert terminal.wants_color(choice, stream, env) is expected


def test_palette_plain_is_the_identity() -> None:
    assert terminal.PLAIN.error("NLL101") == "NLL101"
    assert terminal.Palette(True).error("NLL101") == "\x1b[1;31mNLL101\x1b[0m"
    assert terminal.Palette(True).error("") == ""


@pytest.mark.parametrize(
    ("value", "expected"), [(None, False), ("", False), ("0", False), ("true", True), ("1", True)]
)
def test_ci_detection(value: str | None, expected: bool) -> None:
    assert terminal.is_ci({} if value is None else {"CI": value}) is expected


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_progress_waits_then_draws_on_one_line_and_wipes_it() -> None:
    stream, clock = Tty(), Clock()
    progress = terminal.Progress(stream, clock=clock)
    progress(1, 10, 0)
    clock.now += 1.9
    progress(2, 10, 1)
    assert stream.getvalue() == ""  # a quick run shows nothing
    clock.now += 0.2
    progress(3, 10, 1)
    assert stream.getvalue() == "\r\x1b[Kchecked 3 of 10 files (1 from cache), 2.1 s"
    progress(4, 10, 1)  # within the redraw interval: not drawn
    assert stream.getvalue().count("checked") == 1
    clock.now += 0.5
    progress(1500, 2000, 1200)
    assert stream.getvalue().endswith("checked 1,500 of 2,000 files (1,200 from cache), 2.6 s")
    progress.close()
    assert stream.getvalue().endswith("\r\x1b[K")
    progress.close()  # once only
    assert stream.getvalue().count("\r\x1b[K") == 3


def test_progress_is_off_when_quiet_in_ci_or_not_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CI", raising=False)
    assert isinstance(terminal.progress_for(False, Tty()), terminal.Progress)
    assert terminal.progress_for(True, Tty()) is None
    assert terminal.progress_for(False, io.StringIO()) is None
    monkeypatch.setenv("CI", "true")
    assert terminal.progress_for(False, Tty()) is None


def test_runner_reports_progress_with_cache_hits(tmp_path: Path) -> None:
    for name in ("a.js", "b.js", "c.js"):
        (tmp_path / name).write_text("const x = 1;\n", encoding="utf-8")
    seen: list[tuple[int, int, int]] = []
    cache = tmp_path / "cache"
    runner.run([str(tmp_path)], cache_dir=cache, progress=lambda *a: seen.append(a))
    assert seen == [(1, 3, 0), (2, 3, 0), (3, 3, 0)]
    (tmp_path / "c.js").write_text("const y = 2;\n", encoding="utf-8")
    seen.clear()
    runner.run([str(tmp_path)], cache_dir=cache, progress=lambda *a: seen.append(a))
    assert seen == [(1, 3, 1), (2, 3, 2), (3, 3, 2)]
    assert os.path.isdir(cache)
