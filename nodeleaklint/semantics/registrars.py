"""Registrars: functions that add their caller's listener to a long-lived emitter.

``function subscribe(fn) { bus.on('tick', fn) }`` adds nothing by itself: the caller owns
the listener it passes, and its removal (``unsubscribe(fn)``, a counterpart that passes its
parameter to ``bus.off('tick', …)``). So the registration is judged where the caller calls
the registrar, like ``bus.on`` itself would be: a caller that runs per request and passes a
new function each time, never given to a counterpart, leaves one listener per request on
the emitter (SPEC §1 *Cleanup in another file counts*).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nodeleaklint.records import record
from nodeleaklint.semantics.lifetimes import Lifetime
from nodeleaklint.semantics.locations import same_location
from nodeleaklint.semantics.scopes import BindingKind, CallSite, FunctionInfo
from nodeleaklint.semantics.syntax import string_value, unwrap
from nodeleaklint.semantics.vocabulary import (
    LISTEN_METHODS,
    ONCE_METHODS,
    REMOVE_LISTENER_METHODS,
)

if TYPE_CHECKING:
    from nodeleaklint.semantics.model import SemanticModel


@record
class Registrar:
    """``function`` passes its parameter ``param`` to ``registration`` (``bus.on(event,
    p)``) on a process-lived emitter, described as ``target``; ``counterparts`` pass theirs
    to a removal of the same event on the same emitter; ``disposes``: the function itself
    removes that parameter again somewhere (a returned disposer, ``() => bus.off(e, p)``),
    so a caller that keeps what it returns can remove the listener."""

    function: FunctionInfo
    param: int
    event: str
    target: str
    registration: CallSite
    counterparts: tuple[FunctionInfo, ...]
    disposes: bool


def registrars(model: SemanticModel) -> list[Registrar]:
    """The named functions of the file that register their caller's listener (cached)."""
    cached = model.cache.get("registrars")
    if isinstance(cached, list):
        return cached
    found: list[Registrar] = []
    for call in model.calls_named(*sorted(LISTEN_METHODS - ONCE_METHODS)):
        param = _passed_parameter(model, call)
        event = string_value(call.args[0]) if call.args else None
        if param is None or event is None or call.obj is None or call.function is None:
            continue
        holder = model.lifetime_of(call.obj)
        if holder.lifetime is not Lifetime.PROCESS:
            continue
        found.append(
            Registrar(
                call.function,
                param,
                event,
                holder.description,
                call,
                _counterparts(model, call, event),
                _disposes(model, call, event, param),
            )
        )
    model.cache["registrars"] = found
    return found


def _passed_parameter(model: SemanticModel, call: CallSite) -> int | None:
    """The index of the parameter of the (named) function around ``call`` that ``call``
    registers as the listener, or None."""
    function = call.function
    if function is None or function.binding is None or len(call.args) < 2:
        return None
    handler = unwrap(call.args[1])
    if handler is None or handler.type != "identifier":
        return None
    binding = model.binding_of(handler)
    if binding is None or binding.kind is not BindingKind.PARAM or binding.is_reassigned:
        return None
    if binding not in function.params:
        return None
    return function.params.index(binding)


def _counterparts(
    model: SemanticModel, registration: CallSite, event: str
) -> tuple[FunctionInfo, ...]:
    """Named functions that pass a parameter to a removal of ``event`` on the emitter
    ``registration`` adds to."""
    found: list[FunctionInfo] = []
    for removal in model.calls_named(*sorted(REMOVE_LISTENER_METHODS)):
        if removal.obj is None or not removal.args or string_value(removal.args[0]) != event:
            continue
        if not same_location(model, removal.obj, registration.obj):
            continue
        if _passed_parameter(model, removal) is not None and removal.function is not None:
            found.append(removal.function)
    return tuple(found)


def _disposes(model: SemanticModel, registration: CallSite, event: str, param: int) -> bool:
    """Whether the registering function (or a function inside it) removes the listener
    parameter it registered from the same emitter."""
    function = registration.function
    assert function is not None
    listener = function.params[param]
    for removal in model.calls_named(*sorted(REMOVE_LISTENER_METHODS)):
        inner = removal.function
        while inner is not None and inner is not function:
            inner = inner.parent
        if inner is None or len(removal.args) < 2 or string_value(removal.args[0]) != event:
            continue
        handler = unwrap(removal.args[1])
        if (
            handler is not None
            and handler.type == "identifier"
            and model.binding_of(handler) is listener
            and same_location(model, removal.obj, registration.obj)
        ):
            return True
    return False


def direct_calls(model: SemanticModel, function: FunctionInfo) -> list[CallSite]:
    """The calls of ``function`` by its name in this file (``SemanticModel.direct_calls``)."""
    return model.direct_calls(function.binding) if function.binding is not None else []
