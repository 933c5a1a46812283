"""Output formats: one pure function per format, from a run's results to text.

A format's module is imported only when that format is asked for: SARIF's object model
alone costs more start-up time than an editor's whole check of one file.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence

from nodeleaklint.findings import RunResult
from nodeleaklint.rules.base import Rule
from nodeleaklint.terminal import PLAIN, Palette

FORMATS: tuple[str, ...] = ("text", "concise", "json", "github", "sarif")

_MODULES: dict[str, str] = {
    "text": "text",
    "concise": "concise",
    "json": "json_format",
    "github": "github",
    "sarif": "sarif",
}


# The human formats: they take ``quiet`` and a colour ``palette``.
HUMAN_FORMATS: tuple[str, ...] = ("text", "concise")


def render(
    fmt: str,
    result: RunResult,
    rules: Sequence[Rule],
    *,
    max_results: int | None = None,
    quiet: bool = False,
    palette: Palette = PLAIN,
) -> str:
    """Render ``result`` in format ``fmt`` (one of ``FORMATS``).

    ``max_results`` caps the results of a SARIF log (most severe first, with a
    notification saying how many were left out); the other formats report everything.
    ``quiet`` leaves only the findings in the text, concise and github formats (no
    notifications, no summary); ``palette`` colours the text and concise formats.
    """
    if fmt not in _MODULES:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    module = importlib.import_module(f"nodeleaklint.reporters.{_MODULES[fmt]}")
    if fmt == "sarif":
        return str(module.render(result, rules, max_results=max_results))
    if fmt in HUMAN_FORMATS:
        return str(module.render(result, rules, quiet=quiet, palette=palette))
    if fmt == "github":
        return str(module.render(result, rules, quiet=quiet))
    return str(module.render(result, rules))
