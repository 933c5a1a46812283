"""Settling: which callbacks end a promise's work, and what each of them cleans up.

SPEC §1 *Cleanup is verified, not assumed*: a clear counts only on the paths on which the
work ends — all of them (success, error, timeout). A polling interval that clears itself
from its own callback, on the run that resolves the promise, stops only on that outcome.
When another callback of the same executor (a timeout's, a listener's) settles the promise
first without clearing it, the interval keeps polling after the work has ended, for as
long as its own condition stays false — for good, when it never becomes true.

This module answers that question for NLL201; it knows nothing about findings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nodeleaklint.records import record
from nodeleaklint.semantics.scopes import CallSite, FunctionInfo
from nodeleaklint.semantics.syntax import is_inside, own_nodes, text, unwrap

if TYPE_CHECKING:
    from nodeleaklint.semantics.model import SemanticModel


@record
class OtherSettler:
    """A callback of the same executor that settles the promise without the clear."""

    settle: CallSite  # ``reject(new Error('timeout'))``
    registered_by: CallSite | None  # ``setTimeout(…)`` that runs it, when known


def executor_of(function: FunctionInfo | None) -> FunctionInfo | None:
    """The ``new Promise(…)`` executor ``function`` is, or is nested in."""
    current = function
    while current is not None:
        if current.is_promise_executor:
            return current
        current = current.parent
    return None


def settled_elsewhere(
    model: SemanticModel, callback: FunctionInfo, clears: list[CallSite]
) -> OtherSettler | None:
    """``new Promise((resolve, reject) => { setTimeout(() => reject(err), ms); const t =
    setInterval(() => { if (done) { clearInterval(t); resolve() } }) })``: every clear of the
    interval (``clears``) sits in its own ``callback``, that callback settles the promise,
    and another callback of the same executor settles it too with no clear. Returns that
    other settling call, else None."""
    executor = executor_of(callback.parent)
    if executor is None or not clears:
        return None
    settlers = {id(param) for param in executor.params[:2]}
    if not _settles(model, callback, settlers):
        return None
    for function in model.functions:
        if not is_inside(function.node, executor.node) or function is executor:
            continue
        if function is callback or is_inside(function.node, callback.node):
            continue
        if is_inside(callback.node, function.node):
            continue  # the executor itself, or a function around the interval
        settle = _settles(model, function, settlers)
        if settle is None:
            continue
        if any(is_inside(clear.node, function.node) for clear in clears):
            continue
        if _signals(function, callback):
            continue  # ``done = true; reject()``: the interval's next run sees it and stops
        return OtherSettler(settle, function.callback_of)
    return None


def _signals(settler: FunctionInfo, callback: FunctionInfo) -> bool:
    """Whether ``settler`` writes a variable or field that ``callback`` reads: the interval
    may test it and clear itself on its next run."""
    written: set[str] = set()
    for node in own_nodes(settler.body or settler.node):
        if node.type in ("assignment_expression", "augmented_assignment_expression"):
            left = unwrap(node.child_by_field_name("left"))
            if left is not None:
                written.add(text(left))
        elif node.type == "update_expression":
            argument = unwrap(node.child_by_field_name("argument"))
            if argument is not None:
                written.add(text(argument))
    if not written:
        return False
    return any(
        node.type in ("identifier", "member_expression") and text(node) in written
        for node in own_nodes(callback.body or callback.node)
    )


def _settles(model: SemanticModel, function: FunctionInfo, settlers: set[int]) -> CallSite | None:
    """A call of the executor's ``resolve`` or ``reject`` made directly in ``function``."""
    for call in function.calls:
        callee = unwrap(call.callee)
        if call.obj is not None or callee is None or callee.type != "identifier":
            continue
        binding = model.binding_of(callee)
        if binding is not None and id(binding) in settlers:
            return call
    return None
