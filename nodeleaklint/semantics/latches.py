"""Latches: a region guarded by a flag it sets runs once per owner of the flag (SPEC §1
*Latches and setup*).

Three shapes of one question, asked by the project view (a factory called lazily, once),
the promise races (a shutdown path that runs once) and NLL101 (a listener added once per
target):

- lazy initialisation: ``if (!slot) { … slot = … }`` (or ``slot == null``) around the
  region, which fills the slot it tests; ``slot ??= region`` / ``slot ||= region``;
  ``slot = slot || region`` / ``slot = slot ?? region``; ``if (slot) return slot;`` before
  ``slot = region``;
- an early exit: ``if (flag) return;`` then ``flag = true;`` before the region, in a block
  around it;
- a test of the owner itself: ``if (!tracked.has(socket))``,
  ``if (!conn.listeners('error').length)`` around a region whose own work marks the owner
  (a listener on it). Only the caller knows what its region marks, so it passes the test
  (``marks``).

The latch says which slot is the flag (``flag``): whose the flag is decides how often the
region runs — once per process for a module-level flag, once per instance for a field of
``this``, once per run for a local — and that is the caller's judgement.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import Enum

from nodeleaklint.parsing import Node
from nodeleaklint.records import record
from nodeleaklint.semantics.syntax import (
    FUNCTION_KINDS,
    ancestors,
    ancestors_within,
    dotted_name,
    is_inside,
    own_nodes,
    short,
    text,
    unwrap,
)
from nodeleaklint.semantics.vocabulary import TRUTHY_RESULT_FUNCTIONS

# Conditions that hold only until a slot is filled: ``!x``, ``x == null``, ``x === undefined``.
_EMPTY_TESTS = ("null", "undefined")
# Assignments that fill a slot only while it is empty, and the operators of their long form.
_FILL_IF_EMPTY = ("??=", "||=")
_FILL_IF_EMPTY_OPERATORS = ("??", "||")


class Shape(Enum):
    LAZY = "lazy"  # ``if (!slot) { slot = … }`` / ``slot ??= …``
    EARLY_EXIT = "early exit"  # ``if (flag) return; flag = true;``
    OWNER_TEST = "owner test"  # ``if (!tracked.has(target))``: the caller's own test


@record
class Latch:
    """What makes a region run once per owner of a flag."""

    shape: Shape
    guard: Node  # the ``if``, ternary or assignment that guards the region
    flag: Node | None  # the slot tested and set (None for an owner test)
    shown: str  # the latch in a few words, for messages: ``if (!cache)``


# What a block or an ``if`` says about every region in it, whatever the region: kept by a
# caller that asks about many regions of one file (``latch_of``'s ``memo``), keyed by the
# question and the node's id (valid for one tree only).
Memo = dict[tuple[str, int], "Latch | tuple[int, Latch] | None"]


def latch_of(
    node: Node,
    stop: Node | None,
    marks: Callable[[Node], bool] | None = None,
    memo: Memo | None = None,
) -> Latch | None:
    """The latch around ``node`` within ``stop`` (its function), innermost first; ``marks``
    says whether a condition tests something the region itself marks (the owner test).
    ``memo`` (one per tree) keeps what each block and ``if`` says, for a caller that asks
    about many regions of the same file."""
    memo = {} if memo is None else memo
    within = ancestors_within(node, stop) if stop is not None else None
    for ancestor in within if within is not None else ancestors(node):
        if stop is not None and ancestor.id == stop.id:
            return _outer_early_exit(node, stop)
        latch = _guarding(node, ancestor, marks, memo)
        if latch is not None:
            return latch
    return None


def _outer_early_exit(node: Node, callback: Node) -> Latch | None:
    """``if (loaded) return run(); load(() => { loaded = true; … node … })``: the region
    sits in a callback that sets a flag which the function passing the callback tests on the
    way in, leaving early once it is set (one level of callback, the flag set before the
    region)."""
    if callback.parent is None or callback.parent.type != "arguments":
        return None
    body = callback.child_by_field_name("body")
    if body is None or body.type != "statement_block":
        return None
    set_here: dict[str, Node] = {}
    for statement in body.named_children:
        if statement.start_byte >= node.start_byte:
            break
        left = _set_true(statement)
        if left is not None:
            set_here[text(left)] = left
    if not set_here:
        return None
    for ancestor in ancestors(callback):
        if ancestor.type in FUNCTION_KINDS:
            return None
        if ancestor.type != "statement_block":
            continue
        for statement in ancestor.named_children:
            if statement.start_byte >= callback.start_byte:
                break
            condition = _exit_guard(statement)
            flag = set_here.get(text(condition)) if condition is not None else None
            if flag is not None:
                return Latch(Shape.EARLY_EXIT, statement, flag, f"if ({text(condition)}) return")
    return None


def _exit_guard(statement: Node) -> Node | None:
    """The flag of ``if (flag) return;`` (or ``throw``), else None. A test that the slot is
    filled (``if (tray != null) return;``, ``!== undefined``) is the same test of the same
    flag when what fills it is never null (``tray = new Tray(…)``)."""
    if statement.type != "if_statement":
        return None
    condition = unwrap(statement.child_by_field_name("condition"))
    if condition is not None and condition.type == "binary_expression":
        condition = _filled_test(condition)
    if condition is None or condition.type not in _FLAG_KINDS:
        return None
    consequence = statement.child_by_field_name("consequence")
    return condition if consequence is not None and _leaves(consequence) else None


def _filled_test(condition: Node) -> Node | None:
    """The slot of ``slot != null`` / ``slot !== undefined`` (either side), else None."""
    operator = text(condition.child_by_field_name("operator"))
    if operator not in ("!=", "!=="):
        return None
    left = unwrap(condition.child_by_field_name("left"))
    right = unwrap(condition.child_by_field_name("right"))
    if left is None or right is None:
        return None
    if text(right) in _EMPTY_TESTS:
        return left
    return right if text(left) in _EMPTY_TESTS else None


# Values that are never falsy: a flag set to one stays set (``slot = new EventEmitter()``).
_TRUTHY_KINDS = frozenset(
    {"true", "new_expression", "object", "array", "arrow_function", "function_expression"}
)


def _set_true(statement: Node) -> Node | None:
    """The slot of ``slot = true;`` (or of another value that is never falsy: ``slot = new
    EventEmitter();``, ``slot = setInterval(…)``), else None."""
    if statement.type != "expression_statement" or not statement.named_children:
        return None
    expression = unwrap(statement.named_children[0])
    if expression is None or expression.type != "assignment_expression":
        return None
    left = expression.child_by_field_name("left")
    right = expression.child_by_field_name("right")
    value = unwrap(right)
    if left is None or left.type not in _FLAG_KINDS or value is None:
        return None
    if value.type == "call_expression":
        callee = value.child_by_field_name("function")
        return left if callee is not None and text(callee) in TRUTHY_RESULT_FUNCTIONS else None
    return left if value.type in _TRUTHY_KINDS else None


def _guarding(
    node: Node, ancestor: Node, marks: Callable[[Node], bool] | None, memo: Memo
) -> Latch | None:
    kind = ancestor.type
    if kind in ("augmented_assignment_expression", "assignment_expression"):
        return _filled_if_empty(node, ancestor)
    if kind in ("if_statement", "ternary_expression"):
        condition = ancestor.child_by_field_name("condition")
        if condition is not None and marks is not None and marks(condition):
            return Latch(Shape.OWNER_TEST, ancestor, None, f"if ({short(text(condition), 40)})")
    if kind == "if_statement":
        return _lazy(node, ancestor, memo)
    if kind == "statement_block":
        return _early_exit(node, ancestor, memo) or _filled_after_exit(node, ancestor, memo)
    return None


def _filled_if_empty(node: Node, assignment: Node) -> Latch | None:
    """``slot ??= node`` / ``slot ||= node`` / ``slot = slot || node`` / ``slot = slot ??
    node``, with ``node`` anywhere in the value that fills the slot (``slot ??= await
    open()``)."""
    left = assignment.child_by_field_name("left")
    right = assignment.child_by_field_name("right")
    if left is None or right is None or not is_inside(node, right):
        return None
    if assignment.type == "augmented_assignment_expression":
        if text(assignment.child_by_field_name("operator")) not in _FILL_IF_EMPTY:
            return None
        return Latch(Shape.LAZY, assignment, left, short(text(assignment), 40))
    value = unwrap(right)
    if value is None or value.type != "binary_expression":
        return None
    if text(value.child_by_field_name("operator")) not in _FILL_IF_EMPTY_OPERATORS:
        return None
    default = value.child_by_field_name("right")
    tested = unwrap(value.child_by_field_name("left"))
    if default is None or not is_inside(node, default) or tested is None:
        return None
    if not dotted_name(left) or text(tested) != text(unwrap(left)):
        return None
    return Latch(Shape.LAZY, assignment, left, short(text(assignment), 40))


def _lazy(node: Node, statement: Node, memo: Memo) -> Latch | None:
    """``if (!slot) { … slot = … }`` with ``node`` in the body; or a flag the body turns
    off, ``if (first) { first = false; … }`` / ``if (!done) { done = true; … }``."""
    body = statement.child_by_field_name("consequence")
    if body is None or not is_inside(node, body):
        return None
    key = ("lazy", statement.id)
    if key not in memo:
        memo[key] = _lazy_latch(statement, body)
    latch = memo[key]
    return latch if isinstance(latch, Latch) else None


def _lazy_latch(statement: Node, body: Node) -> Latch | None:
    """``_lazy``'s latch for any region in the ``if``'s body ``body``."""
    condition = statement.child_by_field_name("condition")
    slot = _emptiness_test(condition)
    flags = _flags(condition)
    wanted = {text(flag) for flag in flags}
    if slot is not None:
        wanted.add(text(slot))
    assigned = _assigned(body, wanted)
    if slot is not None and text(slot) in assigned:
        return Latch(Shape.LAZY, statement, slot, f"if (!{text(slot)})")
    for flag in flags:
        left = assigned.get(text(flag))
        if left is not None:
            return Latch(Shape.LAZY, statement, left, f"if ({short(text(condition), 40)})")
    return None


def _assigned(body: Node, names: set[str]) -> dict[str, Node | None]:
    """The left side of the last assignment in ``body`` (not in nested functions) to each
    of ``names``, by its text. An assignment to a name shows in the body's text as the name
    then ``=`` (or a comment first), so a body where no name is followed so is not walked."""
    if not names:
        return {}
    source = body.text or b""
    if all("\ufffd" not in name and not _may_assign(name, source) for name in names):
        return {}
    found: dict[str, Node | None] = {}
    for child in own_nodes(body):
        if child.type == "assignment_expression":
            left = child.child_by_field_name("left")
            name = text(left)
            if name in names:
                found[name] = left
    return found


def _may_assign(name: str, source: bytes) -> bool:
    """Whether ``source`` may assign ``name``: the name, then blanks (any non-ASCII byte
    may be part of one: JavaScript counts Unicode spaces), then ``=`` (not ``==``) or a
    ``/`` (a comment may stand between the target and its ``=``)."""
    raw = name.encode()
    at = source.find(raw)
    while at >= 0:  # each place the name starts (as ``re.search`` of name + tail would try)
        if _ASSIGNS_AFTER.match(source, at + len(raw)) is not None:
            return True
        at = source.find(raw, at + 1)
    return False


# What follows a name ``_may_assign`` finds, compiled once (one pattern per name missed
# ``re``'s cache and compiled on most calls).
_ASSIGNS_AFTER = re.compile(rb"[\s\x80-\xff]*(?:/|=(?!=))")


def _flags(condition: Node | None) -> list[Node]:
    """The names a flag condition tests: ``flag``, ``!flag``, ``this.flag``, ``a && !b``."""
    found: list[Node] = []
    stack = [unwrap(condition)]
    while stack:
        current = stack.pop()
        if current is None:
            continue
        if current.type in _FLAG_KINDS:
            found.append(current)
        elif current.type in ("unary_expression", "binary_expression"):
            stack.extend(unwrap(child) for child in current.named_children)
    return found


def _emptiness_test(condition: Node | None) -> Node | None:
    """The slot an ``if`` condition tests for emptiness: ``!cache``, ``cache == null``."""
    node = unwrap(condition)
    if node is None:
        return None
    if node.type == "unary_expression" and text(node.child_by_field_name("operator")) == "!":
        argument = unwrap(node.child_by_field_name("argument"))
        return argument if argument is not None and dotted_name(argument) else None
    if node.type == "binary_expression":
        left = unwrap(node.child_by_field_name("left"))
        right = unwrap(node.child_by_field_name("right"))
        operator = text(node.child_by_field_name("operator"))
        if (
            operator in ("==", "===")
            and left is not None
            and right is not None
            and text(right) in _EMPTY_TESTS
            and dotted_name(left)
        ):
            return left
    return None


def _early_exit(node: Node, block: Node, memo: Memo) -> Latch | None:
    """``if (flag) return; flag = true;`` among the statements of ``block`` before ``node``:
    the first such pair of the block, when its ``flag = true`` comes before ``node``."""
    key = ("exit", block.id)
    if key not in memo:
        memo[key] = _first_exit(block)
    first = memo[key]
    if isinstance(first, tuple) and first[0] < node.start_byte:
        return first[1]
    return None


def _first_exit(block: Node) -> tuple[int, Latch] | None:
    """The first ``if (flag) return; flag = true;`` of ``block``: where its ``flag = true``
    starts, and the latch."""
    guards: dict[str, Node] = {}
    for statement in block.named_children:
        condition = _exit_guard(statement)
        if condition is not None:
            guards[text(condition)] = statement
        left = _set_true(statement) if guards else None
        name = text(left) if left is not None else ""
        if left is not None and name in guards:
            latch = Latch(Shape.EARLY_EXIT, guards[name], left, f"if ({name}) return")
            return statement.start_byte, latch
    return None


def _filled_after_exit(node: Node, block: Node, memo: Memo) -> Latch | None:
    """``if (slot) return slot; slot = node;``: the statement of ``block`` that holds
    ``node`` fills a slot that an earlier test leaves early on (lazy initialisation written
    with an early exit)."""
    # The statement that holds ``node``: the first to end past its start, if it holds it.
    statement = block.first_named_child_for_byte(node.start_byte)
    if statement is None or statement.type != "expression_statement":
        return None  # (the type first: most statements are not, and need not be listed)
    if not is_inside(node, statement):
        return None
    expression = unwrap(statement.named_children[0])
    if expression is None:
        return None
    if expression.type != "assignment_expression":
        return None
    left = expression.child_by_field_name("left")
    right = expression.child_by_field_name("right")
    if left is None or right is None or not is_inside(node, right) or not dotted_name(left):
        return None
    key = ("after", statement.id)
    if key not in memo:
        memo[key] = _left_early(block, statement, left)
    latch = memo[key]
    return latch if isinstance(latch, Latch) else None


def _left_early(block: Node, statement: Node, left: Node) -> Latch | None:
    """An ``if`` of ``block`` before ``statement`` that tests ``left`` and leaves."""
    for earlier in block.named_children:
        if earlier.start_byte >= statement.start_byte:
            break
        if earlier.type != "if_statement":
            continue
        consequence = earlier.child_by_field_name("consequence")
        condition = earlier.child_by_field_name("condition")
        if consequence is None or not _leaves(consequence):
            continue
        if any(text(flag) == text(left) for flag in _flags(condition)):
            shown = short(text(unwrap(condition) or earlier), 40)
            return Latch(Shape.LAZY, earlier, left, f"if ({shown}) return")
    return None


def _leaves(branch: Node) -> bool:
    """A branch that returns or throws (directly, not in a nested function). Its text has
    the keyword then, so a branch without either word is not walked."""
    source = branch.text or b""
    if b"return" not in source and b"throw" not in source:
        return False
    return any(inner.type in ("return_statement", "throw_statement") for inner in own_nodes(branch))


_FLAG_KINDS = ("identifier", "member_expression")


# Queries of an emitter's listeners: adding one changes their answer, so a test of them
# around the registration is a test of what the region itself marks.
LISTENER_QUERIES = frozenset({"listeners", "listenerCount", "rawListeners", "eventNames"})
# Lookups in a collection (``tracked.has(socket)``) and the calls that file the key there.
_LOOKUPS = frozenset({"has", "get", "includes", "indexOf"})
_FILINGS = frozenset({"add", "set", "push", "unshift"})


def sets_tested_state(condition: Node, guard: Node) -> bool:
    """Whether the region ``guard`` (the ``if`` or ternary whose condition is
    ``condition``) changes what the condition tests (SPEC §1 *Latches*: a flag the region
    itself sets): it assigns a slot the condition reads (``if (!socket.hooked) {
    socket.hooked = true; … }``), files a key in a collection the condition looks up
    (``if (!tracked.has(socket)) { tracked.add(socket); … }``, ``seen[id] = …``), or the
    condition asks for the listeners the region adds to (``if (!conn.listenerCount('e'))``).
    A test of state the region leaves alone (``if (!socket.destroyed)``, ``if
    (ws.readyState === OPEN)``) says nothing about how often the region runs."""
    read: set[str] = set()
    collections: set[str] = set()
    for current in own_nodes(condition):
        kind = current.type
        if kind in ("member_expression", "identifier", "subscript_expression"):
            read.add(text(current))
        if kind != "call_expression":
            continue
        callee = current.child_by_field_name("function")
        if callee is None or callee.type != "member_expression":
            continue
        name = text(callee.child_by_field_name("property"))
        if name in LISTENER_QUERIES:
            return True
        receiver = callee.child_by_field_name("object")
        if name in _LOOKUPS and receiver is not None:
            collections.add(text(unwrap(receiver)))
    return _region_sets(guard, condition, read, collections)


def _region_sets(guard: Node, condition: Node, read: set[str], collections: set[str]) -> bool:
    """``sets_tested_state`` for the guarded region's own nodes (the condition left out)."""
    for current in own_nodes(guard):
        if is_inside(current, condition):
            continue
        kind = current.type
        if kind in ("assignment_expression", "augmented_assignment_expression"):
            left = unwrap(current.child_by_field_name("left"))
            if left is None:
                continue
            if text(left) in read:
                return True
            if left.type == "subscript_expression":
                owner = unwrap(left.child_by_field_name("object"))
                if owner is not None and text(owner) in collections | read:
                    return True
        elif kind == "call_expression" and collections:
            callee = current.child_by_field_name("function")
            if callee is None or callee.type != "member_expression":
                continue
            receiver = unwrap(callee.child_by_field_name("object"))
            name = text(callee.child_by_field_name("property"))
            if name in _FILINGS and receiver is not None and text(receiver) in collections:
                return True
    return False
