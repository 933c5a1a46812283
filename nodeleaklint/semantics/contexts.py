"""Where a call runs: how often (``Repetition``) and the words messages use for it.

``context_of(model, call)`` gives the repetition of the code around a call — the enclosing
function's, or REPEATING inside an unbounded loop or a class field initializer (which runs
per instance) — with ``where`` ("a callback registered with `app.get('/x')`") and ``per``
("per request", "per `connection` event", "per instance", "per call") for messages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nodeleaklint.parsing import Node
from nodeleaklint.records import record
from nodeleaklint.semantics.confidence import ESTABLISHED, INFERRED, Certainty
from nodeleaklint.semantics.parent_messages import driven_only_by_parent_messages
from nodeleaklint.semantics.repetition import framework_row, has_handler_params, is_hook_key
from nodeleaklint.semantics.scopes import CallSite, FunctionInfo, Repetition
from nodeleaklint.semantics.syntax import (
    FUNCTION_KINDS,
    ancestors,
    dotted_name,
    string_value,
    text,
)
from nodeleaklint.semantics.vocabulary import PER_VIEW_DECORATORS

if TYPE_CHECKING:
    from nodeleaklint.semantics.model import SemanticModel

_ROUTE_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "del", "all", "use", "head", "options", "route"}
)
_EVENT_METHODS = frozenset(
    {"on", "addListener", "addEventListener", "prependListener", "subscribe"}
)


@record
class Context:
    """Where a call runs, how often that runs, and the words for messages."""

    function: FunctionInfo | None
    repetition: Repetition
    where: str
    per: str  # "" at module top level
    repeats: Certainty = INFERRED  # see ``repetition_certainty``


def context_of(model: SemanticModel, call: CallSite) -> Context:
    function = call.function
    if function is None:
        owner = field_class(call.node)
        if owner is not None:
            name = text(owner.child_by_field_name("name")) or "the class"
            where = f"a field initializer of `{name}`"
            return Context(None, Repetition.REPEATING, where, "per instance")
        return Context(None, Repetition.ONCE, "module top level", "")
    repetition = Repetition.REPEATING if call.in_loop else function.repetition
    return Context(
        function,
        repetition,
        function.describe(),
        per_word(function),
        repetition_certainty(model, call),
    )


def repetition_certainty(model: SemanticModel, call: CallSite) -> Certainty:
    """Whether ``call`` is seen to run again and again (the ``repetition`` part of a
    finding's ``confidence.Evidence``).

    Established when the repetition is seen: an endless loop around it or around a call of its
    function, a function that runs per request, event or timer tick
    (``SemanticModel.is_event_driven``) — unless only messages from the parent process drive
    it (``semantics.parent_messages``: how many the parent sends is out of view) —, or a
    method of a DI-decorated service (NestJS's ``@Injectable()``: its methods serve
    requests). Inferred when it is only possible: a
    method, constructor or exported function runs per call of an API whose callers are in
    other files, and in applications those are often start-up code that runs once (a
    service's ``init``, a singleton's constructor).
    """
    function = call.function
    if call.in_loop:
        return ESTABLISHED
    if function is None or function.repetition is not Repetition.REPEATING:
        return INFERRED
    if model.is_event_driven(function) and not driven_only_by_parent_messages(model, function):
        return ESTABLISHED
    if _called_in_a_loop(model, function) or _in_a_service_method(function):
        return ESTABLISHED
    return INFERRED


def _in_a_service_method(function: FunctionInfo) -> bool:
    """In a method of a DI-decorated class, or a callback inline in one."""
    owner = function
    while owner.parent is not None and (owner.callback_of is not None or owner.is_iife):
        owner = owner.parent
    return owner.method_kind == "method" and is_decorated(owner.class_node)


def _called_in_a_loop(model: SemanticModel, function: FunctionInfo) -> bool:
    """``while (running) { await handle(job); }``: a named function called per loop turn."""
    binding = function.binding
    if binding is None or function.name is None:
        return False
    return any(
        call.in_loop
        and call.obj is None
        and call.callee is not None
        and model.binding_of(call.callee) is binding
        for call in model.calls_named(function.name)
    )


def is_decorated(class_node: Node | None) -> bool:
    """A class a DI framework makes and keeps: one with decorators (``@Injectable() export
    class …`` puts them on the export), unless they only make it a UI element the framework
    creates per use and destroys with its view (``@Component``, ``@Directive``, ``@Pipe``,
    ``@customElement``: one instance per place it is shown, not a process singleton)."""
    if class_node is None:
        return False
    decorators = [child for child in class_node.children if child.type == "decorator"]
    parent = class_node.parent
    if parent is not None and parent.type == "export_statement":
        decorators.extend(child for child in parent.children if child.type == "decorator")
    return any(_decorator_name(d) not in PER_VIEW_DECORATORS for d in decorators)


def _decorator_name(decorator: Node) -> str:
    """``Component`` for ``@Component({…})``, ``ng.Component`` for ``@ng.Component()``."""
    expression = decorator.named_children[0] if decorator.named_children else None
    if expression is not None and expression.type == "call_expression":
        expression = expression.child_by_field_name("function")
    name = dotted_name(expression) if expression is not None else None
    return name.rsplit(".", 1)[-1] if name else ""


def field_class(node: Node, through_arrows: bool = False) -> Node | None:
    """The class whose instance field initializer contains ``node`` (None for static fields)."""
    for parent in ancestors(node):
        if through_arrows and parent.type == "arrow_function":
            continue
        if parent.type in ("field_definition", "public_field_definition"):
            if any(child.type == "static" for child in parent.children):
                return None
            body = parent.parent
            return body.parent if body is not None else None
        if parent.type in FUNCTION_KINDS:
            return None
    return None


def per_word(function: FunctionInfo | None) -> str:
    """``per request`` / ``per `connection` event`` / ``per instance`` / ``per call``."""
    current = function
    while current is not None:
        if current.method_kind == "constructor":
            return "per instance"
        if has_handler_params(current) or is_hook_key(current):
            return "per request"
        row = framework_row(current)
        if row is not None:
            return row.runs.value
        call = current.callback_of
        if call is not None and not call.is_new and call.obj is not None:
            if call.name in _ROUTE_METHODS and len(current.params) >= 2:
                return "per request"
            if call.name in _EVENT_METHODS:
                event = string_value(call.args[0]) if call.args else None
                return f"per `{event}` event" if event else "per event"
        if current.class_node is not None:
            return "per call"
        current = current.parent
    return "per call"
