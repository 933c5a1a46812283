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
from nodeleaklint.semantics.scopes import BindingKind, CallSite, FunctionInfo, nested_in
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
        if param is None:
            continue  # most listeners are not a parameter: the event is not read for them
        event = string_value(call.args[0]) if call.args else None
        if event is None or call.obj is None or call.function is None:
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


def instance_registrars(model: SemanticModel) -> list[tuple[Registrar, list[CallSite]]]:
    """Methods that add their caller's listener to the instance itself and hand back the
    function that removes it (``onReady(fn) { this.on('ready', fn); return () =>
    this.off('ready', fn) }``), each with the calls other methods of the class make of it
    on the instance (``this.onReady(resolve)``). The returned remover is the method's own
    contract: a caller that drops it cannot remove the listener, and the instance keeps it
    for as long as it lives (cached)."""
    cached = model.cache.get("instance_registrars")
    if isinstance(cached, list):
        return cached
    found: list[tuple[Registrar, list[CallSite]]] = []
    for call in model.calls_named(*sorted(LISTEN_METHODS - ONCE_METHODS)):
        function = call.function
        if function is None or not model.is_this(call.obj) or call.obj is None:
            continue
        name, class_node = function.name, function.class_node
        if name is None or class_node is None or function.method_kind not in _INSTANCE_METHODS:
            continue
        param = _registered_parameter(model, call, function)
        event = string_value(call.args[0]) if call.args else None
        if param is None or event is None or not _disposes(model, call, event, param):
            continue
        shown = f"the `{function.class_name}` instance" if function.class_name else "the instance"
        registrar = Registrar(function, param, event, shown, call, (), True)
        sites = [
            site
            for site in model.calls_named(name)
            if site.function is not None
            and model.is_this(site.obj)
            and model.in_class(site.node, class_node)
            and not nested_in(site.function, function)
            and not _in_constructor(site.function)
        ]
        found.append((registrar, sites))
    model.cache["instance_registrars"] = found
    return found


_INSTANCE_METHODS = frozenset({"method", "field"})


def _in_constructor(function: FunctionInfo | None) -> bool:
    """Inside a constructor (class or ES5): runs once per instance, however many there are."""
    current = function
    while current is not None:
        if current.method_kind is not None:
            return current.method_kind == "constructor"
        current = current.parent
    return False


def _passed_parameter(model: SemanticModel, call: CallSite) -> int | None:
    """The index of the parameter of the (named) function around ``call`` that ``call``
    registers as the listener, or None."""
    function = call.function
    if function is None or function.binding is None:
        return None
    return _registered_parameter(model, call, function)


def _registered_parameter(
    model: SemanticModel, call: CallSite, function: FunctionInfo
) -> int | None:
    """The index of the parameter of ``function`` that ``call`` registers, or None."""
    if len(call.args) < 2:
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
        if (
            not nested_in(removal.function, function)
            or len(removal.args) < 2
            or string_value(removal.args[0]) != event
        ):
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
