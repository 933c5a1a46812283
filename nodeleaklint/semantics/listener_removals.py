"""Which listener removals undo a registration, and on which paths they run.

``listener_removals`` / ``all_listener_removals`` find the ``off`` / ``removeListener`` /
``removeAllListeners`` calls that can remove a registered handler (same target location,
compatible event, same handler); ``mismatched_removals`` the ones that remove nothing (a
fresh ``fn.bind(this)``, a name no registration uses); ``removal_triggers`` the events whose
handlers are the only way a removal runs (SPEC §1 *Cleanup is verified*).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nodeleaklint.parsing import Node
from nodeleaklint.semantics.locations import (
    LocationKey,
    location_key,
    same_location,
    value_binding,
)
from nodeleaklint.semantics.reachable import in_function, may_run
from nodeleaklint.semantics.scopes import BindingKind, CallSite, FunctionInfo
from nodeleaklint.semantics.syntax import (
    ancestors,
    is_inside,
    outer,
    own_nodes,
    string_value,
    text,
    unwrap,
)
from nodeleaklint.semantics.vocabulary import (
    LISTEN_METHODS,
    REMOVE_LISTENER_METHODS,
    WORK_ENDED_EVENTS,
)

if TYPE_CHECKING:
    from nodeleaklint.semantics.model import SemanticModel


def event_key(node: Node | None) -> str | None:
    """What names an event for sure: a string (``'drain'``), or a constant's member
    (``ConnectionEvents.Drain``, an enum or a frozen table of names), kept apart from strings
    by a prefix. None for anything computed."""
    name = string_value(node)
    if name is not None:
        return name
    node = unwrap(node)
    if node is None or node.type != "member_expression":
        return None
    owner = unwrap(node.child_by_field_name("object"))
    prop = node.child_by_field_name("property")
    if owner is None or owner.type != "identifier" or prop is None:
        return None
    if prop.type != "property_identifier":
        return None
    return f"\x00{text(owner)}.{text(prop)}"


def same_event(a: Node | None, b: Node | str | None) -> bool:
    """Whether two event-name arguments may name the same event (unknown names may); ``b``
    may be the name itself (the event of a listener Node adds for a callback argument)."""
    first = string_value(a)
    second = b if isinstance(b, str) else string_value(b)
    if first is not None and second is not None:
        return first == second
    return a is not None and b is not None


# The removals each finder looks through, in the order it always asked for them.
_REMOVALS = tuple(REMOVE_LISTENER_METHODS)
_ALL_REMOVALS = ("removeAllListeners", *REMOVE_LISTENER_METHODS)


def _on_target(model: SemanticModel, target: Node, names: tuple[str, ...]) -> list[CallSite]:
    """The method calls named ``names`` on ``target``'s storage (``same_location``), in the
    file's order: the calls are grouped by their object's location key once per file, so a
    target is looked up, not compared with every removal (one without a key matches none)."""
    key = location_key(model, target)
    if key is None:
        return []
    found = _by_location(model, names).get(key, [])
    field = stored_field(model, target)
    kept = location_key(model, field) if field is not None else None
    if kept is None or kept == key:
        return found
    return sorted(
        [*found, *_by_location(model, names).get(kept, [])], key=lambda c: c.node.start_byte
    )


def stored_field(model: SemanticModel, target: Node) -> Node | None:
    """``constructor(comObj) { this.comObj = comObj; comObj.on(…) }``: the field the
    constructor keeps its parameter in, so a removal from ``this.comObj`` in ``destroy()``
    reaches the same emitter as the parameter (SPEC §1 *Aliases*). Only an assignment that
    is a statement of the constructor's own body (it always runs) and a parameter never
    reassigned."""
    node = unwrap(target)
    if node is None or node.type != "identifier":
        return None
    binding = model.binding_of(node)
    function = binding.function if binding is not None else None
    if (
        binding is None
        or function is None
        or binding.kind is not BindingKind.PARAM
        or binding.is_reassigned
        or function.method_kind != "constructor"
        or function.class_node is None
        or function.body is None
    ):
        return None
    for statement in function.body.named_children:
        expression = statement.named_children[0] if statement.named_children else None
        if statement.type != "expression_statement" or expression is None:
            continue
        if expression.type != "assignment_expression":
            continue
        left = unwrap(expression.child_by_field_name("left"))
        right = unwrap(expression.child_by_field_name("right"))
        if left is None or right is None or right.type != "identifier":
            continue
        obj = (
            unwrap(left.child_by_field_name("object")) if left.type == "member_expression" else None
        )
        if obj is not None and obj.type == "this" and model.binding_of(right) is binding:
            return left
    return None


def _by_location(model: SemanticModel, names: tuple[str, ...]) -> dict[LocationKey, list[CallSite]]:
    cache_key = "listener_removals.by_location:" + ",".join(names)
    cached = model.cache.get(cache_key)
    if isinstance(cached, dict):
        return cached
    index: dict[LocationKey, list[CallSite]] = {}
    for call in model.calls_named(*names):
        if call.is_new or call.obj is None:
            continue
        key = location_key(model, call.obj)
        if key is not None:
            index.setdefault(key, []).append(call)
    model.cache[cache_key] = index
    return index


def listener_removals(
    model: SemanticModel, target: Node | None, event: Node | str | None, handler: Node | None
) -> list[CallSite]:
    """``T.off / removeListener / removeEventListener(event, H)`` calls that can run, with the
    same target, a compatible event and the same handler (same binding or same field)."""
    if target is None or handler is None:
        return []
    found: list[CallSite] = []
    for call in _on_target(model, target, _REMOVALS):
        if len(call.args) < 2 or not same_event(call.args[0], event):
            continue
        if not same_handler(model, call.args[1], handler):
            continue
        if may_run(model, call.node):
            found.append(call)
    return found


def same_handler(model: SemanticModel, removed: Node | None, registered: Node | None) -> bool:
    """Whether a removed handler is the registered one: the same binding or field, or the name
    of a named function expression used inside itself (``function onTick() { off(…, onTick) }``)."""
    registered = unwrap(registered)
    if registered is not None and registered.type in ("function_expression", "function"):
        name = registered.child_by_field_name("name")
        removed = unwrap(removed)
        if name is None or removed is None or removed.type != "identifier":
            return False
        own = model.binding_of(name)
        return own is not None and model.binding_of(removed) is own
    if removed is None or registered is None:
        return False
    kept, given = location_key(model, removed), location_key(model, registered)
    if kept is not None and kept == given:
        return True
    return _unplaced_this_field(model, removed, kept, given)


def _unplaced_this_field(
    model: SemanticModel, removed: Node, kept: LocationKey | None, given: LocationKey | None
) -> bool:
    """``this.onOffline`` removed in a function whose ``this`` the file cannot place, written
    in the registering class's own definition (a hook the class hands to a helper:
    ``X.prototype.destroy = demolish({ after: [function detach() {
    window.removeEventListener('offline', this.onOffline) }] })``), and the same field of
    that class's instance registered (``self.onOffline``, ``self = this`` in a method): the
    author's own removal of that field, from the same target and event."""
    if (
        kept is None
        or given is None
        or not kept[0] == given[0] == "member"
        or kept[1] != given[1]
        or kept[2] != ("this", None)
        or not isinstance(given[2], tuple)
        or given[2][0] != "this"
    ):
        return False
    info = next((c for c in model.classes if c.node.id == given[2][1]), None)
    if info is None:
        return False
    if model.in_class(removed, info.node):
        return True
    return info.es5 and info.name is not None and _in_prototype_member(removed, info.name)


def _in_prototype_member(node: Node, class_name: str) -> bool:
    """``node`` lies in the value of ``Name.prototype.member = …``."""
    for ancestor in ancestors(node):
        if ancestor.type != "assignment_expression":
            continue
        left = ancestor.child_by_field_name("left")
        value = ancestor.child_by_field_name("right")
        if left is None or value is None or not is_inside(node, value):
            continue
        if text(left).startswith(f"{class_name}.prototype."):
            return True
    return False


def all_listener_removals(
    model: SemanticModel, target: Node | None, event: Node | None, within: Node | None = None
) -> list[CallSite]:
    """``T.removeAllListeners()``, ``T.removeAllListeners(event)`` or ``T.off(event)`` on the
    same target (inside ``within`` when given: a shutdown function elsewhere does not bound
    per-request growth)."""
    if target is None:
        return []
    found: list[CallSite] = []
    for call in _on_target(model, target, _ALL_REMOVALS):
        if call.name != "removeAllListeners" and len(call.args) != 1:
            continue  # `off(event)` with no handler removes them all (component-emitter)
        if within is not None and not is_inside(call.node, within):
            continue
        if call.args and event is not None and not same_event(call.args[0], event):
            continue
        if may_run(model, call.node):
            found.append(call)
    return found


_MAX_TRIGGER_DEPTH = 4


def removal_triggers(
    model: SemanticModel, removal: Node, run: FunctionInfo
) -> list[CallSite] | None:
    """The listener registrations of ``run`` whose events are the only ways the code at
    ``removal`` runs: ``function error() { sock.off('error', error) }`` registered by
    ``file.on('error', error)`` runs only when ``file`` emits ``'error'``.

    None when the removal runs on ``run``'s own path, in a handler of an event that fires
    however the work ends (``WORK_ENDED_EVENTS``), or from somewhere this cannot follow (a
    ``finally``, a promise callback, a returned or stored disposer, another function): a
    removal is verified only against paths the file shows."""
    function = model.enclosing_function(removal)
    return _triggers_of(model, function, run, 0, set())


def _triggers_of(
    model: SemanticModel,
    function: FunctionInfo | None,
    run: FunctionInfo,
    depth: int,
    seen: set[int],
) -> list[CallSite] | None:
    if function is None or function is run or depth > _MAX_TRIGGER_DEPTH:
        return None
    if function.node.id in seen or not in_function(model, function.node, run):
        return None
    seen.add(function.node.id)
    site = function.callback_of
    if site is not None:
        return _listener_trigger(model, site, function.argument_index, run)
    binding = function.binding
    if binding is None or binding.exported or not binding.references:
        return None
    found: list[CallSite] = []
    for reference in binding.references:
        if is_inside(reference, function.node):
            continue  # ``off('error', error)`` inside ``error`` itself
        position = outer(reference)
        parent = position.parent
        if parent is None:
            return None
        if parent.type == "call_expression" and parent.child_by_field_name("function") == position:
            caller = model.call_at(parent)
            inner = _triggers_of(
                model, caller.function if caller else None, run, depth + 1, set(seen)
            )
        elif parent.type == "arguments" and parent.parent is not None:
            call = model.call_at(parent.parent)
            if call is None:
                return None
            if call.name in REMOVE_LISTENER_METHODS:
                continue  # removing it is not a way to run it
            index = next((i for i, a in enumerate(call.args) if a.id == position.id), -1)
            inner = _listener_trigger(model, call, index, run)
        else:
            return None  # stored, returned, handed out: it may run on any path
        if inner is None:
            return None
        found.extend(inner)
    return found or None


def _listener_trigger(
    model: SemanticModel, site: CallSite, index: int, run: FunctionInfo
) -> list[CallSite] | None:
    """``[site]`` when ``site`` registers the function (argument ``index``) as a listener
    of a named event, in ``run`` itself, for an event that does not fire on every ending."""
    if site.name not in LISTEN_METHODS or index != 1 or site.obj is None or site.is_new:
        return None
    if site.function is not run:
        return None
    event = string_value(site.args[0]) if site.args else None
    if event is None or event in WORK_ENDED_EVENTS:
        return None
    return [site]


def fresh_function(node: Node | None) -> str | None:
    """Why a handler expression is a new function every time it is evaluated — ``fn.bind(x)``
    or an inline function — so passing it to ``off`` can never match a registered listener;
    None when it may name an existing function."""
    node = unwrap(node)
    if node is None:
        return None
    if node.type in ("arrow_function", "function_expression", "function"):
        return "an inline function is a new function, never the one registered"
    if node.type == "call_expression":
        callee = unwrap(node.child_by_field_name("function"))
        if (
            callee is not None
            and callee.type == "member_expression"
            and text(callee.child_by_field_name("property")) == "bind"
        ):
            return f"`{text(callee)}(…)` makes a new function each time"
    return None


def mismatched_removals(
    model: SemanticModel, target: Node | None, event: Node | None, handler: Node | None
) -> list[tuple[CallSite, str]]:
    """``T.off(event, h)`` calls on the same target for the same (named) event whose ``h`` is
    not ``handler`` and cannot be it: a fresh ``fn.bind(this)`` or inline function, or a
    binding or field that no registration of that event on ``T`` uses. Each with the reason it
    removes nothing; such a removal leaves the registered listener attached."""
    name = event_key(event)
    if target is None or handler is None or name is None:
        return []
    found: list[tuple[CallSite, str]] = []
    for call in model.calls_named(*REMOVE_LISTENER_METHODS):
        if call.is_new or call.obj is None or len(call.args) < 2:
            continue
        if event_key(call.args[0]) != name or not same_location(model, call.obj, target):
            continue
        removed = call.args[1]
        if same_handler(model, removed, handler) or not may_run(model, call.node):
            continue
        why = fresh_function(removed)
        if why is None:
            why = _unregistered(model, call, removed)
        if why is not None:
            found.append((call, why))
    return found


def _unregistered(model: SemanticModel, removal: CallSite, removed: Node) -> str | None:
    """Why a named handler removes nothing: no registration of the event on the target in
    the file passes that binding or field. Parameters and copies may hold anything: None."""
    node = unwrap(removed)
    if node is None or node.type not in ("identifier", "member_expression"):
        return None
    binding = value_binding(model, node)
    if node.type == "identifier" and (
        binding is None
        or binding.kind in (BindingKind.PARAM, BindingKind.CATCH)
        or binding.destructured
        or binding.is_reassigned
        or not (binding.function is not None or is_function_value(binding.init))
    ):
        return None
    if node.type == "member_expression" and (
        unwrap(node.child_by_field_name("object")) is None
        or not model.is_this(unwrap(node.child_by_field_name("object")))
    ):
        return None
    for call in model.calls_named(*LISTEN_METHODS):
        if call.is_new or call.obj is None or len(call.args) < 2:
            continue
        if not same_location(model, call.obj, removal.obj):
            continue
        if not same_event(call.args[0], removal.args[0]):
            continue
        if same_handler(model, removed, call.args[1]):
            return None
    return f"the `{text(node)}` it names is not a function registered for that event there"


def is_function_value(node: Node | None) -> bool:
    node = unwrap(node)
    return node is not None and node.type in ("arrow_function", "function_expression", "function")


def matching_condition(model: SemanticModel, removal: Node, handler: Node | None) -> Node | None:
    """The test that lets a listener remove itself only for some events: ``function
    listener(channel, data) { if (channel === id && data === 'done') off(…, listener) }``.
    The removal waits for one particular event — a reply, a final state — and when the work
    ends another way first (the client leaves, the reply never comes) it never runs. None
    when the removal is unconditional in the handler, or its test reads nothing the event
    brought for equality (``if (this.closing)`` is the owner's state, not a matching
    event)."""
    function = unwrap(handler)
    own = model.function_at(function) if function is not None else None
    if own is None or not is_inside(removal, own.node):
        return None
    for ancestor in ancestors(removal):
        if ancestor.id == own.node.id:
            return None
        if ancestor.type not in ("if_statement", "ternary_expression"):
            continue
        condition = unwrap(ancestor.child_by_field_name("condition"))
        if (
            condition is not None
            and not is_inside(removal, condition)
            and _reads_event(model, condition, own)
        ):
            return condition
    return None


def _reads_event(model: SemanticModel, condition: Node, handler: FunctionInfo) -> bool:
    """Whether ``condition`` compares for equality something the event brought (a parameter
    of ``handler`` or a local it derived from one): ``state === 'terminated'`` waits for one
    particular event, while a threshold (``n > 10``) on a value that keeps moving is reached
    in time."""
    return any(
        node.type == "binary_expression" and _is_equality(node) and _local_to(model, node, handler)
        for node in own_nodes(condition)
    )


def _is_equality(node: Node) -> bool:
    operator = node.child_by_field_name("operator")
    return operator is not None and operator.type in ("===", "==")


def _local_to(model: SemanticModel, node: Node, handler: FunctionInfo) -> bool:
    """Whether ``node`` reads a binding of ``handler``'s own scope."""
    for current in own_nodes(node):
        if current.type == "identifier":
            binding = model.binding_of(current)
            if binding is not None and binding.scope is handler.scope:
                return True
    return False
