"""## What it does
Flags a long-lived closure that keeps a large per-call value alive without using it, or
that keeps a request or response object alive past the end of its request.

Long-lived closures: callbacks passed to `setInterval`, listeners registered on a
process-lived emitter (`process`, a module-level emitter), closures stored at module scope
or in a module-level (or `static`) collection (a `Map`, `Set`, array or object: a `push`
on an instance of another class, `new AwaitQueue()`, is that class's own method, which may
run the task and let it go), exported closures, closures returned
from a factory whose result is stored at module scope, closures handed to a function of
the file that stores them there (`onShutdown(() => …)` where `onShutdown(hook)` pushes
`hook` into a module-level array; every call of it must be in view), and closures stored
on a pooled client checked out in the function (`client.onNotice = …` after
`await pool.connect()`: the pool keeps the client and lends it again; medium). Closures
stored on a field of an instance, or added to a collection in one (`this.onRefresh = …`,
`this.hooks.push(…)`), when the instance lives as long as the process by evidence: the
class's one instance is made at module top level in the file, or the project view sees its
one instance made at start-up in another file (medium). A decorator alone is not evidence:
it also marks classes made per view or per row.

Large values: `Buffer.alloc / allocUnsafe / from / concat`, typed arrays and `ArrayBuffer`
of 16 KB or more (or of run-time size), `fs.readFileSync(…)`, `await readFile(…)`,
`await res.arrayBuffer() / .text() / .json()`, `JSON.parse` of any of those,
`new Array(n)`; and the `req` / `res` parameters of a request handler.

Per-call objects stored on a process-wide prototype (medium): a parameter of a function
that can run many times assigned to the prototype of an imported class
(`Vue.prototype.$ssrRequestContext = ssrContext`). Every instance in the process shares it:
the last caller's object, and the request and response it references, stay reachable
until the next call, and concurrent callers see each other's. A class received as a
parameter (a plugin's `install(Vue)`) is not process-wide by evidence and is not reported.

Data caches shared by every server render (medium): `new QueryClient()` (TanStack / React
Query) or `new ApolloClient(…)` at the top level of a `"use client"` module. Next.js and
other React Server Components frameworks render client components on the server too; the
module is evaluated once per process there, so every request's render shares the one client
and its cache keeps the data fetched for every request and user. Without the directive
(a browser-only single-page app) one module-level client is the intended use and is not
reported.

## Why is this bad?
V8 does not give each closure its own copy of the variables it uses. Every scope whose
variables are captured by some inner function gets one *context* object, allocated each
time the scope is entered, and **all** closures created in that scope point at that same
context; each context in turn points at the context of the enclosing scope. A variable is
stored in the context, instead of on the stack, as soon as **any** inner function
references it (or a direct `eval` could). So a timer callback that never mentions `buf`
still keeps `buf` alive when a sibling closure created in the same function references it:
the callback holds the shared context, and the context holds `buf`. The same goes up the
chain: a closure created in a nested function keeps the context of every enclosing
function. Block scopes (`{ … }`, loop bodies, `catch`) whose captured `let`/`const` need a
context get one of their own, so a closure created outside the block does not keep them.

When the closure outlives the call — an interval, a listener on `process`, an entry in a
module-level map — the buffer, file contents or parsed body stays reachable for as long as
the closure does, long after the code that needed it has finished: one copy per call of the
function that created it. A request or response object kept by such a closure pins the
request's socket, headers, body and everything attached to them after the request is over.

Setting the variable to `null` once it is no longer needed (unconditionally, before the
function returns) empties the context slot and releases the value.

An interval that is never cleared and a listener that is never removed are reported by
NLL201 and NLL101, whose messages name the large values they keep; this rule covers
holders that are otherwise legitimate.

## Example
```js
const fs = require('node:fs');
const jobs = new Map();

function startPolling(path) {
  const snapshot = fs.readFileSync(path);
  const log = () => console.log('loaded', snapshot.length);
  log();
  // ruleid: NLL401
  const timer = setInterval(() => poll(path), 1000);
  jobs.set(path, timer);
}

function stopPolling(path) {
  clearInterval(jobs.get(path));
  jobs.delete(path);
}
```

## Use instead
```js
const fs = require('node:fs');
const jobs = new Map();

function startPolling(path) {
  logSize(fs.readFileSync(path));
  const timer = setInterval(() => poll(path), 1000);
  jobs.set(path, timer);
}

// The buffer lives in another function's scope: the timer callback cannot reach it.
function logSize(snapshot) {
  const log = () => console.log('loaded', snapshot.length);
  log();
}

function stopPolling(path) {
  clearInterval(jobs.get(path));
  jobs.delete(path);
}
```

## Options
- `min-bytes` (integer, default 16384): buffers, typed arrays and `new Array(n)` whose size
  is a literal below this many bytes are not large (`new Array(n)` counts 8 bytes per
  element). Sizes known only at run time count as large, with medium confidence.

## Known limits
The analysis is per file. Closures stored on instances (`this.handler = …`) are long-lived
holders only when the instance is shown to live as long as the process (above); a class
whose instances are made elsewhere or per call is not followed. A closure counts as using a
value when it references it, or references a local function, object literal or `f.bind(…)`
that does; a value reached through any other wrapper (`debounce(() => use(raw))`) is taken
as unused. Destructured parts of a large value (`const { items } = await res.json()`) are
not tracked. A `null` assignment counts as a release only when it runs unconditionally in
the value's own function, after its last large assignment and with no `await` between the
holder's creation and the release; nulling inside a closure or on one branch does not.
`with` statements are not modelled. An interval never cleared and a listener never removed
are left to NLL201 and NLL101 (with their default options), even when those rules are
disabled.

Two holders are not modelled yet. A `domain` (`domain.create()`): every timer, socket and
emitter made while it is entered keeps it, so its `'error'` listener keeps what it captures
for as long as the longest of them lives (a per-request domain whose handler captures the
request keeps each finished request behind a long timer a handler started). And a closure
made in a constructor that captures the constructor's whole argument
(`get: () => config.value` instead of `this.value`): it keeps every part of the argument,
so a part the constructor copied into a field stays reachable after the code deletes or
nulls that field (a chain of states each keeping its predecessor). Neither shows in one
file that the holder outlives the call or that the value is large.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import partial

from nodeleaklint.findings import Confidence, Finding, Severity
from nodeleaklint.parsing import Node
from nodeleaklint.records import record
from nodeleaklint.rules.base import RuleContext, RuleMeta, RuleOption
from nodeleaklint.rules.headlines import fit, fit_choice, sentence
from nodeleaklint.semantics.confidence import ESTABLISHED, Evidence, certainty, confidence_of
from nodeleaklint.semantics.flow import calls_passing, method_calls_on
from nodeleaklint.semantics.instances import process_lived_class
from nodeleaklint.semantics.lifetimes import Holder, Lifetime
from nodeleaklint.semantics.listener_removals import all_listener_removals, listener_removals
from nodeleaklint.semantics.locations import object_property, same_location
from nodeleaklint.semantics.model import SemanticModel
from nodeleaklint.semantics.reachable import in_function
from nodeleaklint.semantics.resources import lent_by_pool
from nodeleaklint.semantics.retention import (
    DEFAULT_MIN_BYTES,
    Retained,
    may_hold_large_values,
    may_retain_large,
    prototype_stores,
    retained_large_values,
    shared_render_caches,
)
from nodeleaklint.semantics.scopes import BindingKind, CallSite, FunctionInfo, Repetition
from nodeleaklint.semantics.signals import signal_state
from nodeleaklint.semantics.syntax import (
    FUNCTION_KINDS,
    is_function,
    outer,
    root_object,
    short,
    snippet,
    string_value,
    text,
    unwrap,
)
from nodeleaklint.semantics.timers import timer_calls
from nodeleaklint.semantics.values import made_by_other_class
from nodeleaklint.semantics.vocabulary import (
    COLLECTION_GROWTH_METHODS,
    COLLECTION_SHRINK_METHODS,
    LISTEN_METHODS,
    ONCE_METHODS,
    TIMER_CLEARERS,
    may_never_fire,
)

META = RuleMeta(
    id="NLL401",
    name="closure-retains-large-value",
    summary="Long-lived closure keeps a large per-call value alive through its shared context",
    fix=(
        "Move the large value and the closures that use it into a separate function, so the "
        "long-lived closure is created in a scope that does not capture it; or set the "
        "variable to `null` once it is no longer needed; for request objects, copy the few "
        "fields the closure needs and release the holder when the request ends."
    ),
    severity=Severity.WARNING,
    options=(
        RuleOption(
            "min-bytes",
            DEFAULT_MIN_BYTES,
            int,
            "Buffers and arrays of a literal size below this many bytes are not large.",
        ),
    ),
)


@record
class LongLived:
    """A closure that outlives the call that created it, and what keeps it."""

    function: FunctionInfo
    node: Node  # where the closure is made long-lived (the function, or its name as passed)
    label: str  # "the interval callback passed to `setInterval(…)`"
    lasts: str  # "which runs until the interval is cleared"
    brief: str  # the holder in a few words, for the headline: "an interval callback"
    # The calls/assignments that let go of the closure; asked only when a request object is
    # retained, so holders may defer the search (``_module_stores`` compares every assignment).
    releases: Callable[[], Sequence[Node]] = tuple
    released_elsewhere: bool = False  # handed to the caller: released out of our sight
    medium: bool = False
    registration: Node | None = None  # the setInterval / .on call NLL201 / NLL101 may report
    replaced: str | None = None  # a single slot the next run overwrites (``current = …``)


def check(ctx: RuleContext) -> Iterator[Finding]:
    model = ctx.model
    min_bytes = int(ctx.options.get("min-bytes", DEFAULT_MIN_BYTES))
    seen: set[int] = set()
    # Holders whose closure cannot keep a large value are not worked out: each would keep
    # nothing (a node always denotes one closure, so ``seen`` loses nothing either); in a
    # file without a large value, none is.
    keeps = partial(may_retain_large, model, min_bytes=min_bytes, memo={})
    for holder in _holders(model, keeps) if may_hold_large_values(model) else ():
        if holder.node.id in seen:
            continue
        seen.add(holder.node.id)
        kept = [
            r
            for r in retained_large_values(model, holder.function, min_bytes)
            if _reportable(model, holder, r)
        ]
        if not kept:
            continue
        yield _finding(ctx, holder, kept)
    yield from _shared_render_caches(ctx)
    yield from _prototype_stores(ctx)


def _prototype_stores(ctx: RuleContext) -> Iterator[Finding]:
    """A caller's object stored on the prototype of an imported class."""
    for store in prototype_stores(ctx.model):
        name = store.value.name
        function = store.function.display()
        target = short(store.target, 60)
        yield ctx.finding(
            store.assignment,
            fit(
                f"`{name}` from each call of {function} is stored on `{target}`, shared by every "
                "instance",
                f"`{name}` from each call of {function} is stored on `{target}`",
                f"A per-call `{name}` is stored on `{target}`",
            ),
            notes=[
                f"`{name}` is a parameter of {function}, which {_runs(store.function)}; "
                f"`{target}` is shared by every instance in the process: the last caller's "
                f"`{name}` and everything it references stay reachable until the next call "
                "replaces it, and concurrent callers see each other's."
            ],
            confidence=Confidence.MEDIUM,
            related=[ctx.related(store.value.node, f"`{name}` is declared here")],
            fix=(
                "Keep per-call data on the instance made for that call (or pass it down "
                "explicitly); store only what every caller shares on a prototype."
            ),
        )


def _runs(function: FunctionInfo) -> str:
    return "runs per call" if function.repetition is Repetition.REPEATING else "may run many times"


def _shared_render_caches(ctx: RuleContext) -> Iterator[Finding]:
    """A data cache made once at the top of a server-rendered module keeps every request's
    data (framework facts in ``retention.SSR_REQUEST_CACHES``)."""
    for shared in shared_render_caches(ctx.model):
        shown = snippet(shared.call, 50)
        yield ctx.finding(
            shared.call,
            fit(
                f'`{shown}` at the top of a `"use client"` module caches every server render\'s '
                "data",
                f'`{shown}` at the top of a `"use client"` module is shared by every server render',
                f'A module-level `{shared.name}` in a `"use client"` module is shared by every '
                "server render",
            ),
            notes=[
                "The server renders this module once per process, so every request's render "
                f"shares this one `{shared.name}`, whose cache keeps the data fetched for every "
                "request and user — growing with traffic and leaking one user's data to the next."
            ],
            confidence=Confidence.MEDIUM,
            related=[ctx.related(shared.directive, "rendered on the server for each request")],
            fix=(
                f"Create the `{shared.name}` per render: in the component "
                "(`const [client] = useState(() => new QueryClient())`), or per request on the "
                "server and once in the browser."
            ),
        )


def _reportable(model: SemanticModel, holder: LongLived, retained: Retained) -> bool:
    """Shared-context retention of an unused large value; request objects past their request."""
    if retained.large.request:
        handler = retained.binding.function
        if handler is None or holder.released_elsewhere:
            return False
        return not any(in_function(model, node, handler) for node in holder.releases())
    return not retained.direct


def _finding(ctx: RuleContext, holder: LongLived, kept: list[Retained]) -> Finding:
    first = kept[0]
    owner = first.binding.scope.function
    if first.large.request:
        growth = (
            "so the request's socket, headers and body stay reachable after the request has ended"
        )
        brief = "past the end of its request"
    elif holder.replaced is not None:
        growth = f"until the next assignment to `{holder.replaced}` replaces it"
        brief = f"until `{short(holder.replaced, 30)}` is assigned again"
    elif owner is not None and owner.repetition is not Repetition.ONCE:
        growth = f"one more copy for each run of {owner.display()}"
        brief = f"one copy per run of {owner.display()}"
    else:
        growth = "long after its last use"
        brief = growth
    name = f"`{first.binding.name}`"
    what = first.large.what
    variants = (
        f"{name} ({what}) stays alive in {holder.label}, {brief}",
        f"{name} ({what}) stays alive in {holder.brief}, {brief}",
        f"{name} ({first.large.short}) stays alive in {holder.brief}, {brief}",
        f"{name} stays alive in {holder.brief}, {brief}",
        f"{name} stays alive in {holder.brief}",
    )
    chosen = fit_choice(*variants)
    headline = variants[chosen]
    # A note says what the value is when the headline could not say it in full.
    said = chosen < 2 or (chosen == 2 and first.large.short == what)
    notes = [] if said else [f"{name} is {what}."]
    notes.append(first.why(holder.label))
    if len(kept) > 1:
        notes.append("It also keeps " + ", ".join(f"`{r.binding.name}`" for r in kept[1:]) + ".")
    notes.append(sentence(f"{holder.lasts}, {growth}" if first.large.request else holder.lasts))
    certain = all(r.large.certain for r in kept)
    # A closure kept for good leaks its values without repeating, and its holder is
    # long-lived by construction; an exported or pooled one may be let go of
    # out of our sight, and a value whose size is known only at run time may be small.
    evidence = Evidence(
        repetition=ESTABLISHED,
        holder=ESTABLISHED,
        retained=certainty(certain),
        unreleased=certainty(not holder.medium),
    )
    confidence = confidence_of(evidence)
    related = []
    for retained in kept:
        related.append(
            ctx.related(retained.binding.node, f"`{retained.binding.name}` is declared here")
        )
        if retained.via_node is not None:
            related.append(
                ctx.related(retained.via_node, f"`{retained.binding.name}` is captured here")
            )
    # One site, one finding: NLL201 / NLL101 report this registration and name what it keeps.
    registration = holder.registration
    defers = () if registration is None else (("NLL201", registration), ("NLL101", registration))
    return ctx.finding(
        holder.node,
        headline,
        notes=notes,
        confidence=confidence,
        related=related,
        defers_to=defers,
    )


# -- long-lived closures -----------------------------------------------------------------------


# Whether a closure may keep a large value (``retention.may_retain_large``).
Keeps = Callable[[FunctionInfo], bool]


def _holders(model: SemanticModel, keeps: Keeps) -> Iterator[LongLived]:
    """What keeps closures past their call, for the closures ``keeps`` lets through."""
    yield from _intervals(model, keeps)
    yield from _listeners(model, keeps)
    yield from _module_stores(model, keeps)
    yield from _collections(model, keeps)
    yield from _factory_results(model, keeps)


def _closure(model: SemanticModel, node: Node | None) -> tuple[FunctionInfo, Node] | None:
    """The per-call function an argument or value denotes: inline, or a local function name."""
    value = unwrap(node)
    if value is None:
        return None
    if is_function(value):
        info = model.function_at(value)
        return (info, value) if info is not None and info.parent is not None else None
    if value.type == "identifier":
        binding = model.binding_of(value)
        if binding is None or binding.scope.is_module or binding.function is None:
            return None
        if binding.kind is BindingKind.PARAM or binding.is_reassigned:
            return None
        return binding.function, value
    return None


# The values ``_closures_in`` can find a closure in: a function, a name, an object literal.
_CARRIERS = FUNCTION_KINDS | {"identifier", "object"}


def _closures_in(model: SemanticModel, node: Node | None) -> list[tuple[FunctionInfo, Node, str]]:
    """Closures a stored value carries: the value itself, the methods of an object literal
    (``{ describe: () => … }``), or — for a parameter of a function whose every call is in
    view (``function onShutdown(hook) { hooks.push(hook) }``) — the closures its callers
    hand it, with the words naming each one."""
    value = unwrap(node)
    if value is None or value.type not in _CARRIERS:
        return []  # neither a closure (``_closure``), a name nor an object: the common case
    closure = _closure(model, value)
    if closure is not None:
        return [(*closure, "the closure")]
    found: list[tuple[FunctionInfo, Node, str]] = []
    if value is not None and value.type == "identifier":
        return _handed_closures(model, value)
    if value is None or value.type != "object":
        return found
    for member in value.named_children:
        inner = member.child_by_field_name("value") if member.type == "pair" else member
        closure = _closure(model, inner) if inner is not None else None
        if closure is not None:
            found.append((*closure, f"the closure `{closure[0].name or '…'}` in the object"))
    return found


def _handed_closures(model: SemanticModel, ident: Node) -> list[tuple[FunctionInfo, Node, str]]:
    """``onShutdown(() => …)`` where ``onShutdown(hook)`` stores ``hook``: arguments reach
    parameters when every call of the function is in view (SPEC §1)."""
    binding = model.binding_of(ident)
    function = binding.scope.function if binding is not None else None
    if binding is None or binding.kind is not BindingKind.PARAM or binding.is_reassigned:
        return []
    if function is None or binding not in function.params:
        return []
    sites = model.call_sites_of(function)
    index = function.params.index(binding)
    found: list[tuple[FunctionInfo, Node, str]] = []
    for site in sites or []:
        if index >= len(site.args):
            continue
        closure = _closure(model, site.args[index])
        if closure is not None:
            found.append((*closure, f"the closure passed to `{site.display(40)}`"))
    return found


def _intervals(model: SemanticModel, keeps: Keeps) -> Iterator[LongLived]:
    for call, kind in timer_calls(model, "setInterval"):
        if kind != "callback" or not call.args:
            continue
        closure = _closure(model, call.args[0])
        if closure is None or not keeps(closure[0]):
            continue
        releases, elsewhere = _interval_releases(model, call)
        function, node = closure
        yield LongLived(
            function,
            node,
            f"the interval callback passed to `{call.display()}`",
            "the interval keeps it until it is cleared",
            "an interval callback",
            partial(tuple, releases),
            elsewhere,
            registration=call.node,
        )


def _interval_releases(model: SemanticModel, call: CallSite) -> tuple[list[Node], bool]:
    """The ``clearInterval`` calls that reach the handle, and whether it is handed off."""
    position = outer(call.node)
    parent = position.parent
    while parent is not None and parent.type == "member_expression":  # setInterval(…).unref()
        grand = parent.parent
        if grand is None or grand.type != "call_expression":
            break
        position, parent = outer(grand), outer(grand).parent
    if parent is None:
        return [], False
    target: Node | None = None
    if parent.type == "variable_declarator":
        target = parent.child_by_field_name("name")
    elif parent.type == "assignment_expression" and parent.child_by_field_name("right") == position:
        target = parent.child_by_field_name("left")
    elif parent.type in ("return_statement", "arguments", "pair", "array", "arrow_function"):
        return [], True
    if target is None or unwrap(target) is None:
        return [], False
    releases = [site.node for site in calls_passing(model, target, TIMER_CLEARERS)]
    if not releases and unwrap(target) is not None and unwrap(target).type == "identifier":  # type: ignore[union-attr]
        binding = model.binding_of(unwrap(target))  # type: ignore[arg-type]
        if binding is not None and any(_escapes(ref) for ref in binding.references):
            return [], True
    return releases, False


def _escapes(reference: Node) -> bool:
    parent = outer(reference).parent
    if parent is None:
        return False
    if parent.type in (
        "return_statement",
        "pair",
        "array",
        "shorthand_property_identifier",
        "object",
    ):
        return True
    if parent.type == "arguments" and parent.parent is not None:
        callee = text(parent.parent.child_by_field_name("function"))
        return not callee.endswith(TIMER_CLEARERS)
    if parent.type == "assignment_expression":
        return parent.child_by_field_name("right") == outer(reference)
    return False


def _listeners(model: SemanticModel, keeps: Keeps) -> Iterator[LongLived]:
    for call in model.calls_named(*sorted(LISTEN_METHODS)):
        if call.is_new or call.obj is None or len(call.args) < 2:
            continue
        event = string_value(call.args[0])
        if call.name in ONCE_METHODS and not may_never_fire(event):
            continue
        closure = _closure(model, call.args[1])
        if closure is None or not keeps(closure[0]):
            continue
        target = model.lifetime_of(call.obj)
        if target.lifetime is not Lifetime.PROCESS:
            continue
        function, node = closure
        releases = [
            site.node for site in listener_removals(model, call.obj, call.args[0], call.args[1])
        ]
        releases += [site.node for site in all_listener_removals(model, call.obj, call.args[0])]
        options = call.args[2] if len(call.args) > 2 else None
        signal = object_property(options, "signal")
        elsewhere = signal is not None and signal_state(model, signal).aborted
        shown = f"'{event}'" if event is not None else "…"
        yield LongLived(
            function,
            node,
            f"the listener registered with `{text(call.callee)}({shown})`",
            f"the emitter ({target.description}) keeps its listeners until they are removed",
            f"a {shown} listener on `{snippet(call.obj, 30)}`",
            partial(tuple, releases),
            elsewhere,
            registration=call.node,
        )


def _is_export_target(node: Node | None) -> bool:
    name = text(root_object(node))
    whole = text(unwrap(node))
    return name == "exports" or whole == "module.exports" or whole.startswith("module.exports.")


def _module_stores(model: SemanticModel, keeps: Keeps) -> Iterator[LongLived]:
    """``handler = () => …`` / ``registry[k] = fn`` / ``global.x = fn`` inside a function."""
    for assignment in model.assignments:
        if assignment.type != "assignment_expression":
            continue
        right = assignment.child_by_field_name("right")
        # Most values carry no closure (``_closures_in``'s own first test, asked before the
        # function around the assignment).
        value = unwrap(right)
        if value is None or value.type not in _CARRIERS:
            continue
        if model.enclosing_function(assignment) is None:
            continue
        closures = _closures_in(model, right)
        closures = [closure for closure in closures if keeps(closure[0])]
        left = unwrap(assignment.child_by_field_name("left")) if closures else None
        if left is None:
            continue
        exported = _is_export_target(left)
        root = root_object(left)
        if root is None:
            continue
        pooled = None if exported else lent_by_pool(model, root)
        owner = model.lifetime_of(root)
        instance = None
        if not exported and not pooled and owner.lifetime is not Lifetime.PROCESS:
            instance = _process_lived_instance(model, owner)
            if instance is None:
                continue
        releases = partial(_reassignments, model, assignment, left)
        for function, node, what in closures:
            brief = f"a closure stored in `{short(text(left), 40)}`"
            if exported:
                label = f"{what} exported as `{text(left)}`"
                brief = f"a closure exported as `{short(text(left), 40)}`"
                lasts = "exports live as long as the process"
            elif pooled is not None:
                label = f"{what} stored in `{text(left)}`"
                lasts = (
                    f"`{text(root)}` is a {pooled.kind.noun} that the pool keeps and lends again "
                    "after this call"
                )
            elif instance is not None:
                label = f"{what} stored in `{text(left)}`"
                lasts = f"`{text(root)}` is {owner.description}, {instance}"
            else:
                label = f"{what} stored in `{text(left)}`"
                lasts = f"`{text(root)}` lives as long as the process"
            slot = text(left) if left.type in ("identifier", "member_expression") else None
            medium = exported or pooled is not None or instance is not None
            yield LongLived(
                function, node, label, lasts, brief, releases, medium=medium, replaced=slot
            )


def _reassignments(model: SemanticModel, assignment: Node, left: Node) -> list[Node]:
    """The other assignments to the slot ``assignment`` stores a closure in."""
    return [
        other
        for other in model.assignments
        if other.id != assignment.id
        and other.type == "assignment_expression"
        and same_location(model, other.child_by_field_name("left"), left)
    ]


def _collections(model: SemanticModel, keeps: Keeps) -> Iterator[LongLived]:
    """``registry.set(k, () => …)`` / ``handlers.push(fn)`` on a process-lived collection."""
    for call in model.calls_named(*COLLECTION_GROWTH_METHODS):
        if call.is_new or call.obj is None or call.function is None or not call.args:
            continue
        if made_by_other_class(model, call.obj):
            continue  # ``queue.push(task)`` on ``new AwaitQueue()``: not a collection's push
        index = COLLECTION_GROWTH_METHODS[call.name]
        args = call.args if index < 0 else call.args[index : index + 1]
        closures = [found for arg in args for found in _closures_in(model, arg)]
        closures = [closure for closure in closures if keeps(closure[0])]
        if not closures:
            continue
        target = model.lifetime_of(call.obj)
        instance = None
        if target.lifetime is not Lifetime.PROCESS:
            root = root_object(call.obj)
            owner = model.lifetime_of(root) if root is not None else target
            instance = _process_lived_instance(model, owner)
            if instance is None:
                continue
            lasts = f"the collection belongs to {owner.description}, {instance}"
        else:
            lasts = f"the collection ({target.description}) lives as long as the process"
        shrink = method_calls_on(model, call.obj, COLLECTION_SHRINK_METHODS)
        releases = partial(tuple, [site.node for site in shrink])
        for function, node, what in closures:
            yield LongLived(
                function,
                node,
                f"{what} added with `{text(call.callee)}(…)`",
                lasts,
                f"a closure in `{snippet(call.obj, 40)}`",
                releases,
                medium=instance is not None,
            )


def _process_lived_instance(model: SemanticModel, owner: Holder) -> str | None:
    """Why the instance ``owner`` describes (``this`` in a method) lives as long as the
    process: one instance made at module top level, a decorated (container-managed) class,
    one made at start-up in another file. None for any other holder."""
    if owner.lifetime is not Lifetime.INSTANCE:
        return None
    return process_lived_class(model, owner.declaration)


def _factory_results(model: SemanticModel, keeps: Keeps) -> Iterator[LongLived]:
    """A closure returned by a function whose result is stored at module scope."""
    for function in model.functions:
        factory = function.parent
        if factory is None or not function.returned or not keeps(function):
            continue
        stored = _result_stored_at_module_scope(model, factory)
        if stored is None:
            continue
        made_by = "an immediately invoked function" if factory.is_iife else factory.display()
        yield LongLived(
            function,
            function.node,
            f"the closure returned by {made_by}",
            f"its result is stored at module scope ({stored}), which lives as long as the process",
            "a closure kept at module scope",
        )


def _result_stored_at_module_scope(model: SemanticModel, factory: FunctionInfo) -> str | None:
    calls: list[Node] = []
    if factory.is_iife:
        parent = outer(factory.node).parent
        if parent is not None:
            calls.append(parent)
    elif factory.binding is not None and not factory.binding.is_reassigned:
        calls.extend(site.node for site in model.direct_calls(factory.binding))
    for call in calls:
        if model.enclosing_function(call) is not None:
            continue
        position = outer(call)
        parent = position.parent
        if parent is not None and parent.type == "await_expression":
            position = outer(parent)
            parent = position.parent
        if parent is None:
            continue
        callee = "(…)" if factory.is_iife else short(text(call.child_by_field_name("function")), 50)
        if parent.type == "variable_declarator":
            return f"`{text(parent.child_by_field_name('name'))} = {callee}(…)`"
        if (
            parent.type == "assignment_expression"
            and parent.child_by_field_name("right") == position
        ):
            return f"`{short(text(parent.child_by_field_name('left')), 50)} = {callee}(…)`"
        if parent.type in ("export_statement", "arguments"):
            return f"`{short(text(parent.parent if parent.type == 'arguments' else parent), 50)}`"
    return None
