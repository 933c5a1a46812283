"""A connection opened on a field, left open when a later step of the same setup fails
(SPEC §2 NLL602, issue 14 *Obligations on every path*).

``connect()`` opens ``this.client`` (``this.client.connect(config)``, directly or through
``this.getConnection()``) and then runs a further step (``return this.getSftpChannel()``)
that can fail — it rejects or throws. When it fails, ``connect()`` rejects, but the
connection stays open in ``this.client``: the caller saw the setup fail and will not call
``end()`` (a retrying caller opens one more connection per attempt), and the instance may
not even think it is connected.

``unclosed_on_failure`` finds those openings. Evidence, all in view:

- the class closes that field somewhere (``this.client.end()`` in ``end()``): the field holds
  a connection that needs closing;
- a method ``M`` opens it (itself, or by calling ``this.O()`` that opens it) and, after that,
  awaits or returns ``this.g()``, a method of the class that has a failure exit of its own
  (a ``reject(…)`` call or a ``throw``);
- nothing on that failure path closes the field: no ``catch`` / ``finally`` of ``M`` around
  the step closes it (directly or through ``this.m()``), and ``g`` does not close it anywhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nodeleaklint.parsing import Node
from nodeleaklint.records import record
from nodeleaklint.semantics.locations import Place, place_of
from nodeleaklint.semantics.scopes import CallSite, FunctionInfo
from nodeleaklint.semantics.syntax import FUNCTION_KINDS, ancestors, text, unwrap
from nodeleaklint.semantics.vocabulary import CONNECTION_CLOSE_METHODS, CONNECTION_OPEN_METHODS

if TYPE_CHECKING:
    from nodeleaklint.semantics.classes import ClassInfo
    from nodeleaklint.semantics.model import SemanticModel


@record
class UnclosedOnFailure:
    """A connection opened in a setup method and left open when a later step fails."""

    opening: CallSite  # ``this.client.connect(config)``
    place: Place  # ``this.client``
    method: FunctionInfo  # ``connect()``: the setup that fails
    step: CallSite  # ``this.getSftpChannel()``: the later step
    failure: Node  # where that step fails (``reject(…)`` / ``throw``)


def unclosed_on_failure(model: SemanticModel) -> list[UnclosedOnFailure]:
    found: list[UnclosedOnFailure] = []
    for opening in model.calls_named(*CONNECTION_OPEN_METHODS):
        obj = unwrap(opening.obj)
        place = place_of(model, obj) if obj is not None else None
        if opening.is_new or place is None or not place.is_field:
            continue
        opener = model.this_function(opening.node)
        cls = model.class_info(opener.class_node if opener is not None else None)
        if opener is None or cls is None or not closed_in_class(model, cls, place):
            continue
        for method, at in _setups(model, cls, opener, opening.node):
            miss = _failing_step(model, cls, method, at, place, opener)
            if miss is not None:
                found.append(UnclosedOnFailure(opening, place, method, miss[0], miss[1]))
                break
    return found


def _closes(model: SemanticModel, call: CallSite, place: Place) -> bool:
    obj = unwrap(call.obj)
    return (
        call.name in CONNECTION_CLOSE_METHODS and obj is not None and place_of(model, obj) == place
    )


def closed_in_class(model: SemanticModel, cls: ClassInfo, place: Place) -> bool:
    """Whether the class itself closes the connection ``place`` holds (``this.socket.end()``
    in one of its members): the instance owns it, and its end is the instance's."""
    return any(
        call.name in CONNECTION_CLOSE_METHODS
        and _closes(model, call, place)
        and model.in_class(call.node, cls.node)
        for call in model.calls_named(*CONNECTION_CLOSE_METHODS)
    )


def _all_calls(model: SemanticModel, function: FunctionInfo) -> list[CallSite]:
    """Calls in ``function`` and in the functions nested in it."""
    start, end = function.node.start_byte, function.node.end_byte
    return [
        call
        for call in model.calls
        if call.function is not None
        and start <= call.function.node.start_byte
        and call.function.node.end_byte <= end
    ]


def _setups(
    model: SemanticModel, cls: ClassInfo, opener: FunctionInfo, opening: Node
) -> list[tuple[FunctionInfo, Node]]:
    """The opener itself, and the methods that call ``this.opener()``, with the site in each
    after which the connection is open."""
    found: list[tuple[FunctionInfo, Node]] = [(opener, opening)]
    if not opener.name:
        return found
    for call in model.calls_named(opener.name):
        if call.is_new or not model.is_this(call.obj) or not model.in_class(call.node, cls.node):
            continue
        method = model.this_function(call.node)
        if method is not None and method is not opener and method.class_node == cls.node:
            found.append((method, call.node))
    return found


def _failing_step(
    model: SemanticModel,
    cls: ClassInfo,
    method: FunctionInfo,
    after: Node,
    place: Place,
    opener: FunctionInfo,
) -> tuple[CallSite, Node] | None:
    """A later ``this.g()`` step of ``method`` that can fail with nothing closing ``place``."""
    for call in method.calls:
        if call.node.start_byte < after.end_byte or not model.is_this(call.obj):
            continue
        if not _awaited_or_returned(call.node):
            continue
        steps = cls.methods.get(call.name, [])
        if not steps or steps[0] is opener or steps[0] is method:
            continue
        step = steps[0]
        failure = _failure_exit(model, step)
        if failure is None:
            continue
        if any(_closes(model, c, place) for c in _all_calls(model, step)):
            continue
        if _handled_around(model, cls, method, call.node, place):
            continue
        return call, failure
    return None


def _awaited_or_returned(node: Node) -> bool:
    parent = node.parent
    while parent is not None and parent.type in ("parenthesized_expression",):
        parent = parent.parent
    return parent is not None and parent.type in ("await_expression", "return_statement")


def _failure_exit(model: SemanticModel, step: FunctionInfo) -> Node | None:
    """A ``reject(…)`` call or a ``throw`` in ``step`` (nested callbacks included)."""
    for call in _all_calls(model, step):
        callee = unwrap(call.callee)
        if call.obj is None and callee is not None and text(callee) == "reject":
            return call.node
    stack = [step.node]
    while stack:
        node = stack.pop()
        if node.type == "throw_statement":
            return node
        stack.extend(node.named_children)
    return None


def _handled_around(
    model: SemanticModel, cls: ClassInfo, method: FunctionInfo, step: Node, place: Place
) -> bool:
    """A ``catch`` or ``finally`` of ``method`` around ``step`` that closes ``place``."""
    for node in ancestors(step):
        if node.id == method.node.id or node.type in FUNCTION_KINDS:
            break
        if node.type != "try_statement":
            continue
        for clause in (node.child_by_field_name("handler"), node.child_by_field_name("finalizer")):
            if clause is not None and _region_closes(model, cls, clause, place):
                return True
    return False


def _region_closes(model: SemanticModel, cls: ClassInfo, region: Node, place: Place) -> bool:
    start, end = region.start_byte, region.end_byte
    for call in model.calls:
        if not start <= call.node.start_byte < end:
            continue
        if _closes(model, call, place):
            return True
        if model.is_this(call.obj):
            for method in cls.methods.get(call.name, []):
                if any(_closes(model, c, place) for c in _all_calls(model, method)):
                    return True
    return False
