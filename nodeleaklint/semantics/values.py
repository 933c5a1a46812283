"""What an expression creates or denotes: collections, constants, and where a value comes from.

Shared vocabulary for rules that reason about values rather than about names:
``collection_kind`` recognises the containers that can grow (``new Map()``, ``[]``, ``{}``),
``is_constant`` decides whether a key is one fixed value for the life of the process, and
``describe_origin`` explains, for a message, where a per-call value comes from (a request
parameter, a function argument, a local computed per call).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from nodeleaklint.parsing import Node
from nodeleaklint.records import record
from nodeleaklint.semantics.lifetimes import REQUEST_NAMES, is_per_event_function
from nodeleaklint.semantics.locations import same_node, value_binding
from nodeleaklint.semantics.repetition import framework_row, has_handler_params, is_registration
from nodeleaklint.semantics.scopes import Binding, BindingKind, CallSite, FunctionInfo
from nodeleaklint.semantics.syntax import (
    FUNCTION_KINDS,
    TRANSPARENT_KINDS,
    ancestors,
    assigned_value,
    call_arguments,
    callee_parts,
    is_inside,
    outer,
    root_object,
    short,
    string_value,
    text,
    unwrap,
)
from nodeleaklint.semantics.vocabulary import (
    EVENT_LISTEN_METHODS,
    EVENTS_MODULES,
    SHRINK_METHODS,
    VALUE_CONVERSION_FUNCTIONS,
    VALUE_CONVERSION_METHODS,
)

if TYPE_CHECKING:
    from nodeleaklint.semantics.classes import ClassInfo
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


def made_by_other_class(model: SemanticModel, receiver: Node | None) -> bool:
    """The receiver is a variable made by ``new`` of a class that is no collection, weak or
    not (``const queue = new AwaitQueue()``): its ``push`` / ``add`` / ``set`` is that class's
    own method, which may run the task and drop it, not a Map's, Set's or array's."""
    binding = value_binding(model, receiver)
    if binding is None or binding.destructured:
        return False
    made = unwrap(binding.init)
    if made is None or made.type != "new_expression" or collection_kind(made) is not None:
        return False
    return callee_parts(made)[1] not in ("WeakMap", "WeakSet")


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


def literal_strings(model: SemanticModel, node: Node | None) -> frozenset[str] | None:
    """The strings a name can hold when it walks a literal list of them and nothing else:
    ``for (const field of ['_a', '_b'] as const) clearInterval(this[field])`` gives
    ``{'_a', '_b'}`` (also through a ``const`` bound to the list, and the element parameter of
    ``[…].forEach((field) => …)``). None for anything else."""
    node = unwrap(node)
    if node is None or node.type != "identifier":
        return None
    binding = model.binding_of(node)
    if binding is None or binding.is_reassigned:
        return None
    items: Node | None = None
    loop = binding.node.parent
    if (
        loop is not None
        and loop.type == "for_in_statement"
        and text(loop.child_by_field_name("operator")) == "of"
        and same_node(loop.child_by_field_name("left"), binding.node)
    ):
        items = loop.child_by_field_name("right")
    elif binding.kind is BindingKind.PARAM and _element_of_literal_list(model, binding):
        function = binding.function
        call = function.callback_of if function is not None else None
        items = call.obj if call is not None else None
    return _strings_of_list(model, items)


def _strings_of_list(model: SemanticModel, items: Node | None) -> frozenset[str] | None:
    items = unwrap(items)
    if items is not None and items.type == "identifier":
        binding = model.binding_of(items)
        if binding is None or binding.kind is not BindingKind.CONST or binding.is_reassigned:
            return None
        items = unwrap(binding.init)
    if items is None or items.type != "array" or not items.named_children:
        return None
    found: set[str] = set()
    for element in items.named_children:
        value = string_value(element) if _is_literal(element) else None
        if value is None:
            return None
        found.add(value)
    return frozenset(found)


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
    {
        "randomUUID",
        "uuid",
        "v4",
        "v1",
        "v7",
        "uuidv4",
        "nanoid",
        "now",
        "randomBytes",
        "ulid",
        "hat",
    }
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
        converted = _converted(node)
        if converted is not None:  # ``String(this.seq++)``: as new as what it converts
            return unbounded_key(model, converted, depth + 1)
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
        if name and _fresh_word(name):
            return "a value new per request or peer"
        return "a counter" if _stepped_before(model, node) else None
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


def _stepped_before(model: SemanticModel, field: Node) -> bool:
    """``++this.seq; const id = this.seq``: a field of ``this`` read after a statement of the
    same function stepped it (``++`` / ``--`` / ``+= n``), earlier in a block around the read:
    the value read is a counter's, new on every call."""
    if field.type != "member_expression" or not model.is_this(field.child_by_field_name("object")):
        return False
    function = model.enclosing_function(field)
    if function is None:
        return False
    wanted = text(field.child_by_field_name("property"))
    block = field.parent
    while block is not None and block.id != function.node.id:
        if block.type == "statement_block":
            for statement in block.named_children:
                if statement.start_byte >= field.start_byte:
                    break
                if _steps_field(model, statement, wanted):
                    return True
        block = block.parent
    return False


def _steps_field(model: SemanticModel, statement: Node, wanted: str) -> bool:
    """``++this.wanted;`` / ``this.wanted += 1;`` as a statement of its own."""
    step = unwrap(statement.named_children[0]) if statement.named_children else None
    if statement.type != "expression_statement" or step is None:
        return False
    target = None
    if step.type == "update_expression":
        target = unwrap(step.child_by_field_name("argument"))
    elif step.type == "augmented_assignment_expression" and text(
        step.child_by_field_name("operator")
    ) in ("+=", "-="):
        target = unwrap(step.child_by_field_name("left"))
    return (
        target is not None
        and target.type == "member_expression"
        and model.is_this(target.child_by_field_name("object"))
        and text(target.child_by_field_name("property")) == wanted
    )


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


def called_function(model: SemanticModel, call: Node) -> FunctionInfo | None:
    """The function of this file a call runs (see ``_called_function``)."""
    return _called_function(model, call)


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


def shrinks_argument(model: SemanticModel, call: Node, index: int, depth: int = 0) -> Node | None:
    """The shrink (``registry.delete(key)``, ``delete table[key]``, ``list.splice(…)``) that
    the function of this file ``call`` runs applies to the parameter its argument ``index``
    reaches (arguments reach parameters: a collection handed to a helper that deletes from
    it is shrunk there, or in a helper it hands the parameter on to, two calls deep). None
    when the call runs no such function, or it never shrinks it."""
    function = _called_function(model, call)
    if function is None or index >= len(function.params):
        return None
    param = function.params[index]
    if param.destructured or param.is_reassigned:
        return None
    for reference in param.references:
        position = outer(reference)
        parent = position.parent
        if parent is None:
            continue
        if parent.type == "member_expression" and parent.child_by_field_name("object") == position:
            user = outer(parent).parent
            if (
                user is not None
                and user.type == "call_expression"
                and user.child_by_field_name("function") == outer(parent)
                and text(parent.child_by_field_name("property")) in SHRINK_METHODS
            ):
                return user
        if (
            parent.type == "subscript_expression"
            and parent.child_by_field_name("object") == position
        ):
            user = outer(parent).parent
            if (
                user is not None
                and user.type == "unary_expression"
                and text(user.child_by_field_name("operator")) == "delete"
            ):
                return user
        if parent.type == "arguments" and parent.parent is not None and depth < 2:
            passed = call_arguments(parent.parent)
            at = next((i for i, arg in enumerate(passed) if outer(arg).id == position.id), -1)
            found = shrinks_argument(model, parent.parent, at, depth + 1) if at >= 0 else None
            if found is not None:
                return found  # handed on to a helper that deletes from it
    return None


def _unbounded_argument(model: SemanticModel, binding: Binding, depth: int) -> str | None:
    function = binding.function
    if function is None or binding not in function.params:
        return None
    index = function.params.index(binding)
    sites = model.call_sites_of(function)
    if sites is None and function.binding is None and function.class_node is not None:
        # A method: its callers out of view may pass anything, so every ``this.m(…)`` call
        # in its class must pass a new value (``this._register(this.ids++, ack)``).
        name = function.name
        calls = [
            c
            for c in (model.calls_named(name) if name else [])
            if not c.is_new and _called_function(model, c.node) is function
        ]
        reasons = [
            unbounded_key(model, c.args[index], depth + 1) if index < len(c.args) else None
            for c in calls
        ]
        return reasons[0] if reasons and all(reasons) else None
    for site in sites or ():
        if index < len(site.args):
            reason = unbounded_key(model, site.args[index], depth + 1)
            if reason is not None:
                return reason
    return None


# -- key origin: new per call, bounded, or unknown (SPEC §1 *Key cardinality*) ---------------
class KeyKind(enum.Enum):
    """How many distinct values a key (or a Set's member) takes over the life of the process."""

    NEW = "new per call"  # made in the repeating run: request data, a counter, a fresh object
    BOUNDED = "bounded"  # a constant, an element of a fixed list, the same on every run
    UNKNOWN = "unknown"  # nothing in view says: an argument of unseen callers, module state


@record
class KeyOrigin:
    """A key's kind and why, in a few words for a message (``a request's data``)."""

    kind: KeyKind
    why: str
    # Bounded because every caller of the function whose parameter the key is, in this
    # file and, with the project view, in the others, passes one fixed value there.
    passed: bool = False

    @property
    def is_new(self) -> bool:
        return self.kind is KeyKind.NEW

    @property
    def bounded(self) -> bool:
        return self.kind is KeyKind.BOUNDED


_UNKNOWN = KeyOrigin(KeyKind.UNKNOWN, "")  # nothing worth saying
_CONSTANT = KeyOrigin(KeyKind.BOUNDED, "a constant")
_REQUEST_DATA = KeyOrigin(KeyKind.NEW, "data of each request or event")
_FRESH_OBJECT = KeyOrigin(KeyKind.NEW, "a new object made per call")
_CASE_LABEL = KeyOrigin(KeyKind.BOUNDED, "one of the literal `case` labels it is tested by")
_MAX_ORIGIN_DEPTH = 8
# Operators whose result is a boolean: two values at most.
_BOOLEAN_OPERATORS = frozenset({"==", "===", "!=", "!==", "<", ">", "<=", ">=", "instanceof", "in"})
_UNBOUNDED_SHAPES = frozenset(
    {"update_expression", "call_expression", "member_expression", "subscript_expression"}
)
_FRESH_KINDS = frozenset(
    {"object", "array", "arrow_function", "function_expression", "new_expression", "class"}
)


def key_origin(model: SemanticModel, node: Node | None) -> KeyOrigin:
    """Whether a key (or the value ``.add`` puts in a Set) is new per call, bounded, or unknown.

    New per call: a counter, a generated id, a timestamp, a fresh object, and the data a
    request or an external event brings (a parameter of a request handler or of a listener,
    and parts, elements and conversions of it). Arguments reach parameters: a function whose
    callers are in view takes its key from what they pass (one caller passing new values is
    enough); a listener of the project's own emitter takes it from that emitter's ``emit``
    calls in view, and is unknown when they are elsewhere (the payload is whatever that code
    passes, not outside data). Bounded: constants, elements of literal lists, values the same
    on every run. Anything else — module or instance state, a lookup's result, an argument of
    callers out of view — is unknown (SPEC §1 *Key cardinality*)."""
    return _OriginWalk(model).of(node, 0)


# The part of a value a walk asks about: None for the value itself, a property name for
# ``value.name``, "" for an element or a part whose name is not known.
Part = str | None


class _OriginWalk:
    """One question "where does this key come from", followed through locals, parameters,
    callers and emitters (each parameter visited once: recursion and cycles end)."""

    def __init__(self, model: SemanticModel) -> None:
        self.model = model
        self.seen: set[tuple[int, Part]] = set()
        self.has_switch = b"switch" in model.source.data  # ``_narrowed_to_labels`` needs one

    def of(self, node: Node | None, depth: int, part: Part = None) -> KeyOrigin:
        """The origin of ``node``'s value, or of its ``part``."""
        node = unwrap(node)
        if node is None or depth > _MAX_ORIGIN_DEPTH:
            return _UNKNOWN
        model = self.model
        if is_constant(model, node):
            return _CONSTANT
        # a counter, a generated id, a request's URL or peer address (a name alone is no
        # evidence: names are followed to their values below)
        fresh = unbounded_key(model, node) if node.type in _UNBOUNDED_SHAPES else None
        if fresh is not None:
            return KeyOrigin(KeyKind.NEW, fresh)
        if part is None and same_each_run(model, node) is not None:
            return KeyOrigin(KeyKind.BOUNDED, "an element of a list that is the same on every run")
        kind = node.type
        deeper = depth + 1
        if kind == "object" and part:
            value = _literal_property(node, part)
            return self.of(value, deeper) if value is not None else _UNKNOWN
        if kind == "array" and part == "" and all(_is_literal(e) for e in node.named_children):
            return KeyOrigin(KeyKind.BOUNDED, "an element of a literal list")
        if kind in _FRESH_KINDS:
            # a new object is a new key; a part of it is whatever was put in it
            return _FRESH_OBJECT if part is None else _UNKNOWN
        if kind == "this":
            function = model.this_function(node)
            made = part is None and function is not None and function.method_kind == "constructor"
            return KeyOrigin(KeyKind.NEW, "the instance being constructed") if made else _UNKNOWN
        if kind == "await_expression":
            inner = node.named_children[0] if node.named_children else None
            return self.of(inner, deeper, part)
        if kind == "unary_expression":
            operator = text(node.child_by_field_name("operator"))
            if operator in ("!", "typeof", "void", "delete"):
                return KeyOrigin(KeyKind.BOUNDED, "a boolean or a type name")
            return self.of(node.child_by_field_name("argument"), deeper)
        if kind == "binary_expression":
            operator = text(node.child_by_field_name("operator"))
            if operator in _BOOLEAN_OPERATORS:
                return KeyOrigin(KeyKind.BOUNDED, "a boolean")
            # ``a || b`` is one of its sides (a part of it, a part of one of them); ``a + b``
            # is a new value made of both
            chosen = part if operator in ("||", "??", "&&") else None
            sides = [node.child_by_field_name("left"), node.child_by_field_name("right")]
            return _combined(self.of(side, deeper, chosen) for side in sides)
        if kind == "ternary_expression":
            branches = [
                node.child_by_field_name("consequence"),
                node.child_by_field_name("alternative"),
            ]
            return _combined(self.of(branch, deeper, part) for branch in branches)
        if kind == "template_string":
            parts = [
                inner
                for child in node.named_children
                if child.type == "template_substitution"
                for inner in child.named_children
            ]
            return _combined(self.of(inner, deeper) for inner in parts)
        if kind == "call_expression":
            converted = _converted(node)
            if converted is None:
                return KeyOrigin(KeyKind.UNKNOWN, f"what `{short(text(node), 40)}` returns")
            return self.of(converted, deeper, part)
        if kind in ("identifier", "member_expression", "subscript_expression"):
            if part is None and self.has_switch and _narrowed_to_labels(model, node):
                return _CASE_LABEL
            return self._read(node, deeper, part)
        return _UNKNOWN

    def _read(self, node: Node, depth: int, part: Part) -> KeyOrigin:
        """A name or a part of one: ``id``, ``req.params.id``, ``user.id``."""
        root = root_object(node)
        if root is None:
            return _UNKNOWN
        if root.id != node.id:
            part = _first_property(root)
        if root.type == "call_expression" and root.id != node.id:
            return self.of(root, depth, part)  # ``JSON.parse(line).id``
        if root.type != "identifier":
            if root.type == "this":
                return KeyOrigin(KeyKind.UNKNOWN, "state of the instance")
            return _UNKNOWN  # something computed
        binding = self.model.binding_of(root)
        if binding is None or binding.kind is BindingKind.CATCH:
            return _UNKNOWN
        if binding.kind is BindingKind.PARAM:
            return self._param(binding, depth, part)
        if root.id == node.id and self._counter(binding):
            return KeyOrigin(KeyKind.NEW, "a counter")
        if binding.is_module_level or binding.kind not in _LOCAL_KINDS:
            return KeyOrigin(KeyKind.UNKNOWN, "module-level state")
        declarator = binding.declarator
        if declarator is not None and declarator.type == "for_in_statement":
            return self.of(declarator.child_by_field_name("right"), depth, "")  # an element
        values = [binding.init, *(assigned_value(write) for write in binding.writes)]
        if binding.destructured:
            part = ""
        return _combined(self.of(value, depth, part) for value in values)

    def _counter(self, binding: Binding) -> bool:
        """A variable stepped (``n++``, ``n += 1``) by a function other than the one that
        declares it: a module-level or closure counter, new on every call (a loop index
        stepped where it is declared starts again at each call)."""
        model = self.model
        declared_in = model.enclosing_function(binding.node)
        return any(
            _counts(write) and model.enclosing_function(write) is not declared_in
            for write in binding.writes
        )

    def _param(self, binding: Binding, depth: int, part: Part) -> KeyOrigin:
        """A parameter's values: the elements of the list a callback iterates, the data of a
        request or an external event, or what the callers in view pass."""
        function = binding.function
        if binding.destructured:
            part = ""
        visit = (binding.node.id, part)
        if function is None or binding not in function.params or visit in self.seen:
            return _UNKNOWN
        self.seen.add(visit)
        index = function.params.index(binding)
        call = function.callback_of
        if call is not None and call.name in _ELEMENT_CALLBACKS and not call.is_new:
            if index != 0 or function.argument_index != 0:
                return _UNKNOWN  # the index, or the whole list
            return self.of(call.obj, depth + 1, "")
        if has_handler_params(function) or framework_row(function) is not None:
            return _REQUEST_DATA
        if call is not None:
            if not is_registration(call):
                # what an API hands its callback: a result, not traffic
                return KeyOrigin(KeyKind.UNKNOWN, f"what `{call.display(40)}` hands its callback")
            return self._listener(call, index, depth, part)
        return self._callers(function, index, depth, part)

    def _callers(self, function: FunctionInfo, index: int, depth: int, part: Part) -> KeyOrigin:
        """Arguments reach parameters: what the calls of the function in view pass (``f(…)``,
        ``this.m(…)`` in its class), and the data of the events it is registered for by name
        (``process.on('message', onMessage)``). One caller passing new values is enough;
        otherwise a function with callers out of view (exported, stored, a method) is
        unknown."""
        sites, complete, stored = self._uses(function)
        origins: list[KeyOrigin] = []
        for call, as_callback in sites:
            if as_callback:
                origins.append(self._listener(call, index, depth, part))
            elif index < len(call.args) and call.args[index].type != "spread_element":
                origins.append(self.of(call.args[index], depth + 1, part))
            else:
                origins.append(_UNKNOWN)
        fresh = next((origin for origin in origins if origin.is_new), None)
        if fresh is not None:
            return fresh
        if not complete:
            elsewhere = _passed_elsewhere(self.model, function, index, stored, len(sites))
            if elsewhere is not None and elsewhere.bounded:
                return _passed(_combined(iter([*origins, elsewhere])))
            if elsewhere is not None:
                return elsewhere  # a caller in another file passes something else: it says
        if not complete or not origins:
            where = f"the callers of {function.display()}, out of view"
            return KeyOrigin(KeyKind.UNKNOWN, where)
        return _passed(_combined(iter(origins)))

    def _uses(self, function: FunctionInfo) -> tuple[list[tuple[CallSite, bool]], bool, list[Node]]:
        """The calls and registrations of ``function`` in view, whether they are all its
        uses (a method, or an exported, stored or passed-on function, has others), and the
        references that are neither (stored, passed on, exported)."""
        model = self.model
        binding = function.binding
        if binding is None:
            name = function.name
            calls = model.calls_named(name) if name and function.class_node is not None else []
            found = [(c, False) for c in calls if _called_function(model, c.node) is function]
            # A private method (``private m()``, ``#m()``) has no callers but its class's:
            # complete when the file names it nowhere but in the calls found.
            complete = (
                name is not None
                and _private(function)
                and _named_at_most(model, name, len(found), function.class_node)
            )
            return found, complete, []
        sites: list[tuple[CallSite, bool]] = []
        stored: list[Node] = []
        complete = not (function.exported or binding.exported)
        for reference in binding.references:
            use = _function_use(model, reference)
            if use is None:
                complete = False  # stored or passed on
                stored.append(reference)
            else:
                sites.append(use)
        return sites, complete, stored

    def _listener(self, call: CallSite, index: int, depth: int, part: Part) -> KeyOrigin:
        """The ``index``-th argument a registered callback gets. A route's or an external
        emitter's (a socket, ``process``, a client) is the data of a request or event; a
        listener of the project's own emitter gets what its ``emit`` calls in view pass, and an
        unknown value when they are out of view."""
        model = self.model
        event = string_value(call.args[0]) if call.args else None
        if call.name not in EVENT_LISTEN_METHODS or event is None or call.obj is None:
            return _REQUEST_DATA
        emits = [
            emit
            for emit in model.calls_named("emit")
            if emit.args
            and string_value(emit.args[0]) == event
            and _emitted_by(model, emit, call.obj)
        ]
        if emits:
            passed = [
                emit.args[index + 1] if index + 1 < len(emit.args) else None for emit in emits
            ]
            return _combined(self.of(value, depth + 1, part) for value in passed)
        if _own_emitter(model, call.obj):
            return KeyOrigin(
                KeyKind.UNKNOWN,
                f"an argument of the project's own `{short(text(call.obj), 30)}` '{event}' event, "
                "with no `emit` of it in view",
            )
        return _REQUEST_DATA


_LOCAL_KINDS = frozenset({BindingKind.VAR, BindingKind.LET, BindingKind.CONST})
# Base classes that emit nothing by themselves: a subclass's events are its own.
_PLAIN_EMITTERS = frozenset({"EventEmitter", "EventTarget"})


def _narrowed_to_labels(model: SemanticModel, node: Node) -> bool:
    """``switch (msg.cmd) { case 'smtpReload': case 'imapReload': … msg.cmd … }``: read in a
    case of a switch on the same expression, where every label that leads there (its own and
    those that fall through into it, no ``default`` among them) is a literal, the value is one
    of those labels."""
    function = model.enclosing_function(node)
    start = function.node.start_byte if function is not None else 0
    if model.source.data.find(b"case", start, node.start_byte) < 0:
        return False  # no ``case`` label before it in its function: the common answer
    shown = text(node)
    for ancestor in ancestors(node):
        if ancestor.type in FUNCTION_KINDS:
            return False
        if ancestor.type != "switch_case":
            continue
        label = ancestor.child_by_field_name("value")
        body = ancestor.parent
        switch = body.parent if body is not None else None
        if label is None or is_inside(node, label) or switch is None:
            continue
        tested = unwrap(switch.child_by_field_name("value"))
        if tested is None or text(tested) != shown:
            continue
        for case in body.named_children if body is not None else ():
            if case.type == "switch_default":
                return False
            if case.type == "switch_case" and not _is_literal(case.child_by_field_name("value")):
                return False
            if case.id == ancestor.id:
                return True
        return False
    return False


def _counts(write: Node) -> bool:
    """``n++``, ``--n``, ``n += 1``: a write that steps a counter."""
    parent = outer(write).parent
    if parent is None:
        return False
    if parent.type == "update_expression":
        return True
    operator = parent.child_by_field_name("operator")
    return parent.type == "augmented_assignment_expression" and text(operator) in ("+=", "-=")


def _first_property(root: Node) -> str:
    """The property read first from ``root`` in the chain around it: ``params`` in
    ``req.params.id``; "" for a computed one."""
    parent = root.parent
    while parent is not None and parent.type in TRANSPARENT_KINDS:
        parent = parent.parent
    if parent is None or parent.type != "member_expression":
        return ""
    return text(parent.child_by_field_name("property"))


def _combined(origins: Iterator[KeyOrigin]) -> KeyOrigin:
    """One source of new values is enough for the key to be new; bounded only when every
    source is bounded."""
    found = list(origins)
    fresh = next((origin for origin in found if origin.is_new), None)
    if fresh is not None:
        return fresh
    if found and all(origin.kind is KeyKind.BOUNDED for origin in found):
        return found[0]
    unknown = [origin for origin in found if origin.kind is KeyKind.UNKNOWN]
    return next((origin for origin in unknown if origin.why), unknown[0] if unknown else _UNKNOWN)


def _converted(call: Node) -> Node | None:
    """The value a conversion call is made from: ``String(x)`` / ``JSON.parse(x)`` /
    ``Object.keys(x)`` give ``x``, ``x.toLowerCase()`` gives ``x``; None for other calls
    (what a lookup or a computation returns is not its input)."""
    obj, name = callee_parts(call)
    arguments = call_arguments(call)
    if name in VALUE_CONVERSION_METHODS and obj is not None:
        return obj
    if name in VALUE_CONVERSION_FUNCTIONS and arguments:
        return arguments[0]
    return None


def _literal_property(literal: Node, wanted: str) -> Node | None:
    """The value of property ``wanted`` in an object literal (``{ id: x }``, ``{ id }``)."""
    for pair in literal.named_children:
        if pair.type == "pair" and text(pair.child_by_field_name("key")) == wanted:
            return pair.child_by_field_name("value")
        if pair.type == "shorthand_property_identifier" and text(pair) == wanted:
            return pair
    return None


def _passed(origin: KeyOrigin) -> KeyOrigin:
    """``origin``, marked as what every caller passes when it is bounded."""
    if not origin.bounded or origin.passed:
        return origin
    return KeyOrigin(origin.kind, origin.why, passed=True)


def _passed_elsewhere(
    model: SemanticModel, function: FunctionInfo, index: int, stored: list[Node], calls: int
) -> KeyOrigin | None:
    """What the callers of ``function`` in other files pass at parameter ``index``, from
    the project view (``SemanticModel.passed_keys``; arguments reach parameters): bounded
    when every one passes a fixed value there, unknown, with what one of them passes and
    where, otherwise. None when the view says nothing, or when the file hands the function
    on in a way the view cannot follow: an exported function this file also stores or
    passes on (only being exported is allowed), a method of a class the file may make more
    than one instance of, or whose name the file uses other than in the ``calls`` calls
    of it seen here (``this.m(…)``)."""
    table = model.passed_keys
    if function.binding is None:
        info = model.class_info(function.class_node) if function.class_node is not None else None
        name = function.name
        if info is None or info.es5 or info.name is None or not name:
            return None
        keys = [f"{info.name}.{name}"]
        if not _one_instance(model, info, name, calls):
            return None
    else:
        keys = _export_names(model, function, stored)
        if not keys:
            return None
    found: list[tuple[bool, str]] = []
    for key in keys:
        given = table.get(key)
        if given is None:
            return None
        found.append(given[index] if index < len(given) else (True, "no argument passed"))
    other = next(((b, why) for b, why in found if not b), None)
    if other is not None:
        return KeyOrigin(KeyKind.UNKNOWN, other[1])
    return KeyOrigin(KeyKind.BOUNDED, found[0][1])


def _one_instance(model: SemanticModel, info: ClassInfo, name: str, calls: int) -> bool:
    """Whether the class's one instance is the one the file makes at module top level (and
    exports), and the file names the method only where it defines it and in the ``calls``
    calls of it that ``_uses`` found: no other object, and no stored reference, calls it."""
    from nodeleaklint.semantics.model import made_once_here

    if not made_once_here(info, model.facts):
        return False
    return _named_at_most(model, name, calls, info.node)


def _private(function: FunctionInfo) -> bool:
    """A TypeScript ``private`` method or a ``#private`` one: only its class calls it."""
    node = function.node
    if node.type != "method_definition":
        return False
    name = node.child_by_field_name("name")
    if name is not None and name.type == "private_property_identifier":
        return True
    return any(
        child.type == "accessibility_modifier" and text(child) == "private"
        for child in node.children
    )


def _named_at_most(model: SemanticModel, name: str, calls: int, owner: Node | None) -> bool:
    """Whether the file names the method ``name`` as a member (``x.m``, ``x['m']``) no more
    than ``calls`` times, the calls of it already found, and the class ``owner`` never reads
    ``this[expr]``."""
    facts = model.facts
    named = other = 0
    for member in facts.members:
        if member.type == "member_expression":
            if text(member.child_by_field_name("property")) == name:
                if _on_module(model, member):
                    other += 1  # ``ipcMain.on(…)``: a method of another module's object
                else:
                    named += 1
            continue
        index = member.child_by_field_name("index")
        if index is not None and index.type == "string":
            named += string_value(index) == name
        elif _on_this(member) and _same_class(model, member, owner):
            return False  # ``this[name](…)``: any method of the class may be called here
    if named > calls:
        return False
    if facts.members_complete:
        return True
    # A type the walk skipped may hold a member expression (``typeof a.b``): then the name
    # may occur in the text no more often than it is defined and called here.
    defined = sum(len(info.methods.get(name, [])) for info in model.classes)
    pattern = rb"(?<![\w$])" + re.escape(name.encode()) + rb"(?![\w$])"
    spans = [(c.start_byte, c.end_byte) for c in facts.comments]
    found = [
        m
        for m in re.finditer(pattern, model.source.data)
        if not any(start <= m.start() < end for start, end in spans)  # a comment names nothing
    ]
    return len(found) <= defined + calls + other


def _on_module(model: SemanticModel, member: Node) -> bool:
    """``x.m`` where ``x`` is bound to what another module exports (an import, a
    ``require``): not this file's instance."""
    obj = unwrap(member.child_by_field_name("object"))
    binding = model.binding_of(obj) if obj is not None and obj.type == "identifier" else None
    return binding is not None and binding.module_source is not None


def _same_class(model: SemanticModel, member: Node, owner: Node | None) -> bool:
    """Whether ``this`` in ``member`` may be an instance of the class ``owner`` (when it is
    not known whose ``this`` it is, it may)."""
    function = model.this_function(member)
    mine = function.class_node if function is not None else None
    return owner is None or mine is None or mine.id == owner.id


def _on_this(member: Node) -> bool:
    found = unwrap(member.child_by_field_name("object"))
    return found is not None and found.type == "this"


def _export_names(model: SemanticModel, function: FunctionInfo, stored: list[Node]) -> list[str]:
    """The names the file exports ``function`` under, when every reference to it that is not
    a call is part of an export (``module.exports = { f }``, ``export { f }``); else none."""
    from nodeleaklint.semantics.exports import module_exports

    cached = model.cache.get("module_exports")  # as ``project.summary`` keeps them
    exports = cached if isinstance(cached, list) else module_exports(model.facts)
    model.cache["module_exports"] = exports
    names = [e.name for e in exports if e.function is function]
    if not names:
        return []
    spans = [(e.node.start_byte, e.node.end_byte) for e in exports]
    spans += [(node.start_byte, node.end_byte) for node in model.facts.exported_nodes]
    for reference in stored:
        if not any(
            start <= reference.start_byte and reference.end_byte <= end for start, end in spans
        ):
            return []
    return names


def _function_use(model: SemanticModel, reference: Node) -> tuple[CallSite, bool] | None:
    """How a reference to a function is used: called (``f(…)``: the call, False), or handed
    to a registration (``x.on('e', f)`` / ``x.on('e', f.bind(this))``: that call, True)."""
    position = outer(reference)
    parent = position.parent
    if parent is not None and parent.type == "member_expression":
        bound = parent.parent  # ``f.bind(this)``
        if text(parent.child_by_field_name("property")) != "bind" or bound is None:
            return None
        position = outer(bound)
        parent = position.parent
    if parent is None:
        return None
    call = model.call_at(parent)
    if call is not None and not call.is_new and call.callee is not None:
        return (call, False) if call.callee.id == position.id else None
    if parent.type != "arguments" or parent.parent is None:
        return None
    call = model.call_at(parent.parent)
    if call is None or not is_registration(call):
        return None
    return call, True


def _emitted_by(model: SemanticModel, emit: CallSite, receiver: Node | None) -> bool:
    """Whether ``emit`` emits on the emitter a listener is registered on: the same name
    (``bus.emit`` for ``bus.on``), or ``this.emit`` in the class of that emitter — the class
    the listener's ``this`` belongs to, or the class of this file the receiver is made from
    (``const client = new Client()``)."""
    one, other = unwrap(emit.obj), unwrap(receiver)
    if one is None or other is None:
        return False
    if one.type != "this" and not _is_this_alias(model, one):
        if text(one) != text(other):
            return False
        return one.type != "identifier" or model.binding_of(one) is model.binding_of(other)
    owner = _emitter_class(model, other)
    return owner is not None and model.in_class(emit.node, owner)


def _is_this_alias(model: SemanticModel, node: Node) -> bool:
    binding = model.binding_of(node) if node.type == "identifier" else None
    return binding is not None and binding.is_this_alias


def _emitter_class(model: SemanticModel, receiver: Node) -> Node | None:
    """The class node whose ``this`` the receiver is: ``this`` (or an alias) inside a class,
    or a binding made once with ``new C()`` of a class of this file."""
    if receiver.type == "this" or _is_this_alias(model, receiver):
        function = model.this_function(receiver)
        return function.class_node if function is not None else None
    binding = model.binding_of(receiver) if receiver.type == "identifier" else None
    made = unwrap(binding.init) if binding is not None and not binding.is_reassigned else None
    if made is None or made.type != "new_expression":
        return None
    name = text(made.child_by_field_name("constructor"))
    return next((info.node for info in model.classes if info.name == name), None)


def _own_emitter(model: SemanticModel, receiver: Node | None) -> bool:
    """An emitter the project makes itself: a module of the project (``require('./bus')``),
    or an instance of a class of this file or of ``EventEmitter``. Its events carry what the
    project's code passes to ``emit``, not outside data."""
    binding = value_binding(model, receiver)
    if binding is None:
        return False
    if binding.module_source is not None:
        return binding.module_source.startswith(".")
    made = unwrap(binding.init)
    if made is None or made.type != "new_expression" or binding.is_reassigned:
        return False
    constructor = unwrap(made.child_by_field_name("constructor"))
    if constructor is None:
        return False
    if text(constructor).rsplit(".", 1)[-1] == "EventEmitter":
        return True
    if constructor.type != "identifier":
        return False
    declared = model.binding_of(constructor)
    if declared is None:
        return False
    if declared.module_source is not None:
        return declared.module_source in EVENTS_MODULES
    init = unwrap(declared.init)
    if declared.kind not in (BindingKind.CLASS, BindingKind.FUNCTION) and (
        init is None or init.type not in _FUNCTION_LITERALS
    ):
        return False
    # a class of this file: its own events, unless it extends another emitter (a socket or
    # a client subclass emits that base's I/O events)
    info = next((c for c in model.classes if c.name == declared.name), None)
    heritage = info.heritage if info is not None else None
    return heritage is None or heritage.rsplit(".", 1)[-1].strip() in _PLAIN_EMITTERS


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
