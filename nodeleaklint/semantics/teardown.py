"""Teardown (SPEC §1 *Method frequency*, *Teardown completeness*): which methods end an
instance's working life, what they release, and which of the instance's timers they forget.

A class's teardown methods are the ones named for it (``close``, ``destroy``, ``stop`` …),
the handlers of the instance's own ``'close'`` / ``'end'`` (or of a connection it ends
itself, ``this.socket.destroy()``), and — evidence over names — any
method that clears two or more of the instance's timer fields without starting one (a
``cleanupConnection()``). What a teardown releases includes what it reaches through
``this.method()`` calls. A clear right before re-arming (``this.clearTimer(); this.timer =
setTimeout(…)``) starts a timer in the same method, so that method is not teardown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nodeleaklint.parsing import Node
from nodeleaklint.records import record
from nodeleaklint.semantics import frameworks
from nodeleaklint.semantics.classes import ClassInfo
from nodeleaklint.semantics.flow import (
    FlowKind,
    ReleaseSpec,
    flow_of,
    release_sources,
    value_sources,
)
from nodeleaklint.semantics.locations import Place, place_of
from nodeleaklint.semantics.model import SemanticModel
from nodeleaklint.semantics.obligations import closed_in_class
from nodeleaklint.semantics.scopes import CallSite, FunctionInfo, nested_in
from nodeleaklint.semantics.syntax import callee_parts, is_inside, string_value, text, unwrap
from nodeleaklint.semantics.timers import timer_calls
from nodeleaklint.semantics.vocabulary import CONNECTION_END_EVENTS

TIMER_CLEARS = ReleaseSpec(functions=frozenset({"clearInterval", "clearTimeout"}))
# The instance's own events that end its working life (and the ``'destroy'`` some emit).
CLOSING_EVENTS = CONNECTION_END_EVENTS | {"destroy"}
_MAX_DEPTH = 6


@dataclass(eq=False, repr=False)
class TimerField:
    """A field of the instance that holds a timer handle, and the calls that fill it."""

    place: Place
    starts: list[tuple[CallSite, str]] = field(default_factory=list)  # (call, timer name)
    methods: set[int] = field(default_factory=set)  # node ids of the methods that start it


@dataclass(eq=False, repr=False)
class Teardown:
    """The teardown methods of one class and the timer fields they clear."""

    info: ClassInfo
    methods: list[FunctionInfo]
    cleared: dict[Place, str]  # timer field -> the teardown that clears it (for messages)
    fields: dict[Place, TimerField]

    @property
    def forgotten(self) -> list[TimerField]:
        """Timer fields no teardown path clears, when teardown clears at least one other."""
        if not self.cleared:
            return []
        return [f for place, f in self.fields.items() if place not in self.cleared]


def timer_fields(model: SemanticModel, info: ClassInfo) -> dict[Place, TimerField]:
    """The class's fields that receive a ``setInterval`` / ``setTimeout`` handle."""
    found: dict[Place, TimerField] = {}
    for call, name, owner in _timer_starts(model).get(info.node.id, ()):
        flow = flow_of(model, call.node, TIMER_CLEARS)
        place = flow.place
        if flow.kind is not FlowKind.STORED or place is None or not place.is_field:
            continue
        entry = found.setdefault(place, TimerField(place))
        entry.starts.append((call, name))
        entry.methods.add(owner.node.id)
    return found


def starts_timers(model: SemanticModel, info: ClassInfo) -> bool:
    """Whether a member of the class starts a timer on its ``this``: without one the class
    has no timer field (``timer_fields`` reads only these starts), so nothing is forgotten."""
    return info.node.id in _timer_starts(model)


def _timer_starts(model: SemanticModel) -> dict[int, list[tuple[CallSite, str, FunctionInfo]]]:
    """Node's ``setInterval`` / ``setTimeout`` calls made in class members, by the class
    node id of the ``this`` they run with (the calls are looked at once per file, not once
    per class), with the timer's name and that member."""
    cached = model.cache.get("teardown.timer_starts")
    if isinstance(cached, dict):
        return cached
    found: dict[int, list[tuple[CallSite, str, FunctionInfo]]] = {}
    for name in ("setInterval", "setTimeout"):
        for call, kind in timer_calls(model, name):
            if kind != "callback":
                continue
            owner = model.this_function(call.node)
            if owner is not None and owner.class_node is not None:
                found.setdefault(owner.class_node.id, []).append((call, name, owner))
    model.cache["teardown.timer_starts"] = found
    return found


def cleared_by(
    model: SemanticModel, function: FunctionInfo, info: ClassInfo, depth: int = 0
) -> set[Place]:
    """Places ``function`` clears with ``clearInterval`` / ``clearTimeout``, directly or
    through ``this.method()`` calls to methods of the same class."""
    key = f"teardown.cleared:{function.node.id}"
    cached = model.cache.get(key)
    if isinstance(cached, set):
        return cached
    model.cache[key] = found = set()  # a cycle of this.method() calls ends here
    for call in model.calls_named(*sorted(TIMER_CLEARS.functions)):
        if call.args and _shares_frame(model, call, function):
            found |= value_sources(model, call.args[0])
    if depth < _MAX_DEPTH:
        for callee in _this_methods_called(model, function, info):
            if callee is not function:
                found |= cleared_by(model, callee, info, depth + 1)
    return found


def _shares_frame(model: SemanticModel, call: CallSite, function: FunctionInfo) -> bool:
    """A clear in a callback inside ``function`` (``this.on('close', () => clear…)``)."""
    return nested_in(call.function, function)


def _this_methods_called(
    model: SemanticModel, function: FunctionInfo, info: ClassInfo
) -> list[FunctionInfo]:
    """Methods of the class that ``function`` (or a callback inside it) calls on ``this``."""
    found: list[FunctionInfo] = []
    for call in _this_call_index(model, info):
        if is_inside(call.node, function.node):
            found.extend(info.methods[call.name])
    return found


def reached_methods(
    model: SemanticModel, info: ClassInfo, roots: list[FunctionInfo]
) -> list[FunctionInfo]:
    """``roots`` and every method of the class they reach through ``this.m()`` calls."""
    found = list(roots)
    seen = {f.node.id for f in found}
    pending = list(found)
    while pending and len(seen) < 64:
        for method in _this_methods_called(model, pending.pop(), info):
            if method.node.id not in seen:
                seen.add(method.node.id)
                found.append(method)
                pending.append(method)
    return found


def _this_call_index(model: SemanticModel, info: ClassInfo) -> list[CallSite]:
    """Every ``this.m()`` call of a method of the class, found once per class."""
    key = f"teardown.this_calls:{info.node.id}"
    cached = model.cache.get(key)
    if isinstance(cached, list):
        return cached
    found = [
        call
        for name in info.methods
        for call in model.calls_named(name)
        if call.obj is not None and not call.is_new and model.is_this(call.obj)
    ]
    model.cache[key] = found
    return found


def _closing_handlers(model: SemanticModel, info: ClassInfo) -> list[FunctionInfo]:
    """Handlers of the instance's own ``'close'`` / ``'end'`` (``this.on('close', …)``), and
    of those of a connection the instance ends itself (``this.socket.on('close', …)`` in a
    class that calls ``this.socket.destroy()``: the connection's end is the instance's)."""
    return _closing_handler_index(model).get(info.node.id, [])


def _closing_handler_index(model: SemanticModel) -> dict[int, list[FunctionInfo]]:
    """``_closing_handlers`` of every class, by class node id: the calls are looked at once
    per file, not once per class."""
    cached = model.cache.get("teardown.closing_handlers")
    if isinstance(cached, dict):
        return cached
    found: dict[int, list[FunctionInfo]] = {}
    for call in model.calls_named("on", "once", "addListener", "prependListener"):
        if len(call.args) < 2 or string_value(call.args[0]) not in CLOSING_EVENTS:
            continue
        owner = model.this_function(call.node)
        info = model.class_info(owner.class_node if owner is not None else None)
        if info is None:
            continue
        if not model.is_this(call.obj) and not owned_connection(model, info, call.obj):
            continue
        function = _handler_function(model, info, call.args[1])
        if function is not None:
            found.setdefault(info.node.id, []).append(function)
    model.cache["teardown.closing_handlers"] = found
    return found


def owned_connection(model: SemanticModel, info: ClassInfo, target: Node | None) -> bool:
    """``this.socket`` when the class itself closes it (``obligations.closed_in_class``)."""
    target = unwrap(target)
    place = place_of(model, target) if target is not None else None
    return place is not None and place.is_field and closed_in_class(model, info, place)


def _handler_function(
    model: SemanticModel, info: ClassInfo, handler: Node | None
) -> FunctionInfo | None:
    """The function a listener argument runs: an inline function, or a method of the class
    named through ``this`` (``this.onClose``, ``this.onClose.bind(this)``)."""
    handler = unwrap(handler)
    if handler is None:
        return None
    function = model.function_at(handler)
    if function is not None:
        return function
    if handler.type == "call_expression":
        bound, name = callee_parts(handler)
        if name != "bind":
            return None
        handler = unwrap(bound)
    if handler is None or handler.type != "member_expression":
        return None
    if not model.is_this(handler.child_by_field_name("object")):
        return None
    methods = info.methods.get(text(handler.child_by_field_name("property")), [])
    return methods[0] if len(methods) == 1 else None


def teardown_of(model: SemanticModel, info: ClassInfo) -> Teardown:
    """The class's teardown: its methods, what they clear, and the timer fields it has."""
    key = f"teardown.of:{info.node.id}"
    cached = model.cache.get(key)
    if isinstance(cached, Teardown):
        return cached
    fields = timer_fields(model, info)
    methods = [*info.teardown_methods(), *_closing_handlers(model, info)]
    if not fields:  # no timers to weigh: the named teardown and closing handlers are all
        teardown = Teardown(info, methods, {}, fields)
        model.cache[key] = teardown
        return teardown
    starters = {method_id for f in fields.values() for method_id in f.methods}
    for name, candidates in info.methods.items():
        for method in candidates:
            if (
                name in frameworks.active().teardown_methods
                or method.node.id in starters
                or method in methods
            ):
                continue
            if len(cleared_by(model, method, info) & fields.keys()) >= 2:
                methods.append(method)  # clears the instance's timers and starts none
    cleared: dict[Place, str] = {}
    for method in methods:
        for place in cleared_by(model, method, info) & fields.keys():
            cleared.setdefault(place, _method_label(method))
    teardown = Teardown(info, methods, cleared, fields)
    model.cache[key] = teardown
    return teardown


def _method_label(function: FunctionInfo) -> str:
    if function.callback_of is not None:
        event = string_value(function.callback_of.args[0]) if function.callback_of.args else None
        return f"the `'{event}'` handler" if event else "the closing handler"
    return f"`{function.name}()`"


@record
class RunningInterval:
    """An interval an instance runs until one of its teardown methods clears it."""

    field: TimerField
    starter: str  # "the constructor" or the starting method's name
    teardown: tuple[str, ...]  # names of the methods that clear it (``close``, ``stop``)

    @property
    def starter_words(self) -> str:
        """ "its constructor" or "`start()`", for messages."""
        if self.starter == "the constructor":
            return "its constructor"
        return f"`{self.starter}()`"


def running_intervals(model: SemanticModel, info: ClassInfo) -> list[RunningInterval]:
    """The class's interval fields that start when an instance is made (its constructor, or a
    method the constructor calls) or by a method, and that only named teardown methods clear:
    whoever drops an instance without calling one of those leaves the interval firing, and
    the interval keeps the instance alive (SPEC §1 *Teardown completeness*)."""
    if not starts_timers(model, info):
        return []  # no timer field, so no interval (without working out the teardown)
    teardown = teardown_of(model, info)
    intervals = {
        place: timer_field
        for place, timer_field in teardown.fields.items()
        if place in teardown.cleared
        and any(name == "setInterval" for _, name in timer_field.starts)
    }
    if not intervals:
        return []
    constructed: set[int] = set()
    if info.constructor is not None:
        constructed = {m.node.id for m in reached_methods(model, info, [info.constructor])}
    found: list[RunningInterval] = []
    for place, timer_field in intervals.items():
        names = tuple(
            sorted(
                {
                    method.name
                    for method in teardown.methods
                    if method.name and place in cleared_by(model, method, info)
                }
            )
        )
        if not names:
            continue
        if timer_field.methods & constructed:
            found.append(RunningInterval(timer_field, "the constructor", names))
            continue
        starters = sorted(
            method.name
            for method in info.members
            if method.node.id in timer_field.methods and method.name
        )
        if starters:
            found.append(RunningInterval(timer_field, starters[0], names))
    return found


@record
class RearmOnly:
    """A timer field whose every clear runs in a method that then starts a new timer in it
    (``clearInterval(this.t); this.t = setInterval(…)``, or a clear followed by a
    ``this.start()`` that does): each clear stops only the previous timer, so the last one
    is never stopped (SPEC §1 *Teardown completeness*: a clear before re-arming is not
    teardown)."""

    clearing: tuple[str, ...]  # the re-arming methods that hold the clears (``initDocs``)
    teardown: tuple[str, ...]  # the class's teardown methods, none of which clears the field


_OTHER_TIMER_RELEASES = ReleaseSpec(methods=frozenset({"close", "[Symbol.dispose]"}))


def cleared_only_to_rearm(model: SemanticModel, call: CallSite, place: Place) -> RearmOnly | None:
    """``RearmOnly`` when the timer ``call`` stores in the field ``place`` is cleared, in the
    whole file, only by clears written directly in a method of its class (not in a callback
    inside it) that later in the same method starts a timer in the same field, itself or
    through a ``this.method()`` call. A clear anywhere else — a teardown, a closing handler,
    the timer's own callback, code outside the class — is a real end of the timer."""
    owner = model.this_function(call.node)
    info = model.class_info(owner.class_node if owner is not None else None)
    if info is None or not place.is_field:
        return None
    timer_field = timer_fields(model, info).get(place)
    if timer_field is None or place in release_sources(model, _OTHER_TIMER_RELEASES):
        return None
    members = {method.node.id: method for method in info.members}
    clearing: set[str] = set()
    for clear in model.calls_named(*sorted(TIMER_CLEARS.functions)):
        if not clear.args or place not in value_sources(model, clear.args[0]):
            continue
        method = clear.function
        if method is None or method.node.id not in members:
            return None  # cleared in a callback or outside the class's methods
        if not _rearms_after(model, info, method, clear, timer_field):
            return None
        clearing.add(method.name or "constructor")
    if not clearing:
        return None
    teardown = teardown_of(model, info)
    names = tuple(sorted({_method_label(m) for m in teardown.methods}))
    return RearmOnly(tuple(sorted(clearing)), names)


def _rearms_after(
    model: SemanticModel,
    info: ClassInfo,
    method: FunctionInfo,
    clear: CallSite,
    timer_field: TimerField,
) -> bool:
    """``method`` starts a timer in ``timer_field`` after ``clear``: directly, or by calling
    on ``this`` (not from a callback) a method that starts one, itself or through its own
    ``this.method()`` calls."""
    after = clear.node.end_byte
    for start, _name in timer_field.starts:
        if start.function is method and start.node.start_byte >= after:
            return True
    for site in _this_call_index(model, info):
        if site.function is not method or site.node.start_byte < after:
            continue
        reached = reached_methods(model, info, list(info.methods.get(site.name, [])))
        if any(m.node.id in timer_field.methods for m in reached):
            return True
    return False


def teardown_reach(
    model: SemanticModel, info: ClassInfo, nodes: list[Node]
) -> tuple[list[FunctionInfo], bool]:
    """The class's teardown methods with every method they reach through ``this.m()``, and
    whether one of ``nodes`` (the shrinks of a collection) sits in one of them: whether the
    teardown path flushes it (SPEC §1 *Teardown completeness*: a pending-work table must be
    flushed when the instance's work ends)."""
    roots = teardown_of(model, info).methods
    if not roots:
        return [], False
    reached = reached_methods(model, info, list(roots))
    inside = any(is_inside(node, method.node) for node in nodes for method in reached)
    return roots, inside


# What a teardown calls on the instance's own parts to release them.
_RELEASES = frozenset(
    {
        "close",
        "destroy",
        "end",
        "terminate",
        "disconnect",
        "quit",
        "kill",
        "abort",
        "dispose",
        "release",
        "unsubscribe",
        "removeAllListeners",
        "clear",
    }
)


def teardown_release(model: SemanticModel, info: ClassInfo) -> tuple[str, str] | None:
    """The first thing the class's teardown (its teardown methods and closing handlers, and
    what they reach through ``this.m()``) releases on a field of the instance, as (the
    teardown's label, the call): ``("`destroy()`", "this.socket.destroy()")``. Evidence that
    the author tears the instance down, so an interval its teardown forgets outlives it."""
    key = f"teardown.release:{info.node.id}"
    if key in model.cache:
        cached = model.cache[key]
        return cached if isinstance(cached, tuple) else None
    found: tuple[str, str] | None = None
    roots = teardown_of(model, info).methods
    for root in roots:
        for method in reached_methods(model, info, [root]):
            for call in method.calls:
                member = unwrap(call.obj)
                if call.name not in _RELEASES or call.is_new or member is None:
                    continue
                if member.type != "member_expression":
                    continue
                if not model.is_this(member.child_by_field_name("object")):
                    continue
                found = (_method_label(root), call.display(40))
                break
            if found:
                break
        if found:
            break
    model.cache[key] = found
    return found
