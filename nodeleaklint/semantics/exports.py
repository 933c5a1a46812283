"""What a module hands out and what it takes in: the model's side of the project view.

``module_exports`` names the functions a file exports (``export function f``, ``export
default``, ``export { f as g }``, ``module.exports = f``, ``module.exports = { f }``,
``exports.f = …``) and the exports that only pass on another module's (re-exports).
``module_imports`` says what each imported local name refers to (``import x from``,
``import { a as b }``, ``import * as ns``, ``require('m')``, ``const { a } = require('m')``,
``require('m').a``). ``imported_uses`` lists every call of an imported function, with how
often the calling code runs. The project view (``nodeleaklint.project``) links these per
file facts across files; the repetition it learns flows back through ``export_functions``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from nodeleaklint.parsing import Node
from nodeleaklint.records import record
from nodeleaklint.semantics.builder import Collected
from nodeleaklint.semantics.contexts import field_class
from nodeleaklint.semantics.latches import Latch, latch_of
from nodeleaklint.semantics.latches import Memo as LatchMemo
from nodeleaklint.semantics.listeners import first_added_per_call
from nodeleaklint.semantics.project_facts import DEFAULT, NAMESPACE
from nodeleaklint.semantics.provenance import imported_name
from nodeleaklint.semantics.repetition import (
    is_event_driven,
    is_registration,
    registration_label,
)
from nodeleaklint.semantics.scopes import Binding, BindingKind, CallSite, FunctionInfo, Repetition
from nodeleaklint.semantics.syntax import (
    CLASS_KINDS,
    FUNCTION_KINDS,
    TRANSPARENT_KINDS,
    dotted_name,
    is_require_call,
    required_module,
    root_object,
    string_value,
    text,
    unwrap,
)
from nodeleaklint.semantics.values import collection_kind
from nodeleaklint.semantics.vocabulary import NODE_BUILTINS, SIZE_AND_SHRINK


@record
class Import:
    """A local name bound to another module's export: ``name`` in module ``source``."""

    source: str
    name: str


@record
class Export:
    """One exported name. ``function`` is set when it is a function of this file,
    ``class_name`` when it is a class of this file, ``forwards`` when the name passes on
    another module's export (a re-export)."""

    name: str
    node: Node
    function: FunctionInfo | None = None
    forwards: Import | None = None
    class_name: str | None = None  # a class of this file, by its local name
    # ``new X()``: an instance of class ``X`` (``Import("", X)`` for a class of this file).
    instance_of: Import | None = None


@record
class Use:
    """A call of an imported function (or its registration as a callback).

    ``repetition`` is how often the calling code runs as far as this file can tell;
    ``via`` names the export of this file whose callers decide it when it is UNKNOWN.
    """

    target: Import
    member: str | None
    node: Node
    repetition: Repetition
    reason: str
    via: str | None = None
    driven: bool = False  # the calling code runs per request, event or loop turn
    kept_locally: bool = False  # ``const x = new X()`` in a function: a local, not stored
    # ``io.use(f)``: the import is handed to ``node`` as a callback, not called by it (the
    # call's arguments are not what ``f``'s parameters receive).
    registered: bool = False

    @property
    def creates(self) -> bool:
        """``new X()``: an instance of the imported class, not a call of a function."""
        return self.node.type == "new_expression"


def module_exports(facts: Collected) -> list[Export]:
    """Every exported name of the module, in source order."""
    found: list[Export] = []
    for node in facts.exported_nodes:
        if node.type == "export_statement":
            found.extend(_esm_exports(node, facts))
        else:
            found.extend(_commonjs_exports(node, facts))
    return found


def module_imports(facts: Collected) -> dict[Binding, Import]:
    """Each module-level binding that refers to another module's export."""
    return _imports(facts.module_scope.bindings.values())


def local_imports(facts: Collected) -> dict[Binding, Import]:
    """Bindings inside functions and blocks that load another module
    (``function start() { const routing = require('./routing'); routing(app) }``, ``if (x) {
    const { run } = await import('./api') }``): their calls say how often the other file's
    export runs, like a top-level import's. Kept apart from ``module_imports`` because the
    project view names module-level imports by their local name, and two functions may
    reuse one name for different modules."""
    return _imports(
        [
            b
            for b in facts.bindings
            if b.module_source is not None  # first: most bindings load no module
            and not b.scope.is_module
            and b.kind is not BindingKind.IMPORT
        ]
    )


def _imports(bindings: Iterable[Binding]) -> dict[Binding, Import]:
    """The bindings among ``bindings`` that stand for another module's export (Node's own
    modules left out)."""
    found: dict[Binding, Import] = {}
    for binding in bindings:
        source = binding.module_source
        if source is None or source.startswith("node:") or source in NODE_BUILTINS:
            continue
        name = _imported_name(binding)
        if name is not None:
            found[binding] = Import(source, name)
    return found


class Places:
    """Where nodes stand as values: ``outer(node)`` and the parent of that, worked out once
    per node of one file (``Node.parent`` searches down from the root, and the summary
    asks about each reference to an import three times: how it is used, whether it
    shrinks a collection, whether a listener is added to it)."""

    def __init__(self) -> None:
        self._known: dict[int, tuple[Node, Node | None]] = {}

    def of(self, node: Node) -> tuple[Node, Node | None]:
        """``outer(node)`` and its parent (None at the root)."""
        known = self._known.get(node.id)
        if known is None:
            position, parent = node, node.parent
            while parent is not None and parent.type in TRANSPARENT_KINDS:
                position, parent = parent, parent.parent
            known = self._known[node.id] = (position, parent)
        return known


def imported_uses(
    facts: Collected,
    imports: dict[Binding, Import],
    exports: list[Export],
    places: Places | None = None,
    data: bytes | None = None,
) -> list[Use]:
    """Calls of imported functions (``f()``, ``ns.f()``, ``new X()``), imported functions
    registered as callbacks (``emitter.on('e', f)``), and every other use of an import
    (passed on or stored: called an unknown number of times). ``exports`` are the module's
    (``module_exports``), computed once by the caller; ``data``, the file's bytes, rules out
    modules loaded in place without a look at every call."""
    sites = {(unwrap(e.node) or e.node).id for e in exports}
    callers = _Callers(facts, export_names(exports), sites, places or Places())
    uses: list[Use] = []
    for binding, target in imports.items():
        for reference in binding.references:
            use = _use_of(reference, target, callers)
            if use is not None:
                uses.append(use)
    if data is None or _may_load_inline(data):
        for call in facts.calls:
            inline = _inline_import(call)
            if inline is not None:
                uses.append(_use_at(inline[0], inline[1], call.node, call, callers))
    return uses


# ``require('./m').f()``, ``(await import('./m')).default.f()``, ``(require('./m') as T).f()``:
# a file without one of these has no module loaded in place (``_inline_import``), and its
# calls are not looked at one by one. Two patterns, each starting with a word: the regex
# engine then skips to that word, where one alternation tries every byte (four times slower).
_INLINE_IMPORT = re.compile(rb"import\s*\(")
_INLINE_REQUIRE = re.compile(rb"""require\s*\(\s*['"][^'"\n]+['"]\s*\)\s*(?:[.)]|as\b)""")


def _may_load_inline(data: bytes) -> bool:
    return _INLINE_IMPORT.search(data) is not None or _INLINE_REQUIRE.search(data) is not None


# What the object of ``….m()`` is when it loads a module in place: ``require('./m')``,
# ``import('./m')`` (awaited, in parentheses), or their ``.default``.
_LOADED_KINDS = frozenset({"call_expression", "member_expression", "await_expression"}) | (
    TRANSPARENT_KINDS
)


def _inline_import(call: CallSite) -> tuple[Import, str] | None:
    """A method called on a module loaded in the same expression, with no name bound to
    it: ``(await import('./m')).default.start()`` (the default export's ``start``),
    ``require('./m').start()``: the export and the member called."""
    if call.is_new:
        return None
    callee = call.callee
    if callee is None or callee.type != "member_expression":
        return None
    target = callee.child_by_field_name("object")
    if target is None or target.type not in _LOADED_KINDS:
        return None  # ``x.m()``, ``this.m()``: most calls, no text read
    loaded = _unawaited(target)
    name = NAMESPACE
    if loaded is not None and loaded.type == "member_expression":
        if text(loaded.child_by_field_name("property")) != DEFAULT:
            return None
        name, loaded = DEFAULT, _unawaited(loaded.child_by_field_name("object"))
    if loaded is None or loaded.type != "call_expression":
        return None
    function = loaded.child_by_field_name("function")
    if function is None or function.type not in ("import", "identifier"):
        return None
    if function.type == "identifier" and text(function) != "require":
        return None
    arguments = loaded.child_by_field_name("arguments")
    given = arguments.named_children if arguments is not None else []
    source = string_value(given[0]) if len(given) == 1 else None
    if source is None or source.startswith("node:") or source in NODE_BUILTINS:
        return None
    return Import(source, name), text(callee.child_by_field_name("property"))


def _unawaited(node: Node | None) -> Node | None:
    """``node`` without parentheses, casts and one ``await``."""
    node = unwrap(node)
    if node is not None and node.type == "await_expression" and node.named_children:
        node = unwrap(node.named_children[0])
    return node


@dataclass(eq=False, repr=False)
class _Callers:
    """What calling code is like, worked out once per calling function of one file."""

    facts: Collected
    exported: dict[int, str]
    export_sites: set[int]  # references that pass an import on (``module.exports = { f }``)
    places: Places
    memo: dict[int, tuple[str, bool]] = field(default_factory=dict)
    latches: LatchMemo = field(default_factory=dict)  # what each block says (``latch_of``)
    _assigning: set[int] | None = None

    def may_latch(self, function: FunctionInfo) -> bool:
        """Whether a call in ``function`` (its innermost function) may sit behind a latch
        (``latch_of`` within ``function``): every latch is or needs an assignment in the
        function's own code — the slot filled, the flag set, ``slot ??= …`` — and the
        model lists each assignment with its innermost function. Most functions have
        none, and then the search up the call's ancestors is not made."""
        if self._assigning is None:
            owners = self.facts.assignment_function
            self._assigning = {
                owner.node.id
                for assignment in self.facts.assignments
                if (owner := owners[assignment.id]) is not None
            }
        return function.node.id in self._assigning

    def described(self, function: FunctionInfo) -> tuple[str, bool]:
        """Why ``function`` runs as often as it does, and whether it runs per event."""
        known = self.memo.get(function.node.id)
        if known is None:
            facts = self.facts
            driven = function.repetition is Repetition.REPEATING and is_event_driven(
                function, facts.function_by_node, facts.call_by_node
            )
            known = self.memo[function.node.id] = (function.describe(), driven)
        return known


# -- exports -------------------------------------------------------------------------------


def _esm_exports(statement: Node, facts: Collected) -> Iterator[Export]:
    source = string_value(statement.child_by_field_name("source"))
    declaration = statement.child_by_field_name("declaration")
    # ``export = value`` (TypeScript): the whole module, as ``module.exports = value``.
    is_default = any(c.type in ("default", "=") for c in statement.children)
    whole = unwrap(next((c for c in statement.named_children), None))
    if (
        whole is not None
        and whole.type == "object"
        and any(c.type == "=" for c in statement.children)
    ):
        yield from _object_exports(whole, facts)  # ``export = { loadGames }``
        return
    if declaration is not None and not is_default:
        yield from _declared_exports(declaration, facts)
        return
    value = statement.child_by_field_name("value") or declaration
    if value is not None or is_default:
        target = value or next((c for c in statement.named_children), None)
        if target is not None:
            yield _value_export(DEFAULT, target, facts)
        return
    for child in statement.named_children:
        if child.type == "export_clause":
            for specifier in child.named_children:
                if specifier.type != "export_specifier":
                    continue
                name_node = specifier.child_by_field_name("name")
                alias = specifier.child_by_field_name("alias") or name_node
                local, exported = text(name_node), text(alias)
                if source is not None:
                    yield Export(exported, specifier, forwards=Import(source, local))
                else:
                    yield _value_export(exported, name_node or specifier, facts)
        elif child.type == "namespace_export" and source is not None:
            yield Export(text(child.named_children[-1]), child, forwards=Import(source, NAMESPACE))
    kinds = {c.type for c in statement.named_children}
    if source is not None and not kinds & {"export_clause", "namespace_export"}:
        yield Export(NAMESPACE, statement, forwards=Import(source, NAMESPACE))


def _declared_exports(declaration: Node, facts: Collected) -> Iterator[Export]:
    if declaration.type in FUNCTION_KINDS or declaration.type == "function_declaration":
        name = declaration.child_by_field_name("name")
        info = facts.function_by_node.get(declaration.id)
        if name is not None:
            yield Export(text(name), declaration, function=info)
    elif declaration.type in CLASS_KINDS:
        name = declaration.child_by_field_name("name")
        if name is not None:
            yield Export(text(name), declaration, class_name=text(name))
    elif declaration.type in ("lexical_declaration", "variable_declaration"):
        for declarator in declaration.named_children:
            if declarator.type != "variable_declarator":
                continue
            name = declarator.child_by_field_name("name")
            value = declarator.child_by_field_name("value")
            if name is not None and name.type == "identifier" and value is not None:
                yield _value_export(text(name), value, facts)


def _commonjs_exports(right: Node, facts: Collected) -> Iterator[Export]:
    assignment = right.parent
    target = dotted_name(assignment.child_by_field_name("left")) if assignment else None
    if target is None:
        return
    if target == "module.exports":
        value = unwrap(right)
        if value is not None and value.type == "object":
            yield from _object_exports(value, facts)
        else:
            yield _value_export(DEFAULT, right, facts)
    else:
        yield _value_export(target.rsplit(".", 1)[-1], right, facts)


def _object_exports(literal: Node, facts: Collected) -> Iterator[Export]:
    for member in literal.named_children:
        if member.type == "shorthand_property_identifier":
            yield _value_export(text(member), member, facts)
        elif member.type == "pair":
            key = member.child_by_field_name("key")
            value = member.child_by_field_name("value")
            name = string_value(key) if key is not None and key.type == "string" else text(key)
            if name and value is not None:
                yield _value_export(name, value, facts)
        elif member.type == "method_definition":
            name_node = member.child_by_field_name("name")
            yield Export(text(name_node), member, facts.function_by_node.get(member.id))


def _value_export(name: str, value: Node, facts: Collected) -> Export:
    """An export of ``value``: a function of this file, an imported name passed on, or
    something else (an object, an instance, a class)."""
    node = unwrap(value) or value
    if node.type in FUNCTION_KINDS:
        return Export(name, value, facts.function_by_node.get(node.id))
    if node.type in CLASS_KINDS:
        class_name = node.child_by_field_name("name")
        return Export(name, value, class_name=text(class_name) if class_name else None)
    if node.type in ("identifier", "shorthand_property_identifier"):
        binding = facts.references.get(node.id)
        if binding is not None:
            if binding.function is not None and binding.kind is not BindingKind.PARAM:
                return Export(name, value, binding.function)
            if binding.kind is BindingKind.CLASS:
                return Export(name, value, class_name=binding.name)
            if binding.module_source is not None and binding.scope.is_module:
                imported = _imported_name(binding)
                if imported is not None:
                    return Export(name, value, forwards=Import(binding.module_source, imported))
            initial = unwrap(binding.init)
            if (
                initial is not None
                and initial.type == "new_expression"
                and binding.scope.is_module
                and not binding.destructured
                and not binding.is_reassigned
            ):
                # ``const manager = new Manager(); export = manager`` (or ``export default``)
                instance = _class_of(initial.child_by_field_name("constructor"), facts)
                return Export(name, value, instance_of=instance)
    if node.type == "new_expression":
        made = _class_of(node.child_by_field_name("constructor"), facts)
        return Export(name, value, instance_of=made)
    source = required_module(node)
    if source is not None:
        return Export(name, value, forwards=Import(source, NAMESPACE))
    if node.type == "member_expression" and is_require_call(node):
        source = required_module(root_object(node))
        prop = node.child_by_field_name("property")
        if source is not None and prop is not None:
            return Export(name, value, forwards=Import(source, text(prop)))
    return Export(name, value)


def _class_of(constructor: Node | None, facts: Collected) -> Import | None:
    """The class ``new constructor()`` makes: one of this file or an imported one."""
    constructor = unwrap(constructor)
    if constructor is None or constructor.type != "identifier":
        return None
    binding = facts.references.get(constructor.id)
    if binding is None or not binding.scope.is_module:
        return None
    if binding.module_source is not None:
        imported = _imported_name(binding)
        return Import(binding.module_source, imported) if imported is not None else None
    if binding.kind in (BindingKind.CLASS, BindingKind.FUNCTION):
        return Import("", binding.name)
    return None


# -- imports -------------------------------------------------------------------------------


def _imported_name(binding: Binding) -> str | None:
    """The export of ``binding.module_source`` that ``binding`` stands for (``NAMESPACE``
    for the module object), as ``provenance.imported_name`` reads it; None for a nested
    member (``const { b } = require('m').a``) or a binding assigned again."""
    if binding.is_reassigned or binding.kind is BindingKind.PARAM:
        return None
    name = imported_name(binding)
    if name is None or "." in name:
        return None
    return name or NAMESPACE


# -- uses ----------------------------------------------------------------------------------


def _use_of(reference: Node, target: Import, callers: _Callers) -> Use | None:
    position, parent = callers.places.of(reference)
    member: str | None = None
    if parent is not None and parent.type == "member_expression":
        obj = parent.child_by_field_name("object")
        if obj is None or obj.id != position.id:
            return None
        member = text(parent.child_by_field_name("property"))
        position, parent = callers.places.of(parent)
    if parent is None:
        return None
    if parent.type in ("call_expression", "new_expression"):
        is_new = parent.type == "new_expression"
        callee = parent.child_by_field_name("constructor" if is_new else "function")
        call = callers.facts.call_by_node.get(parent.id)
        if call is None or callee is None or callee.id != position.id:
            return None
        return _use_at(target, member, parent, call, callers)
    called = parent.parent if parent.type == "arguments" else None
    if called is not None:
        call = callers.facts.call_by_node.get(called.id)
        if call is not None and is_registration(call):
            reason = f"registered with {registration_label(call)}"
            return Use(
                target,
                member,
                called,
                Repetition.REPEATING,
                reason,
                driven=True,
                registered=True,
            )
        callee = call.callee if call is not None else None
        if (
            call is not None
            and call.name in _REACTIONS
            and callee is not None
            and callee.type == "member_expression"
        ):
            # ``app.whenReady().then(whenReady)``: a promise runs its reaction at most once,
            # so the import runs as often as the code that chains it.
            once = _use_at(target, member, called, call, callers)
            return Use(
                target,
                member,
                called,
                once.repetition,
                once.reason,
                once.via,
                driven=once.driven,
                registered=True,
            )
    if reference.id in callers.export_sites or position.id in callers.export_sites:
        return None  # a re-export: the module's exports record it
    # Passed on or stored (``{ handler: f }``, ``list.push(f)``): called from elsewhere, so
    # how often it runs is unknown, and it is not "called only once".
    return Use(target, member, position, Repetition.UNKNOWN, "passed around or stored")


# Promise reactions: each runs its callback at most once.
_REACTIONS = frozenset({"then", "catch", "finally"})


def _use_at(
    target: Import, member: str | None, node: Node, call: CallSite, callers: _Callers
) -> Use:
    if call.in_loop:
        where = call.function.display() if call.function is not None else "module top level"
        reason = f"called in a loop in {where}"
        return Use(target, member, node, Repetition.REPEATING, reason, driven=True)
    function = call.function
    if function is None:
        if field_class(node) is not None:  # a field initializer runs per instance
            return Use(target, member, node, Repetition.UNKNOWN, "a class field initializer")
        return Use(target, member, node, Repetition.ONCE, "module top level")
    latch = (
        latch_of(node, function.node, memo=callers.latches) if callers.may_latch(function) else None
    )
    if latch is not None and _flag_outlives_runs(latch, callers.facts):
        # ``if (!cache) cache = create()``: once, however often it runs
        return Use(target, member, node, Repetition.ONCE, f"lazily, once (`{latch.shown}`)")
    reason, driven = callers.described(function)
    if function.repetition is Repetition.UNKNOWN:
        via = _deciding_export(function, callers.exported)
        return Use(target, member, node, Repetition.UNKNOWN, reason, via)
    local = callers.places.of(node)[1]
    kept_locally = local is not None and local.type == "variable_declarator"
    return Use(
        target,
        member,
        node,
        function.repetition,
        reason,
        driven=driven,
        kept_locally=kept_locally,
    )


def _flag_outlives_runs(latch: Latch, facts: Collected) -> bool:
    """Whether the latch's flag outlives the runs of the code it guards, so the region runs
    once for good (SPEC §1 *Latches and setup*): a module-level slot, a field, a global. A
    local of a function is made anew by each run of that function (``let config; const
    done = () => { if (config) { use(config); config = undefined } }``): the region runs
    once per run of it, as often as that function does, which the latch does not say."""
    flag = latch.flag
    if flag is None or flag.type != "identifier":
        return True
    binding = facts.references.get(flag.id)
    return binding is None or binding.scope.is_module


def _deciding_export(function: FunctionInfo, export_names: dict[int, str]) -> str | None:
    """The name under which this file exports the function whose callers decide how often
    ``function`` runs: itself, or the function it is a callback or IIFE of."""
    current: FunctionInfo | None = function
    while current is not None:
        name = export_names.get(current.node.id)
        if name is not None:
            return name
        if current.callback_of is None and not current.is_iife:
            return None
        current = current.parent
    return None


def exported_binding_names(exports: list[Export], facts: Collected) -> dict[str, str]:
    """Export name -> the module-level binding it hands out (``module.exports = { bus }``,
    ``export const bus = …``)."""
    found: dict[str, str] = {}
    for export in exports:
        binding = _exported_binding(export, facts)
        if binding is not None and binding.scope.is_module:
            found.setdefault(export.name, binding.name)
    return found


def export_names(exports: list[Export]) -> dict[int, str]:
    """Function node id -> the (first) name the module exports it under."""
    names: dict[int, str] = {}
    for export in exports:
        if export.function is not None:
            names.setdefault(export.function.node.id, export.name)
    return names


def exported_collections(exports: list[Export], facts: Collected) -> dict[str, tuple[str, bool]]:
    """Export name -> (kind, whether this file shrinks it) for the module-level collections
    the module hands out (``export const clients = new Map()``, ``module.exports = { rooms }``)."""
    found: dict[str, tuple[str, bool]] = {}
    for export in exports:
        binding = _exported_binding(export, facts)
        if binding is None or not binding.scope.is_module:
            continue
        kind = collection_kind(binding.init) if not binding.destructured else None
        if kind is not None:
            found.setdefault(export.name, (kind, shrinks(binding)))
    return found


def _exported_binding(export: Export, facts: Collected) -> Binding | None:
    node = unwrap(export.node) or export.node
    if node.type in ("identifier", "shorthand_property_identifier"):
        return facts.references.get(node.id)
    declarator = node.parent  # ``export const x = new Map()``: the value of a declarator
    if declarator is not None and declarator.type == "variable_declarator":
        name = declarator.child_by_field_name("name")
        if name is not None and name.type == "identifier":
            return facts.module_scope.bindings.get(text(name))
    return None


def shrinks(binding: Binding, places: Places | None = None) -> bool:
    """Whether code in this file may shrink the collection ``binding`` names: removes
    entries (``delete``, ``clear``, ``splice`` …), reads its size (a bound may follow), or
    assigns the binding again."""
    if binding.is_reassigned:
        return True
    places = places or Places()
    for reference in binding.references:
        parent = places.of(reference)[1]
        if parent is None:
            continue
        if parent.type == "member_expression":
            if text(parent.child_by_field_name("property")) in SIZE_AND_SHRINK:
                return True
        elif parent.type == "subscript_expression":
            grand = places.of(parent)[1]
            if (
                grand is not None
                and grand.type == "unary_expression"
                and text(grand.child_by_field_name("operator")) == "delete"
            ):
                return True
    return False


def listened_per_call(
    facts: Collected, binding: Binding, places: Places | None = None
) -> int | None:
    """The line of a listener added to ``binding`` (``bus.on(…)``) in code that runs again and
    again — per request, event, call or loop turn — or None (``listeners.adds_per_call``)."""
    places = places or Places()
    candidates: list[CallSite] = []
    for reference in binding.references:
        member = places.of(reference)[1]
        if member is None or member.type != "member_expression":
            continue
        site = places.of(member)[1]
        call = facts.call_by_node.get(site.id) if site is not None else None
        if call is not None:
            candidates.append(call)
    if not candidates:
        return None
    references = {reference.id for reference in binding.references}

    def named(obj: Node) -> bool:
        target = unwrap(obj)
        return target is not None and target.id in references

    found = first_added_per_call(candidates, named)
    return found.node.start_point.row + 1 if found is not None else None
