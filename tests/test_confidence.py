"""The one confidence function (SPEC §1 *Confidence*): high only on established evidence."""

from __future__ import annotations

from itertools import product

from nodeleaklint.findings import Confidence
from nodeleaklint.semantics.confidence import (
    ESTABLISHED,
    INFERRED,
    Evidence,
    certainty,
    confidence_of,
)


def test_high_only_when_every_part_is_established() -> None:
    for parts in product((ESTABLISHED, INFERRED), repeat=4):
        evidence = Evidence(*parts)
        expected = Confidence.HIGH if set(parts) == {ESTABLISHED} else Confidence.MEDIUM
        assert confidence_of(evidence) is expected, parts


def test_release_and_retention_default_to_established() -> None:
    assert confidence_of(Evidence(repetition=ESTABLISHED, holder=ESTABLISHED)) is Confidence.HIGH
    assert confidence_of(Evidence(ESTABLISHED, INFERRED)) is Confidence.MEDIUM


def test_certainty_says_whether_it_was_seen() -> None:
    assert certainty(True) is ESTABLISHED and certainty(False) is INFERRED
