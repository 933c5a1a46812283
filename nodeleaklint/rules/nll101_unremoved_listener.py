"""## What it does
Flags `T.on / addListener / prependListener / addEventListener(event, handler)` (and
`once` for events that may never fire) when code that runs many times (a request handler,
an event callback, a class method, a function called from one of those) adds a handler
created in that run to an emitter that outlives the run, and nothing removes it again.

Long-lived targets are module-level and imported emitters, `process`, `global` /
`globalThis`, keep-alive sockets (`req.socket`, `res.socket`, `req.connection`), a
long-lived `AbortSignal`, and `this.x` fields of a class whose methods register per call.
A field that only ever holds a process-lived emitter (`this.emitter = bus`, or what a
function returns when its every `return` gives one: `this.emitter = getEmitter('inbound')`
over a module-level registry, in this file or — with the project in view — another) is
that emitter: a listener added to it per instance outlives the instance.
Listeners count as removed when the same target, event and handler (the same binding, not
the same text) reach `off` / `removeListener` / `removeEventListener` on some path: directly,
in a cleanup callback (`res.on('close')`, `req.on('close')`, `socket.on('close')` …), in a
`finally`, or in a returned or stored disposer. `removeAllListeners(event)` on the target
and a `{ signal }` option whose AbortController is aborted also count, and so does a
`removeAllListeners()` in a function that calls the registering one (a reconnect path that
clears the client's listeners before setting them up again). A registration whose result the
code keeps — stored, returned, passed on, or put in an array, directly or through a
conditional (`cond ? null : dom.on('click', f)` handed to a DOM builder, `cond && bus.on(…)`)
— is in the caller's hands: what the call returns (a disposer, a binding the builder attaches
to the element it makes) is how it ends.

Objects are understood in every form (`class`, ES5 constructors and prototype methods,
`self = this`, `this[kSocket]` fields), and the code's own cleanup is evidence:
- **Partial cleanup**: a listener added alongside others that the same run removes from
  the same target (or a part of it) is reported even when the target's lifetime is
  unknown — removing the others says the target outlives the run (a query borrowing a
  pooled connection removes its `'row'` and `'end'` listeners but not `'error'`).
- **A forgotten `once`**: a `once` listener for an event that fires in time counts as
  removed, except when the same run's own cleanup removes the other listeners it added to
  the same target and not this one (a stream's `'close'` handler removes its `'_update'`
  listener from the shared hub but not its `once('dispose')`, which fires only when the
  hub is disposed): the work ends and the `once` stays until its event fires (medium).
  The target may be the instance itself when a method adds them per call. Cleanup that
  runs on the `once`'s own event proves nothing.
- **Registrars on the instance**: a method that adds its caller's listener to the
  instance itself and returns the function that removes it (`onReady(fn) {
  this.on('ready', fn); return () => this.off('ready', fn) }`) is judged where another
  method calls it on the instance: given a new function each time (inline, a local made
  there, or the `resolve` of a `new Promise` it makes) with the remover dropped, the
  instance keeps one more listener per call (medium: the instance lives as long as its
  owner keeps it). A call in the constructor runs once per instance.
- **Setup run again**: a method that gives the instance's emitters their listeners
  (`registerListeners()`, or an `init()` that calls it through `this`) runs where the
  instance is made (its constructor, or `const q = new Queue(); q.init()`) and again from
  another method (`flushQueues() { …; this.init(); }`): every later run adds the same
  listeners once more to emitters that kept the first ones (medium). Not when a latch
  guards the run (`if (this.started) return`), nor when the run makes the target anew
  (`this.source = create(); this.source.on(…)`). A private method (TypeScript `private`,
  or `#name`) that only the constructor calls, directly on `this`, runs once per instance
  as the constructor does: its listeners on the instance's own fields are not reported.
  So does a hook the framework table says its package calls once per instance, in a class
  whose `extends` names something imported from that package (Polymer's `ready()` in
  `class X extends PolymerElement`: listeners on the element's own `this.$` nodes die with
  the element), when no code of the file calls it but `super.ready()`. A listener it adds
  to a module-level object is still one more per element.
  A constructor runs once, and its listeners are not reported, when the file makes every
  instance of its class in code that runs once and hands the class itself to nobody (not
  exported, passed or extended): `const manager = new CommandManager(); export { manager
  as CommandManager }` is one instance for the process. With the project view, an exported
  class that no file of the project but its tests imports (not by name, not through the
  whole module, not re-exported) counts as not exported: `export class TabManager`, kept for
  its tests, beside `const tabManager = new TabManager(); export default tabManager`.
- **Alternative outcomes**: two `once` listeners for different events on the same
  long-lived target, where a handler does not remove its rival: whichever event wins, the
  other listener stays. Reported once per pair. Lifecycle pairs (`'close'` / `'error'`) on
  objects that are not process-lived, and the instance's own events, are left alone.
- **Borrowed objects**: a client request's `'socket'` hands over a socket that a
  keep-alive agent reuses, so listeners added to it per request pile up. A field that
  holds the request parameter (`this.res = res` in a constructor given `(server, req,
  res)`, set before the read in the same function or the only value the class ever gives
  it) is that request: `this.res.connection` is the keep-alive socket just as
  `res.connection` is, so a per-request object that listens on it adds one listener per
  request to the connection. Not so for a handler that starts an event stream
  (`text/event-stream`) and never ends the response after that: HTTP/1.1 serves the next
  request on a connection only once the response before it has ended, so that socket
  carries this one request, and its listeners go with it.
- **The request by role**: the request a server serves (and its response) is known by what
  hands it over, whatever the parameter is called: the first two parameters of a function
  given to `http.createServer` / `https` / `http2` `createServer`, of a `'request'` handler,
  of a route or middleware (`app.get(path, fn)`, `app.use(fn)`; the second and third of a
  four-parameter error middleware), inline or handed over by name (`app.get(path,
  changes)`), unless an HTTP client package made the receiver (`http.get(url, (res) => …)`
  gets an upstream response), the first two parameters of a function whose second answers
  as only a server's response does (`res.writeHead(…)`, `res.statusCode = 206`), a
  parameter declared with a request or response type (`res: express.Response`), and the
  partner of one so declared (`(clientReq, clientRes: express.Response)`): `clientReq.socket`
  is the keep-alive socket.
  A parameter that is a request only by its name (`req`, `res`, `request`, `response`, in
  a function nothing in view hands a request) is medium evidence, and the finding medium.
- **Removal on one path only**: a removal counts only on the paths where the work ends.
  When every removal runs from listeners the same run added for some outcomes (`'error'`,
  `'stream'`) while the run also waits for another outcome that hands the result to the
  same completion (`next`, `done`) without removing it (`'directory'`, `'complete'`), the
  listener stays attached whenever the work ends that way (medium). The same when every
  removal sits in an error branch (`if (err) { off(…); return cb(err) }` in an error-first
  callback, or a `catch`) while the success path calls the same completion (`cb(null)`).
  A removal in a `'close'` / `'finish'` / `'end'` handler, in the run itself, a `finally`,
  a promise callback or a disposer covers every path.
- **Mismatched removal**: `off(event, h)` where `h` cannot be the registered handler — a
  fresh `fn.bind(this)` or inline function (a new function every time), or a function never
  registered for that event there — removes nothing. The message names that removal; when
  nothing else judges the target, the removal is the evidence that it outlives the run
  (medium).
- **Listeners Node adds for a callback**: `socket.connect(port, host, cb)` adds
  `once('connect', cb)`. On a socket (`new net.Socket()`, `net.connect(…)`) reused by a
  method the instance runs again to reconnect (from a timer or a `'close'` / `'error'`
  handler), each attempt against an unreachable peer leaves one more listener (medium).
  `req.socket.setTimeout(ms, cb)` adds `once('timeout', cb)` to the keep-alive socket, one
  more per request (medium), in a handler or in any helper handed the request (the
  `request.socket` of an outgoing request is the agent's reused socket: Node 20's agent
  keeps sockets alive), unless the callback is removed from the socket (`req.on('close',
  () => req.socket.removeListener('timeout', onTimeout))`).
- An event API that registers its caller's listener for its caller's event (an emitter's
  own `once(event, fn)`) is not reported: the caller owns that listener.
- **Registrars**: a function that adds its caller's listener to a process-lived emitter
  (`function onTick(fn) { ticks.on('tick', fn) }`) is judged where it is called, as
  `ticks.on` would be: a call in code that repeats, given a new function each time
  (inline, or a local made in that run) that is never handed to a counterpart (a function
  that passes its parameter to `ticks.off('tick', …)`), adds one listener per run. With the
  project in view the registrar may be in another file (a shared event-bus module): its
  counterparts are matched as the calling file imports them.
- **Framework lifecycles** (the table in the main README, extendable with
  `[frameworks.<name>]`): an MQTT or socket.io client's `'connect'` fires on every
  reconnect, so a listener added inside it piles up (`client.on('connect', () =>
  client.on('message', …))`); an AngularJS directive's `link` runs per element, so a
  `window` listener it adds must be removed on the scope's `'$destroy'`; the third parameter
  of an http-proxy 0.x `createServer((req, res, proxy) => …)` handler is the proxy all
  requests share. A commander / yargs command's action runs once.
- **Constructor arguments** (SPEC §1 *Arguments reach parameters*): when every `new X(…)`
  of a class is in the file (the class is not exported, subclassed or handed on;
  `X.prototype…`, static members, `instanceof X` and `util.inherits(X, Base)` construct
  nothing), the constructor's parameters take the lifetime of what those calls pass. A
  `constructor(hub) { hub.on('tick', …) }` that every caller hands the module-level
  emitter adds one listener to it per instance (medium). A removal from the field the
  constructor keeps the parameter in (`this.hub = hub` … `destroy() { this.hub.off('tick',
  this.onTick) }`) removes the same listener. So does a removal of the same field in a
  hook the class's own definition hands to a helper, whose `this` the file cannot place
  (`X.prototype.destroy = demolish({ after: [function detach() {
  window.removeEventListener('offline', this.onOffline) }] })`).
- **Objects a library keeps until taken back** (the table `ATTACHING_LIBRARIES`): a
  winston logger keeps every transport `logger.add(transport)` gives it until
  `remove(transport)`, and `logger.child(meta)` shares its parent's transports, so
  `logger.child(meta).add(new ArrayTransport(logs))` per scrape leaves one transport (and
  its logs) on the shared logger each time (medium). The logger is known by the module that
  made it (`winston.createLogger(…)`, the `winston` module's default logger, or — with the
  project in view — a logger another file makes and exports), never by a name: a Set's
  `add` is not one of these. Reported in code that repeats, or in code of unknown frequency
  that makes a child per call; not when the transport is kept and removed through the
  logger that added it (a parent's `remove` leaves the pipe a child added: the child's
  `'data'` listener stays on the parent, holding the transport).
- **Ended here**: a `once` listener for a target's end event (`'close'`, `'exit'`, `'end'`,
  `'finish'`, `'disconnect'`) in a function that ends the target itself (`child.kill()`,
  `socket.destroy()`, `stream.end()`…, also in a fallback timer there or in a method of the
  class it calls) is removed when that event fires, and is not reported.
- **Latches**: a registration inside `if (!added) { added = true; … }` (a flag kept outside
  the function, or a field, that the guarded region sets itself) runs once per owner of the
  flag and is not reported. So is a registration under a test of the target that the
  region answers itself (`if (!tracked.has(req.socket)) { tracked.add(req.socket); … }`,
  `if (!conn.listenerCount('error'))`: the region's own listener changes the answer), and
  one under a test of the very event name it listens for that the region files
  (`if (!traced[event]) { traced[event] = true; bus.on(event, …) }`: at most one listener
  per event). A
  test of the target's state that the region leaves alone (`if (!socket.destroyed)`, `if
  (ws.readyState === 'open')`) is no latch: the region runs again on every call, unless its
  other branch does the handler's work at once (`if (win.current) { show(url) } else {
  win.on('created', () => show(url)) }`: the author says the event brings the state, so
  listeners are added only until it comes) and the event is not one that fires again and
  again (a stream's `'data'`, an MQTT client's `'connect'` on every reconnect). A flag set
  to a value that is never falsy latches like `true` (`if (hub) return hub; hub = new
  EventEmitter(); process.on('message', …)` runs once per process; so does a timer handle,
  `if (timer) return; timer = setInterval(…)`), and a test that the
  slot is filled leaves as that one does (`if (tray != null) return; tray = new Tray(…);
  win.on('minimize', …)`: the rest of the function runs once per process). A test that only
  asks whether the target is there (`if (signal)`, `if (self.emitter && id)`, `if (signal
  != null)`, `typeof signal !== 'undefined'`) is no latch: adding a
  listener does not change its answer, so an optional `{ signal }` gets one more `'abort'`
  listener on every call that passes it. A listener registered with Node's weak-handler
  option (`{ [kWeakHandler]: stream }`, as Node's stream operators do) pins nothing.
  A registration reached only while the emitter is in a state its event ends (`if
  (!socket.connecting) return; socket.on('connect', …)`: `'connect'` ends `connecting`
  for good) is added at most once per emitter: a pooled socket that is already connected
  gets none. A guard on any other state (`if (socket.destroyed) return;`) is no such latch.
- **Shutdown paths**: listeners for the signals that end the process (`'SIGTERM'`,
  `'SIGINT'` …, `'exit'`) on `process` in code not shown to repeat (start-up code that is
  exported or called from elsewhere) are its shutdown path and are not reported; added per
  request or per event they are.

## Why is this bad?
An emitter keeps every listener in an array until it is removed. The handler is a closure:
V8 keeps its whole context alive, so each listener also pins what it captures (a `req`, a
`res`, a socket, a buffer). A process-lived emitter that gains one listener per request
grows by one closure and one request's worth of objects per request, forever; Node's
`MaxListenersExceededWarning` is the only symptom until the heap runs out. `once` does not
help for events that may never happen (`'error'`, `'close'`, `'abort'`, signals): the
listener waits, and keeps everything it captures, until that event fires.

## Example
```js
const { EventEmitter } = require('node:events');
const express = require('express');

const bus = new EventEmitter();
const app = express();

app.get('/events', (req, res) => {
  // ruleid: NLL101
  bus.on('message', (msg) => res.write(`data: ${msg}\n\n`));
});

app.get('/jobs/:id', (req, res) => {
  // ruleid: NLL101
  process.once('SIGTERM', () => res.end('shutting down'));
});
```

## Use instead
```js
const { EventEmitter } = require('node:events');
const express = require('express');

const bus = new EventEmitter();
const app = express();

app.get('/events', (req, res) => {
  const onMessage = (msg) => res.write(`data: ${msg}\n\n`);
  bus.on('message', onMessage);
  req.on('close', () => bus.off('message', onMessage));
});

app.get('/jobs/:id', async (req, res) => {
  const onTerm = () => res.end('shutting down');
  process.once('SIGTERM', onTerm);
  try {
    await runJob(req.params.id);
    res.end('done');
  } finally {
    process.removeListener('SIGTERM', onTerm);
  }
});
```

## Options
None.

## Known limits
Confidence is high for process-lived targets in code seen to repeat (per request, event or
timer tick, per turn of an endless loop, or in a method of a decorated service), and for
fields of a decorated class (a NestJS-style provider or controller is a singleton, so its
fields live as long as the process; not a UI element a framework makes per view:
`@Component`, `@Directive`, `@Pipe`, `@customElement`). It is medium in methods,
constructors and functions whose callers are elsewhere (exported, never called in the file:
in applications such code often runs once, at start-up), in code that only messages from the
parent process or thread drive (`process.on('message')`, `parentPort.on('message')`: the
parent may send one), in test code, for `this.x` fields of other classes, and for parameters
of unknown
lifetime; those last two are reported only when the handler captures per-call state, the
event is not one of the target's own lifecycle events (`'data'`, `'end'`, `'close'`,
`'error'`, `'connect'` … belong to a stream's or socket's own piece of work; not so when a
method opens the socket the instance keeps again, `this.socket.connect(…)`, and listens for
`'connect'` each time: the socket outlives every connection), and, for
parameters, the function repeats or the listener waits on a signal's `'abort'`. A
constructor that keeps the object it was given (`this.connection = connection`) and listens
to it is a wrapper, and a function that gives a parameter listeners for three or more
different events (not its lifecycle events, not `once`) sets that object up (socket.io's
`initializeClient(socket)`): their listeners live as long as the object and are not
reported. What a
parameter holds is otherwise learned from the callers in view (this file, or other files of
the project), never from its name.
A method runs per call, except a method of the one instance a file makes at its top level
and exports (`export = new Manager()`, `const m = new Manager(); export default m`) when,
with the project in view, every call of it is in other files' start-up code (module top
level, or code the project shows runs once; `(await import('./m')).default.setup()`
included, and a call made directly in such a method of another file's one instance, which
runs once in turn) and its own file never names it (`this.setup()`, `this.setup` handed on): it runs
once, and its listeners are not reported. A call from a request handler anywhere in the
project makes it repeat.
Handler identity follows bindings, `this.x` fields and `const self = this` aliases, not
copies of the handler (`const h = onTick; bus.off('tick', h)` is not matched). A handler
stored in a collection or handed to another function is assumed to be removed elsewhere, and
an `if` that tests the target (`if (!seen.has(req.socket))`) is taken as a once-per-target
guard, unless it only tests that the target is there (`if (signal)`). A handler handed to
`setTimeout` / `setInterval` / `setImmediate` is still the registered one (a timer cannot
remove it). Targets obtained from calls are judged only when the called function's every
`return` gives a process-lived value (in this file, or in another through the project view);
`await pool.connect()` and a factory's fresh emitter are not long-lived. A target the run
fills anew first (`this.socket = connect(); this.socket.on(…)`) takes its listeners with it;
so does a slot of a long-lived table under a local key nothing reassigns (`for (const r of
names) { clients[r] = new Redis(); clients[r].on('error', …) }`, or through a local alias
of the slot: `const proc = procs[group]; if (!proc.process) { proc.process = fork(…);
procs[group].process.on('exit', …) }`) when the block that fills it holds the registration
(a `try` body counts as the block around the `try`), but not a slot the run only reads, nor
one read after an `if` that filled it only sometimes. A method the class hands to a
registration as the handler (`io.on('connection', this.onConnection.bind(this))`, or
`this.onConnection` itself) is a callback: its parameters are the event's own (the
connection's socket), so listeners added to them go with it (a `bind` that also fixes
arguments is left out: those parameters are not the event's).
Registrations in the constructor of a decorated class are assumed to run once. A removal on
one path is reported only when the file shows the other way the work ends (a sibling
listener, or the success path, that calls the same completion); a removal inside any other
`if` still counts for every path.
A transport added directly to a shared logger (no child) in a function that is exported
and never called in view is not reported (such a function is usually start-up code that
configures the logger once); the file alone cannot tell that an imported `logger` is a
winston logger, so that case needs the project in view.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from nodeleaklint.findings import Confidence, Finding, RelatedLocation, Severity, Span
from nodeleaklint.parsing import Node
from nodeleaklint.records import record
from nodeleaklint.rules.base import RuleContext, RuleMeta
from nodeleaklint.rules.headlines import fit, fit_choice, sentence
from nodeleaklint.semantics import frameworks
from nodeleaklint.semantics.attachments import (
    Attachment,
    attachments,
    removed_elsewhere,
    taken_back,
)
from nodeleaklint.semantics.confidence import (
    ESTABLISHED,
    INFERRED,
    Evidence,
    certainty,
    confidence_of,
)
from nodeleaklint.semantics.contexts import (
    context_of,
    is_decorated,
    per_word,
    repetition_certainty,
)
from nodeleaklint.semantics.latches import latch_of, sets_tested_state
from nodeleaklint.semantics.lifetimes import KEEP_ALIVE_PROPERTIES, Holder, Lifetime
from nodeleaklint.semantics.listener_removals import (
    all_listener_removals,
    fresh_function,
    listener_removals,
    matching_condition,
    mismatched_removals,
    removal_triggers,
    same_event,
    same_handler,
)
from nodeleaklint.semantics.locations import object_property, same_location, value_binding
from nodeleaklint.semantics.model import SemanticModel
from nodeleaklint.semantics.provenance import callee_origin, origin_of
from nodeleaklint.semantics.reachable import error_branch, in_function
from nodeleaklint.semantics.reconnects import reopened_in
from nodeleaklint.semantics.registrars import direct_calls, instance_registrars, registrars
from nodeleaklint.semantics.replaced import assigned_in_this_run
from nodeleaklint.semantics.roles import owns_parameter
from nodeleaklint.semantics.scopes import (
    Binding,
    BindingKind,
    CallSite,
    FunctionInfo,
    Repetition,
    nested_in,
)
from nodeleaklint.semantics.setup_reruns import SetupRerun, runs_once_per_instance, setup_rerun
from nodeleaklint.semantics.signals import signal_state
from nodeleaklint.semantics.state_guards import ready_or_wait, state_guard
from nodeleaklint.semantics.syntax import (
    FUNCTION_KINDS,
    call_arguments,
    callee_parts,
    is_function,
    is_inside,
    own_nodes,
    root_object,
    short,
    string_value,
    text,
    unwrap,
)
from nodeleaklint.semantics.teardown import reached_methods
from nodeleaklint.semantics.vocabulary import (
    APPENDING_LISTEN_METHODS,
    ENDED_EVENTS,
    ENDING_CALLS,
    EVENTS_MODULES,
    EXIT_HANDLER_REGISTRARS,
    IMPLICIT_ONCE_LISTENERS,
    LIFECYCLE_EVENTS,
    LISTEN_METHODS,
    ONCE_METHODS,
    PROCESS_ENDING_EVENTS,
    PROGRESS_EVENTS,
    RECURRING_LIFECYCLE_EVENTS,
    REMOVE_LISTENER_METHODS,
    SELF_LISTENING_METHODS,
    SOCKET_MODULES,
    TERMINATION_SIGNALS,
    TIMER_FUNCTIONS,
    WEAK_LISTENER_OPTIONS,
    may_never_fire,
)

# The methods that add a listener (made once, not per call in the loops that ask).
_ADD_METHODS = LISTEN_METHODS | ONCE_METHODS

META = RuleMeta(
    id="NLL101",
    name="unremoved-listener",
    summary="Per-call listener added to a long-lived emitter and never removed",
    fix=(
        "Keep a reference to the handler and remove it when the work ends: "
        "`emitter.off(event, handler)` in `res.on('close')` / `req.on('close')`, in a `finally`, "
        "or in a returned disposer; or pass `{ signal }` from an AbortController you abort; or "
        "listen on a per-request object instead of a process-lived one."
    ),
    severity=Severity.WARNING,
)


@record
class Handler:
    """A registered listener function: how it is shown, what it captures, its binding."""

    node: Node
    label: str
    captures: tuple[str, ...]
    binding: Binding | None


def check(ctx: RuleContext) -> Iterator[Finding]:
    model = ctx.model
    for call in model.calls_named(*sorted(LISTEN_METHODS | {"on", "once"})):
        finding = listener_finding(ctx, call)
        if finding is not None:
            yield finding
    yield from _implicit_listeners(ctx)
    yield from _self_listening_calls(ctx)
    yield from _through_registrars(ctx)
    yield from _attached_objects(ctx)


# -- listeners added through a function that registers its caller's listener ---------------
@record
class _Adds:
    """A function that adds its caller's listener to a process-lived emitter, as a call of
    it sees it: ``name(…)`` passes argument ``param`` to ``event`` listeners of ``target``
    (at ``added``); ``undoes`` says whether a local listener is handed to a counterpart
    (named ``counterparts``) that removes it."""

    name: str
    param: int
    event: str
    target: str
    added: RelatedLocation
    undoes: Callable[[Binding], bool]
    counterparts: tuple[str, ...]
    disposes: bool = False  # it returns a disposer: a caller keeping its result can remove
    # The emitter is process-lived; else it is the instance itself, which lives as long as
    # its owner keeps it (not established: medium).
    process_lived: bool = True


def _through_registrars(ctx: RuleContext) -> Iterator[Finding]:
    """``subscribe((t) => res.write(t))`` per request, where ``subscribe(fn)`` adds ``fn`` to
    a process-lived emitter: the caller owns that listener, so it is judged here, at the
    call (``semantics.registrars``; through the project view when ``subscribe`` is in
    another file)."""
    model = ctx.model
    for registrar in registrars(model):
        adds = _Adds(
            registrar.function.name or "the function",
            registrar.param,
            registrar.event,
            registrar.target,
            ctx.related(registrar.registration.node, "the listener is added here"),
            partial(_given_to_counterpart, model, registrar.counterparts),
            tuple(c.name for c in registrar.counterparts if c.name),
            registrar.disposes,
        )
        for site in direct_calls(model, registrar.function):
            if not nested_in(site.function, registrar.function):
                finding = _registrar_finding(ctx, adds, site)
                if finding is not None:
                    yield finding
    for registrar, sites in instance_registrars(model):
        added = ctx.related(registrar.registration.node, "the listener is added here")
        for site in sites:
            adds = _Adds(
                short(site.callee_text, 40),
                registrar.param,
                registrar.event,
                registrar.target,
                added,
                lambda _binding: False,
                (),
                disposes=True,
                process_lived=False,
            )
            finding = _registrar_finding(ctx, adds, site)
            if finding is not None:
                yield finding
    yield from _exit_hook_registrations(ctx)
    imported = model.imported_registrars
    for call in model.calls if imported else ():
        fact = imported.get(text(unwrap(call.callee))) if not call.is_new else None
        if fact is None:
            continue
        param, event, target, line, where, counterparts, disposes = fact
        added = RelatedLocation(Span(line, 1, line, 1), "the listener is added here", where)
        undoes = partial(_handed_to_call, model, frozenset(counterparts))
        name = text(unwrap(call.callee))
        adds = _Adds(name, param, event, target, added, undoes, counterparts, disposes)
        finding = _registrar_finding(ctx, adds, call)
        if finding is not None:
            yield finding


def _exit_hook_registrations(ctx: RuleContext) -> Iterator[Finding]:
    """``onExit(() => cleanSync(req.files))`` per request (``signal-exit``, ``exit-hook``:
    ``vocabulary.EXIT_HANDLER_REGISTRARS``): the library adds the callback to the process's
    exit handlers and returns the remover; dropped, the handler stays until the process ends,
    one more per request (judged like any registrar's call)."""
    model = ctx.model
    # A binding's module is the text of a string literal of the file: a file that never
    # spells one of these modules loads none (found without going through every binding).
    if not any(module.encode() in model.source.data for module in EXIT_HANDLER_REGISTRARS):
        return
    if not any(b.module_source in EXIT_HANDLER_REGISTRARS for b in model.bindings):
        return  # nothing here loads such a library: no call to look at
    for call in model.calls:
        if call.is_new or not call.args:
            continue
        origin = origin_of(model, call.callee)
        if origin is None:
            continue
        exports = EXIT_HANDLER_REGISTRARS.get(origin.module)
        if exports is None or origin.export not in exports:
            continue
        callee = unwrap(call.callee)
        binding = (
            model.binding_of(callee) if callee is not None and callee.type == "identifier" else None
        )
        imported_at = binding.node if binding is not None else call.node
        adds = _Adds(
            short(text(callee)),
            0,
            "exit",
            f"the process (through `{origin.module}`)",
            ctx.related(imported_at, f"`{origin.module}` adds process exit handlers"),
            lambda _binding: False,
            (),
            disposes=True,
        )
        finding = _registrar_finding(ctx, adds, call)
        if finding is not None:
            yield finding


def _registrar_finding(ctx: RuleContext, adds: _Adds, site: CallSite) -> Finding | None:
    model = ctx.model
    caller = site.function
    if caller is None or caller.repetition is not Repetition.REPEATING:
        return None
    if adds.param >= len(site.args) or (adds.disposes and _result_kept(site.node, model)):
        return None
    listener = unwrap(site.args[adds.param])
    if listener is None:
        return None
    if not is_function(listener):
        binding = model.binding_of(listener) if listener.type == "identifier" else None
        if binding is None or not _made_per_run(binding, caller) or adds.undoes(binding):
            return None
    shown = f"`{adds.name}(…)`"
    per = per_word(caller)
    headline = fit(
        f"{shown} adds a new listener to {adds.target} that nothing removes, one more {per}",
        f"{shown} adds a listener that nothing removes, one more {per}",
    )
    undo = ", ".join(f"`{name}`" for name in adds.counterparts)
    if adds.disposes:
        removed = "the function it returns to remove it is dropped"
    else:
        removed = f"it is never given to {undo}" if undo else "nothing in view removes it"
    notes = [
        sentence(
            f"`{adds.name}` adds its listener to the `'{adds.event}'` listeners of "
            f"{adds.target}; this call gives it a new function each time "
            f"{caller.describe()} runs, and {removed}"
        )
    ]
    evidence = Evidence(
        repetition=repetition_certainty(model, site), holder=certainty(adds.process_lived)
    )
    return ctx.finding(
        site.node,
        headline,
        confidence=confidence_of(evidence),
        related=[adds.added],
        notes=notes,
    )


def _handed_to_call(model: SemanticModel, callees: frozenset[str], binding: Binding) -> bool:
    """Whether ``binding`` is an argument of a call of one of ``callees`` (as called)."""
    return any(
        text(unwrap(call.callee)) in callees and _passes(model, call, binding)
        for call in model.calls
    )


def _passes(model: SemanticModel, call: CallSite, binding: Binding) -> bool:
    """Whether ``call`` is given ``binding`` as one of its arguments."""
    for argument in call.args:
        node = unwrap(argument)
        if node is not None and node.type == "identifier" and model.binding_of(node) is binding:
            return True
    return False


def _made_per_run(binding: Binding, caller: FunctionInfo) -> bool:
    """A local of ``caller`` (or of a function inside it) holding a function made there, or
    the ``resolve`` / ``reject`` a ``new Promise`` hands its executor (new per promise)."""
    function = binding.scope.function
    init = unwrap(binding.init)
    if binding.kind is BindingKind.PARAM and function is not None and nested_in(function, caller):
        return function.is_promise_executor
    return (
        function is not None
        and nested_in(function, caller)
        and binding.kind is not BindingKind.PARAM
        and not binding.is_reassigned
        and is_function(init)
    )


def _given_to_counterpart(
    model: SemanticModel, counterparts: tuple[FunctionInfo, ...], binding: Binding
) -> bool:
    """Whether the listener is handed to one of the registrar's counterparts anywhere."""
    return any(
        _passes(model, call, binding)
        for counterpart in counterparts
        for call in direct_calls(model, counterpart)
    )


# -- listeners Node adds for a callback argument --------------------------------------------
def _implicit_listeners(ctx: RuleContext) -> Iterator[Finding]:
    """Listeners Node adds for a callback argument (``IMPLICIT_ONCE_LISTENERS``):
    ``this.socket.connect(port, host, cb)`` in a method the instance runs again to reconnect
    (from a timer or its socket's ``'close'`` / ``'error'`` handler) adds ``once('connect',
    cb)`` to the reused socket on every attempt, and while the peer is unreachable
    ``'connect'`` never fires; ``req.socket.setTimeout(ms, cb)`` per request adds
    ``once('timeout', cb)`` to a keep-alive socket that serves many requests."""
    model = ctx.model
    for method, event in sorted(IMPLICIT_ONCE_LISTENERS.items()):
        for call in model.calls_named(method):
            function = call.function
            if call.is_new or call.obj is None or function is None or len(call.args) < 2:
                continue
            given = unwrap(call.args[-1])
            callback = _callback_function(model, given)
            if given is None or callback is None:
                continue
            target = _target(call.obj)
            if target is None or assigned_in_this_run(model, function, target):
                continue  # a new socket per attempt takes its listeners with it
            holder = model.lifetime_of(target)
            if holder.lifetime is Lifetime.PER_CALL:
                continue
            if listener_removals(model, target, event, given):
                continue  # ``req.on('close', () => socket.removeListener('timeout', cb))``
            captures = _captures(model, callback, _root_binding(model, target))
            kept = f"the callback and {_names(captures)}" if captures else "the callback"
            shown = f"`{short(call.callee_text, 40)}(…, callback)`"
            # A function handed a request runs once per request it is handed, whatever
            # calls it: only code known to run once leaves one listener on the socket.
            if _is_keep_alive(target, holder) and function.repetition is not Repetition.ONCE:
                stays = f"until `'{event}'`, one more listener {per_word(function)}"
                yield ctx.finding(
                    call.node,
                    fit(
                        f"{shown} leaves its callback on {holder.description} {stays}",
                        f"{shown} leaves its callback on the keep-alive socket {stays}",
                        f"This callback stays on the keep-alive socket {stays}",
                    ),
                    confidence=Confidence.MEDIUM,
                    related=_related(ctx, holder),
                    notes=[
                        sentence(
                            f"{shown} adds its callback as a `once('{event}')` listener on "
                            f"{holder.description}"
                        ),
                        sentence(
                            f"Until that socket emits `'{event}'`, {kept} "
                            f"{'stay' if captures else 'stays'} on it, one more listener each "
                            f"time {function.describe()} runs"
                        ),
                    ],
                )
                continue
            if not _holds_a_socket(model, target):
                continue
            again = _retried(model, function, target)
            if again is None:
                continue
            socket = f"`{short(text(target), 40)}`"
            yield ctx.finding(
                call.node,
                fit(
                    f"{shown} leaves one more `once('{event}')` listener on {socket} each time "
                    f"{function.display()} retries",
                    f"Each retry of {function.display()} leaves one more `once('{event}')` "
                    "listener on the socket",
                    "Each retry leaves one more listener on the socket",
                ),
                confidence=Confidence.MEDIUM,
                notes=[
                    sentence(
                        f"{shown} adds its callback as a `once('{event}')` listener on {socket}, "
                        f"and {function.display()} runs again on the same socket ({again})"
                    ),
                    sentence(
                        f"While the peer is unreachable `'{event}'` never fires, so each attempt "
                        f"leaves one more listener ({kept}) on the socket"
                    ),
                ],
            )


def _callback_function(model: SemanticModel, node: Node | None) -> Node | None:
    """The function a callback argument is: written in place, or a local bound to one
    (``const onTimeout = () => …; socket.setTimeout(ms, onTimeout)``)."""
    if node is not None and is_function(node):
        return node
    if node is None or node.type != "identifier":
        return None
    binding = model.binding_of(node)
    if binding is None or binding.kind is BindingKind.PARAM:
        return None
    value = unwrap(binding.init)
    return value if value is not None and is_function(value) else None


def _self_listening_calls(ctx: RuleContext) -> Iterator[Finding]:
    """``form.parse(req, cb)`` per request on one formidable form (``SELF_LISTENING_METHODS``):
    the library adds its listeners to the form on every call and never removes them, so a
    form made once — at module level, or in a factory whose returned handler runs per
    request — keeps every call's callbacks and what they hold (the request)."""
    model = ctx.model
    methods = {m for table in SELF_LISTENING_METHODS.values() for m in table}
    for call in model.calls_named(*sorted(methods)):
        function = call.function
        target = unwrap(call.obj)
        if call.is_new or function is None or target is None or target.type != "identifier":
            continue
        if function.repetition is not Repetition.REPEATING or not _given_work(call):
            continue
        binding = model.binding_of(target)
        events = _library_events(model, binding, call.name) if binding is not None else None
        if binding is None or events is None or not _shared_by_runs(binding, function):
            continue
        shown = f"`{short(call.display(40), 48)}`"
        quoted = [f"`'{e}'`" for e in events]
        named = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"
        made = (
            "at module level"
            if binding.scope.is_module
            else f"once in {binding.scope.function.display()}"
            if binding.scope.function is not None
            else "outside this function"
        )
        yield ctx.finding(
            call.node,
            fit(
                f"{shown} adds {len(events)} listeners to the shared `{binding.name}` on every "
                f"call, one more set {per_word(function)}",
                f"{shown} adds listeners to `{binding.name}` on every call, one more set "
                f"{per_word(function)}",
                f"This call adds listeners to a shared object, one more set {per_word(function)}",
            ),
            confidence=Confidence.MEDIUM,
            related=[ctx.related(binding.node, f"`{binding.name}` is made here")],
            notes=[
                sentence(
                    f"`{call.name}` adds {named} listeners to `{binding.name}` itself each time "
                    "it is called, and nothing removes them"
                ),
                sentence(
                    f"`{binding.name}` is made {made} and shared by every run of "
                    f"{function.describe()}, so it keeps each run's callbacks and what they "
                    "hold; make one per call instead"
                ),
            ],
        )


# -- objects attached to a library object that keeps them ------------------------------------
def _attached_objects(ctx: RuleContext) -> Iterator[Finding]:
    """``logger.child(meta).add(new ArrayTransport(logs))`` per call on a winston logger made
    once (``semantics.attachments``): the logger keeps every transport added to it (a child
    shares its parent's) until ``remove(transport)``, so each run leaves one more transport,
    and what it holds, on the shared logger. Only in code that repeats, or that makes a
    child per run (a child is made per operation: its author meant the transport to be the
    operation's); only when the object is new per run and nothing takes it back."""
    model = ctx.model
    for attachment in attachments(model):
        call = attachment.call
        function = call.function
        if function is None or function.repetition is Repetition.ONCE:
            continue
        through = attachment.shared_through
        if function.repetition is not Repetition.REPEATING and through is None:
            continue
        root = attachment.root
        if root is not None and not _shared_by_runs(root, function):
            continue
        if not _new_per_run(model, attachment.added, function) or taken_back(model, attachment):
            continue
        yield _attachment_finding(ctx, attachment, function)


def _new_per_run(model: SemanticModel, added: Node, function: FunctionInfo) -> bool:
    """``new X(…)`` inline, or a local of ``function`` holding one (not reassigned)."""
    if added.type == "new_expression":
        return True
    binding = model.binding_of(added) if added.type == "identifier" else None
    if binding is None or binding.is_reassigned or binding.scope.function is not function:
        return False
    init = unwrap(binding.init)
    return init is not None and init.type == "new_expression"


def _attachment_finding(
    ctx: RuleContext, attachment: Attachment, function: FunctionInfo
) -> Finding:
    library = attachment.library
    root = attachment.root
    holder = (
        f"the {library.holder} `{root.name}`"
        if root is not None
        else f"`{attachment.module}`'s default {library.holder}"
    )
    shown = f"`{short(attachment.call.display(40), 48)}`"
    per = per_word(function)
    item = library.added
    elsewhere = removed_elsewhere(ctx.model, attachment)
    nothing = "nothing in view does it through the child" if elsewhere else "nothing in view does"
    notes = [
        sentence(
            f"{shown} adds a new {item} to {holder}, which keeps it (and what it holds) until "
            f"`{library.removes_shown}` takes it back; {nothing}, so each time "
            f"{function.describe()} runs one more {item} stays"
        )
    ]
    if attachment.shared_through is not None:
        notes.append(
            sentence(
                f"`{short(text(attachment.shared_through), 40)}` makes a child that shares the "
                f"{item}s of its parent, so the {item} lands on {holder}, not on the child"
            )
        )
    if elsewhere:
        removal = elsewhere[0]
        notes.append(
            sentence(
                f"`{short(removal.display(40), 48)}` on line {removal.node.start_point[0] + 1} "
                f"takes it off another logger than the child that added it: the pipe's "
                f"`'data'` listener stays on {holder}, holding the {item}; remove it through "
                "the child"
            )
        )
    made = (
        f"`{root.name}` is imported here: another file makes it with `{attachment.module}`"
        if root is not None and root.module_source is not None
        else f"`{root.name}` is made here"
        if root is not None
        else ""
    )
    related = [ctx.related(root.node, made)] if root is not None else []
    return ctx.finding(
        attachment.call.node,
        fit(
            f"{shown} adds a {item} to {holder} that nothing removes, one more {per}",
            f"{shown} adds a {item} that nothing removes, one more {per}",
            f"This {item} is never removed, one more {per}",
        ),
        confidence=Confidence.MEDIUM,
        related=related,
        notes=notes,
        fix=(
            f"Keep the {item} and take it back when the work ends (`{library.removes_shown}` "
            f"on the {library.holder} it was added to, in a `finally`), or collect the work's "
            f"records another way (a per-operation {library.holder} with its own {item}s, or "
            f"the {item}'s own filter)."
        ),
    )


def _given_work(call: CallSite) -> bool:
    """The call is given a callback, or its promise is awaited (a library that adds its
    listeners only for one of the two forms adds them for that one)."""
    last = unwrap(call.args[-1]) if call.args else None
    if last is not None and is_function(last):
        return True
    parent = call.node.parent
    return parent is not None and parent.type == "await_expression"


def _library_events(model: SemanticModel, binding: Binding, method: str) -> tuple[str, ...] | None:
    """The events ``method`` adds to the object ``binding`` holds, when a library of
    ``SELF_LISTENING_METHODS`` made it (``new formidable.IncomingForm()``, ``formidable()``)."""
    if binding.is_reassigned:
        return None
    init = unwrap(binding.init)
    origin = callee_origin(model, init) if init is not None else None
    if origin is None:
        return None
    table = SELF_LISTENING_METHODS.get(origin.module)
    return table.get(method) if table is not None else None


def _shared_by_runs(binding: Binding, function: FunctionInfo) -> bool:
    """``binding`` is made outside ``function`` and lives on between its runs: at module
    level, or in a function around it (a factory whose returned handler runs per request)."""
    if binding.scope.is_module:
        return True
    owner = binding.scope.function
    return owner is not None and owner is not function and nested_in(function, owner)


def _is_keep_alive(target: Node, holder: Holder) -> bool:
    """``req.socket`` / ``req.connection`` of a request handler: one socket, many requests."""
    return (
        holder.lifetime is Lifetime.PROCESS
        and target.type == "member_expression"
        and text(target.child_by_field_name("property")) in KEEP_ALIVE_PROPERTIES
    )


def _holds_a_socket(model: SemanticModel, target: Node) -> bool:
    """The target is assigned a socket (``new Socket()`` from ``net`` / ``tls``, or
    ``net.connect(…)``): a field initialiser, an assignment, or a binding's initialiser."""
    values: list[Node | None] = []
    root = root_object(target)
    if target.type == "identifier":
        binding = model.binding_of(target)
        if binding is not None:
            values.append(binding.init)
    if root is not None and root.type == "this" and target.type == "member_expression":
        owner = model.this_function(root)
        name = text(target.child_by_field_name("property"))
        if owner is not None and owner.class_node is not None:
            values.extend(_field_initialisers(owner.class_node, name))
    for assignment in model.assignments:
        if assignment.type == "assignment_expression" and same_location(
            model, assignment.child_by_field_name("left"), target
        ):
            values.append(assignment.child_by_field_name("right"))
    return any(_is_socket_value(model, value) for value in values)


def _field_initialisers(class_node: Node, name: str) -> list[Node | None]:
    body = class_node.child_by_field_name("body")
    found: list[Node | None] = []
    for member in body.named_children if body is not None else []:
        if member.type not in ("field_definition", "public_field_definition"):
            continue
        key = member.child_by_field_name("property") or member.child_by_field_name("name")
        if text(key) == name:
            found.append(member.child_by_field_name("value"))
    return found


def _is_socket_value(model: SemanticModel, value: Node | None) -> bool:
    value = unwrap(value)
    if value is None or value.type not in ("new_expression", "call_expression"):
        return False
    callee = unwrap(
        value.child_by_field_name("constructor" if value.type == "new_expression" else "function")
    )
    if callee is None:
        return False
    if value.type == "new_expression":
        name = (
            text(callee.child_by_field_name("property"))
            if callee.type == "member_expression"
            else text(callee)
        )
        if name not in ("Socket", "TLSSocket"):
            return False
    elif callee.type != "member_expression" or text(callee.child_by_field_name("property")) not in (
        "connect",
        "createConnection",
    ):
        return False
    module = callee.child_by_field_name("object") if callee.type == "member_expression" else callee
    binding = value_binding(model, module)
    return binding is not None and binding.module_source in SOCKET_MODULES


def _retried(model: SemanticModel, function: FunctionInfo, target: Node) -> str | None:
    """Where the instance (or module) runs ``function`` again for the same socket: a call of
    it from a timer callback or from a ``'close'`` / ``'error'`` / ``'end'`` handler."""
    method = _method_of(model, function)
    name = function.name
    if name is None:
        return None
    for site in model.calls_named(name):
        if site.is_new or site.function is None or site.node.id == function.node.id:
            continue
        if method is not None and method.class_node is not None:
            if not model.is_this(site.obj) or not model.in_class(site.node, method.class_node):
                continue
        elif site.obj is not None:
            continue
        current: FunctionInfo | None = site.function
        while current is not None and current is not method:
            registration = current.callback_of
            if registration is not None:
                event = string_value(registration.args[0]) if registration.args else None
                if registration.name in ("setInterval", "setTimeout"):
                    return f"called from a `{registration.name}` callback"
                if registration.name in LISTEN_METHODS and event in ("close", "error", "end"):
                    return f"called from the `'{event}'` handler"
            current = current.parent
    return None


def listener_finding(ctx: RuleContext, call: CallSite) -> Finding | None:
    """The finding for one listener registration, or None when it is released or harmless.

    Other rules call this to leave a registration to NLL101 (one site, one finding).
    """
    model = ctx.model
    if call.is_new or call.function is None or len(call.args) < 2:
        return None
    if call.obj is None:
        bare = call.name in ("on", "once") and _is_events_module(model, call.callee)
        return _check_events_helper(ctx, call) if bare else None
    if call.name not in LISTEN_METHODS:
        return None
    if _is_events_module(model, call.obj):
        return _check_events_helper(ctx, call) if call.name in ("on", "once") else None
    return _check_registration(ctx, call)


# -- registrations ------------------------------------------------------------------------
def _check_registration(ctx: RuleContext, call: CallSite) -> Finding | None:
    model = ctx.model
    function = call.function
    assert function is not None
    event, options = call.args[0], call.args[2] if len(call.args) > 2 else None
    target = _target(call.obj)
    if target is None:
        return None
    holder = model.lifetime_of(target)
    if holder.lifetime is Lifetime.PER_CALL:
        return None
    notes: list[str] = []
    event_name = string_value(event)
    once = call.name in ONCE_METHODS or _is_true(_option(options, "once"))
    rival = _unremoved_rival(model, call, target) if once else None
    if rival is not None:
        this_handler = unwrap(call.args[1])
        mutual = this_handler is not None and not _removes(model, this_handler, target, rival)
        if mutual and rival.node.start_byte < call.node.start_byte:
            return None  # neither removes the other: the first of the pair reports both
        return _alternative_finding(ctx, call, target, rival, mutual)
    if once and not may_never_fire(event_name):
        forgotten = _forgotten_once(model, call, target, event_name)
        once_handler = _handler(model, call.args[1], target) if forgotten else None
        if once_handler is None or _removed(model, call, target, event, once_handler):
            return None
        return _partial_finding(ctx, call, target, once_handler, forgotten, once=True)
    handler = _handler(model, call.args[1], target)
    if handler is None:
        return _readded_finding(ctx, call, target, holder)
    if _forwards_a_callers_listener(model, call, function):
        return None
    judged = _judge_context(model, call, function, target, holder, handler, event_name)
    if judged is None:
        # No lifetime evidence — but the code's own cleanup may say the target outlives this.
        if once:
            return None
        if _removed(model, call, target, event, handler):
            return _one_path_finding(ctx, call, target, event, handler)
        mismatched = _mismatched(model, call, target, handler)
        if mismatched:
            return _mismatch_finding(ctx, call, target, handler, mismatched)
        removed_others = _partial_cleanup(model, call, target)
        if not removed_others:
            return None
        return _partial_finding(ctx, call, target, handler, removed_others)
    evidence, holder = judged
    confidence = confidence_of(evidence)
    if once:
        if holder.lifetime is not Lifetime.PROCESS and event_name != "abort":
            return None  # `once` on an object that dies with the work is cleanup enough
        if event_name in ENDED_EVENTS and _ended_here(model, call, target):
            return None  # the code ends the target itself: the event fires, `once` removes it
        notes.append(f"`once` does not help: `'{event_name}'` may never fire")
    if _guarded(model, call, target) or _weak_listener(model, options):
        return None
    if state_guard(model, call.node, target, event_name, function.node) is not None:
        return None  # added only while the target is in a state the event ends: once
    if _removed(model, call, target, event, handler):
        return _one_path_finding(ctx, call, target, event, handler)
    if event_name in LIFECYCLE_EVENTS and holder.lifetime is Lifetime.INSTANCE:
        # The instance's own socket: when the code removes its other listeners, say so.
        removed_others = _partial_cleanup(model, call, target)
        if removed_others:
            return _partial_finding(ctx, call, target, handler, removed_others)
    rerun = (
        _setup_run_again(model, call, _holding_method(model, holder, target), target)
        if holder.lifetime is Lifetime.INSTANCE
        else None
    )
    if rerun is not None:
        notes.append(
            f"{rerun.setup.display()} runs when the instance is made (line "
            f"{rerun.made.start_point[0] + 1}) and again each time {rerun.caller.display()} calls "
            f"it (line {rerun.again.start_point[0] + 1}), on the same instance"
        )
    if event_name not in RECURRING_LIFECYCLE_EVENTS and event_name in LIFECYCLE_EVENTS:
        reopening = reopened_in(model, target, function)
        if reopening is not None:
            notes.append(
                f"`{reopening.display()}` on line {reopening.node.start_point[0] + 1} "
                f"opens the same connection again on every call, so `'{event_name}'` fires again "
                "and every earlier call's listener is still there"
            )
    signal = _option(options, "signal")
    if signal is not None:
        state = signal_state(model, signal)
        if state.aborted:
            return None
        notes.append(
            f"its `{{ signal }}` comes from `{text(state.controller)}`, an AbortController that is "
            "never aborted, so it removes nothing"
        )
    mismatched = _meant_for(model, call, mismatched_removals(model, target, event, handler.node))
    for removal, why in mismatched[:1]:
        notes.append(
            f"`{_removal_text(removal)}` on line {removal.node.start_point[0] + 1} removes "
            f"nothing: {why}"
        )
    captured = f" capturing {_names(handler.captures)}" if handler.captures else ""
    kept = f"the handler and {_names(handler.captures)}" if handler.captures else "the handler"
    shown = f"`{_display(call, target)}`"
    per = per_word(function) if rerun is None else f"each time {rerun.caller.display()} runs"
    adds = f"{shown} adds {handler.label}{captured} to {holder.description}"
    variants = (
        f"{adds}, never removed, one more listener {per}",
        f"{shown} adds {handler.label}{captured} that nothing removes, one more listener {per}",
        f"{shown} adds a listener that nothing removes, one more {per}",
        f"This listener is never removed, one more {per}",
    )
    chosen = fit_choice(*variants)
    headline = variants[chosen]
    keeps = (
        f"{_short_holder(holder)} keeps {kept} alive, one more listener each time "
        f"{function.describe()} runs"
    )
    # Only the first headline says what is added to what; the note says it otherwise.
    explained = [sentence(keeps if chosen == 0 else f"{adds}; {keeps}")]
    explained += [sentence(note) for note in notes]
    related = _related(ctx, holder)
    related += [ctx.related(r.node, "this removal removes nothing") for r, _ in mismatched[:2]]
    if rerun is not None:
        related += [
            ctx.related(step, "called here on every run of the setup") for step in rerun.steps
        ]
        related.append(ctx.related(rerun.again, f"{rerun.caller.display()} runs the setup again"))
    return ctx.finding(call.node, headline, confidence=confidence, related=related, notes=explained)


def _mismatched(
    model: SemanticModel, call: CallSite, target: Node, handler: Handler
) -> list[tuple[CallSite, str]]:
    """Removals for this event on this target that cannot remove this handler, when nothing
    else judges the target: the author meant to remove the listener, so the target outlives
    the run (the same evidence as partial cleanup)."""
    function = call.function
    if function is None or function.repetition is Repetition.ONCE or model.is_this(target):
        return []
    if assigned_in_this_run(model, function, target) or _guarded(model, call, target):
        return []
    return _meant_for(model, call, mismatched_removals(model, target, call.args[0], handler.node))


def _meant_for(
    model: SemanticModel, call: CallSite, removals: list[tuple[CallSite, str]]
) -> list[tuple[CallSite, str]]:
    """The removals that can be meant for this registration: in the class whose method
    registers it (a ``destroy()`` for a ``start()``), else in the outermost function around
    it (the run, its callbacks, its disposers). A removal in unrelated code is not evidence,
    nor is one that names the function another registration binds (``off('u', this.onU)``
    is meant for ``on('u', this.onU.bind(this))``, not for an inline handler beside it)."""
    function = call.function
    method = _method_of(model, function) if function is not None else None
    region: Node | None = method.class_node if method is not None else None
    if region is None:
        outermost = function
        while outermost is not None and outermost.parent is not None:
            outermost = outermost.parent
        region = outermost.node if outermost is not None else None
    if region is None:
        return []
    own = _bound_function(call.args[1])
    found: list[tuple[CallSite, str]] = []
    for removal, why in removals:
        inside = (
            model.in_class(removal.node, region)
            if method is not None
            else is_inside(removal.node, region)
        )
        if not inside or _bound_by_another(model, call, removal):
            continue
        if own is not None and same_location(model, removal.args[1], own):
            why = (
                f"the listener is `{short(text(call.args[1]), 40)}`, a new function that "
                f"`.bind` made; `{short(text(own), 40)}` itself was never registered"
            )
        found.append((removal, why))
    return found


def _bound_function(handler: Node | None) -> Node | None:
    """``this.onU`` for ``this.onU.bind(this)``, else None."""
    node = unwrap(handler)
    if node is None or node.type != "call_expression":
        return None
    callee = unwrap(node.child_by_field_name("function"))
    if callee is None or callee.type != "member_expression":
        return None
    if text(callee.child_by_field_name("property")) != "bind":
        return None
    return unwrap(callee.child_by_field_name("object"))


def _bound_by_another(model: SemanticModel, call: CallSite, removal: CallSite) -> bool:
    """Another registration of the same event on the same target binds the function the
    removal names: the removal was written for that one."""
    for other in model.calls_named(*LISTEN_METHODS):
        if other is call or other.obj is None or len(other.args) < 2:
            continue
        if not same_event(other.args[0], call.args[0]):
            continue
        if not same_location(model, other.obj, removal.obj):
            continue
        bound = _bound_function(other.args[1])
        if bound is not None and same_location(model, removal.args[1], bound):
            return True
    return False


def _mismatch_finding(
    ctx: RuleContext,
    call: CallSite,
    target: Node,
    handler: Handler,
    mismatched: list[tuple[CallSite, str]],
) -> Finding:
    function = call.function
    assert function is not None
    removal, why = mismatched[0]
    shown = f"`{_display(call, target)}`"
    owner = f"`{short(text(target), 40)}`"
    stays = f"its removal removes nothing, one more listener {per_word(function)}"
    headline = fit(
        f"{shown} stays on {owner}: {stays}",
        f"{shown} stays: {stays}",
        f"This listener stays: {stays}",
    )
    notes = [
        sentence(
            f"{shown} adds {handler.label}, and the removal meant for it, "
            f"`{_removal_text(removal)}` on line {removal.node.start_point[0] + 1}, removes "
            f"nothing ({why})"
        ),
        sentence(
            f"The registered listener stays on {owner} with "
            f"{_names(handler.captures) if handler.captures else 'what it captures'}, one more "
            f"each time {function.describe()} runs"
        ),
    ]
    related = [ctx.related(r.node, "this removal removes nothing") for r, _ in mismatched[:2]]
    return ctx.finding(
        call.node, headline, confidence=Confidence.MEDIUM, related=related, notes=notes
    )


def _partial_cleanup(model: SemanticModel, call: CallSite, target: Node) -> list[CallSite]:
    """Removals of *other* listeners that this same run added to the same target (or a part
    of it) alongside this one: the code's own cleanup says the target outlives the run (SPEC
    §1), so a sibling listener that nothing removes is left behind on it. A listener swapped
    in for a removed one (a handshake's ``'error'`` replaced by the session's) is not a
    sibling: it is added elsewhere, usually inside the completion handler."""
    function = None if model.is_this(target) else _outliving_run(model, call, target)
    return [] if function is None else _sibling_removals(model, call, function, target)


def _outliving_run(model: SemanticModel, call: CallSite, target: Node) -> FunctionInfo | None:
    """The run that adds ``call``'s listener, when it repeats and ``target`` is not made
    for it (neither a per-call object nor one this run assigns)."""
    function = call.function
    if function is None or function.repetition is Repetition.ONCE:
        return None
    if model.lifetime_of(target).lifetime is Lifetime.PER_CALL:
        return None
    return None if assigned_in_this_run(model, function, target) else function


def _forgotten_once(
    model: SemanticModel, call: CallSite, target: Node, event: str | None
) -> list[CallSite]:
    """The removals a run's own cleanup makes of the other listeners it added to ``target``
    when that cleanup forgets this ``once`` listener: the work ends (the stream's ``'close'``
    handler removes its ``'_update'`` listener from the shared object) and the ``once`` stays
    until its own event fires, which the cleanup does not wait for (SPEC §1 *The code's own
    cleanup is evidence*). The target may be the instance itself when the method runs per
    call (not its constructor). Cleanup that runs on this listener's own event, or inside it,
    proves nothing: the ``once`` goes at the same moment."""
    function = _outliving_run(model, call, target)
    if function is None:
        return []
    method = _method_of(model, function)
    if method is not None and method.method_kind == "constructor":
        return []
    return [
        removal
        for removal in _sibling_removals(model, call, function, target)
        if is_inside(removal.node, function.node)
        and not _runs_on_event(model, removal, call, target, event)
    ]


def _runs_on_event(
    model: SemanticModel, removal: CallSite, call: CallSite, target: Node, event: str | None
) -> bool:
    """Whether ``removal`` sits in ``call``'s own handler, or in a listener for the same
    event on the same target."""
    handler = unwrap(call.args[1])
    if handler is not None and is_inside(removal.node, handler):
        return True
    around = model.enclosing_function(removal.node)
    while around is not None and around is not call.function:
        registration = around.callback_of
        if (
            registration is not None
            and registration.name in _ADD_METHODS
            and registration.args
            and (event is None or string_value(registration.args[0]) == event)
            and _same_target(model, _target(registration.obj), target)
        ):
            return True
        around = around.parent
    return False


def _sibling_removals(
    model: SemanticModel, call: CallSite, function: FunctionInfo, target: Node
) -> list[CallSite]:
    """Removals of the other listeners ``function`` adds to ``target`` beside ``call``."""
    siblings = [
        other
        for other in function.calls
        if other is not call
        and other.name in _ADD_METHODS
        and len(other.args) >= 2
        and _same_target(model, _target(other.obj), target)
    ]
    found: list[CallSite] = []
    if not siblings:
        return found  # a removal counts only when it matches a sibling
    for removal in model.calls_named(*REMOVE_LISTENER_METHODS):
        if removal.obj is None or len(removal.args) < 2:
            continue
        if not _same_target(model, _target(removal.obj), target):
            continue
        if any(
            same_event(removal.args[0], sibling.args[0])
            and same_handler(model, removal.args[1], sibling.args[1])
            for sibling in siblings
        ):
            found.append(removal)
    return found


def _removal_text(removal: CallSite) -> str:
    """``feed.off('update', this.onUpdate.bind(this))``, shortened."""
    args = ", ".join(short(text(arg), 36) for arg in removal.args[:2])
    return f"{short(removal.callee_text, 40)}({args})"


def _one_path_finding(
    ctx: RuleContext, call: CallSite, target: Node, event: Node, handler: Handler
) -> Finding | None:
    """A listener whose removals all run from other listeners of the same run (``'error'``,
    ``'stream'``), while that run also waits for another way the work can end (``'directory'``)
    that does not remove it: on that way out the listener stays (SPEC §1 *Cleanup is
    verified*: a removal counts only on the paths where the work ends). The removal itself says
    the target outlives the run, so no lifetime guess is needed."""
    model = ctx.model
    function = call.function
    if function is None or function.repetition is Repetition.ONCE or model.is_this(target):
        return None
    if assigned_in_this_run(model, function, target) or _guarded(model, call, target):
        return None
    if all_listener_removals(model, target, event, _cleanup_region(model, call, target)):
        return None
    if _result_kept(call.node) or (
        handler.binding is not None and _handler_escapes(model, handler.binding)
    ):
        return None
    removals = listener_removals(model, target, event, handler.node)
    triggers: list[CallSite] = []
    branches: list[tuple[CallSite, Node]] = []
    for removal in removals:
        found = removal_triggers(model, removal.node, function)
        branch = error_branch(model, removal.node, function) if found is None else None
        if found is None and branch is None:
            return None
        if branch is not None:
            branches.append((removal, branch))
        triggers.extend(found or [])
    if branches:
        if triggers:
            return None
        return _error_only_finding(ctx, call, target, handler, branches)
    if any(_self_removal(model, call, target, t) for t in triggers):
        tests = [matching_condition(model, r.node, call.args[1]) for r in removals]
        if removals and all(t is call for t in triggers) and all(tests):
            return _matching_only_finding(ctx, call, target, handler, removals, tests)
        return None  # it removes itself when its own event fires: ``once`` by hand
    gaps = _unremoved_endings(model, call, triggers)
    if not removals or not gaps:
        return None
    own = string_value(call.args[0])
    others = [
        t
        for t in triggers
        if not (same_location(model, t.obj, target) and string_value(t.args[0]) == own)
    ]
    shown = f"`{_display(call, target)}`"
    owner = f"`{short(text(target), 40)}`"
    more = f"one more listener {per_word(function)}"
    headline = fit(
        f"{shown} stays on {owner} when {_events_phrase(gaps)}, {more}",
        f"{shown} is removed on some ways out only, {more}",
        f"This listener is removed on some ways out only, {more}",
    )
    notes = [
        sentence(
            f"{shown} adds {handler.label} that is removed only when "
            f"{_events_phrase(others or triggers)}, not when {_events_phrase(gaps)}"
        ),
        sentence(
            f"On that way out {owner} keeps the handler"
            f"{' and ' + _names(handler.captures) if handler.captures else ''} alive, one more "
            f"listener each time {function.describe()} runs"
        ),
    ]
    related = [ctx.related(r.node, "removed here, only on that path") for r in removals[:2]]
    related += [ctx.related(g.node, "this way the work ends does not remove it") for g in gaps[:2]]
    return ctx.finding(
        call.node, headline, confidence=Confidence.MEDIUM, related=related, notes=notes
    )


def _module_function(model: SemanticModel, node: Node | None) -> Binding | None:
    """The module-level function ``node`` names (``function onReload() {…}`` or ``const
    onReload = () => …`` at the top level), else None."""
    binding = value_binding(model, node)
    if binding is None or not binding.scope.is_module or binding.is_reassigned:
        return None
    if binding.function is not None or is_function(unwrap(binding.init)):
        return binding
    return None


def _readded_finding(
    ctx: RuleContext, call: CallSite, target: Node, holder: Holder
) -> Finding | None:
    """``process.on('reload', onReload)`` per request, with ``onReload`` a module-level
    function: an EventEmitter does not de-duplicate, so each run appends the same function
    once more — the list grows by one per run and the function runs once more per event.
    Reported when the run is seen to repeat (per request, event or loop turn) on a
    process-lived emitter that never loses that function (medium)."""
    model = ctx.model
    function = call.function
    binding = _module_function(model, call.args[1])
    if binding is None or function is None or call.name not in APPENDING_LISTEN_METHODS:
        return None
    if len(call.args) > 2 and _option(call.args[2], "signal") is not None:
        return None  # its `{ signal }` is judged on its own (NLL602: a controller never aborted)
    if holder.lifetime is not Lifetime.PROCESS:
        return None
    if repetition_certainty(model, call) is not ESTABLISHED:
        return None
    event = call.args[0]
    if listener_removals(model, target, event, call.args[1]) or all_listener_removals(
        model, target, event
    ):
        return None
    if _guarded(model, call, target) or _replaces_listener(model, call, target):
        return None
    shown = f"`{_display(call, target)}`"
    per = per_word(function)
    headline = fit(
        f"{shown} adds `{binding.name}` again each time, one more copy {per}",
        f"This listener is added again each time, one more copy {per}",
    )
    notes = [
        sentence(
            f"{shown} adds the module-level `{binding.name}` to {holder.description} each "
            f"time {function.describe()} runs; an EventEmitter does not de-duplicate, so its "
            f"listener list grows by one {per} and `{binding.name}` runs once more per event"
        )
    ]
    return ctx.finding(
        call.node,
        headline,
        confidence=Confidence.MEDIUM,
        notes=notes,
        related=[ctx.related(binding.node, f"`{binding.name}` is declared here")],
        fix=(
            "Add it once, at start-up (or behind a flag), or remove it when the work ends; "
            "`emitter.listeners(event).includes(fn)` tells whether it is already there."
        ),
    )


def _matching_only_finding(
    ctx: RuleContext,
    call: CallSite,
    target: Node,
    handler: Handler,
    removals: list[CallSite],
    tests: list[Node | None],
) -> Finding:
    """The listener removes itself only when a particular event arrives (``if (state ===
    'terminated') off(…)``): when the work ends another way first — the client leaves, the
    reply never comes — nothing removes it, and the emitter, which the removal shows outlives
    the run, keeps it."""
    function = call.function
    assert function is not None
    shown = f"`{_display(call, target)}`"
    owner = f"`{short(text(target), 40)}`"
    test = next(t for t in tests if t is not None)
    more = f"one more listener {per_word(function)}"
    headline = fit(
        f"{shown} removes itself only when a matching event arrives, so {owner} keeps it "
        f"when none does, {more}",
        f"{shown} removes itself only on a matching event, {more}",
        f"This listener removes itself only on a matching event, {more}",
    )
    notes = [
        sentence(
            f"{shown} adds {handler.label} that removes itself only when "
            f"`{short(text(test), 60)}` holds for an event it receives; nothing removes it when "
            "the work ends another way first (the caller leaves, the expected event never "
            "comes)"
        ),
        sentence(
            f"Then {owner} keeps the handler"
            f"{' and ' + _names(handler.captures) if handler.captures else ''} alive, one more "
            f"listener each time {function.describe()} runs"
        ),
    ]
    related = [ctx.related(r.node, "removed here, only for a matching event") for r in removals[:2]]
    return ctx.finding(
        call.node,
        headline,
        confidence=Confidence.MEDIUM,
        related=related,
        notes=notes,
        fix=(
            "Also remove it when the work ends (the session's or request's `'close'`, a "
            "timeout, an `AbortSignal`), not only when the awaited event arrives."
        ),
    )


def _error_only_finding(
    ctx: RuleContext,
    call: CallSite,
    target: Node,
    handler: Handler,
    branches: list[tuple[CallSite, Node]],
) -> Finding | None:
    """Every removal sits in an error branch (``if (err) { off(…); return cb(err) }``, a
    ``catch``), while the same function's success path hands the result to the same
    completion (``cb(null, …)``) without removing it: the work ends normally with the
    listener still attached."""
    model = ctx.model
    function = call.function
    assert function is not None
    success: CallSite | None = None
    for removal, branch in branches:
        owner = removal.function
        if owner is None:
            return None
        inside = _branch_completions(model, owner, branch, inside=True)
        found = next(
            (site for site, key in _completion_calls(model, owner, branch) if key in inside),
            None,
        )
        if found is None:
            return None
        success = success or found
    assert success is not None
    removal, branch = branches[0]
    condition = branch.parent.child_by_field_name("condition") if branch.parent else None
    where = (
        "a `catch`"
        if branch.type == "catch_clause"
        else f"the `if {short(text(condition), 30)}` branch"
    )
    shown = f"`{_display(call, target)}`"
    held = f"`{short(text(target), 40)}`"
    more = f"one more listener {per_word(function)}"
    headline = fit(
        f"{shown} is removed only on the error path, so {held} keeps it on success, {more}",
        f"{shown} is removed only on the error path, {more}",
        f"This listener is removed only on the error path, {more}",
    )
    notes = [
        sentence(
            f"{shown} adds {handler.label} that is removed only on the error path ({where} of "
            f"{removal.function.display() if removal.function else 'its callback'}), not when "
            f"the work succeeds (`{success.display(40)}` on line "
            f"{success.node.start_point[0] + 1})"
        ),
        sentence(
            f"On success {held} keeps the handler"
            f"{' and ' + _names(handler.captures) if handler.captures else ''} alive, one more "
            f"listener each time {function.describe()} runs"
        ),
    ]
    related = [ctx.related(r.node, "removed here, only on the error path") for r, _ in branches[:2]]
    related.append(ctx.related(success.node, "the success path does not remove it"))
    return ctx.finding(
        call.node, headline, confidence=Confidence.MEDIUM, related=related, notes=notes
    )


def _completion_calls(
    model: SemanticModel, owner: FunctionInfo, branch: Node
) -> list[tuple[CallSite, int]]:
    """Calls of local functions and callbacks (``cb``, ``done``) in ``owner`` outside the
    error branch, each with its binding's identity."""
    found: list[tuple[CallSite, int]] = []
    for site in owner.calls:
        if is_inside(site.node, branch) or site.obj is not None:
            continue
        callee = unwrap(site.callee)
        binding = (
            model.binding_of(callee) if callee is not None and callee.type == "identifier" else None
        )
        if binding is not None and not binding.scope.is_module:
            found.append((site, id(binding)))
    return found


def _branch_completions(
    model: SemanticModel, owner: FunctionInfo, branch: Node, *, inside: bool
) -> set[int]:
    """The local functions and callbacks the error branch calls."""
    found: set[int] = set()
    for site in owner.calls:
        if is_inside(site.node, branch) != inside or site.obj is not None:
            continue
        callee = unwrap(site.callee)
        binding = (
            model.binding_of(callee) if callee is not None and callee.type == "identifier" else None
        )
        if binding is not None and not binding.scope.is_module:
            found.add(id(binding))
    return found


def _self_removal(model: SemanticModel, call: CallSite, target: Node, trigger: CallSite) -> bool:
    """The removal runs when the listener's own event fires, for an event that fires once per
    piece of work: a hand-made ``once``, which the rule accepts as ``once`` (SPEC §2)."""
    event = string_value(call.args[0])
    return (
        trigger is call
        or (same_location(model, trigger.obj, target) and string_value(trigger.args[0]) == event)
    ) and not may_never_fire(event)


def _unremoved_endings(
    model: SemanticModel, call: CallSite, triggers: list[CallSite]
) -> list[CallSite]:
    """Other listeners the run adds to the objects whose events trigger the removal that end
    the work too — they hand the outcome to the same completion (``next``, ``done``) as the
    removing handlers — but never reach the removal: the work can end there with the
    listener still attached. Progress events (``'data'``) never end it."""
    function = call.function
    if function is None or not triggers:
        return []
    completions: set[int] = set()
    for trigger in triggers:
        completions |= _completions(model, trigger.args[1], function)
    gaps: list[CallSite] = []
    for sibling in function.calls:
        if sibling is call or sibling.name not in LISTEN_METHODS or len(sibling.args) < 2:
            continue
        event = string_value(sibling.args[0])
        if event is None or event in PROGRESS_EVENTS:
            continue
        same_object = [t for t in triggers if same_location(model, t.obj, sibling.obj)]
        if not same_object or any(string_value(t.args[0]) == event for t in same_object):
            continue
        if event in LIFECYCLE_EVENTS and same_location(model, sibling.obj, call.obj):
            continue  # the target itself ends there, and its listeners go with it
        if completions & _completions(model, sibling.args[1], function):
            gaps.append(sibling)
    return gaps


def _completions(model: SemanticModel, handler: Node | None, run: FunctionInfo) -> set[int]:
    """The run's own functions and callbacks a handler is or calls, one local call deep:
    ``next`` for ``file.on('directory', next)``, ``done`` for ``() => done(null)``. Module
    functions are left out: a shared logger is not a completion."""
    found: set[int] = set()
    pending: list[tuple[Node | None, int]] = [(unwrap(handler), 0)]
    while pending:
        node, depth = pending.pop()
        if node is None:
            continue
        binding = model.binding_of(node) if node.type == "identifier" else None
        if binding is not None and not binding.scope.is_module:
            found.add(id(binding))
            if binding.function is not None and depth < 2:
                pending.append((binding.function.node, depth + 1))
            continue
        inner = model.function_at(node) if is_function(node) else None
        if inner is None or not in_function(model, inner.node, run):
            continue
        for site in inner.calls:
            callee = unwrap(site.callee)
            if callee is not None and callee.type == "identifier":
                pending.append((callee, depth + 1))
    return found


def _events_phrase(sites: list[CallSite]) -> str:
    """The events of ``sites`` for a message, grouped by emitter: "`file` emits `'error'` or
    `'stream'`"."""
    grouped: dict[str, list[str]] = {}
    for site in sites:
        events = grouped.setdefault(short(text(site.obj), 30), [])
        event = f"`'{string_value(site.args[0])}'`"
        if event not in events:
            events.append(event)
    parts = [f"`{obj}` emits {' or '.join(events)}" for obj, events in grouped.items()]
    return " or ".join(parts[:3])


def _same_target(model: SemanticModel, a: Node | None, b: Node) -> bool:
    """The same storage, or a part of it (``conn.stream`` vs ``conn``)."""
    return a is not None and (same_location(model, a, b) or same_location(model, root_object(a), b))


def _partial_finding(
    ctx: RuleContext,
    call: CallSite,
    target: Node,
    handler: Handler,
    removals: list[CallSite],
    *,
    once: bool = False,
) -> Finding:
    """``once``: the listener is a ``once`` the cleanup forgets; it goes when its event
    fires, so whether that happens in time is not established (medium)."""
    model = ctx.model
    function = call.function
    assert function is not None
    removed = sorted({f"`{short(text(unwrap(r.args[1])), 24)}`" for r in removals})
    what = removed[0] if len(removed) == 1 else f"{', '.join(removed[:-1])} and {removed[-1]}"
    event = string_value(call.args[0])
    kind = f"`{call.name}('{event}')`" if once and event else f"`'{event}'`"
    this = f"this {kind} handler" if event else "this handler"
    context = context_of(model, call)
    owner = f"`{short(text(target), 40)}`"
    more = f"one more listener {per_word(function)}"
    partial = f"{function.display()} removes {what} from {owner} but not {this}"
    headline = fit(
        f"{partial}, {more}",
        f"{owner} keeps {this} after the work ends, {more}",
        f"This handler is never removed, unlike its siblings, {more}",
    )
    return ctx.finding(
        call.node,
        headline,
        # The code's own cleanup of the target's other listeners says it outlives the work.
        confidence=confidence_of(
            Evidence(repetition=context.repeats, holder=ESTABLISHED, unreleased=certainty(not once))
        ),
        related=[ctx.related(r.node, "another listener is removed here") for r in removals[:3]],
        notes=[
            sentence(partial),
            sentence(
                "The target outlives the work (its own cleanup says so), so "
                f"`{_display(call, target)}` leaves {handler.label} on it, one more each time "
                f"{function.describe()} runs"
            ),
            *(
                [
                    sentence(
                        f"`{call.name}` removes it only when `'{event}'` fires, and the cleanup "
                        "that removes the others does not wait for that"
                    )
                ]
                if once
                else []
            ),
        ],
    )


def _unremoved_rival(model: SemanticModel, call: CallSite, target: Node) -> CallSite | None:
    """Another ``once`` on the same long-lived target, in the same run, for another event —
    the two stand for alternative outcomes (``'connect'`` or ``'error'``) — when this
    listener's rival does not remove it: if the rival's event wins, this one stays attached.

    SPEC §1 *The code's own cleanup is evidence*: of two alternative ``once`` listeners, each
    must remove the other."""
    function = call.function
    if function is None or function.repetition is Repetition.ONCE:
        return None
    if model.is_this(target) or (
        (method := _method_of(model, function)) is not None and method.method_kind == "constructor"
    ):
        return None  # the instance's own events, or once per instance
    holder = model.lifetime_of(target)
    if holder.lifetime is Lifetime.PER_CALL or assigned_in_this_run(model, function, target):
        return None
    event = string_value(call.args[0])
    if event in TERMINATION_SIGNALS:
        return None  # the process ends with either
    for other in function.calls:
        if other is call or other.name not in ONCE_METHODS or len(other.args) < 2:
            continue
        other_event = string_value(other.args[0])
        if other_event is None or event is None or other_event == event:
            continue
        if not same_location(model, _target(other.obj), target):
            continue
        if holder.lifetime is not Lifetime.PROCESS and (
            event in LIFECYCLE_EVENTS or other_event in LIFECYCLE_EVENTS
        ):
            continue  # a lifecycle event may end the object, and its listeners with it
        rival_handler = unwrap(other.args[1])
        if rival_handler is None or _removes(model, rival_handler, target, call):
            continue
        return other
    return None


def _removes(model: SemanticModel, handler: Node, target: Node, registration: CallSite) -> bool:
    """Whether ``handler`` (a function, or a name of one) removes ``registration``'s
    listener from ``target`` (``off`` / ``removeListener`` / ``removeAllListeners``)."""
    body = handler
    if handler.type == "identifier":
        binding = model.binding_of(handler)
        if binding is None or binding.function is None:
            return False
        body = binding.function.node
    for removal in model.calls_named(*REMOVE_LISTENER_METHODS, "removeAllListeners"):
        if not is_inside(removal.node, body):
            continue
        if not same_location(model, _target(removal.obj), target):
            continue
        if removal.name == "removeAllListeners":
            return True
        if removal.args and same_event(removal.args[0], registration.args[0]):
            return True
    return False


def _alternative_finding(
    ctx: RuleContext, call: CallSite, target: Node, rival: CallSite, mutual: bool
) -> Finding:
    model = ctx.model
    function = call.function
    assert function is not None
    holder = model.lifetime_of(target)
    event = string_value(call.args[0])
    other = string_value(rival.args[0])
    context = context_of(model, call)
    lives = certainty(holder.lifetime is Lifetime.PROCESS)
    confidence = confidence_of(Evidence(repetition=context.repeats, holder=lives))
    gap = (
        "neither handler removes the other: whichever event loses stays attached"
        if mutual
        else f"the `'{other}'` handler does not remove this `'{event}'` one: whenever "
        f"`'{other}'` wins, this listener stays attached"
    )
    pair = f"`{_display(call, target)}` and `{_display(rival, target)}`"
    loser = "the loser stays attached" if mutual else f"this one stays when `'{other}'` wins"
    more = f"one more listener {per_word(function)}"
    headline = fit(
        f"{pair} wait for alternative outcomes; {loser}, {more}",
        f"Of two `once` listeners on {holder.description}, {loser}, {more}",
        f"Of two `once` listeners, {loser}, {more}",
    )
    return ctx.finding(
        call.node,
        headline,
        confidence=confidence,
        related=[ctx.related(rival.node, f"the alternative `'{other}'` listener")],
        notes=[
            sentence(
                f"{pair} wait for alternative outcomes on {holder.description}, but {gap} with "
                f"what it captures, one more each time {function.describe()} runs"
            )
        ],
    )


def _forwards_a_callers_listener(
    model: SemanticModel, call: CallSite, function: FunctionInfo
) -> bool:
    """``once(event, fn) { const on = (...a) => { this.off(event, on); fn(...a) };
    this.on(event, on) }``: an event API that registers its caller's listener for its caller's
    event. The caller owns that listener and its removal; the API adds nothing per call."""
    event = unwrap(call.args[0])
    if event is None or event.type != "identifier":
        return False
    binding = model.binding_of(event)
    if binding is None or binding.kind is not BindingKind.PARAM or binding.function is not function:
        return False
    listener = unwrap(call.args[1])
    params = set(function.param_names) - {binding.name}
    if listener is None or (listener.type == "identifier" and text(listener) in params):
        return listener is not None
    if listener.type == "call_expression" and any(
        text(unwrap(a)) in params for a in call_arguments(listener)
    ):
        return True  # ``this.on(type, _onceWrap(this, type, listener))``
    wrapper = _handler_function(model, listener)
    if wrapper is None:
        return False
    for inner in wrapper.calls:  # the wrapper calls the caller's listener: ``fn.apply(…)``
        callee = unwrap(inner.callee)
        obj = unwrap(inner.obj)
        if callee is not None and callee.type == "identifier" and text(callee) in params:
            return True
        if obj is not None and text(obj) in params and inner.name in ("apply", "call"):
            return True
    return False


def _handler_function(model: SemanticModel, node: Node) -> FunctionInfo | None:
    """The function a handler expression denotes: inline, or a local function by name."""
    if node.type == "identifier":
        binding = model.binding_of(node)
        return binding.function if binding is not None else None
    return model.function_at(node)


def _judge_context(
    model: SemanticModel,
    call: CallSite,
    function: FunctionInfo,
    target: Node,
    holder: Holder,
    handler: Handler,
    event: str | None,
) -> tuple[Evidence, Holder] | None:
    """Whether the registration repeats against a holder that outlives it, and the evidence.

    Process-lived targets need only a per-call handler. Instance fields of a decorated class (a
    DI singleton) count as process-lived. Other instance fields and targets of unknown lifetime
    need evidence: the handler captures per-call state, the event is not one of the target's
    own lifecycle events (a stream's `'data'` / `'end'`, a socket's `'close'` belong to that
    object's own piece of work), and, for unknown targets, the function repeats (or the
    listener waits on a signal's `'abort'`)."""
    repetition = function.repetition
    if repetition is Repetition.ONCE:
        return None
    method = _method_of(model, function)
    if (
        method is not None
        and method.method_kind == "constructor"
        and is_decorated(method.class_node)
    ):
        return None  # a DI singleton's constructor runs once
    per_call = [name for name in handler.captures if name != "this"]
    if repetition is Repetition.UNKNOWN and not handler.captures:
        return None
    lifetime = holder.lifetime
    if (
        repetition is Repetition.UNKNOWN
        and lifetime is Lifetime.PROCESS
        and event in PROCESS_ENDING_EVENTS
    ):
        return None  # the process ends on it: start-up code's shutdown path, nothing repeats
    if assigned_in_this_run(model, function, target):
        return None  # `this.socket = connect(); this.socket.on(...)`: a fresh object per run
    if lifetime is Lifetime.PROCESS:
        lives = certainty(not holder.by_name)  # a keep-alive socket known by a name only
        return Evidence(repetition=repetition_certainty(model, call), holder=lives), holder
    if lifetime is Lifetime.INSTANCE:
        this_fn = _holding_method(model, holder, target)
        if _setup_run_again(model, call, this_fn, target) is not None:
            # The code runs this setup again on the same instance: one more listener per run.
            return Evidence(repetition=ESTABLISHED, holder=INFERRED), holder
        if this_fn is None or this_fn.method_kind in ("constructor", "field"):
            return None  # once per instance, on something the instance owns
        if runs_once_per_instance(model, this_fn):
            return None  # a private method only the constructor calls: once per instance
        if is_decorated(this_fn.class_node) and repetition is Repetition.REPEATING:
            return (
                Evidence(repetition=ESTABLISHED, holder=ESTABLISHED),  # a service's methods
                Holder(  # framework singleton: the instance lives as long as the process
                    Lifetime.PROCESS,
                    f"{holder.description} (a framework singleton: "
                    "it lives as long as the process)",
                    holder.declaration,
                    holder.binding,
                ),
            )
    if not per_call or (
        event in LIFECYCLE_EVENTS
        and not _borrowed_per_call(model, call, target, event, lifetime, repetition, handler)
    ):
        return None
    if lifetime is Lifetime.UNKNOWN and (
        holder.binding is not None and owns_parameter(model, holder.binding)
    ):
        return None
    if _replaces_listener(model, call, target):
        return None
    if lifetime is Lifetime.UNKNOWN and repetition is not Repetition.REPEATING and event != "abort":
        return None
    # An instance's or unknown object's lifetime is inferred (captures, events, repetition).
    return Evidence(repetition=repetition_certainty(model, call), holder=INFERRED), holder


def _holding_method(model: SemanticModel, holder: Holder, target: Node) -> FunctionInfo | None:
    """The method whose ``this`` holds an instance-lived target (``this.socket``)."""
    return holder.this_function or model.this_function(root_object(target) or target)


def _setup_run_again(
    model: SemanticModel, call: CallSite, this_fn: FunctionInfo | None, target: Node
) -> SetupRerun | None:
    """The setup that adds this listener runs when the instance is made and again from
    another method (``setup_rerun``), which neither replaces the target first nor is a
    place where the code swaps this event's listeners itself."""
    if this_fn is None:
        return None
    rerun = setup_rerun(model, this_fn)
    if rerun is None or assigned_in_this_run(model, rerun.caller, target):
        return None
    if _replaces_listener(model, call, target):
        return None
    return rerun


def _borrowed_per_call(
    model: SemanticModel,
    call: CallSite,
    target: Node,
    event: str | None,
    lifetime: Lifetime,
    repetition: Repetition,
    handler: Handler,
) -> bool:
    """A method that runs per call adding to an emitter the instance keeps (``self.sub.on(
    'message', …)`` per hello): the emitter's recurring traffic (``'data'``, ``'message'``)
    is not this call's piece of work — the instance, not the call, owns the emitter, so each
    call adds one more listener. Not for the instance itself (``this.on('error')``: its own
    steps), nor for events that end the emitter's life (``'end'``, ``'connect'``) unless the
    same method opens the emitter again (``this.socket.connect(…)``: ``reopened_in``). The
    handler must capture what a caller passed in (``session``, ``callback``): a setup method
    with no inputs (``_createSubscribers()``) is not shown to run per piece of work."""
    if lifetime is not Lifetime.INSTANCE or repetition is not Repetition.REPEATING:
        return False
    if model.is_this(target):
        return False
    if event not in RECURRING_LIFECYCLE_EVENTS and (
        call.function is None or reopened_in(model, target, call.function) is None
    ):
        return False
    for name in handler.captures:
        binding = model.resolve(name, handler.node)
        if binding is not None and binding.kind is BindingKind.PARAM:
            own = model.function_at(unwrap(handler.node) or handler.node)
            if own is None or binding.scope is not own.scope:
                return True
    return False


def _ended_here(model: SemanticModel, call: CallSite, target: Node) -> bool:
    """``child.kill('SIGTERM'); child.once('close', …)``: the registering function ends the
    target itself (``kill``, ``destroy``, ``end``, ``close``…, in its own code, a callback in
    it such as a fallback timer, or a method of this class it reaches through ``this.m()``),
    so its end event fires and a ``once`` listener for it is removed then."""
    function = call.function
    if function is None:
        return False
    method = model.this_function(call.node)
    info = model.class_info(method.class_node) if method is not None else None
    scopes = reached_methods(model, info, [function]) if info is not None else [function]
    return any(
        site.obj is not None
        and any(is_inside(site.node, scope.node) for scope in scopes)
        and same_location(model, site.obj, target)
        for site in model.calls_named(*sorted(ENDING_CALLS))
    )


def _replaces_listener(model: SemanticModel, call: CallSite, target: Node) -> bool:
    """The same function removes some listener for the same event from the same target: the
    code manages this event's listeners itself (``onopen`` setters that swap a handler)."""
    function = call.function
    for removal in model.calls_named(*REMOVE_LISTENER_METHODS):
        if removal.function is not function or removal.obj is None or not removal.args:
            continue
        if len(removal.args) > 1 and fresh_function(removal.args[1]) is not None:
            continue  # ``off(e, fn.bind(this))`` removes nothing: not a swap
        if same_location(model, removal.obj, target) and same_event(removal.args[0], call.args[0]):
            return True
    return False


def _guarded(model: SemanticModel, call: CallSite, target: Node) -> bool:
    """A latch around the registration (``semantics.latches``) makes it run once per owner
    of its flag: a test of the target itself (``if (!tracked.has(req.socket))``,
    ``if (conn.listeners('error').length === 0)``, ``if (!ctrl.resume)``) or of the handler
    slot it fills (``if (this.handler == null) { this.handler = …; on(e, this.handler) }``)
    registers once per target; a flag of the module (``if (!hooked) { hooked = true; … }``)
    once per process; a flag of the object that owns the target once per owner."""
    stop = call.function.node if call.function is not None else None
    handler = unwrap(call.args[1]) if len(call.args) > 1 else None

    def marks(condition: Node) -> bool:
        if _mentions(model, condition, target):
            guard = condition.parent
            if guard is None or _tests_presence_only(model, condition, target):
                return False
            return sets_tested_state(condition, guard) or (
                handler is not None
                and not _event_recurs(model, call)
                and ready_or_wait(model, guard, call.node, handler)
            )
        if _keyed_by_event(model, condition, call):
            guard = condition.parent
            return guard is not None and sets_tested_state(condition, guard)
        return (
            handler is not None
            and handler.type == "member_expression"
            and _mentions(model, condition, handler)
        )

    latch = latch_of(call.node, stop, marks)
    if latch is None:
        return False
    return latch.flag is None or _outlives_target(model, latch.flag, target, call.function)


def _keyed_by_event(model: SemanticModel, condition: Node, call: CallSite) -> bool:
    """``if (!collected[event]) { collected[event] = true; bus.on(event, …) }``: the test
    looks up the very name the registration listens for (``seen[event]``,
    ``names.has(event)``), so a region that files it registers at most one listener per
    event: nothing piles up on any one of them."""
    binding = value_binding(model, call.args[0]) if call.args else None
    if binding is None:
        return False
    for node in own_nodes(condition):
        key: Node | None = None
        if node.type == "subscript_expression":
            key = node.child_by_field_name("index")
        elif node.type == "call_expression" and callee_parts(node)[1] == "has":
            arguments = call_arguments(node)
            key = arguments[0] if arguments else None
        if key is not None and value_binding(model, key) is binding:
            return True
    return False


def _event_recurs(model: SemanticModel, call: CallSite) -> bool:
    """The registration's event fires again and again on its emitter (a stream's
    ``'data'``, an MQTT client's ``'connect'`` on every reconnect): waiting for it is no wait
    that ends, so a test of the emitter's state around it latches nothing."""
    event = string_value(call.args[0]) if call.args else None
    if event in RECURRING_LIFECYCLE_EVENTS:
        return True
    row = frameworks.call_guarantee(call, model.scope_at(call.node))
    return row is not None and row.runs.repeats


def _weak_listener(model: SemanticModel, options: Node | None) -> bool:
    """Options that make EventTarget hold the listener weakly (``{ [kWeakHandler]: this }``,
    inline or in a ``const`` the call passes): the listener pins nothing."""
    node = unwrap(options)
    if node is not None and node.type == "identifier":
        binding = model.binding_of(node)
        if binding is None or binding.is_reassigned or binding.destructured:
            return False
        node = unwrap(binding.init)
    return any(object_property(node, f"[{key}]") is not None for key in WEAK_LISTENER_OPTIONS)


def _tests_presence_only(model: SemanticModel, condition: Node, target: Node) -> bool:
    """The condition asks only whether the target is there (``if (signal)``, ``if (socket &&
    ready)``, ``if (emitter != null)``, ``if (typeof signal !== 'undefined')``): adding a
    listener does not change the answer, so the region is no once-per-target latch — it runs
    every time the target is given (an optional ``{ signal }`` option, an optional emitter)."""
    mentioning = [c for c in _conjuncts(condition) if _mentions(model, c, target)]
    return bool(mentioning) and all(_presence_test(model, c, target) for c in mentioning)


def _conjuncts(condition: Node) -> list[Node]:
    """The operands of a chain of ``&&`` (parentheses removed); the condition itself else."""
    node = unwrap(condition)
    if node is None:
        return []
    if node.type == "binary_expression" and text(node.child_by_field_name("operator")) == "&&":
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        return [
            *(_conjuncts(left) if left is not None else []),
            *(_conjuncts(right) if right is not None else []),
        ]
    return [node]


def _presence_test(model: SemanticModel, test: Node, target: Node) -> bool:
    """``target``, ``target != null`` / ``!== undefined``, or ``typeof target !== 'undefined'``."""
    node = unwrap(test)
    if node is None:
        return False
    if node.type == target.type and same_location(model, node, target):
        return True
    if node.type != "binary_expression":
        return False
    if text(node.child_by_field_name("operator")) not in ("!=", "!=="):
        return False
    sides = [unwrap(node.child_by_field_name(side)) for side in ("left", "right")]
    for tested, other in (sides, sides[::-1]):
        if tested is None or other is None:
            continue
        if tested.type == "unary_expression" and text(tested.child_by_field_name("operator")) == (
            "typeof"
        ):
            argument = unwrap(tested.child_by_field_name("argument"))
            if string_value(other) == "undefined" and argument is not None:
                return argument.type == target.type and same_location(model, argument, target)
        if text(other) in ("null", "undefined") and tested.type == target.type:
            return same_location(model, tested, target)
    return False


def _outlives_target(
    model: SemanticModel, flag: Node, target: Node, function: FunctionInfo | None
) -> bool:
    """Whether a latch's flag is owned by something that lives as long as the target: the
    module (a module-level binding), a function around the registering one (its local is
    kept between runs: ``let wired = false; createServer((req, res, proxy) => { if
    (!wired) … })``), or the same object the target hangs off (``this``)."""
    root = root_object(flag)
    if root is None:
        return False
    binding = model.binding_of(root) if root.type == "identifier" else None
    if binding is not None and binding.scope.is_module:
        return True
    if binding is not None and function is not None and binding.scope.function is not None:
        outer_function = function.parent
        while outer_function is not None:
            if binding.scope.function is outer_function:
                return True
            outer_function = outer_function.parent
    owner = root_object(target)
    return owner is not None and same_location(model, root, owner)


def _mentions(model: SemanticModel, node: Node, target: Node) -> bool:
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == target.type and same_location(model, current, target):
            return True
        stack.extend(current.named_children)
    return False


def _option(options: Node | None, name: str) -> Node | None:
    """An option from an options object, looking into both arms of ``c ? {…} : {…}``."""
    options = unwrap(options)
    if options is not None and options.type == "ternary_expression":
        for arm in ("consequence", "alternative"):
            found = _option(options.child_by_field_name(arm), name)
            if found is not None:
                return found
        return None
    return object_property(options, name)


def _removed(
    model: SemanticModel, call: CallSite, target: Node, event: Node, handler: Handler
) -> bool:
    if listener_removals(model, target, event, handler.node):
        return True
    if all_listener_removals(model, target, event, _cleanup_region(model, call, target)):
        return True
    if _cleared_by_callers(model, call, target, event):
        return True
    if _result_kept(call.node):
        return True  # `const off = bus.on(...)`: an API that returns its own disposer
    binding = handler.binding
    return binding is not None and _handler_escapes(model, binding)


def _cleared_by_callers(model: SemanticModel, call: CallSite, target: Node, event: Node) -> bool:
    """A function that calls the registering one also clears the target's listeners
    (``obs.removeAllListeners(); await obs.connect(…); setupListeners()`` on every
    reconnect): each run starts from a clean emitter, so the listeners do not pile up."""
    function = call.function
    if function is None:
        return False
    return any(
        site.function is not None
        and all_listener_removals(model, target, event, site.function.node)
        for site in direct_calls(model, function)
    )


def _cleanup_region(model: SemanticModel, call: CallSite, target: Node) -> Node | None:
    """Where a ``removeAllListeners`` must be to bound this registration: anywhere in the class
    for ``this`` targets (a ``close()`` method), else the outermost function around the call."""
    root = root_object(target)
    if root is not None and root.type == "this":
        owner = model.this_function(root)
        return owner.class_node if owner is not None else None
    function = call.function
    while function is not None and function.parent is not None:
        function = function.parent
    return function.node if function is not None else None


def _result_kept(node: Node, model: SemanticModel | None = None) -> bool:
    """Whether the value of the call ``node`` is kept: stored, passed, returned. With the
    ``model``, what a ``new Promise`` executor returns is dropped (the promise ignores it)."""
    position = node
    parent = node.parent
    while parent is not None and (
        parent.type in ("parenthesized_expression", "await_expression")
        or _passes_value(parent, position)
    ):
        position, parent = parent, parent.parent
    if parent is None:
        return False
    returned = parent.type == "return_statement" or (
        parent.type == "arrow_function" and parent.child_by_field_name("body") == position
    )
    if returned and model is not None:
        function = model.enclosing_function(node)
        return function is None or not function.is_promise_executor
    if returned or parent.type in ("variable_declarator", "arguments", "array", "pair"):
        return True
    return parent.type == "assignment_expression" and (
        parent.child_by_field_name("right") == position
    )


def _passes_value(parent: Node, position: Node) -> bool:
    """Whether ``parent`` evaluates to the value at ``position``: an arm of ``c ? a : b``, or
    the operand of ``a && b`` / ``a || b`` / ``a ?? b`` that can be the result (either; the left
    one is the value when it short-circuits). ``cond ? null : dom.on('click', f)`` handed to a
    builder keeps the registration's result just as ``dom.on('click', f)`` handed there does."""
    if parent.type == "ternary_expression":
        return position in (
            parent.child_by_field_name("consequence"),
            parent.child_by_field_name("alternative"),
        )
    if parent.type == "binary_expression":
        operator = parent.child_by_field_name("operator")
        return operator is not None and operator.type in ("&&", "||", "??")
    return False


def _handler_escapes(model: SemanticModel, binding: Binding) -> bool:
    """A handler stored, returned or handed to something other than a (de)registration may be
    removed elsewhere."""
    for reference in binding.references:
        parent = reference.parent
        if parent is None:
            continue
        if parent.type == "arguments" and parent.parent is not None:
            site = model.call_at(parent.parent)
            if site is not None and (
                site.name in LISTEN_METHODS or site.name in REMOVE_LISTENER_METHODS
            ):
                continue
            if site is not None and site.obj is None and site.name in TIMER_FUNCTIONS:
                continue  # ``setTimeout(handler, ms)`` calls it later; it cannot remove it
            return True
        if parent.type in ("return_statement", "array", "pair", "shorthand_property_identifier"):
            return True
        if (
            parent.type == "assignment_expression"
            and parent.child_by_field_name("right") == reference
        ):
            return True
        if parent.type == "object":
            return True
    return False


# -- events.once / events.on ----------------------------------------------------------------
def _check_events_helper(ctx: RuleContext, call: CallSite) -> Finding | None:
    model = ctx.model
    function = call.function
    if (
        function is None
        or function.repetition is Repetition.ONCE
        or string_value(call.args[0]) is not None
    ):
        return None
    target = _target(call.args[0])
    if target is None:
        return None
    holder = model.lifetime_of(target)
    if holder.lifetime is not Lifetime.PROCESS:
        return None
    event_name = string_value(call.args[1])
    options = call.args[2] if len(call.args) > 2 else None
    signal = _option(options, "signal")
    if signal is not None and signal_state(model, signal).aborted:
        return None
    helper = f"`{text(call.callee)}(…)`"
    if call.name == "once":
        if not may_never_fire(event_name):
            return None
        why = (
            f"until `'{event_name}'` fires, the pending promise and the frame awaiting it stay "
            f"reachable from {holder.description}"
        )
    else:
        if _consumed_with_exit(call.node):
            return None
        why = (
            f"the async iterator it returns stays subscribed to {holder.description}, buffering "
            "events, until a `{ signal }` aborts it or the loop consuming it exits"
        )
    if signal is not None:
        why += " (its `{ signal }` comes from an AbortController that is never aborted)"
    confidence = confidence_of(
        Evidence(repetition=repetition_certainty(model, call), holder=ESTABLISHED)
    )
    more = f"one more {per_word(function)}"
    headline = fit(
        f"{helper} adds a listener to {holder.description} that nothing removes, {more}",
        f"{helper} adds a listener that nothing removes, {more}",
    )
    return ctx.finding(
        call.node,
        headline,
        confidence=confidence,
        related=_related(ctx, holder),
        notes=[sentence(f"{why}, one more each time {function.describe()} runs")],
    )


def _consumed_with_exit(node: Node) -> bool:
    """``for await (… of on(bus, 'x')) { … break; }``: leaving the loop removes the listener."""
    parent = node.parent
    while parent is not None and parent.type in ("parenthesized_expression", "await_expression"):
        parent = parent.parent
    if parent is None or parent.type != "for_in_statement":
        return False
    body = parent.child_by_field_name("body")
    stack = [body] if body is not None else []
    while stack:
        current = stack.pop()
        if current.type in ("break_statement", "return_statement", "throw_statement"):
            return True
        if current.type not in FUNCTION_KINDS:
            stack.extend(current.named_children)
    return False


def _is_events_module(model: SemanticModel, node: Node | None) -> bool:
    """``events`` / ``EventEmitter`` / ``once`` bound to ``require('events')`` or an import."""
    binding = value_binding(model, node)
    return binding is not None and binding.module_source in EVENTS_MODULES


# -- handlers -------------------------------------------------------------------------------
def _handler(model: SemanticModel, node: Node | None, target: Node) -> Handler | None:
    """The handler when it is created per run (inline, a local function, a ``.bind``), else None."""
    node = unwrap(node)
    if node is None:
        return None
    exclude = _root_binding(model, target)
    if is_function(node):
        label = "an inline handler"
        return Handler(node, label, _captures(model, node, exclude), None)
    if node.type == "identifier":
        binding = model.binding_of(node)
        if (
            binding is None
            or binding.scope.is_module
            or binding.kind in (BindingKind.PARAM, BindingKind.CATCH)
        ):
            return None
        body: Node | None = binding.function.node if binding.function is not None else None
        if body is None:
            init = unwrap(binding.init)
            if init is None or binding.destructured or not (is_function(init) or _is_call(init)):
                return None
            body = init
        return Handler(node, f"`{binding.name}`", _captures(model, body, exclude), binding)
    if _is_call(node):
        callee = unwrap(node.child_by_field_name("function"))
        is_bind = (
            callee is not None
            and callee.type == "member_expression"
            and text(callee.child_by_field_name("property")) == "bind"
        )
        captures = _captures(model, node, exclude)
        if not is_bind and not [name for name in captures if name != "this"]:
            return None
        label = (
            "a bound function (new per call)"
            if is_bind
            else f"the function `{short(text(node))}` returns"
        )
        return Handler(node, label, captures, None)
    if node.type == "member_expression":
        made = _assigned_function(model, node)
        if made is not None:  # ``req.clearTimeout = function () {…}`` earlier in this run
            return Handler(
                node,
                f"`{short(text(node))}`, a function made in this run",
                _captures(model, made, exclude),
                None,
            )
    return None


def _assigned_function(model: SemanticModel, member: Node) -> Node | None:
    """The function literal assigned to ``member`` (same storage) in the function around it,
    before it is used."""
    function = model.enclosing_function(member)
    for assignment in model.assignments_in(function):
        if assignment.start_byte > member.start_byte:
            break
        value = unwrap(assignment.child_by_field_name("right"))
        if (
            value is not None
            and is_function(value)
            and same_location(model, assignment.child_by_field_name("left"), member)
        ):
            return value
    return None


def _captures(model: SemanticModel, node: Node, exclude: Binding | None) -> tuple[str, ...]:
    """Per-call names a handler closes over: parameters and locals of the functions around it
    (and ``this`` of a class method), not module bindings and not the handler's own locals."""
    names: list[str] = []
    seen: set[int] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        kind = current.type
        if kind in ("identifier", "shorthand_property_identifier"):
            binding = model.binding_of(current)
            if binding is not None and binding.is_this_alias:
                if "this" not in names:
                    names.append("this")
                continue
            if (
                binding is not None
                and binding is not exclude
                and not binding.scope.is_module
                and id(binding) not in seen
                and not is_inside(binding.node, node)
                and binding.kind is not BindingKind.CLASS
                and not (binding.function is not None and binding.kind is BindingKind.FUNCTION)
            ):
                seen.add(id(binding))
                names.append(binding.name)
            continue
        if kind == "this" and "this" not in names:
            function = model.this_function(current)
            if (
                function is not None
                and function.class_node is not None
                and not is_inside(function.node, node)
            ):
                names.append("this")
            continue
        if current.named_child_count:  # (a leaf's empty list is not made)
            stack.extend(reversed(current.named_children))
    return tuple(names)


def _target(node: Node | None) -> Node | None:
    """The emitter a registration acts on, through ``a.on(…).on(…)`` chains; None for call
    results (a fresh object or something unknown)."""
    node = unwrap(node)
    while node is not None and node.type == "call_expression":
        callee = unwrap(node.child_by_field_name("function"))
        if callee is None or callee.type != "member_expression":
            return None
        if text(callee.child_by_field_name("property")) not in LISTEN_METHODS:
            return None
        node = unwrap(callee.child_by_field_name("object"))
    if node is None or node.type in ("new_expression", "await_expression"):
        return None
    root = root_object(node)
    if root is None or root.type not in ("identifier", "this"):
        return None
    return node


def _root_binding(model: SemanticModel, target: Node) -> Binding | None:
    root = root_object(target)
    return value_binding(model, root)


def _method_of(model: SemanticModel, function: FunctionInfo) -> FunctionInfo | None:
    current: FunctionInfo | None = function
    while current is not None:
        if current.class_node is not None and current.method_kind is not None:
            return current
        current = current.parent
    return None


# -- small helpers --------------------------------------------------------------------------
def _is_true(node: Node | None) -> bool:
    node = unwrap(node)
    return node is not None and node.type == "true"


def _is_call(node: Node) -> bool:
    return node.type == "call_expression"


def _names(names: tuple[str, ...]) -> str:
    quoted = [f"`{name}`" for name in names[:3]]
    if len(names) > 3:
        quoted.append("…")
    return ", ".join(quoted)


def _short_holder(holder: Holder) -> str:
    if holder.lifetime is Lifetime.INSTANCE:
        return "the instance"
    return "the emitter"


def _display(call: CallSite, target: Node) -> str:
    event = text(call.args[0]) if call.args else ""
    event = event if len(event) <= 30 and "\n" not in event else "…"
    return f"{short(text(target))}.{call.name}({event}, …)"


def _related(ctx: RuleContext, holder: Holder) -> list[RelatedLocation]:
    declaration = holder.declaration
    if declaration is None:
        return []
    if holder.binding is not None:
        what = f"`{holder.binding.name}`"
    else:
        name = declaration.child_by_field_name("name")
        what = f"`{text(name)}`" if name is not None else "The holder"
    return [ctx.related(declaration, f"{what} is declared here")]
