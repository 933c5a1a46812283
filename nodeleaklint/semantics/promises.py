"""Promises that stay pending while work keeps attaching to them (SPEC §2 NLL601).

``Promise.race([work(), stopped])`` subscribes to every element: V8 adds a reaction to each
promise in the array, and a pending promise keeps its reactions — and through them the race's
result promise and everything its continuation captures — until it settles. Racing a fresh
piece of work against *one* long-lived promise (a stop signal, a session's abort promise)
on every turn of a loop, or on every call of a method, therefore grows that promise's
reaction list by one per turn for as long as it stays pending.

``long_lived_races`` finds those races. An element is *the same promise every turn* when it
is:

- inside a loop: a binding declared outside the loop and not written inside it (a parameter
  of the looping function included);
- in a function that repeats: a module-level binding, or a binding of an enclosing function
  (a factory's closure), not written in the function itself;
- in both: a ``this`` field that only constructors assign (a field reassigned by ordinary
  methods rotates, like a queue head), or ``this.m()`` where ``m`` returns such a field.
  When ``m`` is not defined in the class (inherited, mixed in) its identity cannot be
  shown and the race is reported with medium confidence.

Deferreds (``parked_deferreds``): an executor that parks its ``resolve`` / ``reject`` in a
collection of ``this`` (``this.pending[id] = { resolve, reject }``) hands the promise's
fate to whoever reads that table. When the class has a teardown path (a ``close`` /
``destroy`` … method, a ``'close'`` / ``'end'`` handler, and the methods they call) and
none of it touches the table, the requests in flight when the owner closes never settle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nodeleaklint.parsing import Node
from nodeleaklint.records import record
from nodeleaklint.semantics.classes import ClassInfo
from nodeleaklint.semantics.flow import FlowKind, ReleaseSpec, flow_of
from nodeleaklint.semantics.latches import latch_of
from nodeleaklint.semantics.locations import occurrences, place_of
from nodeleaklint.semantics.scopes import Binding, BindingKind, CallSite, FunctionInfo, Repetition
from nodeleaklint.semantics.syntax import (
    FUNCTION_KINDS,
    LOOP_KINDS,
    ancestors,
    is_function,
    is_inside,
    outer,
    string_value,
    text,
    unwrap,
)

if TYPE_CHECKING:
    from nodeleaklint.semantics.model import SemanticModel
from nodeleaklint.semantics.teardown import reached_methods
from nodeleaklint.semantics.vocabulary import CONNECTION_END_EVENTS, LISTEN_METHODS, RACE_METHODS


@record
class RaceHold:
    """A ``Promise.race`` that keeps a reaction on a long-lived promise each time it runs."""

    call: CallSite
    element: Node  # the long-lived element
    why: str  # "a parameter of `readLoop`"
    loop: Node | None  # the loop that repeats the race inside its function, if any
    shown: bool  # the element is shown to be the same promise every time
    unbounded: bool  # the loop runs for as long as work arrives


def long_lived_races(model: SemanticModel) -> list[RaceHold]:
    found: list[RaceHold] = []
    for call in model.calls_named(*RACE_METHODS):
        if call.is_new or call.obj is None or text(unwrap(call.obj)) != "Promise":
            continue
        array = unwrap(call.args[0]) if call.args else None
        function = call.function
        if array is None or array.type != "array" or function is None:
            continue
        loop = _loop_around(call.node, function)
        # A latch (``if (stopping) return; stopping = true;``): once per owner of the flag.
        latched = latch_of(call.node, function.node) is not None
        once = model.repetition(function) is Repetition.ONCE or latched
        if once and not _unbounded(loop):
            continue  # no loop, or a bounded one, in code that runs once
        elements = [unwrap(e) for e in array.named_children if e.type != "comment"]
        if any(e is None or e.type == "spread_element" for e in elements):
            continue
        held: tuple[Node, str, bool] | None = None
        fresh = False
        for element in elements:
            assert element is not None
            verdict = _same_every_turn(model, element, function, loop)
            if verdict is None:
                fresh = True
            elif held is None or (verdict[1] and not held[2]):
                held = (element, verdict[0], verdict[1])
        if held is None or not fresh:
            continue
        found.append(RaceHold(call, held[0], held[1], loop, held[2], _unbounded(loop)))
    return found


def _loop_around(node: Node, function: FunctionInfo) -> Node | None:
    for parent in ancestors(node):
        if parent.id == function.node.id or parent.type in FUNCTION_KINDS:
            return None
        if parent.type in LOOP_KINDS:
            return parent
    return None


def _unbounded(loop: Node | None) -> bool:
    if loop is None:
        return False
    if loop.type in ("while_statement", "do_statement"):
        return True
    if loop.type == "for_statement":
        condition = loop.child_by_field_name("condition")
        return condition is None or text(condition).strip(" ;") in ("", "true")
    return any(child.type == "await" for child in loop.children)


def _same_every_turn(
    model: SemanticModel, element: Node, function: FunctionInfo, loop: Node | None
) -> tuple[str, bool] | None:
    """Why ``element`` is the same promise on every turn, and whether that is shown."""
    kind = element.type
    if kind == "identifier":
        return _binding_every_turn(model, element, function, loop)
    if kind == "member_expression" and _this_rooted(model, element):
        return _field_every_turn(model, element, function)
    if kind == "call_expression":
        return _method_every_turn(model, element, function)
    return None


def _binding_every_turn(
    model: SemanticModel, ident: Node, function: FunctionInfo, loop: Node | None
) -> tuple[str, bool] | None:
    binding = model.binding_of(ident)
    if binding is None:
        return None
    declared_in = is_inside(binding.node, function.node)
    if loop is not None:
        if is_inside(binding.node, loop) or any(is_inside(w, loop) for w in binding.writes):
            return None
        if binding in function.params:
            if _made_per_call(model, function, binding):
                return None
            shown = function.callback_of is None
            return f"a parameter of {function.display()}", shown
        if declared_in:
            return "a local declared before the loop", False
        return _outer_description(binding.scope.is_module), True
    if declared_in or binding.is_reassigned:
        return None  # a binding written elsewhere rotates, like a queue head
    return _outer_description(binding.scope.is_module), True


def _outer_description(module: bool) -> str:
    return "a module-level binding" if module else "a binding of an enclosing function"


def _this_rooted(model: SemanticModel, node: Node) -> bool:
    current: Node | None = node
    while current is not None and current.type == "member_expression":
        current = unwrap(current.child_by_field_name("object"))
    if current is None:
        return False
    if current.type == "this":
        return True
    place = place_of(model, current)
    return place is not None and place.kind == "this"


def _field_every_turn(
    model: SemanticModel, member: Node, function: FunctionInfo
) -> tuple[str, bool] | None:
    """A ``this`` field (or a path under one) that only constructors assign."""
    place = place_of(model, member)
    if place is None or place.kind != "this" or not place.path:
        return None
    prefixes = set()
    parts = place.path.split(".")
    for index in range(1, len(parts) + 1):
        prefixes.add(".".join(parts[:index]))
    assigned = False
    for assignment in model.assignments:
        left = assignment.child_by_field_name("left")
        target = place_of(model, left) if left is not None else None
        if target is None or target.kind != "this" or target.root != place.root:
            continue
        if target.path not in prefixes:
            continue
        owner = model.facts.assignment_function.get(assignment.id)
        if owner is None or owner.method_kind != "constructor":
            return None  # reassigned by an ordinary method: it rotates
        assigned = True
    if not assigned and not _field_initialized(member, parts[0]):
        return None
    return "a field set only when the instance is made", True


def _field_initialized(member: Node, name: str) -> bool:
    """``stopped = new Promise(…)`` as a class field initializer."""
    for parent in ancestors(member):
        if parent.type in ("class_body",):
            for child in parent.named_children:
                if child.type in ("field_definition", "public_field_definition"):
                    prop = child.child_by_field_name("property") or child.child_by_field_name(
                        "name"
                    )
                    if text(prop) == name and child.child_by_field_name("value") is not None:
                        return True
            return False
    return False


def _method_every_turn(
    model: SemanticModel, call: Node, function: FunctionInfo
) -> tuple[str, bool] | None:
    """``this.whenStopped()``: the same promise when the method returns a fixed field."""
    site = model.call_at(call)
    if site is None or site.args or site.obj is None:
        return None
    receiver = unwrap(site.obj)
    if receiver is None or not (
        receiver.type == "this"
        or (
            receiver.type == "identifier"
            and (p := place_of(model, receiver)) is not None
            and p.kind == "this"
        )
    ):
        return None
    owner = model.this_function(call)
    info = model.class_info(owner.class_node if owner is not None else None)
    if info is None:
        return None
    methods = info.methods.get(site.name)
    if not methods:
        return "a method not defined in this class, so its identity cannot be shown", False
    body = methods[0].body
    returned = _single_return(body)
    if returned is None or returned.type != "member_expression":
        return None
    verdict = _field_every_turn(model, returned, methods[0])
    if verdict is None:
        return None
    return f"it returns `{text(returned)}`, {verdict[0]}", True


def _single_return(body: Node | None) -> Node | None:
    if body is None:
        return None
    if body.type != "statement_block":
        return unwrap(body)
    statements = [c for c in body.named_children if c.type != "comment"]
    if len(statements) != 1 or statements[0].type != "return_statement":
        return None
    value = statements[0].named_children
    return unwrap(value[0]) if value else None


def _made_per_call(model: SemanticModel, function: FunctionInfo, param: Binding) -> bool:
    """A callback's parameter that the function calling it (in this file) creates per call:
    ``withAbort(signal, async (aborted) => …)`` where ``withAbort`` makes ``aborted`` itself.
    The promise then lives only as long as that call."""
    call = function.callback_of
    if call is None or call.obj is not None or call.callee is None:
        return False
    binding = model.binding_of(call.callee)
    target = binding.function if binding is not None else None
    if target is None or not 0 <= function.argument_index < len(target.params):
        return False
    callback = target.params[function.argument_index]
    position = function.params.index(param)
    for ref in callback.references:
        site = model.call_at(ref.parent) if ref.parent is not None else None
        if site is None or site.callee is None or site.callee.id != ref.id:
            continue
        if position >= len(site.args):
            continue
        arg = unwrap(site.args[position])
        local = model.binding_of(arg) if arg is not None and arg.type == "identifier" else None
        if (
            local is not None
            and local.kind is not BindingKind.PARAM
            and is_inside(local.node, target.node)
        ):
            return True
    return False


# -- deferreds ----------------------------------------------------------------------------------
@record
class ParkedDeferred:
    """A promise whose resolvers are parked in a collection of ``this`` no teardown touches."""

    call: CallSite  # the ``new Promise``
    collection: str  # ``this.pending``
    teardown: str  # ``close()``


def parked_deferreds(model: SemanticModel) -> list[ParkedDeferred]:
    found: list[ParkedDeferred] = []
    spec = ReleaseSpec()
    for call in model.calls_named("Promise"):
        if not call.is_new or call.obj is not None or not call.args:
            continue
        executor = unwrap(call.args[0])
        info = model.function_at(executor) if is_function(executor) and executor else None
        if info is None or not info.params:
            continue
        if _settles_itself(info):
            continue  # a timeout or an abort listener in the executor settles it anyway
        place = None
        for param in info.params[:2]:
            for ref in param.references:
                flow = flow_of(model, ref, spec)
                target = flow.place
                if flow.kind is FlowKind.COLLECTED and target is not None and target.is_field:
                    place = target
        if place is None:
            continue
        owner = model.this_function(call.node)
        cls = model.class_info(owner.class_node if owner is not None else None)
        if cls is None:
            continue
        teardowns = _teardown_functions(model, cls)
        if not teardowns:
            continue
        spans = [(f.node.start_byte, f.node.end_byte) for f in teardowns]
        if any(
            start <= node.start_byte and node.end_byte <= end
            for node in occurrences(model, place)
            for start, end in spans
        ):
            continue
        names = sorted({_teardown_name(f) for f in teardowns})
        found.append(ParkedDeferred(call, place.label, " / ".join(names[:3])))
    return found


def _settles_itself(executor: FunctionInfo) -> bool:
    """``setTimeout(() => reject(new Error('timeout')), ms)`` inside the executor."""
    for param in executor.params[:2]:
        for ref in param.references:
            parent = ref.parent
            if parent is not None and parent.type == "call_expression":
                callee = parent.child_by_field_name("function")
                if callee is not None and callee.id == ref.id:
                    return True
    return False


def _teardown_name(function: FunctionInfo) -> str:
    if function.method_kind is not None and function.name:
        return f"`{function.name}()`"
    call = function.callback_of
    if call is not None and call.args:
        return f"the `{string_value(call.args[0])}` handler"
    return "the close handler"


def _teardown_functions(model: SemanticModel, cls: ClassInfo) -> list[FunctionInfo]:
    """Teardown methods, end-event handlers registered by the class, and what they call
    through ``this.m()``."""
    found: list[FunctionInfo] = list(cls.teardown_methods())
    for function in model.functions:
        if not model.in_class(function.node, cls.node):
            continue
        call = function.callback_of
        if (
            call is not None
            and call.name in LISTEN_METHODS
            and call.args
            and string_value(call.args[0]) in CONNECTION_END_EVENTS
        ):
            found.append(function)
    for assignment in model.assignments:
        left = assignment.child_by_field_name("left")
        right = unwrap(assignment.child_by_field_name("right"))
        if left is None or right is None or not is_function(right):
            continue
        if left.type != "member_expression" or not model.in_class(assignment, cls.node):
            continue
        prop = text(left.child_by_field_name("property"))
        if prop in {f"on{event}" for event in CONNECTION_END_EVENTS}:
            handler = model.function_at(right)
            if handler is not None:
                found.append(handler)
    return reached_methods(model, cls, found)


# -- detached waiters ---------------------------------------------------------------------------
@record
class DetachedWaiter:
    """An async waiter started on every run, awaiting a promise its caller passed in."""

    call: Node  # the ``(async () => { … })()`` call
    awaited: Node  # ``cancelPromise`` in ``await cancelPromise``
    function: FunctionInfo  # the repeating function that starts the waiter
    param: str  # the parameter's name


def detached_waiters(model: SemanticModel) -> list[DetachedWaiter]:
    """``(async () => { try { await cancelPromise } finally { … } })()`` started, and
    dropped, on every run of a repeating function, awaiting a promise its caller passed in.

    The waiter's frame and one reaction stay on that promise until it settles. A caller
    that hands the same long-lived promise (a cancel or shutdown signal) to every call,
    the usual way such a parameter is used, grows that promise's reaction list by one per
    call. Only the promise's first use in the waiter counts (a waiter that does other work
    first is ordinary fire-and-forget work), and only a parameter of the enclosing
    function that neither it nor the waiter writes.
    """
    found: list[DetachedWaiter] = []
    for waiter in model.functions:
        if not waiter.is_iife or not _is_async(waiter) or waiter.parent is None:
            continue
        starter = waiter.parent
        if model.repetition(starter) is Repetition.ONCE:
            continue
        call = outer(waiter.node).parent
        if call is None or not _dropped(call):
            continue
        awaited = _first_await(waiter)
        if awaited is None or awaited.type != "identifier":
            continue
        binding = model.binding_of(awaited)
        if binding is None or binding not in starter.params or binding.writes:
            continue
        found.append(DetachedWaiter(call, awaited, starter, binding.name))
    return found


def _is_async(function: FunctionInfo) -> bool:
    return any(child.type == "async" for child in function.node.children)


def _dropped(call: Node) -> bool:
    """The call's promise is thrown away: a statement of its own, or ``void``-ed."""
    position = outer(call)
    parent = position.parent
    if parent is not None and parent.type == "unary_expression" and text(parent).startswith("void"):
        position = outer(parent)
        parent = position.parent
    return parent is not None and parent.type == "expression_statement"


def _first_await(function: FunctionInfo) -> Node | None:
    """What the waiter awaits before doing anything else (``try`` blocks entered)."""
    body = function.body
    statements = body.named_children if body is not None else []
    while statements:
        first = next((s for s in statements if s.type != "comment"), None)
        if first is None:
            return None
        if first.type == "try_statement":
            block = first.child_by_field_name("body")
            statements = block.named_children if block is not None else []
            continue
        expression = unwrap(first.named_children[0]) if first.named_children else None
        if (
            first.type == "expression_statement"
            and expression is not None
            and expression.type == "await_expression"
            and expression.named_children
        ):
            return unwrap(expression.named_children[0])
        return None
    return None
