"""## What it does
Flags a heavyweight client — a database pool or connection, a Redis, Mongo, Kafka or
Prisma client, an HTTP `Agent`, a `WebSocket`, an SSH connection (`NodeSSH` from
`node-ssh`, `Client` from `ssh2`), a `Worker` — created in code that runs repeatedly (a
request handler, an event callback, a method) when nothing closes it: no `close()`,
`quit()`, `end()`, `disconnect()`, `$disconnect()`, `destroy()`, `terminate()` or `dispose()`
reaches it in that function (a `finally`, or every path before the function returns), it is
not returned, and it is not stored somewhere that is closed later (a lazily created
module-level singleton, a `this.x` field closed by a method of the class, a collection whose
entries are closed, a pool or registry it is handed to).

Library constructors are recognised by where they are imported from (`Pool` from `pg`,
`Redis` from `ioredis`, `Agent` from `http`/`https`/`undici`…), so a class of your own
called `Client` is not reported. `PrismaClient`, `MongoClient`, `Sequelize` and `Kafka`
are recognised by name alone. A `Worker` (its script may finish and end it) and a
`WebSocket` (the peer may close it) are medium: they can end on their own.

It also flags a `new AbortController()` that is never aborted while its `signal` is handed
to a process-lived emitter (`bus.on('x', h, { signal })`). When the listener itself is a
per-call function, NLL101 reports that registration instead and names the controller (one
site, one finding).

Pooled resources are clients too. A connection checked out of a pool
(`await pool.connect()`, `pool.getConnection()` in promise or callback form), a TypeORM
`createQueryRunner()`, a pool member from `acquire()`, a browser page or context
(`browser.newPage()`, `newContext()`) and a browser (`puppeteer.launch()`,
`chromium.launch()`) must be given back on every way out of the function that holds it:
`release()`, `done()`, `end()`, `close()`, `destroy()`, `pool.release(x)`, or handed on
(returned, passed to a call, stored). It is reported when nothing gives it back, when a
`return` / `throw` leaves without it while other paths release (a callback that answers a
validation error early), and — with medium confidence — when the release on the straight
path follows an `await` outside `try`/`finally`, `.catch()` / `.finally()` or a catch that
releases: when that await throws, the release never runs. A page of a browser the same
function launched is left to the browser's finding. A `getConnection()` / `connect()` /
`acquire()` result that is never given back is reported only when the receiver is shown to
be a pool (created by `pg`, `mysql`, `mysql2`, `mariadb`, `oracledb`, `generic-pool`…, or
another result of the same call in the file is released).

A release *armed* for work that starts later is reported too (medium): the callback that
gives the resource back is handed to an object made on the way (`const req = new
Request(sql, () => pool.release(conn))`), and a later call hands that object to the
resource (`conn.execSql(req)`), outside a `try` whose `catch` / `finally` gives it back. Until
that call has started the work, nothing will ever run the callback: a synchronous throw from
it (tedious throws when the connection is in the wrong state) or from anything between leaves
the resource checked out for good. A pool of the project's own counts here
(`this.parent.acquire(this, (err, conn) => …)` whose callback hands `conn` back with
`this.parent.release(conn)`); for such a pool only this shape is judged. A callback given to
the resource itself (`conn.query(sql, cb)`) starts the work as it is armed and is not
reported.

A call the resource is passed to only *borrows* it when the holder gives the resource back
itself after that call returns (`const data = await scrape(url, browser); …; await
pool.release(browser)`): the callee did not take it over, so a throw from it skips the
release like any other `await` (medium). Not when the callee is a function of the same file
that releases, stores, returns or passes on its parameter: then it may own the resource on
the paths that throw.

A step's completion callback that gives the resource back (or hands it on) when the step
succeeds, but leaves early when its own error parameter is set (`conn.query(sql, (err, rows)
=> { if (err) return cb(err); conn.release(); … })`, `if (err) { reject(err); return; }`),
is reported too (medium): once that callback has run, nothing else will give the resource
back. Callbacks of array helpers (`forEach`, `map`…) and listeners are not completion
callbacks. A callback-style `getConnection` may name its callback: a variable assigned one
function (`getConnCb = function (err, conn) { … }`) or a function declaration.

A browser that a local helper launches into a module-level variable (`async function
launchBrowser() { browser = await puppeteer.launch() }`) is held by each function that calls
the helper and closes that variable itself (`await launchBrowser(); await login(); …; await
browser.close()`): its paths are judged as for a local, so a close that follows an `await`
outside `try`/`finally` is reported (medium). When that await throws, the browser stays open,
and the next call of the helper replaces the variable.

A WebAssembly tokenizer (`encoding_for_model()` / `get_encoding()` from `tiktoken` or
`@dqbd/tiktoken`) is a resource too: its tables live in WebAssembly memory, which garbage
collection does not give back, and only `free()` releases them. One made per request and
never freed is reported like a page never closed.

This rule owns file handles as well: a descriptor from `fs.openSync()` / `fs.open()` that
is discarded or never passed to `fs.closeSync()` / `fs.close()`, and a `FileHandle` from
`fs.promises.open()` that is never `close()`d, in code that repeats.

Acquire/release pairs are also learned from the file: when at least two results of one
call or constructor (`new DbAbstraction()`) reach a teardown method (`.destroy()`) and they
are most of the results whose fate is visible, a result that never does is reported with
medium confidence, naming that evidence.

A client replaced on a reconnect path is reported too (medium): `this.redis = new Redis()`
(or a module binding) in a function that runs again — an `'error'` handler or a retry timer
calls it, another method of the class calls it, it calls itself — while nothing closes or
tests the old client first. The message names the handler or timer that runs it again. A
re-run from the old client's own `'close'` / `'end'` handler (and `'error'` for a WebSocket,
which closes itself) replaces a client that has already ended and is not reported. Sockets
(`net.connect`, `tls.connect`, `new net.Socket()`) are judged the same way for replacement
only: a reconnect from a `'timeout'` handler orphans a socket that is still open, one from
`'error'` or `'close'` does not.

A connection left open when its setup fails is reported (medium): a method opens a field's
connection (`this.client.connect(config)`, itself or through `this.open()`), then awaits or
returns a later step `this.g()` that can fail (it rejects or throws), and neither a
`catch` / `finally` around that step nor the step itself closes the field, although the class
closes it elsewhere (`end()`). The caller sees the setup fail and never calls `end()`; a
caller that retries opens one more connection per failed attempt.

A client returned by a function of the file is followed to its callers (medium): when every
call in view uses the result once and drops it — discards it, lends it as a request option
(`http.get(url, { agent: makeAgent() })`), or keeps it in a local that nothing closes — and
one of them repeats, the creation is reported. A client returned inside an object literal
(`return { host, agent: new Agent() }`) is followed the same way: a caller drops it when it
discards the object, lends it whole as request options (the client under `agent` or
`dispatcher`), or keeps it in a local that it only reads other properties of or lends the
same way. A caller that stores, closes or hands the client on (or reaches the object's
property that holds it), and a function exported or passed by reference (callers out of
view), are not followed.

Clients handed over by another file of the project are followed there too (medium, with the
project in view): a class whose constructor or one of its methods keeps a client it creates
in a field (`this.client = await MongoClient.connect(url)`, `this.pool = new Pool()`) and
that has a method closing that field (`destroy() { this.client.close() }`) gives every
`new DbAbstraction()` a client to close, and a function whose every `return` gives a client,
browser or such an instance it has just created (`return puppeteer.launch()`) gives every
caller one. In the importing file the result, held in a local, must be closed on every path
exactly like a pooled connection: the message names the other file and the method
("`new DbAbstraction()` holds a `MongoClient` (in `dbAbstraction.js`) that `destroy()`
closes; this function returns without calling it"). A page of such a browser is left to
the browser's finding. A class that closes a client it is given (not one it creates), and a
function returning a shared client (`if (!shared) shared = …; return shared`), hand nothing
over.

## Why is this bad?
A client owns sockets, a connection pool, timers for keep-alive and reconnection, and
buffers; the event loop holds all of them through its handles, so an unclosed client is
never collected even when no JavaScript references it. One client per request adds one
pool, its open connections on the database side, and everything its callbacks capture,
until the process (or the database) runs out. A per-instance client in a class without a
close method leaks the same way each time the class is instantiated.

A pool has a fixed number of members. One that is never given back is lost until the
process restarts; once every member is lost, each later `connect()` waits forever and the
service hangs while using no CPU (the runtime proof in `examples/proofs/` exhausts a pool of
four after four failed queries). A browser page keeps a renderer process's memory; a file
descriptor is never closed by garbage collection, so a discarded one is held until the
process hits `EMFILE`.

## Example
```js
const { Pool } = require('pg');

app.get('/users', async (req, res) => {
  // ruleid: NLL602
  const pool = new Pool();
  const { rows } = await pool.query('select * from users');
  res.json(rows);
});
```

```js
const { Pool } = require('pg');
const fs = require('node:fs');
const pool = new Pool();

app.get('/orders', async (req, res) => {
  // ruleid: NLL602
  const client = await pool.connect();
  const { rows } = await client.query('select * from orders');
  client.release(); // skipped when the query throws
  res.json(rows);
});

app.post('/logs/flush', (req, res) => {
  for (const file of req.body.files) {
    // ruleid: NLL602
    fs.openSync(file, 'w'); // truncates, and loses the descriptor
  }
  res.end();
});
```

```js
const mysql = require('mysql');
const pool = mysql.createPool({ host: 'db' });

app.post('/clients', (req, res) => {
  // ruleid: NLL602
  pool.getConnection((err, conn) => {
    if (err) return res.sendStatus(503);
    conn.query('insert into clients set ?', req.body, (queryErr) => {
      if (queryErr) return res.sendStatus(500); // leaves with `conn` checked out
      conn.release();
      res.sendStatus(201);
    });
  });
});
```

## Use instead
```js
const { Pool } = require('pg');
const fs = require('node:fs');
// One pool for the process, created at module top level.
const pool = new Pool();

app.get('/users', async (req, res) => {
  const { rows } = await pool.query('select * from users');
  res.json(rows);
});

app.get('/report', async (req, res) => {
  // A dedicated client per request must be given back on every path.
  const client = await pool.connect();
  try {
    res.json((await client.query('select 1')).rows);
  } finally {
    client.release();
  }
});

app.post('/logs/flush', (req, res) => {
  for (const file of req.body.files) {
    fs.closeSync(fs.openSync(file, 'w'));
  }
  res.end();
});
```

```js
const mysql = require('mysql');
const pool = mysql.createPool({ host: 'db' });

app.post('/clients', (req, res) => {
  pool.getConnection((err, conn) => {
    if (err) return res.sendStatus(503);
    conn.query('insert into clients set ?', req.body, (queryErr) => {
      conn.release(); // on both outcomes, before the error is tested
      res.sendStatus(queryErr ? 500 : 201);
    });
  });
});
```

## Options
- `clients` (list of strings, default empty): more constructors (`"ApiClient"`) and factory
  functions (`"createApiClient()"`) to treat as heavyweight clients, matched by name.
- `close-methods` (list of strings, default empty): more method names that close a client
  (`"shutdown"`).
- The acquire/release pair table is data, extendable with the top-level `[resources]` key of
  the configuration: `[resources.checkout]` with `releases = ["checkin"]` (methods on the
  result that give it back), `owner-releases = ["checkin"]` (`sessions.checkin(session)`)
  and an optional `noun` for messages. Results of `x.checkout()` are then judged like a
  pooled connection: given back on every path, and not only after an `await` outside
  `try`/`finally`. A configured method replaces a built-in one of the same name. Unknown
  keys and bad values are errors that name the file and the key.

## Known limits
Paths are read from the syntax of one function, without a control-flow graph: the
statements before an exit are its preceding siblings in each enclosing block. Only `await`s
are taken to throw, and the call that starts work armed with a release (above); any other
synchronous throw between acquisition and release is not followed. A
release inside a callback (`conn.query(sql, () => conn.release())`, `res.on('finish', …)`)
counts wherever it is, unless the callback runs only on failure (see below). A client or
resource handed to any function call, returned, or stored in a field is assumed to be
owned by its new holder; only a pooled resource, page, browser or descriptor that the holder
gives back itself after the call is read as lent to it (above).
Clients created by a wrapper function of your own in the same file are only seen when the
wrapper is listed in `clients`, or learned from the file when two or more of its results are
torn down; a wrapper in another file is followed through the project
view (above), but not one reached through a field or parameter of unknown class
(`this.app.createTransaction()`), nor a client handed over inside a promise's `resolve`.
Pooled resources are followed only when held in a local (or a callback parameter); a
checkout kept in `this.x` is not.
A callback passed to an unknown API (`terminal.provideService(name, handler)`) may run any
number of times, so a checkout inside it is judged (medium). A release inside a callback
that runs only when the work fails or is aborted — a listener for `'abort'`, `'aborted'`,
`'error'` or `'timeout'`, or a `.subscribe(…)` to an observable that does not come from the
resource — is not a release on the way out of a call that succeeds: when it is the only one,
the checkout is reported (medium). Other callbacks (`'end'`, `'close'`, a query's completion
callback) are taken to run when the work ends.
"""

from __future__ import annotations

from collections.abc import Iterator

from nodeleaklint.findings import Confidence, Finding, Severity
from nodeleaklint.fixes.builders import release_in_finally
from nodeleaklint.parsing import Node
from nodeleaklint.rules.base import RuleContext, RuleMeta, RuleOption
from nodeleaklint.rules.headlines import fit
from nodeleaklint.semantics.clients import (
    CLIENT_KINDS,
    ClientKind,
    client_callee_names,
    client_kind,
    make_kind,
)
from nodeleaklint.semantics.confidence import ESTABLISHED, Evidence, certainty, confidence_of
from nodeleaklint.semantics.contexts import Context, context_of
from nodeleaklint.semantics.flow import Flow, FlowKind, ReleaseSpec, fate_of, flow_of
from nodeleaklint.semantics.latches import latch_of
from nodeleaklint.semantics.lifetimes import Lifetime
from nodeleaklint.semantics.locations import Place, object_property, occurrences, place_of
from nodeleaklint.semantics.model import SemanticModel
from nodeleaklint.semantics.obligations import unclosed_on_failure
from nodeleaklint.semantics.provenance import origin_of
from nodeleaklint.semantics.reconnects import (
    replaced_client,
    socket_calls,
)
from nodeleaklint.semantics.resources import (
    Acquisition,
    Judgement,
    ResourceKind,
    Verdict,
    acquisitions,
    classify,
    configured_kind,
    dies_with_receiver,
    dropped_by_callers,
    failure_trigger,
    judge,
    judge_paths,
    learned_misses,
)
from nodeleaklint.semantics.scopes import CallSite, Repetition
from nodeleaklint.semantics.signals import signal_state
from nodeleaklint.semantics.syntax import (
    FUNCTION_KINDS,
    in_finally,
    is_inside,
    own_nodes,
    short,
    string_value,
    text,
    unwrap,
)
from nodeleaklint.semantics.vocabulary import (
    CLIENT_CLOSE_METHODS,
    CLIENT_OPTION_KEYS,
    LISTEN_METHODS,
    SOCKET_CLOSERS,
    SOCKET_ENDED_EVENTS,
)

META = RuleMeta(
    id="NLL602",
    name="unclosed-client",
    summary="Heavyweight client created per call and never closed",
    fix=(
        "Create the client once (at module top level, or in a service that closes it on "
        "shutdown), or close it on every path: `try { … } finally { await client.end() }`."
    ),
    severity=Severity.WARNING,
    options=(
        RuleOption(
            "clients",
            [],
            list,
            'More constructors ("ApiClient") and factories ("createApiClient()") to report.',
        ),
        RuleOption("close-methods", [], list, "More method names that close a client."),
    ),
)


def _configured_kinds(names: list[str]) -> list[ClientKind]:
    kinds: list[ClientKind] = []
    for raw in names:
        name = str(raw).strip()
        if name.endswith("()"):
            kinds.append(make_kind(name[:-2], set(), new=False, by_name=True))
        elif name:
            kinds.append(make_kind(name.removeprefix("new ").strip(), set(), by_name=True))
    return kinds


# -- the check ---------------------------------------------------------------------------------


def check(ctx: RuleContext) -> Iterator[Finding]:
    model = ctx.model
    kinds = list(CLIENT_KINDS) + _configured_kinds(list(ctx.options.get("clients", [])))
    methods = CLIENT_CLOSE_METHODS | frozenset(str(m) for m in ctx.options.get("close-methods", []))
    spec = ReleaseSpec(methods=methods)
    clients: set[int] = set()
    for call in model.calls_named(*client_callee_names(model, kinds)):
        kind = client_kind(model, call, kinds)
        if kind is None or not _keeps_connections(model, call, kind):
            continue
        clients.add(call.node.id)
        context = context_of(model, call)
        if context.repetition is Repetition.ONCE:
            continue
        finding = _judge(ctx, call, kind, context, spec)
        if finding is not None:
            yield finding
    yield from _abort_controllers(ctx)
    pairs = ctx.options.get("resources") or {}
    configured = tuple(configured_kind(method, pairs[method]) for method in sorted(pairs))
    for acquisition in acquisitions(model, configured):
        clients.add(acquisition.call.node.id)
        finding = _resource(ctx, acquisition)
        if finding is not None:
            yield finding
    yield from _learned(ctx, clients)
    yield from _unclosed_on_failure(ctx)
    yield from _replaced_sockets(ctx, spec)


def _replaced_sockets(ctx: RuleContext, spec: ReleaseSpec) -> Iterator[Finding]:
    """A socket stored where one may still be open, by a reconnect that does not end it."""
    model = ctx.model
    closers = spec.methods | SOCKET_CLOSERS
    for call in socket_calls(model):
        flow = flow_of(model, call.node, spec)
        place = flow.place
        if flow.kind is not FlowKind.STORED or place is None or flow.node is None:
            continue
        replacement = replaced_client(model, call, place, flow.node, closers, SOCKET_ENDED_EVENTS)
        if replacement is None:
            continue
        made = f"`{_created(call)}`"
        yield ctx.finding(
            call.node,
            fit(
                f"{made} replaces the socket in `{place.label}` without destroying the old one, "
                "one more per reconnect",
                f"{made} orphans the open socket in `{place.label}` on every reconnect",
                "A reconnect replaces a socket that may still be open without destroying it",
            ),
            notes=[
                f"{made} replaces the socket in `{place.label}` without destroying the one it may "
                f"still hold, and {replacement.function.display()} runs again "
                f"({replacement.again}): each run orphans a socket that is still open, with its "
                "listeners and everything they capture — one more per reconnect."
            ],
            confidence=Confidence.MEDIUM,
            related=[ctx.related(replacement.site, "runs it again")],
            fix=(
                f"Destroy the old socket before replacing it (`{place.label}?.destroy()`), or "
                "reconnect only from its `'close'` event."
            ),
        )


def _unclosed_on_failure(ctx: RuleContext) -> Iterator[Finding]:
    """A connection opened on a field and left open when a later setup step fails."""
    for miss in unclosed_on_failure(ctx.model):
        inside = is_inside(miss.opening.node, miss.method.node)
        via = "" if inside else f" (through {miss.method.display()})"
        step = miss.step.display(50)
        opening = f"`{miss.opening.display(50)}`"
        label = miss.place.label
        yield ctx.finding(
            miss.opening.node,
            fit(
                f"{opening} leaves `{label}` open when the later step `{step}` fails, one more "
                "per retry",
                f"{opening} leaves `{label}` open when a later setup step fails, one more per "
                "retry",
                f"The connection in `{label}` stays open when a later setup step fails",
            ),
            notes=[
                f"{opening} opens the connection in `{label}`{via}, but when the later step "
                f"`{step}` fails, nothing closes it: {miss.method.display()} rejects with the "
                "connection still open, and a caller that retries opens one more per failed "
                "attempt."
            ],
            confidence=Confidence.MEDIUM,
            related=[
                ctx.related(miss.step.node, "the later step"),
                ctx.related(miss.failure, "where that step fails"),
            ],
            fix=(
                f"Close `{miss.place.label}` when a later step of the setup fails (in its `catch`, "
                "or in the step's own failure branch) before rejecting."
            ),
        )


def _created(call: CallSite) -> str:
    return call.display(50)


def _judge(
    ctx: RuleContext, call: CallSite, kind: ClientKind, context: Context, spec: ReleaseSpec
) -> Finding | None:
    model = ctx.model
    flow = flow_of(model, call.node, spec)
    # The event loop keeps an open client's handles: the holder is seen.
    confidence = confidence_of(Evidence(repetition=context.repeats, holder=ESTABLISHED))
    if kind.end_events:
        confidence = Confidence.MEDIUM  # the peer or the script may end it on its own
    per = context.per or "per call"
    made = f"`{_created(call)}`"
    where = context.where
    kept = [
        f"It is created in {where}; the event loop keeps {kind.holds} open, and with them the "
        "client and everything its callbacks capture."
    ]
    lent = flow.kind is FlowKind.ESCAPED and _is_use(flow)
    if flow.kind in (FlowKind.DISCARDED, FlowKind.USED) or lent:
        return ctx.finding(
            call.node,
            fit(
                f"{made} is used and dropped without being closed, one more client {per}",
                f"A client is used and dropped without being closed, one more {per}",
            ),
            notes=kept,
            confidence=confidence,
        )
    if flow.kind is FlowKind.ESCAPED and flow.note == "returned" and flow.node is not None:
        return _returned(ctx, call, kind, flow.node, spec)
    if flow.kind not in (FlowKind.STORED, FlowKind.COLLECTED) or flow.place is None:
        return None
    fate = fate_of(model, flow, spec, _is_use)
    place = flow.place
    escape = fate.escape
    if escape is not None and escape.note == "returned" and escape.node is not None:
        return _returned(ctx, call, kind, escape.node, spec)
    if escape is not None or _end_handled(model, fate.places, kind):
        return None
    if fate.released:
        early = _early_return(ctx, call, flow, spec, where, per, confidence)
        if early is None:
            early = _closed_after_await(ctx, call, flow, spec, where, per)
        return early if early is not None else _replaced(ctx, call, kind, flow, spec, where)
    if _guarded(model, call, flow):
        return None
    label = place.label
    if place.kind == "this" or (flow.kind is FlowKind.STORED and context.per == "per instance"):
        return ctx.finding(
            call.node,
            fit(
                f"{made} is kept in `{label}` but no method of the class closes it, one more "
                "client per instance",
                f"{made} is kept in `{label}` and never closed, one more client per instance",
                f"A client kept in `{label}` is never closed, one more per instance",
            ),
            notes=[
                f"It is created in {where}; the event loop keeps {kind.holds} open for every "
                "instance, long after the instance is gone."
            ],
            confidence=Confidence.MEDIUM,
        )
    holder = model.lifetime_of(flow.node.child_by_field_name("left")) if flow.node else None
    if flow.kind is FlowKind.COLLECTED:
        fate_words = f"goes into `{label}`, whose entries are never closed"
    elif holder is not None and holder.lifetime is Lifetime.PROCESS:
        fate_words = f"replaces the one in `{label}` without closing it"
    else:
        fate_words = f"is kept in `{label}` but never closed"
    return ctx.finding(
        call.node,
        fit(
            f"{made} {fate_words}, one more client {per}",
            f"A client {fate_words}, one more {per}",
            f"{made} {fate_words}",
        ),
        notes=kept,
        confidence=confidence,
    )


def _returned(
    ctx: RuleContext, call: CallSite, kind: ClientKind, returned: Node, spec: ReleaseSpec
) -> Finding | None:
    """A client handed back to callers that each use it once and drop it."""
    dropped = dropped_by_callers(ctx.model, call.node, returned, spec, _is_use)
    if dropped is None:
        return None
    numbers = [str(_line(ctx, site.node)) for site in dropped.callers[:3]]
    lines = ("line " if len(numbers) == 1 else "lines ") + ", ".join(numbers)
    made = f"`{_created(call)}`"
    factory = dropped.factory.display()
    inside = f" as `{dropped.key}` of an object" if dropped.key is not None else ""
    return ctx.finding(
        call.node,
        fit(
            f"{made} is returned{inside} by {factory} and every caller drops it unclosed, one "
            "more client per call",
            f"{made} is returned{inside} and every caller drops it unclosed, one more client "
            "per call",
            f"A client returned{inside} by {factory} is dropped unclosed by every caller, one "
            "more per call",
            f"A client returned{inside} is dropped unclosed by every caller, one more per call",
            "A returned client is dropped unclosed by every caller, one more per call",
        ),
        notes=[
            f"{made} is returned{inside} by {factory}, and every caller in this file ({lines}) "
            f"uses it and drops it without closing it, so the event loop keeps {kind.holds} open."
        ],
        confidence=Confidence.MEDIUM,
        related=[ctx.related(site.node, "uses it and drops it") for site in dropped.callers[:3]],
        fix=(
            "Create the client once and share it (one keep-alive `Agent` per process), or close "
            "it where the caller is done with it."
        ),
    )


def _replaced(
    ctx: RuleContext, call: CallSite, kind: ClientKind, flow: Flow, spec: ReleaseSpec, where: str
) -> Finding | None:
    """A client stored where one may already live, by a function that runs again (a
    reconnect) without closing the old one (SPEC §1 *Replacement*)."""
    place = flow.place
    if place is None or flow.node is None or not (place.is_field or place.kind == "binding"):
        return None
    replacement = replaced_client(ctx.model, call, place, flow.node, spec.methods, kind.end_events)
    if replacement is None:
        return None
    made = f"`{_created(call)}`"
    return ctx.finding(
        call.node,
        fit(
            f"{made} replaces the client in `{place.label}` without closing the old one, one more "
            "per reconnect",
            f"{made} orphans the client in `{place.label}` on every reconnect",
            "A reconnect replaces a client without closing the one it may already hold",
        ),
        notes=[
            f"It is created in {where} and replaces the client in `{place.label}` without "
            f"closing the one it may already hold, and {replacement.function.display()} runs "
            f"again ({replacement.again}): each run orphans the previous client, which keeps "
            f"{kind.holds} open, and everything its listeners capture."
        ],
        confidence=Confidence.MEDIUM,
        related=[ctx.related(replacement.site, "runs it again")],
        fix=(
            "Close the old client before replacing it (or test the field and reuse it: most "
            "clients reconnect on their own)."
        ),
    )


def _end_handled(model: SemanticModel, places: list[Place], kind: ClientKind) -> bool:
    """``ws.on('close', …)`` / ``ws.onclose = …`` / ``worker.on('exit', …)`` on a stored client."""
    if not kind.end_events:
        return False
    for place in places:
        for node in occurrences(model, place):
            parent = node.parent
            if parent is None or parent.type != "member_expression":
                continue
            prop = text(parent.child_by_field_name("property"))
            if prop in {f"on{event}" for event in kind.end_events}:
                return True
            site = model.call_at(parent.parent) if parent.parent is not None else None
            if site is None or site.name not in LISTEN_METHODS or not site.args:
                continue
            if string_value(site.args[0]) in kind.end_events:
                return True
    return False


def _keeps_connections(model: SemanticModel, call: CallSite, kind: ClientKind) -> bool:
    """Node's ``http(s).Agent`` keeps idle sockets only with ``keepAlive: true``."""
    if kind.name != "Agent":
        return True
    origin = origin_of(model, call.callee)
    if origin is None or origin.from_module(frozenset({"undici"})):
        return True
    options = unwrap(call.args[0]) if call.args else None
    if options is None:
        return False
    if options.type != "object":
        return True  # options from elsewhere may turn keep-alive on
    value = object_property(options, "keepAlive")
    return (value is None and any(c.type == "spread_element" for c in options.named_children)) or (
        value is not None and text(value) != "false"
    )


def _is_use(flow: Flow) -> bool:
    """Passed as an option of a request (``{ agent }``, ``{ dispatcher }``): used, not owned."""
    return bool(flow.keys) and flow.keys[-1] in CLIENT_OPTION_KEYS


def _guarded(model: SemanticModel, call: CallSite, flow: Flow) -> bool:
    """A lazy singleton: the model's latch question (``semantics.latches``) finds the client
    made only while the slot it fills is empty (``x ??= new C()``, ``x = x || new C()``,
    ``if (!x) x = new C()``, ``if (x) return x; x = new C()``)."""
    place = flow.place
    if flow.node is None or place is None:
        return False
    function = model.enclosing_function(call.node)

    def marks(condition: Node) -> bool:
        """The condition tests the slot the client goes into."""
        return any(
            node.type in _SLOT_KINDS and place_of(model, node) == place
            for node in own_nodes(condition)
        )

    return latch_of(call.node, function.node if function is not None else None, marks) is not None


_SLOT_KINDS = frozenset({"identifier", "member_expression", "subscript_expression"})


def _early_return(
    ctx: RuleContext,
    call: CallSite,
    flow: Flow,
    spec: ReleaseSpec,
    where: str,
    per: str,
    confidence: Confidence,
) -> Finding | None:
    """A local closed on the straight path but skipped by an earlier ``return``."""
    model = ctx.model
    place = flow.place
    function = call.function
    if place is None or place.kind != "binding" or place.path or function is None:
        return None
    body = function.body
    if body is None or body.type != "statement_block":
        return None
    closes = [site for site in model.calls_named(*spec.methods) if _closes(model, site, place)]
    if not closes or any(
        in_finally(site.node, function.node) or site.function is not function for site in closes
    ):
        return None
    first = min(site.node.start_byte for site in closes)
    stack = [body]
    while stack:
        node = stack.pop()
        if node.end_byte <= call.node.end_byte or node.start_byte >= first:
            continue
        if node.type == "return_statement" and node.start_byte > call.node.end_byte:
            line = ctx.source.line_number(node.start_byte)
            closer = next(site for site in closes if site.node.start_byte == first)
            made = f"`{_created(call)}`"
            closing = f"`{closer.display(40)}`"
            return ctx.finding(
                call.node,
                fit(
                    f"{made} stays open when the `return` at line {line} skips {closing}, one "
                    f"more client {per}",
                    f"{made} stays open on the early `return` at line {line}, one more client "
                    f"{per}",
                    f"A client stays open on the early `return` at line {line}",
                ),
                notes=[
                    f"It is created in {where} and closed by {closing}, but the `return` at line "
                    f"{line} leaves before it and the client stays open on the event loop."
                ],
                confidence=confidence,
            )
        stack.extend(child for child in node.named_children if child.type not in FUNCTION_KINDS)
    return None


def _closes(model: SemanticModel, site: CallSite, place: Place) -> bool:
    return not site.is_new and site.obj is not None and place_of(model, site.obj) == place


# -- AbortController ---------------------------------------------------------------------------


def _abort_controllers(ctx: RuleContext) -> Iterator[Finding]:
    model = ctx.model
    for call in model.calls_named("AbortController"):
        callee = unwrap(call.callee)
        if not call.is_new or callee is None or callee.type != "identifier":
            continue
        if model.binding_of(callee) is not None and origin_of(model, callee) is None:
            continue
        context = context_of(model, call)
        if context.repetition is Repetition.ONCE:
            continue
        declarator = call.node.parent
        while declarator is not None and declarator.type in (
            "parenthesized_expression",
            "as_expression",
        ):
            declarator = declarator.parent
        if declarator is None or declarator.type != "variable_declarator":
            continue
        name = declarator.child_by_field_name("name")
        binding = model.binding_of(name) if name is not None and name.type == "identifier" else None
        if binding is None:
            continue
        for reference in binding.references:
            member = reference.parent
            if member is None or member.type != "member_expression":
                continue
            if text(member.child_by_field_name("property")) != "signal":
                continue
            target = _process_emitter(model, flow_of(model, member, ReleaseSpec()))
            if target is None or signal_state(model, member).aborted:
                continue
            site, holder = target
            confidence = confidence_of(Evidence(repetition=context.repeats, holder=ESTABLISHED))
            per = context.per or "per call"
            yield ctx.finding(
                call.node,
                fit(
                    f"`new AbortController()` is never aborted, so its signal's listener stays on "
                    f"{holder}, one more {per}",
                    f"A never-aborted `AbortController` leaves a listener on {holder}, one more "
                    f"{per}",
                    "A never-aborted `AbortController` leaves its listener on a long-lived emitter",
                ),
                notes=[
                    f"It is created in {context.where}, and its signal is handed to "
                    f"`{site.display(40)}` on {holder}, so the emitter keeps the listener, the "
                    "signal and everything they capture."
                ],
                confidence=confidence,
                # NLL101 reports a per-call listener there and names this controller.
                defers_to=(("NLL101", site.node),),
            )
            break


def _process_emitter(model: SemanticModel, flow: Flow) -> tuple[CallSite, str] | None:
    if flow.kind is not FlowKind.ESCAPED or flow.node is None:
        return None
    site = model.call_at(flow.node)
    if site is None or site.is_new or site.name not in LISTEN_METHODS:
        return None
    target = site.obj
    origin = origin_of(model, site.obj) if site.obj is not None else None
    if origin is not None and origin.from_module(frozenset({"events"})) and site.args:
        target = site.args[0]  # events.on(emitter, 'x', { signal })
    if target is None:
        return None
    holder = model.lifetime_of(target)
    if holder.lifetime is not Lifetime.PROCESS:
        return None
    return site, holder.description


def _closed_after_await(
    ctx: RuleContext, call: CallSite, flow: Flow, spec: ReleaseSpec, where: str, per: str
) -> Finding | None:
    """A local closed on the straight path only after an ``await`` that may throw."""
    model = ctx.model
    declarator = flow.node
    function = call.function
    if declarator is None or declarator.type != "variable_declarator" or function is None:
        return None
    name = declarator.child_by_field_name("name")
    binding = model.binding_of(name) if name is not None else None
    if binding is None or binding.is_reassigned:
        return None
    kind = ResourceKind(call.name, "client", frozenset(spec.methods))
    refs = [(ref, classify(model, ref, kind)) for ref in binding.references]
    block = declarator.parent.parent if declarator.parent is not None else None
    verdict = judge_paths(model, function, declarator.end_byte, block, refs)
    if verdict is None or verdict.verdict is not Verdict.AWAIT:
        return None
    made = f"`{_created(call)}`"
    awaited = _line(ctx, verdict.awaited)
    return ctx.finding(
        call.node,
        fit(
            f"{made} stays open when the `await` at line {awaited} throws, one more client {per} "
            "on each failure",
            f"{made} stays open when the `await` at line {awaited} throws",
            f"A client stays open when the `await` at line {awaited} throws",
        ),
        notes=[
            f"It is created in {where} and closed at line {_line(ctx, verdict.exit)} only after "
            f"the `await` at line {awaited}, outside `try`/`finally`: when that await throws, the "
            "client is never closed and stays open on the event loop."
        ],
        confidence=Confidence.MEDIUM,
        autofix=release_in_finally(ctx.source, call.node, verdict.exit),
    )


def _line(ctx: RuleContext, node: Node | None) -> int:
    return ctx.source.line_number(node.start_byte) if node is not None else 0


# -- pooled resources, pages, browsers, descriptors ------------------------------------------------

_RESOURCE_FIX = (
    "Give it back on every path: `try { … } finally { conn.release() }` (`page.close()`, "
    "`fs.closeSync(fd)`); with a callback API, release before every `return`."
)


def _resource(ctx: RuleContext, acquisition: Acquisition) -> Finding | None:
    model = ctx.model
    context = context_of(model, acquisition.call)
    if context.repetition is Repetition.ONCE or dies_with_receiver(model, acquisition):
        return None
    verdict = judge(model, acquisition)
    if verdict is None:
        return None
    call = acquisition.call
    kind = acquisition.kind
    per = context.per or "per call"
    headline, notes = _resource_message(ctx, acquisition, verdict, context.where, per)
    # AWAIT: the code gives it back, unless an `await` before that throws. FAILURE_ONLY: it
    # gives it back only when the work fails. Both are inferred, never established.
    # FAILED_STEP: a library may take back a member whose step failed; inferred too.
    unreleased = certainty(
        verdict.verdict
        not in (Verdict.AWAIT, Verdict.FAILURE_ONLY, Verdict.ARMED, Verdict.FAILED_STEP)
    )
    evidence = Evidence(repetition=context.repeats, holder=ESTABLISHED, unreleased=unreleased)
    # What another file's class or function hands over is read from that file's code: new,
    # and one step removed from the acquisition, so medium.
    confidence = Confidence.MEDIUM if kind.made_in else confidence_of(evidence)
    related = []
    if verdict.verdict in (Verdict.EXIT, Verdict.FAILURE_ONLY) and verdict.disposal is not None:
        name = acquisition.binding.name if acquisition.binding is not None else kind.noun
        related.append(ctx.related(verdict.disposal, f"`{name}` is given back here"))
    if verdict.verdict is Verdict.FAILED_STEP and verdict.exit is not None:
        name = acquisition.binding.name if acquisition.binding is not None else kind.noun
        related.append(ctx.related(verdict.exit, "leaves here when the step fails"))
        if verdict.disposal is not None:
            related.append(
                ctx.related(verdict.disposal, f"`{name}` is given back or handed on here")
            )
    if verdict.verdict is Verdict.ARMED and verdict.exit is not None:
        name = acquisition.binding.name if acquisition.binding is not None else kind.noun
        related.append(ctx.related(verdict.exit, "the work starts here; a throw skips the release"))
        if verdict.disposal is not None:
            related.append(ctx.related(verdict.disposal, f"`{name}` is given back here only"))
    moved = verdict.verdict is Verdict.AWAIT
    rewrite = release_in_finally(ctx.source, call.node, verdict.exit) if moved else None
    return ctx.finding(
        call.node,
        headline,
        notes=notes,
        confidence=confidence,
        related=related,
        fix=_handed_fix(acquisition) if kind.made_in else _RESOURCE_FIX,
        autofix=rewrite,
    )


def _resource_message(
    ctx: RuleContext, acquisition: Acquisition, verdict: Judgement, where: str, per: str
) -> tuple[str, list[str]]:
    """The headline and notes of a resource that is not given back."""
    kind = acquisition.kind
    binding = acquisition.binding
    noun = kind.noun
    made = f"`{_created(acquisition.call)}`"
    if binding is None:
        return fit(
            f"{made} discards the {noun} it opens, one more open descriptor {per}",
            f"A {noun} is opened and discarded, one more open descriptor {per}",
        ), [
            f"It runs in {where}, and nothing can ever close the {noun}: one more open "
            f"descriptor {per}, until the process runs out (EMFILE)."
        ]
    name = binding.name
    if kind.made_in:
        return _handed_message(ctx, acquisition, verdict, where, per)
    if verdict.verdict is Verdict.NEVER:
        return fit(
            f"{made} takes a {noun} into `{name}` that is never given back, one more {per}",
            f"A {noun} taken into `{name}` is never given back, one more {per}",
        ), [
            f"It runs in {where}, and nothing gives `{name}` back "
            f"({_release_hint(kind, name)}), so {kind.holds} stays in use."
        ]
    if verdict.verdict is Verdict.FAILURE_ONLY:
        return _failure_only_message(ctx, acquisition, verdict, where, per)
    if verdict.verdict is Verdict.ARMED:
        return _armed_message(ctx, acquisition, verdict, where, per)
    if verdict.verdict is Verdict.FAILED_STEP:
        return _failed_step_message(ctx, acquisition, verdict, where, per)
    if verdict.verdict is Verdict.EXIT:
        statement = verdict.exit.type.split("_")[0] if verdict.exit is not None else "return"
        line = _line(ctx, verdict.exit)
        return fit(
            f"{made}: the `{statement}` at line {line} leaves without giving `{name}` back, one "
            f"more {noun} {per}",
            f"The `{statement}` at line {line} leaves without giving `{name}` back, one more "
            f"{noun} {per}",
        ), [
            f"It runs in {where}; other paths give `{name}` back (line "
            f"{_line(ctx, verdict.disposal)}), but not that one, so {kind.holds} stays in use."
        ]
    awaited = _line(ctx, verdict.awaited)
    return fit(
        f"{made}: `{name}` is not given back when the `await` at line {awaited} throws, one more "
        f"{noun} {per}",
        f"`{name}` is not given back when the `await` at line {awaited} throws, one more {noun} "
        f"{per}",
        f"`{name}` is not given back when the `await` at line {awaited} throws",
    ), [
        f"It runs in {where}; `{name}` is given back at line {_line(ctx, verdict.exit)} only "
        f"after the `await` at line {awaited}, outside `try`/`finally`, so when that await "
        f"throws, the {noun} is never given back."
    ]


def _failed_step_message(
    ctx: RuleContext, acquisition: Acquisition, verdict: Judgement, where: str, per: str
) -> tuple[str, list[str]]:
    """A step's completion callback gives the resource back when the step succeeds and leaves
    early when it fails."""
    kind = acquisition.kind
    name = acquisition.binding.name if acquisition.binding is not None else kind.noun
    made = f"`{_created(acquisition.call)}`"
    statement = verdict.exit.type.split("_")[0] if verdict.exit is not None else "return"
    line = _line(ctx, verdict.exit)
    step = _line(ctx, verdict.awaited)
    return fit(
        f"{made}: when the step at line {step} fails, the `{statement}` at line {line} leaves "
        f"without giving `{name}` back, one more {kind.noun} {per}",
        f"When the step at line {step} fails, `{name}` is not given back, one more "
        f"{kind.noun} {per}",
        f"`{name}` is not given back when the step at line {step} fails",
    ), [
        f"It runs in {where}; the callback of the step at line {step} gives `{name}` back or "
        f"hands it on (line {_line(ctx, verdict.disposal)}) when the step succeeds, but when "
        f"its error is "
        f"set it leaves by the `{statement}` at line {line}, and nothing else gives `{name}` "
        f"back, so {kind.holds} stays in use."
    ]


def _handed_fix(acquisition: Acquisition) -> str:
    name = acquisition.binding.name if acquisition.binding is not None else "client"
    method = sorted(acquisition.kind.releases)[0]
    return (
        f"Call `{name}.{method}()` on every path (`try {{ … }} finally {{ await "
        f"{name}.{method}() }}`), or create one instance at start-up and share it."
    )


def _handed_message(
    ctx: RuleContext, acquisition: Acquisition, verdict: Judgement, where: str, per: str
) -> tuple[str, list[str]]:
    """A client that a class or function of another file hands over (``new X()`` owns one its
    teardown closes; ``f()`` returns a fresh one), dropped on some path without closing."""
    kind = acquisition.kind
    name = acquisition.binding.name if acquisition.binding is not None else "it"
    call = acquisition.call
    shown = f"{'new ' if call.is_new else ''}{call.callee_text}({'…' if call.args else ''})"
    made = f"`{shown}`"
    file = kind.made_in.replace("\\", "/").rsplit("/", 1)[-1]
    words = f"{kind.holds} (in `{file}`)"
    releases = sorted(kind.releases)
    if not acquisition.call.is_new and "close" in releases:
        releases = ["close"]  # a client's own close methods: name the usual one
    closer = " or ".join(f"`{r}()`" for r in releases[:2])
    if acquisition.call.is_new:
        opens = "holds" if kind.lazy else "opens"
        brief = f"{made} {opens} {words}"
        bare = f"{made} {opens} {kind.holds}"
        subject = f"{brief} that {closer} closes"
        owner = (
            f"The class (in `{kind.made_in}`) keeps {kind.holds} it creates"
            + (" when a method first needs it" if kind.lazy else "")
            + f" in a field that {closer} closes"
        )
    else:
        brief = f"{made} returns {words}"
        bare = f"{made} returns {kind.holds}"
        subject = f"{brief} that {closer} closes"
        owner = f"The function (in `{kind.made_in}`) returns {kind.holds} it has just created"
    if verdict.verdict in (Verdict.EXIT, Verdict.FAILED_STEP):
        statement = verdict.exit.type.split("_")[0] if verdict.exit is not None else "return"
        line = _line(ctx, verdict.exit)
        lost = f"the `{statement}` at line {line} leaves without calling it"
        missed = f"the `{statement}` at line {line} leaves without calling {closer}"
        detail = (
            f"other paths call it (line {_line(ctx, verdict.disposal)}), but the `{statement}` "
            f"at line {line} leaves without it"
        )
    elif verdict.verdict is Verdict.AWAIT:
        awaited = _line(ctx, verdict.awaited)
        lost = f"it is not called when the `await` at line {awaited} throws"
        missed = f"{closer} is skipped when the `await` at line {awaited} throws"
        detail = (
            f"`{name}` is closed at line {_line(ctx, verdict.exit)} only after the `await` at "
            f"line {awaited}, outside `try`/`finally`"
        )
    elif verdict.verdict is Verdict.FAILURE_ONLY:
        lost = f"it is called only on failure (line {_line(ctx, verdict.disposal)})"
        missed = f"{closer} is called only on failure (line {_line(ctx, verdict.disposal)})"
        detail = "the only call runs when the work fails or is aborted"
    else:
        lost = "this function returns without calling it"
        missed = f"this function returns without calling {closer}"
        detail = f"nothing here calls it on `{name}`, returns it or hands it on"
    return fit(
        f"{subject}; {lost}, one more open client {per}",
        f"{subject}; {lost}",
        f"{brief}; {missed}",
        f"{bare}; {missed}",
        f"{made} gets {words} that is not closed on every path",
        f"{made} gets a client (in `{file}`) that is not closed on every path",
    ), [
        f"{owner}. It runs in {where}, and {detail}, so {kind.holds} stays open after the "
        "call, one more each time."
    ]


def _failure_only_message(
    ctx: RuleContext, acquisition: Acquisition, verdict: Judgement, where: str, per: str
) -> tuple[str, list[str]]:
    """A resource given back only by a callback that runs when the work fails or is aborted."""
    kind = acquisition.kind
    name = acquisition.binding.name if acquisition.binding is not None else kind.noun
    made = f"`{_created(acquisition.call)}`"
    line = _line(ctx, verdict.disposal)
    holder = acquisition.holder
    trigger = (
        failure_trigger(ctx.model, verdict.disposal, holder)
        if verdict.disposal is not None and holder is not None
        else None
    )
    shown = " ".join(trigger.display(200).split()) if trigger is not None else ""
    given = f"`{short(shown, 60)}`" if trigger is not None else "a failure callback"
    return fit(
        f"{made}: `{name}` is given back only on failure (line {line}), never when the call "
        f"succeeds, one more {kind.noun} {per}",
        f"`{name}` is given back only on failure (line {line}), one more {kind.noun} {per}",
    ), [
        f"It runs in {where}; the only place that gives `{name}` back (line {line}) is a "
        f"callback of {given}, which runs when the work fails or is aborted, not on the way "
        f"out of a call that succeeds, so {kind.holds} stays in use after every such call."
    ]


def _armed_message(
    ctx: RuleContext, acquisition: Acquisition, verdict: Judgement, where: str, per: str
) -> tuple[str, list[str]]:
    """A resource given back only by a callback armed for work a later call starts."""
    kind = acquisition.kind
    name = acquisition.binding.name if acquisition.binding is not None else kind.noun
    made = f"`{_created(acquisition.call)}`"
    start = short(" ".join(text(verdict.exit).split()), 50) if verdict.exit is not None else ""
    arming = short(" ".join(text(verdict.awaited).split()), 50) if verdict.awaited else ""
    line = _line(ctx, verdict.exit)
    armed_line = _line(ctx, verdict.awaited)
    return fit(
        f"{made}: `{name}` is not given back when `{start}` (line {line}) throws, one more "
        f"{kind.noun} {per}",
        f"`{name}` is not given back when the call at line {line} throws, one more "
        f"{kind.noun} {per}",
        f"`{name}` is not given back when the call at line {line} throws",
    ), [
        f"It runs in {where}; `{name}` is given back only by the callback armed at line "
        f"{armed_line} (`{arming}`), which runs once `{start}` (line {line}) has started the "
        f"work. A synchronous throw from that call, or from anything between the two, "
        f"leaves the callback armed for nothing and the {kind.noun} checked out for good.",
        f"Wrap the start in `try {{ … }} catch (err) {{ … give `{name}` back … }}`.",
    ]


def _release_hint(kind: ResourceKind, name: str) -> str:
    if kind.fd:
        return f"no `fs.closeSync({name})`"
    if "release" in kind.releases:
        method = "release"
    elif "close" in kind.releases or not kind.releases:
        method = "close"
    else:
        method = sorted(kind.releases)[0]  # ``free`` for a WebAssembly tokenizer
    return f"no `{name}.{method}()`"


def _learned(ctx: RuleContext, skip: set[int]) -> Iterator[Finding]:
    model = ctx.model
    for miss in learned_misses(model, skip):
        context = context_of(model, miss.call)
        if context.repetition is Repetition.ONCE:
            continue
        per = context.per or "per call"
        made = f"`{_created(miss.call)}`"
        yield ctx.finding(
            miss.call.node,
            fit(
                f"{made} is never `.{miss.method}()`ed, unlike {miss.others} other "
                f"`{miss.label}` results here, one more object {per}",
                f"{made} is never `.{miss.method}()`ed, one more object {per}",
                f"A `{miss.label}` result is never `.{miss.method}()`ed, one more object {per}",
            ),
            notes=[
                f"It runs in {context.where}, and {miss.others} other `{miss.label}` results in "
                f"this file are `.{miss.method}()`ed: whatever it opened stays open."
            ],
            confidence=Confidence.MEDIUM,
            fix=(
                f"Call `.{miss.method}()` on it on every path (in a `finally`), as the other "
                f"`{miss.label}` results in this file do."
            ),
        )
