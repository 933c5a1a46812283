"""What an expression creates or denotes: collections, constants, and where a value comes from.

Shared vocabulary for rules that reason about values rather than about names:
``collection_kind`` recognises the containers that can grow (``new Map()``, ``[]``, ``{}``),
``is_constant`` decides whether a key is one fixed value for the life of the process, and
``describe_origin`` explains, for a message, where a per-call value comes from (a request
parameter, a function argument, a local computed per call).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from nodeleaklint.parsing import Node
from nodeleaklint.records import record
from nodeleaklint.semantics.lifetimes import REQUEST_NAMES, is_per_event_function
from nodeleaklint.semantics.repetition import has_handler_params
from nodeleaklint.semantics.scopes import Binding, BindingKind, FunctionInfo
from nodeleaklint.semantics.syntax import (
    call_arguments,
    callee_parts,
    root_object,
    short,
    string_value,
    text,
    unwrap,
)

if TYPE_CHECKING:
    from nodeleaklint.semantics.model import SemanticModel

# Constructors whose instances grow without bound unless something removes entries.
COLLECTION_CONSTRUCTORS = {"Map": "Map", "Set": "Set", "Array": "array", "Object": "object"}
# Weakly-held containers: their entries die with their keys, never a leak.
WEAK_CONSTRUCTORS = frozenset({"WeakMap", "WeakSet", "WeakRef"})
_LITERAL_KINDS = frozenset({"number", "true", "false", "null", "undefined", "regex"})
_CONSTANT_GLOBALS = frozenset({"undefined", "NaN", "Infinity"})
_CHANGING_PROPERTIES = frozenset({"length", "size"})
# Parameter names that carry the incoming request (or a context wrapping it) in a handler.
_REQUEST_PARAM_NAMES = REQUEST_NAMES | frozenset({"ctx", "context", "event", "msg", "message"})


def collection_kind(node: Node | None) -> str | None:
    """``"Map"``, ``"Set"``, ``"array"`` or ``"object"`` when ``node`` creates a growable container.

    Recognised: ``new Map()`` / ``new Set()`` (type arguments and initial entries allowed),
    ``new Array()``, array literals, the empty object literal ``{}``, ``new Object()`` and
    ``Object.create(null)``. Weak containers and anything else give None.
    """
    node = unwrap(node)
    if node is None:
        return None
    kind = node.type
    if kind == "array":
        return "array"
    if kind == "object":
        return "object" if not node.named_children else None
    if kind == "new_expression":
        obj, name = callee_parts(node)
        if obj is None and name in COLLECTION_CONSTRUCTORS:
            return COLLECTION_CONSTRUCTORS[name]
        return None
    if kind == "call_expression":
        obj, name = callee_parts(node)
        args = call_arguments(node)
        if (
            name == "create"
            and text(obj) == "Object"
            and len(args) == 1
            and unwrap(args[0]) is not None
            and text(unwrap(args[0])) == "null"
        ):
            return "object"
    return None


def is_constant(model: SemanticModel, node: Node | None) -> bool:
    """Whether ``node`` denotes one fixed value however often the code around it runs.

    Literals (strings without substitutions, numbers, booleans, ``null``), module-level
    bindings that are never reassigned (imports, constants, functions, classes: one value for
    the life of the process), local ``const`` bindings initialised with a constant, and member
    chains rooted at one of those (``Kind.Ready``, ``Symbol.iterator``).
    """
    node = unwrap(node)
    if node is None:
        return False
    kind = node.type
    if kind in _LITERAL_KINDS:
        return True
    if kind in ("string", "template_string"):
        return not any(child.type == "template_substitution" for child in node.named_children)
    if kind == "unary_expression":
        return is_constant(model, node.child_by_field_name("argument"))
    if kind == "identifier":
        binding = model.binding_of(node)
        if binding is None:
            return text(node) in _CONSTANT_GLOBALS
        if binding.kind is BindingKind.PARAM and not binding.is_reassigned:
            return _element_of_literal_list(model, binding)
        if binding.is_reassigned or binding.kind is BindingKind.CATCH:
            return False
        if binding.is_module_level:
            return True
        return (
            binding.kind is BindingKind.CONST
            and not binding.destructured
            and binding.init is not None
            and binding.init.id != node.id
            and _is_literal(binding.init)
        )
    if kind == "member_expression":
        if text(node.child_by_field_name("property")) in _CHANGING_PROPERTIES:
            return False  # ``list.length`` moves as the list grows
        root = root_object(node)
        if root is None or root.type != "identifier" or _has_call(node):
            return False
        binding = model.binding_of(root)
        if binding is None:
            return text(root) in ("Symbol", "Number", "Math")
        return binding.is_module_level and not binding.is_reassigned
    return False


# Array methods whose callback gets each element as its first argument.
_ELEMENT_CALLBACKS = frozenset({"forEach", "map", "flatMap", "filter", "some", "every", "find"})


def _element_of_literal_list(model: SemanticModel, param: Binding) -> bool:
    """``['a', 'b'].forEach((name) => …)``: the element parameter of a callback iterating a
    literal list of constants (inline, or a ``const`` bound to one) takes only those values."""
    function = param.function
    if function is None or param.destructured or not function.params:
        return False
    call = function.callback_of
    if function.params[0] is not param or call is None or function.argument_index != 0:
        return False
    if call.name not in _ELEMENT_CALLBACKS or call.is_new:
        return False
    items = unwrap(call.obj)
    if items is not None and items.type == "identifier":
        binding = model.binding_of(items)
        if binding is None or binding.kind is not BindingKind.CONST or binding.is_reassigned:
            return False
        items = unwrap(binding.init)
    if items is None or items.type != "array":
        return False
    return all(_is_literal(element) for element in items.named_children)


def _is_literal(node: Node | None) -> bool:
    node = unwrap(node)
    if node is None:
        return False
    if node.type in _LITERAL_KINDS:
        return True
    if node.type in ("string", "template_string"):
        return not any(child.type == "template_substitution" for child in node.named_children)
    return node.type == "unary_expression" and _is_literal(node.child_by_field_name("argument"))


def _has_call(node: Node) -> bool:
    current: Node | None = node
    while current is not None and current.type in ("member_expression", "subscript_expression"):
        if current.type == "subscript_expression":
            return True
        current = unwrap(current.child_by_field_name("object"))
    return current is not None and current.type != "identifier"


def describe_origin(model: SemanticModel, node: Node | None) -> str:
    """Where the value of ``node`` comes from, for a message.

    ``the request parameter `req.params.id```, ``the argument `key` of `remember```,
    ``the per-call local `user```, ``a value computed per call (`String(n)`)``.
    """
    return _origin(model, node).words


@record
class _Origin:
    """Where a value comes from in words, and whether those words tell more than the value's
    code does (a request parameter, a per-event argument, a string built per call): such
    words are worth adding after the name of a local that holds the value. Quoted code,
    constants, computed values and instance or module state are not."""

    words: str
    telling: bool


def _origin(model: SemanticModel, node: Node | None) -> _Origin:
    node = unwrap(node)
    if node is None:
        return _Origin("a value", False)
    shown = short(text(node))
    if is_constant(model, node):
        return _Origin(f"the constant `{shown}`", False)
    kind = node.type
    if kind == "this":
        return _Origin("the instance itself (`this`)", True)
    if kind in ("call_expression", "new_expression", "await_expression", "binary_expression"):
        return _Origin(f"a value computed per call (`{shown}`)", False)
    if kind == "template_string":
        return _Origin(f"a string built per call (`{shown}`)", True)
    if kind in ("object", "array", "arrow_function", "function_expression"):
        made = "function" if "function" in kind else kind
        return _Origin(f"a new {made} created per call (`{shown}`)", True)
    root = root_object(node)
    if root is None or root.type not in ("identifier", "this"):
        return _Origin(f"`{shown}`", False)
    if root.type == "this":
        return _Origin(f"`{shown}`, state of the instance", False)
    binding = model.binding_of(root)
    if binding is None:
        return _Origin(f"`{shown}`", False)
    if binding.kind is BindingKind.PARAM:
        return _param_origin(model, binding, node, root)
    name = text(root)
    whole = root.id == node.id
    if binding.is_module_level:
        return _Origin(f"`{shown}`, module-level state", False)
    if whole and binding.init is not None and not binding.destructured:
        inner = _origin(model, binding.init)
        if inner.telling:
            return _Origin(f"the local `{name}` ({inner.words})", True)
    return _part_of(shown, whole, "per-call local", name)


def _param_origin(model: SemanticModel, binding: Binding, node: Node, root: Node) -> _Origin:
    """A value read from a parameter: the request of a handler, an element of a list, a
    per-event argument, or an argument of a function."""
    shown = short(text(node))
    name = text(root)
    whole = root.id == node.id
    function = binding.function
    if function is not None and has_handler_params(function) and name in _REQUEST_PARAM_NAMES:
        return _Origin(f"the request parameter `{shown}`", True)
    call = function.callback_of if function is not None else None
    if call is not None and call.name in _ELEMENT_CALLBACKS and not call.is_new:
        items = short(text(call.obj), 40) if call.obj is not None else "a list"
        return _part_of(shown, whole, "element", name, f" of `{items}`")
    if function is not None and function.callback_of is not None:
        return _part_of(shown, whole, "per-event argument", name)
    if (
        function is not None
        and function.binding is not None
        and is_per_event_function(model, function)
    ):
        return _part_of(shown, whole, "per-event argument", name, f" of {function.display()}")
    where = function.display() if function is not None else "its function"
    return _part_of(shown, whole, "argument", name, f" of {where}")


def _part_of(shown: str, whole: bool, what: str, name: str, of: str = "") -> _Origin:
    """``the argument `key` of `f``` for the whole value; ``{shown}`, from the argument
    `opts` of `f``` for a part of it, whose words start with its code."""
    if whole:
        return _Origin(f"the {what} `{shown}`{of}", True)
    return _Origin(f"`{shown}`, from the {what} `{name}`{of}", False)


# -- configuration evidence ------------------------------------------------------------------
_FUNCTION_LITERALS = frozenset(
    {"function_expression", "arrow_function", "function", "generator_function", "class"}
)
_FUNCTION_CHECKS = frozenset({"func", "isFunction", "assertFunction", "function"})


def is_callable_value(model: SemanticModel, node: Node | None) -> bool:
    """Whether the value stored is code rather than per-call data (SPEC §1 *Key cardinality*:
    a function, class or RegExp passed as the value is a sign of configuration).

    Function and class literals, ``f.bind(…)`` results, RegExps, and a name that the code
    around it treats as a function: calls it, binds it, tests ``typeof x === 'function'``, or
    asserts it with ``assert.func(x)``.
    """
    node = unwrap(node)
    if node is None:
        return False
    kind = node.type
    if kind in _FUNCTION_LITERALS or kind == "regex":
        return True
    if kind == "new_expression":
        return text(node.child_by_field_name("constructor")) == "RegExp"
    if kind == "call_expression":
        _obj, name = callee_parts(node)
        # ``f.bind(…)``, or a wrapper of a value that is itself a function (``promisify(fn)``)
        return name == "bind" or any(is_callable_value(model, a) for a in call_arguments(node))
    if kind not in ("identifier", "subscript_expression", "member_expression"):
        return False
    function = model.enclosing_function(node)
    if function is None:
        return False
    wanted = text(node)
    for call in function.calls:
        callee = unwrap(call.callee)
        if callee is not None and text(callee) == wanted:
            return True  # called: ``fn(…)``
        obj = unwrap(call.obj)
        if obj is not None and text(obj) == wanted and call.name in ("bind", "call", "apply"):
            return True
        if call.name in _FUNCTION_CHECKS and any(text(unwrap(a)) == wanted for a in call.args):
            return True
    body = function.body
    source = text(body) if body is not None else ""
    return f"typeof {wanted} === 'function'" in source or (
        f'typeof {wanted} === "function"' in source
    )


def invokes_elements(model: SemanticModel, reads: list[Node]) -> bool:
    """Whether elements read from a collection are called: ``table[k](…)``,
    ``table.get(k)(…)``, or ``const fn = table[k] || table['*']; fn.apply(…)`` — a dispatch
    table of handlers, filled by configuration, not by traffic."""
    for read in reads:
        position = read
        parent = position.parent
        while parent is not None and parent.type in _VALUE_WRAPPERS:
            position, parent = parent, parent.parent
        if parent is None:
            continue
        if _is_invoked(position):
            return True
        target: Node | None = None
        if parent.type == "variable_declarator" and parent.child_by_field_name("value") == position:
            target = parent.child_by_field_name("name")
        elif (
            parent.type == "assignment_expression"
            and parent.child_by_field_name("right") == position
        ):
            target = unwrap(parent.child_by_field_name("left"))
        binding = (
            model.binding_of(target) if target is not None and target.type == "identifier" else None
        )
        if binding is not None and any(_is_invoked(ref) for ref in binding.references):
            return True
    return False


_VALUE_WRAPPERS = frozenset(
    {"parenthesized_expression", "binary_expression", "ternary_expression", "await_expression"}
)


def _is_invoked(node: Node) -> bool:
    """``node(…)``, ``node.call(…)``, ``node.apply(…)``."""
    parent = node.parent
    if parent is None:
        return False
    if parent.type == "call_expression" and parent.child_by_field_name("function") == node:
        return True
    if parent.type == "member_expression" and parent.child_by_field_name("object") == node:
        grand = parent.parent
        return (
            text(parent.child_by_field_name("property")) in ("call", "apply")
            and grand is not None
            and grand.type == "call_expression"
        )
    return False


def same_each_run(model: SemanticModel, node: Node | None) -> str | None:
    """``hooks.callAll('ccRegisterBlockElements').forEach((name) => set.add(name))``: the
    element parameter of a callback iterating what a call returns when that call is given only
    constants. Nothing per request or per event reaches it, so every run yields the same
    values, and a Set or Map keyed by them stops growing after the first run (SPEC §1 *Key
    cardinality*: bounded). Returns the iterated call's text, else None."""
    node = unwrap(node)
    binding = model.binding_of(node) if node is not None and node.type == "identifier" else None
    if binding is None or binding.kind is not BindingKind.PARAM or binding.destructured:
        return None
    function = binding.function
    call = function.callback_of if function is not None else None
    if function is None or call is None or call.is_new or function.params[0] is not binding:
        return None
    if call.name not in _ELEMENT_CALLBACKS or function.argument_index != 0:
        return None
    items = unwrap(call.obj)
    if items is None or items.type != "call_expression":
        return None
    _obj, name = callee_parts(items)
    arguments = call_arguments(items)
    if not arguments or name in _FRESH_CALLS or not all(is_constant(model, a) for a in arguments):
        return None
    return short(text(items))


# -- key cardinality (SPEC §1) ----------------------------------------------------------------
# Values new for every request, connection or call: strong evidence that keys never repeat.
_FRESH_WORDS = frozenset(
    {
        "uuid",
        "guid",
        "token",
        "url",
        "originalurl",
        "ip",
        "remoteaddress",
        "remoteport",
        "origin",
        "nonce",
        "timestamp",
        "requestid",
        "reqid",
        "correlationid",
        "sessionid",
        "socketid",
        "connectionid",
        "msgid",
        "messageid",
        "callbackid",
    }
)
_FRESH_CALLS = frozenset(
    {"randomUUID", "uuid", "v4", "v1", "v7", "uuidv4", "nanoid", "now", "randomBytes", "ulid"}
)
_ID_GENERATOR = re.compile(
    r"(next|new|gen|generate|create|get|make|alloc)_?(request_?|req_?|msg_?|message_?|call_?)?id$",
    re.IGNORECASE,
)
_MAX_KEY_DEPTH = 4


def _fresh_word(name: str) -> bool:
    return name.lstrip("_#").lower().replace("_", "") in _FRESH_WORDS


def unbounded_key(model: SemanticModel, node: Node | None, depth: int = 0) -> str | None:
    """Why a key takes a new value on every call — a counter, a generated id, a UUID, a
    timestamp, a request's URL or a peer's address — or None when nothing shows it. Evidence
    for NLL301 (SPEC §1 *Key cardinality*). An entity's own ``.id`` is not enough: the set of
    users, devices or nodes a process sees is often bounded by its configuration."""
    node = unwrap(node)
    if node is None or depth > _MAX_KEY_DEPTH:
        return None
    kind = node.type
    if kind == "update_expression":
        return "a counter"
    if kind == "call_expression":
        _obj, name = callee_parts(node)
        if name in _FRESH_CALLS or _ID_GENERATOR.search(name or ""):
            return "a fresh value per call"
        return _built_key(model, node, depth)
    if kind in ("template_string", "binary_expression"):
        parts = (
            [
                inner
                for child in node.named_children
                if child.type == "template_substitution"
                for inner in child.named_children
            ]
            if kind == "template_string"
            else [node.child_by_field_name("left"), node.child_by_field_name("right")]
        )
        found = (unbounded_key(model, part, depth + 1) for part in parts)
        return next((why for why in found if why is not None), None)
    if kind in ("member_expression", "subscript_expression"):
        prop = node.child_by_field_name("property") or node.child_by_field_name("index")
        name = (
            (string_value(prop) or "") if prop is not None and prop.type == "string" else text(prop)
        )
        return "a value new per request or peer" if name and _fresh_word(name) else None
    if kind == "identifier":
        binding = model.binding_of(node)
        reason: str | None = None
        if binding is not None and not binding.destructured:
            if binding.kind is BindingKind.PARAM:
                reason = _unbounded_argument(model, binding, depth)
            elif binding.init is not None and not binding.is_reassigned:
                reason = unbounded_key(model, binding.init, depth + 1)
        if reason is None and _fresh_word(text(node)):
            reason = "a value new per request or peer"
        return reason
    return None


# What a key-building helper returns: a string put together from its arguments.
_KEY_BUILDERS = frozenset({"template_string", "binary_expression"})


def _built_key(model: SemanticModel, call: Node, depth: int) -> str | None:
    """``this.leaseKey(tenantId, sessionId)`` where the helper (a function or method of this
    file) returns a string built from its parameters: the key is as new per call as the
    arguments it is built from."""
    helper = _called_function(model, call)
    body = helper.body if helper is not None else None
    if body is None:
        return None
    returned = body if body.type != "statement_block" else None
    if returned is None:
        statements = [c for c in body.named_children if c.type != "comment"]
        if len(statements) != 1 or statements[0].type != "return_statement":
            return None
        returned = statements[0].named_children[0] if statements[0].named_children else None
    returned = unwrap(returned)
    if returned is None or returned.type not in _KEY_BUILDERS:
        return None
    for argument in call_arguments(call):
        why = unbounded_key(model, argument, depth + 1)
        if why is not None:
            return why
    return None


def _called_function(model: SemanticModel, call: Node) -> FunctionInfo | None:
    """The function of this file a call runs: ``helper(…)`` or ``this.method(…)`` of the
    class the call sits in."""
    obj, name = callee_parts(call)
    if obj is None:
        callee = unwrap(call.child_by_field_name("function"))
        binding = model.binding_of(callee) if callee is not None else None
        declaration = binding.node.parent if binding is not None else None
        init = unwrap(binding.init) if binding is not None else None
        for node in (init, declaration):
            function = model.function_at(node) if node is not None else None
            if function is not None:
                return function
        return None
    if obj.type != "this":
        return None
    caller = model.this_function(call)
    info = model.class_info(caller.class_node) if caller is not None else None
    methods = info.methods.get(name, []) if info is not None else []
    return methods[0] if len(methods) == 1 else None


def _unbounded_argument(model: SemanticModel, binding: Binding, depth: int) -> str | None:
    function = binding.function
    if function is None or binding not in function.params:
        return None
    index = function.params.index(binding)
    for site in model.call_sites_of(function) or ():
        if index < len(site.args):
            reason = unbounded_key(model, site.args[index], depth + 1)
            if reason is not None:
                return reason
    return None


# -- growth by self-reassignment -------------------------------------------------------------
@record
class SelfRewrite:
    """``x = [...x, v]``, ``x = { ...x, [k]: v }``: a collection rebuilt from itself.
    ``added`` is the element or key it adds, None when it only rewrites constant keys."""

    added: Node | None


def self_rewrite(
    model: SemanticModel, target: Node | None, value: Node | None
) -> SelfRewrite | None:
    """Whether ``target = value`` rebuilds a collection from itself, and what it adds.

    ``x = [...x, v]`` / ``[v, ...x]`` and ``x = x.concat(v)`` add ``v``;
    ``x = { ...x, [k]: v }``, ``x = Object.assign({}, x, { [k]: v })`` and
    ``x = assoc(k, v, x)`` add the key ``k`` (growth, SPEC §1, when the code repeats). A
    rewrite with constant keys only (``{ ...x, ready: true }``) adds nothing: it updates a
    fixed set of properties (``added`` is None). Anything else — a filtered or sliced copy,
    a fresh collection — is a real reassignment and gives None."""
    target, value = unwrap(target), unwrap(value)
    if target is None or value is None:
        return None
    wanted = text(target)
    kind = value.type
    if kind == "array":
        elements = value.named_children
        if not any(_spreads(e, wanted) for e in elements):
            return None
        added = [e for e in elements if e.type not in ("spread_element", "comment")]
        return SelfRewrite(added[0]) if added else None
    if kind == "object":
        return _object_rewrite(model, [value], wanted)
    if kind != "call_expression":
        return None
    obj, name = callee_parts(value)
    args = call_arguments(value)
    if name == "concat" and text(unwrap(obj)) == wanted and args:
        return SelfRewrite(args[0])
    if name in _ASSOC and len(args) == 3 and text(unwrap(args[2])) == wanted:
        key = args[0]  # ``x = assoc(k, v, x)`` (Ramda): a copy of ``x`` with ``k`` set
        return SelfRewrite(None if is_constant(model, key) else key)
    if name == "assign" and text(obj) == "Object" and len(args) >= 3:
        first = unwrap(args[0])
        if first is None or first.type != "object" or first.named_children:
            return None  # ``Object.assign(x, …)`` writes into ``x`` itself, not a rewrite
        if text(unwrap(args[1])) != wanted:
            return None
        return _object_rewrite(model, args[2:], None)
    return None


# Immutable "set a key" helpers whose last argument is the object copied (Ramda, lodash/fp).
_ASSOC = frozenset({"assoc", "assocPath"})


def _spreads(element: Node, wanted: str) -> bool:
    return element.type == "spread_element" and any(
        text(unwrap(child)) == wanted for child in element.named_children
    )


def _object_rewrite(
    model: SemanticModel, objects: list[Node], wanted: str | None
) -> SelfRewrite | None:
    """The first non-constant computed key the object literals add, when one of them spreads
    ``wanted`` (or ``wanted`` is None: the spread happened outside them)."""
    spread = wanted is None
    added: Node | None = None
    for item in objects:
        literal = unwrap(item)
        if literal is None or literal.type != "object":
            return None
        for member in literal.named_children:
            if member.type == "spread_element":
                spread = spread or (wanted is not None and _spreads(member, wanted))
                continue
            key = member.child_by_field_name("key") if member.type == "pair" else None
            if added is None and key is not None and key.type == "computed_property_name":
                inner = key.named_children[0] if key.named_children else None
                if not is_constant(model, inner):
                    added = inner
    return SelfRewrite(added) if spread else None
