"""## What it does
Flags a long-lived collection that only ever grows. The holders are module-level (or
`exports.x = …`) `new Map()`, `new Set()`, `[]`, `{}` and `Object.create(null)`, class
`static` fields, `global.x = …` / `globalThis.x = …` properties, and — with medium
confidence — instance fields created in a constructor or field initializer
(`this.clients = new Set()`, `private cache = new Map<string, User>()`).
The rule reports one when code that runs repeatedly (a request handler, an event callback, a
method, or a function called from one of those) adds to it with `.set(key, …)`,
`.add(value)`, `.push(…)`, `.unshift(…)` or `x[key] = …` where the key (the value for
`.add`) is not a constant, and nothing in the file shrinks or bounds it: no `.delete`,
`.clear`, `.shift`, `.pop`, `.splice`, `length =` assignment, `delete x[key]`
(`Reflect.deleteProperty(x, key)`), reassignment,
or `size`/`length` comparison. Growth in a function of unknown repetition (exported, or
never called in the file) gives medium confidence, and so does a collection that is
exported or handed to another function, since code elsewhere may shrink it; when that
function is in the file and deletes from the parameter the collection reaches
(`registry.delete(key)`, also in a helper it hands the parameter on to), the collection is
shrunk and not reported (arguments reach parameters). So is an instance field that a
function of the file deletes from or replaces through a parameter that a call hands the
instance (`cleanup(this)` from a method, `function cleanup(sftp) { sftp._requests = {} }`,
also one call further on). Instance fields
must grow outside the constructor and never shrink anywhere in the class, and the instance
must be long-lived: the class is DI-decorated (NestJS `@Injectable()`), extends an emitter
or server, is instantiated at module top level, or the growth happens per event (also
through `handler.bind(this)` registered as a listener) or with keys that are new per call
(most classes are data structures that die with their owner, and their fields with them),
or its entries carry an expiry that reads check (`if (e.expiresAt <= Date.now()) return`):
entries with a lifetime live in a collection that outlives them, and skipping an expired
entry does not remove it. The class's name is not evidence: a `…Manager` or `…Service`
filled from configuration stays as small as its configuration. Nor is an instance
long-lived when the file makes every one as a local of a call (`const acc = new
Accumulator(…)` in a handler), the class is not exported, and neither the local nor the
field leaves that call (only its members are read or called, the field read in place:
`acc.urls.size`, `[...acc.urls]`): its fields die with the call (the project view says the
same of an exported class every file makes that way).

A cleanup that only empties an entry is not a delete: `m.set(key, undefined)` (or `null`)
when the work ends keeps the key, and a `Map` keyed per call keeps one entry per key ever
used. With no delete anywhere (a `clear()` of everything may exist), such a collection is
reported with that cleanup named, as for a delete that misses its entries.

Collections kept in a collection count too: a module-level `Map` or object whose values
are collections (the sockets of each token, the listeners of each topic) grows by members
added per call to an inner collection (`byToken.get(token).add(socket)`, a local holding
`byTopic[topic]`, `set = new Set()` put back with `set(k, set)`). A `delete(key)` on the
outer collection drops a whole inner collection at a time; when nothing removes members
from the inner collections (`.delete`, `.splice`, `.filter` … on a lookup, on a local
holding one, or while iterating the outer collection's values), each keeps every member
for as long as its key stays (medium). An inner collection handed to other code may be
shrunk there, and is left alone.

Keys are evidence (SPEC §1 *Key cardinality*): a counter, a generated id, a UUID, a
timestamp, a request URL or a peer address is new per call, and lifts the evidence needed
for instance fields; a function (a handler registered under a name) is configuration, and a
table whose entries are called (`handlers[name](…)`) is a dispatch table, not traffic.
A table of work awaiting a reply — an instance's collection keyed per call whose entries a
reply handler reads back, deletes and calls (`const ack = this.acks[packet.id]; delete
this.acks[packet.id]; ack(…)`) — must also be flushed by the class's teardown
(`disconnect()`, `close()`, its own `'close'` handler and what they call): when none of them
deletes or clears it, the entries still waiting when the work ends never get a reply and
stay (medium; SPEC §1 *Teardown completeness*). A class with no teardown gives no such
evidence.
A counter reaches the key through a read too: a field of `this` read after a statement of
the same function stepped it (`++this.replyIdCounter; const replyId =
this.replyIdCounter`), and a method's parameter when every `this.m(…)` call of it in the
class passes one (`this._registerAck(this.ids++, ack)`).
High confidence needs each growth to add an entry that stays: an append (`.push`), or a
key (a Set's member) new per call — the data of a request or of an external event (a
parameter of a route handler or of a listener on a socket, `process` or a client, its
parts, elements and conversions), a counter, a generated id, a fresh object. Arguments
reach parameters: a helper takes its keys from what its callers in view pass, a listener of
the project's own emitter (a module of the project, an instance of a class of this file or
of `EventEmitter`) from its `emit` calls in view. Keys that may come from a small set are
medium, and the message says where they come from: a constant and an integration's id
from the project's own `'integration-connected'` event emitted in another file, a property
of what a lookup returns (`registry.getPlugin(id).id`), module-level state (a configured
group), an event name (`'newListener'`), a part of an event that a `switch` narrows to its
literal `case` labels (`switch (msg.cmd) { case 'smtpReload': … msg.cmd … }`), or callers
out of view. The
elements of a list that a call given only constants returns
(`hooks.callAll('registerBlockElements').forEach((name) => set.add(name))`) are the same on
every run, so a Set or Map keyed by them stops growing after the first run (a `.push` of
them still grows). When every caller of the function whose parameter the key is passes one
fixed value there (a literal, a constant, an element of a literal list walked by `for…of` or
`forEach`, or nothing), the keys are the handful of values written in the code and the
collection is not reported (`statement(sql)` called only as `statement('SELECT 1')`): the
file's own callers can show it when they are all its callers (a function neither exported
nor handed on, or a TypeScript `private` / `#private` method that its file names only in
those calls), and the project view shows it for an exported function, or a method of the
one instance a file exports, from every call in the project (arguments reach parameters;
SPEC §1 "In view"). When one caller passes something else, the finding stays and names it
(`req.query.text` passed at `routes/api.js:19`). A
`clear()` that runs only in teardown (`close()`, `destroy()`, `onModuleDestroy()`) does not
bound a collection keyed per call: it grows for the instance's whole working life. A
method of the one instance a file makes at its top level and exports (`const manager = new
Manager(); export = manager`) that, with the project in view, only other files' start-up code
calls (module top level, code the project shows runs once, or a method of another such
instance that runs once in turn: `twitchAuth.registerProviders()` at start-up calling
`authManager.registerProvider(…)`), and that its own file never names (`this.register(…)`;
a member of an imported object, `ipcMain.on(…)`, is not this instance's), runs once: what it
adds (`register(game) { this.games.push(game) }` called for each built-in game at start-up)
is not reported; a call
from a request handler anywhere in the project makes it grow per call again. Setting
an object's entry to `null` keeps the key. Factories count as owners: the locals of a
function that returns an object of closures live as long as that object. So do the locals
a function shares with the one function it returns and that uses them (a hand-written
`memoize(fn)` returning `(key) => cache.get(key) ?? …`). Such an object or function lives
as long as the process when the file makes it at module top level and keeps it (`const
getUser = memoize(loadUser)`): then growth in its closures with keys from their callers is
reported (medium). The project view can tell too: an exported factory whose every caller
in other files runs once (`const board = createJobBoard()` in a start-up function) makes one
object. A local helper of the factory that a method of the returned object calls
(`dispatch(job) { return record(job) }`) runs per call of that method, not once with the
factory. A returned disposer that does not touch a collection (`return () =>
off(…)`) does not make the collection its own. Memoized functions (`memoizee` without
`max`, lodash `memoize`, `fast-memoize`) fed per-call values are unbounded caches too.

Per-call state hoisted out of a returned function is reported too (medium): a function, or
a class method, makes an array and returns a closure that, on each call, appends something
that call made (a result it awaited, a step capturing its arguments) and then reads the
array back (`return responses`, `stack[index](…)`), as if the array held that call's
elements only (`mw(handle)` returning `run(event)` that does `stack.push((n) =>
handle(event)); runner(0)`). The array lives as long as the returned function, a handler
kept for many events, so it grows by one element per call. Not when the closure only
appends (a spy whose calls its caller reads), appends its factory's own values, tests the
array's size (`if (results.length) return results[0]`: a latch or a bound), or empties it.

An array given a property under a key new per call (`pending[nanoid()] = res`) grows like
an object; `slots[i] = …` overwrites a slot.

Growth includes rebuilding the collection from itself: `x = [...x, v]`, `x = x.concat(v)`,
`x = { ...x, [k]: v }` and `x = Object.assign({}, x, { [k]: v })` keep every old entry and
add one (a filtered or sliced copy, or a rewrite of constant keys, does not).

Deletes are verified, not assumed (SPEC §1 *Cleanup is verified*), and reported with medium
confidence when they cannot reach the entries:
- every shrink is in a method that no code of the project runs (the project view): a class
  method, ES5 prototype method or factory closure (`purgeLocal(id)`, `clearInstances()`)
  that its own file never names and that no non-test file of the project names either
  (as a property, a destructured or imported name). Tests calling it do not count. Not for
  a package's entry point or a file it re-exports (callers out of view), nor for a file no
  non-test file of the view imports (checked alone, its callers may be out of view; a
  `require(ROOT + '/lib/x.js')` counts as importing the file whose path ends so). A delete
  of one entry there is the code's own word that entries should go one by one; a `clear()`
  needs the owner's lifetime shown as for any instance;
- every delete runs on one way only of the work ending: in a `catch` or `.catch(…)` (the
  entry stays when the work succeeds), in `.then(onFulfilled)` (it stays when the work
  fails), in an `'error'`, `'finish'`, `'end'`, `'timeout'` or `'aborted'` listener (a
  response the client aborts never emits `'finish'`, a reset socket never emits `'end'`; a
  `'close'` listener or a `finally` runs on every way), or in an option hook that fires on
  one way only (the MCP SDK's `onsessionclosed`, on an explicit DELETE). Deletes on the
  success and failure paths only need keys that are new per call (a result cache, or a
  registration undone when its `init()` fails, is not per piece of work);
- the only delete removes another key than the one its function looked up
  (`cbs.get(msg.callbackId)` … `cbs.delete(msg.msgId)`);
- the collection is a local that a listener registered by its function keeps (`const
  sessions = new Map(); rpc.on('new', …)` in `createWindow`), it is emptied only all at once
  (`sessions.forEach((s, key) => sessions.delete(key))` or `clear()`, when the window
  closes), and the code that adds an entry listens for the end of the stored value's own
  work and leaves the entry in (`sessions.set(uid, session); session.on('exit', () =>
  rpc.emit('exit', { uid }))`): every finished entry stays for the listener's life. Such
  locals are reported on this evidence only (a request body's chunks collected until
  `'end'` are not);
- every delete removes the keys of another collection it walks (`subs.forEach((clients,
  key) => channels.delete(key))`, `for (const [key] of subs)`), and the function that adds
  the entry looks that collection up with other keys, never with its own
  (`subs.get(displayId)` beside `channels.set(orderId, …)`, where `orderId` is not assigned
  from `displayId`): the two are keyed by different things, so the delete matches no entry;
- the function that adds an entry arms a timeout for it (`setTimeout(() =>
  this._cancel(id), ms)`), and nothing the timeout runs (its callback and what that calls,
  two levels deep) deletes the entry: only the other way of ending (the reply handler)
  deletes, so every request that times out stays (needs keys new per call);
- every delete sits in a callback that one growth site registers for its own entry
  (`user.once('destroy', () => idx.delete(user.id))`), and another growth site adds entries
  with no such callback;
- a sibling collection, grown under the same key in the same function, is deleted while this
  one never is (entries keyed by one id are evicted together);
- the code that ends a piece of work deletes its key from a sibling collection (grown
  elsewhere) and adds the same key to this one, which nothing deletes from
  (`conn.once('close', () => { delete this.active[id]; this.closed.add(id) })`: a registry
  of everything that has ended);
- expired entries are deleted only when the same key is read again after it expired (`const
  e = store.get(key); if (!e || Date.now() > e.exp) { store.delete(key); return null }`):
  an entry whose key is never read again (a user who never comes back) stays for good. Not
  when another delete may remove old entries: a sweep (a delete in a loop, or in a function
  that reads the clock), a delete run by a timer (`setTimeout(() => cacheDel(key), ttl)`,
  `setInterval(this.sweep.bind(this))`), or a `clear()`; deletes of keys a caller names
  (`cacheDel(key)`, a prefix invalidation) do not sweep;
- the only delete runs once the entry (a list kept under the key) is empty, and a branch
  before that test walks the list and removes each member from somewhere else while leaving
  it in the list (`else { cbs.forEach((cb) => emitter.removeListener(topic, cb)) }` before
  `if (cbs.length === 0) delete subs[topic]`): after that branch the key is never deleted;
- the function that adds an entry deletes a sibling collection's entry under the same key on
  a path that then leaves (`sessionCache.delete(hash); return null` when the session is
  missing or expired: a replacement, `delete` then `set`, is not that) and never this
  one's, which only another function deletes (an explicit logout); not when a sweep of old
  entries (a delete in a function that reads the clock or that a timer runs) deletes from
  this one;
- every delete runs only once the stored response has finished (`if (pending[id].finished)
  delete pending[id]` in a sweep, `writableFinished`, `writableEnded`) and the entries are
  the responses of a request handler (`pending[id] = res` in a `(req, res, next)`
  middleware): a response whose client disconnects first is destroyed and never finishes.
  Not when the test reads `destroyed`, `closed` or `aborted` too.
These shapes need keys that may be new per call (not from a small set), and since the code's
own delete says the collection outlives its entries, they need no further evidence that an
instance field's owner is long-lived.
A size check that only refuses new entries when full (`if (clients.length >= max) return`)
evicts nothing and is not a bound, and neither is the test of a counting loop
(`for (let i = 0; i < list.length; i++)`).

The finding is reported at the growth site; the declaration and the other growth sites are
related locations.

## Why is this bad?
A collection reachable from module scope, a class or `global` is a GC root for as long as
the process runs: every entry, and everything the entry references (a request, a user
object, a closure and its whole scope), stays in the old generation forever. One entry per
request is a slow, steady heap climb that ends in long mark-compact pauses and an
out-of-memory crash, usually days after deploy. Constant keys overwrite each other and stay
bounded; per-request keys (ids, URLs, IPs, session tokens) do not.

## Example
```js
const sessions = new Map();
const requestLog = [];

app.get('/login/:id', (req, res) => {
  sessions.set(req.params.id, req.user);
  // ruleid: NLL301
  requestLog.push({ url: req.url, at: Date.now() });
  res.end();
});

app.post('/logout/:id', (req, res) => {
  sessions.delete(req.params.id);
  res.end();
});
```

## Use instead
```js
const { LRUCache } = require('lru-cache');
const sessions = new LRUCache({ max: 10000, ttl: 15 * 60 * 1000 });
const recent = [];

app.get('/login/:id', (req, res) => {
  sessions.set(req.params.id, req.user);
  recent.push({ url: req.url, at: Date.now() });
  if (recent.length > 100) recent.shift();
  res.end();
});

// Metadata that should die with the request: a WeakMap keyed by the request.
const timings = new WeakMap();
app.use((req, res, next) => {
  timings.set(req, Date.now());
  next();
});
```

## Options
None.

## Known limits
Growth and shrinking are matched by name within one file, with one exception from the
project view: a module-level collection another file exports, grown here through its
imported name (`const { sockets } = require('./state')`), is reported when no file of the
project deletes from, clears or bounds it. Otherwise a collection handed to another
module, or grown through an alias passed to a helper, is not followed (it is reported with
medium confidence when it escapes, and missed when the growth itself happens elsewhere); a
helper of this file that deletes from the parameter it is handed counts as a shrink.
A `clear`, `splice`, `shift` or `pop` anywhere, a size check that evicts, and a delete in
an ordinary method count as a bound, even on a path that rarely runs; only the delete shapes
listed above are verified. A delete done in another file (an owner splicing a server's
client list) is not seen. A `.push` always counts as growth, even of a constant, since
every call adds an element.
Whether a key space is small (say, one entry per configured tenant) cannot be known
statically; such caches are reported and can be suppressed with a reason. The data of a
request or of an external event counts as new per call even when the client can only send
a few values (a dataset's name checked against a list further on), and a key whose only
source in view is constants is still reported, with medium confidence.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from nodeleaklint.findings import Confidence, Finding, Severity
from nodeleaklint.parsing import Node
from nodeleaklint.rules.base import RuleContext, RuleMeta
from nodeleaklint.rules.headlines import fit, fit_choice, sentence
from nodeleaklint.semantics.classes import RETURNED, Factory
from nodeleaklint.semantics.confidence import Evidence, certainty, confidence_of
from nodeleaklint.semantics.contexts import per_word
from nodeleaklint.semantics.eviction import (
    COMPARISONS,
    deadline_without_delete,
    deleted_key,
    describe_callback,
    emptied_on_some_paths,
    ended_in_place,
    evicts_by_age,
    expired_on_read,
    expiry_check,
    finished_only,
    foreign_keys,
    mismatched_lookup,
    one_way_only,
    paired_owner,
    sibling_deleted_alone,
    turns_away,
    walks,
    wholesale,
)
from nodeleaklint.semantics.hoisted import made_per_run, measured, method_factories, read_back
from nodeleaklint.semantics.instance_params import instance_parameters
from nodeleaklint.semantics.instances import process_lived_class, process_lived_factory
from nodeleaklint.semantics.local_instances import made_per_call_here
from nodeleaklint.semantics.locations import member_index, object_property, value_binding
from nodeleaklint.semantics.model import SemanticModel
from nodeleaklint.semantics.nested import nested_collections
from nodeleaklint.semantics.provenance import origin_of
from nodeleaklint.semantics.reachable import in_function
from nodeleaklint.semantics.repetition import has_handler_params, is_registration
from nodeleaklint.semantics.scopes import (
    Binding,
    BindingKind,
    CallSite,
    FunctionInfo,
    ReasonKind,
    Repetition,
    Scope,
)
from nodeleaklint.semantics.syntax import (
    FUNCTION_KINDS,
    call_arguments,
    callee_parts,
    dotted_name,
    is_inside,
    number_value,
    outer,
    short,
    text,
    unwrap,
)
from nodeleaklint.semantics.teardown import teardown_of, teardown_reach
from nodeleaklint.semantics.uncalled import never_run, seen_to_run
from nodeleaklint.semantics.values import (
    KeyOrigin,
    collection_kind,
    describe_origin,
    invokes_elements,
    is_callable_value,
    is_constant,
    key_origin,
    same_each_run,
    self_rewrite,
    shrinks_argument,
    unbounded_key,
)
from nodeleaklint.semantics.vocabulary import DELETE_FUNCTIONS, MEMOIZERS, SHRINK_METHODS

META = RuleMeta(
    id="NLL301",
    name="unbounded-collection",
    summary="Long-lived Map, Set, array or object that grows per call and is never shrunk",
    fix=(
        "Remove entries when the work they describe ends (`delete` on `close`/`finish`), bound "
        "the collection (an LRU/TTL cache such as `lru-cache`, or a size check that evicts), or "
        "key per-request metadata by the request in a `WeakMap`."
    ),
    severity=Severity.WARNING,
)

GROWTH_METHODS = {"Map": ("set",), "Set": ("add",), "array": ("push", "unshift"), "object": ()}
_FIELD_KINDS = frozenset({"field_definition", "public_field_definition"})
_GLOBAL_ROOTS = ("global", "globalThis")
_EXPORT_ROOTS = ("exports", "module.exports")
_WHAT = {"Map": "a `Map`", "Set": "a `Set`", "array": "an array", "object": "an object"}
# What one growth adds, for the headline.
_UNIT = {"Map": "an entry", "Set": "a member", "array": "an element", "object": "a property"}


@dataclass(eq=False, repr=False)
class Candidate:
    """A long-lived collection and the expressions that denote it."""

    report: Node
    holder: str
    kind: str
    refs: list[Node]
    instance: bool = False
    class_node: Node | None = None
    exported: str | None = None
    reassigned: bool = False
    declaration: Node | None = None  # the node whose assignment creates the collection
    teardown: list[FunctionInfo] | None = None  # a factory's teardown closures
    factory: Factory | None = None  # the factory whose locals hold it
    imported: bool = False  # declared in another file (the project view: nothing shrinks it)
    # A local kept alive by a listener its function registers: what it lives as long as.
    held_by: str | None = None
    field: str | None = None  # an instance field's name
    # Refs through a parameter a function of the file is handed the instance by (``sftp._x``
    # where a method calls ``cleanup(this)``): evidence of cleanup only.
    handed: frozenset[int] = frozenset()


@dataclass(eq=False, repr=False)
class Growth:
    """One place a collection grows, and what makes it run again and again."""

    site: Node
    shown: str
    origin: str
    function: FunctionInfo
    repetition: Repetition
    event_driven: bool
    unbounded: str | None = None  # why the key is new per call (SPEC §1 *Key cardinality*)
    key: Node | None = None  # the key (for ``.add`` / ``.push``: the value)
    # Where the key comes from (SPEC §1 *Key cardinality*); None for an array's append.
    key_origin: KeyOrigin | None = None

    @property
    def adds_entry(self) -> bool:
        """Each run adds an entry that stays: an append, or a key new per call (request data,
        a counter, a fresh object). A key of unknown or bounded origin may repeat and replace."""
        return self.key_origin is None or self.key_origin.is_new


@dataclass(eq=False, repr=False)
class Uses:
    """Everything done to one collection: how it grows, and what bounds or empties it."""

    growth: list[Growth] = field(default_factory=list)
    bounded: str | None = None
    sized: str | None = None  # a size check or ``length =``: a bound that is not a delete
    rejects: str | None = None  # a size check that turns new entries away and evicts none
    escapes: str | None = None
    reads: list[Node] = field(default_factory=list)  # ``c[k]`` / ``c.get(k)`` reads
    shrinks: list[Node] = field(default_factory=list)  # ``c.delete(k)``, ``delete c[k]`` …
    # ``c.set(k, undefined)``: an entry emptied, its key kept (a Map still has it)
    tombstones: list[Node] = field(default_factory=list)


def check(ctx: RuleContext) -> Iterator[Finding]:
    model = ctx.model
    index = _MemberIndex(model)
    candidates = [
        *_module_candidates(model),
        *_imported_candidates(model),
        *_property_candidates(model, index),
        *_class_candidates(model, index),
        *_factory_candidates(model),
        *_listener_held_candidates(model),
    ]
    yield from _memoized_caches(ctx)
    analysed = [(candidate, _uses(model, candidate)) for candidate in candidates]
    reported: set[int] = set()
    for candidate, finding in _grown_collections(ctx, analysed):
        reported.add(id(candidate))
        yield finding
    for candidate, uses in analysed:
        if id(candidate) not in reported:
            nested = _nested_finding(ctx, candidate, uses)
            if nested is not None:
                yield nested


def _grown_collections(
    ctx: RuleContext, analysed: list[tuple[Candidate, Uses]]
) -> Iterator[tuple[Candidate, Finding]]:
    """The collections that grow per call and keep their entries, with their findings."""
    model = ctx.model
    siblings = _evicted_siblings(model, analysed)
    for candidate, uses in analysed:
        sibling = siblings.get(id(uses))
        growth = [g for g in uses.growth if g.repetition is not Repetition.ONCE]
        if not growth or candidate.reassigned:
            continue
        if candidate.instance and model.created_per_call_elsewhere(_class_name(candidate)):
            continue  # the project creates each instance as a local of one call
        if (
            candidate.field is not None
            and not uses.escapes
            and made_per_call_here(model, candidate.class_node, candidate.field)
        ):
            continue  # so does this file, and neither the instance nor the field leaves it
        if candidate.held_by is not None:
            ended = _ended_in_place(model, candidate, uses, growth)
            if ended is not None:
                yield candidate, _finding(ctx, candidate, ended[0], uses, eviction=ended[1])
            continue  # a listener's local: reported on this evidence only
        dead = _never_run_shrinks(model, candidate, uses)
        if dead is not None:
            if (
                not candidate.instance
                or any(_is_delete(s) for s in uses.shrinks)  # its own per-entry cleanup
                or _instance_evidence(model, candidate, growth, uses)
            ):
                yield (
                    candidate,
                    _finding(
                        ctx,
                        candidate,
                        growth,
                        uses,
                        eviction=dead,
                        headline="no code runs its shrink",
                    ),
                )
            continue
        unreached = _unreached_entries(model, uses, growth)
        if unreached is not None:
            reached, why = unreached
            if (
                not candidate.instance
                or reached.keyed_by_own_cleanup
                or _instance_evidence(model, candidate, reached.growth, uses)
            ):
                yield candidate, _finding(ctx, candidate, reached.growth, uses, eviction=why)
            continue
        pending = _pending_past_teardown(model, candidate, uses, growth)
        if pending is not None:
            yield candidate, _finding(ctx, candidate, pending[0], uses, eviction=pending[1])
            continue
        tombstoned = _tombstoned(model, uses, growth)
        if tombstoned is not None:
            # the code's own cleanup says the collection outlives its entries
            adding, why = tombstoned
            yield candidate, _finding(ctx, candidate, adding, uses, eviction=why, keeps_keys=True)
            continue
        teardown_only = _shrinks_only_in_teardown(model, candidate, uses)
        if uses.bounded and (teardown_only is None or not any(g.unbounded for g in growth)):
            continue  # a clear in teardown matters only when keys are new per call (ids …)
        hoisted = _hoisted(model, candidate, growth)
        if (
            invokes_elements(model, uses.reads)
            and not any(g.unbounded for g in growth)
            and hoisted is None
        ):
            continue  # a dispatch table of handlers: filled by configuration, not traffic
        if candidate.instance and not (
            sibling or hoisted or _instance_evidence(model, candidate, growth, uses)
        ):
            continue  # most classes are short-lived data structures that die with their owner
        yield (
            candidate,
            _finding(ctx, candidate, growth, uses, teardown_only, sibling=sibling, hoisted=hoisted),
        )


def _nested_finding(ctx: RuleContext, candidate: Candidate, uses: Uses) -> Finding | None:
    """Members added per call to the collections kept inside this one, that nothing removes
    (``semantics.nested``): ``socketsByKey.get(token).add(socket)`` per connection. A
    ``delete(key)`` on the outer collection drops a whole inner collection at a time; a
    member leaves only when code removes it from its own (medium: whether the keys, and so
    the inner collections, are dropped in time is not in view)."""
    if candidate.kind not in ("Map", "object") or candidate.instance or candidate.reassigned:
        return None
    if candidate.exported or uses.escapes:
        return None  # code elsewhere may empty it
    model = ctx.model
    nested = nested_collections(model, candidate.refs)
    if nested.shrinks or nested.escapes:
        return None
    for inner in nested.growth:
        value = inner.value
        function = model.enclosing_function(inner.site)
        if function is None or model.repetition(function) is Repetition.ONCE:
            continue
        if is_constant(model, value) or same_each_run(model, value):
            continue  # the same members on every run
        if is_callable_value(model, value):
            continue  # handlers registered under a name: configuration
        return _nested_report(ctx, candidate, uses, inner.site, value, function)
    return None


def _nested_report(
    ctx: RuleContext,
    candidate: Candidate,
    uses: Uses,
    site: Node,
    value: Node,
    function: FunctionInfo,
) -> Finding:
    holder = _capital(candidate.holder)
    shown = short(text(site), 60)
    per = per_word(function)
    summary = "nothing removes members"
    headline = fit(
        f"{holder} keeps a collection per key that gains a member {per} at `{shown}`; {summary}",
        f"{holder} keeps collections that gain a member {per}; {summary}",
        f"A collection kept in this one gains a member {per}; {summary}",
    )
    dropped = (
        f"; `{short(text(uses.shrinks[0]), 40)}` drops a whole collection at a time"
        if uses.shrinks
        else ""
    )
    notes = [
        sentence(
            f"`{shown}` adds a member to a collection kept under a key in {candidate.holder}, "
            f"in {function.where_it_runs()}"
        ),
        sentence(f"What it adds is {describe_origin(ctx.model, value)}"),
        sentence(
            f"Nothing in this file removes members from those collections{dropped}, so each "
            "keeps every member for as long as its key stays, for the life of the process"
        ),
    ]
    related = [ctx.related(candidate.report, "the collection is created here")]
    return ctx.finding(site, headline, confidence=Confidence.MEDIUM, related=related, notes=notes)


def _evicted_siblings(
    model: SemanticModel, analysed: list[tuple[Candidate, Uses]]
) -> dict[int, str]:
    """Collections grown with the same key in the same function as a sibling that is deleted
    somewhere, while they never are (SPEC §1: sibling collections keyed by the same id are
    evicted together). ``id(uses)`` -> why, for the message."""
    deleted: dict[tuple[int, str], tuple[Candidate, Growth]] = {}
    for candidate, uses in analysed:
        if candidate.reassigned:
            continue
        deletes = [s for s in uses.shrinks if _is_delete(s)]
        for g in uses.growth:
            key = unwrap(g.key)
            # a delete beside the growth (``if (v) m[k] = v; else delete m[k]``) toggles an
            # entry; eviction at the end of the work happens elsewhere
            elsewhere = any(not in_function(model, d, g.function) for d in deletes)
            if key is not None and candidate.kind != "array" and elsewhere:
                deleted.setdefault((g.function.node.id, text(key)), (candidate, g))
    # ``delete active[id]; closed.add(id)``: the same function evicts the key from a sibling
    # and keeps it in this one (a registry of what has ended). The sibling must grow
    # elsewhere: a delete beside its own growth toggles an entry, it ends no work.
    evicting: dict[tuple[int, str], tuple[Candidate, Node]] = {}
    for candidate, uses in analysed:
        for shrink in uses.shrinks:
            key = unwrap(deleted_key(shrink)) if _is_delete(shrink) else None
            function = model.enclosing_function(shrink) if key is not None else None
            if key is None or function is None:
                continue
            if any(g.function is function for g in uses.growth):
                continue
            evicting.setdefault((function.node.id, text(key)), (candidate, shrink))
    found: dict[int, str] = {}
    for candidate, uses in analysed:
        if uses.bounded:
            continue
        for g in uses.growth:
            key = unwrap(g.key)
            if key is None:
                continue
            match = deleted.get((g.function.node.id, text(key)))
            if candidate.kind != "array" and match is not None and match[0] is not candidate:
                _sibling, where = match
                found[id(uses)] = (
                    f"`{where.shown}` fills a sibling collection under the same key "
                    f"`{short(text(key))}` and that one is deleted"
                )
                break
            moved = evicting.get((g.function.node.id, text(key)))
            if (
                moved is not None
                and moved[0] is not candidate
                and g.repetition is not Repetition.ONCE
            ):
                found[id(uses)] = (
                    f"`{short(text(moved[1]), 40)}` removes the same `{short(text(key))}` from a "
                    "sibling collection in the same place, and this one keeps it"
                )
                break
    return found


def _instance_evidence(
    model: SemanticModel, candidate: Candidate, growth: list[Growth], uses: Uses
) -> bool:
    """Whether an instance field's owner outlives the work its entries describe: growth per
    event or with keys new per call, entries that expire (the code's own TTL check says the
    collection outlives them), or a class whose instances are long-lived."""
    return (
        any(g.event_driven or g.unbounded for g in growth)
        or expiry_check(model, uses.reads) is not None
        or _long_lived_class(model, candidate.class_node)
        or (candidate.factory is not None and _made_once(model, candidate) is not None)
    )


def _returned_closure(candidate: Candidate) -> FunctionInfo | None:
    """The function whose locals hold the collection returns, when it returns one."""
    return candidate.factory.methods.get(RETURNED) if candidate.factory is not None else None


def _code_per_run(
    model: SemanticModel, candidate: Candidate, site: Node, stored: Node | None
) -> bool:
    """A function literal the returned closure makes on each run and appends to its factory's
    array, which the same run then reads back (``stack.push((n) => handle(e)); …
    stack[index](…)``): per-call work, not a handler configured once."""
    closure = _returned_closure(candidate)
    value = unwrap(stored)
    return (
        closure is not None
        and candidate.kind == "array"
        and value is not None
        and value.type in FUNCTION_KINDS
        and is_inside(value, closure.node)
        and read_back(candidate.refs, closure, site) is not None
    )


def _hoisted(model: SemanticModel, candidate: Candidate, growth: list[Growth]) -> str | None:
    """Per-call state hoisted out of a returned function (``semantics.hoisted``): the array is
    a local of the function that makes the closure, so it lives as long as the closure; each
    run of the closure appends something it made and then reads the array back as if it
    held that run's elements only. Why, for the message; None when it is not so."""
    closure = _returned_closure(candidate)
    if closure is None or candidate.kind != "array" or candidate.factory is None:
        return None
    if measured(candidate.refs, closure):
        return None  # ``if (results.length) return results[0]``: a latch or a bound
    for g in growth:
        if not is_inside(g.site, closure.node) or not made_per_run(model, g.key, closure):
            continue
        back = read_back(candidate.refs, closure, g.site)
        if back is None:
            continue
        return (
            f"each call of the function {candidate.factory.function.display()} returns adds "
            f"to it at `{g.shown}` and then reads it back (`{short(text(back), 40)}`) as if it "
            "held that call's elements only, but the array is made once, when the function "
            "is made, and outlives every call of it"
        )
    return None


def _made_once(model: SemanticModel, candidate: Candidate) -> str | None:
    """Why the object or function holding a factory's collection lives as long as the
    process (``instances.process_lived_factory``), when the collection is a factory's."""
    if candidate.factory is None:
        return None
    made = process_lived_factory(model, candidate.factory)
    if made is not None:
        return made
    function = candidate.factory.function
    if (  # the project view: every caller elsewhere runs once (it speaks of exports only)
        function.exported
        and function.class_node is None
        and function.reason_kind is ReasonKind.ONCE
        and function.repetition is Repetition.ONCE
    ):
        return f"made once: {function.display()} is {function.reason}"
    return None


def _never_run_shrinks(model: SemanticModel, candidate: Candidate, uses: Uses) -> str | None:
    """Every shrink of the collection lies in a method that no code of the project runs
    (``semantics.uncalled``, the project view): no cleanup at all. A per-entry delete there
    is the code's own word that entries should go one by one. Why, for the message."""
    if not uses.shrinks or uses.sized or candidate.exported:
        return None
    where: list[str] = []
    driven: set[str] = set()
    for shrink in uses.shrinks:
        found = never_run(model, shrink)
        if found is None:
            return None
        where.append(found[0])
        driven.update(found[1])
    if not any(seen_to_run(model, g.function, tuple(driven)) for g in uses.growth):
        return None  # nothing in view is seen to grow it either
    shown = short(text(uses.shrinks[0]), 40)
    return (
        f"its only shrink, `{shown}`, is in {where[0]}: nothing that runs in production removes "
        "an entry"
        if len(set(where)) == 1
        else f"its shrinks (`{shown}` …) are in {' and '.join(sorted(set(where))[:2])}: nothing "
        "that runs in production removes an entry"
    )


@dataclass(eq=False, repr=False)
class _Unreached:
    """Growth sites whose entries no delete of the collection reaches."""

    growth: list[Growth]
    # The deletes evict the entries of other growth sites only: the code's own cleanup says
    # the collection outlives its entries, no further evidence of the owner's lifetime needed.
    keyed_by_own_cleanup: bool = False


def _unreached_entries(
    model: SemanticModel, uses: Uses, growth: list[Growth]
) -> tuple[_Unreached, str] | None:
    """Deletes that exist but do not reach the entries (SPEC §1 *Cleanup is verified*): a
    delete of another key than the one looked up, deletes that all run on one way of the work
    ending, or deletes registered by one growth site for its own entries only. Returns the
    growth sites left unreached and why, else None (the deletes count as a bound)."""
    shrinks = uses.shrinks
    if uses.sized or not shrinks or not all(_is_delete(s) for s in shrinks):
        return None
    mismatched = [(s, lookup) for s in shrinks if (lookup := mismatched_lookup(model, s))]
    if mismatched:
        if len(mismatched) < len(shrinks) or not any(g.unbounded for g in growth):
            return None
        delete, lookup = mismatched[0]
        key = deleted_key(delete)
        function = model.enclosing_function(delete)
        where = function.display() if function is not None else "the code"
        return _Unreached(growth), (
            f"its only delete, in {where}, removes `{short(text(key))}` although it looked the "
            f"entry up as `{short(text(lookup))}` (the entry found stays)"
        )
    foreign = _foreign_key_deletes(model, shrinks, growth)
    if foreign is not None:
        return foreign
    paired = _paired_deletes(model, shrinks, growth)
    if paired is not None:
        return paired
    timed_out = _timed_out_entries(model, shrinks, growth)
    if timed_out is not None:
        return timed_out
    guarded = _guarded_deletes(model, shrinks, growth)
    if guarded is not None:
        return guarded
    endings = one_way_only(model, shrinks)
    if endings is None:
        return None
    if endings[0].way in ("failure", "success") and not any(g.unbounded for g in growth):
        return None  # keys that may repeat: a result cache, or a registration undone on failure
    where = "; ".join(sorted({e.where for e in endings})[:2])
    return _Unreached(growth), (
        f"it is deleted only {endings[0].covered} ({where}), never {endings[0].missed}"
    )


def _pending_past_teardown(
    model: SemanticModel, candidate: Candidate, uses: Uses, growth: list[Growth]
) -> tuple[list[Growth], str] | None:
    """A table of work awaiting a reply: an instance's collection keyed per call (a counter,
    an id), whose entries are read back, called and deleted in the same function
    (``const ack = this.acks[packet.id]; delete this.acks[packet.id]; ack(…)``: a reply
    handler), while the class's teardown
    (``disconnect()``, ``close()``, its own ``'close'`` handler, and what they call) never
    deletes or clears it: the entries still waiting when the instance's work ends never get
    their reply and stay (SPEC §1 *Teardown completeness*)."""
    if not candidate.instance or candidate.class_node is None or uses.sized or uses.escapes:
        return None
    shrinks = uses.shrinks
    if not shrinks or not all(_is_delete(s) for s in shrinks):
        return None
    unbounded = [g for g in growth if g.unbounded]
    deleting = {f.node.id for s in shrinks if (f := model.enclosing_function(s)) is not None}
    replies = [
        r
        for r in uses.reads
        if (f := model.enclosing_function(r)) is not None and f.node.id in deleting
    ]
    if not unbounded or not invokes_elements(model, replies):
        return None  # no delete sits where an entry is read back and called: not replies
    info = model.class_info(candidate.class_node)
    if info is None:
        return None
    teardown, flushed = teardown_reach(model, info, shrinks)
    if not teardown or flushed:
        return None
    names = sorted({f"`{m.name}()`" for m in teardown if m.name} or {"its closing handler"})
    where = sorted({f.display() for s in shrinks if (f := model.enclosing_function(s)) is not None})
    return unbounded, (
        f"its entries are deleted as their replies come ({'; '.join(where[:2])}), but its "
        f"teardown ({', '.join(names[:3])}) never deletes or clears them: entries still "
        "waiting when the work ends stay"
    )


def _foreign_key_deletes(
    model: SemanticModel, shrinks: list[Node], growth: list[Growth]
) -> tuple[_Unreached, str] | None:
    """Every delete removes the keys of another collection it walks, and every function that
    adds an entry looks that other collection up with other keys, never with its own
    (``eviction.foreign_keys``): the deletes match no entry added here."""
    found: list[tuple[Node, list[Node]]] = []
    for g in growth:
        if g.key_origin is not None and g.key_origin.bounded:
            return None  # keys from a small set: the collection stays small whatever it deletes
        for delete in shrinks:
            foreign = foreign_keys(model, delete, g.function, g.key)
            if foreign is None:
                return None
            found.append(foreign)
    if not found or not growth:
        return None
    other, used = found[0]
    key = unwrap(growth[0].key)
    where = model.enclosing_function(shrinks[0])
    shown = where.display() if where is not None else "the code"
    return _Unreached(growth, keyed_by_own_cleanup=True), (
        f"its only delete, in {shown}, removes the keys of `{short(text(other), 40)}`, which "
        f"{growth[0].function.display()} looks up by {_keys_shown(used)}, never by "
        f"`{short(text(key), 30)}`, the key this one is filled with: the delete matches none "
        "of its entries"
    )


def _keys_shown(keys: list[Node]) -> str:
    shown = list(dict.fromkeys(f"`{short(text(k), 30)}`" for k in keys))[:3]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"


def _paired_deletes(
    model: SemanticModel, shrinks: list[Node], growth: list[Growth]
) -> tuple[_Unreached, str] | None:
    """Every delete sits in a callback one growth site registers for its own entry; the
    entries other growth sites add have no such callback."""
    owners: list[FunctionInfo] = []
    for delete in shrinks:
        owner = paired_owner(model, delete)
        if owner is None:
            return None
        owners.append(owner)
    unreached = [g for g in growth if not any(in_function(model, g.site, o) for o in owners)]
    if not unreached or len(unreached) == len(growth):
        return None
    callback = model.enclosing_function(shrinks[0])
    registered = describe_callback(callback) if callback is not None else "its callback"
    return _Unreached(unreached, keyed_by_own_cleanup=True), (
        f"{owners[0].display()} deletes the entries it adds when {registered} fires, but "
        "nothing deletes the entries added here"
    )


def _timed_out_entries(
    model: SemanticModel, shrinks: list[Node], growth: list[Growth]
) -> tuple[_Unreached, str] | None:
    """Each entry gets a timeout where it is added, and the timeout ends its work without a
    delete (``eviction.deadline_without_delete``): only the other way of ending (a reply)
    deletes. The code's own delete says the collection outlives its entries."""
    for grown in growth:
        if not grown.unbounded:
            continue  # a key that may repeat is replaced by the next entry for it
        deadline = deadline_without_delete(model, shrinks, grown.site)
        if deadline is None:
            continue
        where = model.enclosing_function(shrinks[0])
        deleter = where.display() if where is not None else "other code"
        return _Unreached([grown], keyed_by_own_cleanup=True), (
            f"the timeout set for each entry (`{short(deadline.timer.display(40), 48)}` in "
            f"{grown.function.display()}) ends its work with {deadline.ends_in}, which never "
            f"deletes it; only {deleter} deletes"
        )
    return None


def _guarded_deletes(
    model: SemanticModel, shrinks: list[Node], growth: list[Growth]
) -> tuple[_Unreached, str] | None:
    """Deletes that exist but sit behind a guard some entries never satisfy (SPEC §1
    *Cleanup is verified*): every delete runs only when the same key is read again after it
    expired (``eviction.expired_on_read``), or only once the entry is empty while a branch
    before it leaves the entry full (``eviction.emptied_on_some_paths``); or the function
    that adds an entry deletes a sibling's entry under the same key on some path and never
    this one's (``eviction.sibling_deleted_alone``)."""
    open_keys = [g for g in growth if g.key_origin is None or not g.key_origin.bounded]
    if not open_keys:
        return None  # keys from a small set are replaced, not added
    lazy = [(s, e) for s in shrinks if (e := expired_on_read(model, s)) is not None]
    others = [s for s in shrinks if all(s is not d for d, _e in lazy)]
    if lazy and not any(evicts_by_age(model, s) for s in others):
        delete, expiry = lazy[0]
        where = _where(model, delete)
        named = (
            f" (the other deletes, in {_and_names(model, others)}, remove only keys their "
            "callers name)"
            if others
            else ""
        )
        return _Unreached(open_keys, keyed_by_own_cleanup=True), (
            f"its expired entries are deleted only by `{short(text(delete), 40)}` in {where}, "
            f"when the same key is read again after it expired (`{short(text(expiry), 40)}`)"
            f"{named}: an entry whose key is never read again is never deleted, and nothing "
            "sweeps expired entries or bounds the size"
        )
    finished = [finished_only(model, s) for s in shrinks]
    responses = [g for g in open_keys if _stores_response(model, g)]
    if responses and finished[0] is not None and all(f is not None for f in finished):
        return _Unreached(responses, keyed_by_own_cleanup=True), (
            f"its deletes run only once the stored response has finished "
            f"(`{short(text(finished[0]), 40)}` in {_where(model, shrinks[0])}): a response "
            "whose client disconnects first is destroyed and never finishes: its entry stays"
        )
    kept = [emptied_on_some_paths(model, s) for s in shrinks]
    first = kept[0]
    if first is not None and all(k is not None for k in kept):
        line = first.branch.start_point[0] + 1
        return _Unreached(open_keys, keyed_by_own_cleanup=True), (
            f"its only delete, `{short(text(shrinks[0]), 40)}` in {_where(model, shrinks[0])}, "
            f"runs only when `{short(text(first.guard), 40)}`, but the branch at line {line} "
            f"calls `{short(first.removal.display(40), 48)}` for each member and leaves them "
            "in the entry: after it the entry is never empty and its key is never deleted"
        )
    if any(evicts_by_age(model, s) for s in shrinks):
        return None  # a sweep of old entries reaches every key in time
    alone = [(g, s) for g in open_keys if (s := sibling_deleted_alone(model, shrinks, g.site))]
    if not alone:
        return None
    grown, sibling = alone[0]
    line = sibling.node.start_point[0] + 1
    return _Unreached([g for g, _s in alone], keyed_by_own_cleanup=True), (
        f"{grown.function.display()} deletes the sibling entry under the same key "
        f"(`{short(sibling.display(40), 48)}` on line {line}) but not this one, which only "
        f"{_where(model, shrinks[0])} deletes"
    )


def _stores_response(model: SemanticModel, grown: Growth) -> bool:
    """The growth stores the response of a request handler (``pending[id] = res`` in a
    ``(req, res, next)`` function): the second of its handler parameters."""
    site = grown.site
    if site.type == "call_expression":
        args = call_arguments(site)
        value = unwrap(args[-1]) if args else None
    else:
        value = unwrap(site.child_by_field_name("right"))
    if value is None or value.type != "identifier" or not has_handler_params(grown.function):
        return False
    binding = model.binding_of(value)
    params = grown.function.params
    return binding is not None and len(params) >= 2 and binding is params[1]


def _and_names(model: SemanticModel, nodes: list[Node]) -> str:
    names = sorted({_where(model, node) for node in nodes})
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _where(model: SemanticModel, node: Node) -> str:
    function = model.enclosing_function(node)
    return function.display() if function is not None else "the code"


def _tombstoned(
    model: SemanticModel, uses: Uses, growth: list[Growth]
) -> tuple[list[Growth], str] | None:
    """The per-entry cleanup is ``m.set(key, undefined)`` (SPEC §1 *Cleanup is verified*): it
    empties the entry and keeps its key, so a Map keyed per call keeps one entry per key
    ever used. Only when nothing deletes an entry (a ``clear()`` of everything may exist)
    and the keys may differ per call (not from a bounded set). Returns the growth sites that
    add entries (not the tombstones) and why, for the message."""
    if not uses.tombstones or uses.sized or any(_is_delete(s) for s in uses.shrinks):
        return None
    tombstones = {id(node) for node in uses.tombstones}
    adding = [
        g
        for g in growth
        if id(g.site) not in tombstones and (g.key_origin is None or not g.key_origin.bounded)
    ]
    if not adding:
        return None
    keys = {text(unwrap(g.key)) for g in adding}
    for tombstone in uses.tombstones:
        args = call_arguments(tombstone)
        if text(unwrap(args[0])) not in keys:
            continue
        function = model.enclosing_function(tombstone)
        where = function.display() if function is not None else "the code"
        return adding, (
            f"its per-entry cleanup, `{short(text(tombstone), 48)}` in {where}, only sets the "
            "value to nothing and keeps the key (a Map entry holding `undefined` is still an "
            "entry)"
        )
    return None


def _is_nothing(node: Node | None) -> bool:
    """``undefined``, ``null`` or ``void 0``."""
    value = unwrap(node)
    return value is not None and (value.type in ("null", "undefined") or text(value) == "void 0")


def _is_delete(shrink: Node) -> bool:
    """``c.delete(k)`` or ``delete c[k]``: removes one entry (not ``clear``/``splice`` …)."""
    if shrink.type == "unary_expression":
        return True
    _obj, name = callee_parts(shrink)
    return name == "delete"


def _memoized_caches(ctx: RuleContext) -> Iterator[Finding]:
    """``const f = memoizee(load)`` with no ``max``: the memoized function keeps a cache
    entry per distinct argument (per object, by identity). Called with per-call values from
    code that repeats, the cache grows like any unbounded map."""
    model = ctx.model
    names = {"memoize"} | {
        binding.name
        for binding in model.module_scope.bindings.values()
        if binding.module_source is not None and binding.module_source in MEMOIZERS
    }
    for call in model.calls_named(*sorted(names)):
        if call.is_new or not call.args:
            continue
        origin = origin_of(model, call.callee)
        exports = MEMOIZERS.get(origin.module) if origin is not None else None
        if origin is None or exports is None or origin.export not in exports:
            continue
        bound = exports[origin.export]
        options = unwrap(call.args[1]) if len(call.args) > 1 else None
        if (
            bound
            and options is not None
            and (options.type != "object" or object_property(options, bound) is not None)
        ):
            continue  # bounded (or options we cannot read)
        binding = _kept_in(model, call)
        if binding is None:
            continue
        fed = _fed_per_call(model, binding)
        if fed is None:
            continue
        site, argument = fed
        caller = site.function
        where = caller.describe() if caller is not None else "module top level"
        limit = f"no `{bound}` option" if bound else "no size bound"
        headline, notes = _memoized_explanation(
            f"`{short(text(call.node), 40)}`", limit, binding.name, per_word(caller)
        )
        notes.append(
            sentence(
                f"`{site.display(40)}` in {where} passes {argument}: the cache inside "
                f"`{binding.name}` grows for as long as `{binding.name}` lives"
            )
        )
        yield ctx.finding(
            call.node,
            headline,
            confidence=Confidence.MEDIUM,
            related=[ctx.related(site.node, "called with a per-call value here")],
            notes=notes,
        )


def _memoized_explanation(memoized: str, limit: str, name: str, per: str) -> tuple[str, list[str]]:
    """The headline of a memoize finding, and a note with the memoizing call when the
    headline had to leave it out."""
    whole = f"{memoized} keeps one cache entry per distinct argument with {limit}"
    variants = (
        f"{whole}; `{name}` gets a new argument {per}",
        f"The cache inside `{name}` keeps one entry per distinct argument with {limit}, "
        f"a new one {per}",
        f"The cache inside `{name}` gains an entry {per}, with {limit}",
    )
    chosen = fit_choice(*variants)
    return variants[chosen], [] if chosen == 0 else [sentence(whole)]


def _kept_in(model: SemanticModel, call: CallSite) -> Binding | None:
    """The binding a memoized function is stored in, when it outlives one call: module
    level, or captured by a closure its function returns."""
    parent = call.node.parent
    if parent is None or parent.type != "variable_declarator":
        return None
    name = parent.child_by_field_name("name")
    binding = model.binding_of(name) if name is not None else None
    if binding is None or binding.is_reassigned:
        return None
    if binding.is_module_level:
        return binding
    owner = model.enclosing_function(call.node)
    for reference in binding.references:
        user = model.enclosing_function(reference)
        if user is not None and user is not owner and user.returned:
            return binding
    return None


def _fed_per_call(model: SemanticModel, binding: Binding) -> tuple[CallSite, str] | None:
    """A call of the memoized function with a non-constant argument in code that repeats
    (or whose repetition is unknown), and how the argument is described."""
    for reference in binding.references:
        parent = outer(reference).parent
        call = model.call_at(parent) if parent is not None else None
        if call is None or call.callee is None or call.callee.id != outer(reference).id:
            continue
        if call.function is None or call.function.repetition is Repetition.ONCE:
            continue
        for argument in call.args:
            if is_constant(model, argument):
                continue
            fresh = unwrap(argument)
            if fresh is not None and fresh.type in ("object", "array"):
                return call, "a new object per call, which never hits the cache"
            return call, describe_origin(model, argument)
    return None


def _shrinks_only_in_teardown(model: SemanticModel, candidate: Candidate, uses: Uses) -> str | None:
    """``close() { this.pending.clear() }`` as the only shrink: the collection still grows
    for the instance's whole working life (SPEC §1 *Method frequency*). Names the teardown."""
    if not candidate.instance or not uses.shrinks:
        return None
    teardown = candidate.teardown
    if teardown is None:
        info = model.class_info(candidate.class_node)
        teardown = teardown_of(model, info).methods if info is not None else []
    names: list[str] = []
    for shrink in uses.shrinks:
        owner = next(
            (m for m in teardown if is_inside(shrink, m.node)),
            None,
        )
        if owner is None:
            return None
        names.append(f"`{owner.name}()`" if owner.name else "its teardown")
    return sorted(set(names))[0]


_EMITTER_BASES = ("EventEmitter", "Emitter", "Server", "Duplex", "Readable", "Writable")


def _class_name(candidate: Candidate) -> str | None:
    name = candidate.class_node.child_by_field_name("name") if candidate.class_node else None
    return text(name) if name is not None else None


def _long_lived_class(model: SemanticModel, class_node: Node | None) -> bool:
    """Evidence that instances live as long as the process: a DI-decorated class (NestJS
    ``@Injectable()``), an emitter or server subclass (framework base classes), or one
    instantiated at module top level in this file. Never the class's own name. (One instance
    created at start-up in another file counts only with growth per request or event there:
    a registry filled by name at start-up is configuration.)"""
    if class_node is None:
        return False
    if process_lived_class(model, class_node, elsewhere=False, decorated=True) is not None:
        return True
    info = model.class_info(class_node)
    heritage = info.heritage if info is not None else None
    return heritage is not None and heritage.split("<")[0].rstrip().endswith(_EMITTER_BASES)


# -- candidates ---------------------------------------------------------------------------


def _collection_bindings(scope: Scope) -> Iterator[tuple[Binding, str]]:
    """Variables of ``scope`` initialised with a growable collection, and its kind."""
    for binding in scope.bindings.values():
        if binding.kind not in (BindingKind.VAR, BindingKind.LET, BindingKind.CONST):
            continue
        if binding.destructured or binding.declarator is None:
            continue
        kind = collection_kind(binding.init)
        if kind is not None:
            yield binding, kind


def _imported_candidates(model: SemanticModel) -> Iterator[Candidate]:
    """Collections another file of the project declares and exports and no file of the
    project shrinks (the project view), grown here through the imported name."""
    table = model.imported_collections
    # Looked up by the file's own imports (the only names the view fills it with), not read
    # whole: a file that imports none of them is not checked again for them.
    for binding in model.module_scope.bindings.values():
        if binding.module_source is None or binding.is_reassigned:
            continue
        entry = table.get(binding.name)
        if entry is None:
            continue
        kind, where = entry
        yield Candidate(
            report=binding.declarator or binding.node,
            holder=f"the imported {where}",
            kind=kind,
            refs=[ref for ref in binding.references if ref.id != binding.node.id],
            imported=True,
        )


def _module_candidates(model: SemanticModel) -> Iterator[Candidate]:
    for binding, kind in _collection_bindings(model.module_scope):
        assert binding.declarator is not None
        yield Candidate(
            report=binding.declarator,
            holder=f"the {'exported' if binding.exported else 'module-level'} `{binding.name}`",
            kind=kind,
            refs=[ref for ref in binding.references if ref.id != binding.node.id],
            exported=binding.name if binding.exported else None,
            reassigned=_binding_reassigned(model, binding),
        )


def _property_candidates(model: SemanticModel, index: _MemberIndex) -> Iterator[Candidate]:
    """``global.x = new Map()``, ``exports.x = []`` and ``Foo.registry = {}`` at top level."""
    for assignment in model.assignments_in(None):  # top level (the walk noted each one's)
        if assignment.type != "assignment_expression":
            continue
        kind = collection_kind(assignment.child_by_field_name("right"))
        if kind is None:
            continue  # before the left side's name: most top-level writes store no collection
        left = unwrap(assignment.child_by_field_name("left"))
        name = dotted_name(left)
        if left is None or name is None or "." not in name:
            continue
        root, prop = name.split(".", 1)[0], name.rsplit(".", 1)[1]
        names = {name}
        exported: str | None = None
        if root in _GLOBAL_ROOTS and name.count(".") == 1:
            names = {f"{g}.{prop}" for g in _GLOBAL_ROOTS}
            holder = f"the global `{name}`"
        elif name.startswith(("exports.", "module.exports.")) and name.count(".") == (
            1 if root == "exports" else 2
        ):
            names = {f"{e}.{prop}" for e in _EXPORT_ROOTS}
            holder, exported = f"the exported `{name}`", prop
        else:
            binding = model.resolve(root, assignment)
            if binding is None or not binding.is_module_level or root in ("module", "this"):
                continue
            holder = f"`{name}`, a property of the module-level `{root}`"
        refs = [node for node in index.named(prop) if dotted_name(node) in names]
        if root in _GLOBAL_ROOTS:
            refs += [
                n for n in model.facts.unresolved if text(n) == prop and n.type == "identifier"
            ]
        yield Candidate(
            report=assignment,
            holder=holder,
            kind=kind,
            refs=refs,
            exported=exported,
            reassigned=_reassigned(model, refs, left),
            declaration=left,
        )


def _class_candidates(model: SemanticModel, index: _MemberIndex) -> Iterator[Candidate]:
    constructors = _constructors(model)
    for info in model.classes:
        class_node, class_name = info.node, info.name
        body = class_node.child_by_field_name("body")
        if body is None:
            continue
        for member in body.named_children if not info.es5 else ():
            if member.type not in _FIELD_KINDS:
                continue
            prop = member.child_by_field_name("property") or member.child_by_field_name("name")
            kind = collection_kind(member.child_by_field_name("value"))
            if prop is None or kind is None:
                continue
            field_name = text(prop)
            if any(child.type == "static" for child in member.children):
                exported = _class_exported(model, class_node)  # asked of static fields only
                yield _static_candidate(
                    model, index, class_node, class_name, member, field_name, kind, exported
                )
            else:
                yield _instance_candidate(
                    model, index, class_node, class_name, member, field_name, kind, None
                )
        for assignment in _constructor_assignments(constructors.get(class_node.id, ())):
            left = unwrap(assignment.child_by_field_name("left"))
            kind = collection_kind(assignment.child_by_field_name("right"))
            if left is None or kind is None:
                continue
            field_name = text(left.child_by_field_name("property"))
            yield _instance_candidate(
                model, index, class_node, class_name, assignment, field_name, kind, left
            )


def _factory_candidates(model: SemanticModel) -> Iterator[Candidate]:
    """``function createManager() { const jobs = new Map(); return { add() {…}, stop() {…} } }``:
    a factory's locals live as long as the object of closures it returns (SPEC §1 *Classes in
    every form*), and its closures run per call of that object's methods."""
    for factory in [*model.factories, *method_factories(model)]:
        made = "function" if factory.returns_function else "object"
        for binding, kind in _collection_bindings(factory.function.scope):
            assert binding.declarator is not None
            if not factory.keeps(binding):
                continue
            yield Candidate(
                report=binding.declarator,
                holder=f"`{binding.name}` of the {made} {factory.function.display()} returns",
                kind=kind,
                refs=[ref for ref in binding.references if ref.id != binding.node.id],
                instance=True,
                reassigned=_binding_reassigned(model, binding),
                teardown=factory.teardown,
                factory=factory,
            )


def _listener_held_candidates(model: SemanticModel) -> Iterator[Candidate]:
    """``const sessions = new Map(); rpc.on('new', (…) => sessions.set(uid, s))``: a local
    collection that a listener registered by the same function uses lives as long as that
    listener, and grows per event. Most such locals are per-run scratch (a body's chunks
    collected until ``'end'``), so these are reported on the code's own evidence only
    (``_ended_in_place``)."""
    # Only a function that registers a callback can hold a collection in one (most do not:
    # their variables are not looked at).
    registering = {
        id(f.parent)
        for f in model.functions
        if f.parent is not None and f.callback_of is not None and is_registration(f.callback_of)
    }
    for function in model.functions:
        if id(function) not in registering or function.scope.is_module:
            continue
        bindings = list(_collection_bindings(function.scope))
        if not bindings:
            continue
        for binding, kind in bindings:
            if kind not in ("Map", "Set", "object") or binding.declarator is None:
                continue
            call = _registered_user(model, binding, function)
            if call is None:
                continue
            yield Candidate(
                report=binding.declarator,
                holder=f"`{binding.name}` of {function.display()}",
                kind=kind,
                refs=[ref for ref in binding.references if ref.id != binding.node.id],
                instance=True,
                reassigned=_binding_reassigned(model, binding),
                held_by=f"the `{call.display()}` listener",
            )


def _registered_user(
    model: SemanticModel, binding: Binding, function: FunctionInfo
) -> CallSite | None:
    """The registration (``emitter.on(…)``) made in ``function`` whose callback uses
    ``binding``."""
    for ref in binding.references:
        current = model.enclosing_function(ref)
        while current is not None and current is not function:
            call = current.callback_of
            if call is not None and is_registration(call) and current.parent is function:
                return call
            current = current.parent
    return None


def _ended_in_place(
    model: SemanticModel, candidate: Candidate, uses: Uses, growth: list[Growth]
) -> tuple[list[Growth], str] | None:
    """Entries whose own end the adding code listens for and leaves in, in a collection
    emptied only all at once (``eviction.ended_in_place``, ``eviction.wholesale``):
    ``sessions.set(uid, session); session.on('exit', () => notify(uid))``, and
    ``sessions.forEach((s, key) => sessions.delete(key))`` when the window closes. Every
    finished entry stays until then. The growth sites and why, else None."""
    if not uses.shrinks or not wholesale(model, uses.shrinks):
        return None
    for g in growth:
        if g.key_origin is not None and g.key_origin.bounded:
            continue
        heard = ended_in_place(model, g.site, candidate.refs)
        if heard is None:
            continue
        emptier = model.enclosing_function(uses.shrinks[0])
        while emptier is not None and emptier.parent is not None:
            walk = emptier.callback_of
            if walk is None or walk.name != "forEach":
                break
            emptier = emptier.parent  # the function that walks it, not the walk's callback
        where = emptier.display() if emptier is not None else "one function"
        return [g], (
            f"the `{short(text(heard), 50)}` listener that the same code adds for each "
            f"entry's end leaves the entry in, and only {where} empties it, all at once: "
            "every finished entry stays until then"
        )
    return None


def _static_candidate(
    model: SemanticModel,
    index: _MemberIndex,
    class_node: Node,
    class_name: str | None,
    member: Node,
    field_name: str,
    kind: str,
    exported: bool,
) -> Candidate:
    refs = [
        node
        for node in index.named(field_name)
        if (class_name is not None and dotted_name(node) == f"{class_name}.{field_name}")
        or _this_member_of(model, node, class_node, static=True)
    ]
    public = not field_name.startswith("#") and not any(
        text(child) in ("private", "protected")
        for child in member.children
        if child.type == "accessibility_modifier"
    )
    shown = f"{class_name}.{field_name}" if class_name else field_name
    return Candidate(
        report=member,
        holder=f"the static field `{shown}`",
        kind=kind,
        refs=refs,
        exported=shown if exported and public else None,
        reassigned=_reassigned(model, refs, None),
    )


def _instance_candidate(
    model: SemanticModel,
    index: _MemberIndex,
    class_node: Node,
    class_name: str | None,
    report: Node,
    field_name: str,
    kind: str,
    declaration: Node | None,
) -> Candidate:
    refs: list[Node] = []
    handed: set[int] = set()
    for node in index.named(field_name, computed=True):
        if _this_member_of(model, node, class_node, static=False):
            refs.append(node)
        elif _handed_instance_member(model, node, class_node):
            refs.append(node)
            handed.add(node.id)
    owner = f"`{class_name}` instances" if class_name else "each instance"
    return Candidate(
        report=report,
        holder=f"`this{'' if field_name.startswith('[') else '.'}{field_name}` on {owner}",
        kind=kind,
        refs=refs,
        instance=True,
        class_node=class_node,
        reassigned=_reassigned(model, refs, declaration),
        declaration=declaration,
        field=field_name,
        handed=frozenset(handed),
    )


def _constructors(model: SemanticModel) -> dict[int, list[FunctionInfo]]:
    """Class node id -> its constructors with a body, in walk order (found once per file,
    not once per class)."""
    found: dict[int, list[FunctionInfo]] = {}
    for function in model.functions:
        if function.class_node is None or function.method_kind != "constructor":
            continue
        if function.body is not None:
            found.setdefault(function.class_node.id, []).append(function)
    return found


def _constructor_assignments(constructors: Sequence[FunctionInfo]) -> Iterator[Node]:
    """``this.x = …`` statements directly in the class's constructors."""
    for function in constructors:
        body = function.body
        for statement in body.named_children if body is not None else ():
            expression = (
                statement.named_children[0] if statement.type == "expression_statement" else None
            )
            if expression is None or expression.type != "assignment_expression":
                continue
            left = unwrap(expression.child_by_field_name("left"))
            if left is not None and left.type == "member_expression":
                obj = left.child_by_field_name("object")
                if obj is not None and obj.type == "this":
                    yield expression


def _handed_instance_member(model: SemanticModel, node: Node, class_node: Node) -> bool:
    """``sftp._requests`` in a function of the file that a call hands the instance
    (``cleanupRequests(this)`` from a method): the instance's own field."""
    # also ``(table as any).pending``
    binding = value_binding(model, node.child_by_field_name("object"))
    if binding is None or binding.kind is not BindingKind.PARAM:
        return False
    return binding in instance_parameters(model, class_node)


def _this_member_of(model: SemanticModel, node: Node, class_node: Node, *, static: bool) -> bool:
    if not model.in_class(node, class_node):
        return False  # ``this`` of another class's method (the cheap test first)
    obj = node.child_by_field_name("object")
    if obj is None:
        return False
    anchor = node
    if obj.type != "this":
        alias = model.binding_of(obj) if obj.type == "identifier" else None
        if alias is None or not alias.is_this_alias:
            return False
        anchor = alias.node  # ``self.x``: the ``this`` where ``self = this`` was taken
    function = _bound_this(model, model.this_function(anchor))
    if function is None or function.class_node is None or function.class_node.id != class_node.id:
        return False
    return function.is_static == static


def _registered_bound(model: SemanticModel, function: FunctionInfo) -> bool:
    """``wss.on('connection', onConnection.bind(this))``: the function runs per event even
    though its name is only ever used through ``.bind``."""
    binding = function.binding
    if binding is None:
        return False
    for reference in binding.references:
        member = outer(reference).parent
        bound = member.parent if member is not None else None
        if (
            member is None
            or bound is None
            or member.type != "member_expression"
            or text(member.child_by_field_name("property")) != "bind"
            or bound.type != "call_expression"
        ):
            continue
        arguments = bound.parent
        call = (
            model.call_at(arguments.parent) if arguments is not None and arguments.parent else None
        )
        if (
            call is not None
            and arguments is not None
            and arguments.type == "arguments"
            and is_registration(call)
        ):
            return True
    return False


def _bound_this(model: SemanticModel, function: FunctionInfo | None) -> FunctionInfo | None:
    """``function onConnection(ws) { this.clients.push(ws) }`` used only as
    ``onConnection.bind(this)``: its ``this`` is the ``this`` of the function that binds it."""
    binding = function.binding if function is not None else None
    if function is None or binding is None or function.class_node is not None:
        return function
    bound: FunctionInfo | None = None
    for reference in binding.references:
        if reference.id == binding.node.id:
            continue
        member = outer(reference).parent
        call = member.parent if member is not None else None
        if (
            member is None
            or call is None
            or member.type != "member_expression"
            or text(member.child_by_field_name("property")) != "bind"
            or call.type != "call_expression"
        ):
            return function
        args = call_arguments(call)
        if not args or not model.is_this(args[0]):
            return function
        outer_function = model.this_function(args[0])
        if outer_function is None or (bound is not None and bound is not outer_function):
            return function
        bound = outer_function
    return bound or function


def _class_exported(model: SemanticModel, class_node: Node) -> bool:
    parent = class_node.parent
    if parent is not None and parent.type == "export_statement":
        return True
    name = class_node.child_by_field_name("name")
    binding = model.binding_of(name) if name is not None else None
    return binding is not None and binding.exported


def _reassigned(model: SemanticModel, refs: list[Node], declaration: Node | None) -> bool:
    """Whether some assignment replaces the collection. Rebuilding it from itself
    (``x = [...x, v]``, ``x = { ...x, [k]: v }``) keeps every old entry: growth, not a reset."""
    for ref in refs:
        if declaration is not None and ref.id == declaration.id:
            continue
        position = outer(ref)
        parent = position.parent
        if (
            parent is not None
            and parent.type in ("assignment_expression", "augmented_assignment_expression")
            and parent.child_by_field_name("left") == position
        ) and not _rebuilt_from_itself(model, parent):
            return True
    return False


def _binding_reassigned(model: SemanticModel, binding: Binding) -> bool:
    """``_reassigned`` for a variable: some write that does not rebuild it from itself."""
    return any(
        not (write.parent is not None and _rebuilt_from_itself(model, write.parent))
        for write in binding.writes
    )


def _rebuilt_from_itself(model: SemanticModel, assignment: Node) -> bool:
    return assignment.type == "assignment_expression" and (
        self_rewrite(
            model,
            assignment.child_by_field_name("left"),
            assignment.child_by_field_name("right"),
        )
        is not None
    )


# -- uses -----------------------------------------------------------------------------------


def _uses(model: SemanticModel, candidate: Candidate) -> Uses:
    handed = candidate.handed
    if not handed:
        return _uses_of(model, candidate, candidate.refs)
    uses = _uses_of(model, candidate, [r for r in candidate.refs if r.id not in handed])
    # What a function of the file does to the instance it is handed counts as cleanup; its
    # growth is not followed (other code may drain what it adds: ``sftp._buffer.push(ret)``
    # and ``this._buffer = []`` in a function the instance runs as its own).
    through = _uses_of(model, candidate, [r for r in candidate.refs if r.id in handed])
    uses.bounded = uses.bounded or through.bounded
    uses.shrinks.extend(through.shrinks)
    return uses


def _uses_of(model: SemanticModel, candidate: Candidate, refs: list[Node]) -> Uses:
    uses = Uses()
    pending = list(refs)
    seen_aliases: set[int] = set()
    while pending:
        ref = pending.pop()
        position = outer(ref)
        parent = position.parent
        if parent is None:
            continue
        kind = parent.type
        if kind == "member_expression" and parent.child_by_field_name("object") == position:
            _member_use(model, candidate, parent, uses)
        elif kind == "subscript_expression" and parent.child_by_field_name("object") == position:
            _subscript_use(model, candidate, parent, uses)
        elif kind == "variable_declarator" and parent.child_by_field_name("value") == position:
            alias = parent.child_by_field_name("name")
            binding = (
                model.binding_of(alias)
                if alias is not None and alias.type == "identifier"
                else None
            )
            if binding is not None and binding.node.id not in seen_aliases:
                seen_aliases.add(binding.node.id)
                if binding.is_reassigned:
                    uses.escapes = uses.escapes or f"`{binding.name}`"
                pending.extend(binding.references)
        elif kind == "arguments":
            call = model.call_at(parent.parent) if parent.parent is not None else None
            copied = call is not None and (
                (call.name == "assign" and call.args[:1] != [position])
                or (call.name in ("assoc", "assocPath") and call.args[2:] == [position])
            )  # a copy is made of it: ``Object.assign({}, x, …)``, ``assoc(k, v, x)``
            if call is None or call.name in _READ_ONLY_CALLS or copied:
                continue
            index = next((i for i, arg in enumerate(call.args) if outer(arg).id == position.id), -1)
            if index == 0 and dotted_name(call.callee) in DELETE_FUNCTIONS:
                # ``Reflect.deleteProperty(table, key)``: the ``delete`` operator as a call
                uses.bounded = uses.bounded or f"`{short(text(call.node))}`"
                uses.shrinks.append(call.node)
                continue
            uses.escapes = uses.escapes or f"`{call.display()}`"
            if index >= 0 and shrinks_argument(model, call.node, index) is not None:
                # the helper it is handed to deletes from it: arguments reach parameters
                uses.bounded = uses.bounded or f"`{call.display()}`"
        elif kind == "assignment_expression" and parent.child_by_field_name("left") == position:
            _rewrite_use(model, candidate, parent, uses)
        elif kind in ("return_statement", "pair", "array") and uses.escapes is None:
            uses.escapes = "the code it is returned or stored into"
    return uses


# Calls that read a collection argument without changing it.
_READ_ONLY_CALLS = frozenset(
    {
        "from",
        "keys",
        "values",
        "entries",
        "stringify",
        "isArray",
        "log",
        "debug",
        "info",
        "warn",
        "error",
        "assert",
    }
)


def _rewrite_use(model: SemanticModel, candidate: Candidate, assignment: Node, uses: Uses) -> None:
    """``x = [...x, v]`` / ``x = { ...x, [k]: v }``: growth by rebuilding from itself."""
    rewrite = self_rewrite(
        model, assignment.child_by_field_name("left"), assignment.child_by_field_name("right")
    )
    if rewrite is None or rewrite.added is None:
        return
    if candidate.kind in ("Map", "Set"):
        return
    left = text(assignment.child_by_field_name("left"))
    shown = f"{left} = {short(text(assignment.child_by_field_name('right')), 30)}"
    _add_growth(model, candidate, uses, assignment, shown, rewrite.added)


def _member_use(model: SemanticModel, candidate: Candidate, member: Node, uses: Uses) -> None:
    prop = text(member.child_by_field_name("property"))
    position = outer(member)
    parent = position.parent
    if parent is None:
        return
    if parent.type == "call_expression" and parent.child_by_field_name("function") == position:
        call = model.call_at(parent)
        if call is None:
            return
        if prop in SHRINK_METHODS:
            uses.bounded = uses.bounded or f"`{call.display()}`"
            uses.shrinks.append(parent)
        elif prop == "get":
            uses.reads.append(parent)
        elif prop in GROWTH_METHODS[candidate.kind] and call.args:
            subject = call.args[0]
            if prop == "set" and len(call.args) > 1 and _is_nothing(call.args[1]):
                uses.tombstones.append(parent)
            if prop in ("set", "add") and (
                is_constant(model, subject) or same_each_run(model, subject)
            ):
                return  # the same keys on every run: the collection stops growing
            stored = (call.args[1] if len(call.args) > 1 else None) if prop == "set" else subject
            if is_callable_value(model, stored) and not _code_per_run(
                model, candidate, parent, stored
            ):
                return  # a handler registered under a name: configuration
            if prop == "set" and _only_updates(model, parent, member, subject):
                return  # ``if (m.has(k)) m.set(k, …)`` replaces an entry, never adds one
            _add_growth(model, candidate, uses, parent, f"{call.display()}", subject)
        return
    if prop in ("length", "size"):
        if (
            parent.type == "assignment_expression"
            and parent.child_by_field_name("left") == position
            and prop == "length"
        ):
            uses.bounded = uses.bounded or f"`{text(parent)}`"
            uses.sized = uses.sized or uses.bounded
        elif (
            parent.type == "binary_expression"
            and text(parent.child_by_field_name("operator")) in COMPARISONS
        ):
            other = parent.child_by_field_name("right")
            if other is not None and other.id == position.id:
                other = parent.child_by_field_name("left")
            if number_value(other) in (0.0, 1.0) or walks(parent):
                return
            if turns_away(model, parent, position):
                uses.rejects = uses.rejects or f"`{short(text(parent))}`"
                return
            uses.bounded = uses.bounded or f"`{short(text(parent))}`"
            uses.sized = uses.sized or uses.bounded


def _subscript_use(model: SemanticModel, candidate: Candidate, subscript: Node, uses: Uses) -> None:
    position = outer(subscript)
    parent = position.parent
    if parent is None:
        return
    if (
        parent.type == "unary_expression"
        and text(parent.child_by_field_name("operator")) == "delete"
    ):
        uses.bounded = uses.bounded or f"`{short(text(parent))}`"
        uses.shrinks.append(parent)
        return
    if not (
        parent.type in ("assignment_expression", "augmented_assignment_expression")
        and parent.child_by_field_name("left") == position
    ):
        uses.reads.append(subscript)
    if (
        parent.type in ("assignment_expression", "augmented_assignment_expression")
        and parent.child_by_field_name("left") == position
        and candidate.kind in ("object", "array")
    ):
        key = subscript.child_by_field_name("index")
        value = unwrap(parent.child_by_field_name("right"))
        if _is_nothing(value):
            return  # the key stays: nulling a value is neither growth nor eviction
        if is_constant(model, key) or _only_updates(model, parent, subscript, key):
            return
        if is_callable_value(model, value):
            return  # a handler registered under a name: configuration
        if (
            candidate.kind == "array"
            and not _is_append_index(subscript, key)
            and unbounded_key(model, key) is None
        ):
            return  # ``slots[i] = …`` overwrites a slot; ``a[a.length]``, ``a[nanoid()]`` add
        _add_growth(model, candidate, uses, parent, f"{short(text(subscript))} = …", key)


def _is_append_index(subscript: Node, key: Node | None) -> bool:
    """``a[a.length]``: the index one past the end of the same array."""
    key = unwrap(key)
    if key is None or key.type != "member_expression":
        return False
    if text(key.child_by_field_name("property")) != "length":
        return False
    return text(unwrap(key.child_by_field_name("object"))) == text(
        unwrap(subscript.child_by_field_name("object"))
    )


def _only_updates(model: SemanticModel, site: Node, slot: Node, key: Node | None) -> bool:
    """Whether ``site`` (``c.set(k, …)`` / ``c[k] = …``, ``slot`` the ``c.set`` / ``c[k]``)
    only runs when ``c`` already holds ``k``: inside the ``if`` branch of a test such as
    ``c.has(k)``, ``k in c``, ``c.hasOwnProperty(k)``, ``Object.hasOwn(c, k)`` or ``c[k]``."""
    collection = slot.child_by_field_name("object")
    if key is None or collection is None:
        return False
    wanted = (text(unwrap(collection)), text(unwrap(key)))
    branch, current = site, site.parent
    while current is not None and current.type not in FUNCTION_KINDS:
        if current.type == "if_statement":
            consequence = current.child_by_field_name("consequence")
            if consequence is not None and consequence.id == branch.id:
                condition = current.child_by_field_name("condition")
                if any(_membership(test) == wanted for test in _conjuncts(condition)):
                    return True
        branch, current = current, current.parent
    return False


def _conjuncts(condition: Node | None) -> Iterator[Node]:
    """The tests a condition requires: ``a && b`` gives ``a`` and ``b`` (no recursion: a
    chain of ten thousand ``&&`` is still a condition)."""
    pending = [condition]
    while pending:
        node = unwrap(pending.pop())
        if node is None:
            continue
        if node.type == "binary_expression" and text(node.child_by_field_name("operator")) == "&&":
            pending.append(node.child_by_field_name("right"))
            pending.append(node.child_by_field_name("left"))
        else:
            yield node


def _membership(test: Node) -> tuple[str, str] | None:
    """``(collection, key)`` texts of a test that the collection holds the key, else None."""
    kind = test.type
    if kind == "subscript_expression":
        return text(unwrap(test.child_by_field_name("object"))), text(
            unwrap(test.child_by_field_name("index"))
        )
    if kind == "binary_expression" and text(test.child_by_field_name("operator")) == "in":
        return text(unwrap(test.child_by_field_name("right"))), text(
            unwrap(test.child_by_field_name("left"))
        )
    if kind != "call_expression":
        return None
    obj, name = callee_parts(test)
    args = call_arguments(test)
    if name in ("has", "hasOwnProperty") and obj is not None and len(args) == 1:
        return text(unwrap(obj)), text(unwrap(args[0]))
    if name == "hasOwn" and text(obj) == "Object" and len(args) == 2:
        return text(unwrap(args[0])), text(unwrap(args[1]))
    return None


def _add_growth(
    model: SemanticModel,
    candidate: Candidate,
    uses: Uses,
    site: Node,
    shown: str,
    subject: Node | None,
) -> None:
    function = model.enclosing_function(site)
    if function is None:
        return
    repetition = (
        _instance_repetition(model, function, candidate.factory)
        if candidate.instance
        else model.repetition(function)
    )
    origin = describe_origin(model, subject)
    event_driven = (
        repetition is Repetition.REPEATING and model.is_event_driven(function)
    ) or _registered_bound(model, function)
    unbounded = unbounded_key(model, subject)
    keyed_by = key_origin(model, subject) if candidate.kind != "array" else None
    if keyed_by is not None and keyed_by.passed:
        # Every caller, in this file and in the others of the project, passes one fixed value
        # for the key (arguments reach parameters): the entries are replaced, not added.
        return
    uses.growth.append(
        Growth(
            site,
            short(shown, 60),
            origin,
            function,
            repetition,
            event_driven,
            unbounded,
            subject,
            keyed_by,
        )
    )


def _instance_repetition(
    model: SemanticModel,
    function: FunctionInfo,
    factory: Factory | None = None,
    seen: set[int] | None = None,
) -> Repetition:
    """How often growth in ``function`` runs per instance: the constructor itself runs once,
    and so does the factory (a class method too) whose locals hold the collection."""
    made = [*model.factories, *([factory] if factory is not None else [])]
    factories = {made_by.function.node.id for made_by in made}
    methods = {m.node.id for made_by in made for m in made_by.methods.values()}
    current: FunctionInfo | None = function
    while current is not None:
        if current.method_kind == "constructor" or current.node.id in factories:
            return Repetition.ONCE
        if current.node.id in methods:
            return Repetition.REPEATING  # a method of the object a factory returns
        if current.class_node is not None:
            # A method runs per call, unless the project view saw it called only from
            # start-up code, on the one instance its file exports (``once_methods``).
            return (
                Repetition.ONCE if current.repetition is Repetition.ONCE else Repetition.REPEATING
            )
        call = current.callback_of
        if call is not None and is_registration(call):
            return Repetition.REPEATING
        binding = current.binding
        if binding is not None and any(
            model.is_passed_as_argument(ref) for ref in binding.references
        ):
            return current.repetition
        if _helper_of_methods(model, current, factories, methods, seen or set()):
            return Repetition.REPEATING  # a factory's local helper that its methods call
        current = current.parent
    return Repetition.UNKNOWN


def _helper_of_methods(
    model: SemanticModel,
    function: FunctionInfo,
    factories: set[int],
    methods: set[int],
    seen: set[int],
) -> bool:
    """``async function sendToNew() { jobs.set(…) }`` local to a factory, called (directly,
    or through other such helpers) from a method of the object it returns: it runs as often
    as that method, not once with the factory. Every call is in view (``call_sites_of``)."""
    parent = function.parent
    if parent is None or parent.node.id not in factories or function.node.id in seen:
        return False
    seen.add(function.node.id)
    sites = model.call_sites_of(function)
    for site in sites or ():
        caller = model.enclosing_function(site.node)
        while caller is not None and caller.parent is not None and caller.parent is not parent:
            caller = caller.parent  # the factory's own function the call is in
        if caller is None or caller.parent is not parent:
            continue
        if caller.node.id in methods or _helper_of_methods(model, caller, factories, methods, seen):
            return True
    return False


# -- the finding ----------------------------------------------------------------------------


def _finding(
    ctx: RuleContext,
    candidate: Candidate,
    growth: list[Growth],
    uses: Uses,
    teardown_only: str | None = None,
    eviction: str | None = None,
    sibling: str | None = None,
    keeps_keys: bool = False,
    hoisted: str | None = None,
    headline: str | None = None,
) -> Finding:
    """``keeps_keys``: the ``eviction`` is a cleanup that removes nothing (a tombstone), so
    it is no release we cannot rule out. ``headline``: why the entries stay, in a few words,
    when the ``eviction`` says more than "its deletes miss some"."""
    growth.sort(key=lambda g: (not g.event_driven, -g.repetition, g.site.start_byte))
    first = growth[0]
    singleton = ctx.model.created_once_elsewhere(_class_name(candidate)) or _made_once(
        ctx.model, candidate
    )
    evidence = Evidence(
        repetition=certainty(first.event_driven),
        # An imported collection's lifetime is another file's evidence; an instance field
        # lives as long as the process only when its class is seen created once.
        holder=certainty(not candidate.imported and not (candidate.instance and singleton is None)),
        # An append, or a key new per call: keys that may come from a small set (a plugin's
        # name, a configured group, an in-process event's argument) may only be replaced.
        retained=certainty(any(g.adds_entry for g in growth)),
        # Some eviction, a sibling collection's release, or a collection that other code may
        # empty (exported, or escaping to calls we cannot see) are releases we cannot rule out.
        unreleased=certainty(
            not ((eviction and not keeps_keys) or sibling or candidate.exported or uses.escapes)
        ),
    )
    confidence = confidence_of(evidence)
    origin = first.origin
    if first.unbounded:
        origin = f"{origin} ({first.unbounded})"
    verb = {
        "Map": f"gains an entry keyed by {origin}",
        "Set": f"gains a member from {origin}",
        "array": f"gains an element from {origin}",
        "object": f"gains a property keyed by {origin}",
    }[candidate.kind]
    where = first.function.describe()
    if first.repetition is not Repetition.REPEATING and not first.function.reason_kind.open_ended:
        where += ", which may run any number of times"
    more = (
        f" (and {len(growth) - 1} more growth site{'s' if len(growth) > 2 else ''})"
        if len(growth) > 1
        else ""
    )
    lifetime = "each instance" if candidate.instance else "the process"
    if candidate.instance and singleton is not None:
        lifetime = f"the process ({singleton})"
    elif candidate.held_by is not None:
        lifetime = candidate.held_by
    elif hoisted is not None and candidate.factory is not None:
        lifetime = f"the function {candidate.factory.function.display()} returns"
    expiry = expiry_check(ctx.model, uses.reads)
    keyed = sibling is not None or any(g.adds_entry or g.unbounded for g in growth)
    caveat = "" if keyed else f", unless its keys come from a small fixed set{_key_source(growth)}"
    if candidate.exported:
        caveat += (
            f"; it is exported as `{candidate.exported}`, so only code elsewhere could shrink it"
        )
    elif uses.escapes:
        caveat += f"; it is also handed to {uses.escapes}, which might shrink it"
    scope = "project" if candidate.imported else "file"
    if candidate.instance:
        scope = "factory" if candidate.teardown is not None else "class"
    shrinks = (
        f"{eviction}, so it grows for the life of {lifetime}{caveat}"
        if eviction
        else f"only {teardown_only} clears it, when the instance's working life ends, so it grows "
        f"until then{caveat}"
        if teardown_only
        else f"nothing in this {scope} deletes or clears its entries (its size check "
        f"{uses.rejects} only turns new ones away once it is full), so it keeps them for the "
        f"life of {lifetime}{caveat}"
        if uses.rejects and not uses.shrinks
        else f"nothing in this {scope} deletes its entries, although {sibling}, so it grows for "
        f"the life of {lifetime}{caveat}"
        if sibling
        else f"nothing in this {scope} deletes its entries: reads skip an expired one "
        f"(`{short(text(expiry))}`) but leave it in, so it grows for the life of {lifetime}"
        if expiry is not None and not uses.bounded
        else f"nothing in this {scope} deletes, clears or bounds its entries, so it grows for "
        f"the life of {lifetime}{caveat}"
    )
    holder = f"{_capital(candidate.holder)} ({_WHAT[candidate.kind]})"
    summary = headline or _summary(uses, eviction, teardown_only, sibling, expiry)
    headline, named = _headline(candidate, first, summary)
    subject = "It" if named else holder
    notes = [
        sentence(f"{subject} {verb} at `{first.shown}` in {where}{more}"),
        sentence(shrinks),
    ]
    if hoisted is not None:
        notes.append(sentence(_capital(hoisted)))
    related = [ctx.related(candidate.report, "the collection is created here")]
    related += [
        ctx.related(g.site, f"also grows here, in {g.function.describe()}: `{g.shown}`")
        for g in growth[1:]
    ]
    return ctx.finding(first.site, headline, confidence=confidence, related=related, notes=notes)


def _key_source(growth: list[Growth]) -> str:
    """`` (its keys come from …)``: where keys not shown new per call come from, when the
    walk found something worth saying (an in-process event, module state, a lookup)."""
    why = next((g.key_origin.why for g in growth if g.key_origin and g.key_origin.why), "")
    return f" (they come from {why})" if why else ""


def _summary(
    uses: Uses,
    eviction: str | None,
    teardown_only: str | None,
    sibling: str | None,
    expiry: Node | None,
) -> str:
    """Why the entries stay, in a few words (the note says it in full)."""
    if eviction:
        if uses.tombstones and not any(_is_delete(s) for s in uses.shrinks):
            return "its cleanup keeps the keys"
        return "its deletes miss some of them"
    if teardown_only:
        return f"only {teardown_only} clears them"
    if uses.rejects and not uses.shrinks:
        return "nothing deletes them; a size check only refuses more"
    if sibling:
        return "nothing deletes them, unlike a sibling's"
    if expiry is not None and not uses.bounded:
        return "expired ones are skipped, never deleted"
    return "nothing deletes them"


def _headline(candidate: Candidate, first: Growth, summary: str) -> tuple[str, bool]:
    """What leaks (one more entry), what holds it (the collection) and why it repeats (the
    growth runs per request, event, instance or call), most detailed first; and whether it
    names the collection with its kind (the notes then call it "it")."""
    holder = _capital(candidate.holder)
    unit = _UNIT[candidate.kind]
    per = per_word(first.function)
    if per == "per instance" and first.function.method_kind != "constructor":
        per = "per event" if first.event_driven else "per call"  # a callback set up there
    variants = (
        f"{holder} ({_WHAT[candidate.kind]}) gains {unit} {per} at `{first.shown}`; {summary}",
        f"{holder} gains {unit} {per} at `{first.shown}`; {summary}",
        f"{holder} gains {unit} {per}; {summary}",
        f"This collection gains {unit} {per}; {summary}",
    )
    chosen = fit_choice(*variants)
    return variants[chosen], chosen == 0


def _capital(value: str) -> str:
    return value[:1].upper() + value[1:]


class _MemberIndex:
    """Member expressions of the file by property name (the model's shared index)."""

    def __init__(self, model: SemanticModel) -> None:
        self.model = model

    def named(self, prop: str, *, computed: bool = False) -> list[Node]:
        """``x.prop``; with ``computed``, also ``this[kProp]`` under a module-level constant
        key (``prop`` is then ``[kProp]``, as ``field_key`` names it)."""
        wanted = (
            ("member_expression", "subscript_expression") if computed else ("member_expression",)
        )
        return [node for node in member_index(self.model).get(prop, ()) if node.type in wanted]
