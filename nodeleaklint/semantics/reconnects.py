"""Clients replaced on a reconnect path without closing the old one (SPEC §1 *Replacement*).

``this.redis = new Redis(url)`` in a ``connect()`` that the instance runs again — from an
``'error'`` handler, a retry timer, another method — orphans the client the field already
holds unless something closes it first. The old client keeps its sockets, its own
reconnection timers and every listener the code gave it; with ioredis or a pg pool it even
keeps reconnecting on its own, so each failure adds one more live client.

``replaced_client`` answers for one stored client. It needs evidence twice:

- *runs again*: a call of the storing function (``this.connect()`` / ``connect()``), or the
  function handed by reference to a registration or a timer (``setTimeout(connect, 500)``,
  ``this.connect.bind(this)``), from a place that runs again: an event handler, a timer
  callback, another method of the class (not the constructor), or the function itself;
- *nothing closes the old one*: no close of the slot (``this.redis.quit()``) and no test of it
  (``if (this.redis) return``, a lazy singleton) earlier in the storing function, nor before
  the re-run call in its caller (``restart() { this.close(); this.connect(); }``).

A re-run from a handler of the old client's own end events (``ws.on('close', …)``, and
``'error'`` for clients that close themselves on error, such as a WebSocket) is not evidence:
the old client has already ended when it runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from nodeleaklint.parsing import Node
from nodeleaklint.records import record
from nodeleaklint.semantics import frameworks
from nodeleaklint.semantics.locations import Place, member_index, place_of
from nodeleaklint.semantics.provenance import origin_of
from nodeleaklint.semantics.scopes import CallSite, FunctionInfo
from nodeleaklint.semantics.syntax import (
    ancestors,
    is_inside,
    outer,
    string_value,
    text,
    unwrap,
)
from nodeleaklint.semantics.vocabulary import (
    CLIENT_ENDED_EVENTS,
    CONNECTION_OPEN_METHODS,
    LISTEN_METHODS,
    SOCKET_MAKERS,
    SOCKET_MODULES,
    TIMER_FUNCTIONS,
)

if TYPE_CHECKING:
    from nodeleaklint.semantics.model import SemanticModel

_CONDITION_KINDS = frozenset({"if_statement", "ternary_expression", "while_statement"})


@record
class Replacement:
    """A function that stores a new client over the old one and runs again."""

    function: FunctionInfo  # the function that stores the new client
    site: Node  # where the function runs again
    again: str  # "the `'error'` handler of `this.redis` runs it again"


def reopened_in(model: SemanticModel, target: Node, function: FunctionInfo) -> CallSite | None:
    """``this.socket.connect(port)`` in ``function``, a method that runs again: the instance
    opens the same connection once more on every call, so the events of a connection's life
    (``'connect'``, ``'ready'``, ``'close'``) fire once per call too, on one emitter that
    outlives them all. The field (not a local) is the evidence that the object is reused:
    ``new net.Socket()`` per call would be a new emitter."""
    if function.class_node is None or function.method_kind == "constructor":
        return None
    for opening in model.calls_named(*CONNECTION_OPEN_METHODS):
        if opening.function is not function or opening.is_new:
            continue
        obj = unwrap(opening.obj)
        place = place_of(model, obj) if obj is not None else None
        if place is not None and place.is_field and place == place_of(model, target):
            return opening
    return None


def replaced_client(
    model: SemanticModel,
    client: CallSite,
    place: Place,
    store: Node,
    closers: frozenset[str],
    ended_events: frozenset[str],
) -> Replacement | None:
    """Whether ``store`` (the assignment of ``client`` to ``place``) replaces a live client."""
    function = client.function
    if function is None or function.is_arrow:
        function = model.this_function(store) if place.kind == "this" else function
    if function is None or not function.name:
        return None
    if (
        function.method_kind in ("constructor", "field")
        or function.name in frameworks.active().instance_hooks
    ):
        return None
    if not _outlives(model, store, function):
        return None
    if _closed_or_tested_before(model, function, place, store, closers):
        return None
    ended = CLIENT_ENDED_EVENTS | ended_events
    for site in _reruns(model, function):
        if _after_own_end(model, site, place, client, ended):
            continue
        caller = model.this_function(site) if place.kind == "this" else None
        if caller is None:
            caller = model.enclosing_function(site)
        if caller is not None and caller is not function:
            if caller.method_kind == "constructor" and not _trigger(model, site, function):
                continue  # run once when the instance is made
            if _closed_or_tested_before(model, caller, place, site, closers):
                continue  # ``restart() { this.close(); this.connect(); }``
        trigger = _trigger(model, site, function)
        if trigger is None and caller is None:
            continue  # module top level runs once
        if trigger is None and caller is function and _calls(model, site, function):
            trigger = "it calls itself"
        if trigger is None and place.kind != "this":
            # A plain call from the function that declares the binding (or any other) runs
            # once per binding: each run of the declaring function has its own binding.
            continue
        if trigger is None:
            assert caller is not None
            trigger = f"{caller.display()} calls it"
        return Replacement(function, site, trigger)
    return None


def _calls(model: SemanticModel, site: Node, function: FunctionInfo) -> bool:
    """``site`` is a direct call of ``function`` (not a call it is handed to)."""
    call = model.call_at(site)
    return call is not None and call.name == function.name


def _outlives(model: SemanticModel, store: Node, function: FunctionInfo) -> bool:
    """The slot outlives one run of ``function``: an assignment (not a declaration) to a
    field, or to a binding declared outside it."""
    if store.type != "assignment_expression":
        return False
    left = unwrap(store.child_by_field_name("left"))
    if left is None or left.type != "identifier":
        return left is not None
    binding = model.binding_of(left)
    return binding is not None and not is_inside(binding.node, function.node)


def _reruns(model: SemanticModel, function: FunctionInfo) -> Iterator[Node]:
    """Calls of ``function`` and references to it handed to another call."""
    name = function.name
    assert name is not None
    class_node = function.class_node
    for call in model.calls_named(name):
        if call.is_new:
            continue
        if class_node is not None:
            if not model.is_this(call.obj) or not model.in_class(call.node, class_node):
                continue
        else:
            callee = call.callee
            binding = model.binding_of(callee) if callee is not None else None
            if binding is None or binding.function is not function:
                continue
        yield call.node
    for reference in _references(model, function):
        position = outer(reference)
        if position.parent is not None and position.parent.type == "member_expression":
            bound = position.parent  # ``this.connect.bind(this)``
            if text(bound.child_by_field_name("property")) != "bind":
                continue
            position = outer(bound.parent) if bound.parent is not None else position
        parent = position.parent
        if parent is None or parent.type != "arguments" or parent.parent is None:
            continue
        site = model.call_at(parent.parent)
        if site is None or site.name in ("call", "apply"):
            continue
        yield site.node


def _references(model: SemanticModel, function: FunctionInfo) -> list[Node]:
    if function.class_node is None:
        binding = function.binding
        if binding is None:
            return []
        return [r for r in binding.references if not _is_callee(r)]
    found: list[Node] = []
    class_node = function.class_node
    for node in member_index(model).get(function.name or "", ()):
        obj = node.child_by_field_name("object")
        if (
            node.type == "member_expression"
            and model.is_this(obj)
            and model.in_class(node, class_node)
            and not _is_callee(node)
        ):
            found.append(node)
    return found


def _is_callee(node: Node) -> bool:
    position = outer(node)
    parent = position.parent
    return (
        parent is not None
        and parent.type == "call_expression"
        and parent.child_by_field_name("function") == position
    )


def _trigger(model: SemanticModel, site: Node, function: FunctionInfo) -> str | None:
    """The handlers and timers around ``site`` (and the registration ``site`` is) that run it,
    innermost first: "a `setTimeout` callback in the `'error'` handler of `this.redis`"."""
    parts: list[str] = []
    call = model.call_at(site)
    if call is not None and call.name != function.name:
        described = _describe_registration(call)
        if described is not None:
            parts.append(described)
    current = model.enclosing_function(site)
    while current is not None and current is not function and len(parts) < 2:
        registration = current.callback_of
        described = _describe_registration(registration) if registration is not None else None
        if described is None:
            handler = _assigned_handler(current)
            described = f"the `{handler}` handler" if handler is not None else None
        if described is not None:
            parts.append(described)
        current = current.parent
    if not parts:
        return None
    return " in ".join(parts) + " runs it again"


def _describe_registration(call: CallSite) -> str | None:
    if call.name in TIMER_FUNCTIONS and call.obj is None:
        return f"a `{call.name}` callback"
    if call.name in LISTEN_METHODS and call.args:
        event = string_value(call.args[0])
        if event is None:
            return None
        target = text(unwrap(call.obj)) if call.obj is not None else "the emitter"
        return f"the `'{event}'` handler of `{target}`"
    return None


def _assigned_handler(function: FunctionInfo) -> str | None:
    """``socket.onerror = () => …``."""
    parent = outer(function.node).parent
    if parent is None or parent.type != "assignment_expression":
        return None
    left = unwrap(parent.child_by_field_name("left"))
    if left is None or left.type != "member_expression":
        return None
    prop = text(left.child_by_field_name("property"))
    return text(left) if prop.startswith("on") and len(prop) > 2 else None


def _after_own_end(
    model: SemanticModel, site: Node, place: Place, client: CallSite, ended: frozenset[str]
) -> bool:
    """``site`` runs inside a handler of the old client's own end event (``ws.on('close')``,
    ``ws.onclose = …``): the client it replaces has already ended."""
    call = model.call_at(site)
    chain: list[tuple[Node | None, str | None]] = []
    if call is not None and call.name in LISTEN_METHODS and call.args:
        chain.append((call.obj, string_value(call.args[0])))
    current = model.enclosing_function(site)
    while current is not None:
        registration = current.callback_of
        if registration is not None and registration.name in LISTEN_METHODS and registration.args:
            chain.append((registration.obj, string_value(registration.args[0])))
        parent = outer(current.node).parent
        if parent is not None and parent.type == "assignment_expression":
            left = unwrap(parent.child_by_field_name("left"))
            if left is not None and left.type == "member_expression":
                prop = text(left.child_by_field_name("property"))
                if prop.startswith("on"):
                    chain.append((left.child_by_field_name("object"), prop[2:]))
        current = current.parent
    return any(
        event in ended and _is_the_client(model, target, place, client) for target, event in chain
    )


def _is_the_client(
    model: SemanticModel, target: Node | None, place: Place, client: CallSite
) -> bool:
    target = unwrap(target)
    if target is None:
        return False
    if place_of(model, target) == place:
        return True
    if target.type != "identifier":
        return False
    binding = model.binding_of(target)
    init = unwrap(binding.init) if binding is not None else None
    if init is not None and init.type == "await_expression" and init.named_children:
        init = unwrap(init.named_children[0])
    return init is not None and init.id == client.node.id


def _closed_or_tested_before(
    model: SemanticModel, function: FunctionInfo, place: Place, at: Node, closers: frozenset[str]
) -> bool:
    """A close or a test of ``place`` in ``function`` before ``at``, or a ``this.m()`` call
    before it whose method closes ``place``; a condition around ``at`` that tests it."""
    for node in ancestors(at):
        if node.id == function.node.id:
            break
        if node.type in _CONDITION_KINDS:
            condition = node.child_by_field_name("condition")
            if condition is not None and _names(model, condition, place):
                return True
    for call in function.calls:
        if call.node.start_byte >= at.start_byte:
            continue
        obj = unwrap(call.obj)
        if call.name in closers and obj is not None and place_of(model, obj) == place:
            return True
        if (
            obj is not None
            and model.is_this(obj)
            and function.class_node is not None
            and _method_closes(model, function.class_node, call.name, place, closers)
        ):
            return True
    body = function.body
    for statement in body.named_children if body is not None else []:
        if statement.start_byte >= at.start_byte:
            break
        if statement.type in _CONDITION_KINDS:
            condition = statement.child_by_field_name("condition")
            if condition is not None and _names(model, condition, place):
                return True
    return False


def _names(model: SemanticModel, condition: Node, place: Place) -> bool:
    stack = [condition]
    while stack:
        node = stack.pop()
        if node.type in ("member_expression", "identifier") and place_of(model, node) == place:
            return True
        stack.extend(node.named_children)
    return False


def _method_closes(
    model: SemanticModel, class_node: Node, name: str, place: Place, closers: frozenset[str]
) -> bool:
    info = model.class_info(class_node)
    for method in info.methods.get(name, []) if info is not None else []:
        for call in method.calls:
            obj = unwrap(call.obj)
            if call.name in closers and obj is not None and place_of(model, obj) == place:
                return True
    return False


def socket_calls(model: SemanticModel) -> list[CallSite]:
    """``net.connect(…)`` / ``tls.connect(…)`` / ``net.createConnection(…)`` / ``new
    net.Socket()`` (also imported by name: ``const { connect } = require('net')``). A TLS
    upgrade (``tls.connect({ socket: plain })``, or options whose ``.socket`` is assigned in
    the function) wraps the socket it replaces instead of orphaning it, and is left out."""
    found: list[CallSite] = []
    for call in model.calls_named(*SOCKET_MAKERS):
        if (call.name == "Socket") != call.is_new:
            continue
        callee = unwrap(call.callee)
        origin = origin_of(model, callee) if callee is not None else None
        if origin is None or not origin.from_module(SOCKET_MODULES):
            continue
        if origin.export.rsplit(".", 1)[-1] != call.name or _upgrade(model, call):
            continue
        found.append(call)
    return found


def _upgrade(model: SemanticModel, call: CallSite) -> bool:
    for arg in call.args:
        value = unwrap(arg)
        if value is None:
            continue
        if _has_socket_key(value):
            return True
        if value.type != "identifier" or call.function is None:
            continue
        binding = model.binding_of(value)
        if binding is not None and binding.init is not None and _has_socket_key(binding.init):
            return True  # ``const opts = Object.assign({ socket: plain }, …)``
        for node in member_index(model).get("socket", ()):
            obj = unwrap(node.child_by_field_name("object"))
            if (
                obj is not None
                and text(obj) == text(value)
                and call.function.node.start_byte <= node.start_byte < call.node.start_byte
            ):
                return True  # ``options.socket = plain``
    return False


def _has_socket_key(node: Node | None) -> bool:
    """An object literal with a ``socket`` key, or a call (``Object.assign``) given one."""
    value = unwrap(node)
    if value is None:
        return False
    if value.type == "call_expression":
        args = value.child_by_field_name("arguments")
        return args is not None and any(_has_socket_key(a) for a in args.named_children)
    if value.type != "object":
        return False
    return any(
        text(member.child_by_field_name("key")) == "socket"
        or (member.type == "shorthand_property_identifier" and text(member) == "socket")
        for member in value.named_children
    )
