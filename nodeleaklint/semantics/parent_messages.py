"""Code driven only by messages from the parent process (SPEC §1 *Confidence*).

``process.on('message', f)`` in a child process, or ``parentPort.on('message', f)`` in a
worker thread, runs ``f`` once per message the parent sends, and the parent is another
process or thread: how many it sends is not in view. A child forked to serve one job often
gets exactly one (``cluster.fork().send({ index })``). Code that only such messages drive
repeats as far as this file shows, but that repetition is inferred, not seen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nodeleaklint.semantics.provenance import origin_of
from nodeleaklint.semantics.repetition import is_registration
from nodeleaklint.semantics.scopes import CallSite, FunctionInfo
from nodeleaklint.semantics.syntax import outer, string_value, unwrap
from nodeleaklint.semantics.vocabulary import EVENT_LISTEN_METHODS

if TYPE_CHECKING:
    from nodeleaklint.semantics.model import SemanticModel

_MAX_DEPTH = 4


def driven_only_by_parent_messages(model: SemanticModel, function: FunctionInfo) -> bool:
    """Whether every event that makes ``function`` run again is a message from the parent
    process or thread: it is (or runs inside) a ``'message'`` listener on ``process`` or
    ``parentPort``, or a named function whose calls from event-driven code all are."""
    return _only_parent_messages(model, function, 0, set())


def _only_parent_messages(
    model: SemanticModel, function: FunctionInfo, depth: int, seen: set[int]
) -> bool:
    if depth > _MAX_DEPTH or function.node.id in seen:
        return False
    seen.add(function.node.id)
    call = function.callback_of
    if call is not None and is_registration(call):
        return _parent_message(model, call)
    if call is not None or function.is_iife:
        around = function.parent
        return around is not None and _only_parent_messages(model, around, depth + 1, seen)
    binding = function.binding
    if binding is None or function.class_node is not None:
        return False
    drivers = 0
    for reference in binding.references:
        position = outer(reference)
        parent = position.parent
        if parent is None:
            continue
        if parent.type == "arguments" and parent.parent is not None:
            site = model.call_at(parent.parent)  # registered by name: ``process.on('message', f)``
            if site is None or not is_registration(site):
                return False  # passed on: called from anywhere
            if not _parent_message(model, site):
                return False
            drivers += 1
            continue
        caller = model.enclosing_function(reference)
        if caller is None or not model.is_event_driven(caller):
            continue  # called from module top level or from code no event drives
        if not _only_parent_messages(model, caller, depth + 1, seen):
            return False
        drivers += 1
    return drivers > 0


def _parent_message(model: SemanticModel, call: CallSite) -> bool:
    """``process.on('message', …)`` / ``parentPort.on('message', …)`` (worker_threads)."""
    if call.name not in EVENT_LISTEN_METHODS or not call.args or call.obj is None:
        return False
    if string_value(call.args[0]) != "message":
        return False
    receiver = unwrap(call.obj)
    if receiver is None or receiver.type != "identifier":
        return False
    if receiver.text == b"process":
        return model.binding_of(receiver) is None  # the global, not a local of that name
    origin = origin_of(model, receiver)
    return (
        origin is not None
        and origin.export == "parentPort"
        and origin.from_module({"worker_threads", "node:worker_threads"})
    )
