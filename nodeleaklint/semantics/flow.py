"""Where values flow: stored, collected, released, handed out (SPEC §1 *Cleanup is verified*).

Used by the rules that pair an acquisition with its release: NLL201 (``setInterval`` /
``clearInterval``), NLL602 (client / ``close``), and the model's resources and teardown.

- ``flow_of`` says where the value of an expression goes: discarded, stored in a place
  (``locations.Place``), added to a collection, released, handed out (returned, passed to a
  call), or just used.
- ``ReleaseSpec`` says what releases a value (``clearInterval(x)``, ``x.close()``);
  ``release_sources`` finds every place a release in the file reaches, reading through
  aliases (``const t = this.timer``), collection reads (``this.timers.get(id)``,
  ``timers[id]``), ``for … of`` loops and ``forEach`` callbacks over a collection.
- ``fate_of`` follows a stored value through every place it is copied to and says whether
  anything releases it or hands it out; ``escapes`` whether a binding's value leaves the
  function's sight at all.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from nodeleaklint.parsing import Node
from nodeleaklint.records import record
from nodeleaklint.semantics.locations import (
    Place,
    is_write_target,
    occurrences,
    place_of,
    same_location,
    same_node,
    written_values,
)
from nodeleaklint.semantics.reachable import may_run
from nodeleaklint.semantics.scopes import Binding, BindingKind, CallSite
from nodeleaklint.semantics.syntax import (
    call_arguments,
    is_inside,
    outer,
    string_value,
    text,
    unwrap,
)
from nodeleaklint.semantics.values import literal_strings
from nodeleaklint.semantics.vocabulary import (
    COLLECTION_ADD_METHODS,
    COLLECTION_ITERATE_METHODS,
    COLLECTION_READ_METHODS,
    PASS_THROUGH_METHODS,
)

if TYPE_CHECKING:
    from nodeleaklint.semantics.model import SemanticModel


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


_MAX_FLOW_DEPTH = 8


@record
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


@record
class Flow:
    """What happens to a value (``kind``: stored, collected, released, escaped ...), and where."""

    kind: FlowKind
    place: Place | None = None  # STORED: the slot; COLLECTED: the collection
    node: Node | None = None  # the statement, call or assignment that decides
    note: str = ""  # ESCAPED: "returned", "passed to `f(…)`"
    passed_through: tuple[str, ...] = ()  # pass-through methods seen: ("unref",)
    keys: tuple[str, ...] = ()  # ESCAPED inside an object literal: the property path


@dataclass(eq=False, repr=False)
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
        if kind == "member_expression" and same_node(parent.child_by_field_name("object"), node):
            prop = text(parent.child_by_field_name("property"))
            call = parent.parent
            called = (
                call is not None
                and call.type == "call_expression"
                and same_node(call.child_by_field_name("function"), parent)
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
        if kind == "ternary_expression" and not same_node(condition, node):
            node = outer(parent)
            continue
        if kind in ("await_expression", "spread_element") or (
            kind == "sequence_expression" and same_node(parent.named_children[-1], node)
        ):
            node = outer(parent)
            continue
        if kind == "expression_statement":
            return Flow(FlowKind.DISCARDED, None, parent, "", tuple(through))
        if kind == "variable_declarator" and same_node(parent.child_by_field_name("value"), node):
            name = parent.child_by_field_name("name")
            if name is None or name.type != "identifier":
                return Flow(FlowKind.USED, None, parent, "", tuple(through))
            return stored(place_of(model, name), parent, text(name))
        if kind in ("assignment_expression", "augmented_assignment_expression") and same_node(
            parent.child_by_field_name("right"), node
        ):
            left = unwrap(parent.child_by_field_name("left"))
            dynamic = left is not None and left.type == "subscript_expression"
            if left is not None and dynamic and place_of(model, left) is None:
                collection = place_of(model, left.child_by_field_name("object"))
                if collection is not None:
                    return Flow(FlowKind.COLLECTED, collection, parent, "", tuple(through))
            return stored(place_of(model, left), parent, text(left))
        if kind == "pair" and same_node(parent.child_by_field_name("value"), node):
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
            kind == "arrow_function" and same_node(parent.child_by_field_name("body"), node)
        ):
            return Flow(FlowKind.ESCAPED, None, parent, "returned", tuple(through))
        if kind in ("field_definition", "public_field_definition") and same_node(
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
            # ``this[field]`` with ``field`` walking a literal list of names reaches each
            # ``this.<name>`` (``for (const f of ['_a', '_b']) clearInterval(this[f])``)
            whole = place_of(model, unwrap(current.child_by_field_name("object")))
            names = literal_strings(model, current.child_by_field_name("index"))
            if whole is not None and names:
                found.update(whole.child(name) for name in sorted(names))
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
            if is_write_target(occurrence):
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
