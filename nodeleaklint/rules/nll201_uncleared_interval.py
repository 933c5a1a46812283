"""## What it does
Flags `setInterval(...)` (the global, or from `timers` / `node:timers`) started inside a
function when nothing can ever stop it: the returned handle is discarded, or stored only in
places that no `clearInterval` / `clearTimeout` in the file reaches (the same variable, the
same `this.field`, a collection that is read back and cleared), and it is neither returned
nor handed to someone else. A callback that clears its own handle counts as cleared;
`.unref()` does not. An interval behind a latch on a module-level slot (`if (timer)
return; timer = setInterval(…)`, `if (!timer) timer = setInterval(…)`) starts once for the
life of the process, as one at module top level does, and is not reported unless
`check-module-level` is on. A handle kept on an object the code was handed (`ctx.websocket.pingId =
setInterval(…)`, `req.poller = …`) is reported with medium confidence: code elsewhere that
holds the same object may clear it.

It also flags intervals started in a constructor whose class never clears them,
self-rescheduling `setTimeout` chains (a function that unconditionally schedules itself
again, with no stop condition and no stored handle), and `for await` loops over the
`setInterval` async iterator of `timers/promises` that have neither a `signal` nor a
`break` / `return`.

Cleanup is verified against the instance's own teardown (classes in every form: `class`,
ES5 constructors with prototype methods — also those copied in by any call handed the
prototype, `extend(Conn.prototype, { … })` — `self = this`, `this[kTimer]` fields):
- **Teardown completeness**: when a teardown method (`close`, `destroy`, `stop`, …, the
  instance's own `'close'` handler, the `'close'` handler of a connection the instance ends
  itself — `this.socket.on('close', …)` in a class that calls `this.socket.destroy()` — or
  any method that clears two or more of its timer fields and starts none) clears some of
  the instance's timers, a timer field it does not reach — through `this.method()` calls
  too — is reported (medium): "`close()` clears `this.pingTimer` but not
  `this.flushTimer`".
- **Teardown that releases the rest**: a teardown that clears none of the instance's
  timers but releases its other parts (`destroy() { this.socket.destroy() }`, a `.close()`,
  `.end()`, `.removeAllListeners()`, `.clear()` … on a field of `this`) while an interval kept
  in a field is cleared only elsewhere (`pause()`): after teardown the interval keeps firing
  and keeps the instance alive (medium).
- **Cleared only before re-arming**: an interval kept in a field whose every clear in the
  file sits in a method that then starts a new timer in the same field
  (`clearInterval(this.timer); this.timer = setInterval(…)`, or a clear followed by a
  `this.start()` that does) is reported as never cleared (medium): each clear stops the
  previous interval, none stops the last one, which keeps the instance alive after its work
  — whether or not the class has a teardown method (its `destroy()` is named when it has).
  A clear in a callback inside that method (a `'close'` handler), in the interval's own
  callback, or in any other method counts as a real clear.
- **Replacement**: `this.timer = setInterval(…)` in a method that the instance runs again
  (it calls itself, or another method or callback of the class calls it) without clearing
  or testing the field first orphans the previous interval (medium). The same for a
  binding declared outside the function (`let timer` at module level): an interval assigned
  per request or event without a clear first, unless the same emitter's events start and
  clear it (`'connect'` / `'close'` alternate). A clear written above the assignment inside
  a callback (`ws.on('close', () => clearInterval(ping)); ping = setInterval(…)`) is no clear
  first: it runs later, when the binding holds a later run's handle. A timeout counts when
  the function runs for two failure events of one emitter (`'error'` and `'close'` both
  fire for one failure, so each failure schedules two reconnects and one handle is lost).
- **Dropped owners**: `this.x = null`, `delete this.map[k]`, `this.map.delete(k)` or
  `.clear()` on a field holding instances of a class in the file whose constructor (or a
  start method others call) starts an interval that only its teardown (`close()`,
  `destroy()` …) clears, in code that calls none of those: the interval keeps firing and
  keeps the dropped instance alive (medium, reported at the drop).
- **Framework nodes**: a Node-RED node (`RED.nodes.createNode(this, config)`) that starts
  a `setTimeout` per `'input'` message, keeps no handle, and has no `'close'` handler or
  `close` method: on redeploy the node is closed but its pending timeouts still fire and
  keep the old node and each message alive until then (medium).
- **Self-clears on one outcome only**: an interval started in a promise executor whose only
  clears sit in its own callback, on the run that settles the promise
  (`if (idle) { clearInterval(interval); resolve() }`), while another callback of the same
  executor settles the promise without clearing it (a `setTimeout` that rejects on timeout):
  after that outcome the interval polls on, for as long as its own condition stays false —
  one more interval per timed-out call (medium). Not when that callback writes something the
  interval reads (`timedOut = true`): its next run may see it and clear itself.
- **Re-arming chains** include a `setTimeout` in a promise's `.finally(…)` callback on the
  function's straight path: it runs however the work settles.
- **Clears that clear nothing**: when every clear of the field runs after its own method
  has overwritten it (`this.timer = null; clearInterval(this.timer)`), the clear receives
  the new value and the interval is reported as never cleared (medium). A clear of a field
  of the class that is never assigned a timer (`clearInterval(this.interval)` while the
  handle lives in `this.timer`) is named in the finding of the interval nothing clears.
- **Timeouts racing the work**: a `setTimeout` whose handle is never cleared (discarded,
  or kept in a local only to `.unref()` it) inside the executor of a promise given to
  `Promise.race` / `Promise.any` — in the array itself, or first kept in a `const` of the
  same function (`const timeout = new Promise(…); await Promise.race([work(), timeout])`)
  — keeps its closure and the promise it rejects for the full delay after the work wins,
  once per call (medium). A clear anywhere (a `finally` after the race) counts.
- **Watchdog timeouts**: a `setTimeout` per call, handle discarded, whose callback acts
  only while the work it watches is unfinished (its whole body is `if (!command.isResolved)
  …`, or it starts with `if (done) return`), testing a parameter or local of the function
  that starts it: the code itself says the work may finish first, and then nothing clears
  the timer, which keeps the watched value for the full delay after the work is done
  (medium). Not for delays written as under a second, nor for state shared by calls or
  `this`.

## Why is this bad?
An active timer is a GC root: Node's timer list holds the `Timeout`, the `Timeout` holds
the callback, and the callback's closure holds every variable it captures — in V8, the
whole context of the scope it was created in, so a request's `req` and `res`, buffers and
parsed bodies stay reachable too. An interval that is never cleared runs for the life of
the process; one started per request, per connection or per instance adds one more
callback (and one more captured request) each time. `.unref()` only lets the process exit
while the timer is pending; the timer still fires and still retains its closure.

## Example
```js
app.get('/events', (req, res) => {
  // ruleid: NLL201
  setInterval(() => res.write('data: ping\n\n'), 1000);
});

class Poller {
  constructor(url) {
    this.url = url;
    // ruleid: NLL201
    this.timer = setInterval(() => this.poll(), 5000);
  }
  poll() {
    return fetch(this.url);
  }
}
```

## Use instead
```js
app.get('/events', (req, res) => {
  const timer = setInterval(() => res.write('data: ping\n\n'), 1000);
  req.on('close', () => clearInterval(timer));
});

class Poller {
  constructor(url) {
    this.url = url;
    this.timer = setInterval(() => this.poll(), 5000);
  }
  poll() {
    return fetch(this.url);
  }
  close() {
    clearInterval(this.timer);
  }
}

// Module top level: one reporter for the life of the process is fine.
setInterval(() => reportMetrics(), 60000);
```

## Options
- `check-module-level` (boolean, default false): also report intervals started at module
  top level or in a function that runs once (such as `main()`).

## Known limits
Handles are matched by storage location within one file: a handle cleared in another module
is not seen (store or return it and the rule stays silent). A clear of `this[name]` where
`name` walks a literal list of field names (`for (const f of ['_a', '_b']) clearInterval(this[f])`)
reaches each field the list names, and only those. Replacement is reported only
when the file shows the method or function running again (for the same instance, per
request or event, or for two failure events). Outside teardown completeness, any
`clearInterval` that reaches the handle counts, even on a path that may never run.
"""

from __future__ import annotations

from collections.abc import Iterator

from nodeleaklint.findings import Confidence, Finding, Severity
from nodeleaklint.parsing import Node
from nodeleaklint.rules.base import RuleContext, RuleMeta, RuleOption
from nodeleaklint.rules.headlines import fit, sentence
from nodeleaklint.semantics import frameworks
from nodeleaklint.semantics.classes import ClassInfo
from nodeleaklint.semantics.confidence import ESTABLISHED, Evidence, certainty, confidence_of
from nodeleaklint.semantics.contexts import Context, context_of, field_class
from nodeleaklint.semantics.flow import (
    Fate,
    Flow,
    FlowKind,
    ReleaseSpec,
    fate_of,
    flow_of,
    overwritten_before,
    value_sources,
)
from nodeleaklint.semantics.latches import latch_of
from nodeleaklint.semantics.locations import (
    Place,
    never_holds_a_value,
    occurrences,
    place_of,
    same_location,
    written_values,
)
from nodeleaklint.semantics.model import SemanticModel
from nodeleaklint.semantics.reachable import runs_within
from nodeleaklint.semantics.retention import retained_large_values
from nodeleaklint.semantics.scopes import BindingKind, CallSite, FunctionInfo, Repetition
from nodeleaklint.semantics.settling import settled_elsewhere
from nodeleaklint.semantics.syntax import (
    FUNCTION_KINDS,
    LOOP_KINDS,
    ancestors,
    is_inside,
    outer,
    short,
    string_value,
    text,
    unwrap,
)
from nodeleaklint.semantics.teardown import (
    RearmOnly,
    RunningInterval,
    Teardown,
    cleared_by,
    cleared_only_to_rearm,
    running_intervals,
    starts_timers,
    teardown_of,
    teardown_release,
)
from nodeleaklint.semantics.timers import timer_calls, timer_kind
from nodeleaklint.semantics.vocabulary import end_events
from nodeleaklint.semantics.watchdogs import watchdog_of

META = RuleMeta(
    id="NLL201",
    name="uncleared-interval",
    summary="Interval started per call and never cleared",
    fix=(
        "Keep the handle and call `clearInterval(handle)` when the work ends (on `close`, "
        "`disconnect`, in a `close()`/`onModuleDestroy()` method), return it to the caller, "
        "or pass an `AbortSignal`; `.unref()` alone is not enough."
    ),
    severity=Severity.WARNING,
    options=(
        RuleOption(
            "check-module-level",
            False,
            bool,
            "Also report intervals started at module top level or in a function that runs once.",
        ),
    ),
)

TIMER_RELEASE = ReleaseSpec(
    functions=frozenset({"clearInterval", "clearTimeout"}),
    methods=frozenset({"close", "[Symbol.dispose]"}),
)
# Parameter names of per-event objects a captured reference is worth naming.
_PER_EVENT_NAMES = frozenset(
    {"req", "res", "request", "response", "reply", "ctx", "socket", "ws", "connection", "client"}
)
_STOP_KINDS = frozenset({"return_statement", "throw_statement"})
_STRAIGHT_LINE = frozenset(
    {
        "expression_statement",
        "statement_block",
        "try_statement",
        "finally_clause",
        "parenthesized_expression",
        "await_expression",
        "labeled_statement",
    }
)


# -- where the timer is started ---------------------------------------------------------------


def _confidence(context: Context, shared: bool = False) -> Confidence:
    """A timer that is never cleared is held by the event loop's timer list for good (the
    holder is seen); how sure we are rests on whether its code is seen to repeat, and on
    whether code out of view could clear it (``shared``: the handle is kept on an object
    the code was handed)."""
    return confidence_of(
        Evidence(repetition=context.repeats, holder=ESTABLISHED, unreleased=certainty(not shared))
    )


def _kept_on_shared_object(model: SemanticModel, call: CallSite) -> str | None:
    """``ctx.websocket.pingIntervalId = setInterval(…)``: the handle is kept on an object the
    code was handed (a parameter's, or a global's, property), which other code holds too and
    may clear it through (the connection's close handler in another module). The object's
    words, else None."""
    place = flow_of(model, call.node, TIMER_RELEASE).place
    if place is None or place.kind != "path" or not place.path:
        return None
    owner, _, _ = place.label.rpartition(".")
    return owner or None


# -- what the callback keeps ----------------------------------------------------------------


def kept_alive(
    model: SemanticModel, callback: Node | None, extra: list[Node], limit: int = 4
) -> str:
    """``" and `this` (a `Poller`), `res`, `req`"`` — what a long-lived callback retains."""
    names: list[str] = []
    function = _callback_function(model, callback)
    if function is not None:
        names.extend(_captured(model, function))
        for retained in retained_large_values(model, function):
            label = f"`{retained.binding.name}` ({retained.large.what})"
            if retained.direct:
                names = [n for n in names if n != f"`{retained.binding.name}`"]
                names.insert(0, label)
            elif label not in names:
                names.append(label)
    else:
        node = unwrap(callback)
        if node is not None and "this" in _this_words(node):
            names.append(_this_label(model, node))
    for item in extra:
        arg = unwrap(item)
        if arg is not None and arg.type in ("identifier", "this"):
            label = _this_label(model, arg) if arg.type == "this" else f"`{text(arg)}`"
            if label not in names:
                names.append(label)
    if not names:
        return ""
    shown = names[:limit]
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return f" — and {', '.join(shown)}{more}, which it captures —"


def _this_words(node: Node) -> set[str]:
    words: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "this":
            words.add("this")
        stack.extend(current.named_children)
    return words


def _this_nodes(node: Node) -> Iterator[Node]:
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "this":
            yield current
        stack.extend(current.named_children)


def _this_label(model: SemanticModel, node: Node) -> str:
    function = model.this_function(node)
    if function is not None and function.class_name:
        return f"`this` (the `{function.class_name}` instance)"
    return "`this`"


def _callback_function(model: SemanticModel, callback: Node | None) -> FunctionInfo | None:
    node = unwrap(callback)
    if node is None:
        return None
    if node.type in FUNCTION_KINDS:
        return model.function_at(node)
    if node.type == "identifier":
        binding = model.binding_of(node)
        if binding is not None and binding.function is not None and not binding.scope.is_module:
            return binding.function
    return None


def _captured(model: SemanticModel, function: FunctionInfo) -> list[str]:
    """Per-call names ``function`` reads from enclosing functions, per-event objects first."""
    found: list[str] = []
    seen: set[int] = set()
    stack = [function.node]
    while stack:
        node = stack.pop()
        if node.type == "this":
            owner = model.this_function(node)
            label = ""
            if (
                owner is not None
                and owner is not function
                and not is_inside(owner.node, function.node)
            ):
                label = _this_label(model, node)
            elif owner is None and (owner_class := field_class(node, True)) is not None:
                name = text(owner_class.child_by_field_name("name"))
                label = f"`this` (the `{name}` instance)" if name else "`this`"
            if label and label not in found:
                found.append(label)
        elif node.type in ("identifier", "shorthand_property_identifier"):
            binding = model.facts.references.get(node.id)
            if (
                binding is not None
                and id(binding) not in seen
                and not binding.scope.is_module
                and binding.kind
                not in (BindingKind.FUNCTION, BindingKind.CLASS, BindingKind.IMPORT)
                and (binding.function is None or binding.kind is BindingKind.PARAM)
                and not is_inside(binding.node, function.node)
            ):
                seen.add(id(binding))
                found.append(f"`{binding.name}`")
        stack.extend(reversed(node.named_children))
    per_event = [name for name in found if name.strip("`") in _PER_EVENT_NAMES]
    return per_event + [name for name in found if name not in per_event]


# -- handles ---------------------------------------------------------------------------------


def clears_itself(model: SemanticModel, callback: Node | None) -> bool:
    """``setInterval(function () { clearInterval(this) })``: Node binds ``this`` to the timer."""
    node = unwrap(callback)
    if node is None or node.type not in ("function_expression", "function"):
        return False
    function = model.function_at(node)
    for call in model.calls_named(*TIMER_RELEASE.functions):
        if call.args and call.function is not None and is_inside(call.node, node):
            arg = unwrap(call.args[0])
            if arg is not None and arg.type == "this" and model.this_function(arg) is function:
                return True
    return False


def handle_problem(model: SemanticModel, call: CallSite, what: str) -> tuple[str, bool] | None:
    """Why the handle of ``call`` can never be cleared (None when it can), and ``.unref()``."""
    flow = flow_of(model, call.node, TIMER_RELEASE)
    unref = "unref" in flow.passed_through
    if flow.kind is FlowKind.DISCARDED:
        if clears_itself(model, call.args[0] if call.args else None):
            return None
        return "its handle is discarded", unref
    if flow.kind not in (FlowKind.STORED, FlowKind.COLLECTED):
        return None
    fate = fate_of(model, flow, TIMER_RELEASE)
    if not fate.kept:
        return None
    return _stored_words(flow, fate, what), unref or "unref" in fate.passed_through


def _only_self_cleared(model: SemanticModel, call: CallSite) -> tuple[str, bool] | None:
    """``const t = setInterval(() => { if (dead) clearInterval(t) … })`` in a connection
    handler whose ``'close'`` handler does not clear it: the interval stops only if its own
    condition ever trips, not when the work ends (SPEC §1 *Cleanup is verified*)."""
    callback = unwrap(call.args[0]) if call.args else None
    function = call.function
    if callback is None or function is None or callback.type not in FUNCTION_KINDS:
        return None
    flow = flow_of(model, call.node, TIMER_RELEASE)
    place = flow.place
    if flow.kind is not FlowKind.STORED or place is None or place.kind != "binding":
        return None
    clears = [
        c
        for c in model.calls_named("clearInterval", "clearTimeout")
        if c.args and place in value_sources(model, c.args[0])
    ]
    if not clears or any(not is_inside(c.node, callback) for c in clears):
        return None
    own = model.function_at(callback)
    other = settled_elsewhere(model, own, clears) if own is not None else None
    if other is not None:
        line = other.settle.node.start_point[0] + 1
        by = (
            f"the `{other.registered_by.name}` callback"
            if other.registered_by is not None
            else "another callback"
        )
        return (
            "it is cleared only from inside its own callback, on the run that settles the "
            f"promise, and {by} on line {line} may settle it first "
            f"(`{other.settle.display(40)}`) without clearing it: after that outcome it keeps "
            "polling for as long as its own condition stays false",
            False,
        )
    closing = next(
        (
            site
            for site in function.calls
            if site.name in ("on", "once", "addListener")
            and site.args
            and string_value(site.args[0]) in _END_OF_WORK_EVENTS
        ),
        None,
    )
    if closing is None:
        return None
    event = string_value(closing.args[0])
    return (
        f"it is cleared only from inside its own callback, on a condition, and the "
        f"`'{event}'` handler registered by `{closing.display(40)}` does not clear it",
        False,
    )


# The events that end a request's, a response's or a connection's work.
_END_OF_WORK_EVENTS = end_events("readable", "writable", "connection")


def _cleared_after_overwrite(model: SemanticModel, call: CallSite) -> tuple[str, bool] | None:
    """``stop() { this.timer = null; clearInterval(this.timer) }``: every clear of the slot
    runs after its own function has overwritten the handle, so it receives the new value and
    the interval is never stopped (SPEC §1 *Cleanup is verified*)."""
    flow = flow_of(model, call.node, TIMER_RELEASE)
    place = flow.place
    if flow.kind is not FlowKind.STORED or place is None:
        return None
    fate = fate_of(model, flow, TIMER_RELEASE)
    if fate.escape is not None or fate.places != [place]:
        return None
    if any(
        c.obj is not None and place in value_sources(model, c.obj)
        for c in model.calls_named(*TIMER_RELEASE.methods)
    ):
        return None  # ``this.timer.close()`` releases it another way
    clears = [
        c
        for c in model.calls_named(*TIMER_RELEASE.functions)
        if c.args and place in value_sources(model, c.args[0])
    ]
    first: tuple[CallSite, Node] | None = None
    for clear in clears:
        if place_of(model, clear.args[0]) != place:
            return None  # read through a copy: it may hold the old handle
        assignment = overwritten_before(model, clear, place)
        value = unwrap(assignment.child_by_field_name("right")) if assignment else None
        if assignment is None or value is None or _may_hold_timer(value):
            return None
        first = first or (clear, assignment)
    if first is None:
        return None
    clear, assignment = first
    owner = clear.function.display() if clear.function is not None else "the code"
    return (
        f"{owner} clears `{place.label}` only after `{text(assignment)}` on line "
        f"{assignment.start_point[0] + 1} has overwritten the handle (the clear receives "
        "that value)",
        False,
    )


def _cleared_only_to_rearm(model: SemanticModel, call: CallSite) -> tuple[Place, RearmOnly] | None:
    """``this.t = setInterval(…)`` whose every clear sits right before a new interval is put in
    the same field (``clearInterval(this.t); this.t = setInterval(…)``, or a clear followed by
    ``this.start()``): each clear stops the previous interval, none stops the last one (SPEC §1
    *Teardown completeness*: a clear before re-arming is not teardown)."""
    flow = flow_of(model, call.node, TIMER_RELEASE)
    place = flow.place
    if flow.kind is not FlowKind.STORED or place is None or not place.is_field:
        return None
    if fate_of(model, flow, TIMER_RELEASE).escape is not None:
        return None  # handed to someone who may clear it
    rearm = cleared_only_to_rearm(model, call, place)
    return None if rearm is None else (place, rearm)


def _rearmed_finding(
    ctx: RuleContext, call: CallSite, context: Context, place: Place, rearm: RearmOnly
) -> Finding:
    model = ctx.model
    methods = _and([f"`{name}()`" for name in rearm.clearing])
    owner = model.this_function(call.node)
    instance = (
        f"each `{owner.class_name}` instance" if owner and owner.class_name else "the instance"
    )
    last = f"the last one keeps {instance} alive"
    teardown = f"; {_and(list(rearm.teardown))} does not clear it" if rearm.teardown else ""
    keeps = kept_alive(model, call.args[0] if call.args else None, call.args[2:])
    return ctx.finding(
        call.node,
        fit(
            f"`{place.label}` is cleared only before re-arming: {last}",
            f"This interval is cleared only before re-arming: {last}",
            "This interval is cleared only before re-arming: the last one is never cleared",
        ),
        confidence=_confidence(context),
        notes=[
            sentence(
                f"`{call.display()}` starts in {context.where} and is kept in `{place.label}`, "
                f"which {methods} {'clear' if len(rearm.clearing) > 1 else 'clears'} only right "
                f"before starting a new interval there{teardown}: nothing clears the last one, "
                f"so the timer list keeps its callback{keeps} alive for the life of the process "
                f"after {instance}'s work is done"
            )
        ],
    )


def _may_hold_timer(value: Node) -> bool:
    """A value that may be a timer handle: a call, ``new``, ``await`` or a name."""
    return value.type in (
        "call_expression",
        "new_expression",
        "await_expression",
        "identifier",
        "member_expression",
        "subscript_expression",
    ) and text(value) not in ("undefined",)


def _misdirected_clear(model: SemanticModel, call: CallSite) -> str:
    """The note " (`stop()` clears `this.interval`, which is never assigned a timer)": a clear of a
    sibling field of the same class that nothing ever fills — the handle lives in another
    field, and the cleanup its author wrote clears nothing."""
    flow = flow_of(model, call.node, TIMER_RELEASE)
    place = flow.place
    if place is None or not place.is_field or place.root == "class:":
        return ""
    for clear in model.calls_named(*TIMER_RELEASE.functions):
        other = place_of(model, clear.args[0]) if clear.args else None
        if other is None or not other.is_field or other.root != place.root or other == place:
            continue
        if written_values(model, other) and not never_holds_a_value(model, other):
            continue
        owner = clear.function.display() if clear.function is not None else "the code"
        return f" ({owner} clears `{other.label}`, which is never assigned a timer)"
    return ""


def _stored_words(flow: Flow, fate: Fate, what: str) -> str:
    label = flow.place.label if flow.place is not None else "a variable"
    if flow.kind is FlowKind.COLLECTED:
        return f"its handle goes into `{label}`, which is never read back and passed to `{what}`"
    return f"its handle is kept in `{label}` but never passed to `{what}`"


# -- timers/promises ---------------------------------------------------------------------------


def endless_iteration(call: CallSite) -> Node | None:
    """The ``for await`` loop that consumes the iterator forever (no signal, no exit)."""
    for arg in call.args[2:]:
        node = unwrap(arg)
        if node is None:
            continue
        if node.type != "object":
            return None  # options from elsewhere: assume they may carry a signal
        if any(
            text(child.child_by_field_name("key") if child.type == "pair" else child) == "signal"
            for child in node.named_children
        ):
            return None
    parent = call.node.parent
    while parent is not None and parent.type in ("parenthesized_expression", "await_expression"):
        parent = parent.parent
    if parent is None or parent.type != "for_in_statement":
        return None
    if not any(child.type == "await" for child in parent.children):
        return None
    right = parent.child_by_field_name("right")
    if right is None or not is_inside(call.node, right):
        return None
    body = parent.child_by_field_name("body")
    return None if body is None or _exits(parent, body) else parent


def _exits(loop: Node, body: Node) -> bool:
    """Whether the loop body can leave the loop: return, throw, or a break aimed at it."""
    label = loop.parent.child_by_field_name("label") if loop.parent is not None else None
    stack = [body]
    while stack:
        node = stack.pop()
        if node.type in _STOP_KINDS:
            return True
        if node.type == "break_statement":
            target = node.child_by_field_name("label")
            if target is not None:
                if label is not None and text(target) == text(label):
                    return True
            elif _innermost_breakable(node) == loop.id:
                return True
        stack.extend(child for child in node.named_children if child.type not in FUNCTION_KINDS)
    return False


def _innermost_breakable(node: Node) -> int | None:
    for parent in ancestors(node):
        if parent.type in LOOP_KINDS or parent.type == "switch_statement":
            return parent.id
    return None


# -- self-rescheduling setTimeout ----------------------------------------------------------------


def rescheduled_function(model: SemanticModel, call: CallSite) -> FunctionInfo | None:
    """The function ``F`` when ``call`` is ``setTimeout(F)`` (or ``() => F()``) inside ``F``."""
    if not call.args:
        return None
    callback = unwrap(call.args[0])
    for function in _enclosing_functions(model, call):
        if _names_function(model, callback, function):
            return function
        if callback is not None and callback.type in FUNCTION_KINDS:
            body = callback.child_by_field_name("body")
            if body is not None and _calls_unconditionally(model, body, function):
                return function
    return None


def _enclosing_functions(model: SemanticModel, call: CallSite) -> Iterator[FunctionInfo]:
    function = call.function
    while function is not None:
        yield function
        if not function.is_arrow:
            return
        function = function.parent


def _names_function(model: SemanticModel, node: Node | None, function: FunctionInfo) -> bool:
    node = unwrap(node)
    if node is None:
        return False
    if node.type == "call_expression":  # F.bind(this)
        callee = unwrap(node.child_by_field_name("function"))
        if (
            callee is not None
            and callee.type == "member_expression"
            and text(callee.child_by_field_name("property")) == "bind"
        ):
            return _names_function(model, callee.child_by_field_name("object"), function)
        return False
    if node.type == "identifier":
        binding = model.binding_of(node)
        if binding is None:
            return False
        if binding.kind is BindingKind.PARAM:
            return False
        return binding.function is function or (
            function.binding is not None and binding is function.binding
        )
    if node.type == "member_expression":
        obj = unwrap(node.child_by_field_name("object"))
        prop = text(node.child_by_field_name("property"))
        if obj is None or obj.type != "this" or function.name is None or prop != function.name:
            return False
        owner = model.this_function(obj)
        return owner is not None and owner.class_node is not None and owner is function
    return False


def _calls_unconditionally(model: SemanticModel, body: Node, function: FunctionInfo) -> bool:
    """Whether an inline callback body calls ``function`` on its straight-line path."""
    if body.type != "statement_block":
        call = unwrap(body)
        return (
            call is not None
            and call.type == "call_expression"
            and _names_function(model, call.child_by_field_name("function"), function)
        )
    for statement in body.named_children:
        if statement.type != "expression_statement":
            continue
        expr = unwrap(statement.named_children[0]) if statement.named_children else None
        if expr is not None and expr.type == "await_expression" and expr.named_children:
            expr = unwrap(expr.named_children[0])
        if expr is not None and expr.type == "call_expression":
            callee = expr.child_by_field_name("function")
            if _names_function(model, callee, function):
                return True
    return False


def unconditional_in(node: Node, function: FunctionInfo) -> bool:
    """Whether ``node`` runs on every pass through ``function`` (no branch, loop, early exit)."""
    body = function.body
    if body is None:
        return False
    current: Node | None = node.parent
    while current is not None and current.id != body.id:
        if current.type not in _STRAIGHT_LINE:
            return False
        current = current.parent
    if current is None:
        return False
    stack = [body]
    while stack:
        item = stack.pop()
        if item.start_byte >= node.start_byte:
            continue
        if item.type in _STOP_KINDS:
            return False
        stack.extend(child for child in item.named_children if child.type not in FUNCTION_KINDS)
    return True


def _rearmed_in_finally(model: SemanticModel, call: CallSite, function: FunctionInfo) -> bool:
    """``work().finally(() => setTimeout(loop, ms))`` on ``loop``'s straight path: a promise's
    ``finally`` callback runs however the work settles, so the chain re-arms every time."""
    callback = call.function
    site = callback.callback_of if callback is not None else None
    if callback is None or site is None or site.name != "finally" or site.obj is None:
        return False
    if callback.parent is not function or not unconditional_in(call.node, callback):
        return False
    statement = outer(site.node)
    while statement.parent is not None and statement.parent.type in (
        "await_expression",
        "parenthesized_expression",
    ):
        statement = statement.parent
    if statement.parent is not None and statement.parent.type == "return_statement":
        statement = statement.parent
    return unconditional_in(statement, function)


def starter_context(model: SemanticModel, function: FunctionInfo) -> Context:
    """How often a self-rescheduling chain is started: by the code that first calls ``F``."""
    best: Context | None = None
    for site in _starters(model, function):
        context = context_of(model, site)
        if best is None or context.repetition > best.repetition:
            best = context
    if function.callback_of is not None and function.callback_of.function is not function:
        context = context_of(model, function.callback_of)
        if best is None or context.repetition > best.repetition:
            best = context
    if best is None:
        return Context(function, Repetition.UNKNOWN, function.describe(), "per call")
    return best


def _starters(model: SemanticModel, function: FunctionInfo) -> Iterator[CallSite]:
    binding = function.binding
    if binding is not None:
        for reference in binding.references:
            if is_inside(reference, function.node):
                continue
            parent = reference.parent
            if parent is not None and parent.type == "call_expression":
                site = model.call_at(parent)
                if site is not None:
                    yield site
    if function.class_node is not None and function.name:
        for site in model.calls_named(function.name):
            obj = unwrap(site.obj)
            if obj is None or obj.type != "this" or is_inside(site.node, function.node):
                continue
            if model.in_class(site.node, function.class_node):
                yield site


# -- the check ---------------------------------------------------------------------------------


def _started_once(model: SemanticModel, call: CallSite) -> bool:
    """``if (timer) return; timer = setInterval(…)``, ``if (!timer) timer = setInterval(…)``:
    a latch on a module-level slot (SPEC §1 *Latches and setup*) starts one interval for the
    life of the process, however often its function runs, as module top level does."""
    function = call.function
    latch = latch_of(call.node, function.node) if function is not None else None
    flag = unwrap(latch.flag) if latch is not None else None
    if flag is None or flag.type != "identifier":
        return False
    binding = model.binding_of(flag)
    return binding is not None and binding.scope.is_module


def _reported(context: Context, module_level: bool) -> bool:
    return context.repetition is not Repetition.ONCE or module_level


def _growth(context: Context, thing: str) -> str:
    if context.repetition is Repetition.ONCE:
        return "for the life of the process"
    if context.per:
        return f"for the life of the process, one more {thing} {context.per}"
    return f"for the life of the process, one more {thing} each time it runs"


def _one_more(context: Context) -> str:
    """``one more per request`` (or ``one more each time it runs``), for a timeout's message."""
    return f"one more {context.per}" if context.per else "one more each time it runs"


def _repeats(context: Context, thing: str) -> str:
    """Why it adds up, for a headline: ``one more interval per request``."""
    if context.repetition is Repetition.ONCE:
        return "for the life of the process"
    return f"one more {thing} {context.per or 'each time it runs'}"


def reports_interval(model: SemanticModel, call: CallSite, module_level: bool = False) -> bool:
    """Whether this rule reports a ``setInterval`` call (rules that defer to it ask this)."""
    timer = timer_kind(model, call, "setInterval")
    if timer is None or not _reported(context_of(model, call), module_level):
        return False
    if timer == "iterator":
        return endless_iteration(call) is not None
    return handle_problem(model, call, "clearInterval") is not None


def check(ctx: RuleContext) -> Iterator[Finding]:
    model = ctx.model
    module_level = bool(ctx.options.get("check-module-level", False))
    for call, kind in timer_calls(model, "setInterval"):
        context = context_of(model, call)
        if not _reported(context, module_level):
            continue
        if kind == "iterator":
            loop = endless_iteration(call)
            if loop is None:
                continue
            loop_words = (
                f"never ends: its interval and frame stay alive, {_repeats(context, 'loop')}"
            )
            yield ctx.finding(
                call.node,
                fit(
                    f"`for await … of {call.display()}` {loop_words}",
                    f"This `for await` loop {loop_words}",
                ),
                confidence=_confidence(context),
                notes=[
                    sentence(
                        f"`for await … of {call.display()}` runs in {context.where}: there is no "
                        "`signal` option and no `break` or `return` in the loop, so the interval "
                        f"and the suspended function's frame stay alive {_growth(context, 'loop')}"
                    )
                ],
            )
            continue
        if not module_level and _started_once(model, call):
            continue  # one interval for the process, as at module top level
        kept = handle_problem(model, call, "clearInterval")
        problem = kept or _only_self_cleared(model, call) or _cleared_after_overwrite(model, call)
        if problem is None:
            rearmed = _cleared_only_to_rearm(model, call)
            if rearmed is not None:
                yield _rearmed_finding(ctx, call, context, *rearmed)
            continue
        how, unref = problem
        if kept is not None:
            how += _misdirected_clear(model, call)
        keeps = kept_alive(model, call.args[0] if call.args else None, call.args[2:])
        shared = _kept_on_shared_object(model, call) if kept is not None else None
        notes = [
            sentence(
                f"`{call.display()}` starts in {context.where}: {how}, so the timer list keeps "
                f"the callback{keeps} alive {_growth(context, 'interval')}"
            )
        ]
        if shared is not None:
            notes.append(
                sentence(
                    f"`{shared}` comes from elsewhere, and code that also holds it may clear "
                    "the handle (a handler in another file)"
                )
            )
        if unref:
            notes.append(
                "`.unref()` only lets the process exit: the interval still fires and retains "
                "its callback."
            )
        kept_words = (
            f"is never cleared; the timer list keeps its callback, {_repeats(context, 'interval')}"
        )
        yield ctx.finding(
            call.node,
            fit(
                f"`{call.display()}` {kept_words}",
                f"`{short(text(call.callee))}(…)` {kept_words}",
                f"This interval {kept_words}",
            ),
            confidence=_confidence(context, shared is not None),
            notes=notes,
        )
    yield from _chains(ctx, module_level)
    yield from _teardown_gaps(ctx)
    yield from _replacements(ctx, module_level)
    yield from _binding_replacements(ctx)
    yield from _dropped_instances(ctx)
    yield from _timeouts_outliving_node(ctx)
    yield from _race_timeouts(ctx, module_level)
    yield from _watchdog_timeouts(ctx, module_level)
    yield from _clears_of_nothing(ctx)


# -- teardown completeness (SPEC §1) ---------------------------------------------------------


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _teardown_gaps(ctx: RuleContext) -> Iterator[Finding]:
    """A class whose teardown clears some of its timer fields but not this one: its author
    has said timers must stop with the instance, and this one does not."""
    model = ctx.model
    for info in model.classes:
        if not starts_timers(model, info):
            continue  # no timer field, so none forgotten (without working out its teardown)
        teardown = teardown_of(model, info)
        if not teardown.cleared:
            yield from _released_but_running(ctx, info, teardown)
            continue
        for timer_field in teardown.forgotten:
            call, name = timer_field.starts[0]
            if name == "setInterval" and (
                handle_problem(model, call, "clearInterval") or _cleared_only_to_rearm(model, call)
            ):
                continue  # never cleared anywhere, or only to re-arm: the main check reports it
            context = context_of(model, call)
            cleared = sorted(teardown.cleared.items(), key=lambda item: item[0].label)
            by = sorted({label for _, label in cleared})
            fields = _and([f"`{place.label}`" for place, _ in cleared[:3]])
            owner = f"`{info.name}`" if info.name else "the"
            outlives = (
                "keeps firing after teardown and keeps the instance alive for the life of the "
                "process"
                if name == "setInterval"
                else "can still fire after teardown and keeps the instance alive until it does"
            )
            clears = f"{_and(by)} {'clear' if len(by) > 1 else 'clears'} {fields}"
            label = timer_field.place.label
            each = f"each {owner} instance" if info.name else "each instance"
            kept = f"its timer keeps {each} alive after teardown"
            yield ctx.finding(
                call.node,
                fit(
                    f"{clears} but not `{label}`: {kept}",
                    f"Teardown does not clear `{label}`: {kept}",
                    f"Teardown does not clear this timer: {kept}",
                ),
                confidence=Confidence.MEDIUM,
                notes=[
                    sentence(
                        f"{clears} but not `{label}`: the timer `{call.display()}` starts in "
                        f"{context.where} {outlives} ({owner} instance, its callback and what "
                        "it captures)"
                    )
                ],
            )


def _released_but_running(
    ctx: RuleContext, info: ClassInfo, teardown: Teardown
) -> Iterator[Finding]:
    """A class whose teardown clears none of its timers but releases its other parts
    (``destroy() { this.socket.destroy() }``) while an interval kept in a field is cleared
    only elsewhere (``pause()``): after teardown the interval keeps firing and keeps the
    instance alive (SPEC §1 *Teardown completeness*)."""
    model = ctx.model
    released = teardown_release(model, info)
    if released is None:
        return
    by, what = released
    for timer_field in teardown.fields.values():
        starts = [(c, n) for c, n in timer_field.starts if n == "setInterval"]
        if not starts:
            continue
        call = starts[0][0]
        if handle_problem(model, call, "clearInterval") or _cleared_only_to_rearm(model, call):
            continue  # never cleared anywhere, or only to re-arm: the main check reports it
        context = context_of(model, call)
        label = timer_field.place.label
        owner = f"`{info.name}`" if info.name else "the"
        kept = f"its interval keeps each {owner} instance alive after teardown"
        yield ctx.finding(
            call.node,
            fit(
                f"{by} calls `{what}` but does not clear `{label}`: {kept}",
                f"Teardown does not clear `{label}`: {kept}",
                f"Teardown does not clear this interval: {kept}",
            ),
            confidence=Confidence.MEDIUM,
            notes=[
                sentence(
                    f"{by} tears the instance down (`{what}`) but does not clear `{label}`, "
                    f"which only other code clears: the interval `{call.display()}` started in "
                    f"{context.where} keeps firing after teardown and keeps the instance, its "
                    "callback and what it captures alive for the life of the process"
                )
            ],
        )


# -- replacement (SPEC §1) ----------------------------------------------------------------------


def _replacements(ctx: RuleContext, module_level: bool) -> Iterator[Finding]:
    """``this.timer = setInterval(…)`` in a method that can run again, with no clear of the
    interval the field may already hold: each run orphans the previous one."""
    model = ctx.model
    for call, kind in timer_calls(model, "setInterval"):
        if kind != "callback":
            continue
        context = context_of(model, call)
        function = model.this_function(call.node)
        if function is None or function.method_kind in ("constructor", "field"):
            continue
        if function.name in frameworks.active().instance_hooks:
            continue  # a framework calls it once per instance
        flow = flow_of(model, call.node, TIMER_RELEASE)
        place = flow.place
        if flow.kind is not FlowKind.STORED or place is None or flow.node is None:
            continue
        if not place.is_field or handle_problem(model, call, "clearInterval") is not None:
            continue
        if _cleared_or_tested_before(model, function, place, flow.node):
            continue
        again = _runs_again(model, function, place)
        if again is None:
            continue  # nothing in view runs it a second time for the same instance
        orphans = (
            f"orphans the interval `{place.label}` held each time {function.display()} runs again"
        )
        yield ctx.finding(
            call.node,
            fit(
                f"`{place.label} = {call.display()}` {orphans}",
                f"`{place.label} = setInterval(…)` {orphans}",
                f"This `setInterval` {orphans}",
            ),
            confidence=Confidence.MEDIUM,
            notes=[
                sentence(
                    f"`{place.label} = {call.display()}` in {context.where} replaces the handle "
                    f"in `{place.label}` without clearing the interval it may already hold, and "
                    f"{function.display()} runs again for the same instance ({again})"
                ),
                sentence(
                    "Each run orphans the previous interval, which keeps firing with its callback"
                    f"{kept_alive(model, call.args[0] if call.args else None, [])} for the life "
                    "of the process"
                ),
            ],
        )


def _binding_replacements(ctx: RuleContext) -> Iterator[Finding]:
    """``timer = setInterval(…)`` into a binding declared outside the function, in a function
    that runs per request or event, with no clear or test of the binding first: each run
    orphans the interval the binding held (the ``'close'`` handler clears only the last). A
    ``setTimeout`` counts when the function runs for two ways the same emitter fails
    (``'error'`` and ``'close'``): each failure schedules two reconnects and the first handle
    is lost."""
    model = ctx.model
    for name in ("setInterval", "setTimeout"):
        for call, kind in timer_calls(model, name):
            if kind != "callback" or call.function is None:
                continue
            function = call.function
            flow = flow_of(model, call.node, TIMER_RELEASE)
            place = flow.place
            assignment = flow.node
            if flow.kind is not FlowKind.STORED or place is None or assignment is None:
                continue
            if place.kind != "binding" or place.path or assignment.type != "assignment_expression":
                continue
            left = unwrap(assignment.child_by_field_name("left"))
            binding = model.binding_of(left) if left is not None else None
            if binding is None or binding.scope.function is function:
                continue  # a local of this run
            if model.enclosing_function(assignment) is not function:
                continue
            release = "clearInterval" if name == "setInterval" else "clearTimeout"
            if handle_problem(model, call, release) is not None:
                continue  # never cleared at all: the main check (or nothing) speaks for it
            if _cleared_or_tested_before(model, function, place, assignment):
                continue
            if _helper_clears_before(model, function, place, assignment):
                continue
            if _clears_on_another_branch(model, function, place):
                continue
            why = _repeats_unpaired(model, call, function, place, name)
            if why is None:
                continue
            lost = (
                "interval, which keeps firing"
                if name == "setInterval"
                else "timer, which still fires"
            )
            timer = "interval" if name == "setInterval" else "timer"
            orphans = (
                f"orphans the {timer} `{place.label}` held on each run; a clear reaches only the "
                "last"
            )
            yield ctx.finding(
                call.node,
                fit(
                    f"`{place.label} = {call.display()}` {orphans}",
                    f"`{place.label} = {name}(…)` {orphans}",
                    f"This `{name}` {orphans}",
                ),
                confidence=Confidence.MEDIUM,
                notes=[
                    sentence(
                        f"`{place.label} = {call.display()}` replaces the handle in "
                        f"`{place.label}` without clearing the one it may already hold, and {why}"
                    ),
                    sentence(
                        f"Each run orphans the previous {lost} with its callback"
                        f"{kept_alive(model, call.args[0] if call.args else None, [])} and a "
                        "clear reaches only the last one"
                    ),
                ],
            )


def _clears_on_another_branch(model: SemanticModel, function: FunctionInfo, place: Place) -> bool:
    """``if (visible) timer = setInterval(…); else clearInterval(timer)``: the run itself
    clears the binding on another branch, so starts and clears alternate (a toggle)."""
    return any(
        clear.function is function and clear.args and place in value_sources(model, clear.args[0])
        for clear in model.calls_named("clearInterval", "clearTimeout")
    )


def _helper_clears_before(
    model: SemanticModel, function: FunctionInfo, place: Place, at: Node
) -> bool:
    """``clearRenderInterval(); timer = setInterval(…)``: a function called by name earlier
    in the run (or one it calls) clears the binding first."""
    return any(
        _clears_place(model, helper, place, 0)
        for helper in _named_callees(model, function)
        if helper.node.id != function.node.id
        and any(
            site.node.end_byte <= at.start_byte
            for site in function.calls
            if site.obj is None and _callee_function(model, site) is helper
        )
    )


def _named_callees(model: SemanticModel, function: FunctionInfo) -> list[FunctionInfo]:
    found: list[FunctionInfo] = []
    for site in function.calls:
        helper = _callee_function(model, site) if site.obj is None else None
        if helper is not None and helper not in found:
            found.append(helper)
    return found


def _callee_function(model: SemanticModel, site: CallSite) -> FunctionInfo | None:
    callee = unwrap(site.callee)
    if callee is None or callee.type != "identifier":
        return None
    binding = model.binding_of(callee)
    return binding.function if binding is not None else None


def _clears_place(model: SemanticModel, helper: FunctionInfo, place: Place, depth: int) -> bool:
    for clear in model.calls_named("clearInterval", "clearTimeout"):
        inside = clear.args and is_inside(clear.node, helper.node)
        if inside and place in value_sources(model, clear.args[0]):
            return True
    return depth < 1 and any(
        _clears_place(model, inner, place, depth + 1)
        for inner in _named_callees(model, helper)
        if inner is not helper
    )


def _repeats_unpaired(
    model: SemanticModel, call: CallSite, function: FunctionInfo, place: Place, name: str
) -> str | None:
    """Why the assigning function runs again before the binding is cleared: per request or
    event (an interval), or for two failure events of one emitter (a timeout); None when an
    ending event of the same emitter that starts it clears it (``'connect'`` starts,
    ``'close'`` clears: the two alternate)."""
    sites = _listener_sites(model, function)
    clears = [
        c
        for c in model.calls_named("clearInterval", "clearTimeout")
        if c.args and place in value_sources(model, c.args[0])
    ]
    for clear in clears:
        for closing in _listener_sites(model, clear.function) if clear.function else []:
            if any(same_location(model, closing.obj, site.obj) for site in sites):
                return None  # started and cleared by the same emitter's events
    if name == "setInterval":
        context = context_of(model, call)
        if context.repetition is not Repetition.REPEATING or not model.is_event_driven(function):
            return None
        return f"{context.where} runs again, {context.per or 'many times'}"
    for site in sites:
        events = {
            string_value(other.args[0])
            for other in sites
            if other.args and same_location(model, other.obj, site.obj)
        }
        failures = sorted(e for e in events if e in _FAILURE_EVENTS)
        if len(failures) >= 2:
            quoted = " and ".join(f"`'{e}'`" for e in failures)
            return (
                f"{function.display()} runs on both {quoted} of `{text(site.obj)}`, which "
                "fire for the same failure"
            )
    return None


# The events a connection sends when it fails: several of them fire for one failure.
_FAILURE_EVENTS = end_events("connection", failures=True)


def _listener_sites(model: SemanticModel, function: FunctionInfo | None) -> list[CallSite]:
    """The ``X.on(event, …)`` registrations that run ``function``: as the listener itself, by
    name, or through a listener that calls it directly."""
    if function is None:
        return []
    found: list[CallSite] = []
    site = function.callback_of
    if site is not None and site.name in ("on", "once", "addListener") and site.obj is not None:
        found.append(site)
    binding = function.binding
    for reference in binding.references if binding is not None else []:
        parent = outer(reference).parent
        if parent is None:
            continue
        if parent.type == "arguments" and parent.parent is not None:
            user = model.call_at(parent.parent)
            if user is not None and user.name in ("on", "once", "addListener") and user.obj:
                found.append(user)
        elif parent.type == "call_expression":
            caller = model.call_at(parent)
            outer_fn = caller.function if caller is not None else None
            outer_site = outer_fn.callback_of if outer_fn is not None else None
            if (
                outer_site is not None
                and outer_site.name in ("on", "once", "addListener")
                and outer_site.obj is not None
            ):
                found.append(outer_site)
    return found


def _dropped_instances(ctx: RuleContext) -> Iterator[Finding]:
    """``this.session = null`` / ``delete this.sessions[id]`` / ``this.sessions.delete(id)``
    dropping an instance of a class in the file whose constructor (or start method) starts
    an interval that only its teardown (``close()``) clears, in code that calls no teardown:
    the interval keeps firing and its callback keeps the dropped instance alive."""
    model = ctx.model
    reported: set[int] = set()
    for info in model.classes:
        if not info.name:
            continue
        running = [r for r in running_intervals(model, info) if _starts(model, info, r)]
        if not running:
            continue
        names = frozenset(name for r in running for name in r.teardown)
        spec = ReleaseSpec(methods=names)
        for created in model.calls_named(info.name):
            if not created.is_new:
                continue
            flow = flow_of(model, created.node, spec)
            if flow.kind not in (FlowKind.STORED, FlowKind.COLLECTED) or flow.place is None:
                continue
            fate = fate_of(model, flow, spec)
            if fate.escape is not None:
                continue  # handed to someone else, who may tear it down
            for place in fate.places:
                if not place.is_field:
                    continue
                for drop in _drops(model, place):
                    if drop.id in reported or _tears_down(model, drop, names):
                        continue
                    reported.add(drop.id)
                    first = running[0]
                    start_call = first.field.starts[0][0]
                    teardown = " or ".join(f"`{n}()`" for n in first.teardown)
                    dropped = (
                        f"drops a `{info.name}` without {teardown}: its interval keeps it alive "
                        "for the life of the process"
                    )
                    yield ctx.finding(
                        drop,
                        fit(f"`{short(text(drop), 50)}` {dropped}", f"This {dropped}"),
                        confidence=Confidence.MEDIUM,
                        notes=[
                            sentence(
                                f"`{short(text(drop), 50)}` drops the `{info.name}` held in "
                                f"`{place.label}` without calling {teardown}"
                            ),
                            sentence(
                                f"{first.starter_words} starts `{start_call.display()}` into "
                                f"`{first.field.place.label}`, which only {teardown} clears, so "
                                "the interval keeps firing and its callback keeps the dropped "
                                f"`{info.name}` alive for the life of the process"
                            ),
                        ],
                        related=[
                            ctx.related(start_call.node, "the interval the instance runs"),
                            ctx.related(created.node, f"the `{info.name}` is made here"),
                        ],
                    )


def _starts(model: SemanticModel, info: ClassInfo, running: RunningInterval) -> bool:
    """The interval runs for every instance: its constructor starts it, or code outside the
    class calls the starting method."""
    if running.starter == "the constructor":
        return True
    return any(
        not call.is_new and call.obj is not None and not model.in_class(call.node, info.node)
        for call in model.calls_named(running.starter)
    )


def _drops(model: SemanticModel, place: Place) -> Iterator[Node]:
    """Where ``place`` (or an entry of it) is let go: ``place = null``, ``delete place`` /
    ``delete place[k]``, ``place.delete(k)``, ``place.clear()``."""
    for occurrence in occurrences(model, place):
        position = outer(occurrence)
        parent = position.parent
        if parent is None:
            continue
        kind = parent.type
        if kind == "assignment_expression" and _same_node(parent, "left", position):
            value = unwrap(parent.child_by_field_name("right"))
            if value is not None and (value.type == "null" or text(value) == "undefined"):
                yield parent
        elif _is_delete(parent):
            yield parent
        elif kind == "subscript_expression" and _same_node(parent, "object", position):
            above = outer(parent).parent
            if above is not None and _is_delete(above):
                yield above
        elif kind == "member_expression" and _same_node(parent, "object", position):
            call = parent.parent
            if (
                call is not None
                and call.type == "call_expression"
                and text(parent.child_by_field_name("property")) in ("delete", "clear")
            ):
                yield call


def _same_node(parent: Node, name: str, child: Node) -> bool:
    found = parent.child_by_field_name(name)
    return found is not None and found.id == child.id


def _is_delete(node: Node) -> bool:
    return (
        node.type == "unary_expression" and text(node.child_by_field_name("operator")) == "delete"
    )


def _tears_down(model: SemanticModel, drop: Node, names: frozenset[str]) -> bool:
    """The dropping function (or a callback in it) calls one of the teardown methods, or the
    drop sits in a listener of the instance's own events (it ended itself)."""
    function = model.enclosing_function(drop)
    if function is None or function.method_kind in ("constructor", "field"):
        return True  # module top level or an initialiser: nothing is held yet
    outermost = function
    while outermost.parent is not None and outermost.callback_of is not None:
        outermost = outermost.parent
    region = outermost.node
    return any(is_inside(call.node, region) for call in model.calls_named(*sorted(names)))


def _timeouts_outliving_node(ctx: RuleContext) -> Iterator[Finding]:
    """A framework node (Node-RED's ``RED.nodes.createNode(this, n)``) that starts a timeout
    per ``'input'`` message, keeps no handle, and has no ``'close'`` handler or ``close``
    method: on redeploy the framework closes the node, but its pending timeouts still fire,
    keeping the old node and each message alive until then (SPEC §1 *Framework
    lifecycles*)."""
    model = ctx.model
    for maker, (per_message, ending) in sorted(frameworks.active().node_lifecycles.items()):
        for made in model.calls_named(maker):
            node = made.function
            if node is None or not made.args or unwrap(made.args[0]) is None:
                continue
            if not model.is_this(made.args[0]) or _has_ending(model, node, ending):
                continue
            for site in node.calls:
                if site.name not in ("on", "addListener") or not model.is_this(site.obj):
                    continue
                if len(site.args) < 2 or string_value(site.args[0]) != per_message:
                    continue
                handler = _callback_function(model, site.args[1])
                if handler is None:
                    continue
                yield from _pending_per_message(ctx, node, handler, per_message, ending)


def _has_ending(model: SemanticModel, node: FunctionInfo, ending: str) -> bool:
    """The node handles its own ending: ``this.on('close', …)`` in the constructor (or any
    of its methods), or a ``close`` method."""
    info = model.class_info(node.class_node) if node.class_node is not None else None
    if info is not None and ending in info.methods:
        return True
    for site in model.calls_named("on", "once", "addListener"):
        if site.args and string_value(site.args[0]) == ending and model.is_this(site.obj):
            owner = model.this_function(site.node)
            if owner is node or (info is not None and model.in_class(site.node, info.node)):
                return True
    return False


def _pending_per_message(
    ctx: RuleContext, node: FunctionInfo, handler: FunctionInfo, per_message: str, ending: str
) -> Iterator[Finding]:
    model = ctx.model
    for call, kind in timer_calls(model, "setTimeout"):
        if kind != "callback" or not is_inside(call.node, handler.node):
            continue
        if handle_problem(model, call, "clearTimeout") is None:
            continue
        name = node.display()
        outlives = f"a timeout per `'{per_message}'` message outlives a redeploy of {name}"
        yield ctx.finding(
            call.node,
            fit(
                f"`{call.display()}` per `'{per_message}'` message outlives a redeploy of {name}, "
                "keeping the old node alive",
                f"{sentence(outlives)[:-1]}, keeping the old node alive",
                "A timeout per message outlives a redeploy, keeping the old node alive",
            ),
            confidence=Confidence.MEDIUM,
            notes=[
                sentence(
                    f"`{call.display()}` starts a timeout per `'{per_message}'` message of the "
                    f"framework node {name} and keeps no handle, and {name} has no "
                    f"`'{ending}'` handler"
                ),
                sentence(
                    "When the flow is redeployed the node is closed but every pending timeout "
                    "still fires, keeping the old node and its message"
                    f"{kept_alive(model, call.args[0] if call.args else None, [])} alive until "
                    "then"
                ),
            ],
        )


def _runs_again(model: SemanticModel, function: FunctionInfo, place: Place) -> str | None:
    """Evidence that a method runs more than once for one instance: the instance calls it
    itself from another method or a callback (a reconnect, a retry), or hands it to a
    registration. None when only outside callers (unknown, often start-up code) run it."""
    name = function.name
    info = model.class_info(function.class_node)
    if not name or info is None:
        return None
    for call in model.calls_named(name):
        if call.is_new or not model.is_this(call.obj) or call.function is None:
            continue
        caller = call.function
        if caller is function or is_inside(call.node, function.node):
            return "it calls itself"
        if not model.in_class(call.node, info.node):
            continue
        owner = model.this_function(call.node)
        if owner is not None and owner.method_kind == "constructor" and caller is owner:
            continue  # started once when the instance is made
        if owner is not None and _cleared_or_tested_before(model, owner, place, call.node):
            continue  # ``restart() { this.cancel(); this.schedule(); }``
        return f"called from {caller.display()}"
    return None


def _cleared_or_tested_before(
    model: SemanticModel, function: FunctionInfo, place: Place, at: Node
) -> bool:
    """A clear of ``place`` earlier in the method (directly or via ``this.m()``), or a test
    of it (``if (this.timer) return``, ``if (!this.timer) …``) that guards the start."""
    owner = model.class_info(function.class_node)
    for call in model.calls_named("clearInterval", "clearTimeout"):
        earlier = call.node.end_byte <= at.start_byte and runs_within(call, function)
        if call.args and earlier and place in value_sources(model, call.args[0]):
            return True
    if owner is not None:
        for call in function.calls:
            if call.node.end_byte <= at.start_byte and call.name in owner.methods:
                methods = owner.methods[call.name]
                if model.is_this(call.obj) and any(
                    place in cleared_by(model, m, owner) for m in methods
                ):
                    return True
    for node in ancestors(at):
        if node.id == function.node.id:
            break
        if node.type in ("if_statement", "ternary_expression"):
            condition = node.child_by_field_name("condition")
            if condition is not None and place.label in text(condition):
                return True
    body = function.body
    if body is not None:
        for statement in body.named_children:
            if statement.start_byte >= at.start_byte:
                break
            if statement.type == "if_statement":
                condition = statement.child_by_field_name("condition")
                if condition is not None and place.label in text(condition):
                    return True
    return False


# -- timeouts that race the work ------------------------------------------------------------


def _race_timeouts(ctx: RuleContext, module_level: bool) -> Iterator[Finding]:
    """``Promise.race([work(), new Promise((_, reject) => setTimeout(reject, ms))])``: when
    the work wins, nothing clears the timer, which keeps its closure (and ``reject``, and what
    the promise chain holds) until the full timeout elapses — per call."""
    model = ctx.model
    for call, kind in timer_calls(model, "setTimeout"):
        if kind != "callback":
            continue
        race = _raced_executor(model, call)
        if race is None:
            continue
        context = context_of(model, race)
        if not _reported(context, module_level) or _on_process_events(model, race.function):
            continue
        problem = handle_problem(model, call, "clearTimeout")
        if problem is None:
            continue  # the handle is cleared somewhere (a `finally`, the winning branch)
        how, unref = problem
        per = _one_more(context)
        uncleared = (
            f"is never cleared when the other side of `{race.display()}` wins; the timer list "
            f"keeps it for the full delay, {per}"
        )
        yield ctx.finding(
            call.node,
            fit(
                f"`{call.display()}` {uncleared}",
                f"This timeout {uncleared}",
                f"`{call.display()}` is never cleared when the race is won; it stays for the full "
                f"delay, {per}",
                f"This timeout is never cleared when the race is won; it stays for the full "
                f"delay, {per}",
            ),
            confidence=Confidence.MEDIUM,
            fix=(
                "Keep the handle and `clearTimeout(handle)` in a `finally` after the race, or "
                "race an `AbortSignal.timeout(ms)` the work listens to."
            ),
            notes=[
                sentence(
                    f"`{call.display()}` is one side of `{race.display()}` in {context.where} "
                    f"and {how}"
                ),
                sentence(
                    "When the other side wins, nothing clears the timer, so the timer list "
                    "keeps its callback, the promise it rejects and what they capture until the "
                    f"full delay elapses — {per}"
                ),
                *(
                    [sentence("`.unref()` only lets the process exit: the timer still waits")]
                    if unref
                    else []
                ),
            ],
        )


def _watchdog_timeouts(ctx: RuleContext, module_level: bool) -> Iterator[Finding]:
    """``setTimeout(() => { if (!command.isResolved) command.reject(…) }, ms)`` per call with
    its handle dropped: the callback's own test says the work may finish first, and then
    nothing clears the timer, which keeps the watched value for the full delay."""
    model = ctx.model
    for call, kind in timer_calls(model, "setTimeout"):
        if kind != "callback" or _raced_executor(model, call) is not None:
            continue
        watchdog = watchdog_of(model, call)
        if watchdog is None:
            continue
        context = context_of(model, call)
        if context.repetition is Repetition.ONCE or not _reported(context, module_level):
            continue
        if _on_process_events(model, call.function):
            continue
        if flow_of(model, call.node, TIMER_RELEASE).kind is not FlowKind.DISCARDED:
            continue
        test = text(watchdog.test)
        callback = _callback_function(model, call.args[0])
        captured = _captured(model, callback) if callback is not None else []
        watched = ", ".join(captured[:3]) or f"`{watchdog.watched.name}`"
        per = _one_more(context)
        outlives = (
            f"outlives the work it watches: nothing clears it when `{test}` turns true, so it "
            f"keeps {watched} for the full delay, {per}"
        )
        yield ctx.finding(
            call.node,
            fit(
                f"`{call.display()}` {outlives}",
                f"This timeout {outlives}",
                f"This watchdog timeout keeps {watched} for the full delay, {per}",
            ),
            confidence=Confidence.MEDIUM,
            notes=[
                sentence(
                    f"`{call.display()}` runs in {context.where}; its callback acts only while "
                    f"`{test}` is false, so the code expects the work to finish first, but the "
                    "handle is discarded and nothing clears the timer when it does"
                ),
                sentence(
                    f"The timer list keeps the callback and {watched} (and what they hold) "
                    f"until the full delay elapses after the work is done — {per}; under load "
                    "that is the rate times the delay"
                ),
            ],
            related=[ctx.related(watchdog.test, f"the completion test: `{test}`")],
            fix=(
                "Keep the handle and `clearTimeout(handle)` where the work finishes (where "
                f"`{test}` becomes true), or race the work with an `AbortSignal.timeout(ms)`."
            ),
        )


def _on_process_events(model: SemanticModel, function: FunctionInfo | None) -> bool:
    """Inside a listener of ``process`` (signals, ``exit``): it runs a handful of times in
    the process's life, at shutdown."""
    current = function
    while current is not None:
        sites = [current.callback_of] if current.callback_of is not None else []
        if current.binding is not None:
            for reference in current.binding.references:
                parent = outer(reference).parent
                if parent is not None and parent.type == "arguments" and parent.parent is not None:
                    site = model.call_at(parent.parent)
                    if site is not None:
                        sites.append(site)
        if any(
            site.name in ("on", "once", "addListener") and text(site.obj) == "process"
            for site in sites
        ):
            return True
        current = current.parent
    return False


def _clears_of_nothing(ctx: RuleContext) -> Iterator[Finding]:
    """``stop() { clearTimeout(api.stats.timer) }`` where ``api.stats.timer`` never holds a
    timer, while its sibling ``start()`` discards the handle of the timer it starts: the
    cleanup cannot work, and the timer it was meant for runs on (SPEC §1)."""
    model = ctx.model
    for clear in model.calls_named("clearTimeout", "clearInterval"):
        place = place_of(model, clear.args[0]) if clear.args else None
        if place is None or not place.path or not never_holds_a_value(model, place):
            continue
        container = _member_container(clear.function)
        if container is None:
            continue
        for name in ("setTimeout", "setInterval"):
            for call, kind in timer_calls(model, name):
                if kind != "callback" or _member_container(call.function) != container:
                    continue
                if call.function is clear.function:
                    continue
                if flow_of(model, call.node, TIMER_RELEASE).kind is not FlowKind.DISCARDED:
                    continue
                if not _timer_touches(model, call, place):
                    continue  # an unrelated timer: nothing says the slot was meant for it
                if name == "setTimeout" and not _reschedules(model, call):
                    continue  # a one-shot timeout ends by itself
                owner = clear.function.display() if clear.function is not None else "a function"
                yield ctx.finding(
                    call.node,
                    fit(
                        f"{owner} clears `{place.label}`, which never holds a timer, so nothing "
                        f"stops `{call.display()}`",
                        f"The clear of `{place.label}` misses this timer, so nothing stops it or "
                        "frees its callback",
                        "A clear misses this timer, so nothing stops it or frees its callback",
                    ),
                    confidence=Confidence.MEDIUM,
                    notes=[
                        sentence(
                            f"{owner} clears `{place.label}`, which never holds a timer, and "
                            f"`{call.display()}` here discards its handle"
                        ),
                        "Nothing can stop this timer, which keeps its callback (and what it "
                        "captures) alive and keeps running for the life of the process.",
                    ],
                    related=[ctx.related(clear.node, "the clear that clears nothing")],
                )


def _timer_touches(model: SemanticModel, call: CallSite, place: Place) -> bool:
    """Whether the timer's callback works on the object that owns the cleared slot:
    ``this`` for a field, the parent path (``api.stats``) for a path."""
    callback = unwrap(call.args[0]) if call.args else None
    if callback is None:
        return False
    if place.kind == "this":
        return any(True for _ in _this_nodes(callback))
    parent = place.label.rsplit(".", 1)[0]
    return bool(parent) and parent in text(callback)


def _reschedules(model: SemanticModel, call: CallSite) -> bool:
    """``setTimeout(api.tick, ms)`` where another ``setTimeout`` in the file schedules the
    same ``api.tick`` again: a chain, not a one-shot timeout."""
    callback = unwrap(call.args[0]) if call.args else None
    if callback is None or callback.type not in ("identifier", "member_expression"):
        return False
    wanted = text(callback)
    return any(
        other is not call and other.args and text(unwrap(other.args[0])) == wanted
        for other, _kind in timer_calls(model, "setTimeout")
    )


def _member_container(function: FunctionInfo | None) -> int | None:
    """The object literal or class a function is a member of (by node id), or None."""
    if function is None:
        return None
    if function.class_node is not None:
        return function.class_node.id
    position = outer(function.node)
    parent = position.parent
    if parent is not None and parent.type == "pair":
        parent = parent.parent
    if parent is not None and parent.type == "object" and function.property_key is not None:
        return parent.id
    return None


def _raced_executor(model: SemanticModel, call: CallSite) -> CallSite | None:
    """The ``Promise.race`` / ``Promise.any`` whose array holds the ``new Promise`` whose
    executor starts this timer (directly, not in a nested callback)."""
    executor = call.function
    if executor is None or executor.callback_of is None:
        return None
    promise = executor.callback_of
    if not promise.is_new or promise.name != "Promise":
        return None
    parent = promise.node.parent
    while parent is not None and parent.type in ("parenthesized_expression", "spread_element"):
        parent = parent.parent
    if parent is not None and parent.type == "variable_declarator":
        return _raced_local(model, parent)
    return _race_of_array(model, parent)


def _race_of_array(model: SemanticModel, array: Node | None) -> CallSite | None:
    """The ``Promise.race([…])`` / ``Promise.any([…])`` whose argument is ``array``."""
    if array is None or array.type != "array" or array.parent is None:
        return None
    arguments = array.parent
    race = model.call_at(arguments.parent) if arguments.parent is not None else None
    if race is None or race.name not in ("race", "any") or text(race.obj) != "Promise":
        return None
    return race


def _raced_local(model: SemanticModel, declarator: Node) -> CallSite | None:
    """``const timeout = new Promise(…)``, never reassigned, then ``Promise.race([work,
    timeout])`` in the same function: the promise is raced as if written in the array."""
    name = declarator.child_by_field_name("name")
    binding = model.binding_of(name) if name is not None and name.type == "identifier" else None
    if binding is None or binding.is_reassigned or binding.is_module_level:
        return None
    for reference in binding.references:
        parent = reference.parent
        while parent is not None and parent.type in ("parenthesized_expression", "spread_element"):
            parent = parent.parent
        race = _race_of_array(model, parent)
        if race is not None and race.function is binding.scope.function:
            return race
    return None


def _chains(ctx: RuleContext, module_level: bool) -> Iterator[Finding]:
    model = ctx.model
    for call, kind in timer_calls(model, "setTimeout"):
        if kind != "callback":
            continue
        function = rescheduled_function(model, call)
        if function is None or not (
            unconditional_in(call.node, function) or _rearmed_in_finally(model, call, function)
        ):
            continue
        context = starter_context(model, function)
        if not _reported(context, module_level):
            continue
        problem = handle_problem(model, call, "clearTimeout")
        if problem is None:
            continue
        how, _unref = problem
        extra = call.args[2:]
        if (
            function.class_node is not None
            and not function.is_static
            and _this_words(function.node)
        ):
            extra = [*extra, next(_this_nodes(function.node))]
        keeps = kept_alive(model, function.node, extra)
        forever = f"the timer list keeps it alive, {_repeats(context, 'chain')}"
        yield ctx.finding(
            call.node,
            fit(
                f"`{call.display()}` reschedules {function.display()} forever; {forever}",
                f"{function.display()} reschedules itself forever; {forever}",
                f"This timeout chain never ends; {forever}",
            ),
            confidence=_confidence(context),
            notes=[
                sentence(
                    f"`{call.display()}` reschedules {function.display()} on every run with no "
                    f"stop condition and {how}, so the chain started from {context.where} never "
                    f"ends and the timer list keeps {function.display()}{keeps} alive "
                    f"{_growth(context, 'chain')}"
                )
            ],
        )
