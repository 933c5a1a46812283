"""What a closure keeps alive: large values retained directly or through V8's shared contexts.

V8 gives every scope whose variables are captured by an inner function a *context* object,
created each time the scope is entered. All closures created in that scope point at the
same context, and each context points at the context of the enclosing scope, up to the
module. A variable is stored in the context (not on the stack) when **any** inner
function references it, or when a direct ``eval`` could. So a closure keeps alive every
context-allocated variable of every scope it was created in, whether it mentions the
variable or not. Block scopes (``{ … }``, loop bodies, ``catch``) whose ``let``/``const``
are captured get a context of their own, so a closure created outside the block does not
keep them.

``retained_large_values(model, function)`` answers "which large per-call values does this
closure keep alive, and why" for NLL401 and for the rules that report the holder itself
(NLL201 names what an uncleared interval keeps, NLL101 what a forgotten listener keeps).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING

from nodeleaklint.parsing import Node
from nodeleaklint.records import record
from nodeleaklint.semantics.provenance import origin_of
from nodeleaklint.semantics.repetition import REGISTRATION_METHODS, has_handler_params
from nodeleaklint.semantics.scopes import Binding, BindingKind, FunctionInfo, Repetition, ScopeKind
from nodeleaklint.semantics.syntax import (
    FUNCTION_KINDS,
    STRING_KINDS,
    ancestors,
    assigned_value,
    call_arguments,
    callee_parts,
    dotted_name,
    is_inside,
    number_value,
    outer,
    text,
    unwrap,
)
from nodeleaklint.semantics.vocabulary import (
    BODY_READERS,
    BUFFER_ALLOCATORS,
    SSR_DIRECTIVES,
    SSR_REQUEST_CACHES,
    TYPED_ARRAY_BYTES,
    VIEW_METHODS,
)

if TYPE_CHECKING:
    from nodeleaklint.semantics.model import SemanticModel

# Below this many bytes a buffer, typed array or ``new Array(n)`` of literal size is small.
DEFAULT_MIN_BYTES = 16 * 1024

# Parameter names that denote a per-request object in a request handler.
REQUEST_OBJECT_NAMES = frozenset({"req", "res", "request", "response", "reply", "ctx"})
_ROUTE_REGISTRATIONS = REGISTRATION_METHODS - {
    "on",
    "addListener",
    "prependListener",
    "setInterval",
}
_NULLISH = frozenset({"null", "undefined"})
_UNCONDITIONAL_PARENTS = frozenset(
    {"expression_statement", "statement_block", "program", "sequence_expression"}
)
_MAX_DEPTH = 6


@record
class Large:
    """Why a value is large: ``what`` reads in a message (``a 1 MB `Buffer.alloc```)."""

    what: str
    node: Node
    certain: bool = True  # False when the size is only known at run time
    request: bool = False  # a request or response object of a request handler
    brief: str = ""  # ``what`` in a few words, for a headline ("file contents")

    @property
    def short(self) -> str:
        return self.brief or self.what


@record
class Retained:
    """A large value a closure keeps alive, and the closure that makes the context keep it."""

    binding: Binding
    large: Large
    via: FunctionInfo | None  # None: the closure references the value itself
    via_node: Node | None = None  # the referencing identifier (or the direct ``eval`` call)
    eval_call: bool = False
    via_line: int = 0  # the 1-based line of ``via_node``

    @property
    def direct(self) -> bool:
        return self.via is None and not self.eval_call

    def explain(self, holder: str = "the closure") -> str:
        """Why ``holder`` keeps the value: ``"`buf` (a 1 MB `Buffer.alloc`) is kept alive by
        the interval callback, which never uses it, because the closure `log` at line 7
        references it and V8 keeps one context per scope, shared by every closure created
        there"``."""
        head = f"`{self.binding.name}` ({self.large.what}) is kept alive by {holder}"
        line = self.via_line
        if self.eval_call:
            return (
                f"{head}, which never uses it, because the direct `eval` at line {line} forces "
                "every variable of its scope into the context all closures created there share"
            )
        if self.via is None:
            return f"{head}, which references it"
        return (
            f"{head}, which never uses it, because {_closure_name(self.via)} at line {line} "
            "references it and V8 keeps one context per scope, shared by every closure "
            "created there"
        )

    def why(self, holder: str = "the closure") -> str:
        """The same as ``explain`` without the headline's part, as a note: ``"The interval
        callback passed to `setInterval(…)` never uses it: the closure `log` at line 7
        references it, and V8 keeps one context per scope, shared by every closure created
        there."``."""
        holder = holder[:1].upper() + holder[1:]
        line = self.via_line
        if self.eval_call:
            return (
                f"{holder} never uses it: the direct `eval` at line {line} forces every variable "
                "of its scope into the context all closures created there share."
            )
        if self.via is None:
            return f"{holder} references it."
        return (
            f"{holder} never uses it: {_closure_name(self.via)} at line {line} references it, "
            "and V8 keeps one context per scope, shared by every closure created there."
        )


def retained_large_values(
    model: SemanticModel, function: FunctionInfo, min_bytes: int = DEFAULT_MIN_BYTES
) -> list[Retained]:
    """The large per-call values ``function`` keeps alive once it outlives its creator.

    A value counts when it is declared in a function (or block) scope that encloses
    ``function`` (module-level values live for the process anyway), is context-allocated
    there (some inner function references it, or a direct ``eval`` can see it), and is not
    set to ``null``/``undefined`` unconditionally in its own function before that returns.
    ``via`` is None when ``function`` itself (or a local function it calls) uses the value.
    """
    found: list[Retained] = []
    used: set[Binding] | None = None  # computed only once a large value is on the chain
    for binding in _chain_bindings(model, function):
        large = large_binding(model, binding, min_bytes)
        if large is None:
            continue
        if released_by_nulling(model, binding, function):
            continue
        if used is None:
            used = bindings_used_by(model, function)
        if binding in used:
            found.append(Retained(binding, large, None))
            continue
        reason = _context_reason(model, binding, function)
        if reason is None:
            continue
        via, node, is_eval = reason
        line = model.source.line_number(node.start_byte) if node is not None else 0
        found.append(Retained(binding, large, via, node, is_eval, line))
    return found


def may_hold_large_values(model: SemanticModel) -> bool:
    """False when no binding of the file can be large (``large_binding``).

    Every large value starts at a call that makes one (``_ROOT_CALL_NAMES``, or
    ``Buffer.concat`` / ``Buffer.from``): the others (``JSON.parse``, ``.slice()``) are
    large only as copies or views of one, and the model's call index has every call by its
    name. A parameter is large only as a request handler's request object."""
    calls = model.calls_by_name
    if any(name in calls for name in _ROOT_CALL_NAMES):
        return True
    for name in ("concat", "from"):
        if any(dotted_name(call.obj) == "Buffer" for call in calls.get(name, ())):
            return True
    return any(
        binding.kind is BindingKind.PARAM
        and binding.name in REQUEST_OBJECT_NAMES
        and _request_object(model, binding) is not None
        for binding in model.bindings
    )


def may_retain_large(
    model: SemanticModel, function: FunctionInfo, min_bytes: int, memo: dict[int, bool]
) -> bool:
    """False when no scope whose context ``function`` is created in declares a value
    ``large_binding`` calls large, so that ``retained_large_values`` finds nothing: a quick
    test before a rule works out what holds the closure. ``memo`` keeps each scope's answer
    (by ``id``) for one file and ``min_bytes``."""
    scope = function.scope.parent
    while scope is not None and not scope.is_module:
        key = id(scope)
        large = memo.get(key)
        if large is None:
            values = scope.bindings.values()
            large = memo[key] = any(large_binding(model, b, min_bytes) for b in values)
        if large:
            return True
        scope = scope.parent
    return False


# -- the context chain ------------------------------------------------------------------------


def _chain_bindings(model: SemanticModel, function: FunctionInfo) -> list[Binding]:
    """Bindings of the non-module scopes whose contexts ``function`` is created in."""
    node = function.node
    chain: list[Binding] = []
    seen: set[int] = set()
    scope = function.scope.parent
    while scope is not None and not scope.is_module:
        if scope.kind is not ScopeKind.CLASS and id(scope) not in seen:
            seen.add(id(scope))
            chain.extend(b for b in scope.bindings.values() if _not_the_closure_itself(b, node))
        scope = scope.parent
    return chain


def _not_the_closure_itself(binding: Binding, node: Node) -> bool:
    # A name bound by the closure itself (a named function expression) is not on its chain.
    return binding.function is None or binding.function.node.id != node.id


def declaring_function(binding: Binding) -> FunctionInfo | None:
    return binding.scope.function


def _enclosing_function(model: SemanticModel, node: Node) -> FunctionInfo | None:
    return model.enclosing_function(node)


def _context_reason(
    model: SemanticModel, binding: Binding, holder: FunctionInfo
) -> tuple[FunctionInfo | None, Node, bool] | None:
    """Why ``binding`` sits in a context: the first inner function that references it."""
    owner = declaring_function(binding)
    for reference in binding.references:
        inner = _enclosing_function(model, reference)
        if inner is None or inner is owner or is_inside(reference, holder.node):
            continue
        return inner, reference, False
    for call in model.calls_named("eval"):
        if call.obj is None and not call.is_new and is_inside(call.node, binding.scope.node):
            return None, call.node, True
    return None


def bindings_used_by(model: SemanticModel, function: FunctionInfo) -> set[Binding]:
    """Per-call bindings (of enclosing function and block scopes) the closure uses: referenced
    in its body, or by a local function, object literal or ``f.bind(…)`` it references."""
    chain = _chain_bindings(model, function)
    # Every reference of the chain's bindings, by position: a region finds its own by bisection.
    refs = sorted(
        (ref.start_byte, ref.end_byte, index)
        for index, binding in enumerate(chain)
        for ref in binding.references
    )
    starts = [start for start, _, _ in refs]
    reached: set[Binding] = set()
    regions: list[Node] = [function.node]  # a worklist: each region is searched once
    while regions and len(reached) < len(chain):
        region = regions.pop()
        start, end = region.start_byte, region.end_byte
        low, high = bisect_left(starts, start), bisect_right(starts, end)
        for _, ref_end, index in refs[low:high]:
            binding = chain[index]
            if ref_end > end or binding in reached:
                continue
            reached.add(binding)
            if binding.function is not None and binding.kind is not BindingKind.PARAM:
                regions.append(binding.function.node)
            values = [binding.init] + [assigned_value(write) for write in binding.writes]
            regions.extend(value for value in values if value is not None and _holds_code(value))
    return reached


def _holds_code(value: Node | None) -> bool:
    """Values through which a closure can reach code that uses a variable: functions, object
    and array literals (of methods), ``f.bind(…)``. The result of an arbitrary call is data."""
    value = unwrap(value)
    if value is None:
        return False
    if value.type in FUNCTION_KINDS or value.type in ("object", "array", "class"):
        return True
    if value.type == "call_expression":
        return callee_parts(value)[1] == "bind"
    return False


# -- what is large ------------------------------------------------------------------------------


def large_binding(
    model: SemanticModel, binding: Binding, min_bytes: int = DEFAULT_MIN_BYTES
) -> Large | None:
    """Whether a binding holds a large value: its initializer or an assignment creates one."""
    if binding.kind is BindingKind.PARAM:
        return _request_object(model, binding)
    if (
        binding.kind not in (BindingKind.VAR, BindingKind.LET, BindingKind.CONST)
        or binding.destructured
    ):
        return None
    candidates = [binding.init] + [assigned_value(write) for write in binding.writes]
    for value in candidates:
        large = large_value(model, value, min_bytes)
        if large is not None:
            return large
    return None


def large_value(
    model: SemanticModel, node: Node | None, min_bytes: int = DEFAULT_MIN_BYTES, depth: int = 0
) -> Large | None:
    """Whether an expression creates a large value (SPEC §2, NLL401)."""
    node = unwrap(node)
    if node is None or depth > _MAX_DEPTH:
        return None
    awaited = False
    if node.type == "await_expression" and node.named_children:
        node = unwrap(node.named_children[0])
        awaited = True
        if node is None:
            return None
    if node.type == "identifier" and depth:
        binding = model.binding_of(node)
        if binding is None or binding.scope.is_module:
            return None
        return large_binding_shallow(model, binding, min_bytes, depth + 1)
    if node.type not in ("call_expression", "new_expression"):
        return None
    obj, name = callee_parts(node)
    if name not in _LARGE_CALL_NAMES:
        return None  # every test below asks for one of these names
    owner = dotted_name(obj) if obj is not None else None
    args = call_arguments(node)
    is_new = node.type == "new_expression"
    call_text = f"`{owner}.{name}`" if owner else f"`{name}`"
    if owner == "Buffer" and name in BUFFER_ALLOCATORS:
        return _sized(model, node, args[0] if args else None, 1, f"`Buffer.{name}`", min_bytes)
    if owner == "Buffer" and name == "concat":
        return Large("a `Buffer.concat` of collected chunks", node, brief="collected chunks")
    if owner == "Buffer" and name == "from":
        return _buffer_from(model, node, args, min_bytes, depth)
    if obj is None and name in TYPED_ARRAY_BYTES and is_new:
        first = unwrap(args[0]) if args else None
        if first is None or first.type in ("array", "object"):
            return None
        inner = large_value(model, first, min_bytes, depth + 1)
        if inner is not None:
            return Large(
                f"a `{name}` copy of {inner.what}",
                node,
                inner.certain,
                brief=f"a copy of {inner.short}",
            )
        return _sized(model, node, first, TYPED_ARRAY_BYTES[name], f"`new {name}`", min_bytes)
    if obj is None and name == "Array" and len(args) == 1:
        return _sized(
            model, node, args[0], 8, "`new Array`" if is_new else "`Array`", min_bytes, "elements"
        )
    if name == "readFileSync":
        return Large(f"the contents of a file read with {call_text}", node, brief="file contents")
    if awaited and name == "readFile":
        return Large(
            f"the contents of a file read with `await {call_text[1:-1]}`",
            node,
            brief="file contents",
        )
    if awaited and obj is not None and name in BODY_READERS and not args:
        return Large(
            f"a whole response body read with `.{name}()`", node, brief="a whole response body"
        )
    if owner == "JSON" and name == "parse" and args:
        inner = large_value(model, args[0], min_bytes, depth + 1)
        if inner is not None:
            return Large(
                f"`JSON.parse` of {inner.what}", node, inner.certain, brief=f"parsed {inner.short}"
            )
        return None
    if obj is not None and name in VIEW_METHODS:
        inner = large_value(model, obj, min_bytes, depth + 1)
        if inner is not None:
            return Large(inner.what, node, inner.certain, brief=inner.brief)
    return None


# The names of the calls ``large_value`` knows to make a large value (each of its tests asks
# for one): a quick way out for every other call.
_LARGE_CALL_NAMES = frozenset(
    {*BUFFER_ALLOCATORS, "concat", "from", *TYPED_ARRAY_BYTES, "Array", "readFileSync"}
    | {"readFile", *BODY_READERS, "parse", *VIEW_METHODS}
)


# The calls that make a large value of their own (the rest of ``_LARGE_CALL_NAMES`` copy
# or view one, or are ``Buffer``'s, told apart by their object).
_ROOT_CALL_NAMES = frozenset(
    {*BUFFER_ALLOCATORS, *TYPED_ARRAY_BYTES, "Array", "readFileSync", "readFile", *BODY_READERS}
)


def large_binding_shallow(
    model: SemanticModel, binding: Binding, min_bytes: int, depth: int
) -> Large | None:
    if (
        binding.kind not in (BindingKind.VAR, BindingKind.LET, BindingKind.CONST)
        or binding.destructured
    ):
        return None
    for value in [binding.init] + [assigned_value(write) for write in binding.writes]:
        large = large_value(model, value, min_bytes, depth)
        if large is not None:
            return large
    return None


def _buffer_from(
    model: SemanticModel, node: Node, args: list[Node], min_bytes: int, depth: int
) -> Large | None:
    first = unwrap(args[0]) if args else None
    if first is None or first.type in STRING_KINDS or first.type in ("array", "object", "number"):
        return None
    inner = large_value(model, first, min_bytes, depth + 1)
    if inner is not None:
        return Large(
            f"a `Buffer.from` copy of {inner.what}",
            node,
            inner.certain,
            brief=f"a copy of {inner.short}",
        )
    return Large("a `Buffer.from` copy of run-time size", node, certain=False)


def _sized(
    model: SemanticModel,
    node: Node,
    size_node: Node | None,
    unit: int,
    label: str,
    min_bytes: int,
    counted: str = "",
) -> Large | None:
    size = constant_number(model, size_node)
    if size_node is None:
        return None
    if size is None:
        return Large(f"a {label} of run-time size", node, certain=False)
    total = size * unit
    if total < min_bytes:
        return None
    if counted:
        return Large(f"a {label} of {int(size):,} {counted}", node)
    return Large(f"a {human_size(total)} {label}", node)


def constant_number(model: SemanticModel, node: Node | None, depth: int = 0) -> float | None:
    """A compile-time number: literals, arithmetic on them, ``const`` bindings of them."""
    node = unwrap(node)
    if node is None or depth > _MAX_DEPTH:
        return None
    value = number_value(node)
    if value is not None:
        return value
    if node.type == "identifier":
        binding = model.binding_of(node)
        if binding is None or binding.kind is not BindingKind.CONST or binding.destructured:
            return None
        return constant_number(model, binding.init, depth + 1)
    if node.type == "binary_expression":
        left = constant_number(model, node.child_by_field_name("left"), depth + 1)
        right = constant_number(model, node.child_by_field_name("right"), depth + 1)
        operator = text(node.child_by_field_name("operator"))
        if left is None or right is None:
            return None
        try:
            if operator == "*":
                return left * right
            if operator == "+":
                return left + right
            if operator == "-":
                return left - right
            if operator == "**":
                return float(left**right)
            if operator == "<<":
                return float(int(left) << int(right))
            if operator == "/" and right:
                return left / right
        except (OverflowError, ValueError):
            return None
    return None


def human_size(total: float) -> str:
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if total >= factor:
            amount = total / factor
            return (
                f"{amount:.0f} {unit}"
                if amount >= 10 or amount.is_integer()
                else f"{amount:.1f} {unit}"
            )
    return f"{total:.0f} B"


def _request_object(model: SemanticModel, binding: Binding) -> Large | None:
    """``req`` / ``res`` of a request handler: dead once the request ends."""
    function = binding.function
    if function is None or binding.destructured or binding.name not in REQUEST_OBJECT_NAMES:
        return None
    if not (has_handler_params(function) or _is_route_callback(function)):
        return None
    if binding not in function.params[:2]:
        return None
    kind = "response" if binding.name in ("res", "response", "reply") else "request"
    if binding.name == "ctx":
        kind = "request context"
    return Large(
        f"the {kind} object of a request handler",
        binding.node,
        request=True,
        brief=f"a handler's {kind} object",
    )


def _is_route_callback(function: FunctionInfo) -> bool:
    call = function.callback_of
    return (
        call is not None
        and not call.is_new
        and call.name in _ROUTE_REGISTRATIONS
        and len(function.params) >= 2
    )


# -- release by nulling ------------------------------------------------------------------------


def released_by_nulling(
    model: SemanticModel, binding: Binding, holder: FunctionInfo | None = None
) -> bool:
    """``x = null`` run unconditionally by ``x``'s own function after its last large write.

    The function must not ``await`` or ``yield`` between the holder's creation and the
    nulling, or the holder can run (and the value stay reachable) in between.
    """
    owner = declaring_function(binding)
    if owner is None or binding.kind is BindingKind.CONST:
        return False
    last_large = binding.init.end_byte if binding.init is not None else 0
    nullings: list[Node] = []
    for write in binding.writes:
        right = assigned_value(write)
        if right is None:
            continue
        if _is_nullish(right):
            if _enclosing_function(model, write) is owner and _unconditional(write, owner.node):
                nullings.append(write)
        elif (
            large_value(model, right) is not None or _enclosing_function(model, write) is not owner
        ):
            last_large = max(last_large, write.end_byte)
    for write in nullings:
        if write.start_byte < last_large:
            continue
        if holder is not None and _suspends_between(
            model, owner, holder.node.end_byte, write.start_byte
        ):
            continue
        return True
    return False


def _suspends_between(model: SemanticModel, owner: FunctionInfo, start: int, end: int) -> bool:
    body = owner.body
    if body is None or start >= end:
        return False
    stack = [body]
    while stack:
        node = stack.pop()
        if node.end_byte <= start or node.start_byte >= end:
            continue
        if node.type in ("await_expression", "yield_expression") and node.start_byte >= start:
            return True
        stack.extend(child for child in node.named_children if child.type not in FUNCTION_KINDS)
    return False


def _unconditional(node: Node, stop: Node) -> bool:
    """Whether ``node`` runs on every path through the function ``stop`` (straight-line code)."""
    current = outer(node).parent  # the assignment
    if current is None:
        return False
    for parent in ancestors(current):
        if parent.id == stop.id:
            return True
        if parent.type in _UNCONDITIONAL_PARENTS:
            continue
        if parent.type == "try_statement" or parent.type == "finally_clause":
            continue
        return False
    return False


def _is_nullish(node: Node | None) -> bool:
    node = unwrap(node)
    if node is None:
        return False
    if node.type in _NULLISH or text(node) in _NULLISH:
        return True
    return node.type == "unary_expression" and text(node).startswith("void")


# -- words --------------------------------------------------------------------------------------


def _closure_name(function: FunctionInfo) -> str:
    """``the closure `onTick```, ``the callback passed to `…```, or ``a closure``: from what
    the model knows of the function, not from the words ``display`` chose."""
    if function.name:
        return f"the closure {function.display()}"
    if function.callback_of is not None:
        return function.display()
    return "a closure"


# -- caches shared by every server render ------------------------------------------------------


@record
class SharedRenderCache:
    """A request cache created once at the top level of a ``"use client"`` module."""

    call: Node  # ``new QueryClient()`` at module top level
    name: str  # ``QueryClient``
    directive: Node  # the ``"use client"`` directive


def shared_render_caches(model: SemanticModel) -> list[SharedRenderCache]:
    """``const queryClient = new QueryClient()`` at the top level of a ``"use client"``
    module: the server renders the module once per process and every request's render
    shares (and fills) the one cache."""
    directive = _directive(model.root)
    if directive is None:
        return []
    found: list[SharedRenderCache] = []
    for modules, name in SSR_REQUEST_CACHES:
        for call in model.calls_named(name):
            if not call.is_new or call.function is not None or _in_class(call.node):
                continue
            callee = unwrap(call.callee)
            origin = origin_of(model, callee) if callee is not None else None
            if origin is None or not origin.from_module(modules):
                continue
            if origin.export not in (name, "default") and not origin.export.endswith("." + name):
                continue
            found.append(SharedRenderCache(call.node, name, directive))
    return found


def _directive(root: Node) -> Node | None:
    for statement in root.named_children:
        if statement.type == "comment":
            continue
        if statement.type != "expression_statement" or not statement.named_children:
            return None
        value = statement.named_children[0]
        if value.type not in STRING_KINDS:
            return None
        if text(value).strip("'\"`") in SSR_DIRECTIVES:
            return statement
    return None


def _in_class(node: Node) -> bool:
    return any(parent.type in ("class_body",) for parent in ancestors(node))


# -- per-call objects stored on a process-wide prototype ----------------------------------------
@record
class PrototypeStore:
    """A parameter stored on the prototype of an imported class."""

    assignment: Node  # ``Vue.prototype.$ssrRequestContext = ssrContext``
    target: str  # ``Vue.prototype.$ssrRequestContext``
    value: Binding  # the parameter stored
    function: FunctionInfo  # the function that stores it, which can run many times


def prototype_stores(model: SemanticModel) -> list[PrototypeStore]:
    """A parameter of a function that can run many times, stored on the prototype of an
    imported class (``Vue.prototype.$ctx = ssrContext``): every instance in the process
    shares it, so the last caller's object — and all it references (a request, a response)
    — stays reachable until the next call replaces it, and concurrent callers see each
    other's. The importer is shown to be process-wide (an import binding), the value to be
    the caller's (a parameter), the repetition by the model; a plugin ``install(Vue)`` that
    receives the class as a parameter is not an import and is left out."""
    found: list[PrototypeStore] = []
    if b".prototype." not in model.source.data:
        return found  # each store's target spells it (the test on ``text(left)`` below)
    for assignment in model.assignments:
        if assignment.type != "assignment_expression":
            continue
        # The shape first, the function around it after: most assignments store no name.
        right = unwrap(assignment.child_by_field_name("right"))
        if right is None or right.type != "identifier":
            continue
        left = unwrap(assignment.child_by_field_name("left"))
        if left is None or left.type != "member_expression" or ".prototype." not in text(left):
            continue
        function = model.enclosing_function(assignment)
        if function is None or function.repetition is Repetition.ONCE:
            continue
        root: Node | None = left
        while root is not None and root.type == "member_expression":
            root = unwrap(root.child_by_field_name("object"))
        owner = model.binding_of(root) if root is not None and root.type == "identifier" else None
        if owner is None or owner.module_source is None:
            continue
        value = model.binding_of(right)
        if value is None or value not in function.params or value.is_reassigned:
            continue
        found.append(PrototypeStore(assignment, text(left), value, function))
    return found
