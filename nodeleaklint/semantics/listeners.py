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
from nodeleaklint.semantics.locations import same_location, value_binding
from nodeleaklint.semantics.scopes import CallSite, Repetition
from nodeleaklint.semantics.syntax import unwrap
from nodeleaklint.semantics.vocabulary import LISTEN_METHODS, REMOVE_LISTENER_METHODS

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

    registrations = [
        call
        for call in model.calls_named(*sorted(LISTEN_METHODS))
        if not _forwarded_with_removal(model, call)
    ]
    found = first_added_per_call(registrations, matches)
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


def _forwarded_with_removal(model: SemanticModel, call: CallSite) -> bool:
    """``addListener(key, handler) { this._listeners.addListener(key, handler) }`` beside
    ``removeListener(key, handler) { this._listeners.removeListener(key, handler) }``: the
    registration adds a handler its caller gives, on an emitter from which the file also
    removes a handler its caller gives. That is a subscription API (a fan-out hub): whether
    listeners pile up is up to its callers, who are given the way to remove them; the
    registration is no evidence of a pile-up by itself."""
    if len(call.args) < 2 or call.obj is None or not _caller_given(model, call, call.args[1]):
        return False
    return any(
        len(removal.args) >= 2
        and removal.obj is not None
        and same_location(model, removal.obj, call.obj)
        and _caller_given(model, removal, removal.args[1])
        for removal in model.calls_named(*sorted(REMOVE_LISTENER_METHODS))
    )


def _caller_given(model: SemanticModel, call: CallSite, handler: Node) -> bool:
    """The handler is a parameter of the function making the call."""
    binding = value_binding(model, handler)
    return binding is not None and call.function is not None and binding in call.function.params
