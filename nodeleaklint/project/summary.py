"""A file's summary for the project view: what it exports, what it imports, and how often
it calls what it imports. Plain data (JSON in the cache), computed from the file's model.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from nodeleaklint.semantics.project_facts import (
    NAMESPACE,
    TABLES,
    AskedTable,
    ProjectReads,
    read_since,
    watch_functions,
)
from nodeleaklint.semantics.scopes import Repetition
from nodeleaklint.semantics.stream_facts import StreamInfo

if TYPE_CHECKING:  # the model is loaded only where files are checked (start-up time)
    from nodeleaklint.parsing import Node
    from nodeleaklint.semantics.exports import Export, Use
    from nodeleaklint.semantics.model import ClosedMethods, SemanticModel
    from nodeleaklint.semantics.scopes import FunctionInfo

SUMMARY_FORMAT = 19


@dataclass(frozen=True, repr=False)
class ExportFact:
    """One exported name: a function whose repetition this file cannot tell (``open``), a
    function it can, a class, a re-export of ``forwards`` (module, name), or another value."""

    function: bool
    open: bool
    forwards: tuple[str, str] | None = None
    class_name: str | None = None  # a class (ES5 constructors too), by its local name
    # An instance of a class: (module, export name), module "" for a class of this file.
    instance_of: tuple[str, str] | None = None
    collection: str | None = None  # a module-level Map, Set, array or object: its kind
    shrunk: bool = False  # … which this file deletes from, clears or bounds
    # A function whose every ``return`` gives a process-lived value: the words for it.
    returns: str | None = None
    stream: StreamInfo | None = None  # a function returning a known Node stream: what it is
    # A class whose instances own a client its teardown closes, or a function returning a
    # fresh client: (how callers get it, "new" / "call"; the words for it; the methods
    # that close it; whether the instance opens it only when a method needs it).
    resource: tuple[str, str, tuple[str, ...], bool] | None = None
    # A function that adds its caller's listener to a process-lived emitter: (which
    # parameter, the event, the words for the emitter, the line of the registration, the
    # exports of this file that remove such a listener again, whether it returns a way to
    # remove it).
    registrar: tuple[int, str, str, int, tuple[str, ...], bool] | None = None
    # The parameter positions (``params.index``) of the functions exported under this name
    # whose lifetime the file may take from its callers elsewhere (``ProjectFacts.params``;
    # ``lifetimes._passed_in``): what callers pass at other positions changes nothing.
    open_params: tuple[int, ...] = ()
    # An object a library of ``vocabulary.ATTACHING_LIBRARIES`` made (``export const logger =
    # winston.createLogger(…)``): the module.
    library: str | None = None


@dataclass(frozen=True, repr=False)
class CallFact:
    """A call of ``name`` (export of module ``source``; ``member`` of it when a namespace
    is called through) at ``line``, from code that runs ``repetition`` (``via``: the
    export of this file whose callers decide)."""

    source: str
    name: str
    member: str | None
    line: int
    repetition: Repetition
    reason: str
    via: str | None = None
    driven: bool = False  # the calling code runs per request, event or loop turn
    creates: bool = False  # ``new X()``: an instance of the class, not a call
    kept_locally: bool = False  # the instance is a local of the creating function
    # Per positional argument: its lifetime ("process-lived", "per-call", …) and the words
    # for it; None for a spread or an argument whose lifetime is not known.
    args: tuple[tuple[str, str] | None, ...] = ()
    # Per positional argument, "" for one fixed value (a literal, a constant, an element of
    # a literal list: ``values.is_constant``) or the argument's text; None when the use is
    # not a call whose arguments reach the parameters (a registration, an export passed on
    # or stored, ``new``, a package): its callers are then out of view. A spread ends it
    # with its text.
    keys: tuple[str, ...] | None = None
    # ``Class.method`` when the call sits directly in that method of a class whose one
    # instance this file makes, a method the file itself never names (``once_methods``'
    # conditions): the view's judgement of that method decides how often the call runs.
    via_method: str | None = None


@dataclass(repr=False)
class FileSummary:
    """What one file tells the project view: exports, calls, imports, shrinks, listeners."""

    exports: dict[str, ExportFact] = field(default_factory=dict)
    calls: list[CallFact] = field(default_factory=list)
    # Local name -> (module, export name) for each name imported from another module.
    imports: dict[str, tuple[str, str]] = field(default_factory=dict)
    # Imported collections (module, export name) this file deletes from, clears or bounds.
    shrinks: list[tuple[str, str]] = field(default_factory=list)
    # Imported emitters (module, export name) this file adds listeners to in code that runs
    # again and again, with the line of the first such registration.
    listened: list[tuple[str, str, int]] = field(default_factory=list)
    # Methods of this file that may shrink a collection and that the file never names
    # (``semantics.uncalled.shrinking_methods``): (name, its owner's other methods).
    uncalled: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    # The member names this file may call a method by, hashed (``uncalled.mentioned_names``).
    mentions: str = ""
    # ``require(ROOT + '/lib/x.js')``: the literal ends of paths required with a computed
    # start (``uncalled.required_tails``).
    tails: list[str] = field(default_factory=list)
    _digest: str | None = field(default=None, init=False, repr=False, compare=False)
    # What the file's check asked of the project view's facts (``watch_reads``), when the
    # summary was made by that check (not kept in the cache): not part of the summary.
    reads: ProjectReads | None = field(default=None, init=False, repr=False, compare=False)

    def digest(self) -> str:
        """A hash of everything the summary says: two summaries with the same digest link
        the same way, whatever else changed in their files (an edit inside a function body
        that moves no line of a call). Worked out once (a summary is not changed once
        made)."""
        if self._digest is None:
            self._digest = data_digest(self.to_data())
        return self._digest

    def to_data(self) -> dict[str, Any]:
        return {
            "v": SUMMARY_FORMAT,
            "exports": {
                name: [
                    fact.function,
                    fact.open,
                    list(fact.forwards) if fact.forwards else None,
                    fact.class_name,
                    list(fact.instance_of) if fact.instance_of else None,
                    fact.collection,
                    fact.shrunk,
                    fact.returns,
                    fact.stream.to_data() if fact.stream is not None else None,
                    _resource_data(fact.resource),
                    _registrar_data(fact.registrar),
                    list(fact.open_params),
                    fact.library,
                ]
                for name, fact in self.exports.items()
            },
            "imports": {local: list(where) for local, where in self.imports.items()},
            "shrinks": [list(where) for where in self.shrinks],
            "listened": [list(where) for where in self.listened],
            "uncalled": [[name, list(others)] for name, others in self.uncalled],
            "mentions": self.mentions,
            "tails": list(self.tails),
            "calls": [
                [
                    c.source,
                    c.name,
                    c.member,
                    c.line,
                    int(c.repetition),
                    c.reason,
                    c.via,
                    c.driven,
                    c.creates,
                    c.kept_locally,
                    [list(arg) if arg else None for arg in c.args],
                    None if c.keys is None else list(c.keys),
                    c.via_method,
                ]
                for c in self.calls
            ],
        }

    @classmethod
    def from_data(cls, data: Any) -> FileSummary | None:
        """The summary stored as ``data``, or None when it is not one (a cache miss)."""
        try:
            if not isinstance(data, dict) or data.get("v") != SUMMARY_FORMAT:
                return None
            exports = {
                str(name): ExportFact(
                    bool(function),
                    bool(is_open),
                    (str(forwards[0]), str(forwards[1])) if forwards else None,
                    None if class_name is None else str(class_name),
                    (str(instance[0]), str(instance[1])) if instance else None,
                    None if collection is None else str(collection),
                    bool(shrunk),
                    None if returns is None else str(returns),
                    None if stream is None else StreamInfo.from_data(stream),
                    _resource_fact(resource),
                    _registrar_fact(registrar),
                    tuple(int(index) for index in open_params),
                    None if library is None else str(library),
                )
                for name, (
                    function,
                    is_open,
                    forwards,
                    class_name,
                    instance,
                    collection,
                    shrunk,
                    returns,
                    stream,
                    resource,
                    registrar,
                    open_params,
                    library,
                ) in data["exports"].items()
            }
            imports = {str(k): (str(v[0]), str(v[1])) for k, v in data["imports"].items()}
            shrinks = [(str(a), str(b)) for a, b in data["shrinks"]]
            listened = [(str(a), str(b), int(line)) for a, b, line in data["listened"]]
            uncalled = [
                (str(name), tuple(str(o) for o in others)) for name, others in data["uncalled"]
            ]
            mentions = str(data["mentions"])
            tails = [str(tail) for tail in data["tails"]]
            calls = [
                CallFact(
                    str(source),
                    str(name),
                    None if member is None else str(member),
                    int(line),
                    Repetition(int(repetition)),
                    str(reason),
                    None if via is None else str(via),
                    bool(driven),
                    bool(creates),
                    bool(kept_locally),
                    tuple((str(a[0]), str(a[1])) if a else None for a in args),
                    None if keys is None else tuple(str(k) for k in keys),
                    None if via_method is None else str(via_method),
                )
                for (
                    source,
                    name,
                    member,
                    line,
                    repetition,
                    reason,
                    via,
                    driven,
                    creates,
                    kept_locally,
                    args,
                    keys,
                    via_method,
                ) in data["calls"]
            ]
        except (TypeError, ValueError, KeyError, IndexError, AttributeError):
            return None
        return cls(exports, calls, imports, shrinks, listened, uncalled, mentions, tails)


def _resource_data(resource: tuple[str, str, tuple[str, ...], bool] | None) -> Any:
    if resource is None:
        return None
    how, words, releases, lazy = resource
    return [how, words, list(releases), lazy]


def _resource_fact(data: Any) -> tuple[str, str, tuple[str, ...], bool] | None:
    if data is None:
        return None
    how, words, releases, lazy = data
    return str(how), str(words), tuple(str(r) for r in releases), bool(lazy)


def _registrar_data(registrar: tuple[int, str, str, int, tuple[str, ...], bool] | None) -> Any:
    if registrar is None:
        return None
    param, event, target, line, counterparts, disposes = registrar
    return [param, event, target, line, list(counterparts), disposes]


def _registrar_fact(data: Any) -> tuple[int, str, str, int, tuple[str, ...], bool] | None:
    if data is None:
        return None
    param, event, target, line, counterparts, disposes = data
    undo = tuple(str(c) for c in counterparts)
    return int(param), str(event), str(target), int(line), undo, bool(disposes)


def data_digest(data: dict[str, Any]) -> str:
    """The digest of a summary stored as ``data`` (``FileSummary.to_data``)."""
    text = json.dumps(data, separators=(",", ":"), sort_keys=True)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def watch_reads(model: SemanticModel) -> dict[str, AskedTable]:
    """Put an ``AskedTable`` in place of each of the model's tables of project facts (all
    empty: the model of a file checked without the project view), and watch its functions'
    ``LEARNED_FIELDS``, to learn what its check asks of them (``reads_of``)."""
    tables: dict[str, AskedTable] = {}
    for part, name in TABLES.items():
        assert not getattr(model, name), "a table of project facts was not empty"
        tables[part] = AskedTable()
        setattr(model, name, tables[part])
    if _watched(model):
        watch_functions(model.functions)  # (else the view can say nothing about them)
    return tables


def _watched(model: SemanticModel) -> bool:
    """Whether the view can say how often one of the file's functions runs: an exported
    function (``calls``) or a method of a class (``once_methods``)."""
    return bool(model.classes) or any(e.function is not None for e in _exports(model))


def reads_of(model: SemanticModel, tables: dict[str, AskedTable]) -> ProjectReads:
    """What the check of ``model`` asked of ``tables`` and of its functions
    (``watch_reads``; the functions are plain again after), each key as the project view
    keys its facts: ``SemanticModel.build`` keys the arguments callers pass and the callers
    that decide how often a function runs by function (``passed_in``, ``called_from``: of
    each export's function, ``passed_in`` under its first name with arguments) and the
    listeners added elsewhere by the exported binding (``listened``), so a key asked there
    stands for every export name that could fill it. ``calls``: the exports a fact about
    which could change a function whose learned fields were read (``_deciding``);
    ``once_methods``: the methods (``Class.method``) such a fact could change;
    ``closed_classes``: the classes whose constructor's learned fields such a fact could
    change."""
    from nodeleaklint.semantics.exports import exported_binding_names

    exports = _exports(model)
    deciding = _deciding(model, read_since(model.functions)) if _watched(model) else set()
    asked: dict[str, frozenset[object] | None] = {
        part: None if table.whole else frozenset(table.asked) for part, table in tables.items()
    }
    bindings = asked["listened"]
    for part in ("params", "places"):
        ids = asked[part]
        if ids:
            asked[part] = frozenset(
                e.name for e in exports if e.function is not None and e.function.node.id in ids
            )
    asked["calls"] = frozenset(
        e.name for e in exports if e.function is not None and e.function in deciding
    )
    asked["once_methods"] = frozenset(
        f"{info.name}.{name}"
        for info in model.classes
        for name, functions in info.methods.items()
        if not deciding.isdisjoint(functions)
    )
    asked["closed_classes"] = frozenset(
        info.name
        for info in model.classes
        if info.name is not None and info.constructor is not None and info.constructor in deciding
    )
    if bindings:
        named = exported_binding_names(exports, model.facts)
        asked["listened"] = frozenset(name for name, local in named.items() if local in bindings)
    return ProjectReads(asked)


def _exports(model: SemanticModel) -> list[Export]:
    """``exports.module_exports`` of the model's file, listed once for ``reads_of`` and
    ``summarize`` (neither changes the list)."""
    from nodeleaklint.semantics.exports import module_exports

    cached = model.cache.get("module_exports")
    if isinstance(cached, list):
        return cached
    found = model.cache["module_exports"] = module_exports(model.facts)
    return found


def _deciding(model: SemanticModel, read: list[FunctionInfo]) -> set[FunctionInfo]:
    """The functions a fact of the view's ``calls`` about which may change one of ``read``:
    each of them, and every function whose repetition they are worked out from, step by
    step (``SemanticModel.repetition_readers``: a fact changes the function it speaks
    of, then only functions worked out from a changed one)."""
    if not read:
        return set()
    deciding: dict[FunctionInfo, list[FunctionInfo]] = {}
    for function, readers in model.repetition_readers.items():
        for reader in readers:
            deciding.setdefault(reader, []).append(function)
    found = set(read)
    stack = list(read)
    while stack:
        for function in deciding.get(stack.pop(), ()):
            if function not in found:
                found.add(function)
                stack.append(function)
    return found


def summarize(model: SemanticModel) -> FileSummary:
    """The project-view summary of the file ``model`` was built from."""
    from nodeleaklint.semantics.attachments import library_of
    from nodeleaklint.semantics.exports import (
        Places,
        exported_collections,
        imported_uses,
        listened_per_call,
        local_imports,
        module_imports,
        shrinks,
    )
    from nodeleaklint.semantics.streams import returned_stream
    from nodeleaklint.semantics.uncalled import (
        mentioned_names,
        required_tails,
        shrinking_methods,
    )

    facts = model.facts
    summary = FileSummary()
    summary.uncalled = [
        (name, tuple(sorted(others)))
        for name, (_f, others) in sorted(shrinking_methods(model).items())
    ]
    summary.mentions = mentioned_names(model)
    summary.tails = required_tails(model)
    exports = _exports(model)
    collections = exported_collections(exports, facts)
    open_params = _open_params(model, exports)
    for export in exports:
        if export.name in summary.exports:
            continue
        function = export.function
        forwards = (export.forwards.source, export.forwards.name) if export.forwards else None
        constructed = model.class_info(function.node) if function is not None else None
        made = export.instance_of
        collection, shrunk = collections.get(export.name, (None, False))
        summary.exports[export.name] = ExportFact(
            function is not None,
            function is not None and function.repetition is not Repetition.REPEATING,
            forwards,
            constructed.name if constructed is not None else export.class_name,
            (made.source, made.name) if made is not None else None,
            collection,
            shrunk,
            _returns(model, function),
            returned_stream(model, function.node) if function is not None else None,
            _resource(model, function, export.class_name),
            _registrar(model, function, exports),
            open_params.get(export.name, ()),
            library_of(model, export.node),
        )
    imports = module_imports(facts)
    places = Places()  # the references to imports are asked about in each loop below
    for binding, target in imports.items():
        summary.imports[binding.name] = (target.source, target.name)
        if target.name != NAMESPACE and shrinks(binding, places):
            summary.shrinks.append((target.source, target.name))
        line = listened_per_call(facts, binding, places)
        if target.name != NAMESPACE and line is not None:
            summary.listened.append((target.source, target.name, line))
    every = {**imports, **local_imports(facts)}
    closed: list[ClosedMethods] = []  # which methods ``via_method`` may name, on first need
    for use in imported_uses(facts, every, exports, places, model.source.data):
        via_method = None
        local = _local(use)
        if (
            model.classes
            and use.repetition is not Repetition.ONCE
            and use.via is None
            and not (use.driven or use.registered or use.creates)
        ):
            via_method = _in_method(model, use.node, closed)  # (a method runs "per call")
        summary.calls.append(
            CallFact(
                use.target.source,
                use.target.name,
                use.member,
                use.node.start_point.row + 1,
                use.repetition,
                use.reason,
                use.via,
                use.driven,
                use.creates,
                use.kept_locally,
                _argument_lifetimes(model, use.node) if local else (),
                _argument_keys(model, use.node) if local else None,
                via_method,
            )
        )
    return summary


def _open_params(model: SemanticModel, exports: list[Export]) -> dict[str, tuple[int, ...]]:
    """Per export name, the parameter positions of the functions exported under it whose
    lifetime may come from callers in other files: ``lifetimes.binding_lifetime`` reaches
    ``_passed_in`` (the one reader of ``ProjectFacts.params``) only for a parameter of a
    function with no complete set of call sites here (``call_sites_of`` is None), not run
    per event (``is_per_event_function``), that is not a per-request parameter
    (``is_request_param``). None of these reads how often anything runs, so they hold
    whatever else the project view learns. The view hands a file its ``params`` only when
    one of them names such a position (``ProjectView.facts_for``): else none would change
    its check, and it is not checked again for them."""
    from nodeleaklint.semantics.lifetimes import is_per_event_function, is_request_param

    found: dict[str, set[int]] = {}
    for export in exports:
        function = export.function
        if function is None or not function.params:
            continue
        positions = found.setdefault(export.name, set())
        if model.call_sites_of(function) is not None or is_per_event_function(model, function):
            continue
        for param in function.params:
            # A parameter of another function would be read there: kept, to be safe.
            if param.function is not function or not is_request_param(param):
                positions.add(function.params.index(param))
    return {name: tuple(sorted(positions)) for name, positions in found.items()}


def _returns(model: SemanticModel, function: FunctionInfo | None) -> str | None:
    """The words for the process-lived value every ``return`` of an exported function
    gives (callers in other files keep it as long as the process), or None."""
    from nodeleaklint.semantics.lifetimes import returned_holder
    from nodeleaklint.semantics.resource_exports import may_return

    if function is None or not may_return(model, function):
        return None
    held = returned_holder(model, function)
    return held.description if held is not None else None


def _resource(
    model: SemanticModel, function: FunctionInfo | None, class_name: str | None
) -> tuple[str, str, tuple[str, ...], bool] | None:
    """What an exported class's instances or an exported function's results hold that
    callers must close (``resource_exports.handed_by_export``), or None."""
    from nodeleaklint.semantics.resource_exports import handed_by_export

    handed = handed_by_export(model, function, class_name)
    if handed is None:
        return None
    return handed.how, handed.words, handed.releases, handed.lazy


def _registrar(
    model: SemanticModel, function: FunctionInfo | None, exports: list[Export]
) -> tuple[int, str, str, int, tuple[str, ...], bool] | None:
    """What an exported function that adds its caller's listener to a process-lived emitter
    hands its callers in other files (``semantics.registrars``)."""
    from nodeleaklint.semantics.registrars import registrars

    if function is None:
        return None
    for registrar in registrars(model):
        if registrar.function is function:
            undoing = {c.node.id for c in registrar.counterparts}
            names = tuple(
                e.name for e in exports if e.function is not None and e.function.node.id in undoing
            )
            line = registrar.registration.node.start_point[0] + 1
            found = registrar.param, registrar.event, registrar.target, line, names
            return (*found, registrar.disposes)
    return None


# Lifetimes an argument hands on to a parameter in another file (the others stay unknown).
_HANDED_ON = ("process-lived", "per-call")


def _local(use: Use) -> bool:
    """A call into a file of the project for sure (a relative or absolute specifier): only
    those pay for the lifetimes of their arguments. Not a registration (``io.use(f)``): the
    arguments of ``io.use`` are not what ``f`` is given."""
    return not use.creates and not use.registered and use.target.source.startswith((".", "/"))


def _in_method(model: SemanticModel, node: Node, closed: list[ClosedMethods]) -> str | None:
    """``Class.method`` of the method whose own body holds ``node`` (not a callback or a
    function inside it), when its repetition only other files decide
    (``model.ClosedMethods``, made on first need and kept in ``closed``), else None."""
    from nodeleaklint.semantics.model import ClosedMethods

    function = model.enclosing_function(node)
    if function is None or function.class_node is None or function.method_kind != "method":
        return None
    info = model.class_info(function.class_node)
    if info is None or info.name is None or function.name is None:
        return None
    if not closed:
        closed.append(ClosedMethods(model.classes, model.facts, model.source.data))
    return f"{info.name}.{function.name}" if closed[0].closed(info, function.name) else None


def _argument_keys(model: SemanticModel, call: Node) -> tuple[str, ...] | None:
    """Per argument of ``call``, "" for one fixed value (``values.is_constant``: a literal,
    a constant, an element of a literal list walked by ``for…of`` or ``forEach``), else its
    text (``CallFact.keys``); None when ``call`` is not a call (an import passed on or
    stored, ``new``)."""
    from nodeleaklint.semantics.syntax import short, text
    from nodeleaklint.semantics.values import is_constant, literal_strings

    site = model.facts.call_by_node.get(call.id)
    if site is None or site.is_new:
        return None
    found: list[str] = []
    for argument in site.args:
        if argument.type == "spread_element":
            found.append(short(text(argument), 40))
            break
        fixed = is_constant(model, argument) or (
            argument.type == "identifier" and literal_strings(model, argument) is not None
        )  # ``for (const unit of ['ms', 's']) formats.register(unit)``
        found.append("" if fixed else short(text(argument), 40))
    return tuple(found)


def _argument_lifetimes(model: SemanticModel, call: Node) -> tuple[tuple[str, str] | None, ...]:
    """What each argument of ``call`` is, for "arguments reach parameters" across files."""
    from nodeleaklint.semantics.lifetimes import lifetime_of
    from nodeleaklint.semantics.syntax import call_arguments

    site = model.facts.call_by_node.get(call.id)  # its arguments, listed once for every rule
    found: list[tuple[str, str] | None] = []
    for argument in site.args if site is not None else call_arguments(call):
        if argument.type == "spread_element":
            break
        holder = lifetime_of(model, argument)
        value = holder.lifetime.value
        found.append((value, holder.description) if value in _HANDED_ON else None)
    return tuple(found)
