"""Listeners added per call: the evidence that listeners pile up on an emitter.

One question, asked from two places: NLL102 (does the emitter whose listener limit is
raised also get listeners in code that runs again and again — in this file, or, through
the project view, in another?) and the project summary (does this file add such listeners
to something it imports? ``exports.listened_per_call``). Both read the same predicate,
``adds_per_call``; they differ only in how they name the emitter (a storage location here,
the references of an imported binding there).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from nodeleaklint.parsing import Node
from nodeleaklint.semantics.locations import same_location
from nodeleaklint.semantics.scopes import CallSite, Repetition
from nodeleaklint.semantics.syntax import unwrap
from nodeleaklint.semantics.vocabulary import LISTEN_METHODS

if TYPE_CHECKING:
    from nodeleaklint.semantics.model import SemanticModel


def adds_per_call(call: CallSite) -> bool:
    """``x.on(…)`` (any listen method, on an object) in code that runs again and again: per
    request, event, call, or loop turn."""
    if call.name not in LISTEN_METHODS or call.obj is None:
        return False
    function = call.function
    return call.in_loop or (function is not None and function.repetition is Repetition.REPEATING)


def first_added_per_call(
    calls: Iterable[CallSite], emitter: Callable[[Node], bool]
) -> CallSite | None:
    """The first of ``calls`` that adds a listener per call to an object ``emitter`` accepts."""
    for call in calls:
        if adds_per_call(call) and call.obj is not None and emitter(call.obj):
            return call
    return None


def listened_per_call(model: SemanticModel, targets: list[Node] | None) -> CallSite | str | None:
    """A listener added per call to one of ``targets`` (the same storage location; any
    emitter when None): the evidence that a raised limit hides a pile-up, not a deliberate
    fan-out. A registration of this file, or — for a module-level emitter another file
    imports — where that file adds one (the project view: ``SemanticModel.listened_elsewhere``)."""

    def matches(obj: Node) -> bool:
        return targets is None or any(same_location(model, obj, t) for t in targets)

    found = first_added_per_call(model.calls_named(*sorted(LISTEN_METHODS)), matches)
    if found is not None:
        return found
    for target in targets or ():
        node = unwrap(target)
        binding = model.binding_of(node) if node is not None and node.type == "identifier" else None
        if binding is not None and binding.scope.is_module:
            place = model.listened_elsewhere.get(binding.name)
            if place is not None:
                return place
    return None
