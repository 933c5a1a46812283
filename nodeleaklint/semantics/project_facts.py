"""What the project view hands to one file's model: facts learned from the other files.

Plain data (sent to worker processes and into cache keys); the model reads it in
``SemanticModel.build`` and nothing else in a file's analysis knows about other files.
"""

from __future__ import annotations

import json
from collections.abc import ItemsView, Iterator, KeysView, ValuesView
from dataclasses import dataclass, field, fields
from typing import Any

from nodeleaklint.records import record
from nodeleaklint.semantics.scopes import FunctionInfo, Repetition
from nodeleaklint.semantics.stream_facts import StreamInfo

# Export names: a module's default export, and the whole module (a namespace import,
# ``require('m')`` kept as an object, ``export * from``).
DEFAULT = "default"
NAMESPACE = "*"


# Facts that cannot add a finding by themselves (``calls`` is judged value by value).
_LOWERING = frozenset({"calls", "per_call", "places", "once_methods", "closed_classes", "keys"})


@dataclass(frozen=True, repr=False)
class ProjectFacts:
    """What the project view learned about one file from the others.

    ``calls``: export name -> (how often its callers elsewhere run it, why, whether one of
    them runs per request, event or loop turn). ``singletons``: local class name -> where
    another file creates its one instance at start-up (so the instance lives as long as
    the process). ``per_call``: local class name -> where the project creates its
    instances, each a local of code that runs per call (so each dies with its call).
    ``driven_methods``: ``Class.method`` -> where another file calls it on the class's
    instance from code that runs per request, event or loop turn. ``once_methods``:
    ``Class.method`` -> why it runs once: every caller in the project calls it on the
    class's exported instance from code that runs once (start-up). ``params``: export
    name -> per parameter, the lifetime ("process-lived" or "per-call") of what every
    caller in view passes there and the words for it (arguments reach parameters).
    ``collections``: imported local name -> (kind, where it is declared) for module-level
    collections of other files that no file of the project deletes from, clears or bounds.
    ``listened``: export name -> where another file adds listeners to that exported emitter
    in code that runs again and again. ``returns``: imported function as called here
    (``getEmitter``, ``registry.getEmitter``) -> the words for the process-lived value it
    returns (a module-level registry's entry, a shared emitter). ``places``: export name
    -> (file as shown, line, what happens there) of the caller in another file that ``calls``
    names, for related locations.
    in code that runs again and again. ``streams``: imported local name -> the Node stream
    that function of another file returns ("a `Transform` stream", holding no OS handle).
    ``registrars``: imported function as called here (``subscribe``, ``bus.subscribe``) ->
    (the parameter it adds as a listener, the event, the words for the process-lived
    emitter, the line of the registration, the file it is in, as shown, its counterparts
    as called here, and whether it returns a disposer). ``resources``: imported class or
    function as called here (``DbAbstraction``, ``db.DbAbstraction``) -> what ``new X()`` /
    ``f()`` hands over to be closed: (how it is acquired, "new" / "call"; the words for it;
    the methods that close it; whether the instance opens it lazily; the file it is defined
    in, as shown). ``uncalled``: method name -> why no code of the project runs that method
    of this file, which may shrink a collection (no non-test file names it; ``semantics.
    uncalled``), and the other methods of its owner that other non-test files name.
    ``closed_classes``: local class name -> why no other file of the project can make an
    instance of this exported class: no non-test file imports the class itself (nor the
    whole module), so the ``new``s of its own file are all there are (tests may make more).
    ``keys``: export name, or ``Class.method`` of the instance the file exports -> per
    parameter, whether every caller in view passes one fixed value there (a literal, a
    constant, an element of a literal list) and the words for it: where, or what one caller
    passes instead (arguments reach parameters; SPEC §1 *Key cardinality*).
    """

    calls: dict[str, tuple[Repetition, str, bool]] = field(default_factory=dict)
    singletons: dict[str, str] = field(default_factory=dict)
    per_call: dict[str, str] = field(default_factory=dict)
    driven_methods: dict[str, str] = field(default_factory=dict)
    params: dict[str, tuple[tuple[str, str] | None, ...]] = field(default_factory=dict)
    collections: dict[str, tuple[str, str]] = field(default_factory=dict)
    listened: dict[str, str] = field(default_factory=dict)
    returns: dict[str, str] = field(default_factory=dict)
    places: dict[str, tuple[str, int, str]] = field(default_factory=dict)
    streams: dict[str, StreamInfo] = field(default_factory=dict)
    resources: dict[str, tuple[str, str, tuple[str, ...], bool, str]] = field(default_factory=dict)
    registrars: dict[str, tuple[int, str, str, int, str, tuple[str, ...], bool]] = field(
        default_factory=dict
    )
    # Imported local name -> the library module that made the object another file exports
    # (``export const logger = winston.createLogger(…)``: "winston"; ``semantics.attachments``).
    libraries: dict[str, str] = field(default_factory=dict)
    uncalled: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    once_methods: dict[str, str] = field(default_factory=dict)
    closed_classes: dict[str, str] = field(default_factory=dict)
    keys: dict[str, tuple[tuple[bool, str], ...]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return any([getattr(self, part) for part in _PARTS])

    def only_lowers(self) -> bool:
        """Whether these facts can only remove findings, never add or raise one: every
        exported function they speak of runs once, and nothing else is learned (classes
        made per call and the callers' places only lower or explain). A file with no
        findings need not be checked again with them."""
        return all(
            value is Repetition.ONCE for value, _why, _driven in self.calls.values()
        ) and not any(getattr(self, part) for part in _PARTS if part not in _LOWERING)

    def key(self) -> str:
        """A stable rendering, for cache keys."""
        calls = sorted(
            [name, int(value), why, driven] for name, (value, why, driven) in self.calls.items()
        )
        return json.dumps(
            [
                calls,
                sorted(self.singletons.items()),
                sorted(self.per_call.items()),
                sorted(self.driven_methods.items()),
                sorted(
                    (name, [list(p) if p else None for p in given])
                    for name, given in self.params.items()
                ),
                sorted((name, list(found)) for name, found in self.collections.items()),
                sorted(self.listened.items()),
                sorted(self.returns.items()),
                sorted((name, list(place)) for name, place in self.places.items()),
                sorted((name, info.to_data()) for name, info in self.streams.items()),
                sorted(
                    [name, how, words, list(releases), lazy, where]
                    for name, (how, words, releases, lazy, where) in self.resources.items()
                ),
                sorted(
                    [name, param, event, target, line, where, list(counterparts), disposes]
                    for name, (
                        param,
                        event,
                        target,
                        line,
                        where,
                        counterparts,
                        disposes,
                    ) in self.registrars.items()
                ),
                sorted(self.libraries.items()),
                sorted([name, why, list(driven)] for name, (why, driven) in self.uncalled.items()),
                sorted(self.once_methods.items()),
                sorted(self.closed_classes.items()),
                sorted(
                    (name, [[bounded, why] for bounded, why in given])
                    for name, given in self.keys.items()
                ),
            ]
        )

    @classmethod
    def from_key(cls, text: str) -> ProjectFacts:
        """The facts rendered by ``key`` (kept in the cache with a linked project view).
        Raises ``ValueError`` (or ``TypeError``) on text that is not such a rendering."""
        (
            calls,
            singletons,
            per_call,
            driven,
            params,
            collections,
            listened,
            returns,
            places,
            streams,
            resources,
            registrars,
            libraries,
            uncalled,
            once_methods,
            closed_classes,
            keys,
        ) = json.loads(text)
        return cls(
            calls={
                str(name): (Repetition(int(value)), str(why), bool(is_driven))
                for name, value, why, is_driven in calls
            },
            singletons={str(k): str(v) for k, v in singletons},
            per_call={str(k): str(v) for k, v in per_call},
            driven_methods={str(k): str(v) for k, v in driven},
            params={
                str(name): tuple((str(p[0]), str(p[1])) if p else None for p in given)
                for name, given in params
            },
            collections={str(name): (str(found[0]), str(found[1])) for name, found in collections},
            listened={str(k): str(v) for k, v in listened},
            returns={str(k): str(v) for k, v in returns},
            places={str(k): (str(v[0]), int(v[1]), str(v[2])) for k, v in places},
            streams={str(k): StreamInfo.from_data(v) for k, v in streams},
            resources={
                str(name): (
                    str(how),
                    str(words),
                    tuple(str(r) for r in releases),
                    bool(lazy),
                    str(where),
                )
                for name, how, words, releases, lazy, where in resources
            },
            registrars={
                str(name): (
                    int(param),
                    str(event),
                    str(target),
                    int(line),
                    str(where),
                    tuple(str(c) for c in counterparts),
                    bool(disposes),
                )
                for name, param, event, target, line, where, counterparts, disposes in registrars
            },
            libraries={str(k): str(v) for k, v in libraries},
            uncalled={
                str(name): (str(why), tuple(str(d) for d in driven))
                for name, why, driven in uncalled
            },
            once_methods={str(k): str(v) for k, v in once_methods},
            closed_classes={str(k): str(v) for k, v in closed_classes},
            keys={
                str(name): tuple((bool(bounded), str(why)) for bounded, why in given)
                for name, given in keys
            },
        )


# The names of the parts, in order: ``dataclasses.fields`` builds a tuple per call, and a
# linking asks every file's facts whether they say anything.
_PARTS = tuple(part.name for part in fields(ProjectFacts))

# The parts of ``ProjectFacts`` that ``SemanticModel.build`` copies into a table of the
# model without reading them (part -> the model's table); the rules and the semantics
# modules read each table only by asking it for a key or by going through all of it.
# ``places`` fills ``called_from`` only for the exported functions ``calls`` speaks of.
# The other parts shape the model as it is built: ``calls`` the repetition of functions
# (``LEARNED_FIELDS``, watched by ``watch_functions``), ``driven_methods`` and
# ``once_methods`` too (a check reads ``once_methods`` only through the learned fields of
# the methods it names: ``ProjectReads`` keeps those as ``Class.method``), and
# ``closed_classes`` (read through the learned fields of the classes' constructors).
TABLES = {
    "params": "passed_in",
    "singletons": "singletons",
    "per_call": "per_call_classes",
    "collections": "imported_collections",
    "listened": "listened_elsewhere",
    "returns": "returned_elsewhere",
    "streams": "imported_streams",
    "resources": "imported_resources",
    "registrars": "imported_registrars",
    "libraries": "imported_libraries",
    "places": "called_from",
    "uncalled": "uncalled_elsewhere",
    "keys": "passed_keys",
}

# The fields of a function that the view's ``calls`` can change, in the exported function
# it speaks of and in the functions whose repetition is worked out from that one's: how
# often it runs, why, and whether it runs per event elsewhere (``SemanticModel.build``).
LEARNED_FIELDS = ("repetition", "reason", "reason_kind", "driven_elsewhere")


def _noting(name: str) -> property:
    """``FunctionInfo.<name>`` of a watched function: read (or written), the function is
    plain again, which is how the read is noted, and later reads cost nothing more."""
    slot = getattr(FunctionInfo, name)

    def read(function: FunctionInfo) -> Any:
        function.__class__ = FunctionInfo
        return slot.__get__(function, FunctionInfo)

    def write(function: FunctionInfo, value: Any) -> None:
        function.__class__ = FunctionInfo
        slot.__set__(function, value)

    return property(read, write)


# A function none of whose ``LEARNED_FIELDS`` was read since ``watch_functions``: the same
# slots as ``FunctionInfo``, so that a function can be turned into one and back.
_Watched = type(
    "_Watched", (FunctionInfo,), {"__slots__": (), **{n: _noting(n) for n in LEARNED_FIELDS}}
)


def watch_functions(functions: list[FunctionInfo]) -> None:
    """Note which of ``functions`` have a learned field read from now on (``read_since``)."""
    for function in functions:
        function.__class__ = _Watched


def read_since(functions: list[FunctionInfo]) -> list[FunctionInfo]:
    """The functions of ``functions`` (``watch_functions``) with a learned field read since;
    every one is a plain ``FunctionInfo`` again."""
    read: list[FunctionInfo] = []
    for function in functions:
        if type(function) is _Watched:
            function.__class__ = FunctionInfo
        else:
            read.append(function)
    return read


class AskedTable(dict[Any, Any]):
    """An empty table of the model that notes what it is asked: each key looked up, and
    whether it was gone through whole (iterated, its size or truth asked, copied)."""

    __slots__ = ("asked", "whole")

    def __init__(self) -> None:  # empty, as ``dict()`` leaves it
        self.asked: set[Any] = set()
        self.whole = False

    def get(self, key: Any, default: Any = None) -> Any:
        self.asked.add(key)
        return default

    def __getitem__(self, key: Any) -> Any:
        self.asked.add(key)
        raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        self.asked.add(key)
        return False

    def _gone_through(self) -> dict[Any, Any]:
        self.whole = True
        return {}

    def __len__(self) -> int:
        return len(self._gone_through())

    def __iter__(self) -> Iterator[Any]:
        return iter(self._gone_through())

    def __reversed__(self) -> Iterator[Any]:
        return iter(self._gone_through())

    def keys(self) -> KeysView[Any]:  # type: ignore[override]
        return self._gone_through().keys()

    def values(self) -> ValuesView[Any]:  # type: ignore[override]
        return self._gone_through().values()

    def items(self) -> ItemsView[Any, Any]:  # type: ignore[override]
        return self._gone_through().items()

    def copy(self) -> dict[Any, Any]:
        return self._gone_through()

    def __eq__(self, other: object) -> bool:
        return self._gone_through() == other

    def __ne__(self, other: object) -> bool:
        return self._gone_through() != other

    __hash__ = None

    def __or__(self, other: Any) -> Any:
        return self._gone_through() | other

    def __ror__(self, other: Any) -> Any:
        return other | self._gone_through()

    def _written(self, *_args: Any, **_kwargs: Any) -> Any:
        """The model's tables are read, never written: a write would go unseen by ``get``
        (which answers as if empty), so it fails loudly instead."""
        raise TypeError("the model's tables of project facts are read-only")

    __setitem__ = __delitem__ = __ior__ = _written
    setdefault = update = pop = popitem = clear = _written


@record
class ProjectReads:
    """What the check of a file without the project view asked of the model's tables of
    project facts (``TABLES``): per part of ``ProjectFacts``, the keys asked for, as the
    view keys them, or None when the whole table was read (iterated, its size asked).
    ``calls`` names the exports whose function, or a function whose repetition is worked
    out from its, had a ``LEARNED_FIELDS`` read: what a fact about another export changes
    was never read, so the check would run as it did."""

    asked: dict[str, frozenset[object] | None]

    def change(self, facts: ProjectFacts) -> bool:
        """Whether checking the file again with ``facts`` could end otherwise than the check
        that asked ``self``. Not when every part of ``facts`` is a table (the model is then
        built as without them) and no key asked is in it: the two checks run alike, each
        question getting the same answer, up to a first question answered otherwise, which
        the first check asked too."""
        for part in _PARTS:
            given = getattr(facts, part)
            if not given:
                continue
            if part not in self.asked:
                return True  # it shapes the model as it is built
            asked = self.asked[part]
            if asked is None or not asked.isdisjoint(given):
                return True
        return False
