"""Classes in every form (SPEC §1 "Objects, roles and evidence").

``class`` syntax is recorded by the walk. This module finds the ES5 forms real Node code
ships and gives their functions the same standing as class members:

- a constructor function ``function Client(opts) { … }`` (or ``var Client = function …``)
  with prototype methods: ``Client.prototype.send = function () {}``,
  ``Client.prototype = { send() {}, close: function () {} }``,
  ``Object.assign(Client.prototype, { … })``, or any call handed ``Client.prototype`` and an
  object of functions (``extend(Client.prototype, { … })``);
- heritage: ``util.inherits(Client, EventEmitter)`` / ``inherits(…)``,
  ``Object.setPrototypeOf(Client.prototype, Base.prototype)``,
  ``Client.prototype = Object.create(Base.prototype)``, ``Base.call(this, …)`` in the
  constructor;
- methods copied in a loop: ``for (var m in api) Client.prototype[m] = api[m]``.

Static members (``Client.create = function () {}``) stay plain functions: ``this`` there is
the constructor, and assigning a property to a function does not make it a class.

A constructor function is recognised only with evidence that it is one: a prototype
member or a heritage call, or ``new Name()`` somewhere in the file with ``this.x = …`` in
its body. Inside such a class ``this`` has instance lifetime, methods repeat per call and
the constructor runs per instance, exactly as for ``class`` syntax.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from nodeleaklint.parsing import Node
from nodeleaklint.semantics import frameworks
from nodeleaklint.semantics.builder import Collected
from nodeleaklint.semantics.scopes import Binding, BindingKind, CallSite, FunctionInfo
from nodeleaklint.semantics.syntax import FUNCTION_KINDS, dotted_name, is_inside, text, unwrap

INHERITS_CALLEES = frozenset({"inherits", "util.inherits", "utils.inherits", "_inherits"})
_ES5_CALL_NAMES = frozenset({"inherits", "_inherits", "setPrototypeOf", "assign"})
RETURNED = ""  # the one method of a factory that returns a function


@dataclass(eq=False, repr=False)
class ClassInfo:
    """One class: its node (the ``class`` or the ES5 constructor function), name, members."""

    node: Node
    name: str | None
    es5: bool
    constructor: FunctionInfo | None = None
    methods: dict[str, list[FunctionInfo]] = field(default_factory=dict)
    heritage: str | None = None

    def add_method(self, name: str, function: FunctionInfo) -> None:
        self.methods.setdefault(name, []).append(function)

    @property
    def members(self) -> Iterator[FunctionInfo]:
        if self.constructor is not None:
            yield self.constructor
        for functions in self.methods.values():
            yield from functions

    def teardown_methods(self) -> list[FunctionInfo]:
        return [
            f
            for name, fs in self.methods.items()
            if name in frameworks.active().teardown_methods
            for f in fs
        ]


@dataclass(eq=False, repr=False)
class Factory:
    """A function that returns an object of closures: its locals are the object's state, and
    the closures are its methods (``return { add, stop() {…} }``). A function that returns
    one closure (``return (key) => { … cache.set(key, …) }``) is the same with one method,
    named ``RETURNED``: its locals live as long as the function it hands out."""

    function: FunctionInfo
    methods: dict[str, FunctionInfo] = field(default_factory=dict)

    @property
    def returns_function(self) -> bool:
        return RETURNED in self.methods

    def keeps(self, binding: Binding) -> bool:
        """Whether the factory's local ``binding`` lives as long as what it returns: any local
        of an object of closures; for a returned function, one that function uses (a
        returned disposer, ``return () => off(…)``, keeps nothing of it)."""
        returned = self.methods.get(RETURNED)
        return returned is None or any(is_inside(ref, returned.node) for ref in binding.references)

    @property
    def teardown(self) -> list[FunctionInfo]:
        return [
            f for name, f in self.methods.items() if name in frameworks.active().teardown_methods
        ]


def find_factories(facts: Collected) -> list[Factory]:
    """Functions whose ``return`` statements hand out an object with function members, or a
    function they make (``RETURNED``)."""
    found: list[Factory] = []
    source, base = _source(facts)
    for function in facts.functions:
        if function.class_node is not None:
            continue
        body = function.body
        if body is None or body.type != "statement_block":
            continue
        if source.find(b"return", body.start_byte - base, body.end_byte - base) < 0:
            continue  # no ``return`` statement in its text: nothing handed out
        factory = Factory(function)
        for statement in body.named_children:
            if statement.type != "return_statement" or not statement.named_children:
                continue
            returned = unwrap(statement.named_children[0])
            closure = _returned_closure(facts, function, returned)
            if closure is not None:
                factory.methods[RETURNED] = closure
                continue
            if returned is None or returned.type != "object":
                continue
            for name, method in _object_methods(facts, returned):
                factory.methods[name] = method
            for member in returned.named_children:
                if member.type == "shorthand_property_identifier":
                    local = _local_function(function, text(member))
                    if local is not None:
                        factory.methods[text(member)] = local
        if factory.methods:
            found.append(factory)
    return found


def _returned_closure(
    facts: Collected, function: FunctionInfo, returned: Node | None
) -> FunctionInfo | None:
    """The function ``returned`` is when ``function`` makes it: an inline function, or one
    declared in ``function``'s own scope (``function add() {…} return add``)."""
    if returned is None:
        return None
    if returned.type in FUNCTION_KINDS:
        return facts.function_by_node.get(returned.id)
    if returned.type != "identifier":
        return None
    return _local_function(function, text(returned), fixed=True)


def _local_function(function: FunctionInfo, name: str, fixed: bool = False) -> FunctionInfo | None:
    """The function ``name`` declares in ``function``'s own scope (``function add() {}``,
    ``const add = () => {}``); ``fixed``: never reassigned. A parameter's ``function`` is the
    function that declares it, never a function it names."""
    local = function.scope.bindings.get(name)
    if local is None or local.function is None or local.kind is BindingKind.PARAM:
        return None
    return None if fixed and local.is_reassigned else local.function


def _source(facts: Collected) -> tuple[bytes, int]:
    """The file's text as parsed, and the byte it starts at: read once, searched in place
    (``Node.text`` copies) for a word a construct cannot do without."""
    root = facts.module_scope.node
    return root.text or b"", root.start_byte


def _as_member(function: FunctionInfo, owner: ClassInfo, name: str, kind: str) -> None:
    function.class_node = owner.node
    function.class_name = owner.name
    function.method_kind = kind
    function.name = name
    function.is_static = kind == "static"
    if kind == "method":
        owner.add_method(name, function)


def _constructor_functions(facts: Collected) -> dict[str, FunctionInfo]:
    """Named, non-arrow functions of one binding that could be constructors, by name."""
    found: dict[str, FunctionInfo] = {}
    for function in facts.functions:
        if function.class_node is not None or function.node.type == "arrow_function":
            continue
        if function.node.type not in FUNCTION_KINDS or function.binding is None:
            continue
        if function.binding.is_reassigned or not function.name:
            continue
        if function.binding.function is not function:
            continue
        found.setdefault(function.name, function)
    return found


def _function_value(facts: Collected, value: Node | None) -> FunctionInfo | None:
    value = unwrap(value)
    if value is None:
        return None
    return facts.function_by_node.get(value.id)


def _object_methods(facts: Collected, obj: Node | None) -> Iterator[tuple[str, FunctionInfo]]:
    """``{ a: function () {}, b() {} }`` → (name, function) pairs."""
    obj = unwrap(obj)
    if obj is None or obj.type != "object":
        return
    for member in obj.named_children:
        if member.type == "pair":
            function = _function_value(facts, member.child_by_field_name("value"))
            key = text(member.child_by_field_name("key")).strip("'\"")
            if function is not None and key:
                yield key, function
        elif member.type == "method_definition":
            function = facts.function_by_node.get(member.id)
            name = text(member.child_by_field_name("name"))
            if function is not None and name:
                yield name, function


def _prototype_owner(target: str | None) -> tuple[str, str | None] | None:
    """``X.prototype.m`` → (X, m); ``X.prototype`` → (X, None)."""
    if target is None:
        return None
    parts = target.split(".")
    if len(parts) == 3 and parts[1] == "prototype":
        return parts[0], parts[2]
    if len(parts) == 2 and parts[1] == "prototype":
        return parts[0], None
    return None


def _base_name(node: Node | None) -> str | None:
    """``Base.prototype`` / ``Base`` / ``events.EventEmitter`` → the base's dotted name."""
    name = dotted_name(node)
    if name is None:
        return None
    return name.removesuffix(".prototype")


def find_classes(facts: Collected) -> list[ClassInfo]:
    """Every class of the file, in both syntaxes; ES5 members are marked as class members."""
    classes: list[ClassInfo] = []
    by_node: dict[int, ClassInfo] = {}
    for node in facts.class_nodes:
        name_node = node.child_by_field_name("name")
        info = ClassInfo(node, text(name_node) if name_node is not None else None, es5=False)
        heritage = next((c for c in node.named_children if c.type == "class_heritage"), None)
        if heritage is not None and heritage.named_children:
            info.heritage = text(heritage.named_children[-1])
        classes.append(info)
        by_node[node.id] = info
    for function in facts.functions:
        owner = by_node.get(function.class_node.id) if function.class_node is not None else None
        if owner is None or not function.name:
            continue
        if function.method_kind == "constructor":
            owner.constructor = function
        elif function.method_kind == "method":
            owner.add_method(function.name, function)
    classes.extend(_es5_classes(facts))
    return classes


def _es5_classes(facts: Collected) -> list[ClassInfo]:
    constructors = _constructor_functions(facts)
    if not constructors:
        return []
    found: dict[str, ClassInfo] = {}

    def owner(name: str) -> ClassInfo | None:
        if name in found:
            return found[name]
        function = constructors.get(name)
        if function is None:
            return None
        info = ClassInfo(function.node, name, es5=True, constructor=function)
        found[name] = info
        return info

    text_bytes, base = _source(facts)
    # Only prototype assignments make ES5 classes: a file that never says so has none.
    assignments = facts.assignments if b"prototype" in text_bytes else ()
    for assignment in assignments:
        if assignment.type != "assignment_expression":
            continue
        left = assignment.child_by_field_name("left")
        if (
            left is None
            or text_bytes.find(b"prototype", left.start_byte - base, left.end_byte - base) < 0
        ):
            continue  # the cheap test first
        right = assignment.child_by_field_name("right")
        target = dotted_name(left)
        proto = _prototype_owner(target)
        if proto is not None:
            info = owner(proto[0])
            if info is None:
                continue
            if proto[1] is not None:
                method = _function_value(facts, right)
                if method is not None and method is not info.constructor:
                    _as_member(method, info, proto[1], "method")
                continue
            right = unwrap(right)
            if right is not None and right.type == "call_expression":
                callee = dotted_name(right.child_by_field_name("function"))
                arguments = right.child_by_field_name("arguments")
                if callee == "Object.create" and arguments is not None and arguments.named_children:
                    info.heritage = _base_name(arguments.named_children[0])
                continue
            for name, method in _object_methods(facts, right):
                _as_member(method, info, name, "method")
        elif _copies_into_prototype(left, right):
            # ``for (var m in api) X.prototype[m] = api[m]``: api's methods are X's.
            info = owner(text(_prototype_object(left)))
            source = facts.module_scope.lookup(text(_object_of(right)))
            if info is not None and source is not None:
                for name, method in _object_methods(facts, source.init):
                    _as_member(method, info, name, "method")
    for call in facts.calls:
        if not call.is_new and call.name not in _ES5_CALL_NAMES:
            continue
        callee = dotted_name(call.callee)
        args = call.args
        if callee in INHERITS_CALLEES and len(args) >= 2:
            info = owner(text(args[0]))
            if info is not None:
                info.heritage = _base_name(args[1])
        elif callee == "Object.setPrototypeOf" and len(args) >= 2:
            proto = _prototype_owner(dotted_name(args[0]))
            info = owner(proto[0]) if proto is not None else None
            if info is not None:
                info.heritage = _base_name(args[1])
        elif callee == "Object.assign" and len(args) >= 2:
            _copy_methods(facts, owner, args)
        elif call.is_new and call.obj is None and call.name in constructors:
            function = constructors[call.name]
            if call.name not in found and _assigns_this(facts, function):
                owner(call.name)
    # ``extend(X.prototype, { … })``, ``_.extend``, ``util._extend``: whatever its name, a call
    # handed a prototype and an object of functions copies them in, as ``Object.assign`` does.
    for call in _prototype_argument_calls(facts, constructors, text_bytes, base):
        if call.name not in _ES5_CALL_NAMES:
            _copy_methods(facts, owner, call.args)
    for info in found.values():
        constructor = info.constructor
        if constructor is not None:
            _as_member(constructor, info, info.name or "constructor", "constructor")
            constructor.name = info.name
    return list(found.values())


def _copy_methods(
    facts: Collected, owner: Callable[[str], ClassInfo | None], args: list[Node]
) -> None:
    """``(X.prototype, { a() {}, b: function () {} }, …)``: the objects' functions are X's."""
    proto = _prototype_owner(dotted_name(args[0]))
    info = owner(proto[0]) if proto is not None and proto[1] is None else None
    if info is not None:
        for extra in args[1:]:
            for name, method in _object_methods(facts, extra):
                _as_member(method, info, name, "method")


_IDENTIFIER_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$")
_MIXIN_NEEDLE = b".prototype,"


def _prototype_argument_calls(
    facts: Collected, constructors: dict[str, FunctionInfo], source: bytes, base: int
) -> Iterator[CallSite]:
    """Calls whose first argument is ``X.prototype`` of a constructor ``X``, followed by more
    arguments: found from the text (``(X.prototype,``), not by looking at every call."""
    root = facts.module_scope.node
    at = source.find(_MIXIN_NEEDLE)
    while at >= 0:
        start = at
        while start > 0 and source[start - 1] in _IDENTIFIER_BYTES:
            start -= 1
        opening = start - 1
        while opening >= 0 and source[opening] in b" \t\r\n":
            opening -= 1
        name = source[start:at].decode("utf-8", "replace")
        if opening >= 0 and source[opening] == ord("(") and name in constructors:
            end = base + at + len(_MIXIN_NEEDLE)
            arguments = root.descendant_for_byte_range(base + opening, end)
            call = arguments.parent if arguments is not None else None
            site = facts.call_by_node.get(call.id) if call is not None else None
            if (
                site is not None
                and arguments is not None
                and arguments.type == "arguments"
                and len(site.args) >= 2
                and site.args[0].start_byte == base + start
            ):
                yield site
        at = source.find(_MIXIN_NEEDLE, at + len(_MIXIN_NEEDLE))


def _object_of(node: Node | None) -> Node | None:
    node = unwrap(node)
    if node is None or node.type != "subscript_expression":
        return None
    return unwrap(node.child_by_field_name("object"))


def _prototype_object(left: Node | None) -> Node | None:
    """``X`` of ``X.prototype[k]``."""
    obj = _object_of(left)
    if obj is None or obj.type != "member_expression":
        return None
    if text(obj.child_by_field_name("property")) != "prototype":
        return None
    return unwrap(obj.child_by_field_name("object"))


def _copies_into_prototype(left: Node | None, right: Node | None) -> bool:
    """``X.prototype[k] = source[k]`` with one computed key on both sides."""
    prototype_of, source = _prototype_object(left), _object_of(right)
    if prototype_of is None or source is None or source.type != "identifier":
        return False
    keys = [side.child_by_field_name("index") for side in (unwrap(left), unwrap(right)) if side]
    return len(keys) == 2 and None not in keys and text(keys[0]) == text(keys[1])


def _assigns_this(facts: Collected, function: FunctionInfo) -> bool:
    """Whether the function's own body writes ``this.x = …`` (a constructor's signature)."""
    body = function.body
    if body is None:
        return False
    for statement in body.named_children:
        if statement.type != "expression_statement" or not statement.named_children:
            continue
        expression = statement.named_children[0]
        if expression.type != "assignment_expression":
            continue
        left = unwrap(expression.child_by_field_name("left"))
        obj = left.child_by_field_name("object") if left is not None else None
        if obj is not None and obj.type == "this":
            return True
    return False
