"""How sure a finding is: one function of the evidence (SPEC §1 *Confidence*).

Every rule states what it has seen as an ``Evidence`` and asks ``confidence_of`` for the
confidence, so "high" means the same thing in every rule: the leaking code is seen to run
again and again, what keeps its leftovers is seen to live long enough, what is kept is
seen to hold something (a handle, a large value, a reaction), and nothing in view lets go
of it. Anything only inferred — from a name, a shape, or for want of callers in view —
makes the finding medium. Rules never construct a high confidence themselves (a test
enforces it); they may still say medium outright for a check that is new or that rests on
a guess by its nature.

Test code stays medium at most: the engine lowers findings in test files after the rules
ran, whatever their evidence.
"""

from __future__ import annotations

from enum import Enum

from nodeleaklint.findings import Confidence
from nodeleaklint.records import record


class Certainty(Enum):
    """How one piece of evidence is known."""

    ESTABLISHED = "established"  # seen: in this file, or through the project view
    INFERRED = "inferred"  # possible only: guessed from a name or shape, or unknown


ESTABLISHED = Certainty.ESTABLISHED
INFERRED = Certainty.INFERRED


def certainty(seen: bool) -> Certainty:
    """``ESTABLISHED`` when the evidence was seen, else ``INFERRED``."""
    return ESTABLISHED if seen else INFERRED


@record
class Evidence:
    """What a finding rests on, each part established or only inferred.

    ``repetition``: the code that leaks runs again and again (per request, event, loop turn;
    ``contexts.repetition_certainty``). ``holder``: what keeps the leftovers lives long
    enough (the process, a singleton, the event loop for an open handle). ``retained``: what
    is kept holds something (a value known to be large, a stream known to hold a handle).
    ``unreleased``: nothing in view lets go of it (no partial eviction, no sibling release,
    the holder does not escape to code that may release it)."""

    repetition: Certainty
    holder: Certainty
    retained: Certainty = ESTABLISHED
    unreleased: Certainty = ESTABLISHED

    def parts(self) -> tuple[Certainty, ...]:
        return (self.repetition, self.holder, self.retained, self.unreleased)


def confidence_of(evidence: Evidence) -> Confidence:
    """High when every part of the evidence is established, medium otherwise."""
    if all(part is ESTABLISHED for part in evidence.parts()):
        return Confidence.HIGH
    return Confidence.MEDIUM
