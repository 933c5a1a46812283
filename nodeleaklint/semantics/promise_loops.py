"""Loops written as a function whose promise waits on its own next turn (SPEC §2 NLL601,
issue 14 *a function whose returned promise chain calls itself again from a handler*).

``function poll() { return tick().then(() => poll()) }`` runs forever, one turn per tick,
and never lets go of a turn: each turn's promise is resolved with the next turn's promise,
so it stays pending, and the chain of pending promises grows by one per turn for as long as
the loop runs. An ``async`` function that ends with ``return poll()`` does the same, and one
that awaits itself (``await poll()`` / ``return await poll()``) keeps every turn's suspended
frame as well — with the locals still live in it. Measured in V8 (Node 20, 20,000 turns,
``examples/proofs/nll601_never_settling_promise.js``): ``.then(() => poll())`` keeps ~100
bytes per turn, and so do ``.then(poll)``, ``resolve(poll())`` and ``return poll()`` in an
``async`` function; ``await poll()`` ~400 bytes per turn plus its live locals;
``.then(() => { poll(); })``, a dropped ``poll()`` and a ``while`` loop keep none.

``self_waiting_calls`` finds those self-calls. A recursion is a loop, not a walk over data
or a bounded retry, when, in view:

- the call passes nothing new: no arguments, or exactly the function's own parameters in
  order (a walk passes a child, a retry passes ``attempt + 1``);
- it is not inside a loop of the function (a walk over children) nor on a failure path (a
  ``catch`` block, a ``.catch`` / rejection handler: a retry on error);
- the function returns no value of its own on the way: every ``return`` of the function and
  of the handlers between it and the call is bare, or returns the chain that leads to the
  call (a poll *until done* returns what it waited for, and ends);
- the call runs on every turn that gets that far (no ``if``, ``?:``, ``&&`` around it), and
  the only early exits are guarded by state that outlives the turn (``this.stopped``, a
  module-level queue), not by what the turn computed (a counter, a result, a response):
  the loop is stopped by its owner, not by running out of data;
- the turn waits first: an ``await`` before the call in an ``async`` function, or the call
  sits in a ``.then`` / ``.finally`` handler (or in a ``new Promise`` executor's
  ``resolve(…)``) of a chain the function returns or awaits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nodeleaklint.parsing import Node
from nodeleaklint.records import record
from nodeleaklint.semantics.scopes import BindingKind, CallSite, FunctionInfo
from nodeleaklint.semantics.syntax import (
    LOOP_KINDS,
    ancestors,
    branches,
    is_inside,
    method_call_on,
    outer,
    own_nodes,
    text,
    unwrap,
)

if TYPE_CHECKING:
    from nodeleaklint.semantics.model import SemanticModel

_CHAIN_METHODS = frozenset({"then", "catch", "finally"})


@record
class SelfWait:
    """A call by which a function waits on its own next turn, and how it waits."""

    call: Node  # ``poll()`` (or ``poll`` in ``.then(poll)``)
    function: FunctionInfo  # ``poll``
    how: str  # "then" | "await" | "return" | "resolve"


def self_waiting_calls(model: SemanticModel) -> list[SelfWait]:
    found: list[SelfWait] = []
    for function in model.functions:
        if function.name is None or function.node.type.startswith("generator"):
            continue
        if not _may_name_itself(model, function):
            continue
        for call in _self_calls(model, function):
            how = _waits_on(model, function, call)
            if how is not None and _loops(model, function, call):
                found.append(SelfWait(call.node, function, how))
        for reference in _handler_references(model, function):
            if _loops(model, function, None, reference):
                found.append(SelfWait(reference, function, "then"))
    return found


def _may_name_itself(model: SemanticModel, function: FunctionInfo) -> bool:
    """False when ``_self_calls`` and ``_handler_references`` both find nothing, told by
    their own first tests: a method (``this.poll()``) with no call of its name in the file,
    or a function whose binding is missing, reassigned or not referred to inside it."""
    if function.class_node is not None and function.method_kind in ("method", "field"):
        return bool(model.calls_by_name.get(function.name or ""))
    binding = function.binding
    if binding is None or binding.is_reassigned:
        return False
    node, declared = function.node, binding.node.id
    return any(is_inside(ref, node) and ref.id != declared for ref in binding.references)


def _self_calls(model: SemanticModel, function: FunctionInfo) -> list[CallSite]:
    """``poll(…)`` inside ``poll`` (by its binding), or ``this.poll(…)`` inside the method
    ``poll`` with the same ``this``."""
    node = function.node
    if function.class_node is not None and function.method_kind in ("method", "field"):
        return [
            site
            for site in model.calls_named(function.name or "")
            if is_inside(site.node, node)
            and site.node.id != node.id
            and model.is_this(site.obj)
            and model.this_function(site.node) is function
        ]
    binding = function.binding
    if binding is None or binding.is_reassigned:
        return []
    # A call inside ``node`` has its callee inside too: without a reference there (the name
    # it declares aside) no call of the binding's is looked for.
    declared = binding.node.id
    if not any(is_inside(ref, node) and ref.id != declared for ref in binding.references):
        return []
    return [site for site in model.direct_calls(binding) if is_inside(site.node, node)]


def _handler_references(model: SemanticModel, function: FunctionInfo) -> list[Node]:
    """``poll`` handed to ``.then(poll)`` / ``.finally(poll)`` inside ``poll``."""
    binding = function.binding
    if binding is None or binding.is_reassigned or function.class_node is not None:
        return []
    found: list[Node] = []
    for reference in binding.references:
        if not is_inside(reference, function.node) or reference.id == binding.node.id:
            continue
        parent = outer(reference).parent
        if parent is None or parent.type != "arguments" or parent.parent is None:
            continue
        site = model.call_at(parent.parent)
        first = unwrap(site.args[0]) if site is not None and site.args else None
        if (
            site is not None
            and site.name in ("then", "finally")
            and first is not None
            and first.id == reference.id
            and _chain_returned_to(model, site.node, function)
        ):
            found.append(reference)
    return found


def _waits_on(model: SemanticModel, function: FunctionInfo, call: CallSite) -> str | None:
    """How ``function``'s own promise comes to wait on ``call``'s."""
    position = outer(call.node)
    parent = position.parent
    if parent is None:
        return None
    owner = call.function
    if owner is function:
        if not _is_async(function) or not _awaits_before(model, function, call.node):
            return None
        if parent.type == "await_expression":
            return "await"
        return "return" if parent.type == "return_statement" else None
    if owner is None:
        return None
    # ``resolve(poll())`` in a ``new Promise`` executor the function returns or awaits.
    if parent.type == "arguments":
        return "resolve" if _resolves_returned_promise(model, function, parent) else None
    if not _returned_by(position, owner) and parent.type != "await_expression":
        return None
    return "then" if _handler_returned_to(model, owner, function) else None


def _returned_by(position: Node, owner: FunctionInfo) -> bool:
    """Whether ``position`` is what ``owner`` returns (a ``return`` or an arrow's body)."""
    parent = position.parent
    if parent is None:
        return False
    if parent.type == "await_expression":
        return _returned_by(outer(parent), owner)
    if parent.type == "return_statement":
        return True
    return parent.id == owner.node.id and owner.node.child_by_field_name("body") == position


def _handler_returned_to(model: SemanticModel, handler: FunctionInfo, target: FunctionInfo) -> bool:
    """Whether ``handler`` is a success handler of a chain that ``target`` returns or
    awaits, directly or through handlers of such chains."""
    site = handler.callback_of
    if site is None or site.name not in ("then", "finally") or handler.argument_index != 0:
        return False
    return _chain_returned_to(model, site.node, target)


def _chain_returned_to(model: SemanticModel, chain_call: Node, target: FunctionInfo) -> bool:
    top = _chain_top(model, chain_call)
    owner = model.enclosing_function(top)
    if owner is None:
        return False
    position = outer(top)
    awaited = position.parent is not None and position.parent.type == "await_expression"
    if owner is target:
        return _returned_by(position, owner) or (awaited and _is_async(owner))
    if not _returned_by(position, owner):
        return False
    return _handler_returned_to(model, owner, target)


def _chain_top(model: SemanticModel, call: Node) -> Node:
    """The last call of ``a.then(f).catch(g).finally(h)`` that ``call`` is part of."""
    current = call
    while True:
        above = method_call_on(current)
        site = model.call_at(above) if above is not None else None
        if site is None or site.name not in _CHAIN_METHODS:
            return current
        current = site.node


def _resolves_returned_promise(model: SemanticModel, function: FunctionInfo, args: Node) -> bool:
    """``resolve(poll())`` where ``resolve`` is the first parameter of a ``new Promise``
    executor whose promise ``function`` returns or awaits."""
    call = args.parent
    callee = call.child_by_field_name("function") if call is not None else None
    if callee is None or callee.type != "identifier":
        return False
    binding = model.binding_of(callee)
    if binding is None or binding.kind is not BindingKind.PARAM:
        return False
    executor = binding.function
    if executor is None or not executor.params or executor.params[0] is not binding:
        return False
    site = executor.callback_of
    if site is None or not executor.is_promise_executor:
        return False
    owner = model.enclosing_function(site.node)
    position = outer(site.node)
    if owner is function:
        awaited = position.parent is not None and position.parent.type == "await_expression"
        return _returned_by(position, owner) or (awaited and _is_async(owner))
    return (
        owner is not None
        and _returned_by(position, owner)
        and (_handler_returned_to(model, owner, function))
    )


def _loops(
    model: SemanticModel,
    function: FunctionInfo,
    call: CallSite | None,
    reference: Node | None = None,
) -> bool:
    """Whether the self-call is a turn of an endless loop rather than a walk or a retry."""
    node = call.node if call is not None else reference
    if node is None:
        return False
    if call is not None and not _same_arguments(model, function, call):
        return False
    if not _unconditional(model, node, function):
        return False
    handlers: list[FunctionInfo] = []
    for parent in ancestors(node):
        if parent.id == function.node.id:
            break
        if parent.type in LOOP_KINDS or parent.type in ("catch_clause", "for_of_statement"):
            return False
        inner = model.function_at(parent)
        if inner is not None:
            site = inner.callback_of
            if site is not None and (
                site.name == "catch" or (site.name == "then" and inner.argument_index == 1)
            ):
                return False  # a retry on failure
            handlers.append(inner)
    owners = [function, *handlers]
    return all(_no_value(f, node) for f in owners) and all(
        _stops_only_on_shared_state(model, f) for f in owners
    )


def _unconditional(model: SemanticModel, node: Node, function: FunctionInfo) -> bool:
    """Whether ``node`` runs on every turn that gets that far: no ``?:``, ``switch``,
    ``&&`` / ``||`` / ``??`` or ``catch`` between it and ``function``, and no ``if`` but one
    on state that outlives the turn (``if (live) return poll();`` is ``if (!live) return;
    return poll();``: the loop goes on until its owner stops it, not until its data ends)."""
    for parent in ancestors(node):
        if parent.id == function.node.id:
            return True
        if parent.type == "else_clause":
            continue  # judged by its ``if_statement``, next
        if parent.type == "if_statement":
            condition = parent.child_by_field_name("condition")
            if (
                condition is not None
                and not is_inside(node, condition)
                and _shared_state_only(model, condition)
                and not _written_by(function, condition)
            ):
                continue
            return False
        if branches(parent):
            return False
    return True


_WRITES = frozenset({"assignment_expression", "augmented_assignment_expression"})


def _written_by(function: FunctionInfo, condition: Node) -> bool:
    """Whether ``function`` itself writes what ``condition`` reads (``this.attempts++`` before
    ``if (this.attempts < 5) return this.poll();``): a counter the turn moves bounds the
    loop, a flag only its owner sets (``live``, ``this.stopped``) does not."""
    read = {
        text(node)
        for node in own_nodes(condition)
        if node.type in ("identifier", "member_expression", "subscript_expression")
    }
    for node in own_nodes(function.node):
        if node.type in _WRITES:
            target = node.child_by_field_name("left")
        elif node.type == "update_expression":
            target = node.child_by_field_name("argument")
        else:
            continue
        if target is not None and text(target) in read:
            return True
    return False


def _stops_only_on_shared_state(model: SemanticModel, function: FunctionInfo) -> bool:
    """Whether every early ``return`` of ``function`` is guarded by conditions on state
    that outlives the turn (``this.stopped``, a module-level flag or queue), not on what
    the turn computed or was given (a result, a counter, a parameter): a loop stopped by
    its owner, not a walk that ends with its data."""
    body = function.node.child_by_field_name("body")
    if body is None or body.type != "statement_block":
        return True
    for statement in own_nodes(body):
        if statement.type != "return_statement":
            continue
        for parent in ancestors(statement):
            if parent.id == function.node.id:
                break
            if parent.type == "if_statement":
                condition = parent.child_by_field_name("condition")
                if condition is not None and not _shared_state_only(model, condition):
                    return False
            elif branches(parent):
                return False
    return True


def _shared_state_only(model: SemanticModel, condition: Node) -> bool:
    """Whether ``condition`` reads only ``this``, module bindings, globals and literals."""
    for node in own_nodes(condition):
        if node.type in ("call_expression", "await_expression", "assignment_expression"):
            return False  # computed now: a fetched status, a fresh check
        if node.type == "identifier":
            binding = model.binding_of(node)
            if binding is not None and not binding.is_module_level:
                return False
    return True


def _same_arguments(model: SemanticModel, function: FunctionInfo, call: CallSite) -> bool:
    """No arguments, or the function's own parameters, in order, unchanged."""
    if len(call.args) > len(function.params):
        return False
    for argument, param in zip(call.args, function.params, strict=False):
        value = unwrap(argument)
        if value is None or value.type != "identifier" or param.is_reassigned:
            return False
        if model.binding_of(value) is not param:
            return False
    return True


def _no_value(function: FunctionInfo, call: Node) -> bool:
    """Whether every ``return`` of ``function`` is bare or returns the way to ``call``."""
    body = function.node.child_by_field_name("body")
    if body is None:
        return False
    if body.type != "statement_block":
        return is_inside(call, body)
    for statement in own_nodes(body):
        if statement.type != "return_statement" or not statement.named_children:
            continue
        value = unwrap(statement.named_children[0])
        if value is None or not is_inside(call, value):
            if value is not None and value.type in ("undefined", "null"):
                continue
            return False
    return True


def _awaits_before(model: SemanticModel, function: FunctionInfo, node: Node) -> bool:
    body = function.node.child_by_field_name("body")
    if body is None:
        return False
    return any(
        child.type == "await_expression" and child.end_byte <= node.start_byte
        for child in own_nodes(body)
    )


def _is_async(function: FunctionInfo) -> bool:
    return any(child.type == "async" for child in function.node.children)
