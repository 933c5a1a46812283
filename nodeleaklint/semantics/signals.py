"""Where an ``AbortSignal`` comes from, and whether anything can abort it.

A listener or request given ``{ signal }`` is released when its controller aborts; a
controller made here that nothing aborts (and that never leaves our sight) releases
nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nodeleaklint.parsing import Node
from nodeleaklint.records import record
from nodeleaklint.semantics.flow import escapes
from nodeleaklint.semantics.locations import same_location, value_binding
from nodeleaklint.semantics.reachable import may_run
from nodeleaklint.semantics.scopes import Binding, BindingKind
from nodeleaklint.semantics.syntax import (
    text,
    unwrap,
)

if TYPE_CHECKING:
    from nodeleaklint.semantics.model import SemanticModel


@record
class SignalState:
    """Where an ``AbortSignal`` comes from and whether anything can abort it."""

    controller: Node | None  # the AbortController expression, when known (``ac``, ``this.ac``)
    aborted: bool  # ``controller.abort()`` can run, or the controller/signal leaves our sight


def signal_state(model: SemanticModel, signal: Node | None) -> SignalState:
    """Judge a ``signal`` option value: ``ac.signal``, ``signal`` (from ``const { signal } = ac``
    or ``const signal = ac.signal``), ``this.ac.signal``. A signal of unknown origin (a
    parameter, ``AbortSignal.timeout(ms)``, ``options.signal``) is assumed to abort."""
    controller = _controller_of(model, signal)
    if controller is None:
        return SignalState(None, True)
    binding = value_binding(model, controller)
    if binding is not None:
        if binding.kind is BindingKind.PARAM or binding.is_reassigned:
            return SignalState(controller, True)
        init = unwrap(binding.init)
        if (
            init is None
            or init.type != "new_expression"
            or "AbortController" not in text(init.child_by_field_name("constructor"))
        ):
            return SignalState(controller, True)
        if escapes(model, binding):
            return SignalState(controller, True)
    aborted = any(
        same_location(model, call.obj, controller) and may_run(model, call.node)
        for call in model.calls_named("abort")
        if call.obj is not None and not call.is_new
    )
    return SignalState(controller, aborted)


def _controller_of(model: SemanticModel, signal: Node | None) -> Node | None:
    node = unwrap(signal)
    if node is None:
        return None
    if node.type == "shorthand_property_identifier":
        binding = model.binding_of(node)
        return _controller_from_binding(binding)
    if node.type == "member_expression" and text(node.child_by_field_name("property")) == "signal":
        return unwrap(node.child_by_field_name("object"))
    if node.type == "identifier":
        return _controller_from_binding(model.binding_of(node))
    return None


def _controller_from_binding(binding: Binding | None) -> Node | None:
    if binding is None or binding.is_reassigned or binding.kind is BindingKind.PARAM:
        return None
    init = unwrap(binding.init)
    if init is None:
        return None
    if binding.destructured and binding.name == "signal":
        return init  # const { signal } = controller
    is_member = not binding.destructured and init.type == "member_expression"
    if is_member and text(init.child_by_field_name("property")) == "signal":
        return unwrap(init.child_by_field_name("object"))
    return None
