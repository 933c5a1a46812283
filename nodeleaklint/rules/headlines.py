"""Building a finding's explanation (SPEC §3 "Messages"): a headline of at most about
``HEADLINE_LIMIT`` characters that says what leaks, what holds it and why it repeats, and
notes that carry the evidence and the V8 / Node explanation.

Rules pass the headline as the finding's message and the rest as ``notes``; the text format
shows them as ``= note:`` lines, JSON keeps both (``message`` + ``notes``), and SARIF's
``message.text`` joins them into the whole explanation.
"""

from __future__ import annotations

from nodeleaklint.rules.base import HEADLINE_LIMIT


def fit(*variants: str, limit: int = HEADLINE_LIMIT) -> str:
    """The first of ``variants`` (most to least detailed) that fits within ``limit``
    characters, else the last one: code quoted from the file can make any of them long,
    and the shortest still says what leaks and what holds it."""
    return variants[fit_choice(*variants, limit=limit)]


def fit_choice(*variants: str, limit: int = HEADLINE_LIMIT) -> int:
    """Which of ``variants`` ``fit`` takes: a rule whose notes repeat what a shorter
    headline left out asks this, never the rendered headline's wording."""
    for index, variant in enumerate(variants):
        if len(variant) <= limit:
            return index
    return len(variants) - 1


def sentence(words: str) -> str:
    """``words`` as a note: a capital first letter and a full stop. A leading code span or
    quote stays as it is."""
    words = words.strip()
    if not words:
        return words
    if words[0].islower():
        words = words[0].upper() + words[1:]
    return words if words.endswith((".", "!", "?")) else words + "."
