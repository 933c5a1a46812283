"""Output formats: one pure function per format, from a run's results to text."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from nodeleaklint.findings import RunResult
from nodeleaklint.reporters import concise, github, json_format, sarif, text
from nodeleaklint.rules.base import Rule

FORMATS: tuple[str, ...] = ("text", "concise", "json", "github", "sarif")

_RENDERERS: dict[str, Callable[[RunResult, Sequence[Rule]], str]] = {
    "text": text.render,
    "concise": concise.render,
    "json": json_format.render,
    "github": github.render,
}


def render(
    fmt: str, result: RunResult, rules: Sequence[Rule], *, max_results: int | None = None
) -> str:
    """Render ``result`` in format ``fmt`` (one of ``FORMATS``).

    ``max_results`` caps the results of a SARIF log (most severe first, with a
    notification saying how many were left out); the other formats report everything.
    """
    if fmt == "sarif":
        return sarif.render(result, rules, max_results=max_results)
    try:
        renderer = _RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}") from None
    return renderer(result, rules)
