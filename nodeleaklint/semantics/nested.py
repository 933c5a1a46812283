"""Collections kept inside a long-lived collection: ``socketsByKey.get(token).add(socket)``.

A module-level ``Map`` of ``Set``s (the sockets of each token, the subscribers of each
topic, the clients of each room) grows in two ways: a new inner collection per key, and a
new member per call in an inner collection. A ``delete(key)`` on the outer collection drops
a whole inner collection at once; a member leaves only when code removes it from its inner
collection (``set.delete(socket)`` on ``'disconnect'``). This module finds where the inner
collections grow, whether anything removes members from them, and whether they escape to
code that might; it knows nothing about findings (NLL301 asks).

An inner collection is denoted by a lookup on the outer one (``m.get(k)``, ``m[k]``), a
local initialised from one (``const set = m.get(k)``; reassigned only to a new collection,
``set = new Set()``), or what iterates the outer collection's values (``for (const set of
m.values())``, ``for (const [k, set] of m)``, ``m.forEach((set) => …)``,
``Object.values(m)``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nodeleaklint.parsing import Node
from nodeleaklint.records import record
from nodeleaklint.semantics.syntax import (
    FUNCTION_KINDS,
    assigned_value,
    call_arguments,
    method_call_on,
    outer,
    text,
    unwrap,
)
from nodeleaklint.semantics.values import collection_kind
from nodeleaklint.semantics.vocabulary import SHRINK_METHODS

if TYPE_CHECKING:
    from nodeleaklint.semantics.model import SemanticModel

# Methods that add a member to an inner collection (a Set, an array, a Map).
_INNER_GROWTH = frozenset({"add", "push", "unshift", "set"})
# Methods that may remove members: the shrink methods, and ``filter`` (its result is
# usually stored back in place of the inner collection).
_INNER_SHRINK = SHRINK_METHODS | {"filter"}
# Calls that only read what they are given (an inner collection passed to them stays put).
_READS = frozenset({"has", "get", "forEach", "map", "some", "every", "find", "includes", "from"})
_VALUE_ITERATORS = frozenset({"values", "entries"})


@record
class InnerGrowth:
    """One call that adds ``value`` to an inner collection."""

    site: Node  # the call: ``socketSet.add(socket)``
    value: Node  # what it adds: ``socket`` (for ``.set(k, v)``: the key ``k``)


@record
class Nested:
    """What is done to the inner collections of one outer collection."""

    growth: tuple[InnerGrowth, ...]
    shrinks: tuple[Node, ...]  # calls that remove members from an inner collection
    escapes: bool  # an inner collection is handed to code that may change it


def nested_collections(model: SemanticModel, refs: list[Node]) -> Nested:
    """The inner collections reached from ``refs`` (the outer collection's references)."""
    walk = _Walk(model, {ref.id for ref in refs})
    for ref in refs:
        walk.outer_use(ref)
    return Nested(tuple(walk.growth), tuple(walk.shrinks), walk.escapes)


class _Walk:
    def __init__(self, model: SemanticModel, refs: set[int]) -> None:
        self.model = model
        self.refs = refs  # the outer collection's references, by node id
        self.growth: list[InnerGrowth] = []
        self.shrinks: list[Node] = []
        self.escapes = False
        self.seen: set[int] = set()

    def outer_use(self, ref: Node) -> None:
        """One use of the outer collection: a lookup or an iteration of its values."""
        position = outer(ref)
        parent = position.parent
        if parent is None:
            return
        if parent.type == "subscript_expression" and _is_object(parent, position):
            if not _assigned(parent):
                self.inner(parent)
            return
        if parent.type != "member_expression" or not _is_object(parent, position):
            if parent.type == "arguments":
                self.values_argument(parent)
            elif parent.type == "for_in_statement":
                self.loop(parent, position, values=False)
            return
        call = method_call_on(position)
        if call is None:
            return
        name = text(parent.child_by_field_name("property"))
        if name == "get":
            self.inner(call)
        elif name == "forEach":
            self.callback_parameter(call, 0)
        elif name in _VALUE_ITERATORS:
            loop = outer(call).parent
            if loop is not None and loop.type == "for_in_statement":
                self.loop(loop, outer(call), values=name == "values")

    def values_argument(self, arguments: Node) -> None:
        """``Object.values(m)`` / ``Object.entries(m)``: iterated, their elements are inner."""
        call = arguments.parent
        if call is None or call.type != "call_expression":
            return
        callee = call.child_by_field_name("function")
        shown = text(callee)
        if shown not in ("Object.values", "Object.entries"):
            return
        around = outer(call).parent
        if around is not None and around.type == "for_in_statement":
            self.loop(around, outer(call), values=shown == "Object.values")
        elif around is not None and around.type == "member_expression":
            each = method_call_on(call)
            if each is not None and text(around.child_by_field_name("property")) == "forEach":
                self.callback_parameter(each, 0 if shown == "Object.values" else None)

    def loop(self, loop: Node, iterated: Node, *, values: bool) -> None:
        """``for (const set of m.values())`` or ``for (const [k, set] of m)``."""
        right = loop.child_by_field_name("right")
        if right is None or right.id != iterated.id:
            return
        left = loop.child_by_field_name("left")
        if left is None:
            return
        if values and left.type == "identifier":
            self.alias(left)
        else:
            self.entry_value(left)

    def callback_parameter(self, call: Node, index: int | None) -> None:
        """``m.forEach((set, key) => …)``: the callback's first parameter is an inner
        collection (``index`` None: an entry ``[k, set]``, the second element)."""
        args = call_arguments(call)
        function = unwrap(args[0]) if args else None
        if function is None or function.type not in FUNCTION_KINDS:
            return
        params = function.child_by_field_name("parameters")
        single = function.child_by_field_name("parameter")
        first = single
        if first is None and params is not None and params.named_children:
            first = params.named_children[0]
        if first is None:
            return
        if index == 0 and first.type in ("identifier", "required_parameter"):
            name = first if first.type == "identifier" else first.child_by_field_name("pattern")
            if name is not None and name.type == "identifier":
                self.alias(name)
        elif index is None:
            self.entry_value(first)

    def entry_value(self, pattern: Node) -> None:
        """``[key, set]``: the value of an entry of the outer collection is inner."""
        if pattern.type != "array_pattern":
            return
        named = [c for c in pattern.named_children if c.type != "comment"]
        if len(named) == 2 and named[1].type == "identifier":
            self.alias(named[1])

    def alias(self, name: Node) -> None:
        """A local that holds an inner collection: each of its uses is the inner's use."""
        binding = self.model.binding_of(name)
        if binding is None or binding.node.id in self.seen:
            return
        self.seen.add(binding.node.id)
        for write in binding.writes:
            if not _fresh_collection(write):
                self.escapes = True  # it may come to hold something else
        for reference in binding.references:
            if reference.id != binding.node.id:
                self.inner(reference)

    def inner(self, node: Node) -> None:
        """One expression whose value is an inner collection."""
        position = outer(node)
        parent = position.parent
        if parent is None:
            return
        kind = parent.type
        if kind == "member_expression" and _is_object(parent, position):
            call = method_call_on(position)
            name = text(parent.child_by_field_name("property"))
            if call is None:
                return
            if name in _INNER_SHRINK:
                self.shrinks.append(call)
            elif name in _INNER_GROWTH:
                args = call_arguments(call)
                if args:
                    self.growth.append(InnerGrowth(call, args[0]))
            return
        if kind == "variable_declarator" and _is_value(parent, position):
            local = parent.child_by_field_name("name")
            if local is not None and local.type == "identifier":
                self.alias(local)
            else:
                self.escapes = True
            return
        if kind in ("binary_expression", "if_statement", "unary_expression", "for_in_statement"):
            return  # tested or iterated: read
        if kind == "assignment_expression" and _assigned(node):
            return  # a write of the local (``alias`` checks what it is given)
        if kind == "arguments":
            call = parent.parent
            callee = call.child_by_field_name("function") if call is not None else None
            method = (
                text(callee.child_by_field_name("property"))
                if callee is not None and callee.type == "member_expression"
                else text(callee)
            )
            if method in _READS or method.startswith("console."):
                return
            if method == "set" and self._outer_object(callee):
                return  # put (back) in the outer collection: ``m.set(k, set)``
        if kind == "expression_statement":
            return
        self.escapes = True  # stored, passed on or returned: others may change it

    def _outer_object(self, callee: Node | None) -> bool:
        """``callee`` is a method of the outer collection (``m.set``)."""
        if callee is None or callee.type != "member_expression":
            return False
        target = unwrap(callee.child_by_field_name("object"))
        return target is not None and target.id in self.refs


def _is_object(member: Node, position: Node) -> bool:
    found = member.child_by_field_name("object")
    return found is not None and found.id == position.id


def _is_value(declarator: Node, position: Node) -> bool:
    found = declarator.child_by_field_name("value")
    return found is not None and found.id == position.id


def _assigned(subscript: Node) -> bool:
    position = outer(subscript)
    parent = position.parent
    if parent is None or parent.type not in (
        "assignment_expression",
        "augmented_assignment_expression",
    ):
        return False
    left = parent.child_by_field_name("left")
    return left is not None and left.id == position.id


def _fresh_collection(write: Node) -> bool:
    """The identifier ``write`` is assigned a new collection (``set = new Set()``)."""
    return collection_kind(assigned_value(write)) is not None
