"""Watchdog timeouts: a ``setTimeout`` whose callback acts only while the work it watches is
still unfinished.

``setTimeout(() => { if (!command.isResolved) command.reject(timedOut) }, ms)`` says, in the
code itself, that the work may finish first: the callback tests for that and then does
nothing. When the handle is dropped, nothing clears the timer at that moment, so the timer
list keeps the callback — and the watched value it captures — for the full delay after the
work is done. The test is the evidence; no name is.
"""

from __future__ import annotations

from nodeleaklint.parsing import Node
from nodeleaklint.records import record
from nodeleaklint.semantics.model import SemanticModel
from nodeleaklint.semantics.scopes import Binding, BindingKind, CallSite
from nodeleaklint.semantics.syntax import FUNCTION_KINDS, text, unwrap

_SKIPPED = frozenset({"comment", "empty_statement"})


@record
class Watchdog:
    """The completion test of a watchdog callback and the per-call value it watches."""

    test: Node  # ``command.isResolved`` / ``done``
    watched: Binding  # ``command`` / ``done``: declared in a function, not at module level


def watchdog_of(model: SemanticModel, call: CallSite) -> Watchdog | None:
    """The completion test of the callback of ``setTimeout(callback, delay)`` when its whole
    body is guarded by one: the only statement is ``if (!done) …`` (no ``else``), or the
    first one is ``if (done) return``. The tested value is a local or parameter of the
    function that starts the timer (made per call of it): never ``this`` (the instance
    outlives the call anyway), state shared by calls, nor a module binding. A delay written as
    less than a second keeps nothing worth a finding."""
    if not call.args or call.function is None or _short_delay(call):
        return None
    function = unwrap(call.args[0])
    if function is None or function.type not in FUNCTION_KINDS:
        return None
    body = function.child_by_field_name("body")
    if body is None or body.type != "statement_block":
        return None
    statements = [child for child in body.named_children if child.type not in _SKIPPED]
    if not statements or statements[0].type != "if_statement":
        return None
    guard = statements[0]
    if guard.child_by_field_name("alternative") is not None:
        return None
    condition = unwrap(guard.child_by_field_name("condition"))
    if condition is None:
        return None
    if len(statements) == 1 and _negated(condition) is not None:
        test = _negated(condition)
    elif _only_returns(guard.child_by_field_name("consequence")):
        test = condition
    else:
        return None
    watched = _per_call_root(model, test)
    if test is None or watched is None or watched.scope is not call.function.scope:
        return None
    return Watchdog(test, watched)


def _short_delay(call: CallSite) -> bool:
    delay = unwrap(call.args[1]) if len(call.args) > 1 else None
    if delay is None:
        return True  # no delay: the next turn of the loop
    if delay.type != "number":
        return False
    try:
        return float(text(delay).replace("_", "")) < 1000
    except ValueError:
        return False


def _negated(condition: Node) -> Node | None:
    if condition.type != "unary_expression":
        return None
    operator = condition.child_by_field_name("operator")
    if operator is None or operator.type != "!":
        return None
    return unwrap(condition.child_by_field_name("argument"))


def _only_returns(consequence: Node | None) -> bool:
    if consequence is None:
        return False
    if consequence.type == "statement_block":
        inner = [c for c in consequence.named_children if c.type not in _SKIPPED]
        return len(inner) == 1 and _bare_return(inner[0])
    return _bare_return(consequence)


def _bare_return(statement: Node) -> bool:
    return statement.type == "return_statement" and not statement.named_children


def _per_call_root(model: SemanticModel, test: Node | None) -> Binding | None:
    """The binding at the root of ``done`` / ``command.isResolved`` / ``req.socket.destroyed``
    when it is declared inside a function; a bare flag must also be written after its
    declaration (a flag the work flips)."""
    node, depth = test, 0
    while node is not None and node.type == "member_expression" and depth < 3:
        node = unwrap(node.child_by_field_name("object"))
        depth += 1
    if node is None or node.type != "identifier":
        return None
    binding = model.binding_of(node)
    if binding is None or binding.is_module_level or binding.is_this_alias:
        return None
    if binding.kind in (BindingKind.FUNCTION, BindingKind.CLASS, BindingKind.IMPORT):
        return None
    if depth == 0 and not binding.is_reassigned:
        return None
    return binding
