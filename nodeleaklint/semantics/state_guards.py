"""Registrations guarded by the emitter's own one-way state (SPEC §1 *Latches*).

``if (!(socket.connecting || socket._connecting)) return; socket.on('connect', …)``: the
listener is added only while the socket is still connecting, and ``'connect'`` ends that
state for good, so a pooled socket that is already connected gets no listener and each
socket gets at most the ones added before it connected. The state is a property of the
same emitter that the event itself ends (``vocabulary.EVENT_ENDS_STATE``); the guard is an
``if`` around the registration, an early exit before it in a block around it, a ternary or
an ``&&`` whose other side it is.
"""

from __future__ import annotations

from collections.abc import Callable

from nodeleaklint.parsing import Node
from nodeleaklint.semantics.locations import same_location
from nodeleaklint.semantics.model import SemanticModel
from nodeleaklint.semantics.syntax import is_inside, own_nodes, text, unwrap
from nodeleaklint.semantics.vocabulary import EVENT_ENDS_STATE

_EXITS = ("return_statement", "throw_statement")
# Whether a condition taking a value (true / false) means the state holds.
_Holds = Callable[[Node | None, bool], bool]


def state_guard(
    model: SemanticModel, call: Node, target: Node, event: str | None, stop: Node | None
) -> Node | None:
    """The condition that lets ``call`` (a registration for ``event`` on ``target``) run only
    while ``target`` is in a state ``event`` ends, searched up to ``stop`` (the registering
    function); None when there is none."""
    states = EVENT_ENDS_STATE.get(event or "")
    if states is None:
        return None

    def holds(condition: Node | None, value: bool) -> bool:
        return _implies_state(model, condition, value, target, states)

    child = call
    node = call.parent
    while node is not None and (stop is None or node.id != stop.id):
        found = _guard_at(node, child, holds)
        if found is not None:
            return found
        child, node = node, node.parent
    return None


def _guard_at(node: Node, child: Node, holds: _Holds) -> Node | None:
    """What ``node`` (an ancestor of the registration, ``child`` on the way) says about the
    state when the registration runs."""
    kind = node.type
    if kind in ("if_statement", "ternary_expression"):
        condition = node.child_by_field_name("condition")
        consequence = node.child_by_field_name("consequence")
        alternative = node.child_by_field_name("alternative")
        if consequence is not None and consequence.id == child.id and holds(condition, True):
            return condition
        if alternative is not None and alternative.id == child.id and holds(condition, False):
            return condition
        return None
    if kind == "binary_expression" and text(node.child_by_field_name("operator")) == "&&":
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if right is not None and right.id == child.id and holds(left, True):
            return left
        return None
    if kind in ("statement_block", "program", "switch_case"):
        for statement in node.named_children:
            if statement.start_byte >= child.start_byte:
                break
            condition = _exit_condition(statement)
            if condition is not None and holds(condition, False):
                return condition
    return None


def _exit_condition(statement: Node) -> Node | None:
    """The condition of ``if (c) return;`` / ``if (c) { …; throw e; }`` with no ``else``."""
    if statement.type != "if_statement" or statement.child_by_field_name("alternative"):
        return None
    consequence = statement.child_by_field_name("consequence")
    if consequence is None:
        return None
    last = consequence
    if consequence.type == "statement_block":
        if not consequence.named_children:
            return None
        last = consequence.named_children[-1]
    return statement.child_by_field_name("condition") if last.type in _EXITS else None


def _implies_state(
    model: SemanticModel,
    condition: Node | None,
    value: bool,
    target: Node,
    states: frozenset[str],
) -> bool:
    """Whether ``condition`` evaluating to ``value`` means one of ``target``'s ``states``
    is true (``!`` flips; ``a || b`` true needs both sides to say so, false either; ``&&``
    the other way round)."""
    node = unwrap(condition)
    if node is None:
        return False
    if node.type == "member_expression":
        obj = node.child_by_field_name("object")
        prop = text(node.child_by_field_name("property"))
        return value and prop in states and same_location(model, unwrap(obj), target)
    if node.type == "unary_expression" and text(node.child_by_field_name("operator")) == "!":
        argument = node.child_by_field_name("argument")
        return _implies_state(model, argument, not value, target, states)
    if node.type == "binary_expression":
        operator = text(node.child_by_field_name("operator"))
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if operator not in ("||", "&&"):
            return False
        sides = (
            _implies_state(model, left, value, target, states),
            _implies_state(model, right, value, target, states),
        )
        # ``a || b`` is true when either is, so both must say so; false only when both are.
        either_suffices = (operator == "||") != value
        return any(sides) if either_suffices else all(sides)
    return False


def ready_or_wait(model: SemanticModel, guard: Node, registration: Node, handler: Node) -> bool:
    """``if (win.get()) { open(url) } else { win.on(CREATED, () => open(url)) }``: a test of
    the emitter whose other branch does the handler's work at once (calls the handler, or a
    function the inline handler calls). The author says the event brings the state the test
    asks for: the listener is added only until the event comes, then the work is done at
    once and no more listeners are added (the growth stops with the event)."""
    if guard.type not in ("if_statement", "ternary_expression"):
        return False
    branches = [guard.child_by_field_name(arm) for arm in ("consequence", "alternative")]
    holding = [b for b in branches if b is not None and is_inside(registration, b)]
    others = [b for b in branches if b is not None and not is_inside(registration, b)]
    if len(holding) != 1 or len(others) != 1:
        return False
    work = _handler_work(model, handler)
    if not work:
        return False
    return any(_callee_key(model, node) in work for node in _own_calls(others[0]))


def _own_calls(node: Node) -> list[Node]:
    """The call expressions in ``node`` (not in nested functions)."""
    return [n for n in own_nodes(node) if n.type == "call_expression"]


def _callee_key(model: SemanticModel, call: Node) -> object | None:
    """What a call calls, comparable across places: the binding of a name, or the dotted
    text of a member chain (``NavigationManager.openLinkInPrimaryTab``)."""
    callee = unwrap(call.child_by_field_name("function"))
    if callee is None:
        return None
    if callee.type == "identifier":
        binding = model.binding_of(callee)
        return ("binding", id(binding)) if binding is not None else None
    if callee.type == "member_expression":
        return ("member", text(callee))
    return None


def _handler_work(model: SemanticModel, handler: Node) -> set[object]:
    """The handler itself (a name: ``finish``) and the calls an inline handler makes."""
    node = unwrap(handler)
    if node is None:
        return set()
    if node.type == "identifier":
        binding = model.binding_of(node)
        return {("binding", id(binding))} if binding is not None else set()
    if node.type not in ("arrow_function", "function_expression", "function"):
        return set()
    body = node.child_by_field_name("body")
    if body is None:
        return set()
    keys: set[object] = set()
    for inner in own_nodes(body):
        if inner.type == "call_expression":
            key = _callee_key(model, inner)
            if key is not None:
                keys.add(key)
    return keys
