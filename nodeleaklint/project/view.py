"""The project view: links the files' summaries and learns how often exported functions run.

A function exported by one file and called from others runs as often as its callers: per
request when a route handler anywhere in the project calls it, once when only start-up
code does. Each call in a summary says how often its own code runs, or which export of its
file decides that (``via``); the view follows those chains to a fixed point. An export
with no caller in view, or exported by a package's entry point (callers out of view), is
left to the file's own reasoning ("exported, so it may run any number of times").
Calls from test code are not callers: a test calling a function once says nothing about
how often the application does.

Beyond how often exported functions run, the view learns which classes have one instance
created at start-up (process-lived) or are created per call as locals, which methods run
per request on an exported instance, what every caller passes for each parameter
(arguments reach parameters), which exported collections no file shrinks, and which
exported emitters another file adds listeners to per call. ``facts_for`` hands one file
what concerns it (``ProjectFacts``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from nodeleaklint.project.resolve import Resolver
from nodeleaklint.project.summary import CallFact, FileSummary
from nodeleaklint.records import record
from nodeleaklint.semantics.project_facts import DEFAULT, NAMESPACE, ProjectFacts
from nodeleaklint.semantics.scopes import Repetition
from nodeleaklint.semantics.stream_facts import StreamInfo

Target = tuple[str, str]  # (absolute path, export name)
Method = tuple[str, str, str]  # (absolute path, local class name, method name)
Registrar = tuple[int, str, str, int, tuple[str, ...], bool]  # ``ExportFact.registrar``
# Lifetimes handed on to parameters, shortest first: the longest-lived argument wins.
_RANK = {"per-call": 0, "process-lived": 1}
_MAX_FORWARDS = 12


@record
class _Caller:
    """A call of an export, from the file at ``path``."""

    path: str
    call: CallFact


class ProjectView:
    """What the checked files, taken together, say about each other's exports.

    ``summaries`` are keyed by absolute, normalised path; ``displays`` give each path as
    the run shows it; ``tests`` are the paths that are test code.
    """

    def __init__(
        self,
        summaries: Mapping[str, FileSummary],
        displays: Mapping[str, str],
        tests: frozenset[str] = frozenset(),
    ) -> None:
        self.summaries = summaries
        self.displays = displays
        self.resolver = Resolver(summaries)
        self.public = self.resolver.entry_points()
        self._definitions: dict[tuple[str, str, bool], Target | None] = {}
        self._handing: dict[str, list[tuple[str, Target | None]]] = {}
        self._giving: dict[tuple[str, str], bool] = {}
        self.tests = tests
        self._mentions: dict[int, list[tuple[str, bool]]] | None = None
        self._code_imports: (
            tuple[dict[str, set[str]], dict[str, set[str]], list[tuple[str, str]]] | None
        ) = None
        self._exposed: set[str] | None = None
        self._tested: dict[tuple[str, str], set[str]] | None = None
        self.callers: dict[Target, list[_Caller]] = {}
        self.creators: dict[Target, list[_Caller]] = {}
        self.method_callers: dict[Method, list[_Caller]] = {}
        self._once: dict[Method, Repetition] = {}
        for path, summary in summaries.items():
            if path in tests:
                continue
            for call in summary.calls:
                module = self.resolver.resolve(call.source, path)
                if module is None:
                    continue
                caller = _Caller(path, call)
                method = self._method(module, call)
                if method is not None:
                    self.method_callers.setdefault(method, []).append(caller)
                    continue
                target = self._target(module, call)
                if target is not None:
                    found = self.creators if call.creates else self.callers
                    found.setdefault(target, []).append(caller)
        self.shrunk: set[Target] = set()
        self.listened: dict[Target, str] = {}
        for path, summary in summaries.items():
            for source, name in summary.shrinks:
                target = self._imported(path, source, name)
                if target is not None:
                    self.shrunk.add(target)
            for source, name, line in summary.listened:
                target = self._imported(path, source, name)
                if target is not None and path not in tests:
                    place = f"`{displays.get(path, os.path.basename(path))}:{line}`"
                    self.listened.setdefault(target, place)
        self._values = self._solve()
        self._driven = self._solve_driven()
        # Each file's classes' methods called on an instance elsewhere, in linking order.
        self._methods_in: dict[str, list[tuple[str, str, list[_Caller]]]] = {}
        for (where, class_name, called), callers in self.method_callers.items():
            self._methods_in.setdefault(where, []).append((class_name, called, callers))

    # -- linking -------------------------------------------------------------------------
    def _target(self, module: str, call: CallFact) -> Target | None:
        """The function or class of the project that ``call`` calls or instantiates
        (``module``: the file ``call.source`` resolves to)."""
        name = call.name
        if name == NAMESPACE:
            name = call.member or DEFAULT
            return self._defined(module, name)
        found = self._defined(module, name)
        if found is None and name == DEFAULT and call.member is not None:
            # ``import x from './cjs'`` of ``module.exports = { f }``, called as ``x.f()``
            return self._defined(module, call.member)
        return found

    def _imported(self, importer: str, source: str, name: str) -> Target | None:
        """The export of the project an imported name stands for (any value)."""
        module = self.resolver.resolve(source, importer)
        return self._imported_from(module, name) if module is not None else None

    def _imported_from(self, module: str, name: str) -> Target | None:
        """``_imported`` of a specifier resolved to ``module``."""
        wanted = DEFAULT if name == NAMESPACE else name
        return self._defined(module, wanted, any_value=True)

    def _method(self, module: str, call: CallFact) -> Method | None:
        """``tokens.issue()`` where the module exports ``new TokenBook()``: the class (its
        file and local name) and the method called on its instance (``module``: the file
        ``call.source`` resolves to)."""
        if call.member is None or call.creates:
            return None
        name = DEFAULT if call.name == NAMESPACE else call.name
        found = self._defined(module, name)
        if found is None:
            return None
        made = self.summaries[found[0]].exports[found[1]].instance_of
        if made is None:
            return None
        source, class_name = made
        if source:  # a class imported by the module that made the instance
            class_name = DEFAULT if class_name == NAMESPACE else class_name
            defined = self.resolver.resolve(source, found[0])
            target = self._defined(defined, class_name) if defined else None
            if target is None:
                return None
            local = self.summaries[target[0]].exports[target[1]].class_name
            return (target[0], local, call.member) if local is not None else None
        return found[0], class_name, call.member

    def _defined(self, module: str, name: str, any_value: bool = False) -> Target | None:
        """``_definition`` from the start of a chain, remembered: linking asks for the same
        export once per importer and per question (a chain's answer depends only on where
        it starts, the summaries and the resolver, none of which change)."""
        key = (module, name, any_value)
        if key not in self._definitions:
            self._definitions[key] = self._definition(module, name, 0, set(), any_value)
        return self._definitions[key]

    def _definition(
        self, module: str, name: str, depth: int, seen: set[Target], any_value: bool = False
    ) -> Target | None:
        """The file and name of the function or class ``module`` exports as ``name``,
        following re-exports (``export { f } from``, ``export * from``,
        ``exports.f = require(…).f``)."""
        if depth > _MAX_FORWARDS or (module, name) in seen:
            return None
        seen.add((module, name))
        summary = self.summaries.get(module)
        if summary is None:
            return None
        fact = summary.exports.get(name)
        if fact is not None:
            if (
                any_value
                or fact.function
                or fact.class_name is not None
                or fact.instance_of is not None
                or fact.collection is not None
            ) and fact.forwards is None:
                return module, name
            if fact.forwards is None:
                return None
            source, forwarded = fact.forwards
            target = self.resolver.resolve(source, module)
            if target is None:
                return None
            if forwarded == NAMESPACE:
                forwarded = DEFAULT
            return self._definition(target, forwarded, depth + 1, seen, any_value)
        star = summary.exports.get(NAMESPACE)
        if star is not None and star.forwards is not None and name != DEFAULT:
            target = self.resolver.resolve(star.forwards[0], module)
            if target is not None:
                return self._definition(target, name, depth + 1, seen, any_value)
        return None

    # -- propagation ---------------------------------------------------------------------
    def _solve(self) -> dict[Target, Repetition]:
        """The least fixed point: every export starts at ONCE and rises with its callers."""
        values = {target: Repetition.ONCE for target in self.callers}
        if not values:
            return values
        for _ in range(len(values) + 2):
            changed = False
            for target, callers in self.callers.items():
                value = max(self._caller_value(c, values) for c in callers)
                if target[0] in self.public:
                    value = max(value, Repetition.UNKNOWN)
                if value > values[target]:
                    values[target] = value
                    changed = True
            if not changed:
                break
        return values

    def _solve_driven(self) -> set[Target]:
        """Exports called per request, event or loop turn (directly or through a chain of
        exports that repeat)."""
        driven: set[Target] = set()
        for _ in range(len(self.callers) + 2):
            before = len(driven)
            for target, callers in self.callers.items():
                if target not in driven and any(self._caller_driven(c, driven) for c in callers):
                    driven.add(target)
            if len(driven) == before:
                break
        return driven

    def _caller_driven(self, caller: _Caller, driven: set[Target]) -> bool:
        call = caller.call
        if call.repetition is Repetition.REPEATING:
            return call.driven
        return call.via is not None and (caller.path, call.via) in driven

    def _caller_value(self, caller: _Caller, values: Mapping[Target, Repetition]) -> Repetition:
        call = caller.call
        if call.repetition is not Repetition.UNKNOWN or call.via is None:
            return call.repetition
        return values.get((caller.path, call.via), Repetition.UNKNOWN)

    # -- answers -------------------------------------------------------------------------
    def facts_for(self, path: str) -> ProjectFacts:
        """What the other files say about ``path``: how often its exported functions run
        (for those whose repetition the file alone cannot tell) and which of its classes
        are created once, at start-up."""
        summary = self.summaries.get(path)
        facts = ProjectFacts()
        if summary is None:
            return facts
        for name, fact in summary.exports.items():
            target = (path, name)
            if fact.class_name is not None:
                created = self._created_once(target)
                if created is not None:
                    facts.singletons.setdefault(fact.class_name, created)
                per_call = self._created_per_call(target)
                if per_call is not None:
                    facts.per_call.setdefault(fact.class_name, per_call)
                closed = self._closed_class(path, name)
                if closed is not None:
                    facts.closed_classes.setdefault(fact.class_name, closed)
            if not fact.open:
                continue
            value = self._values.get(target)
            if value is None or value is Repetition.UNKNOWN:
                continue
            if value is Repetition.REPEATING and target not in self._driven:
                # Called from methods of unknown frequency: no better than the file's guess.
                continue
            driven = value is Repetition.REPEATING
            facts.calls[name] = (value, self._reason(target, value), driven)
            deciding = self._deciding_caller(target, value)
            if deciding is not None:
                facts.places[name] = deciding
        facts.params.update(self._params(path, summary))
        facts.keys.update(self._keys(path, summary))
        for name in summary.exports:
            place = self.listened.get((path, name))
            if place is not None:
                facts.listened[name] = place
        for local, (source, name) in summary.imports.items():
            module = self.resolver.resolve(source, path)
            if module is None or module not in self.summaries:
                continue  # a package, or a file out of view: nothing to learn
            if not self._gives(module, name):
                continue
            imported = self._imported_from(module, name)
            grown = self._unshrunk_collection(imported)
            if grown is not None:
                facts.collections[local] = grown
            facts.returns.update(self._returning(module, local, name))
            stream = self._returned_stream(imported)
            if stream is not None:
                facts.streams[local] = stream
            facts.resources.update(self._handed_resources(module, local, name))
            facts.registrars.update(self._registering(path, summary, module, local, name))
            library = self._library(imported)
            if library is not None:
                facts.libraries[local] = library
        if summary.uncalled:
            facts.uncalled.update(self._uncalled(path, summary))
        for class_name, method, callers in self._methods_in.get(path, ()):
            for caller in callers:
                if self._caller_driven(caller, self._driven):
                    reason = f"called from {self._place(caller)}, {self._why(caller)}"
                    facts.driven_methods.setdefault(f"{class_name}.{method}", reason)
                    break
            else:
                once = self._called_once(path, callers)
                if once is not None:
                    facts.once_methods.setdefault(f"{class_name}.{method}", once)
            if path not in self.public:
                given = self._passed_keys(callers)
                if given:
                    facts.keys.setdefault(f"{class_name}.{method}", given)
        return facts

    def _keys(self, path: str, summary: FileSummary) -> dict[str, tuple[tuple[bool, str], ...]]:
        """Per exported function of ``path`` with callers in view, what they pass at each
        position (``_passed_keys``). Nothing for a package's entry point: its callers are out
        of view."""
        if path in self.public:
            return {}
        found: dict[str, tuple[tuple[bool, str], ...]] = {}
        for name, fact in summary.exports.items():
            callers = self.callers.get((path, name)) if fact.function else None
            given = self._passed_keys(callers) if callers else ()
            if given:
                found[name] = given
        return found

    def _passed_keys(self, callers: list[_Caller]) -> tuple[tuple[bool, str], ...]:
        """Per position, (True, where) when every caller in view passes one fixed value
        there (a literal, a constant, an element of a literal list, or nothing), else
        (False, what one caller passes and where): arguments reach parameters, so a key
        taken from that parameter has as many values as the callers pass (SPEC §1 *Key
        cardinality*). Empty when some use is not a call (a registration, the function
        passed on or stored): its callers are out of view."""
        width = 0
        for caller in callers:
            keys = caller.call.keys
            if keys is None:
                return ()
            width = max(width, len(keys))
        found: list[tuple[bool, str]] = []
        for index in range(width):
            passed = next(
                (
                    c
                    for c in callers
                    if index < len(c.call.keys or ()) and (c.call.keys or ())[index]
                ),
                None,
            )
            if passed is not None:
                shown = (passed.call.keys or ())[index]
                found.append((False, f"`{shown}` passed at {self._place(passed)}"))
                continue
            places = ", ".join(self._place(c) for c in callers[:2])
            more = f" and {len(callers) - 2} more" if len(callers) > 2 else ""
            found.append((True, f"fixed values passed by every caller ({places}{more})"))
        return tuple(found)

    def _uncalled(self, path: str, summary: FileSummary) -> dict[str, tuple[str, tuple[str, ...]]]:
        """The methods of ``path`` that may shrink a collection (``FileSummary.uncalled``)
        which no non-test file of the project names, with the words for it. Nothing for a
        file whose callers may be out of view: a package's entry point or a file it
        re-exports, or a file no non-test file of the view imports (a view without its
        callers, when a file is checked alone)."""
        from nodeleaklint.semantics.uncalled import name_hash

        if path in self._exposed_files() or not self._imported_by_code(path):
            return {}
        found: dict[str, tuple[str, tuple[str, ...]]] = {}
        for name, others in summary.uncalled:
            named = [(p, t) for p, t in self._mentioned().get(name_hash(name), ()) if p != path]
            driven = self._driven_by_code(path, others)
            if any(not test for _p, test in named) or not driven:
                continue
            tested = [p for p, test in named if test]
            why = (
                f"only tests call (`{self._shown(tested[0])}`), no other file of the project"
                if tested
                else "no file of the project calls"
            )
            found[name] = why, driven
        return found

    def _driven_by_code(self, path: str, methods: tuple[str, ...]) -> tuple[str, ...]:
        """Those of ``methods`` (the other methods of the owner) that a non-test file other
        than ``path`` names: none when the project does not use the object itself (a host
        calls its hooks by convention: a bundler's plugin, a linter's visitor)."""
        from nodeleaklint.semantics.uncalled import name_hash

        mentioned = self._mentioned()
        return tuple(
            m
            for m in methods
            if any(not test and p != path for p, test in mentioned.get(name_hash(m), ()))
        )

    def _mentioned(self) -> dict[int, list[tuple[str, bool]]]:
        """Member name (hashed) -> the files that mention it, and whether each is test
        code: built once per view (each question about a method is then one look-up, not a
        pass over every file)."""
        from nodeleaklint.semantics.uncalled import decode_mentions

        if self._mentions is None:
            index: dict[int, list[tuple[str, bool]]] = {}
            for path, summary in self.summaries.items():
                entry = (path, path in self.tests)
                for hashed in decode_mentions(summary.mentions):
                    index.setdefault(hashed, []).append(entry)
            self._mentions = index
        return self._mentions

    def _exposed_files(self) -> set[str]:
        """Package entry points and the files whose exports they hand on (callers of their
        classes' methods are out of view)."""
        if self._exposed is None:
            exposed = set(self.public)
            for module in self.public:
                summary = self.summaries.get(module)
                if summary is None:
                    continue
                for name, fact in summary.exports.items():
                    target = self._defined(module, name, any_value=True)
                    if target is not None:
                        exposed.add(target[0])
                    if fact.forwards is not None:
                        forwarded = self.resolver.resolve(fact.forwards[0], module)
                        if forwarded is not None:
                            exposed.add(forwarded)
            self._exposed = exposed
        return self._exposed

    def _imported_by_code(self, path: str) -> bool:
        """Whether a non-test file of the view imports ``path``."""
        imported, _names, tails = self._code_imports_index()
        if imported.get(path, set()) - {path}:
            return True
        return any(importer != path and _ends_with(path, tail) for importer, tail in tails)

    def _code_imports_index(
        self,
    ) -> tuple[dict[str, set[str]], dict[str, set[str]], list[tuple[str, str]]]:
        """Every non-test import of the view, resolved once per view: module -> the files
        that import it; module -> the names other files import from it or hand on from it
        (``export { X } from``) or call in place; the imports no file of the view was found
        for (``tails``)."""
        if self._code_imports is None:
            imported: dict[str, set[str]] = {}
            names: dict[str, set[str]] = {}
            tails: list[tuple[str, str]] = []
            for importer, summary in self.summaries.items():
                if importer in self.tests:
                    continue
                for source, name in summary.imports.values():
                    module = self.resolver.resolve(source, importer)
                    if module is not None:
                        imported.setdefault(module, set()).add(importer)
                        if module != importer:
                            names.setdefault(module, set()).add(name)
                for call in summary.calls:  # ``require('./m').X``, ``import('./m')`` in place
                    module = self.resolver.resolve(call.source, importer)
                    if module is not None and module != importer:
                        names.setdefault(module, set()).add(call.name)
                for fact in summary.exports.values():
                    if fact.forwards is not None:
                        module = self.resolver.resolve(fact.forwards[0], importer)
                        if module is not None and module != importer:
                            names.setdefault(module, set()).add(fact.forwards[1])
                tails.extend((importer, tail) for tail in summary.tails)
            self._code_imports = imported, names, tails
        return self._code_imports

    def _closed_class(self, path: str, name: str) -> str | None:
        """Why no other file of the project can make an instance of the class ``path``
        exports as ``name``: no non-test file imports that name, the whole module or
        anything the file hands on, while a non-test file does import the file (so its
        importers are in view), and the file is no package entry point (whose importers are
        out of view). Tests may make instances of their own: they are not the application
        (``test_code.is_test_file``, as for callers). None otherwise."""
        _imported, names, _tails = self._code_imports_index()
        given = names.get(path, ())
        if name in given or NAMESPACE in given:
            return None
        if path in self._exposed_files() or not self._imported_by_code(path):
            return None
        tested = self._test_imports().get((path, name))
        if tested:
            return f"no file of the project but tests (`{self._shown(min(tested))}`) imports it"
        return "no other file of the project imports it"

    def _test_imports(self) -> dict[tuple[str, str], set[str]]:
        """(module, name) -> the test files that import that name of the module, resolved
        once per view (only to name a test in ``_closed_class``'s words)."""
        if self._tested is None:
            tested: dict[tuple[str, str], set[str]] = {}
            for importer in self.tests:
                summary = self.summaries.get(importer)
                if summary is None:
                    continue
                for source, name in summary.imports.values():
                    module = self.resolver.resolve(source, importer)
                    if module is not None:
                        tested.setdefault((module, name), set()).add(importer)
            self._tested = tested
        return self._tested

    def _called_once(self, path: str, callers: list[_Caller]) -> str | None:
        """Why a method of the instance a file exports runs once, when every caller in the
        project calls it from code that runs once (module top level, or a function the
        view knows runs once): start-up code; None otherwise, and for a package's entry
        point (its callers are out of view). Whether the file itself calls or hands on the
        method is the model's question (``once_methods``)."""
        if path in self.public or not callers:
            return None
        if any(self._once_value(c, frozenset()) is not Repetition.ONCE for c in callers):
            return None
        places = ", ".join(self._once_place(c) for c in callers[:3])
        more = f" and {len(callers) - 3} more" if len(callers) > 3 else ""
        return f"called only from start-up code at {places}{more}"

    def _once_place(self, caller: _Caller) -> str:
        """``_place``, saying through which method that runs once the call is made."""
        via = caller.call.via_method
        if via is None or caller.call.repetition is Repetition.ONCE:
            return self._place(caller)
        return f"{self._place(caller)} (in `{via}`, which runs once)"

    def _once_value(self, caller: _Caller, seen: frozenset[Method]) -> Repetition:
        """``_caller_value``, and for a call made directly in a method of another file's
        one instance that only other files call (``CallFact.via_method``): ONCE when every
        caller of that method runs once in turn (``_method_once``), else UNKNOWN."""
        value = self._caller_value(caller, self._values)
        call = caller.call
        via = call.via_method
        if value is Repetition.ONCE or call.via is not None or call.driven or via is None:
            return value
        class_name, _dot, method = via.partition(".")
        return self._method_once((caller.path, class_name, method), seen)

    def _method_once(self, method: Method, seen: frozenset[Method]) -> Repetition:
        """ONCE when the method, on the instance its file exports, is called only from code
        that runs once, following methods that call methods (a cycle is not once)."""
        known = self._once.get(method)
        if known is not None:
            return known
        callers = self.method_callers.get(method)
        if method in seen or not callers or method[0] in self.public:
            return Repetition.UNKNOWN
        inner = seen | {method}
        once = all(self._once_value(c, inner) is Repetition.ONCE for c in callers)
        value = Repetition.ONCE if once else Repetition.UNKNOWN
        if not seen:
            self._once[method] = value  # a value found inside a cycle may depend on it
        return value

    def _gives(self, module: str, name: str) -> bool:
        """Whether importing ``name`` from ``module`` may teach the importer anything: an
        unshrunk collection, a returned value or stream, a resource, a registrar
        (``facts_for``'s questions about one import, whose answers are empty or not
        whatever the importer and its local name). Remembered: many files import the
        same export, and most exports give nothing."""
        key = (module, name)
        known = self._giving.get(key)
        if known is None:
            imported = self._imported_from(module, name)
            known = self._giving[key] = bool(
                self._unshrunk_collection(imported) is not None
                or self._returned_stream(imported) is not None
                or self._returning(module, name, name)
                or self._handed_resources(module, name, name)
                or self._registrars(module, name)
                or self._library(imported) is not None
            )
        return known

    def _params(
        self, path: str, summary: FileSummary
    ) -> dict[str, tuple[tuple[str, str] | None, ...]]:
        """Per exported function of ``path``, what its callers in view pass (``_arguments``),
        when some argument reaches a parameter whose lifetime the file may take from its
        callers (``ExportFact.open_params``). Else nothing: the file would read them all as
        absent, and they would only ask for a second check. All or nothing: the model gives
        a function exported under several names the first name's arguments, so leaving out
        one name could change what another function reads."""
        found: dict[str, tuple[tuple[str, str] | None, ...]] = {}
        read = False
        for name, fact in summary.exports.items():
            given = self._arguments((path, name)) if fact.function else ()
            if any(given):
                found[name] = given
                read = read or any(
                    i < len(given) and given[i] is not None for i in fact.open_params
                )
        return found if read else {}

    def _arguments(self, target: Target) -> tuple[tuple[str, str] | None, ...]:
        """Per parameter of an exported function, the longest-lived argument its callers in
        view pass (None where one of them passes something unknown). Nothing for a package
        entry point's export: its callers are out of view."""
        callers = self.callers.get(target)
        if not callers or target[0] in self.public:
            return ()
        width = min(len(c.call.args) for c in callers)
        found: list[tuple[str, str] | None] = []
        for index in range(width):
            best: tuple[str, str] | None = None
            for caller in callers:
                given = caller.call.args[index]
                if given is None:
                    best = None
                    break
                if best is None or _RANK[given[0]] > _RANK[best[0]]:
                    best = (given[0], f"{given[1]} (at {self._place(caller)})")
            found.append(best)
        return tuple(found)

    def _returning(self, module: str, local: str, name: str) -> dict[str, str]:
        """Imported functions of ``module`` that return a process-lived value, as the
        importer calls them (``getEmitter``, or ``registry.getEmitter`` through a
        namespace), with the words."""
        if name != NAMESPACE:
            found = self._defined(module, name)
            words = self._returned_words(found)
            return {local: words} if words is not None else {}
        returning: dict[str, str] = {}
        for export, target in self._handing_on(module):
            words = self._returned_words(target)
            if words is not None:
                returning[f"{local}.{export}"] = words
        return returning

    def _handing_on(self, module: str) -> list[tuple[str, Target | None]]:
        """The exports of ``module`` (in its order, with their definitions) that hand their
        callers something: a process-lived value, a resource to close, a registration.
        The rest give nothing through a namespace or default import (``_returning``,
        ``_handed_resources``, ``_registering`` skip them), so they are left out once per
        module instead of per importer."""
        found = self._handing.get(module)
        if found is None:
            found = self._handing[module] = []
            for export in self.summaries[module].exports:
                target = self._defined(module, export)
                fact = self.summaries[target[0]].exports.get(target[1]) if target else None
                if fact is not None and (
                    fact.returns is not None
                    or fact.resource is not None
                    or fact.registrar is not None
                ):
                    found.append((export, target))
        return found

    def _returned_words(self, target: Target | None) -> str | None:
        if target is None:
            return None
        fact = self.summaries[target[0]].exports.get(target[1])
        if fact is None or fact.returns is None:
            return None
        display = self.displays.get(target[0], os.path.basename(target[0]))
        return f"{fact.returns} (in `{display}`)"

    def _registering(
        self, importer: str, summary: FileSummary, module: str, local: str, name: str
    ) -> dict[str, tuple[int, str, str, int, str, tuple[str, ...], bool]]:
        """Imported functions of ``module`` that add their caller's listener to a
        process-lived emitter, as the importer calls them, with their counterparts as the
        importer calls them."""
        found: dict[str, tuple[int, str, str, int, str, tuple[str, ...], bool]] = {}
        for export, target, registrar in self._registrars(module, name):
            param, event, words, line, counterparts, disposes = registrar
            called = local if name != NAMESPACE else f"{local}.{export}"
            undo = tuple(self._as_called(importer, summary, module, c) for c in counterparts)
            shown = self._shown(target[0])
            words = f"{words} (in `{shown}`)"
            kept = tuple(u for u in undo if u)
            found[called] = (param, event, words, line, shown, kept, disposes)
        return found

    def _registrars(self, module: str, name: str) -> list[tuple[str, Target, Registrar]]:
        """The exports of ``module`` that ``name`` imports (all of them through a namespace)
        that add their caller's listener to a process-lived emitter: (export, definition,
        what its summary says of the registration)."""
        if name == NAMESPACE:
            wanted = self._handing_on(module)
        else:
            wanted = [(name, self._defined(module, name))]
        found: list[tuple[str, Target, Registrar]] = []
        for export, target in wanted:
            fact = self.summaries[target[0]].exports.get(target[1]) if target else None
            if target is not None and fact is not None and fact.registrar is not None:
                found.append((export, target, fact.registrar))
        return found

    def _as_called(self, importer: str, summary: FileSummary, module: str, export: str) -> str:
        """How ``importer`` calls ``export`` of ``module`` ("" when it does not import it)."""
        for local, (source, name) in summary.imports.items():
            if self.resolver.resolve(source, importer) != module:
                continue
            if name == NAMESPACE:
                return f"{local}.{export}"
            if name == export:
                return local
        return ""

    def _handed_resources(
        self, module: str, local: str, name: str
    ) -> dict[str, tuple[str, str, tuple[str, ...], bool, str]]:
        """Imported classes of ``module`` whose instances own a client their teardown
        closes, and imported functions that return a fresh client, as the importer names
        them (``Db``, or ``db.Db`` through a namespace), with what callers must close and
        where it is made."""
        if name != NAMESPACE:
            handed = self._handed(self._defined(module, name))
            found = {local: handed} if handed is not None else {}
            if name == DEFAULT:  # ``import db from './cjs'`` of ``module.exports = { Db }``
                for export, target in self._handing_on(module):
                    handed = self._handed(target)
                    if handed is not None and export != DEFAULT:
                        found[f"{local}.{export}"] = handed
            return found
        handing: dict[str, tuple[str, str, tuple[str, ...], bool, str]] = {}
        for export, target in self._handing_on(module):
            handed = self._handed(target)
            if handed is not None:
                handing[local if export == DEFAULT else f"{local}.{export}"] = handed
        return handing

    def _handed(self, target: Target | None) -> tuple[str, str, tuple[str, ...], bool, str] | None:
        if target is None:
            return None
        fact = self.summaries[target[0]].exports.get(target[1])
        if fact is None or fact.resource is None:
            return None
        how, words, releases, lazy = fact.resource
        return how, words, releases, lazy, self._shown(target[0])

    def _library(self, target: Target | None) -> str | None:
        """The library module that made an imported object of the project (``target``):
        ``export const logger = winston.createLogger(…)`` gives "winston"."""
        if target is None:
            return None
        return self.summaries[target[0]].exports[target[1]].library

    def _returned_stream(self, target: Target | None) -> StreamInfo | None:
        """The Node stream an imported function of the project (``target``) returns."""
        if target is None:
            return None
        return self.summaries[target[0]].exports[target[1]].stream

    def _unshrunk_collection(self, target: Target | None) -> tuple[str, str] | None:
        """An imported module-level collection (``target``) that no file of the project
        deletes from, clears or bounds: (its kind, the words for where it is declared)."""
        if target is None or target in self.shrunk:
            return None
        fact = self.summaries[target[0]].exports[target[1]]
        if fact.collection is None or fact.shrunk:
            return None
        display = self.displays.get(target[0], os.path.basename(target[0]))
        return fact.collection, f"`{target[1]}` of `{display}`"

    def _created_once(self, target: Target) -> str | None:
        """Where the one instance of an exported class is created, when every ``new`` of it
        in the project runs once."""
        creators = self.creators.get(target)
        if not creators:
            return None
        if any(self._caller_value(c, self._values) is not Repetition.ONCE for c in creators):
            return None
        places = ", ".join(self._place(c) for c in creators[:2])
        return f"its one instance is created at start-up, in {places}"

    def _created_per_call(self, target: Target) -> str | None:
        """Where the instances of an exported class are created, when every ``new`` of it
        in the project is a local of code that repeats: each instance dies with its call."""
        creators = self.creators.get(target)
        if not creators or not all(
            c.call.kept_locally and self._caller_value(c, self._values) is Repetition.REPEATING
            for c in creators
        ):
            return None
        places = ", ".join(self._place(c) for c in creators[:2])
        return f"each instance is a local of code that runs per call ({places})"

    def _reason(self, target: Target, value: Repetition) -> str:
        callers = self.callers[target]
        if value is Repetition.ONCE:
            places = ", ".join(self._place(c) for c in callers[:3])
            more = f" and {len(callers) - 3} more" if len(callers) > 3 else ""
            return f"called only from code that runs once ({places}{more})"
        for caller in callers:
            if self._caller_driven(caller, self._driven):
                return f"called from {self._place(caller)}, {self._why(caller)}"
        return "called from code that repeats"

    def _deciding_caller(self, target: Target, value: Repetition) -> tuple[str, int, str] | None:
        """Where the caller that runs ``target`` per request or event is: (file as shown,
        line, what it does there), for a related location in that file. None for a function
        called only once: a finding left in it does not owe its repetition to a caller."""
        if value is Repetition.ONCE:
            return None
        for caller in self.callers[target]:
            if self._caller_driven(caller, self._driven):
                what = f"called from here, {self._why(caller)}"
                return self._shown(caller.path), caller.call.line, what
        return None

    def _shown(self, path: str) -> str:
        return self.displays.get(path, os.path.basename(path))

    def _why(self, caller: _Caller) -> str:
        call = caller.call
        if call.repetition is Repetition.REPEATING or call.via is None:
            return call.reason
        return f"in `{call.via}`, which other code of the project runs per request or event"

    def _place(self, caller: _Caller) -> str:
        display = self.displays.get(caller.path, os.path.basename(caller.path))
        return f"`{display}:{caller.call.line}`"


def _ends_with(path: str, tail: str) -> bool:
    """Whether ``require(ROOT + tail)`` may load ``path`` (``FileSummary.tails``)."""
    normal = path.replace(os.sep, "/")
    stem = os.path.splitext(normal)[0]
    return normal.endswith(tail) or stem.endswith(tail.rstrip("/"))
