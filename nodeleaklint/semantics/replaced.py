"""Targets replaced per run: ``this.conn = new Socket()`` (or ``mainWindow = new
BrowserWindow()``) in the function that then uses ``this.conn`` / ``mainWindow.webContents``.

The binding or field outlives the call, but in that run it holds an object the run made,
so what hangs off it goes when the next run replaces it: a listener added to it, an
argument passed from it, belongs to that object, not to the long-lived slot.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nodeleaklint.parsing import Node
from nodeleaklint.semantics.locations import location_key, object_property, same_location
from nodeleaklint.semantics.scopes import FunctionInfo
from nodeleaklint.semantics.syntax import ancestors, is_inside, text, unwrap

if TYPE_CHECKING:
    from nodeleaklint.semantics.model import SemanticModel


def assigned_in_this_run(model: SemanticModel, function: FunctionInfo, target: Node) -> bool:
    """``this.x = …`` (or ``x = …``) in the registering function or the method around it, or
    an object the target hangs off made anew there (``server = await start();
    server.http.on(…)``): the target is replaced per run, so its listeners go with it."""
    return _replaced(model, function, target, constructed_only=False)


def constructed_in_this_run(model: SemanticModel, function: FunctionInfo, target: Node) -> bool:
    """``mainWindow = new BrowserWindow(…)`` in ``function`` (or the method around it) and
    ``target`` is ``mainWindow`` or hangs off it (``mainWindow.webContents``): in this run
    the long-lived slot holds an object the run constructed. Only ``new`` counts here: a
    call may hand back something shared."""
    return _replaced(model, function, target, constructed_only=True)


def _replaced(
    model: SemanticModel, function: FunctionInfo, target: Node, constructed_only: bool
) -> bool:
    target = unwrap(target) or target
    if target.type not in ("member_expression", "identifier", "subscript_expression"):
        return False
    made = _constructs if constructed_only else creates_object
    owners = [target, *owners_of(target)] if constructed_only else owners_of(target)
    probe: FunctionInfo | None = function
    while probe is not None:
        for assignment in model.assignments_in(probe):
            if assignment.type != "assignment_expression":
                continue
            left = assignment.child_by_field_name("left")
            if not constructed_only and _same_slot(model, assignment, left, target, target):
                return True
            right = assignment.child_by_field_name("right")
            if made(right) and any(
                _same_slot(model, assignment, left, owner, target) for owner in owners
            ):
                return True
            if not constructed_only and _fresh_in_literal(model, left, right, target):
                return True
        if probe.class_node is not None and probe.method_kind is not None:
            break
        probe = probe.parent
    return False


def _same_slot(
    model: SemanticModel, assignment: Node, left: Node | None, slot: Node, reader: Node
) -> bool:
    """``same_location``, and in one run also a slot of a table under the same local key that
    nothing reassigns, read directly or through a local alias of it (``for (const r of names)
    { clients[r] = new Redis(); clients[r].on(…) }``; ``const proc = procs[group]; …
    proc.process = fork(…); procs[group].process.on(…)``): one key, one slot, though not a
    fixed field. That slot counts only when the block that fills it holds the ``reader`` (a
    read after an ``if`` that filled it only sometimes may see the one from before)."""
    if same_location(model, left, slot):
        return True
    if left is None:
        return False
    key = _slot_key(model, left, 0)
    if key is None or key != _slot_key(model, slot, 0):
        return False
    block = next((a for a in ancestors(assignment) if _runs_through(a)), None)
    return block is not None and is_inside(reader, block)


def _runs_through(node: Node) -> bool:
    """A block whose statements run one after another to its end: a ``try`` body counts as
    the block around the ``try`` (``try { proc = fork(…) } catch { … }`` then
    ``proc.on(…)``), whose failure leaves by its ``catch``."""
    parent = node.parent
    return node.type == "statement_block" and (parent is None or parent.type != "try_statement")


def _slot_key(model: SemanticModel, node: Node | None, depth: int) -> tuple[object, ...] | None:
    """A comparable form of the slot ``node`` denotes in one run, or None: ``location_key``
    with a local, never-reassigned index (``[r]``) for a key, and a local, never-reassigned
    alias of a member or slot (``const proc = procs[group]``) for what it stands for."""
    node = unwrap(node)
    if node is None or depth > _MAX_SLOT_DEPTH:
        return None
    if node.type == "identifier":
        binding = model.binding_of(node)
        init = unwrap(binding.init) if binding is not None else None
        if (
            binding is not None
            and init is not None
            and not binding.is_module_level
            and not binding.is_reassigned
            and not binding.destructured
            and init.type in ("member_expression", "subscript_expression")
        ):
            return _slot_key(model, init, depth + 1)
        return location_key(model, node)
    if node.type == "member_expression":
        base = _slot_key(model, node.child_by_field_name("object"), depth + 1)
        return (
            None if base is None else ("member", text(node.child_by_field_name("property")), base)
        )
    if node.type == "subscript_expression":
        fixed = location_key(model, node)
        if fixed is not None:
            return fixed
        index = unwrap(node.child_by_field_name("index"))
        binding = (
            model.binding_of(index) if index is not None and index.type == "identifier" else None
        )
        if binding is None or binding.is_module_level or binding.is_reassigned:
            return None
        base = _slot_key(model, node.child_by_field_name("object"), depth + 1)
        return None if base is None else ("slot", binding, base)
    return location_key(model, node)


_MAX_SLOT_DEPTH = 8


def _constructs(value: Node | None) -> bool:
    value = _awaited(value)
    return value is not None and value.type == "new_expression"


def owners_of(target: Node) -> list[Node]:
    """The objects a member chain hangs off: ``a.b`` and ``a`` for ``a.b.c``."""
    owners: list[Node] = []
    node = unwrap(target)
    while node is not None and node.type == "member_expression":
        node = unwrap(node.child_by_field_name("object"))
        if node is not None and node.type in ("member_expression", "identifier"):
            owners.append(node)
    return owners


def _fresh_in_literal(
    model: SemanticModel, left: Node | None, right: Node | None, target: Node
) -> bool:
    """``proc.process = { logic: start() }; proc.process.logic.on(…)``: the target is a
    property of an object literal made in this run whose value is itself made there (a
    property holding something shared, ``{ bus: sharedBus }``, is not)."""
    literal = unwrap(right)
    target = unwrap(target) or target
    if literal is None or literal.type != "object" or target.type != "member_expression":
        return False
    if not same_location(model, left, target.child_by_field_name("object")):
        return False
    value = object_property(literal, text(target.child_by_field_name("property")))
    return creates_object(value)


def creates_object(value: Node | None) -> bool:
    """A call or ``new`` (awaited or not): its result is a new object, not an alias."""
    value = _awaited(value)
    return value is not None and value.type in ("call_expression", "new_expression")


def _awaited(value: Node | None) -> Node | None:
    """``value`` without parentheses and an ``await`` in front."""
    value = unwrap(value)
    if value is not None and value.type == "await_expression" and value.named_children:
        value = unwrap(value.named_children[0])
    return value
