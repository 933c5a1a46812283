"""The semantic model every rule asks: built once per file from one traversal."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from nodeleaklint.parsing import Dialect, Node, Tree
from nodeleaklint.semantics.builder import Collected, collect
from nodeleaklint.semantics.classes import ClassInfo, Factory, find_classes, find_factories
from nodeleaklint.semantics.constructions import (
    complete_sites,
    construction_sites,
    declared_class,
)
from nodeleaklint.semantics.exports import Export, exported_binding_names, module_exports
from nodeleaklint.semantics.lifetimes import Holder, binding_lifetime, lifetime_of
from nodeleaklint.semantics.project_facts import ProjectFacts
from nodeleaklint.semantics.repetition import (
    Because,
    Readers,
    apply_known,
    compute_repetition,
    is_event_driven,
)
from nodeleaklint.semantics.scopes import (
    Binding,
    CallSite,
    FunctionInfo,
    ReasonKind,
    Repetition,
    Scope,
)
from nodeleaklint.semantics.stream_facts import StreamInfo
from nodeleaklint.semantics.syntax import (
    FUNCTION_KINDS,
    ancestors,
    is_inside,
    outer,
    returned_values,
    text,
    unwrap,
)
from nodeleaklint.source import SourceFile


def _drive_methods(classes: list[ClassInfo], driven: dict[str, str]) -> None:
    """Mark the methods the project view saw called per request or event on the class's
    instance from another file (``Class.method`` -> where)."""
    for info in classes:
        for name, functions in info.methods.items():
            where = driven.get(f"{info.name}.{name}")
            if where is None:
                continue
            for function in functions:
                function.driven_elsewhere = True
                function.reason_kind = ReasonKind.MEMBER
                function.reason = f"the method `{info.name}.{name}` ({where})"


def _once_methods(
    classes: list[ClassInfo], facts: Collected, data: bytes, once: dict[str, str]
) -> dict[int, Because]:
    """The methods the project view saw called only from start-up code of other files, on
    the instance this file exports (``Class.method`` -> why), that run once: the class is
    this file's alone (not exported, every ``new`` of it at module top level, so the
    exported instance is its only one) and the file never names the method on any object
    (``this.m()``, ``instance.m()``, ``this.m`` handed on): its own calls would decide.
    Method function node id -> (ONCE, why)."""
    if not once:
        return {}
    wanted: dict[str, list[tuple[ClassInfo, list[FunctionInfo]]]] = {}
    for info in classes:
        if info.es5 or info.name is None:
            continue
        for name, functions in info.methods.items():
            if f"{info.name}.{name}" in once:
                wanted.setdefault(name, []).append((info, functions))
    if not wanted:
        return {}
    found_names = _member_names(facts)
    if found_names is None:
        return {}  # ``this[name]()``: any method may be called here
    named = set(found_names)
    if not facts.members_complete:
        # A type the walk skipped may hold a member expression (``typeof a.b``): the name
        # is then named elsewhere when it occurs in the text more often than it is defined.
        for name, owners in wanted.items():
            found = re.findall(rb"(?<![\w$])" + re.escape(name.encode()) + rb"(?![\w$])", data)
            if len(found) > sum(len(functions) for _info, functions in owners):
                named.add(name)
    return _once_found(wanted, named, facts, once)


def _member_names(facts: Collected) -> set[str] | None:
    """Every name the file uses as a member (``x.m``, ``x['m']``), or None when it reads
    ``this[expr]`` (any method may be called there)."""
    named: set[str] = set()
    for member in facts.members:
        if member.type == "member_expression":
            prop = member.child_by_field_name("property")
            if prop is not None:
                named.add(text(prop))
            continue
        index = member.child_by_field_name("index")
        if index is not None and index.type == "string":
            named.add(text(index)[1:-1])
        elif _on_this(member):
            return None
    return named


class ClosedMethods:
    """Which methods' repetition only other files decide: a method of a class whose one
    instance the file makes at its top level, which the file never names (``_once_methods``'
    conditions). A call made directly in one runs as often as the view finds the method
    runs. Asked method by method, each answer worked out once (most files ask about none)."""

    def __init__(self, classes: list[ClassInfo], facts: Collected, data: bytes) -> None:
        self.classes = classes
        self.facts = facts
        self.data = data
        self._named: set[str] | None = None
        self._made: dict[int, bool] = {}
        self._answers: dict[tuple[int, str], bool] = {}

    def closed(self, info: ClassInfo, name: str) -> bool:
        key = (info.node.id, name)
        known = self._answers.get(key)
        if known is None:
            known = self._answers[key] = self._closed(info, name)
        return known

    def _closed(self, info: ClassInfo, name: str) -> bool:
        if info.es5 or info.name is None:
            return False
        made = self._made.get(info.node.id)
        if made is None:
            made = self._made[info.node.id] = _made_once_here(info, self.facts)
        if not made:
            return False
        if self._named is None:
            found = _member_names(self.facts)
            self._named = {""} if found is None else found  # {""}: ``this[expr]`` seen
        if "" in self._named or name in self._named:
            return False
        if self.facts.members_complete:
            return True
        # A type the walk skipped may hold a member expression (``typeof a.b``): the name
        # may occur in the text no more often than it is defined.
        pattern = rb"(?<![\w$])" + re.escape(name.encode()) + rb"(?![\w$])"
        defined = sum(len(c.methods.get(name, ())) for c in self.classes)
        return len(re.findall(pattern, self.data)) <= defined


def _on_this(member: Node) -> bool:
    found = unwrap(member.child_by_field_name("object"))
    return found is not None and found.type == "this"


def _once_found(
    wanted: dict[str, list[tuple[ClassInfo, list[FunctionInfo]]]],
    named: set[str],
    facts: Collected,
    once: dict[str, str],
) -> dict[int, Because]:
    """``_once_methods`` of the methods ``wanted`` whose names are not in ``named``."""
    found: dict[int, Because] = {}
    for name, owners in wanted.items():
        if name in named:
            continue
        for info, functions in owners:
            if not _made_once_here(info, facts):
                continue
            why = f"the method `{info.name}.{name}`, {once[f'{info.name}.{name}']}"
            for function in functions:
                found[function.node.id] = (Repetition.ONCE, ReasonKind.ONCE, why)
    return found


def made_once_here(info: ClassInfo, facts: Collected) -> bool:
    """``_made_once_here`` for the other modules of the model."""
    return _made_once_here(info, facts)


def _made_once_here(info: ClassInfo, facts: Collected) -> bool:
    """Whether the class declared at the file's top level is made only here, by ``new``
    expressions at module top level (``export = new Manager()``): one instance."""
    binding = declared_class(facts.module_scope, info.name, info.node)
    if binding is None:
        return False
    sites = complete_sites(binding, facts.call_by_node)
    return bool(sites) and all(s.function is None and not s.in_loop for s in sites or ())


def _listened_elsewhere(
    exports: list[Export], facts: Collected, project: ProjectFacts | None
) -> dict[str, str]:
    """Binding name -> where another file adds listeners per call to what it exports."""
    if not project or not project.listened:
        return {}
    names = exported_binding_names(exports, facts)
    return {names[e]: place for e, place in project.listened.items() if e in names}


def _own_return_at(body: Node, at: int) -> Node | None:
    """The ``return`` statement of ``body``'s own code (as ``syntax.own_nodes`` walks it:
    named nodes, no nested function entered) that starts at byte ``at``, or None. Down
    from ``body`` along the nodes holding ``at``, so only one path is looked at."""
    cursor = body.walk()
    while cursor.goto_first_child_for_byte(at) is not None:
        node = cursor.node
        if node is None or node.start_byte > at or not node.is_named:
            return None
        if node.type in FUNCTION_KINDS:
            return None
        if node.start_byte == at and node.type == "return_statement":
            return node
    return None


@dataclass(eq=False, repr=False)
class SemanticModel:
    """Everything the rules ask about one file: its source, tree, collected facts and indexes."""

    source: SourceFile
    tree: Tree
    dialect: Dialect
    facts: Collected
    calls_by_name: dict[str, list[CallSite]] = field(default_factory=dict)
    classes: list[ClassInfo] = field(default_factory=list)
    factories: list[Factory] = field(default_factory=list)
    # Derived indexes that semantics modules build on demand, once per file (member_index).
    cache: dict[str, object] = field(default_factory=dict, repr=False)
    # What the project view learned about this file's classes: which have one instance,
    # created at start-up, and which are created per call, as locals (class name -> where).
    singletons: dict[str, str] = field(default_factory=dict)
    per_call_classes: dict[str, str] = field(default_factory=dict)
    # Exported function node id -> per parameter, what its callers in other files pass.
    passed_in: dict[int, tuple[tuple[str, str] | None, ...]] = field(default_factory=dict)
    # Imported local name -> (kind, where declared): a collection of another file that no
    # file of the project shrinks.
    imported_collections: dict[str, tuple[str, str]] = field(default_factory=dict)
    # Module-level binding name -> where another file adds listeners to it per call.
    listened_elsewhere: dict[str, str] = field(default_factory=dict)
    # Imported function, as called (``getEmitter``, ``registry.getEmitter``) -> the words
    # for the process-lived value it returns (its file's ``return``s, the project view).
    returned_elsewhere: dict[str, str] = field(default_factory=dict)
    # Exported function node id -> (file as shown, line, what happens there) of the caller
    # in another file that decided how often it runs (a related location for findings).
    called_from: dict[int, tuple[str, int, str]] = field(default_factory=dict)
    # Imported local name -> the stream every call of that function of another file
    # returns, in words ("a `Transform` stream"), from the project view.
    imported_streams: dict[str, StreamInfo] = field(default_factory=dict)
    # Imported class or function, as called (``DbAbstraction``, ``db.open``) -> what
    # ``new X()`` / ``f()`` hands over to be closed (``ProjectFacts.resources``).
    imported_resources: dict[str, tuple[str, str, tuple[str, ...], bool, str]] = field(
        default_factory=dict
    )
    # Imported function, as called (``subscribe``) -> how it adds its caller's listener to
    # a process-lived emitter of another file (``ProjectFacts.registrars``).
    imported_registrars: dict[str, tuple[int, str, str, int, str, tuple[str, ...], bool]] = field(
        default_factory=dict
    )
    # Imported local name -> the library module that made the object another file exports
    # (``ProjectFacts.libraries``: a winston logger made in ``lib/logger.ts``).
    imported_libraries: dict[str, str] = field(default_factory=dict)
    # Method name -> why nothing in the project runs it (``semantics.uncalled``): a method
    # of this file that may shrink a collection, named by no non-test file of the project;
    # and the other methods of its owner that other files of the project call.
    uncalled_elsewhere: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    # Export name or ``Class.method`` -> per parameter, whether every caller in other files
    # passes one fixed value there, and the words for it (``ProjectFacts.keys``).
    passed_keys: dict[str, tuple[tuple[bool, str], ...]] = field(default_factory=dict)
    # Function -> the functions whose repetition was worked out from its: what a fact of
    # the project view about one function may change besides it (``ProjectReads``).
    repetition_readers: Readers = field(default_factory=dict, repr=False)

    # -- construction ---------------------------------------------------------------------
    @classmethod
    def build(
        cls,
        source: SourceFile,
        tree: Tree,
        dialect: Dialect,
        project: ProjectFacts | None = None,
    ) -> SemanticModel:
        """The model of one file; ``project`` is what the project view knows about how
        often other files call this file's exports (None: the file alone)."""
        facts = collect(tree.root_node, tree.language)
        classes = find_classes(facts)
        learned: dict[int, tuple[Repetition, str, bool]] = {}
        sites: set[int] = set()
        passed_in: dict[int, tuple[tuple[str, str] | None, ...]] = {}
        called_from: dict[int, tuple[str, int, str]] = {}
        exports = module_exports(facts) if project else []
        if project:
            for export in exports:
                if export.function is None:
                    continue
                fact = project.calls.get(export.name)
                if fact is not None:
                    learned[export.function.node.id] = fact
                    place = project.places.get(export.name)
                    if place is not None:
                        called_from[export.function.node.id] = place
                    sites.add((unwrap(export.node) or export.node).id)
                given = project.params.get(export.name)
                if given is not None:
                    passed_in.setdefault(export.function.node.id, given)
        known = apply_known(facts.function_by_node, learned)
        if project and project.once_methods:
            known.update(_once_methods(classes, facts, source.data, project.once_methods))
        closed = (
            {
                info.constructor.node.id: project.closed_classes[info.name]
                for info in classes
                if info.name in project.closed_classes and info.constructor is not None
            }
            if project and project.closed_classes
            else None
        )
        readers = compute_repetition(
            facts.functions, facts.function_by_node, facts.call_by_node, known, sites, closed
        )
        if project:
            _drive_methods(classes, project.driven_methods)
        by_name: defaultdict[str, list[CallSite]] = defaultdict(list)
        for call in facts.calls:
            by_name[call.name].append(call)
        return cls(
            source=source,
            tree=tree,
            dialect=dialect,
            facts=facts,
            calls_by_name=dict(by_name),
            classes=classes,
            factories=find_factories(facts),
            singletons=dict(project.singletons) if project else {},
            per_call_classes=dict(project.per_call) if project else {},
            passed_in=passed_in,
            imported_collections=dict(project.collections) if project else {},
            listened_elsewhere=_listened_elsewhere(exports, facts, project),
            returned_elsewhere=dict(project.returns) if project else {},
            called_from=called_from,
            imported_streams=dict(project.streams) if project else {},
            imported_resources=dict(project.resources) if project else {},
            imported_registrars=dict(project.registrars) if project else {},
            imported_libraries=dict(project.libraries) if project else {},
            uncalled_elsewhere=dict(project.uncalled) if project else {},
            passed_keys=dict(project.keys) if project else {},
            repetition_readers=readers,
        )

    def created_once_elsewhere(self, class_name: str | None) -> str | None:
        """Where another file of the project creates the one instance of this file's class
        ``class_name`` at start-up (``module.exports = new X()``), or None."""
        return self.singletons.get(class_name) if class_name else None

    def created_per_call_elsewhere(self, class_name: str | None) -> str | None:
        """Where the project creates the instances of this file's class ``class_name``,
        when each is a local of code that runs per call (so it dies with its call)."""
        return self.per_call_classes.get(class_name) if class_name else None

    # -- indexes ----------------------------------------------------------------------------
    @property
    def root(self) -> Node:
        return self.tree.root_node

    @property
    def module_scope(self) -> Scope:
        return self.facts.module_scope

    @property
    def functions(self) -> list[FunctionInfo]:
        return self.facts.functions

    @property
    def calls(self) -> list[CallSite]:
        return self.facts.calls

    @property
    def bindings(self) -> list[Binding]:
        return self.facts.bindings

    @property
    def comments(self) -> list[Node]:
        return self.facts.comments

    @property
    def assignments(self) -> list[Node]:
        return self.facts.assignments

    @property
    def syntax_errors(self) -> list[Node]:
        return self.facts.errors

    def calls_named(self, *names: str) -> list[CallSite]:
        """Calls and ``new`` expressions whose callee name (or method name) is one of ``names``."""
        found: list[CallSite] = []
        sources = 0  # how many names have calls: each name's list is in document order
        for name in names:
            calls = self.calls_by_name.get(name)
            if calls:
                found.extend(calls)
                sources += 1
        return sorted(found, key=lambda call: call.node.start_byte) if sources > 1 else found

    def call_at(self, node: Node) -> CallSite | None:
        return self.facts.call_by_node.get(node.id)

    def function_at(self, node: Node) -> FunctionInfo | None:
        """The FunctionInfo of a function node."""
        return self.facts.function_by_node.get(node.id)

    # -- names ------------------------------------------------------------------------------
    def binding_of(self, identifier: Node) -> Binding | None:
        """The binding an identifier refers to (or declares), None for globals."""
        binding = self.facts.references.get(identifier.id)
        if binding is not None:
            return binding
        return self._bindings_by_node().get(identifier.id)

    def _bindings_by_node(self) -> dict[int, Binding]:
        """Bindings by the id of their declaring identifier (the first, as a scan would find).

        Built once per file: a scan per call made large files quadratic.
        """
        cached = self.cache.get("bindings_by_node")
        if isinstance(cached, dict):
            return cached
        index: dict[int, Binding] = {}
        for binding in self.facts.bindings:
            index.setdefault(binding.node.id, binding)
        self.cache["bindings_by_node"] = index
        return index

    def resolve(self, name: str, at: Node) -> Binding | None:
        """Look a name up from the scope that contains ``at``."""
        return self.scope_at(at).lookup(name)

    def scope_at(self, node: Node) -> Scope:
        """The innermost function or module scope containing ``node``."""
        function = self.enclosing_function(node)
        return function.scope if function is not None else self.module_scope

    def same_binding(self, a: Node | None, b: Node | None) -> bool:
        """Whether two identifiers denote the same binding (or the same global)."""
        if a is None or b is None or a.type != "identifier" or b.type != "identifier":
            return False
        first, second = self.binding_of(a), self.binding_of(b)
        if first is None and second is None:
            return text(a) == text(b)
        return first is second

    # -- classes --------------------------------------------------------------------------
    def class_info(self, class_node: Node | None) -> ClassInfo | None:
        """The class (either syntax) whose node is ``class_node``."""
        if class_node is None:
            return None
        return next((c for c in self.classes if c.node.id == class_node.id), None)

    def in_class(self, node: Node, class_node: Node) -> bool:
        """Whether ``node`` lies in a member of the class: its body, or an ES5 constructor or
        prototype method (which sit apart in the file)."""
        if is_inside(node, class_node):
            return True
        info = self.class_info(class_node)
        if info is None or not info.es5:
            return False
        return any(is_inside(node, member.node) for member in info.members)

    # -- functions --------------------------------------------------------------------------
    def enclosing_function(self, node: Node) -> FunctionInfo | None:
        """The innermost function containing ``node`` (never ``node`` itself).

        Calls, assignments and functions have it recorded by the walk; any other node is
        placed among the functions' byte ranges (``Node.parent`` searches down from the root,
        so climbing ancestors is the slow way, kept for the ranges that cannot decide).
        """
        facts = self.facts
        key = node.id
        call = facts.call_by_node.get(key)
        if call is not None:
            return call.function
        if key in facts.assignment_function:
            return facts.assignment_function[key]
        function = facts.function_by_node.get(key)
        if function is not None:
            return function.parent
        start, end = node.start_byte, node.end_byte
        if start < end:
            index = bisect_right(self._function_starts(), start) - 1  # the last to start here
            candidate = facts.functions[index] if index >= 0 else None
            while candidate is not None:
                outer_start, outer_end = candidate.node.start_byte, candidate.node.end_byte
                if outer_start == start and outer_end == end:
                    break  # ``node`` wraps the function exactly (``() => {}`` as a statement)
                if outer_start <= start and end <= outer_end:
                    return candidate
                candidate = candidate.parent
            else:
                return None
        for parent in ancestors(node):
            if parent.type in FUNCTION_KINDS:
                return self.facts.function_by_node.get(parent.id)
        return None

    def _function_starts(self) -> list[int]:
        """The functions' start bytes, in walk order (document order, so sorted)."""
        cached = self.cache.get("function_starts")
        if isinstance(cached, list):
            return cached
        starts = [function.node.start_byte for function in self.facts.functions]
        self.cache["function_starts"] = starts
        return starts

    def returned_values(self, function: FunctionInfo) -> list[Node | None] | None:
        """``syntax.returned_values`` of ``function``, worked out once per function (the
        summary asks for the same exported functions' returns more than once)."""
        cached = self.cache.get("returned_values")
        if not isinstance(cached, dict):
            self.cache["returned_values"] = cached = {}
        key = function.node.id
        if key not in cached:
            cached[key] = self._returned_values(function.node)
        found: list[Node | None] | None = cached[key]
        return found

    def _returned_values(self, function: Node) -> list[Node | None] | None:
        """``syntax.returned_values``, a block's ``return`` statements found by their
        keyword in the file's bytes (each starts with it; it has no escaped spelling)
        rather than by walking the whole body: most bodies hold few or none."""
        body = function.child_by_field_name("body")
        if body is None or body.type != "statement_block":
            return returned_values(function)
        data, end = self.source.data, body.end_byte
        found: list[Node | None] = []
        at = data.find(b"return", body.start_byte, end)
        while at >= 0:
            statement = _own_return_at(body, at)
            if statement is not None:
                found.append(statement.named_children[0] if statement.named_children else None)
            at = data.find(b"return", at + 6, end)
        return found

    def assignments_in(self, function: FunctionInfo | None) -> list[Node]:
        """The assignments whose innermost function is ``function`` (None: top level)."""
        cached = self.cache.get("assignments_by_function")
        if not isinstance(cached, dict):
            index: dict[int | None, list[Node]] = {}
            for assignment in self.facts.assignments:
                owner = self.facts.assignment_function[assignment.id]
                index.setdefault(owner.node.id if owner else None, []).append(assignment)
            self.cache["assignments_by_function"] = cached = index
        found: list[Node] = cached.get(function.node.id if function else None, [])
        return found

    def this_function(self, node: Node) -> FunctionInfo | None:
        """The function whose ``this`` a ``this`` at ``node`` means.

        Arrows see through. So do functions that the code gives the same ``this`` as the
        function around them: ``function () {}.bind(this)``, a method made in a constructor
        (``this.flush = function () { this… }``), and a listener registered on ``this``
        (``this.on('close', function () { this… })``: an emitter calls its listeners with
        itself as ``this``).
        """
        function = self.enclosing_function(node)
        while function is not None:
            if (function.is_arrow and function.method_kind != "field") or (
                function.class_node is None
                and function.parent is not None
                and self._shares_this(function)
            ):
                function = function.parent
            else:
                break
        return function

    def _shares_this(self, function: FunctionInfo) -> bool:
        position = outer(function.node)
        parent = position.parent
        if parent is None:
            return False
        if parent.type == "member_expression" and text(parent.child_by_field_name("property")) in (
            "bind",
            "call",
        ):
            bound = parent.parent
            args = bound.child_by_field_name("arguments") if bound is not None else None
            first = args.named_children[0] if args is not None and args.named_children else None
            return self.is_this(first)
        if parent.type == "assignment_expression":
            left = unwrap(parent.child_by_field_name("left"))
            obj = left.child_by_field_name("object") if left is not None else None
            return left is not None and left.type == "member_expression" and self.is_this(obj)
        site = function.callback_of
        return (
            site is not None
            and site.name in ("on", "once", "addListener", "prependListener")
            and self.is_this(site.obj)
        )

    def is_this(self, node: Node | None) -> bool:
        """``this``, or a never-reassigned local initialised from it (``self``, ``that``)."""
        node = unwrap(node)
        if node is None:
            return False
        if node.type == "this":
            return True
        if node.type != "identifier":
            return False
        binding = self.binding_of(node)
        return binding is not None and binding.is_this_alias

    def node_memo(self, question: str) -> dict[int, Any]:
        """The answers to one question about nodes of this file, by node id (kept for the
        file: ``place_of``, ``lifetime_of`` … each work a node out once)."""
        table = self.cache.get(question)
        if not isinstance(table, dict):
            self.cache[question] = table = {}
        return table

    def call_sites_of(self, function: FunctionInfo) -> list[CallSite] | None:
        """Every call of a named function, when all its uses in the file are direct calls and
        it is not exported (so no caller is out of view); for a class's constructor, every
        ``new X(…)`` when no other use can construct the class (``semantics.constructions``);
        None otherwise."""
        key = f"call_sites:{function.node.id}"
        if key in self.cache:
            cached = self.cache[key]
            return cached if isinstance(cached, list) else None
        sites: list[CallSite] | None = None
        binding = function.binding
        if function.class_node is not None and function.method_kind == "constructor":
            sites = construction_sites(self, function)  # ``new X(…)`` (SPEC §1)
        elif binding is not None and not (binding.is_reassigned or binding.exported):
            calls = self.direct_calls(binding)
            if not function.exported and len(calls) == len(binding.references):
                sites = calls
        self.cache[key] = sites
        return sites

    def direct_calls(self, binding: Binding) -> list[CallSite]:
        """The calls of ``binding`` by its name (``f(…)``, not ``new f()``); its other uses
        (passed on, stored, exported) are left out."""
        sites: list[CallSite] = []
        for reference in binding.references:
            position = outer(reference)
            parent = position.parent
            call = self.call_at(parent) if parent is not None else None
            callee = call.callee if call is not None else None
            if (
                call is not None
                and not call.is_new
                and callee is not None
                and callee.id == position.id
            ):
                sites.append(call)
        return sites

    def repetition(self, function: FunctionInfo | None) -> Repetition:
        return function.repetition if function is not None else Repetition.ONCE

    def is_event_driven(self, function: FunctionInfo | None) -> bool:
        """Whether ``function`` runs per external event (a request, a message), not per API call."""
        if function is None:
            return False
        return is_event_driven(function, self.facts.function_by_node, self.facts.call_by_node)

    def is_passed_as_argument(self, reference: Node) -> bool:
        parent = outer(reference).parent
        return parent is not None and parent.type == "arguments"

    # -- lifetimes --------------------------------------------------------------------------
    def lifetime_of(self, node: Node | None) -> Holder:
        return lifetime_of(self, node)

    def binding_lifetime(self, binding: Binding) -> Holder:
        return binding_lifetime(self, binding)
