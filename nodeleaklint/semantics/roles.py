"""Roles (SPEC §1 *Roles*): whether a function owns the object it was given.

A function that wires up or wraps a parameter owns it: the listeners it adds live as long
as that object, however often the function runs — known by structure, never by the
parameter's name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nodeleaklint.semantics.scopes import Binding, BindingKind
from nodeleaklint.semantics.syntax import outer, string_value, unwrap
from nodeleaklint.semantics.vocabulary import LIFECYCLE_EVENTS, LISTEN_METHODS, ONCE_METHODS

if TYPE_CHECKING:
    from nodeleaklint.semantics.model import SemanticModel


def owns_parameter(model: SemanticModel, binding: Binding) -> bool:
    """The parameter's function wraps it (a constructor that keeps it on ``this`` and
    listens to it) or sets it up (gives it listeners for several different events)."""
    return _wraps(model, binding) or _sets_up(model, binding)


def _wraps(model: SemanticModel, binding: Binding) -> bool:
    """``constructor(connection) { this.connection = connection; connection.on(ev, …) }``:
    the instance keeps the object it was given and listens to it for its own life, so the
    listeners live exactly as long as the pair (SPEC §1 *Roles*: the wrapper owns it)."""
    function = binding.function
    if binding.kind is not BindingKind.PARAM or function is None:
        return False
    if function.method_kind != "constructor" and model.class_info(function.node) is None:
        return False
    for reference in binding.references:
        parent = outer(reference).parent
        if parent is None or parent.type != "assignment_expression":
            continue
        right = parent.child_by_field_name("right")
        left = unwrap(parent.child_by_field_name("left"))
        if (
            right is not None
            and outer(reference).id == right.id
            and left is not None
            and left.type == "member_expression"
            and model.is_this(left.child_by_field_name("object"))
        ):
            return True
    return False


# Listeners for this many different events (not its lifecycle events, not ``once``) on one
# parameter make a function that parameter's setup: it gives the object its whole event API
# once (a socket.io ``initializeClient(socket)``), rather than waiting on the outcome of one
# operation.
_SETUP_EVENTS = 3


def _sets_up(model: SemanticModel, binding: Binding) -> bool:
    """``function initializeClient(socket, client) { socket.on('input', …); socket.on('more',
    …); socket.on('names', …) … }``: the function wires up the object it was given, so its
    listeners live as long as that object (SPEC §1 *Roles*, by structure, not by name)."""
    function = binding.function
    if binding.kind is not BindingKind.PARAM or function is None:
        return False
    events: set[str] = set()
    for registration in model.calls_named(*sorted(LISTEN_METHODS)):
        if registration.function is not function or registration.obj is None:
            continue
        target = unwrap(registration.obj)
        if target is None or model.binding_of(target) is not binding or not registration.args:
            continue
        event = string_value(registration.args[0])
        if (
            event is not None
            and event not in LIFECYCLE_EVENTS
            and registration.name not in ONCE_METHODS
        ):
            events.add(event)
    return len(events) >= _SETUP_EVENTS
