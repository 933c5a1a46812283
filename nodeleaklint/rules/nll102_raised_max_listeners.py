"""## What it does
Flags code that raises or removes the listener limit of an emitter:
`setMaxListeners(0)`, `setMaxListeners(Infinity)`, `setMaxListeners(n)` with `n` above a
threshold (default 50), `events.setMaxListeners(n, ...targets)`, and assignments to
`EventEmitter.defaultMaxListeners` / `events.defaultMaxListeners` that are not a small
positive number.

## Why is this bad?
Node prints `MaxListenersExceededWarning` when more than 10 listeners for one event pile up
on one emitter. That warning is the only leak detector built into Node: a per-request
`emitter.on(...)` that is never removed trips it within a handful of requests. Raising the
limit to 0 (no limit), `Infinity` or a large number silences the warning, so the leak it
would have reported grows until the process runs out of memory. Raising the limit is
sometimes right (a bus with many long-lived subscribers), but then the number should be a
deliberate, small bound, not "unlimited".

## Example
```js
const { EventEmitter } = require('node:events');
const bus = new EventEmitter();
// ruleid: NLL102
bus.setMaxListeners(0);

function subscribe(socket) {
  // ruleid: NLL102
  socket.setMaxListeners(Infinity);
}

// ruleid: NLL102
EventEmitter.defaultMaxListeners = 1000;
```

## Use instead
```js
const { EventEmitter } = require('node:events');
const bus = new EventEmitter();
// A deliberate, small bound for a bus with a known number of subscribers.
bus.setMaxListeners(20);

function subscribe(socket, onData) {
  socket.on('data', onData);
  return () => socket.off('data', onData);
}
```

Confidence is high when the same emitter (the same variable, field or member chain) gets a
listener in this file in code seen to run again and again — per request, event or loop turn
— which is the pile-up the warning would have reported; for a process-wide default, when any
emitter does. Otherwise the finding is medium: the raised limit may be a deliberate fan-out
of long-lived subscribers, and a method or exported function that adds a listener per call
of an API whose callers are out of view only may repeat (in applications such code often
runs once, at start-up). A registration that forwards a handler its caller gives,
on an emitter from which the file also removes a handler its caller gives (`subscribe(t, h)`
beside `unsubscribe(t, h)`), is such a subscription API and no evidence of a pile-up: the
callers are handed the way to remove what they add.

## Options
- `threshold` (integer, default 50): limits above this value are reported.

## Known limits
Only literal numbers (or `const` bindings initialised with one) are judged; a limit computed
at run time (`setMaxListeners(config.maxListeners)`) is not reported.
"""

from __future__ import annotations

from collections.abc import Iterator

from nodeleaklint.findings import Confidence, Finding, RelatedLocation, Severity
from nodeleaklint.fixes.builders import remove_statement
from nodeleaklint.parsing import Node
from nodeleaklint.rules.base import RuleContext, RuleMeta, RuleOption
from nodeleaklint.rules.headlines import fit, sentence
from nodeleaklint.semantics.confidence import ESTABLISHED, Evidence, certainty, confidence_of
from nodeleaklint.semantics.contexts import repetition_certainty
from nodeleaklint.semantics.listeners import listened_per_call
from nodeleaklint.semantics.model import SemanticModel
from nodeleaklint.semantics.scopes import BindingKind, CallSite
from nodeleaklint.semantics.syntax import (
    dotted_name,
    number_value,
    required_module,
    root_object,
    snippet,
    text,
    unwrap,
)
from nodeleaklint.semantics.vocabulary import EVENTS_MODULES

META = RuleMeta(
    id="NLL102",
    name="raised-max-listeners",
    summary="Listener limit raised or removed, silencing Node's leak warning",
    fix=(
        "Find and remove the listeners that accumulate instead of raising the limit; if many "
        "long-lived listeners are expected, set a small explicit bound."
    ),
    severity=Severity.WARNING,
    options=(RuleOption("threshold", 50, int, "Limits above this value are reported."),),
)

_INF = float("inf")


def _confidence(model: SemanticModel, piling: CallSite | str | None) -> Confidence:
    """The raise is on an emitter we see; it hides a pile-up (the repetition) only when the
    same emitter also gets listeners in code seen to repeat (SPEC §2 NLL102): per request,
    event or loop turn, or per call of a function another file calls so (the project view).
    A method or exported function that adds one per call of an API whose callers are out of
    view only may repeat."""
    if isinstance(piling, CallSite):
        repeats = repetition_certainty(model, piling)
    else:
        repeats = certainty(piling is not None)
    return confidence_of(Evidence(repetition=repeats, holder=ESTABLISHED))


def _related(ctx: RuleContext, piling: CallSite | str | None) -> list[RelatedLocation]:
    if not isinstance(piling, CallSite):
        return []
    where = piling.function.describe() if piling.function is not None else "a loop"
    return [ctx.related(piling.node, f"a listener is added here, in {where}")]


def _elsewhere(piling: CallSite | str | None) -> list[str]:
    """A note naming where listeners pile up in another file (the project view)."""
    if not isinstance(piling, str):
        return []
    return [f"Another file of the project adds listeners to it per call, at {piling}."]


def _is_events_default(target: Node | None) -> bool:
    """``EventEmitter.defaultMaxListeners``, ``events.…`` or ``require('events').….``"""
    if target is None or target.type != "member_expression":
        return False
    if text(target.child_by_field_name("property")) != "defaultMaxListeners":
        return False
    owner = target.child_by_field_name("object")
    name = dotted_name(owner)
    if name is not None:
        return name.endswith(("events", "EventEmitter"))
    root = root_object(owner)
    return required_module(root) in EVENTS_MODULES


def _limit_value(model: SemanticModel, node: Node | None) -> float | None:
    """A literal number, or the literal a ``const`` binding was initialised with."""
    node = unwrap(node)
    value = number_value(node)
    if value is not None or node is None or node.type != "identifier":
        return value
    binding = model.binding_of(node)
    if binding is None or binding.kind is not BindingKind.CONST or binding.destructured:
        return None
    return number_value(binding.init)


def _describe(value: float) -> str:
    if value in (0, _INF):
        return "removes the listener limit"
    return f"raises the listener limit to {value:g}"


def _meaning(value: float | None) -> str:
    """What the new limit means, for the note."""
    if value == 0:
        return "0 means unlimited: "
    if value == _INF:
        return "`Infinity` means unlimited: "
    return ""


def check(ctx: RuleContext) -> Iterator[Finding]:
    model = ctx.model
    threshold = ctx.options.get("threshold", 50)
    for call in model.calls_named("setMaxListeners"):
        if call.is_new or not call.args:
            continue
        value = _limit_value(model, call.args[0])
        if value is None or 0 < value <= threshold:
            continue
        emitters: list[Node] | None
        if call.obj is None or dotted_name(call.obj) in ("events", "EventEmitter"):
            emitters = list(call.args[1:]) or None  # none named: every new EventTarget
            shown = ", ".join(f"`{snippet(arg, 30)}`" for arg in call.args[1:])
            where = f"on {shown}" if shown else "for every new EventTarget"
        else:
            emitters = [call.obj]
            where = f"on `{snippet(call.obj)}`"
        piling = listened_per_call(model, emitters)
        shown = f"`{snippet(call.callee)}({snippet(call.args[0], 20)})`"
        yield ctx.finding(
            call.node,
            fit(
                f"{shown} {_describe(value)} {where}: per-call listeners would pile up unreported",
                f"{shown} {_describe(value)} {where}: per-call listeners go unreported",
                f"{shown} {_describe(value)} {where}",
            ),
            notes=[
                sentence(
                    f"{_meaning(value)}this silences `MaxListenersExceededWarning`, Node's only "
                    "built-in leak detector, which warns once an emitter holds more than the "
                    "limit of listeners for one event"
                ),
                *_elsewhere(piling),
            ],
            confidence=_confidence(model, piling),
            related=_related(ctx, piling),
            autofix=remove_statement(ctx.source, call.node) if value in (0, _INF) else None,
        )
    # An assignment to ``….defaultMaxListeners`` spells the name in the file's text.
    assignments = model.assignments if b"defaultMaxListeners" in ctx.source.data else ()
    for assignment in assignments:
        assigned = unwrap(assignment.child_by_field_name("left"))
        if not _is_events_default(assigned):
            continue
        left = snippet(assigned)
        right = assignment.child_by_field_name("right")
        value = _limit_value(model, right)
        if value is not None and 0 < value <= threshold:
            continue
        change = _describe(value) if value is not None else "changes the listener limit"
        piling = listened_per_call(model, None)
        shown = f"`{left} = {snippet(right, 24)}`"
        yield ctx.finding(
            assignment,
            fit(
                f"{shown} {change} for every emitter: per-call listeners would pile up unreported",
                f"{shown} {change} for every emitter in the process",
                f"{shown} {change} for every emitter",
            ),
            notes=[
                sentence(
                    f"{_meaning(value)}this silences `MaxListenersExceededWarning` everywhere, "
                    "Node's only built-in leak detector: listeners that accumulate per request or "
                    "per call on any emitter go unreported"
                ),
                *_elsewhere(piling),
            ],
            confidence=_confidence(model, piling),
            related=_related(ctx, piling),
        )
