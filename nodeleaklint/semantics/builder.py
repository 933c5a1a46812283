"""One iterative traversal of a syntax tree that collects scopes, bindings, functions and calls.

The walk uses an explicit stack, so arbitrarily deep nesting never hits Python's recursion
limit. Everything the rules need is indexed here once per file.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from nodeleaklint.parsing import Language, Node, TreeCursor
from nodeleaklint.records import record
from nodeleaklint.semantics.kinds import ANONYMOUS, field_ids, kind_table
from nodeleaklint.semantics.scopes import (
    Binding,
    BindingKind,
    CallSite,
    FunctionInfo,
    Scope,
    ScopeKind,
)
from nodeleaklint.semantics.syntax import (
    CLASS_KINDS,
    FUNCTION_KINDS,
    LOOP_KINDS,
    TRANSPARENT_KINDS,
    dotted_name,
    required_module,
    root_object,
    string_value,
    text,
    unwrap,
)

_DECLARATION_KINDS = frozenset({"variable_declaration", "lexical_declaration", "using_declaration"})
_PATTERN_CONTAINERS = frozenset(
    {
        "object_pattern",
        "array_pattern",
        "pair_pattern",
        "rest_pattern",
        "assignment_pattern",
        "object_assignment_pattern",
        "required_parameter",
        "optional_parameter",
    }
)
_REFERENCE_KINDS = frozenset({"identifier", "shorthand_property_identifier"})
# TypeScript syntax that only describes types (``typeof x`` and ``ns.T`` in them are not
# uses of ``x`` or ``ns`` at run time).
TYPE_ONLY_KINDS = frozenset(
    {
        "type_annotation",
        "opting_type_annotation",
        "omitting_type_annotation",
        "asserts_annotation",
        "type_predicate_annotation",
        "type_arguments",
        "type_parameters",
        "interface_declaration",
        "type_alias_declaration",
        "implements_clause",
    }
)
# The kinds an initializer that loads a module can have (``required_module`` after
# ``root_object``: a call, possibly awaited, at the root of a member chain, in wrappers).
_MAY_LOAD_KINDS = TRANSPARENT_KINDS | {
    "call_expression",
    "await_expression",
    "member_expression",
    "subscript_expression",
}
_NAMED_FUNCTION_KINDS = frozenset(
    {
        "function_declaration",
        "generator_function_declaration",
        "function_expression",
        "generator_function",
    }
)
# Parameters whose name ``unwrap_param`` finds where ``pattern_identifiers`` does (a type, a
# default value or an optional mark around a name).
_WRAPPED_NAME_KINDS = frozenset({"required_parameter", "optional_parameter", "assignment_pattern"})
# Positions of a function whose meaning depends on the grandparent too.
_NEEDS_GRANDPARENT = frozenset({"arguments", "field_definition", "public_field_definition"})

# Enum members, read once: reading one off its class costs a metaclass lookup (some twenty
# times a global's), and the walk reads these per scope and per binding.
_MODULE_SCOPE, _FUNCTION_SCOPE = ScopeKind.MODULE, ScopeKind.FUNCTION
_BLOCK_SCOPE, _CLASS_SCOPE = ScopeKind.BLOCK, ScopeKind.CLASS
_VAR, _LET, _CONST = BindingKind.VAR, BindingKind.LET, BindingKind.CONST
_FUNCTION_BINDING, _PARAM, _CATCH_BINDING = (
    BindingKind.FUNCTION,
    BindingKind.PARAM,
    BindingKind.CATCH,
)

# Codes of the kinds the walk dispatches on (see ``kinds.kind_table``).
_REFERENCE, _COMMENT, _CALL, _FUNCTION, _DECLARATION, _BLOCK = 1, 2, 3, 4, 5, 6
_LOOP, _CLASS, _CATCH, _IMPORT, _ASSIGNMENT, _UPDATE, _EXPORT = 7, 8, 9, 10, 11, 12, 13
_NEW, _STRING, _TYPE, _MEMBER_ACCESS = 14, 15, 16, 17
_CODES: dict[str, int] = {
    **dict.fromkeys(_REFERENCE_KINDS, _REFERENCE),
    "comment": _COMMENT,
    "call_expression": _CALL,
    "new_expression": _NEW,
    # A string has no identifiers, comments or calls below it: the walk skips its pieces.
    "string": _STRING,
    # Nor does a TypeScript type, as far as lifetimes go: nothing in it runs. The walk skips
    # annotations, type arguments and parameters, interfaces and type aliases (about half
    # of the nodes of typical TypeScript, all of a declaration file's).
    **dict.fromkeys(TYPE_ONLY_KINDS, _TYPE),
    # Collected for ``locations.member_index`` (cheaper here than a query over the tree).
    "member_expression": _MEMBER_ACCESS,
    "subscript_expression": _MEMBER_ACCESS,
    **dict.fromkeys(FUNCTION_KINDS, _FUNCTION),
    **dict.fromkeys(_DECLARATION_KINDS, _DECLARATION),
    "statement_block": _BLOCK,
    **dict.fromkeys(LOOP_KINDS, _LOOP),
    **dict.fromkeys(CLASS_KINDS, _CLASS),
    "catch_clause": _CATCH,
    "import_statement": _IMPORT,
    "assignment_expression": _ASSIGNMENT,
    "augmented_assignment_expression": _ASSIGNMENT,
    "update_expression": _UPDATE,
    "export_statement": _EXPORT,
}
# Codes of the kinds a callee's name depends on (see ``callee_parts``).
_MEMBER, _SUBSCRIPT, _IDENTIFIER, _TRANSPARENT = 1, 2, 3, 4
_CALLEE_CODES: dict[str, int] = {
    "member_expression": _MEMBER,
    "subscript_expression": _SUBSCRIPT,
    "identifier": _IDENTIFIER,
    **dict.fromkeys(TRANSPARENT_KINDS, _TRANSPARENT),
}


@dataclass(eq=False, repr=False)
class Collected:
    """Raw facts gathered by the walk; ``SemanticModel`` derives everything else from them."""

    module_scope: Scope
    functions: list[FunctionInfo] = field(default_factory=list)
    function_by_node: dict[int, FunctionInfo] = field(default_factory=dict)
    calls: list[CallSite] = field(default_factory=list)
    call_by_node: dict[int, CallSite] = field(default_factory=dict)
    references: dict[int, Binding] = field(default_factory=dict)
    unresolved: list[Node] = field(default_factory=list)
    comments: list[Node] = field(default_factory=list)
    errors: list[Node] = field(default_factory=list)
    assignments: list[Node] = field(default_factory=list)
    # The innermost function around each assignment, by the assignment's node id (None: top).
    assignment_function: dict[int, FunctionInfo | None] = field(default_factory=dict)
    bindings: list[Binding] = field(default_factory=list)
    class_nodes: list[Node] = field(default_factory=list)
    exported_nodes: list[Node] = field(default_factory=list)
    # Member and subscript expressions in walk order; complete unless a skipped type may
    # hold some (``typeof a.b``, a computed key ``[Symbol.iterator]`` in an interface).
    members: list[Node] = field(default_factory=list)
    members_complete: bool = True


def pattern_identifiers(pattern: Node | None) -> list[Node]:
    """The identifiers a declaration pattern binds (default values are not bindings)."""
    found: list[Node] = []
    stack = [pattern] if pattern is not None else []
    while stack:
        node = stack.pop()
        kind = node.type
        if kind in ("identifier", "shorthand_property_identifier_pattern"):
            found.append(node)
        elif kind == "pair_pattern":
            value = node.child_by_field_name("value")
            if value is not None:
                stack.append(value)
        elif kind in ("assignment_pattern", "object_assignment_pattern"):
            left = node.child_by_field_name("left")
            if left is not None:
                stack.append(left)
        elif kind in ("required_parameter", "optional_parameter"):
            inner = node.child_by_field_name("pattern")
            if inner is not None:
                stack.append(inner)
        elif kind in _PATTERN_CONTAINERS:
            stack.extend(reversed(node.named_children))
    return found


class _Walker:
    def __init__(self, root: Node, language: Language) -> None:
        self.root = root
        self.language = language
        module = Scope(_MODULE_SCOPE, root, None, None)
        self.out = Collected(module_scope=module)
        self.declared: set[int] = set()
        # References to resolve, in document order, and the scope each run of them is in:
        # ``(index of the run's first reference, scope)`` (the scope rarely changes).
        self.pending: list[Node] = []
        self.pending_runs: list[tuple[int, Scope]] = []
        self.pending_writes: list[tuple[Node, Scope]] = []
        self.source: bytes | None = root.text
        self.codes, self.callee_codes, self.fields = _grammar_tables(language)
        self.base = root.start_byte
        self.module_bindings: list[Binding] | None = None
        self.module_binding_starts: list[int] = []

    # -- declarations -------------------------------------------------------------------
    def declare(
        self,
        ident: Node,
        kind: BindingKind,
        scope: Scope,
        *,
        declarator: Node | None = None,
        init: Node | None = None,
        destructured: bool = False,
        function: FunctionInfo | None = None,
        module_source: str | None = None,
    ) -> Binding:
        return self.bind(
            Binding(
                self.text(ident),
                kind,
                scope,
                ident,
                declarator,
                init,
                destructured,
                function,
                module_source,
            )
        )

    def bind(self, binding: Binding) -> Binding:
        """Enter a new binding in its scope and the file's lists (the hot callers build the
        ``Binding`` themselves: a call with keywords costs more than the entry)."""
        binding.scope.bindings[binding.name] = binding
        self.declared.add(binding.node.id)
        self.out.bindings.append(binding)
        return binding

    @staticmethod
    def var_scope(scope: Scope) -> Scope:
        while scope.kind in (_BLOCK_SCOPE, _CLASS_SCOPE) and scope.parent is not None:
            scope = scope.parent
        return scope

    def declare_variables(self, node: Node, scope: Scope) -> None:
        if node.type == "variable_declaration":
            kind, target = _VAR, self.var_scope(scope)
        else:
            first = node.child(0)
            keyword = first.type if first is not None else "let"
            kind = _CONST if keyword in ("const", "using", "await") else _LET
            target = scope
        fields = self.fields
        for declarator in node.named_children:
            if declarator.type != "variable_declarator":
                continue
            name = declarator.child_by_field_id(fields.name)
            init = declarator.child_by_field_id(fields.value)
            if name is None:
                continue
            destructured = name.type != "identifier"
            source = self._module_source(init)
            for ident in pattern_identifiers(name) if destructured else (name,):
                self.bind(
                    Binding(
                        self.text(ident),
                        kind,
                        target,
                        ident,
                        declarator,
                        init,
                        destructured,
                        None,
                        source,
                    )
                )

    def _module_source(self, init: Node | None) -> str | None:
        """The module a declaration's initializer loads: ``require('x')``, ``require('x').y``
        (its callee is one of these words, so an initializer without them loads none; nor
        does one of another kind than a call, a member chain, ``await`` or a wrapper, which
        spares scanning the text of a function or an object literal)."""
        if init is None or init.type not in _MAY_LOAD_KINDS:
            return None
        if not (self.mentions(init, b"require") or self.mentions(init, b"import")):
            return None
        return required_module(root_object(init))

    def declare_import(self, node: Node, scope: Scope) -> None:
        source = string_value(node.child_by_field_name("source"))
        clause = next((c for c in node.named_children if c.type == "import_clause"), None)
        if clause is None:
            # TypeScript's ``import http = require('http')``: the whole module, as ``require``.
            required = next(
                (c for c in node.named_children if c.type == "import_require_clause"), None
            )
            parts = required.named_children if required is not None else []
            if len(parts) == 2 and parts[0].type == "identifier" and parts[1].type == "string":
                self.declare(
                    parts[0],
                    BindingKind.IMPORT,
                    scope,
                    declarator=node,
                    module_source=string_value(parts[1]),
                )
            return
        stack = [clause]
        while stack:
            current = stack.pop()
            if current.type == "identifier":
                self.declare(
                    current, BindingKind.IMPORT, scope, declarator=node, module_source=source
                )
            elif current.type == "import_specifier":
                local = current.child_by_field_name("alias") or current.child_by_field_name("name")
                if local is not None and local.type == "identifier":
                    self.declare(
                        local, BindingKind.IMPORT, scope, declarator=node, module_source=source
                    )
                for child in current.named_children:
                    self.declared.add(child.id)
            else:
                stack.extend(current.named_children)

    # -- functions ----------------------------------------------------------------------
    def enter_function(
        self,
        node: Node,
        scope: Scope,
        parent: FunctionInfo | None,
        ancestors: _Ancestors,
    ) -> FunctionInfo:
        """Record a function; ``ancestors`` climbs ``node``'s ancestors, innermost first.

        The walk's cursor knows them in constant time, where ``Node.parent`` searches down
        from the root: in a 10,000-deep nesting that difference is seconds.
        """
        own_scope = Scope(_FUNCTION_SCOPE, node, scope, None)
        info = FunctionInfo(node, parent, own_scope)
        own_scope.function = info
        self.out.functions.append(info)
        self.out.function_by_node[node.id] = info
        kind = node.type
        # An arrow function has no name (nor any other function a ``parameter`` field).
        arrow = kind == "arrow_function"
        name_node = None if arrow else node.child_by_field_id(self.fields.name)
        if name_node is not None and kind in _NAMED_FUNCTION_KINDS:
            # A declaration binds its name where it stands, an expression in its own scope.
            declared = kind in ("function_declaration", "generator_function_declaration")
            info.name = name = self.text(name_node)
            binding = Binding(
                name,
                _FUNCTION_BINDING,
                scope if declared else own_scope,
                name_node,
                node,
                None,
                False,
                info,
                None,
            )
            self.bind(binding)
            if declared:
                info.binding = binding
        elif kind == "method_definition":
            self._describe_method(node, info, name_node, ancestors.start())
        self._describe_position(node, info, scope, ancestors.start())
        self._declare_params(node, info, arrow)
        return info

    def _describe_method(
        self, node: Node, info: FunctionInfo, name_node: Node | None, ancestors: _Ancestors
    ) -> None:
        info.name = self.text(name_node) if name_node is not None else None
        container = ancestors.next()
        if container is not None and container.type == "class_body":
            self._attach_class(info, ancestors.next())
            info.is_static = _has_child(node, "static")
            if info.name == "constructor":
                info.method_kind = "constructor"
            else:
                info.method_kind = "static" if info.is_static else "method"
        else:
            info.property_key = info.name

    def _attach_class(self, info: FunctionInfo, class_node: Node | None) -> None:
        info.class_node = class_node
        if class_node is not None:
            name = class_node.child_by_field_name("name")
            info.class_name = self.text(name) if name is not None else None

    def _describe_position(
        self, node: Node, info: FunctionInfo, scope: Scope, ancestors: _Ancestors
    ) -> None:
        """Where the function value goes: an argument, a variable, a property, a field."""
        position, parent = node, ancestors.next()
        while parent is not None and parent.type in TRANSPARENT_KINDS:  # as ``outer`` does
            position, parent = parent, ancestors.next()
        if parent is None:
            return
        kind = parent.type
        grandparent = ancestors.next() if kind in _NEEDS_GRANDPARENT else None
        if kind == "arguments" and grandparent is not None:
            call = self.out.call_by_node.get(grandparent.id)
            if call is not None:
                info.callback_of = call
                info.argument_index = _index_of(call.args, position.id)
        elif kind == "call_expression" and parent.child_by_field_name("function") == position:
            info.is_iife = True
        elif kind == "variable_declarator":
            name = parent.child_by_field_name("name")
            if name is not None and name.type == "identifier":
                info.name = self.text(name)
                binding = scope.lookup(info.name)
                declarator = binding.declarator if binding is not None else None
                if binding is not None and declarator is not None and declarator.id == parent.id:
                    info.binding = binding
                    binding.function = info
        elif kind == "pair":
            info.property_key = self.text(parent.child_by_field_name("key")).strip("'\"")
            info.name = info.property_key
            info.returned = _returned_from(info.parent, ancestors)
        elif kind == "object":  # a method: ``{ m() {} }``
            info.returned = _returned_from(info.parent, ancestors)
        elif kind in ("field_definition", "public_field_definition"):
            self._attach_class(info, ancestors.next() if grandparent else None)
            prop = parent.child_by_field_name("property") or parent.child_by_field_name("name")
            info.name = self.text(prop)
            info.is_static = _has_child(parent, "static")
            info.method_kind = "field"
        elif kind == "assignment_expression":
            left = parent.child_by_field_name("left")
            target = dotted_name(left)
            if target is not None:
                info.name = target.rsplit(".", 1)[-1]
                info.property_key = info.name if "." in target else None
                if _is_commonjs_export(target):
                    info.exported = True
        elif kind == "export_statement":
            info.exported = True
        elif kind == "return_statement":
            info.returned = True
        elif kind == "arrow_function":
            info.returned = info.parent is not None and parent.id == info.parent.node.id

    def _declare_params(self, node: Node, info: FunctionInfo, arrow: bool) -> None:
        fields = self.fields
        single = node.child_by_field_id(fields.parameter) if arrow else None
        if single is not None:
            self._declare_param(single, info)
        params = node.child_by_field_id(fields.parameters)
        if params is None:
            return
        for param in params.named_children:
            if param.type == "required_parameter":
                self._note_param_property(param, info)
            self._declare_param(param, info)

    def _note_param_property(self, param: Node, info: FunctionInfo) -> None:
        """A TypeScript parameter property (``constructor(private readonly db: Db)``)."""
        for child in param.children:
            kind = child.type
            if kind == "accessibility_modifier" or kind == "readonly":
                inner = param.child_by_field_name("pattern")
                if inner is not None:
                    info.param_properties.append(self.text(inner))
                return

    def _declare_param(self, pattern: Node, info: FunctionInfo) -> None:
        """Bind the names of one parameter (``a``, ``a = 1``, ``{ a, b }``, ``a: T``)."""
        kind = pattern.type
        idents: Iterable[Node]
        if kind == "identifier":  # most parameters: skip the pattern search
            destructured, idents = False, (pattern,)
        else:
            inner = unwrap_param(pattern)
            destructured = inner.type != "identifier"
            # ``pattern_identifiers`` of a typed or defaulted name is that name
            plain = not destructured and kind in _WRAPPED_NAME_KINDS
            idents = (inner,) if plain else pattern_identifiers(pattern)
        scope, params = info.scope, info.params
        for ident in idents:
            params.append(
                self.bind(
                    Binding(
                        self.text(ident),
                        _PARAM,
                        scope,
                        ident,
                        pattern,
                        None,
                        destructured,
                        info,
                        None,
                    )
                )
            )

    # -- the walk -----------------------------------------------------------------------
    def run(self) -> Collected:
        """Visit every named node once, in document order, with a tree cursor.

        A cursor walk is about twice as fast as stacking ``named_children``; the dispatch is
        on ``kind_id`` through a per-grammar table, not on type strings; and the walk state
        (scope, function, loop) is saved only where a node changes it, keyed by depth.
        The branches are ordered by how often real code takes them.
        """
        out = self.out
        codes = self.codes
        cursor = self.root.walk()
        goto_first_child = cursor.goto_first_child
        goto_next_sibling = cursor.goto_next_sibling
        goto_parent = cursor.goto_parent
        declared = self.declared
        pending = self.pending
        add_pending = pending.append
        runs = self.pending_runs
        run_scope: Scope | None = None
        comments = out.comments.append
        members = out.members.append
        enter_call = self._enter_call
        ancestors = _Ancestors(self.root, cursor)
        saved: list[tuple[int, Scope, FunctionInfo | None, bool]] = []
        restore_at = -1  # the depth of the last saved state (-1: none)
        anonymous = ANONYMOUS
        function_bodies: set[int] = set()
        scope: Scope = out.module_scope
        function: FunctionInfo | None = None
        in_loop = False
        depth = 0
        while True:
            # A cursor on a tree always has a node (no ``assert``: it runs once per node).
            node: Node = cursor.node  # type: ignore[assignment]
            code = codes[node.kind_id]
            if code == anonymous:  # punctuation and keywords: the commonest nodes
                pass
            elif code == 0:
                if goto_first_child():
                    depth += 1
                    continue
            elif code == _REFERENCE:
                if node.id not in declared:
                    if scope is not run_scope:
                        runs.append((len(pending), scope))
                        run_scope = scope
                    add_pending(node)
            elif code == _MEMBER_ACCESS:
                members(node)
                if goto_first_child():
                    depth += 1
                    continue
            elif code == _COMMENT:
                comments(node)
            elif code == _STRING and not node.has_error:
                pass  # only quotes, fragments and escapes below
            elif code == _TYPE and not node.has_error:
                # Nothing in a type runs; only the member index may miss what it holds
                # (``typeof a.b``, ``import('x').T``, a computed key ``[Symbol.iterator]``):
                # a member or subscript expression has a ``.`` or a ``[`` in its text.
                if out.members_complete and (
                    self.mentions(node, b".") or self.mentions(node, b"[")
                ):
                    out.members_complete = False
            else:
                inner: tuple[Scope, FunctionInfo | None, bool] | None = None
                if code == _CALL:
                    enter_call(node, function, in_loop, False)
                elif code == _BLOCK:
                    if node.id not in function_bodies:
                        inner = (Scope(_BLOCK_SCOPE, node, scope, function), function, in_loop)
                elif code == _DECLARATION:
                    self.declare_variables(node, scope)
                elif code == _FUNCTION:
                    info = self.enter_function(node, scope, function, ancestors)
                    body = node.child_by_field_id(self.fields.body)
                    if body is not None:
                        function_bodies.add(body.id)
                    inner = (info.scope, info, False)
                elif code == _NEW:
                    enter_call(node, function, in_loop, True)
                elif code == _ASSIGNMENT:
                    out.assignments.append(node)
                    out.assignment_function[node.id] = function
                    left = node.child_by_field_id(self.fields.left)
                    self._note_write(left, scope)
                    self._note_commonjs_export(node, left)
                elif code == _LOOP:
                    block = Scope(_BLOCK_SCOPE, node, scope, function)
                    inner = (block, function, in_loop or _is_unbounded_loop(node))
                    if node.type == "for_in_statement":
                        self._declare_loop_variable(node, block)
                elif code == _CLASS:
                    inner = (self._enter_class(node, scope, function), function, in_loop)
                elif code == _CATCH:
                    block = Scope(_BLOCK_SCOPE, node, scope, function)
                    inner = (block, function, in_loop)
                    param = node.child_by_field_name("parameter")
                    for ident in pattern_identifiers(param):
                        self.declare(ident, _CATCH_BINDING, block, declarator=node)
                elif code == _IMPORT:
                    self.declare_import(node, scope)
                elif code == _UPDATE:
                    self._note_write(node.child_by_field_id(self.fields.argument), scope)
                elif code == _EXPORT:
                    out.exported_nodes.append(node)
                    self._skip_export_aliases(node)
                if goto_first_child():
                    if inner is not None:
                        saved.append((depth, scope, function, in_loop))
                        restore_at = depth
                        scope, function, in_loop = inner
                    depth += 1
                    continue
            while not goto_next_sibling():
                if depth == 0:
                    self._collect_errors()
                    self._resolve()
                    return out
                goto_parent()
                depth -= 1
                if depth == restore_at:
                    _, scope, function, in_loop = saved.pop()
                    restore_at = saved[-1][0] if saved else -1

    def _enter_call(
        self, node: Node, function: FunctionInfo | None, in_loop: bool, is_new: bool
    ) -> None:
        call = CallSite(node, self._callee_name(node, is_new), function, in_loop, is_new)
        out = self.out
        out.calls.append(call)
        out.call_by_node[node.id] = call
        if function is not None:
            function.calls.append(call)

    def _callee_name(self, node: Node, is_new: bool) -> str:
        """The name half of ``callee_parts`` (``CallSite.obj`` and ``args`` are lazy)."""
        fields = self.fields
        callee = node.child_by_field_id(fields.constructor if is_new else fields.function)
        codes = self.callee_codes
        while callee is not None:
            code = codes[callee.kind_id]
            if code == _TRANSPARENT:  # as ``unwrap``
                children = callee.named_children
                callee = children[0] if children else None
            elif code == _MEMBER:
                return self.text(callee.child_by_field_id(fields.property))
            elif code == _IDENTIFIER:
                return self.text(callee)
            elif code == _SUBSCRIPT:
                return string_value(callee.child_by_field_id(fields.index)) or ""
            else:
                return ""
        return ""

    def mentions(self, node: Node, word: bytes) -> bool:
        """Whether ``word`` occurs in the source text of ``node`` (a cheap test that rules out
        a name before a walk looks for it; the text is searched in place, not copied)."""
        source = self.source
        if source is None:
            return True
        base = self.base
        return source.find(word, node.start_byte - base, node.end_byte - base) >= 0

    def text(self, node: Node | None) -> str:
        """``syntax.text``, sliced from the file's bytes (cheaper than ``Node.text``)."""
        source = self.source
        if node is None or source is None:
            return text(node)
        base = self.base
        raw = source[node.start_byte - base : node.end_byte - base]
        try:  # ``_decode``, inlined: names are read once per binding and call
            return raw.decode()
        except UnicodeDecodeError:
            return _decode(raw)

    def _enter_class(self, node: Node, scope: Scope, function: FunctionInfo | None) -> Scope:
        self.out.class_nodes.append(node)
        class_name = node.child_by_field_name("name")
        if class_name is not None and node.type != "class":
            self.declare(class_name, BindingKind.CLASS, scope, declarator=node)
        return Scope(_CLASS_SCOPE, node, scope, function)

    def _collect_errors(self) -> None:
        """Named error and missing nodes in document order.

        Only subtrees that report errors are searched, and everything below an ERROR node
        (tree-sitter may nest an ERROR token without ``has_error`` inside one).
        """
        if not self.root.has_error:
            return
        stack = [self.root]
        while stack:
            node = stack.pop()
            if node.type in _REFERENCE_KINDS or node.type == "comment":
                continue
            error = node.is_error
            if error or node.is_missing:
                self.out.errors.append(node)
            children = node.named_children
            stack.extend(reversed(children if error else [c for c in children if c.has_error]))

    def _declare_loop_variable(self, node: Node, scope: Scope) -> None:
        left = node.child_by_field_name("left")
        keywords = {child.type for child in node.children}
        kind = _VAR if "var" in keywords else _CONST
        if keywords & {"var", "let", "const"}:
            target = self.var_scope(scope) if kind is _VAR else scope
            for ident in pattern_identifiers(left):
                self.declare(ident, kind, target, declarator=node, destructured=True)

    def _note_write(self, target: Node | None, scope: Scope) -> None:
        target = unwrap(target)
        if target is not None and target.type == "identifier":
            self.pending_writes.append((target, scope))

    def _note_commonjs_export(self, node: Node, left: Node | None) -> None:
        """Note what ``module.exports = …`` / ``exports.x = …`` hands out (``left`` is the
        assignment's left side)."""
        if left is None or not self.mentions(left, b"exports"):
            return  # ``dotted_name`` cannot be an export: skip its walk down the chain
        target = dotted_name(left)
        if target is not None and _is_commonjs_export(target):
            right = node.child_by_field_name("right")
            if right is not None:
                self.out.exported_nodes.append(right)

    def _resolve(self) -> None:
        """Resolve every reference and write, once per (scope, name)."""
        out = self.out
        references = out.references
        unresolved = out.unresolved.append
        pending = self.pending
        source, base = self.source, self.base
        if source is None:  # a tree without its text: every name reads "" (as ``text``)
            source, base = b"", 0
        memo_of: dict[Scope, dict[bytes, Binding | None]] = {}
        runs = self.pending_runs
        ends = [start for start, _ in runs[1:]] + [len(pending)] if runs else []
        for (start, scope), end in zip(runs, ends, strict=True):
            memo = memo_of.setdefault(scope, {})
            for ident in pending[start:end]:
                raw = source[ident.start_byte - base : ident.end_byte - base]
                try:
                    binding = memo[raw]
                except KeyError:  # the first time this scope sees the name
                    binding = memo[raw] = scope.lookup(_decode(raw))
                if binding is None:
                    unresolved(ident)
                else:
                    binding.references.append(ident)
                    references[ident.id] = binding
        for ident, scope in self.pending_writes:
            binding = scope.lookup(self.text(ident))
            if binding is not None:
                binding.writes.append(ident)
        self._mark_exports()

    def _skip_export_aliases(self, node: Node) -> None:
        """The name another module imports in ``export { manager as Manager }`` is no use of
        a local ``Manager`` (a class of the same name would look handed out)."""
        for clause in node.named_children:
            if clause.type != "export_clause":
                continue
            for specifier in clause.named_children:
                alias = specifier.child_by_field_name("alias")
                if alias is not None:
                    self.declared.add(alias.id)

    def _mark_exports(self) -> None:
        """Mark what ``export`` statements and ``module.exports`` assignments hand out."""
        for node in self.out.exported_nodes:
            if node.type == "export_statement":
                declaration = node.child_by_field_name("declaration")
                if declaration is not None:
                    self._export_declared(declaration)
                values = [
                    c for c in node.named_children if c.id != getattr(declaration, "id", None)
                ]
            else:
                values = [node]
            stack = values
            while stack:
                current = unwrap(stack.pop())
                if current is None:
                    continue
                kind = current.type
                if kind in _REFERENCE_KINDS:
                    binding = self.out.references.get(current.id)
                    if binding is not None:
                        self._export_binding(binding)
                elif kind in FUNCTION_KINDS:
                    info = self.out.function_by_node.get(current.id)
                    if info is not None:
                        info.exported = True
                elif kind in CLASS_KINDS:
                    self._export_declared(current)
                elif kind in ("object", "pair", "export_clause", "export_specifier"):
                    stack.extend(
                        c for c in current.named_children if c.type != "property_identifier"
                    )

    @staticmethod
    def _export_binding(binding: Binding) -> None:
        binding.exported = True
        if binding.function is not None and binding.kind is not _PARAM:
            binding.function.exported = True

    def _export_declared(self, declaration: Node) -> None:
        start, end = declaration.start_byte, declaration.end_byte
        if self.module_bindings is None:  # by position, built at the first export
            found = [b for b in self.out.bindings if b.scope.is_module]
            found.sort(key=lambda binding: binding.node.start_byte)
            self.module_bindings = found
            self.module_binding_starts = [binding.node.start_byte for binding in found]
        first = bisect_left(self.module_binding_starts, start)
        last = bisect_left(self.module_binding_starts, end)
        for binding in self.module_bindings[first:last]:
            self._export_binding(binding)


@record
class _Fields:
    """A grammar's ids of the fields the walk reads on every call, declaration, function and
    assignment (``child_by_field_name`` looks a name up among all the grammar's fields by
    comparing strings, each time; the ids differ between grammars)."""

    function: int
    constructor: int
    property: int
    index: int
    name: int
    value: int
    body: int
    left: int
    parameter: int
    parameters: int
    argument: int


@cache
def _grammar_tables(language: Language) -> tuple[bytes, bytes, _Fields]:
    """The walk's kind codes, the callee kind codes and the field ids of a grammar, looked up
    once per grammar (``kind_table`` sorts its mapping to key its own cache: per file that
    was a measurable share of a small file's walk)."""
    names = tuple(_Fields.__dataclass_fields__)
    return (
        kind_table(language, _CODES),
        kind_table(language, _CALLEE_CODES),
        _Fields(*field_ids(language, names)),
    )


def _decode(raw: bytes) -> str:
    """``raw`` as text, invalid UTF-8 replaced (as ``syntax.text``): the strict decode, a
    third of the cost, succeeds on every valid text, with the same result."""
    try:
        return raw.decode()
    except UnicodeDecodeError:
        return raw.decode("utf-8", "replace")


class _Ancestors:
    """The ancestors of the walk cursor's current node, innermost first, climbed on demand.

    ``start`` takes a snapshot of the cursor (``reset_to``; ``TreeCursor.copy`` crashes in
    this tree-sitter release), then each ``next`` climbs one level (None above the root).
    One climber serves the whole walk: a generator per function cost more than the climb.
    """

    __slots__ = ("climber", "cursor")

    def __init__(self, root: Node, cursor: TreeCursor) -> None:
        self.climber = root.walk()
        self.cursor = cursor

    def start(self) -> _Ancestors:
        self.climber.reset_to(self.cursor)
        return self

    def next(self) -> Node | None:
        climber = self.climber
        while climber.goto_parent():
            node = climber.node
            if node is not None:
                return node
        return None


def _returned_from(enclosing: FunctionInfo | None, ancestors: _Ancestors) -> bool:
    """Whether the object literal a function sits in (``ancestors`` continue above its
    ``pair``) is returned by ``enclosing``: ``return { m: () => … }``, nested literals and
    parentheses included, or an arrow's body."""
    while (node := ancestors.next()) is not None:
        kind = node.type
        if kind in TRANSPARENT_KINDS or kind in ("object", "pair"):
            continue
        if kind == "return_statement":
            return True
        return enclosing is not None and node.id == enclosing.node.id and enclosing.is_arrow
    return False


def _has_child(node: Node, kind: str) -> bool:
    """Whether a child of ``node`` (a keyword such as ``static``) is of ``kind``."""
    for child in node.children:  # noqa: SIM110 (``any`` over a generator costs a frame)
        if child.type == kind:
            return True
    return False


def _index_of(nodes: list[Node], node_id: int) -> int:
    """The index of the node with id ``node_id`` in ``nodes``, -1 if absent."""
    for index, node in enumerate(nodes):
        if node.id == node_id:
            return index
    return -1


def _is_unbounded_loop(node: Node) -> bool:
    """``while``, ``do`` and ``for await`` loops run for as long as work arrives."""
    if node.type in ("while_statement", "do_statement"):
        return True
    return node.type == "for_in_statement" and _has_child(node, "await")


def unwrap_param(pattern: Node) -> Node:
    if pattern.type in ("required_parameter", "optional_parameter"):
        inner = pattern.child_by_field_name("pattern")
        if inner is not None:
            return inner
    if pattern.type == "assignment_pattern":
        left = pattern.child_by_field_name("left")
        if left is not None:
            return left
    return pattern


def _is_commonjs_export(target: str) -> bool:
    return target == "module.exports" or target.startswith(("module.exports.", "exports."))


def collect(root: Node, language: Language) -> Collected:
    """Walk a whole tree (of ``language``) once and return the raw facts."""
    return _Walker(root, language).run()
