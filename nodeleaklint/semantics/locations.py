"""Which expressions denote the same storage location.

A storage location is a binding, a field of ``this`` (the same in every method of one
class, and through ``const self = this``), a computed field with a fixed key
(``this['x']``, ``this[kClients]``), or a property path from a binding (``state.timer``).
Everything here compares locations, never source text, so ``bus.off('x', onTick)`` only
matches the ``onTick`` that was registered, not another function of the same name in
another scope. ``Place`` is the comparable form; ``occurrences`` finds every expression of
the file that names one (through ``member_index``, built once per file).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from nodeleaklint.parsing import Node, captures
from nodeleaklint.semantics.scopes import Binding, BindingKind
from nodeleaklint.semantics.syntax import (
    outer,
    string_value,
    text,
    unwrap,
)

if TYPE_CHECKING:
    from nodeleaklint.semantics.model import SemanticModel


def same_location(model: SemanticModel, a: Node | None, b: Node | None) -> bool:
    """Whether two expressions denote the same storage: one binding, one ``this.x`` field, one
    member chain off the same binding (``req.socket`` twice). Calls never match (each call may
    return something new)."""
    if a is None or b is None:
        return False
    key = location_key(model, a)
    return key is not None and key == location_key(model, b)


# What ``location_key`` gives: a tag, then the binding, name, class id or field name, then
# (for members) the object's key.
LocationKey = tuple[object, ...]


def location_key(model: SemanticModel, node: Node) -> LocationKey | None:
    """A comparable form of the storage ``node`` denotes, None when it denotes none that can
    be matched (a call, a literal): ``same_location`` is the equality of two keys.

    Worked out once per node (a target is compared with every removal and write of the
    file). Each key says exactly what the pairwise comparison compared: after following an
    alias, an identifier is its binding (a global: its name, as ``same_binding`` has it),
    ``this`` the class its function belongs to (or none), a member its property's text and
    its object's key, a computed member its fixed field key and its object's key; any other
    kind, or a member whose object has no key, never matches."""
    cache = model.node_memo("locations.keys")
    found: LocationKey | None
    node_id = node.id
    if node_id in cache:
        found = cache[node_id]
        return found
    found = cache[node_id] = _key_of(model, node)
    return found


def _key_of(model: SemanticModel, node: Node) -> LocationKey | None:
    """``location_key``, worked out."""
    resolved = _resolve_alias(model, unwrap(node))
    if resolved is None:
        return None
    kind = resolved.type
    if kind == "identifier":
        binding = model.binding_of(resolved)
        return ("global", text(resolved)) if binding is None else ("binding", binding)
    if kind == "this":
        function = model.this_function(resolved)
        owner = function.class_node if function is not None else None
        return ("this", owner.id if owner is not None else None)
    if kind == "member_expression":
        base = _object_key(model, resolved)
        if base is None:
            return None
        return ("member", text(resolved.child_by_field_name("property")), base)
    if kind == "subscript_expression":
        field_name = field_key(model, resolved.child_by_field_name("index"))
        base = _object_key(model, resolved) if field_name is not None else None
        if base is None:
            return None
        return ("field", field_name, base)
    return None


def _object_key(model: SemanticModel, member: Node) -> LocationKey | None:
    obj = member.child_by_field_name("object")
    return location_key(model, obj) if obj is not None else None


def _resolve_alias(model: SemanticModel, node: Node | None) -> Node | None:
    """Follow ``const self = this`` / ``const con = this.connection`` (never reassigned) to the
    expression the alias stands for, so ``self.off(…)`` matches ``this.on(…)``. Worked out
    once per identifier (``same_location`` compares one target with many)."""
    if node is None or node.type != "identifier":
        return node
    cache = model.node_memo("locations.aliases")
    key = node.id
    if key in cache:
        found: Node | None = cache[key]
        return found
    found = cache[key] = _alias_target(model, node)
    return found


def _alias_target(model: SemanticModel, node: Node | None) -> Node | None:
    """``_resolve_alias``, worked out."""
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


def value_binding(model: SemanticModel, node: Node | None) -> Binding | None:
    """The binding an identifier expression reads, else None."""
    node = unwrap(node)
    if node is None or node.type != "identifier":
        return None
    return model.binding_of(node)


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


@dataclass(frozen=True, repr=False)
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


def same_node(a: Node | None, b: Node | None) -> bool:
    return a is not None and b is not None and a.id == b.id


def _this_place(model: SemanticModel, at: Node) -> Place:
    function = model.this_function(at)
    owner = function.class_node if function is not None else None
    root = f"class:{owner.id}" if owner is not None else "class:"
    return Place("this", root, "", "this")


def place_of(model: SemanticModel, node: Node | None) -> Place | None:
    """The storage location an expression names, or None for anything computed.

    Worked out once per node (``occurrences`` asks it of every member of a name, once per
    place looked for); a ``Place`` is frozen, so every caller may share it."""
    if node is None:
        return None
    cache = model.node_memo("locations.places")
    node_id = node.id
    if node_id in cache:
        found: Place | None = cache[node_id]
        return found
    found = cache[node_id] = _place_of(model, node)
    return found


def _place_of(model: SemanticModel, node: Node) -> Place | None:
    """``place_of``, worked out."""
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


def _innermost_last(node: Node) -> tuple[int, int]:
    return -node.end_byte, node.start_byte


class MemberIndex:
    """Member expressions of the file by property name; each list ordered innermost-last-first
    (by end, then start), the order of the stack walk this replaced, which consumers' output
    follows.

    A list is sorted the first time it is asked for: most files ask for a few names of the
    hundreds they hold. Sorting each name's list alone gives the order the whole sorted
    index gave it: two members never share both ends (one member or subscript expression
    strictly contains its object), so the order is total and does not depend on the order
    the nodes were gathered in."""

    __slots__ = ("_groups", "_sorted")

    def __init__(self, groups: dict[str, list[Node]]) -> None:
        self._groups = groups
        self._sorted: set[str] = set()

    def __getitem__(self, key: str) -> Sequence[Node]:
        if key not in self._groups:
            raise KeyError(key)
        return self.get(key)

    def names(self) -> list[str]:
        """Every property name the file uses (unsorted lists are not touched)."""
        return list(self._groups)

    def get(self, key: str, default: Sequence[Node] = ()) -> Sequence[Node]:
        group = self._groups.get(key)
        if group is None:
            return default
        if key not in self._sorted:
            group.sort(key=_innermost_last)
            self._sorted.add(key)
        return group


def member_index(model: SemanticModel) -> MemberIndex:
    """Every member expression of the file by property name (built once, on demand)."""
    cached = model.cache.get("locations.members")
    if isinstance(cached, MemberIndex):
        return cached
    facts = model.facts
    grammar = model.tree.language
    nodes: Sequence[Node]
    if facts.members_complete:  # the walk saw every one
        nodes = facts.members
    else:
        found = captures(grammar, model.root, _MEMBERS)
        nodes = [*found.get("member", ()), *found.get("subscript", ())]
    # By field id: ``child_by_field_name`` looks the name up on every call.
    property_id = grammar.field_id_for_name("property")
    data = model.source.data
    groups: dict[str, list[Node]] = {}
    for node in nodes:
        # Of the two kinds, only a member expression has a ``property`` field (and only a
        # subscript an ``index``): a node with one is a member, read without its type.
        prop = node.child_by_field_id(property_id) if property_id is not None else None
        key: str | None
        if prop is not None:
            key = data[prop.start_byte : prop.end_byte].decode("utf-8", errors="replace")
        elif node.type == "member_expression":
            key = ""
        else:
            key = field_key(model, node.child_by_field_name("index"))
            if key is None:
                continue
        group = groups.get(key)
        if group is None:
            groups[key] = [node]
        else:
            group.append(node)
    index = model.cache["locations.members"] = MemberIndex(groups)
    return index


def _bindings_by_id(model: SemanticModel) -> dict[int, Binding]:
    """The bindings by their declaring node's id, the first of the file's list winning (as a
    scan of it would find): built once per file, not scanned per place."""
    cached = model.cache.get("locations.bindings_by_id")
    if isinstance(cached, dict):
        return cached
    index: dict[int, Binding] = {}
    for binding in model.bindings:
        index.setdefault(binding.node.id, binding)
    model.cache["locations.bindings_by_id"] = index
    return index


def occurrences(model: SemanticModel, place: Place) -> list[Node]:
    """The expressions in the file that name ``place``."""
    if not place.path:
        if place.kind != "binding":
            return []
        binding = _bindings_by_id(model).get(int(place.root.split(":", 1)[1]))
        return list(binding.references) if binding is not None else []
    last = place.path.rsplit(".", 1)[-1]
    return [node for node in member_index(model).get(last, ()) if place_of(model, node) == place]


def never_holds_a_value(model: SemanticModel, place: Place) -> bool:
    """Whether ``place`` is written, and every write in the file stores ``null`` /
    ``undefined`` (``this.timer = null``): the author declared a slot for a handle that
    nothing ever puts there, so a clear of it clears nothing (SPEC §1 *Cleanup is verified*)."""
    writes = 0
    for occurrence in occurrences(model, place):
        if not is_write_target(occurrence):
            continue
        assignment = outer(occurrence).parent
        value = unwrap(assignment.child_by_field_name("right")) if assignment else None
        if value is None or (value.type not in ("null", "undefined") and text(value) != "void 0"):
            return False
        writes += 1
    return writes > 0


def is_write_target(node: Node) -> bool:
    position = outer(node)
    parent = position.parent
    if parent is None:
        return False
    if parent.type in ("assignment_expression", "augmented_assignment_expression"):
        return same_node(parent.child_by_field_name("left"), position)
    return False


def written_values(model: SemanticModel, place: Place) -> list[Node]:
    """The assignments in the file whose left side is ``place``."""
    found: list[Node] = []
    for occurrence in occurrences(model, place):
        if is_write_target(occurrence):
            assignment = outer(occurrence).parent
            if assignment is not None:
                found.append(assignment)
    return found
