"""Cleanup: is a listener, handle or client released on some path?

Shared by the rules that pair an acquisition with its release: NLL101 (``on`` / ``off``),
NLL201 (``setInterval`` / ``clearInterval``), NLL602 (client / ``close``). Everything here
compares *storage locations* (bindings and ``this.x`` fields), never source text, so
``bus.off('x', onTick)`` only matches the ``onTick`` that was registered, not another
function that happens to have the same name in another scope.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from nodeleaklint.parsing import Node, captures
from nodeleaklint.semantics.scopes import Binding, BindingKind, CallSite, FunctionInfo
from nodeleaklint.semantics.syntax import (
    ancestors,
    call_arguments,
    is_inside,
    outer,
    string_value,
    text,
    unwrap,
)
from nodeleaklint.semantics.vocabulary import LISTEN_METHODS, WORK_ENDED_EVENTS

if TYPE_CHECKING:
    from nodeleaklint.semantics.model import SemanticModel

REMOVE_LISTENER_METHODS = frozenset({"off", "removeListener", "removeEventListener"})
EVENTS_MODULES = frozenset({"events", "node:events"})


# -- identity -------------------------------------------------------------------------------
def same_location(model: SemanticModel, a: Node | None, b: Node | None) -> bool:
    """Whether two expressions denote the same storage: one binding, one ``this.x`` field, one
    member chain off the same binding (``req.socket`` twice). Calls never match (each call may
    return something new)."""
    a, b = _resolve_alias(model, unwrap(a)), _resolve_alias(model, unwrap(b))
    if a is None or b is None or a.type != b.type:
        return False
    kind = a.type
    if kind == "identifier":
        return model.same_binding(a, b)
    if kind == "this":
        return _same_this(model, a, b)
    if kind == "member_expression":
        return text(a.child_by_field_name("property")) == text(
            b.child_by_field_name("property")
        ) and same_location(model, a.child_by_field_name("object"), b.child_by_field_name("object"))
    if kind == "subscript_expression":
        key_a = field_key(model, a.child_by_field_name("index"))
        key_b = field_key(model, b.child_by_field_name("index"))
        if key_a is None or key_a != key_b:
            return False
        return same_location(
            model, a.child_by_field_name("object"), b.child_by_field_name("object")
        )
    return False


def _resolve_alias(model: SemanticModel, node: Node | None) -> Node | None:
    """Follow ``const self = this`` / ``const con = this.connection`` (never reassigned) to the
    expression the alias stands for, so ``self.off(…)`` matches ``this.on(…)``."""
    for _ in range(4):
        if node is None or node.type != "identifier":
            return node
        binding = model.binding_of(node)
        if binding is None or binding.destructured or binding.is_reassigned:
            return node
        if binding.kind not in (BindingKind.CONST, BindingKind.LET, BindingKind.VAR):
            return node
        init = unwrap(binding.init)
        if init is None or init.type not in ("this", "member_expression"):
            return node
        if (
            init.type == "member_expression"
            and text(init.child_by_field_name("property")) == "signal"
        ):
            return node  # `const signal = ac.signal` stays the signal
        node = init
    return node


def field_key(model: SemanticModel, node: Node | None) -> str | None:
    """The fixed name of a computed field: ``this['x']`` → ``x``, ``this[0]`` → ``0``, and
    ``this[kClients]`` → ``[kClients]`` when ``kClients`` is a never-reassigned module-level
    binding (a ``Symbol`` or string constant: one field for the life of the process)."""
    node = unwrap(node)
    if node is None:
        return None
    value = string_value(node)
    if value is not None:
        return value
    if node.type == "number":
        return text(node)
    if node.type == "identifier":
        binding = model.binding_of(node)
        if binding is not None and binding.is_module_level and not binding.is_reassigned:
            return f"[{binding.name}]"
    return None


def _same_this(model: SemanticModel, a: Node, b: Node) -> bool:
    """Two ``this`` mean the same object kind: the same class, or both outside any class
    (``Foo.prototype.x = function () { this… }`` methods of one constructor function)."""
    first, second = model.this_function(a), model.this_function(b)
    class_a = first.class_node if first is not None else None
    class_b = second.class_node if second is not None else None
    if class_a is None or class_b is None:
        return class_a is None and class_b is None
    return class_a.id == class_b.id


def same_event(a: Node | None, b: Node | None) -> bool:
    """Whether two event-name arguments may name the same event (unknown names may)."""
    first, second = string_value(a), string_value(b)
    if first is not None and second is not None:
        return first == second
    return a is not None and b is not None


def value_binding(model: SemanticModel, node: Node | None) -> Binding | None:
    """The binding an identifier expression reads, else None."""
    node = unwrap(node)
    if node is None or node.type != "identifier":
        return None
    return model.binding_of(node)


# -- where code runs ------------------------------------------------------------------------
def is_dead_function(function: FunctionInfo) -> bool:
    """A local named function nothing refers to: code in it never runs."""
    binding = function.binding
    return (
        binding is not None
        and not binding.scope.is_module
        and not binding.references
        and not binding.exported
        and function.callback_of is None
        and not function.is_iife
    )


def may_run(model: SemanticModel, node: Node) -> bool:
    """Whether code at ``node`` can run: it is not inside a local function nobody uses.

    Cleanup inside a callback (``res.on('close', …)``), a ``finally``, a returned or stored
    disposer (``return () => …``, ``this.dispose = …``) or another listener all count."""
    function = model.enclosing_function(node)
    while function is not None:
        if is_dead_function(function):
            return False
        function = function.parent
    return True


def in_function(model: SemanticModel, node: Node, function: FunctionInfo) -> bool:
    """Whether ``node`` lies in ``function``'s body or in a function nested inside it."""
    current = model.enclosing_function(node)
    while current is not None:
        if current is function:
            return True
        current = current.parent
    return False


# -- listeners ------------------------------------------------------------------------------
def listener_removals(
    model: SemanticModel, target: Node | None, event: Node | None, handler: Node | None
) -> list[CallSite]:
    """``T.off / removeListener / removeEventListener(event, H)`` calls that can run, with the
    same target, a compatible event and the same handler (same binding or same field)."""
    if target is None or handler is None:
        return []
    found: list[CallSite] = []
    for call in model.calls_named(*REMOVE_LISTENER_METHODS):
        if call.is_new or call.obj is None or len(call.args) < 2:
            continue
        if not same_location(model, call.obj, target) or not same_event(call.args[0], event):
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
    return same_location(model, removed, registered)


def all_listener_removals(
    model: SemanticModel, target: Node | None, event: Node | None, within: Node | None = None
) -> list[CallSite]:
    """``T.removeAllListeners()``, ``T.removeAllListeners(event)`` or ``T.off(event)`` on the
    same target (inside ``within`` when given: a shutdown function elsewhere does not bound
    per-request growth)."""
    if target is None:
        return []
    found: list[CallSite] = []
    for call in model.calls_named("removeAllListeners", *REMOVE_LISTENER_METHODS):
        if call.is_new or call.obj is None or not same_location(model, call.obj, target):
            continue
        if call.name != "removeAllListeners" and len(call.args) != 1:
            continue  # `off(event)` with no handler removes them all (component-emitter)
        if within is not None and not is_inside(call.node, within):
            continue
        if call.args and event is not None and not same_event(call.args[0], event):
            continue
        if may_run(model, call.node):
            found.append(call)
    return found


def object_property(node: Node | None, name: str) -> Node | None:
    """The value of ``name`` in an object literal (``{ name: v }`` or shorthand ``{ name }``)."""
    node = unwrap(node)
    if node is None or node.type != "object":
        return None
    for child in node.named_children:
        if child.type == "shorthand_property_identifier" and text(child) == name:
            return child
        if child.type == "pair":
            key = child.child_by_field_name("key")
            if key is not None and text(key).strip("'\"") == name:
                return child.child_by_field_name("value")
    return None


# -- abort signals --------------------------------------------------------------------------
@dataclass(frozen=True)
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


# -- escape ---------------------------------------------------------------------------------
def escapes(
    model: SemanticModel,
    binding: Binding,
    *,
    ignore: Iterable[Node] = (),
) -> bool:
    """Whether the value of ``binding`` leaves the function's sight: returned, yielded, stored
    in a property, variable, array or object, or passed to a call. References inside
    ``ignore`` nodes, method calls on it and property reads do not count. Used to give up on
    "never released" when someone else may release it."""
    skip = list(ignore)
    for reference in binding.references:
        if any(is_inside(reference, node) for node in skip):
            continue
        position = reference
        parent = position.parent
        while parent is not None and parent.type in (
            "parenthesized_expression",
            "as_expression",
            "non_null_expression",
            "satisfies_expression",
        ):
            position, parent = parent, parent.parent
        if parent is None:
            continue
        kind = parent.type
        if kind == "member_expression" and parent.child_by_field_name("object") == position:
            continue  # a method call on it or a property read keeps it here
        if kind in (
            "expression_statement",
            "binary_expression",
            "unary_expression",
            "if_statement",
        ):
            continue
        if kind == "assignment_expression" and parent.child_by_field_name("left") == position:
            continue
        if kind in (
            "return_statement",
            "yield_expression",
            "arguments",
            "array",
            "pair",
            "object",
            "assignment_expression",
            "variable_declarator",
            "arrow_function",
            "spread_element",
            "shorthand_property_identifier",
        ):
            return True
    return False


# -- generic release search -----------------------------------------------------------------
def method_calls_on(
    model: SemanticModel, target: Node | None, methods: Iterable[str]
) -> Iterator[CallSite]:
    """Calls ``target.m(...)`` (same storage location) for ``m`` in ``methods`` that can run:
    ``client.close()``, ``this.timer.unref()``."""
    if target is None:
        return
    for call in model.calls_named(*methods):
        if call.is_new or call.obj is None or not same_location(model, call.obj, target):
            continue
        if may_run(model, call.node):
            yield call


def calls_passing(
    model: SemanticModel, value: Node | None, functions: Iterable[str]
) -> Iterator[CallSite]:
    """Calls ``f(value, …)`` for ``f`` in ``functions`` (``clearInterval(handle)``) that can run."""
    if value is None:
        return
    for call in model.calls_named(*functions):
        if call.is_new or not call.args:
            continue
        if same_location(model, call.args[0], value) and may_run(model, call.node):
            yield call


# -- stored values: places, flows and fates -------------------------------------------------
# Added for NLL201 (interval handles) and NLL602 (clients); general for any released value.
#
# - A ``Place`` names a storage slot several functions of one file can reach: a binding
#   (``t``), a field of ``this`` (``this.timer``, the same in every method of one class), or a
#   property path from a binding (``state.timer``, ``socket.timer``).
# - ``flow_of`` says where the value of an expression goes: discarded, stored in a place,
#   added to a collection, released, handed out (returned, passed to a call), or just used.
# - ``ReleaseSpec`` says what releases a value (``clearInterval(x)``, ``x.close()``);
#   ``release_sources`` finds every place a release in the file reaches, reading through
#   aliases (``const t = this.timer``), collection reads (``this.timers.get(id)``,
#   ``timers[id]``), ``for … of`` loops and ``forEach`` callbacks over a collection.
# - ``fate_of`` follows a stored value through every place it is copied to and says whether
#   anything releases it or hands it out.

# Methods that return their receiver unchanged (Node's ``Timeout``).
PASS_THROUGH_METHODS = frozenset({"unref", "ref", "refresh"})
# Methods that add their argument to the receiver collection.
COLLECTION_ADD_METHODS = frozenset({"push", "unshift", "add", "set", "append", "enqueue", "splice"})
# Methods that read an element back out of a collection.
COLLECTION_READ_METHODS = frozenset(
    {"get", "shift", "pop", "at", "find", "findLast", "values", "entries", "peek", "first", "last"}
)
# Methods whose callback receives each element of the receiver collection.
COLLECTION_ITERATE_METHODS = frozenset(
    {"forEach", "map", "filter", "some", "every", "find", "findLast", "reduce", "flatMap", "each"}
)
_MAX_FLOW_DEPTH = 8


@dataclass(frozen=True)
class Place:
    """A storage location; equal places denote the same slot wherever they are written."""

    kind: str  # "binding" | "this" | "path"
    root: str  # binding identity, class identity, or a name (globals, parameters)
    path: str = ""
    label: str = field(default="", compare=False)

    def child(self, key: str) -> Place:
        path = f"{self.path}.{key}" if self.path else key
        shown = f"{self.label}{key}" if key.startswith("[") else f"{self.label}.{key}"
        return Place(self.kind, self.root, path, shown)

    @property
    def is_field(self) -> bool:
        return self.kind == "this" and bool(self.path)


@dataclass(frozen=True)
class ReleaseSpec:
    """What releases a value: calls that take it (``clearInterval(x)``) or methods on it."""

    functions: frozenset[str] = frozenset()
    methods: frozenset[str] = frozenset()

    def releases_call(self, call: CallSite) -> bool:
        return call.name in self.functions and not call.is_new


class FlowKind(enum.Enum):
    DISCARDED = "discarded"
    STORED = "stored"
    COLLECTED = "collected"
    RELEASED = "released"
    ESCAPED = "escaped"
    USED = "used"


@dataclass(frozen=True)
class Flow:
    kind: FlowKind
    place: Place | None = None  # STORED: the slot; COLLECTED: the collection
    node: Node | None = None  # the statement, call or assignment that decides
    note: str = ""  # ESCAPED: "returned", "passed to `f(…)`"
    passed_through: tuple[str, ...] = ()  # pass-through methods seen: ("unref",)
    keys: tuple[str, ...] = ()  # ESCAPED inside an object literal: the property path


@dataclass
class Fate:
    """What happens to a value after it is stored: released, handed out, or neither."""

    released: bool = False
    escape: Flow | None = None
    places: list[Place] = field(default_factory=list)
    passed_through: set[str] = field(default_factory=set)

    @property
    def kept(self) -> bool:
        """Neither released nor handed to anyone who could release it."""
        return not self.released and self.escape is None


def _same(a: Node | None, b: Node | None) -> bool:
    return a is not None and b is not None and a.id == b.id


# -- places --------------------------------------------------------------------------------


def _this_place(model: SemanticModel, at: Node) -> Place:
    function = model.this_function(at)
    owner = function.class_node if function is not None else None
    root = f"class:{owner.id}" if owner is not None else "class:"
    return Place("this", root, "", "this")


def place_of(model: SemanticModel, node: Node | None) -> Place | None:
    """The storage location an expression names, or None for anything computed."""
    keys: list[str] = []
    current = unwrap(node)
    while current is not None:
        kind = current.type
        if kind == "member_expression":
            keys.append(text(current.child_by_field_name("property")))
            current = unwrap(current.child_by_field_name("object"))
        elif kind == "subscript_expression":
            key = field_key(model, current.child_by_field_name("index"))
            if key is None:
                return None
            keys.append(key)
            current = unwrap(current.child_by_field_name("object"))
        elif kind == "this":
            base = _this_place(model, current)
            break
        elif kind == "identifier":
            base_or_none = _identifier_place(model, current, bool(keys))
            if base_or_none is None:
                return None
            base = base_or_none
            break
        else:
            return None
    else:
        return None
    for key in reversed(keys):
        base = base.child(key)
    return base


def _identifier_place(model: SemanticModel, ident: Node, has_path: bool) -> Place | None:
    name = text(ident)
    binding = model.binding_of(ident)
    if binding is None:
        return Place("path", f"name:{name}", "", name)
    init = unwrap(binding.init)
    if init is not None and binding.is_this_alias:
        return _this_place(model, init)  # ``const self = this``
    if has_path and binding.kind is BindingKind.PARAM:
        # Handlers receive the same object under the same name: ``ctx.state.db`` in two hooks.
        return Place("path", f"name:{name}", "", name)
    return Place("binding", f"binding:{binding.node.id}", "", name)


_MEMBERS = "(member_expression) @member (subscript_expression) @subscript"


def member_index(model: SemanticModel) -> dict[str, list[Node]]:
    """Every member expression of the file by property name (built once, on demand).

    Found by a tree-sitter query; each list is ordered innermost-last-first (by end, then
    start), the order of the stack walk this replaced, which consumers' output follows."""
    cached = model.cache.get("cleanup.members")
    if isinstance(cached, dict):
        return cached
    found = captures(model.tree.language, model.root, _MEMBERS)
    data = model.source.data
    keyed: list[tuple[str, Node]] = []
    for member in found.get("member", ()):
        prop = member.child_by_field_name("property")
        name = data[prop.start_byte : prop.end_byte] if prop is not None else b""
        keyed.append((name.decode("utf-8", errors="replace"), member))
    for subscript in found.get("subscript", ()):
        key = field_key(model, subscript.child_by_field_name("index"))
        if key is not None:
            keyed.append((key, subscript))
    keyed.sort(key=lambda pair: (-pair[1].end_byte, pair[1].start_byte))
    index: dict[str, list[Node]] = {}
    for key, node in keyed:
        index.setdefault(key, []).append(node)
    model.cache["cleanup.members"] = index
    return index


def occurrences(model: SemanticModel, place: Place) -> list[Node]:
    """The expressions in the file that name ``place``."""
    if not place.path:
        if place.kind != "binding":
            return []
        binding_id = int(place.root.split(":", 1)[1])
        for binding in model.bindings:
            if binding.node.id == binding_id:
                return list(binding.references)
        return []
    last = place.path.rsplit(".", 1)[-1]
    return [node for node in member_index(model).get(last, ()) if place_of(model, node) == place]


# -- flows ---------------------------------------------------------------------------------


def flow_of(model: SemanticModel, expr: Node, spec: ReleaseSpec) -> Flow:
    """Where the value of ``expr`` goes from where it stands."""
    node = outer(expr)
    keys: list[str] = []
    in_array = False
    through: list[str] = []

    def stored(place: Place | None, at: Node, what: str) -> Flow:
        if place is None:
            return Flow(FlowKind.ESCAPED, None, at, f"stored in `{what}`", tuple(through))
        if in_array:
            return Flow(FlowKind.COLLECTED, place, at, "", tuple(through))
        for key in keys:
            place = place.child(key)
        return Flow(FlowKind.STORED, place, at, "", tuple(through))

    if node.type == "shorthand_property_identifier" and node.parent is not None:
        keys.append(text(node))
        node = outer(node.parent)
    for _ in range(64):
        parent = node.parent
        if parent is None:
            return Flow(FlowKind.USED)
        kind = parent.type
        if kind == "member_expression" and _same(parent.child_by_field_name("object"), node):
            prop = text(parent.child_by_field_name("property"))
            call = parent.parent
            called = (
                call is not None
                and call.type == "call_expression"
                and _same(call.child_by_field_name("function"), parent)
            )
            if called and call is not None and not keys and not in_array:
                if prop in PASS_THROUGH_METHODS:
                    through.append(prop)
                    node = outer(call)
                    continue
                if prop in spec.methods:
                    return Flow(FlowKind.RELEASED, None, call, "", tuple(through))
            return Flow(FlowKind.USED, None, parent, "", tuple(through))
        operator = text(parent.child_by_field_name("operator"))
        if kind == "binary_expression" and operator in ("||", "??", "&&"):
            node = outer(parent)
            continue
        condition = parent.child_by_field_name("condition")
        if kind == "ternary_expression" and not _same(condition, node):
            node = outer(parent)
            continue
        if kind in ("await_expression", "spread_element") or (
            kind == "sequence_expression" and _same(parent.named_children[-1], node)
        ):
            node = outer(parent)
            continue
        if kind == "expression_statement":
            return Flow(FlowKind.DISCARDED, None, parent, "", tuple(through))
        if kind == "variable_declarator" and _same(parent.child_by_field_name("value"), node):
            name = parent.child_by_field_name("name")
            if name is None or name.type != "identifier":
                return Flow(FlowKind.USED, None, parent, "", tuple(through))
            return stored(place_of(model, name), parent, text(name))
        if kind in ("assignment_expression", "augmented_assignment_expression") and _same(
            parent.child_by_field_name("right"), node
        ):
            left = unwrap(parent.child_by_field_name("left"))
            dynamic = left is not None and left.type == "subscript_expression"
            if left is not None and dynamic and place_of(model, left) is None:
                collection = place_of(model, left.child_by_field_name("object"))
                if collection is not None:
                    return Flow(FlowKind.COLLECTED, collection, parent, "", tuple(through))
            return stored(place_of(model, left), parent, text(left))
        if kind == "pair" and _same(parent.child_by_field_name("value"), node):
            key = parent.child_by_field_name("key")
            keys.insert(0, string_value(key) or text(key))
            node = outer(parent.parent) if parent.parent is not None else parent
            continue
        if kind == "array":
            in_array, keys = True, []
            node = outer(parent)
            continue
        if kind == "arguments" and parent.parent is not None:
            site = model.call_at(parent.parent)
            if site is None:
                return Flow(FlowKind.ESCAPED, None, parent.parent, "passed on", tuple(through))
            if spec.releases_call(site) and not keys and not in_array:
                return Flow(FlowKind.RELEASED, None, site.node, "", tuple(through))
            if site.obj is not None and site.name in COLLECTION_ADD_METHODS and not site.is_new:
                collection = place_of(model, site.obj)
                if collection is not None:
                    return Flow(FlowKind.COLLECTED, collection, site.node, "", tuple(through))
            note = f"passed to `{site.display(40)}`"
            return Flow(FlowKind.ESCAPED, None, site.node, note, tuple(through), tuple(keys))
        if kind in ("return_statement", "yield_expression") or (
            kind == "arrow_function" and _same(parent.child_by_field_name("body"), node)
        ):
            return Flow(FlowKind.ESCAPED, None, parent, "returned", tuple(through))
        if kind in ("field_definition", "public_field_definition") and _same(
            parent.child_by_field_name("value"), node
        ):
            name = parent.child_by_field_name("property") or parent.child_by_field_name("name")
            owner = parent.parent.parent if parent.parent is not None else None
            if any(child.type == "static" for child in parent.children):
                owner_name = text(owner.child_by_field_name("name")) if owner is not None else ""
                label = f"{owner_name}.{text(name)}"
                place = Place("path", f"name:{owner_name}", text(name), label)
            else:
                root = f"class:{owner.id}" if owner is not None else "class:"
                place = Place("this", root, text(name), f"this.{text(name)}")
            return stored(place, parent, text(name))
        if kind in ("export_statement", "export_specifier", "throw_statement", "new_expression"):
            return Flow(FlowKind.ESCAPED, None, parent, "handed out", tuple(through))
        return Flow(FlowKind.USED, None, parent, "", tuple(through))
    return Flow(FlowKind.USED)


# -- release sites -------------------------------------------------------------------------


def _sources(model: SemanticModel, expr: Node | None, depth: int = 0) -> set[Place]:
    """The places a released expression may have been read from."""
    found: set[Place] = set()
    node = unwrap(expr)
    if node is None or depth > _MAX_FLOW_DEPTH:
        return found
    place = place_of(model, node)
    if place is not None:
        found.add(place)
    current: Node | None = node
    while current is not None:
        kind = current.type
        if kind == "call_expression":
            callee = unwrap(current.child_by_field_name("function"))
            if callee is not None and callee.type == "member_expression":
                method = text(callee.child_by_field_name("property"))
                receiver = callee.child_by_field_name("object")
                if text(receiver) == "Object" or text(receiver) == "Array":
                    args = call_arguments(current)
                    if args:
                        found |= _sources(model, args[0], depth + 1)
                elif method in COLLECTION_READ_METHODS:
                    found |= _sources(model, receiver, depth + 1)
            return found
        if kind == "subscript_expression":
            found |= _sources(model, current.child_by_field_name("object"), depth + 1)
            return found
        if kind == "member_expression":
            current = unwrap(current.child_by_field_name("object"))
            continue
        if kind == "identifier":
            found |= _identifier_sources(model, current, depth)
        return found
    return found


def value_sources(model: SemanticModel, expr: Node | None) -> set[Place]:
    """The places a released value may have been read from (``clearTimeout(t)`` after
    ``const t = this.timer`` reaches ``this.timer``)."""
    return _sources(model, expr)


def _identifier_sources(model: SemanticModel, ident: Node, depth: int) -> set[Place]:
    binding = model.binding_of(ident)
    if binding is None:
        return set()
    declarator = binding.declarator
    if declarator is not None and declarator.type == "for_in_statement":
        return _sources(model, declarator.child_by_field_name("right"), depth + 1)
    if binding.kind is BindingKind.PARAM and binding.function is not None:
        call = binding.function.callback_of
        if call is not None and call.obj is not None and call.name in COLLECTION_ITERATE_METHODS:
            return _sources(model, call.obj, depth + 1)
        return set()
    if binding.init is not None and not binding.is_reassigned:
        return _sources(model, binding.init, depth + 1)
    return set()


def release_sources(model: SemanticModel, spec: ReleaseSpec) -> set[Place]:
    """Every place that some release in the file reaches (cached per spec)."""
    key = f"cleanup.releases:{sorted(spec.functions)}:{sorted(spec.methods)}"
    cached = model.cache.get(key)
    if isinstance(cached, set):
        return cached
    found: set[Place] = set()
    for call in model.calls_named(*spec.functions):
        if spec.releases_call(call) and call.args:
            found |= _sources(model, call.args[0])
    for call in model.calls_named(*spec.methods):
        if call.obj is not None and not call.is_new:
            found |= _sources(model, call.obj)
    # ``timers.forEach(clearInterval)``: a release function handed to an iteration.
    for ident in model.facts.unresolved:
        if text(ident) not in spec.functions:
            continue
        parent = outer(ident).parent
        if parent is not None and parent.type == "arguments" and parent.parent is not None:
            site = model.call_at(parent.parent)
            iterating = site is not None and site.name in COLLECTION_ITERATE_METHODS
            iterated = site.obj if site is not None and iterating else None
            if iterated is not None:
                found |= _sources(model, iterated)
    model.cache[key] = found
    return found


# -- fates ---------------------------------------------------------------------------------


def fate_of(
    model: SemanticModel,
    flow: Flow,
    spec: ReleaseSpec,
    is_use: Callable[[Flow], bool] | None = None,
) -> Fate:
    """Follow a stored or collected value through the places it is copied to.

    ``is_use`` tells escapes that merely use the value (``http.get({ agent })``) from
    hand-offs to a new owner."""
    fate = Fate(passed_through=set(flow.passed_through))
    if flow.kind is FlowKind.RELEASED:
        fate.released = True
        return fate
    if flow.kind is FlowKind.ESCAPED:
        fate.escape = flow
        return fate
    if flow.place is None:
        return fate
    releases = release_sources(model, spec)
    pending: list[Place] = [flow.place]
    seen: set[Place] = set()
    while pending and len(seen) < 32:
        place = pending.pop()
        if place in seen:
            continue
        seen.add(place)
        fate.places.append(place)
        if place in releases:
            fate.released = True
        for occurrence in occurrences(model, place):
            if _is_write_target(occurrence):
                continue
            step = flow_of(model, occurrence, spec)
            fate.passed_through.update(step.passed_through)
            if step.kind is FlowKind.RELEASED:
                fate.released = True
            elif step.kind is FlowKind.ESCAPED and fate.escape is None:
                if is_use is None or not is_use(step):
                    fate.escape = step
            elif step.kind in (FlowKind.STORED, FlowKind.COLLECTED) and step.place is not None:
                pending.append(step.place)
        if place.kind == "binding" or place.kind == "path":
            container = _container_escape(model, place, spec)
            if container is not None and fate.escape is None:
                fate.escape = container
    return fate


def _container_escape(model: SemanticModel, place: Place, spec: ReleaseSpec) -> Flow | None:
    """``state.timer`` is handed out when ``state`` is returned or passed on."""
    if not place.path or place.kind != "binding":
        return None
    base = Place(place.kind, place.root, "", place.label.split(".", 1)[0])
    for occurrence in occurrences(model, base):
        step = flow_of(model, occurrence, spec)
        if step.kind is FlowKind.ESCAPED:
            return step
        if step.kind in (FlowKind.STORED, FlowKind.COLLECTED):
            where = step.place.label if step.place is not None else "…"
            return Flow(FlowKind.ESCAPED, step.place, step.node, f"stored in `{where}`")
    return None


def never_holds_a_value(model: SemanticModel, place: Place) -> bool:
    """Whether ``place`` is written, and every write in the file stores ``null`` /
    ``undefined`` (``this.timer = null``): the author declared a slot for a handle that
    nothing ever puts there, so a clear of it clears nothing (SPEC §1 *Cleanup is verified*)."""
    writes = 0
    for occurrence in occurrences(model, place):
        if not _is_write_target(occurrence):
            continue
        assignment = outer(occurrence).parent
        value = unwrap(assignment.child_by_field_name("right")) if assignment else None
        if value is None or (value.type not in ("null", "undefined") and text(value) != "void 0"):
            return False
        writes += 1
    return writes > 0


def _is_write_target(node: Node) -> bool:
    position = outer(node)
    parent = position.parent
    if parent is None:
        return False
    if parent.type in ("assignment_expression", "augmented_assignment_expression"):
        return _same(parent.child_by_field_name("left"), position)
    return False


# -- the paths a removal runs on (SPEC §1 *Cleanup is verified*) ----------------------------
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


# -- removals that remove nothing (SPEC §1 *Cleanup is verified*) ---------------------------
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
    name = string_value(event)
    if target is None or handler is None or name is None:
        return []
    found: list[tuple[CallSite, str]] = []
    for call in model.calls_named(*REMOVE_LISTENER_METHODS):
        if call.is_new or call.obj is None or len(call.args) < 2:
            continue
        if string_value(call.args[0]) != name or not same_location(model, call.obj, target):
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


# -- clears that clear nothing (SPEC §1 *Cleanup is verified*) ------------------------------
def written_values(model: SemanticModel, place: Place) -> list[Node]:
    """The assignments in the file whose left side is ``place``."""
    found: list[Node] = []
    for occurrence in occurrences(model, place):
        if _is_write_target(occurrence):
            assignment = outer(occurrence).parent
            if assignment is not None:
                found.append(assignment)
    return found


def overwritten_before(model: SemanticModel, release: CallSite, place: Place) -> Node | None:
    """The assignment to ``place`` that always runs before ``release`` in its function
    (``this.timer = null; clearInterval(this.timer)``): the release then receives the new
    value, not the handle it was meant for. None when no such assignment dominates it."""
    function = release.function
    for assignment in written_values(model, place):
        if model.enclosing_function(assignment) is not function:
            continue
        if assignment.end_byte > release.node.start_byte:
            continue
        statement = outer(assignment).parent
        if statement is None or statement.type != "expression_statement":
            continue
        block = statement.parent
        if block is None or not is_inside(release.node, block):
            continue
        return assignment
    return None


def error_branch(model: SemanticModel, removal: Node, run: FunctionInfo) -> Node | None:
    """The error branch a removal sits in, in ``run`` or a callback inside it: a ``catch``
    clause, or the body of ``if (err)`` where ``err`` is the first parameter of a callback
    (Node's error-first convention). None when the removal is not confined to one."""
    function = model.enclosing_function(removal)
    if function is None or not (function is run or in_function(model, function.node, run)):
        return None
    for ancestor in ancestors(removal):
        if ancestor.id == function.node.id:
            return None
        if ancestor.type == "catch_clause":
            return ancestor
        if ancestor.type != "if_statement":
            continue
        body = ancestor.child_by_field_name("consequence")
        condition = unwrap(ancestor.child_by_field_name("condition"))
        while condition is not None and condition.type == "parenthesized_expression":
            condition = unwrap(condition.named_children[0]) if condition.named_children else None
        if body is None or condition is None or not is_inside(removal, body):
            continue
        first = function.params[0] if function.params and function.callback_of else None
        if (
            first is not None
            and condition.type == "identifier"
            and model.binding_of(condition) is first
        ):
            return body
    return None
