"""## What it does
Flags `new Promise(executor)` whose executor declares no `resolve`/`reject` parameters, or
declares them but never calls, stores, returns or passes either of them on, when the promise
is created in code that runs repeatedly (a request handler, an event callback, a method, or
a function called from one of those).

It also flags `Promise.race([...])` / `Promise.any([...])` that subscribes, on every turn
of a loop or every run of a repeating function, to the *same* promise while that promise
stays pending: a binding declared outside the loop and not written in it (a parameter of
the looping function included), a module-level or closure binding that is never
reassigned, a `this` field that only constructors assign, or `this.m()` returning such a
field. When `m` is not defined in the class (inherited), its identity cannot be shown and
the finding is medium.

Deferreds parked in a collection of the instance (`this.pending[id] = { resolve, reject }`,
`this.pending.set(id, …)`) are flagged (medium) when the class has a teardown path — a
`close` / `destroy` … method, a `'close'` / `'end'` handler (`socket.onclose = …`), and the
methods they call — and none of it touches that table.

A detached waiter is flagged (medium): an `async` function started and dropped
(`(async () => { await cancelPromise; … })()`) on every run of a repeating function, whose
first act is to await a promise the caller passes in. Callers usually pass the same cancel
or shutdown promise to every call, and each waiter stays parked on it until it settles.

A loop written as a function that waits on its own next turn is flagged (medium):
`function poll() { return tick().then(() => poll()) }`, `.then(poll)`, `resolve(poll())`
in the executor of the promise it returns, or `return poll()` / `await poll()` after an
`await` in an `async` function (a method calling `this.poll()` alike). It is taken for an
endless loop, not a walk over data or a retry, when the call passes nothing new (no
arguments, or the function's own parameters), runs on every turn that gets that far (not
in a loop, a `catch` or a rejection handler, no `?:` or `&&` around it, and no `if` but one
on state that outlives the turn and that the function does not write itself: `if (live)
return poll();` is a loop its owner stops, `attempts++; if (attempts < 5) return poll();` a
bounded retry), and
the function returns no value and stops early only on state that outlives the turn
(`if (this.stopped) return`), not on what the turn computed.

## Why is this bad?
A promise that can never settle parks every `await` on it forever: the code after the
`await` and every enclosing `finally` never run. In a request handler that means the
response is never ended, so the client's socket, the request and the response stay open and
referenced by the server until the client gives up; a lock, a pooled connection or a
listener that the `finally` would have released is never released. One such call per
request is a leak that grows with traffic.

What V8 keeps is subtle, and the runtime proof in `examples/proofs/` measures it: a parked
async function is referenced from the promise it awaits, not from its own result promise.
When the never-settling promise is itself unreachable (created inline and stored nowhere),
V8 collects the parked frame; when the promise is long-lived (stored at module scope, in a
collection, shared by callers), the whole frame (arguments, locals, closures) stays in the
heap for good. Either way the work after the `await` never happens.

A race subscribes to every element: V8 adds a reaction to each promise, and a pending
promise keeps its reactions until it settles. The reaction holds the race's resolve
functions, hence the race's result promise and the value it settled with. Racing each turn
of a read loop against one session-wide abort promise therefore keeps every message read
for as long as the session lives (the proof measures 64 KiB kept per turn, none collected).

A function that waits on its own next turn never lets a turn settle: each turn's promise
is resolved with the next one's, so the chain of pending promises grows by one per turn for
as long as the loop runs (about 100 bytes per turn measured), and an `await poll()` keeps
every suspended frame with its live locals (about 400 bytes per turn with none). A poller
or a queue consumer runs for the life of the process. Starting the next turn without
waiting on it (`.then(() => { poll(); })`, `setTimeout(poll, ms)`) or a `while` loop keeps
nothing.

At module top level, or in a `main()` that runs once, `await new Promise(() => {})` is a
common way to keep a process alive and is not reported.

## Example
```js
app.get('/report', async (req, res) => {
  const rows = await db.query('select * from big_table');
  // ruleid: NLL601
  await new Promise(() => {
    res.write(render(rows));
  });
  res.end();
});

class Queue {
  async drain(job) {
    // ruleid: NLL601
    await new Promise((resolve, reject) => {
      job.start();
    });
  }
}

class Session {
  async readLoop(abortPromise) {
    while (!this.closed) {
      // ruleid: NLL601
      const msg = await Promise.race([this.transport.receive(), abortPromise]);
      this.dispatch(msg);
    }
  }
}

function pollFeed(feed) {
  return feed.fetch().then(() => {
    // ruleid: NLL601
    return sleep(1000).then(() => pollFeed(feed));
  });
}

let live = true;
async function processQueued() {
  try {
    await runNextTask();
    if (live) {
      // ruleid: NLL601
      return processQueued();
    }
  } catch (err) {
    console.error(err);
  }
}
```

## Use instead
```js
app.get('/report', async (req, res) => {
  const rows = await db.query('select * from big_table');
  await new Promise((resolve, reject) => {
    res.write(render(rows), (err) => (err ? reject(err) : resolve()));
  });
  res.end();
});

class Queue {
  async drain(job) {
    await new Promise((resolve, reject) => {
      job.once('done', resolve);
      job.once('error', reject);
      job.start();
    });
  }
}

class Session {
  async readLoop(signal) {
    while (!this.closed) {
      // The receive is cancelled through the signal: nothing long-lived is raced.
      const msg = await this.transport.receive({ signal });
      this.dispatch(msg);
    }
  }
}

function pollFeed(feed) {
  return feed.fetch().then(() => {
    // The next turn is started, not waited on: this turn settles.
    setTimeout(() => pollFeed(feed), 1000);
  });
}

let live = true;
async function processQueued() {
  try {
    await runNextTask();
    if (live) {
      setImmediate(processQueued); // started, not waited on
    }
  } catch (err) {
    console.error(err);
  }
}

// Runs once: keeping the process alive on purpose is fine.
async function main() {
  startServer();
  await new Promise(() => {});
}
main();
```

## Options
None.

## Known limits
Only inline executors are inspected; `new Promise(executor)` with a named function is not.
Any use of `resolve` or `reject` counts, even on a branch that may never run.
For races, whether the long-lived promise ever settles is not judged: a deadline made
before a loop (`const deadline = sleep(5000)`) bounds the growth to its lifetime and is
reported with medium confidence. A field assigned by any ordinary method is taken to
rotate (like a queue head) and is not reported. A detached waiter is followed only when it
awaits a parameter of the function that starts it, before doing anything else. Deferreds
are judged only for classes with a teardown path; a table that teardown touches in any way
(read, iterated, cleared) counts as settled. A self-waiting loop is followed only through a
call by the function's own name (or `this.m()` in a method); an ES5 method assigned to a
prototype, mutual recursion and a loop whose next turn is guarded by what the turn computed (`if
(task) return poll();`, taken for a drain that ends with its data) are not.
"""

from __future__ import annotations

from collections.abc import Iterator

from nodeleaklint.findings import Confidence, Finding, Severity
from nodeleaklint.rules.base import RuleContext, RuleMeta
from nodeleaklint.rules.headlines import fit, sentence
from nodeleaklint.semantics.confidence import ESTABLISHED, Evidence, certainty, confidence_of
from nodeleaklint.semantics.contexts import context_of, repetition_certainty
from nodeleaklint.semantics.promise_loops import self_waiting_calls
from nodeleaklint.semantics.promises import detached_waiters, long_lived_races, parked_deferreds
from nodeleaklint.semantics.scopes import Repetition
from nodeleaklint.semantics.syntax import is_function, snippet, unwrap

META = RuleMeta(
    id="NLL601",
    name="never-settling-promise",
    summary="Promise whose executor can never resolve or reject",
    fix=(
        "Call `resolve` or `reject` on every path (for example from the event that ends the "
        "work, with a timeout or an AbortSignal as a backstop), or drop the promise."
    ),
    severity=Severity.ERROR,
)


def check(ctx: RuleContext) -> Iterator[Finding]:
    model = ctx.model
    for call in model.calls_named("Promise"):
        if not call.is_new or call.obj is not None or not call.args:
            continue
        executor = unwrap(call.args[0])
        if not is_function(executor) or executor is None:
            continue
        info = model.function_at(executor)
        if info is None:
            continue
        if any(param.references for param in info.params):
            continue
        where = call.function
        repetition = model.repetition(where)
        if where is None or repetition is Repetition.ONCE:
            continue
        # What waits on it is its caller's frame, parked for good: the holder is seen.
        evidence = Evidence(repetition=repetition_certainty(model, call), holder=ESTABLISHED)
        confidence = confidence_of(evidence)
        params = (
            "declares no `resolve`/`reject`"
            if not info.params
            else ("never calls, stores or passes on `" + "`/`".join(info.param_names) + "`")
        )
        yield ctx.finding(
            call.node,
            fit(
                f"This `new Promise(…)` never settles: each run of {where.display()} that awaits "
                "it parks forever",
                f"This `new Promise(…)` never settles, so {where.display()} hangs on every run",
                "This `new Promise(…)` never settles: an `await` on it parks its caller forever, "
                "once per call",
            ),
            notes=[
                f"Its executor {params}, so an `await` on it never resumes {where.describe()}; "
                "the code after it and its `finally` blocks never run (responses stay open, "
                "resources are never released)."
            ],
            confidence=confidence,
        )
    yield from _races(ctx)
    yield from _deferreds(ctx)
    yield from _waiters(ctx)
    yield from _self_waits(ctx)


_RACE_FIX = (
    "Race only against promises made for this turn: give the work an `AbortSignal` and abort "
    "it when the long-lived event happens (subscribe to that promise once, outside the loop), "
    "or settle the long-lived promise's waiters yourself."
)


def _races(ctx: RuleContext) -> Iterator[Finding]:
    model = ctx.model
    for hold in long_lived_races(model):
        call = hold.call
        context = context_of(model, call)
        element = snippet(hold.element, 40)
        if hold.loop is not None:
            loop = hold.loop.type.split("_")[0]
            repeat = f"on every turn of the `{loop}` loop in {context.where}"
            brief = f"on every turn of a `{loop}` loop"
        else:
            repeat = f"on every run of {context.where}"
            brief = "on every call"
        # An endless loop around the race is its repetition; the long-lived promise is the
        # holder, seen only when it is shown to be the same promise every time.
        repetition = ESTABLISHED if hold.unbounded else repetition_certainty(model, call)
        confidence = confidence_of(Evidence(repetition=repetition, holder=certainty(hold.shown)))
        name = "race" if call.name == "race" else "any"
        yield ctx.finding(
            call.node,
            fit(
                f"`Promise.{name}([…])` {repeat} adds a reaction to `{element}`, kept until it "
                "settles",
                f"`Promise.{name}([…])` {brief} adds a reaction to `{element}`, kept until it "
                "settles",
                f"`Promise.{name}([…])` {brief} adds a reaction to `{element}`",
                f"`Promise.{name}([…])` {brief} adds a reaction to a long-lived promise",
            ),
            notes=[
                f"The race runs {repeat}, and `{element}` is {hold.why}: while it stays pending, "
                "each race leaves one more reaction on it, keeping that turn's values alive until "
                "it settles."
            ],
            confidence=confidence,
            fix=_RACE_FIX,
        )


def _deferreds(ctx: RuleContext) -> Iterator[Finding]:
    for parked in parked_deferreds(ctx.model):
        yield ctx.finding(
            parked.call.node,
            fit(
                f"This `new Promise(…)` parks `resolve`/`reject` in `{parked.collection}`, but "
                f"{parked.teardown} never settles them",
                f"This `new Promise(…)` parks `resolve`/`reject` in `{parked.collection}`, which "
                "teardown never settles",
                "This `new Promise(…)` parks `resolve`/`reject` in a table teardown never settles",
            ),
            notes=[
                f"{sentence(parked.teardown)[:-1]} neither settles nor clears that table: a "
                "request in flight when the owner closes never settles, and its caller waits "
                "forever with everything its frame holds."
            ],
            confidence=Confidence.MEDIUM,
            fix=(
                f"On teardown (and when the connection closes), reject every entry of "
                f"`{parked.collection}` and clear it."
            ),
        )


def _waiters(ctx: RuleContext) -> Iterator[Finding]:
    for waiter in detached_waiters(ctx.model):
        where = waiter.function.describe()
        yield ctx.finding(
            waiter.call,
            fit(
                f"A detached `async` function parks on `{waiter.param}` on every run of {where}",
                f"A detached `async` function parks on `{waiter.param}` on every call, one more "
                "frame until it settles",
                f"A detached `async` function parks on `{waiter.param}` on every call",
            ),
            notes=[
                f"It is started and dropped on every run of {where}, and `{waiter.param}` is a "
                "promise its caller passes in: a caller that passes the same long-lived promise "
                "(a cancel or shutdown signal) to every call leaves one more parked frame and "
                "reaction on it per call until it settles."
            ],
            confidence=Confidence.MEDIUM,
            related=[ctx.related(waiter.awaited, f"`{waiter.param}` is awaited here")],
            fix=(
                f"Do not start a waiter per call: check `{waiter.param}`'s outcome where the "
                "call's own work settles (the value `Promise.race` returns), or subscribe once "
                "per long-lived promise and share the result."
            ),
        )


_SELF_WAIT_HOW = {
    "then": "returns it from a handler of the promise chain it returns",
    "resolve": "resolves the promise it returns with it",
    "return": "returns it after an `await`",
    "await": "awaits it",
}


def _self_waits(ctx: RuleContext) -> Iterator[Finding]:
    for wait in self_waiting_calls(ctx.model):
        name = wait.function.display()
        how = _SELF_WAIT_HOW[wait.how]
        unit = "suspended frame" if wait.how == "await" else "pending promise"
        kept = (
            "Every turn's suspended frame, with its live locals, and its promise stay"
            if wait.how == "await"
            else "Every turn's promise, resolved with the next one and so still pending, stays"
        )
        yield ctx.finding(
            wait.call,
            fit(
                f"{name} waits on its own next turn: one more {unit} per turn while it loops",
                f"{name} waits on its own next turn: one more {unit} per turn",
                f"This loop waits on its own next turn: one more {unit} per turn",
            ),
            notes=[
                f"{sentence(name)[:-1]} runs as a loop: it calls itself once per turn with "
                f"nothing new and {how}, so no turn settles before the loop ends. {kept} in "
                "the heap for as long as it runs (a poller or a consumer runs for the life of "
                "the process)."
            ],
            confidence=Confidence.MEDIUM,
            fix=(
                "Write the loop as a loop (`while (!stopped) { await tick(); … }`), or start "
                "the next turn without waiting on it (`.then(() => { poll(); })`, "
                "`setTimeout(poll, ms)`), handling its errors there."
            ),
        )
