"""Whether, and on which paths, code runs.

Cleanup counts only when it can run: inside a local function nobody calls it never does
(``may_run``). ``in_function`` asks whether code belongs to a function's run (its body or
a function nested in it); ``error_branch`` whether it is confined to the error path of one
(a ``catch`` clause, ``if (err)`` in an error-first callback).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nodeleaklint.parsing import Node
from nodeleaklint.semantics.scopes import CallSite, FunctionInfo, nested_in
from nodeleaklint.semantics.syntax import (
    ancestors,
    is_inside,
    unwrap,
)
from nodeleaklint.semantics.vocabulary import DEFERRED_CALLBACK_METHODS

if TYPE_CHECKING:
    from nodeleaklint.semantics.model import SemanticModel


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
    return nested_in(model.enclosing_function(node), function)


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


def runs_within(call: CallSite, function: FunctionInfo) -> bool:
    """Whether ``call`` runs while ``function`` runs: inside it, and not in a callback that
    runs later (a listener, a promise reaction, a timer: ``DEFERRED_CALLBACK_METHODS``). A
    clear written earlier inside such a callback (``ws.on('close', () =>
    clearInterval(timer))``) runs after the assignment that follows it has replaced the
    handle, so it clears that run's timer at best."""
    current = call.function
    while current is not None and current is not function:
        given_to = current.callback_of
        if (
            given_to is not None
            and not given_to.is_new
            and given_to.name in DEFERRED_CALLBACK_METHODS
        ):
            return False
        current = current.parent
    return current is function
