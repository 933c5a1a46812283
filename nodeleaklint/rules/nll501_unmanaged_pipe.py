"""## What it does
Flags streams copied from one connection to another with nothing that tears the pair down
together. Six shapes:

- `src.pipe(dst)` that is not inside `pipeline()`, where neither end is watched with
  `stream.finished()` (or `end-of-stream` / `on-finished`), and there is not both an
  `'error'` listener on `src` and a `'close'` (or `'error'`/`'finish'`/`'unpipe'`) listener
  on `dst` — or, when `dst` is the client's response, on the client's request — that
  destroys `src` (or the request that `src` answers, or the child process it comes from).
  The client's request and response are a handler's `req` / `res`, or any parameter
  declared with their TypeScript type (`out: Response` from `express`, `http.ServerResponse`),
  whatever the function: a method handed the response streams to the client too. A source
  that the same function also pipes into a second destination (`archive.pipe(res);
  archive.pipe(file)`) is not left open when the response closes: it is only unpiped, and
  keeps flowing into the other destination to its end.
  An `'error'` listener on `src` that only logs is no handling (medium): it keeps the
  failure from being thrown, and nothing ends `dst`. A listener counts as handling when it
  refers to anything of the request — `dst`, `next`, a callback or `reject`, a helper made
  per request, `this` — or throws; one that refers only to its own names, module bindings
  and globals (`console`, a logger) can only log.
- A chain handed back to the caller (`return query.pipe(mapStream(f))`, an arrow whose
  body is the pipe, or a local holding the pipe's result that is returned and otherwise only
  listened on) whose last stage is a known in-memory stream and whose source is not
  known (medium): the caller can destroy only the stage it receives — its own pipeline into
  a response that closes early does — and the source, out of its reach, is unpiped and left
  open with whatever it holds (a database cursor, a socket).
- A hand-written pipe: `src.on('data', c => dst.write(c))` with
  `src.on('end', () => dst.end())` and no such listeners. It is reported at the `'data'`
  registration. The message names each direction left open: when the client is gone the
  source stays open, and when the source fails the destination stays open.
- An upstream request that outlives its client. Inside a request handler, the body of a
  `fetch(…)`, undici `request(…)` or `got.stream(…)` is copied into the client's response
  by hand (a `getReader()` loop, `for await`, or a `'data'` listener). Nothing ties the
  request to the client: there is no `signal` (or only `AbortSignal.timeout(…)`), no
  `'close'`/`'error'`/`'finish'` listener on a client stream that aborts or destroys
  something, and the loop does not check `res.destroyed`. This is reported at the upstream
  call. So is an upstream request whose only teardown is the client request's `'aborted'`
  event, which Node stops emitting once the request body has been read.
- A response never read. An `http(s).request` / `get` (also through a local that holds
  `secure ? https.request : http.request`) in code that can run many times hands its
  response to a callback or a `'response'` listener that only looks at `statusCode` /
  `headers` (or ignores it), and never reads, pipes, resumes or destroys it. Node keeps the
  response's data and its socket until the body is read, so every call leaves one more
  socket open: until the server's idle timeout closes it when the body fits in the socket's
  buffers, and for good when it does not (the server waits to send the rest). It is
  reported at the request call (medium: which of the two is not in view).
- A source kept piped into a destination that outlives it. `src.pipe(dst, { end: false })`
  in code that runs many times, where `dst` is a field of the instance or module-level state
  and `src` is made or handed over for this run: Node unpipes a source when it ends, not
  when it fails or is destroyed first, and the destination then keeps four listeners that
  hold the source (medium). Not when the file unpipes the source (`conn.decoder.unpipe()`,
  also through another alias of the same property), the destination, or anything from the
  destination (`this.current.unpipe(this.socket)`), nor when the class destroys or ends the
  destination itself (`release() { this.socket.destroy() }`: its listeners go with it), nor
  for a child process's `stdout` / `stderr` (it ends when the child exits).
- An error body left unread by a fetch wrapper. A function whose callers hand it the URL
  (an exported function, or a public method of an exported class that nothing in the file
  calls; also when it passes the URL on to a private method or a function of the file)
  fetches it, reads the body on one side of a status test (`res.json()`) and leaves by
  `throw` / `return` on the other without reading or cancelling it (medium). Node's fetch
  keeps a response's connection until its body is read or cancelled, and garbage collection
  does not give it back: an error body of about 16 KiB or more holds the connection until
  the server's idle timeout, and for good when the server cannot finish sending it. Smaller
  bodies are buffered whole and cost nothing, so a fetch of a URL the function builds itself
  (an application calling its own endpoint, whose errors are small JSON) is not reported:
  only a wrapper cannot know how large its callers' error bodies are. Not in browser code
  (a file that uses `window.…` or `document.…`).

Streams are recognised by how they were made: `fs.createReadStream` / `createWriteStream`,
`zlib.create*`, `crypto.createHash` and friends, `net.connect`, `http.request` (also with
`http`/`https` chosen at run time: `const lib = secure ? https : http`), `Readable.from`,
`new PassThrough()` / `Transform` / `Readable` / `Writable` / `Duplex`, child-process
`stdout`/`stdin`/`stderr`, `process.stdin`. The `req`/`res` of an HTTP handler count too:
Koa's `ctx.req`/`ctx.res`, also as `this.ctx` in Egg-style controllers, and Fastify's
`request.raw`/`reply.raw`. So does the result of a function of the file whose one returned
value is such a stream (`const mapStream = (f) => new Transform(…)`), or, with the project
in view, of an imported function of another file that is. A variable declared without a
value and assigned one stream counts as that stream. A call is only considered when it has
the shape of a stream pipe — a method call with exactly one destination argument and an
optional `{ end }` options object — and at least one end is a known Node stream, so RxJS
`source$.pipe(map(…), filter(…))`, fp-ts/lodash `pipe(…)` functions and other `pipe`
methods stay silent. A chain `a.pipe(b).pipe(c)` is reported once, at its last `.pipe`, and
so is a chain rebuilt as `s = s.pipe(step)` in a loop. Pipes at module top level, or in a
function that runs once, are not reported; where they are not seen to repeat (per request
or event, per turn of an endless loop, in a method of a DI service such as NestJS's
`@Injectable()`) they get medium confidence. So do pipes from a source of unknown kind (a
PDF or CSV generator, an image pipeline: it may hold no handle, and unless something catches
its `'error'`, its failure is thrown before the destination can be left open), and
hand-written pipes where neither end is a known stream. The destination is said to stay
open only when the source can stop quietly: an HTTP request (or an upstream response)
whose peer goes away closes without `'end'` and
emits no error unless something listens. A known source of any other kind (a file, a
socket, zlib, `PassThrough`, `Readable.from`) reports its failure as an `'error'` event,
which Node throws as an uncaught exception when nothing listens: the process stops, and
nothing is left open (`examples/proofs/nll501_unmanaged_pipe.js` shows both).

## Why is this bad?
`Readable.prototype.pipe` does not forward errors and does not destroy the source when the
destination closes early. When a client disconnects mid-download, `res` closes, the source
is unpiped and left paused — its file descriptor, its `highWaterMark` of buffered chunks and
every closure listening on it stay reachable from the libuv handle. When the source is an
HTTP request whose client goes away, it closes without `'end'` and the destination (a file
being written, an upstream request) is never ended. One leaked stream per aborted request
is enough to exhaust file descriptors (`EMFILE`) and grow the heap under load.

A hand-written copy has the same holes, and nothing in Node links two connections. When a
proxy's client leaves, the upstream response goes on. It is either paused by backpressure
with its socket open, or still downloading into a destroyed response, which drops every
write without an error. In `examples/proofs/nll501_unmanaged_pipe.js`, 20 clients that
leave after one chunk leave 20 upstream responses open. This holds for a `'data'` copy, for
a `fetch` body read in a loop, and for an upstream stopped only on `'aborted'` once the
request body has been read. `pipeline()` or a `signal` aborted on `res.on('close')` leaves
0 open.

## Example
```js
app.get('/download/:name', (req, res) => {
  // ruleid: NLL501
  fs.createReadStream(path.join(dir, req.params.name)).pipe(res);
});

app.get('/video/:id', async (req, res) => {
  // ruleid: NLL501
  const upstream = await fetch(`${origin}/video/${req.params.id}`);
  for await (const chunk of upstream.body) res.write(chunk);
  res.end();
});

app.get('/feed', (req, res) => {
  http.get(feedUrl, (upstream) => {
    // ruleid: NLL501
    upstream.on('data', (chunk) => res.write(chunk));
    upstream.on('end', () => res.end());
  });
});
```

## Use instead
```js
const { pipeline } = require('node:stream/promises');
const { Readable } = require('node:stream');

app.get('/download/:name', async (req, res, next) => {
  try {
    await pipeline(fs.createReadStream(path.join(dir, req.params.name)), res);
  } catch (err) {
    next(err);
  }
});

app.get('/video/:id', async (req, res) => {
  const controller = new AbortController();
  res.on('close', () => controller.abort());
  const upstream = await fetch(`${origin}/video/${req.params.id}`, {
    signal: controller.signal,
  });
  for await (const chunk of upstream.body) res.write(chunk);
  res.end();
});

app.get('/feed', (req, res) => {
  http.get(feedUrl, (upstream) => {
    pipeline(upstream, res).catch(() => {});
  });
});
```

## Options
None.

## Known limits
Streams that arrive as parameters of a named function (`function forward(a, b) { a.pipe(b) }`)
are not recognised, and neither are streams from third-party factories (`through2`,
`busboy`). The same goes for upstream requests made through the project's own wrapper
(`makeProxyRequest(req)`), through a `Request` that carries the signal, or through axios.
An `'error'` listener that calls a module-level function is taken to only log, even when
that function could reach the response through a module binding. A known source that the
code itself destroys without an error (`src.destroy()` from a timeout handler) also stops
without `'end'`; that path is not followed. Any call to
`destroy`/`close`/`unpipe`/`end` on the source inside a destination `'close'` listener counts
as teardown, whatever path it is on, and so does aborting there a controller whose `signal`
was handed to the call that made the source (`api.send(req, { abortSignal: ac.signal })`).
For upstream requests, any abort, destroy or cancel in
a client `'close'` listener counts, and so do a `signal` option whose value is not shown
and options that come from elsewhere. A `'data'` copier that the code removes itself
(`src.removeListener('data', h)`) is left to the code. Bodies handed to a framework
(`ctx.body = stream`, `reply.send(stream)`) are the framework's to destroy and are not
reported. Pipes into `process.stdout`/`process.stderr` are not reported, since those never
close early. An unread error body is judged only for a `fetch` of the wrapper's own
parameter, as `const res = await fetch(…)` or `fetch(…).then((res) => …)`: a `Response`
handed in by callers (`handleErrors(response)`), a URL that is a parameter only in part
(`` fetch(`${base}/x`) ``), a response from the project's own wrapper (`breaker.fire(url)`)
and an application's fetch of its own endpoint are not.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator

from nodeleaklint.findings import Confidence, Finding, Severity
from nodeleaklint.fixes.builders import pipe_to_pipeline
from nodeleaklint.parsing import Node
from nodeleaklint.records import record
from nodeleaklint.rules.base import RuleContext, RuleMeta
from nodeleaklint.rules.headlines import fit, sentence
from nodeleaklint.semantics.classes import ClassInfo
from nodeleaklint.semantics.confidence import (
    ESTABLISHED,
    INFERRED,
    Evidence,
    certainty,
    confidence_of,
)
from nodeleaklint.semantics.contexts import per_word, repetition_certainty
from nodeleaklint.semantics.lifetimes import Lifetime
from nodeleaklint.semantics.listener_removals import listener_removals
from nodeleaklint.semantics.locations import (
    member_index,
    object_property,
    same_location,
    value_binding,
)
from nodeleaklint.semantics.model import SemanticModel
from nodeleaklint.semantics.scopes import Binding, BindingKind, CallSite, FunctionInfo, Repetition
from nodeleaklint.semantics.stream_facts import StreamInfo
from nodeleaklint.semantics.streams import (
    child_process_pipe,
    fails_quietly,
    is_process_stream,
    listens_for_errors,
    module_name,
    stream_info,
)
from nodeleaklint.semantics.syntax import (
    FUNCTION_KINDS,
    LOOP_KINDS,
    ancestors,
    branches,
    call_arguments,
    dotted_name,
    is_inside,
    method_call_on,
    outer,
    root_object,
    short,
    string_value,
    text,
    unwrap,
)
from nodeleaklint.semantics.teardown import owned_connection
from nodeleaklint.semantics.unread_bodies import unread_bodies
from nodeleaklint.semantics.upstreams import (
    Upstream,
    client_stream,
    declared_name,
    result_binding,
    short_callee,
    upstream_bodies,
    upstream_calls,
    upstream_request,
)
from nodeleaklint.semantics.vocabulary import (
    CLIENT_GONE_EVENTS,
    CLIENT_STATE_PROPERTIES,
    DATA_LISTEN_METHODS,
    LEGACY_ABORTED_EVENT,
    NON_STREAM_MODULES,
    PIPE_CLOSE_EVENTS,
    PIPELINE_FUNCTIONS,
    PROCESS_STREAMS,
    RESPONSE_METADATA,
    SOURCE_FAILURE_EVENTS,
    STREAM_DESTROY_METHODS,
    STREAM_LISTEN_METHODS,
    STREAM_TEARDOWN_METHODS,
    STREAM_WATCHERS,
    UPSTREAM_REQUEST_NAMES,
    UPSTREAM_STOP_METHODS,
    WORK_ENDED_EVENTS,
)

META = RuleMeta(
    id="NLL501",
    name="unmanaged-pipe",
    summary=(
        "a stream copied between connections (`src.pipe(dst)`, a `'data'` copy, an upstream "
        "`fetch` body) with nothing that tears both down"
    ),
    fix=(
        "Use `pipeline` from `node:stream/promises` (`await pipeline(src, dst)`) or `node:stream` "
        "(`pipeline(src, dst, callback)`): it forwards errors and destroys every stream when one "
        "fails or closes early."
    ),
    severity=Severity.WARNING,
)

# Argument kinds that cannot carry an abort signal.
_PLAIN_ARGUMENTS = frozenset(
    {"string", "template_string", "number", "member_expression", "identifier", "binary_expression"}
)


def check(ctx: RuleContext) -> Iterator[Finding]:
    flagged_sources: list[Node] = []
    for finding, source in _pipe_findings(ctx):
        flagged_sources.append(source)
        yield finding
    reported_data: set[int] = set()
    for finding, data_call in _hand_written_findings(ctx):
        reported_data.add(data_call.node.id)
        yield finding
    yield from _upstream_findings(ctx, reported_data, flagged_sources)
    yield from _shared_destination_findings(ctx, flagged_sources)
    yield from _unread_body_findings(ctx)


def _pipe_findings(ctx: RuleContext) -> Iterator[tuple[Finding, Node]]:
    """``src.pipe(dst)`` chains with nothing that tears the pair down together."""
    model = ctx.model
    for call in model.calls_named("pipe"):
        if not _is_stream_pipe_shape(model, call) or _continues_in_outer_pipe(model, call):
            continue
        if _continues_through_binding(model, call):
            continue
        stages, options, chained_error = _chain(model, call)
        infos = [stream_info(model, stage) for stage in stages]
        if not any(infos):
            continue
        src, dst = stages[0], stages[-1]
        src_info, dst_info = infos[0], infos[-1]
        if is_process_stream(dst) and text(dst).endswith(("stdout", "stderr")):
            continue
        function = call.function
        repetition = model.repetition(function)
        if function is None or repetition is Repetition.ONCE:
            continue
        if _inside_pipeline(model, call) or _watched(model, stages):
            continue
        error_listeners = chained_error + _listeners(model, src, frozenset({"error"}))
        error_handled = bool(error_listeners)
        family = _family(model, src)
        closes = _destroyed_by_owner(model, family) or any(
            _tears_down(model, handler, family) for handler in _disconnect_listeners(model, dst)
        )
        if _destroyed_by_owner(model, _family(model, dst)):
            error_handled = True
        dst_handle = dst_info is not None and dst_info.handle
        # The source leaks when the destination closes early: a source holding an OS handle
        # (file, socket, HTTP message), or an unknown source feeding a handle destination.
        # A chain whose last stage is handed back to the caller (``return src.pipe(map)``):
        # the caller can tear down only that stage (a pipeline into a response that closes
        # early destroys it); ``src``, unreachable from there, is unpiped and left open.
        handed_back = not dst_handle and dst_info is not None and _returned(model, call)
        src_leaks = (
            not closes
            and (
                (src_info is not None and src_info.handle)
                or (src_info is None and (dst_handle or handed_back))
            )
            and not _piped_elsewhere(model, call, src)
        )
        # The destination leaks when the source stops without 'end' and nothing ends a handle
        # destination: a source that fails loudly with no 'error' listener is thrown instead.
        dst_leaks = not error_handled and dst_handle and fails_quietly(src_info)
        # An 'error' listener that reaches nothing of the request (it can only log) keeps
        # the process alive and leaves the destination open, whatever the source.
        swallowed = (
            error_handled
            and dst_handle
            and not _destroyed_by_owner(model, _family(model, dst))
            and _only_swallow(model, error_listeners, dst)
        )
        dst_leaks = dst_leaks or swallowed
        if not src_leaks and not dst_leaks:
            continue
        event = model.is_event_driven(function)
        incoming = src_info is not None and src_info.incoming
        finding = _finding(
            ctx,
            call,
            stages,
            infos,
            options,
            (src_leaks, dst_leaks, incoming),
            event,
            handed_back,
            swallowed,
        )
        yield finding, src


def _piped_elsewhere(model: SemanticModel, call: CallSite, src: Node) -> bool:
    """``archive.pipe(res); archive.pipe(fileStream)``: the same function pipes the source
    into a second destination too (``.pipe`` or ``pipeline(src, …)``). When this destination
    closes early, the source is only unpiped from it and keeps flowing into the other one,
    which reads it to its end."""
    src = unwrap(src) or src
    binding = model.binding_of(src) if src.type == "identifier" else None
    if binding is None or binding.is_reassigned:
        return False  # a name that holds one stream throughout
    for other in model.calls_named("pipe", *PIPELINE_FUNCTIONS):
        if other is call or other.function is not call.function:
            continue
        source = other.obj if other.name == "pipe" else (other.args[0] if other.args else None)
        if source is None or is_inside(other.node, call.node):
            continue  # a stage of this chain
        if _conditional_apart(other.node, call.node, call.function):
            continue  # ``if (copy) src.pipe(file)``: the second destination may not be there
        source = unwrap(source)
        if (
            source is not None
            and source.type == "identifier"
            and model.binding_of(source) is binding
        ):
            return True
    return False


def _conditional_apart(node: Node, other: Node, function: FunctionInfo | None) -> bool:
    """Whether ``node`` sits under a condition (within ``function``) that ``other`` is not
    under too: it may run without ``other``."""
    stop = function.node.id if function is not None else None
    for ancestor in ancestors(node):
        if ancestor.id == stop:
            return False
        if branches(ancestor) and not is_inside(other, ancestor):
            return True
    return False


def _only_swallow(model: SemanticModel, handlers: list[Node], dst: Node) -> bool:
    """Whether every ``'error'`` handler on the source reaches nothing of the request that
    ``dst`` belongs to: the destination is a local of its function, and each handler is a
    function that refers to no binding of an enclosing function (no ``res``, ``next``,
    ``reject``, ``cb``, no helper made per request), uses no ``this`` and throws nothing.
    Such a handler can only log or count the failure; nothing ends ``dst``."""
    root = root_object(unwrap(dst))
    binding = model.binding_of(root) if root is not None and root.type == "identifier" else None
    if binding is None or binding.is_module_level or binding.kind is BindingKind.IMPORT:
        return False
    return bool(handlers) and all(_reaches_nothing(model, handler) for handler in handlers)


def _reaches_nothing(model: SemanticModel, handler: Node) -> bool:
    """Whether ``handler`` is a function whose only references are its own names, module
    bindings and globals (``console``, a logger): nothing it can call ends a stream."""
    named = unwrap(handler)
    if named is not None and named.type != "identifier" and named.type not in FUNCTION_KINDS:
        return False  # ``this.onError``, ``fail.bind(…)``: not seen
    binding = model.binding_of(named) if named is not None and named.type == "identifier" else None
    if binding is not None and binding.kind in (BindingKind.PARAM, BindingKind.CATCH):
        return False  # ``next``, ``reject``, a callback: the failure is handed on
    function = _function_node(model, handler)
    if function is None:
        return False
    stack = [function]
    while stack:
        node = stack.pop()
        if node.type in ("this", "throw_statement", "super"):
            return False
        if node.type in ("identifier", "shorthand_property_identifier"):
            binding = model.binding_of(node)
            if (
                binding is not None
                and not binding.is_module_level
                and not is_inside(binding.node, function)
            ):
                return False
        stack.extend(node.named_children)
    return True


def _returned(model: SemanticModel, call: CallSite) -> bool:
    """Whether the pipe's result (its last stage) is the return value of its function:
    ``return src.pipe(dst)``, the body of an arrow function, or a local that holds it and is
    returned (``const out = src.pipe(dst); …; return out``) with nothing else done to it."""
    position = outer(call.node)
    parent = position.parent
    if parent is None:
        return False
    if parent.type == "return_statement":
        return True
    if parent.type == "arrow_function":
        return parent.child_by_field_name("body") == position
    return _returned_through_local(model, parent, position, call)


def _returned_through_local(
    model: SemanticModel, declarator: Node, value: Node, call: CallSite
) -> bool:
    """``const out = src.pipe(dst)`` never reassigned, returned, and otherwise only listened
    on (by handlers that do not destroy the source): not destroyed, piped on, or handed to
    ``pipeline`` / ``finished``."""
    if declarator.type != "variable_declarator" or declarator.child_by_field_name("value") != value:
        return False
    name = declarator.child_by_field_name("name")
    binding = model.binding_of(name) if name is not None and name.type == "identifier" else None
    if binding is None or binding.is_reassigned or not binding.references:
        return False
    returned = False
    for reference in binding.references:
        position = outer(reference)
        holder = position.parent
        if holder is None:
            return False
        if holder.type == "return_statement" or (
            holder.type == "arrow_function" and holder.child_by_field_name("body") == position
        ):
            returned = True
            continue
        if holder.type != "member_expression" or holder.child_by_field_name("object") != position:
            return False  # handed to a call, stored, compared: its fate is not seen here
        listened = outer(holder).parent
        site = model.call_at(listened) if listened is not None else None
        if site is None or site.name not in STREAM_LISTEN_METHODS or len(site.args) < 2:
            return False
        source = _chain_base(call.obj) if call.obj is not None else None
        if source is not None and _tears_down(model, site.args[1], _family(model, source)):
            return False
    return returned


# -- a fetch response whose body one way out leaves unread --------------------------------
def _unread_body_findings(ctx: RuleContext) -> Iterator[Finding]:
    """``if (!res.ok) throw …; return res.json()``: the body is read on one side of the
    status test and neither read nor cancelled on the other (``semantics.unread_bodies``)."""
    for unread in unread_bodies(ctx.model):
        name = unread.response.name
        call = unread.upstream.call
        shown = f"`{short(call.display(40), 40)}`"
        test = f"`{short(' '.join(text(unread.test).split()), 40)}`"
        exit_line = ctx.source.line_number(unread.exit.start_byte)
        yield ctx.finding(
            call.node,
            fit(
                f"The body of `{name}` from {shown} is neither read nor cancelled on the "
                f"way out at line {exit_line}",
                f"The body of `{name}` is neither read nor cancelled on one way out",
                "A response body left unread on one way out",
            ),
            confidence=Confidence.MEDIUM,
            related=[ctx.related(unread.exit, "this way out leaves the body unread")],
            fix=(
                f"Read or cancel the body on every way out: `await {name}.body?.cancel()` (or "
                f"read it for the error message, `await {name}.text()`) before throwing or "
                "returning on an error status."
            ),
            notes=[
                sentence(
                    f"`{unread.url.name}` is handed in by the callers of "
                    f"{_entry_words(unread.entry)}, out of this file's view, so the error body "
                    "may be of any size"
                ),
                sentence(
                    f"The code reads the body of `{name}` "
                    f"(`{short(text(unread.read), 40)}`) on one side of {test}, and leaves by "
                    f"line {exit_line} on the other without reading or cancelling it "
                    f"(`await {name}.body?.cancel()`)"
                ),
                sentence(
                    "Node's fetch keeps a response's connection until its body is read or "
                    "cancelled, and garbage collection does not give it back: an error body "
                    "of about 16 KiB or more, too large to be buffered whole, holds its "
                    "connection until the server's idle timeout closes it, and for good when "
                    "the server cannot finish sending it"
                ),
            ],
        )


def _entry_words(function: FunctionInfo) -> str:
    """How the message names the entry point: the exported `f`, the public method `C.m`."""
    if function.class_node is not None and not function.exported:
        return f"the public method {function.display()}"
    return f"the exported {function.display()}"


# -- a source per call kept piped into a destination that outlives it ---------------------
def _shared_destination_findings(ctx: RuleContext, flagged: list[Node]) -> Iterator[Finding]:
    """``conn.decoder.pipe(this.handler, { end: false })`` per connection: `{ end: false }`
    says the destination outlives its sources, and it is a field of the instance or
    module-level state. A source that ends is unpiped by Node; one that fails or is
    destroyed first is not, and the destination keeps four listeners that hold it (and
    what it holds) for as long as the destination lives. Not when the file unpipes the
    source (``x.unpipe()`` on it, or on the same property of another alias) or the
    destination, nor for a child process's output (it ends when the child exits)."""
    model = ctx.model
    seen = {node.id for node in flagged}
    for call in model.calls_named("pipe"):
        function = call.function
        if function is None or function.method_kind == "constructor" or call.obj is None:
            continue
        if len(call.args) != 2 or not _is_stream_pipe_shape(model, call):
            continue
        if text(unwrap(object_property(unwrap(call.args[1]), "end"))) != "false":
            continue
        src, dst = unwrap(call.obj), unwrap(call.args[0])
        if src is None or dst is None or src.id in seen or is_process_stream(dst):
            continue
        if child_process_pipe(model, src) or model.repetition(function) is Repetition.ONCE:
            continue  # a child's output ends when the child exits, however it stops
        holder = model.lifetime_of(dst)
        if holder.lifetime not in (Lifetime.PROCESS, Lifetime.INSTANCE):
            continue
        owner = _class_of(model, call.node) if holder.lifetime is Lifetime.INSTANCE else None
        if owner is not None and owned_connection(model, owner, dst):
            continue  # the class ends the destination itself: its listeners go with it
        if not _made_per_run(model, src, function) or _unpiped(model, src, dst, call.node):
            continue
        shown = f"`{short(text(src), 40)}.pipe({short(text(dst), 40)}, {{ end: false }})`"
        yield ctx.finding(
            call.node,
            fit(
                f"{shown} is never unpiped: a source that fails before its end stays on "
                f"{holder.description}",
                f"{shown} is never unpiped: a failed source stays on the destination",
                "A failed source stays piped into the shared destination",
            ),
            confidence=Confidence.MEDIUM,
            fix=(
                "Unpipe the source when its connection fails or closes (`src.on('close', () => "
                "src.unpipe(dst))`), or tear the source down with its connection."
            ),
            notes=[
                sentence(
                    f"{shown} runs {per_word(function)} and `{{ end: false }}` keeps the "
                    f"destination, {holder.description}, open for the next source"
                ),
                sentence(
                    "Node unpipes a source when it ends, but not when it fails or is destroyed "
                    "first: the destination keeps its `'unpipe'`, `'error'`, `'close'` and "
                    "`'finish'` listeners, and through them the source and what it holds, for "
                    "as long as the destination lives"
                ),
            ],
        )


def _made_per_run(model: SemanticModel, src: Node, function: FunctionInfo) -> bool:
    """The source is reached from a local or a parameter of ``function`` (made or handed
    over for this run), not from state the run shares."""
    root = root_object(src)
    if root is None or root.type != "identifier":
        return False
    binding = model.binding_of(root)
    return binding is not None and binding.scope.function is function


def _unpiped(model: SemanticModel, src: Node, dst: Node, site: Node) -> bool:
    """An ``unpipe`` in the file of the source, of the destination or from the destination
    (``x.unpipe(dst)``), or — in the same class — of the same property of another alias
    (``conn.decoder.unpipe()`` in the method that drops a connection, for
    ``fastconn.decoder`` where it was piped)."""
    prop = text(src.child_by_field_name("property")) if src.type == "member_expression" else None
    owner = _class_of(model, site)
    for call in model.calls_named("unpipe"):
        target = unwrap(call.obj)
        if target is None:
            continue
        if same_location(model, target, src) or same_location(model, target, dst):
            return True
        if any(same_location(model, unwrap(arg), dst) for arg in call.args):
            return True  # ``current.unpipe(this.socket)``: whatever source it holds then
        if prop is None or target.type != "member_expression" or owner is None:
            continue
        same_class = _class_of(model, call.node) is owner
        if same_class and text(target.child_by_field_name("property")) == prop:
            return True
    return False


def _class_of(model: SemanticModel, node: Node) -> ClassInfo | None:
    """The class (either syntax) of the method whose ``this`` holds ``node``."""
    method = model.this_function(node)
    return model.class_info(method.class_node) if method is not None else None


# -- shape ----------------------------------------------------------------------------------


def _is_stream_pipe_shape(model: SemanticModel, call: CallSite) -> bool:
    """``x.pipe(dst)`` or ``x.pipe(dst, { end: false })``: one destination, optional options."""
    if call.is_new or call.obj is None or not 1 <= len(call.args) <= 2:
        return False
    if len(call.args) == 2:
        options = unwrap(call.args[1])
        if options is None or options.type != "object":
            return False
    dst = unwrap(call.args[0])
    if (
        dst is None
        or dst.type in FUNCTION_KINDS
        or dst.type
        in (
            "string",
            "template_string",
            "number",
            "array",
            "object",
            "spread_element",
            "null",
            "undefined",
        )
    ):
        return False
    return not _from_functional_library(model, dst)


def _from_functional_library(model: SemanticModel, node: Node) -> bool:
    """``map(…)`` imported from RxJS (or fp-ts, lodash, ramda): an operator, not a stream."""
    if node.type != "call_expression":
        return False
    root = root_object(node.child_by_field_name("function"))
    binding = model.binding_of(root) if root is not None and root.type == "identifier" else None
    source = module_name(binding.module_source) if binding is not None else None
    return source is not None and source.startswith(NON_STREAM_MODULES)


def _continues_in_outer_pipe(model: SemanticModel, call: CallSite) -> bool:
    """Whether this pipe's result is piped on (``a.pipe(b).pipe(c)``): report the chain once."""
    node = call.node
    while True:
        parent_call = method_call_on(node)
        if parent_call is None:
            return False
        site = model.call_at(parent_call)
        if site is None:
            return False
        if site.name == "pipe":
            return _is_stream_pipe_shape(model, site)
        if site.name not in STREAM_LISTEN_METHODS:
            return False
        node = parent_call


def _chain(model: SemanticModel, call: CallSite) -> tuple[list[Node], Node | None, list[Node]]:
    """The stages of ``a.on('error', h).pipe(b).pipe(c)``: ``[a, b, c]``, options, and the
    ``'error'`` handlers chained on the first stage (``[h]``)."""
    stages: list[Node] = []
    options = unwrap(call.args[1]) if len(call.args) == 2 else None
    chained_error: list[Node] = []
    current: Node | None = call.node
    while current is not None:
        site = model.call_at(current) if current.type == "call_expression" else None
        if site is None or site.obj is None:
            break
        if site.name == "pipe" and _is_stream_pipe_shape(model, site):
            stages.insert(0, site.args[0])
            chained_error = []
        elif site.name in STREAM_LISTEN_METHODS and site.args:
            if string_value(site.args[0]) == "error" and len(site.args) > 1:
                chained_error.append(site.args[1])
        else:
            break
        current = unwrap(site.obj)
    if current is not None:
        stages.insert(0, current)
    return stages, options, chained_error


# -- management -----------------------------------------------------------------------------


def _inside_pipeline(model: SemanticModel, call: CallSite) -> bool:
    for candidate in model.calls_named(*PIPELINE_FUNCTIONS):
        if candidate.node.id != call.node.id and is_inside(call.node, candidate.node):
            return True
    return False


def _watched(model: SemanticModel, stages: list[Node]) -> bool:
    """``finished(src|dst, …)``, ``eos(…)`` or ``onFinished(…)`` on the first or last stage."""
    ends = (stages[0], stages[-1])
    for watcher in model.calls_named(*STREAM_WATCHERS):
        if watcher.args and any(_same(model, watcher.args[0], end) for end in ends):
            return True
    return False


def _same(model: SemanticModel, a: Node | None, b: Node | None) -> bool:
    return same_location(model, a, b)


def _listener_index(model: SemanticModel) -> dict[str, list[CallSite]]:
    """``x.on('event', handler)``-style calls with a literal event, by event (once per file).

    The event is read straight off the first argument node: parsing every argument list of
    every listener call in the file would cost more than the rest of the rule."""
    cached = model.cache.get("nll501.listeners")
    if isinstance(cached, dict):
        return cached
    index: dict[str, list[CallSite]] = {}
    for name in sorted(STREAM_LISTEN_METHODS):
        for site in model.calls_named(name):
            arguments = site.node.child_by_field_name("arguments")
            if arguments is None or arguments.named_child_count < 2:
                continue
            first = arguments.named_children[0]
            if first.type != "string" or first.text is None:
                continue
            event = first.text[1:-1].decode("utf-8", errors="replace")
            index.setdefault(event, []).append(site)
    model.cache["nll501.listeners"] = index
    return index


def _listener_sites(model: SemanticModel, events: frozenset[str]) -> list[CallSite]:
    index = _listener_index(model)
    found = [site for event in events for site in index.get(event, ())]
    return sorted(found, key=lambda site: site.node.start_byte) if len(events) > 1 else found


def _listeners(model: SemanticModel, target: Node, events: frozenset[str]) -> list[Node]:
    """The handlers registered on ``target`` for one of ``events``."""
    return [
        site.args[1]
        for site in _listener_sites(model, events)
        if site.obj is not None and _same(model, site.obj, target)
    ]


def _tears_down(model: SemanticModel, handler: Node, targets: list[Node]) -> bool:
    """Whether ``handler`` destroys, closes, ends, unpipes or kills one of ``targets``."""
    handler_node = unwrap(handler)
    if handler_node is None:
        return False
    if handler_node.type in ("member_expression", "call_expression"):
        # ``src.destroy`` or ``src.destroy.bind(src)``
        name = text(handler_node)
        callee = (
            handler_node.child_by_field_name("function")
            if handler_node.type == "call_expression"
            else None
        )
        root = root_object(callee if callee is not None else handler_node)
        return any(_same(model, root, target) for target in targets) and any(
            f".{m}" in name for m in STREAM_TEARDOWN_METHODS
        )
    function = _function_node(model, handler_node)
    if function is None:
        return False
    for site in _calls_in(model, function):
        if (
            site.name in STREAM_TEARDOWN_METHODS
            and site.obj is not None
            and any(_same(model, _chain_base(site.obj), target) for target in targets)
        ):
            return True
        if (
            site.obj is None
            and site.name in ("destroy", "close")
            and any(_same(model, a, target) for a in site.args for target in targets)
        ):
            return True
        if (
            site.name == "abort"
            and site.obj is not None
            and not site.args
            and any(_made_with_signal(model, target, site.obj) for target in targets)
        ):
            return True
    return False


def _made_with_signal(model: SemanticModel, target: Node, controller: Node) -> bool:
    """``const stream = await api.send(req, { abortSignal: ac.signal })``: the call that made
    ``target`` was handed the signal of ``controller``, so aborting it stops that stream (an
    API given a signal ends what it started when the signal fires)."""
    binding = value_binding(model, target)
    if binding is None or binding.destructured or binding.is_reassigned:
        return False
    made = unwrap(binding.init)
    if made is not None and made.type == "await_expression" and made.named_children:
        made = unwrap(made.named_children[0])
    if made is None or made.type not in ("call_expression", "new_expression"):
        return False
    signal = f"{text(unwrap(controller) or controller)}.signal"
    return any(signal in text(argument) for argument in call_arguments(made))


# -- chains assembled through a variable -----------------------------------------------------


def _continues_through_binding(model: SemanticModel, call: CallSite) -> bool:
    """``stream = stream.pipe(step)`` whose variable is piped on later: an inner stage of a
    chain assembled in a loop or by conditions, reported once where the chain ends."""
    position = outer(call.node)
    parent = position.parent
    if parent is None or parent.type != "assignment_expression":
        return False
    target = unwrap(parent.child_by_field_name("left"))
    if target is None or target.type != "identifier":
        return False
    binding = model.binding_of(target)
    source = unwrap(call.obj)
    if binding is None or source is None or source.type != "identifier":
        return False
    if model.binding_of(source) is not binding:
        return False  # only ``stream = stream.pipe(step)``: the variable carries the chain
    for reference in binding.references:
        if reference.start_byte <= call.node.start_byte <= reference.end_byte:
            continue
        member = outer(reference).parent
        if member is None or member.type != "member_expression":
            continue
        piped = outer(member).parent
        if piped is None or piped.type != "call_expression" or piped.id == call.node.id:
            continue
        site = model.call_at(piped)
        if site is not None and site.name == "pipe" and _is_stream_pipe_shape(model, site):
            return True
    return False


# -- hand-written pipes ---------------------------------------------------------------------


@record
class _HandPipe:
    """``src.on('data', c => dst.write(c))`` with ``src.on('end', () => dst.end())``."""

    data_call: CallSite
    handler: Node
    src: Node
    dst: Node


def _hand_written_findings(ctx: RuleContext) -> Iterator[tuple[Finding, CallSite]]:
    model = ctx.model
    for pipe in _hand_written_pipes(model):
        function = pipe.data_call.function
        if function is None or model.repetition(function) is Repetition.ONCE:
            continue
        src_info, dst_info = stream_info(model, pipe.src), stream_info(model, pipe.dst)
        # An in-memory end (zlib, PassThrough) holds no OS handle of its own.
        src_holds = src_info.handle if src_info is not None else not _made_here(model, pipe.src)
        dst_holds = dst_info.handle if dst_info is not None else not _made_here(model, pipe.dst)
        if _inside_pipeline(model, pipe.data_call) or _watched(model, [pipe.src, pipe.dst]):
            continue
        src_family = _family(model, pipe.src)
        dst_family = _family(model, pipe.dst)
        src_stopped = (
            _tears_down(model, pipe.handler, src_family)
            or _destroyed_by_owner(model, src_family)
            or any(
                _tears_down(model, handler, src_family)
                for handler in _disconnect_listeners(model, pipe.dst)
            )
        )
        dst_stopped = _destroyed_by_owner(model, dst_family) or any(
            _tears_down(model, handler, dst_family)
            for member in src_family
            for handler in _listeners(model, member, SOURCE_FAILURE_EVENTS)
        )
        # The source is left open when the destination closes early from outside: a
        # destination that holds a handle of its own (a socket, a response, a file).
        src_leaks = src_holds and dst_holds and not src_stopped
        dst_leaks = dst_holds and not dst_stopped
        if not src_leaks and not dst_leaks:
            continue
        known_handle = (src_info is not None and src_info.handle) or (
            dst_info is not None and dst_info.handle
        )
        # A stream of unknown kind may hold no handle at all: then what leaks is a guess.
        repeats = repetition_certainty(model, pipe.data_call)
        evidence = Evidence(repeats, ESTABLISHED, retained=certainty(known_handle))
        yield (
            _hand_finding(ctx, pipe, src_info, dst_info, src_leaks, dst_leaks, evidence),
            (pipe.data_call),
        )


def _hand_written_pipes(model: SemanticModel) -> Iterator[_HandPipe]:
    for site in _listener_index(model).get("data", ()):
        if site.obj is None or site.name not in DATA_LISTEN_METHODS or len(site.args) < 2:
            continue
        handler = _function_node(model, site.args[1])
        info = model.function_at(handler) if handler is not None else None
        if handler is None or info is None or not info.params or info.params[0].destructured:
            continue
        chunk = info.params[0]
        src = unwrap(site.obj)
        if src is None or listener_removals(model, src, site.args[0], site.args[1]):
            continue  # the code detaches its own copier: it manages the pair's lifetime
        for write in _calls_in(model, handler):
            if write.name != "write" or write.obj is None or not write.args:
                continue
            if not _mentions(model, write.args[0], chunk) or not _result_unused(write):
                continue  # ``chunk = decoder.write(chunk)`` converts, it does not forward
            dst = unwrap(write.obj)
            if dst is None or is_process_stream(dst) or _same(model, dst, src):
                continue
            if _ends_on_end(model, src, dst):
                yield _HandPipe(site, handler, src, dst)
            break


def _chain_base(node: Node) -> Node:
    """``res`` for ``res.status(404)``: the object a chain of method calls starts from."""
    current = unwrap(node) or node
    while current.type == "call_expression":
        callee = unwrap(current.child_by_field_name("function"))
        if callee is None or callee.type != "member_expression":
            break
        inner = unwrap(callee.child_by_field_name("object"))
        if inner is None:
            break
        current = inner
    return current


def _result_unused(write: CallSite) -> bool:
    """Whether ``dst.write(chunk)``'s result is dropped or only tested for backpressure
    (``if (!dst.write(c)) src.pause()``), as a copier does; a stored or passed result means
    a converter (a decoder, a hash, a parser) that returns its output."""
    position = outer(write.node)
    parent = position.parent
    if parent is None:
        return True
    kind = parent.type
    if kind in ("expression_statement", "arrow_function", "return_statement", "if_statement"):
        return True
    if kind == "unary_expression":
        return text(parent.child_by_field_name("operator")) == "!"
    if kind == "binary_expression":
        return text(parent.child_by_field_name("operator")) in ("===", "==", "!==", "!=", "&&")
    return kind == "parenthesized_expression"


def _made_here(model: SemanticModel, stream: Node) -> bool:
    """A local made by a constructor or factory not known to make a handle stream
    (``const parser = new Parser()``): an in-memory object of the code's own."""
    node = unwrap(stream)
    if node is None or node.type != "identifier":
        return False
    binding = model.binding_of(node)
    if binding is None or binding.kind is BindingKind.PARAM or binding.destructured:
        return False
    init = unwrap(binding.init)
    return init is not None and init.type == "new_expression"


def _destroyed_by_owner(model: SemanticModel, family: list[Node]) -> bool:
    """Whether the function that declares the stream destroys it somewhere (in a ``finally``,
    a promise's ``finally``, an error path): the code manages its lifetime itself."""
    stream = unwrap(family[0])
    if stream is None or stream.type != "identifier":
        return False
    binding = model.binding_of(stream)
    if binding is None or binding.kind is BindingKind.PARAM or binding.scope.is_module:
        return False
    owner = binding.scope.function
    region = owner.node if owner is not None else binding.scope.node
    return any(
        call.name in STREAM_DESTROY_METHODS
        and call.obj is not None
        and any(_same(model, call.obj, member) for member in family)
        and _on_failure_path(model, call.node, region)
        for call in _calls_in(model, region)
    )


def _on_failure_path(model: SemanticModel, node: Node, region: Node) -> bool:
    """Whether ``node`` runs when the work fails or ends early: in a ``catch`` / ``finally``
    block, a promise's ``catch`` / ``finally`` callback, or an ``'error'`` / ``'close'``
    listener (a close in a ``'finish'`` listener runs on success only)."""
    for parent in ancestors(node):
        if parent.id == region.id:
            return False
        if parent.type in ("finally_clause", "catch_clause"):
            return True
        if parent.type in FUNCTION_KINDS:
            function = model.function_at(parent)
            site = function.callback_of if function is not None else None
            if site is None:
                continue
            if site.name in ("finally", "catch"):
                return True
            failure_events = ("error", "close", "aborted")
            if (
                site.name in STREAM_LISTEN_METHODS
                and site.args
                and string_value(site.args[0]) in failure_events
            ):
                return True
    return False


def _ends_on_end(model: SemanticModel, src: Node, dst: Node) -> bool:
    """Whether an ``'end'`` listener on ``src`` ends ``dst``."""
    for handler in _listeners(model, src, frozenset({"end"})):
        function = _function_node(model, handler)
        if function is None:
            if _is_method_of(handler, dst, "end", model):
                return True
            continue
        for call in _calls_in(model, function):
            if call.name == "end" and call.obj is not None and _same(model, call.obj, dst):
                return True
    return False


def _is_method_of(handler: Node, target: Node, method: str, model: SemanticModel) -> bool:
    """``dst.end.bind(dst)`` or ``dst.end`` passed as a handler."""
    node = unwrap(handler)
    if node is not None and node.type == "call_expression":
        node = unwrap(node.child_by_field_name("function"))
        if node is not None and node.type == "member_expression":
            node = unwrap(node.child_by_field_name("object"))
    if node is None or node.type != "member_expression":
        return False
    return text(node.child_by_field_name("property")) == method and _same(
        model, node.child_by_field_name("object"), target
    )


def _family(model: SemanticModel, stream: Node) -> list[Node]:
    """``stream`` and what owns it: the child process of ``child.stdout``, the client request
    whose response ``stream`` is (``const r = http.get(url, (res) => …)``)."""
    family = [stream]
    if stream.type == "member_expression":
        prop = text(stream.child_by_field_name("property"))
        owner = unwrap(stream.child_by_field_name("object"))
        if prop in PROCESS_STREAMS and owner is not None:
            family.append(owner)
    if stream.type == "identifier":
        binding = model.binding_of(stream)
        function = binding.function if binding is not None else None
        call = function.callback_of if function is not None else None
        if binding is not None and binding.kind is BindingKind.PARAM and call is not None:
            if call.name in ("on", "once") and call.obj is not None:
                family.append(unwrap(call.obj) or call.obj)  # req.on('response', (res) => …)
            else:
                name = result_binding(model, call)
                if name is not None and name.type == "identifier":
                    family.append(name)
    return family


def _disconnect_listeners(model: SemanticModel, dst: Node) -> list[Node]:
    """Handlers that run when ``dst`` closes early: its own close/error/finish/unpipe
    listeners and, when ``dst`` is the client's response, the ``'close'`` / ``'error'`` /
    ``'finish'`` listeners of the client's other streams in the same handler."""
    handlers = _listeners(model, dst, PIPE_CLOSE_EVENTS)
    if client_stream(model, dst) is None:
        return handlers
    owner = _client_owner(model, dst)
    for site in _listener_sites(model, CLIENT_GONE_EVENTS):
        if site.obj is None:
            continue
        if owner is not None and not is_inside(site.node, owner):
            continue
        if client_stream(model, site.obj) is not None:
            handlers.append(site.args[1])
    return handlers


def _client_owner(model: SemanticModel, node: Node) -> Node | None:
    """The function serving the client whose stream ``node`` is."""
    root = root_object(node)
    if root is None:
        return None
    if root.type == "this":
        function = model.this_function(root)
        return function.node if function is not None else None
    binding = model.binding_of(root) if root.type == "identifier" else None
    if binding is None:
        return None
    if binding.kind is BindingKind.PARAM and binding.function is not None:
        return binding.function.node
    return binding.scope.node


# -- upstream requests that outlive the client ------------------------------------------------


def _upstream_findings(
    ctx: RuleContext, reported_data: set[int], flagged_sources: list[Node]
) -> Iterator[Finding]:
    model = ctx.model
    reported: set[int] = set()
    for upstream in upstream_calls(model):
        call = upstream.call
        function = call.function
        if function is None or model.repetition(function) is Repetition.ONCE:
            continue
        if upstream.kind == "http":
            finding = _unread_response(ctx, upstream)
        else:
            finding = _streamed_upstream(ctx, upstream, function, reported_data)
        if finding is not None:
            reported.add(call.node.id)
            yield finding
    for site in _listener_sites(model, frozenset({LEGACY_ABORTED_EVENT})):
        for upstream_call, teardown in _aborted_teardowns(model, site):
            if upstream_call.node.id in reported:
                continue
            finding = _aborted_only(ctx, site, upstream_call, teardown, flagged_sources)
            if finding is not None:
                reported.add(upstream_call.node.id)
                yield finding


def _streamed_upstream(
    ctx: RuleContext,
    upstream: Upstream,
    function: FunctionInfo,
    reported_data: set[int],
) -> Finding | None:
    """An upstream body streamed to the client by hand, with nothing tied to the client
    leaving: no ``signal`` option tied to it, no client ``'close'`` listener that aborts or
    destroys, no check of the client's state while streaming."""
    model = ctx.model
    bodies = upstream_bodies(model, upstream)
    if not bodies:
        return None
    region = function.node
    writes = [
        call
        for call in _calls_in(model, region)
        if call.name == "write" and call.obj is not None and client_stream(model, call.obj)
    ]
    if not writes:
        return None
    streamed_by: str | None = None
    for body in bodies:
        how = _how_streamed(model, body, writes, reported_data)
        if how == "managed":
            return None
        streamed_by = streamed_by or how
    if streamed_by is None:
        return None
    signal = _signal_kind(model, upstream.call)
    if signal == "tied":
        return None
    if _client_teardown(model, region, frozenset(CLIENT_GONE_EVENTS)):
        return None
    if _reads_client_state(model, region):
        return None
    aborted_only = _client_teardown(model, region, frozenset({LEGACY_ABORTED_EVENT}))
    client = writes[0].obj
    return _upstream_finding(
        ctx, upstream, function, streamed_by, client, signal == "timeout", aborted_only
    )


def _how_streamed(
    model: SemanticModel, body: Node, writes: list[CallSite], reported_data: set[int]
) -> str | None:
    """How ``body`` reaches the client's response: a reader loop, ``for await`` or a
    ``'data'`` listener; ``"managed"`` when it goes through ``pipeline()`` or to a framework
    that manages it; None when it does not visibly reach the client."""
    position = outer(body)
    parent = position.parent
    if parent is None:
        return None
    if parent.type == "arguments":
        call = model.call_at(parent.parent) if parent.parent is not None else None
        if call is None:
            return None
        if call.name in PIPELINE_FUNCTIONS or call.name in ("send", "Response"):
            return "managed"
        if call.name == "fromWeb" or call.name == "from":
            return _how_streamed(model, call.node, writes, reported_data)
        return None
    if parent.type == "for_in_statement" and any(c.type == "await" for c in parent.children):
        loop_body = parent.child_by_field_name("body")
        if loop_body is not None and any(is_inside(w.node, loop_body) for w in writes):
            return "a `for await` loop"
        return None
    if parent.type == "assignment_expression":
        target = text(parent.child_by_field_name("left"))
        return "managed" if target.endswith(".body") else None
    if parent.type == "variable_declarator":
        name = parent.child_by_field_name("name")
        binding = model.binding_of(name) if name is not None and name.type == "identifier" else None
        if binding is None:
            return None
        for reference in binding.references:
            how = _how_streamed(model, reference, writes, reported_data)
            if how is not None:
                return how
        return None
    if parent.type != "member_expression":
        return None
    method = text(parent.child_by_field_name("property"))
    call_node = outer(parent).parent
    site = model.call_at(call_node) if call_node is not None else None
    if site is None:
        return None
    if method == "getReader":
        reader = _declared_name(site.node)
        binding = model.binding_of(reader) if reader is not None else None
        if binding is None:
            return None
        # A chunk read and written to the client in the same function (a loop or a
        # recursive pump), not a body read whole before one write at the end.
        owner = model.enclosing_function(reader) if reader is not None else None
        for reference in binding.references:
            if _member_call(model, reference) != "read":
                continue
            loop = next((a for a in ancestors(reference) if a.type in LOOP_KINDS), None)
            pump = model.enclosing_function(reference)
            for write in writes:
                if loop is not None and is_inside(loop, pump.node if pump else model.root):
                    if is_inside(write.node, loop):
                        return "a `getReader()` loop"
                elif pump is not None and pump is not owner and write.function is pump:
                    return "a `getReader()` pump"
        return None
    if method in ("on", "addListener") and site.args and string_value(site.args[0]) == "data":
        if site.node.id in reported_data:
            return "managed"  # reported as a hand-written pipe
        handler = _function_node(model, site.args[1]) if len(site.args) > 1 else None
        if handler is not None and any(is_inside(w.node, handler) for w in writes):
            return "a `'data'` listener"
        return None
    if method in ("pipe", "pipeTo", "pipeThrough"):
        return "managed"  # the pipe check reports a plain `.pipe`; web pipes cancel the body
    return None


def _declared_name(value: Node) -> Node | None:
    """The identifier ``value`` (possibly awaited) initialises: ``const r = value``."""
    name = declared_name(value, chained=False)
    return name if name is not None and name.type == "identifier" else None


def _member_call(model: SemanticModel, reference: Node) -> str | None:
    """``read`` for a reference used as ``reference.read(…)``."""
    member = outer(reference).parent
    if member is None or member.type != "member_expression":
        return None
    call = outer(member).parent
    if call is None or call.type != "call_expression" or model.call_at(call) is None:
        return None
    return text(member.child_by_field_name("property"))


def _signal_kind(model: SemanticModel, call: CallSite) -> str:
    """``"tied"`` when an argument may carry an abort signal, ``"timeout"`` when the only
    signal is ``AbortSignal.timeout(…)``, ``"none"`` when no argument can carry one."""
    kind = "none"
    for index, argument in enumerate(call.args):
        node = unwrap(argument)
        if node is None:
            continue
        if node.type == "new_expression":
            site = model.call_at(node)
            if site is not None and site.name == "Request":
                node = unwrap(site.args[1]) if len(site.args) > 1 else None
                if node is None:
                    continue
        if node.type == "identifier" and index > 0:
            binding = model.binding_of(node)
            init = unwrap(binding.init) if binding is not None else None
            if binding is None or binding.is_reassigned or init is None:
                return "tied"  # options from elsewhere may carry a signal
            node = init
        if node.type != "object":
            if index > 0 and node.type not in _PLAIN_ARGUMENTS and node.type not in FUNCTION_KINDS:
                return "tied"
            continue
        if any(child.type == "spread_element" for child in node.named_children):
            return "tied"
        signal = unwrap(object_property(node, "signal"))
        if signal is None:
            continue
        if signal.type == "call_expression" and dotted_name(
            signal.child_by_field_name("function")
        ) in ("AbortSignal.timeout",):
            kind = "timeout"
            continue
        return "tied"
    return kind


def _client_teardown(model: SemanticModel, region: Node, events: frozenset[str]) -> bool:
    """Whether a listener on a client stream for one of ``events`` inside ``region`` (or the
    handler that owns those streams) aborts, destroys or cancels something; ``finished()``
    and ``onFinished()`` on a client stream count for the ``'close'`` family."""
    owner_regions: list[Node] = [region]
    for site in _listener_sites(model, events):
        if site.obj is None or client_stream(model, site.obj) is None:
            continue
        owner = _client_owner(model, site.obj)
        if not is_inside(site.node, region) and (owner is None or not is_inside(region, owner)):
            continue
        if _stops_something(model, site.args[1]):
            return True
    if "close" in events:
        for watcher in model.calls_named(*STREAM_WATCHERS):
            if not watcher.args or client_stream(model, watcher.args[0]) is None:
                continue
            if any(is_inside(watcher.node, r) for r in owner_regions):
                return True
    return False


def _stops_something(model: SemanticModel, handler: Node) -> bool:
    """Whether ``handler`` aborts, destroys or cancels anything (``ac.abort()``,
    ``upstream.destroy()``, ``reader.cancel()``), or is such a method itself."""
    node = unwrap(handler)
    if node is None:
        return False
    if node.type in ("member_expression", "call_expression"):
        rendered = text(node)
        return any(f".{method}" in rendered for method in UPSTREAM_STOP_METHODS)
    function = _function_node(model, node)
    if function is None:
        return False
    return any(call.name in UPSTREAM_STOP_METHODS for call in _calls_in(model, function))


def _reads_client_state(model: SemanticModel, region: Node) -> bool:
    """``res.destroyed`` / ``req.closed`` / ``res.writableEnded`` read inside ``region``."""
    index = member_index(model)
    for prop in CLIENT_STATE_PROPERTIES:
        for member in index.get(prop, ()):
            if not is_inside(member, region):
                continue
            if client_stream(model, member.child_by_field_name("object")) is not None:
                return True
    return False


def _aborted_teardowns(model: SemanticModel, site: CallSite) -> Iterator[tuple[CallSite, Node]]:
    """Upstream requests that an ``'aborted'`` listener aborts or destroys, with the call
    that does it: ``req.on('aborted', () => proxyReq.abort())``."""
    handler = _function_node(model, site.args[1])
    if handler is None:
        return
    for call in _calls_in(model, handler):
        if call.name not in ("abort", "destroy") or call.obj is None:
            continue
        target = unwrap(call.obj)
        if target is None or target.type != "identifier" or _same(model, target, site.obj):
            continue
        binding = model.binding_of(target)
        if binding is None or binding.destructured or binding.is_reassigned:
            continue
        value = unwrap(binding.init)
        while value is not None and value.type in ("assignment_expression", "await_expression"):
            value = unwrap(
                value.child_by_field_name("right")
                if value.type == "assignment_expression"
                else value.named_children[0]
            )
        upstream = model.call_at(value) if value is not None else None
        if upstream is None or upstream.is_new or upstream.name not in UPSTREAM_REQUEST_NAMES:
            continue
        yield upstream, call.node


def _aborted_only(
    ctx: RuleContext,
    site: CallSite,
    upstream: CallSite,
    teardown: Node,
    flagged_sources: list[Node],
) -> Finding | None:
    """The upstream request is stopped only from the client request's ``'aborted'`` event."""
    model = ctx.model
    function = upstream.function
    if function is None or model.repetition(function) is Repetition.ONCE:
        return None
    if _signal_kind(model, upstream) == "tied" and upstream_request(model, upstream) is not None:
        return None
    name = result_binding(model, upstream)
    if name is None or name.type != "identifier":
        return None
    # A 'close' / 'finish' listener (on any object but the upstream itself) that stops it.
    for other in _listener_sites(model, WORK_ENDED_EVENTS):
        if other.obj is None or _same(model, other.obj, name):
            continue
        if _tears_down(model, other.args[1], [name]):
            return None
    for watcher in model.calls_named(*STREAM_WATCHERS):
        if watcher.args and _same(model, watcher.args[0], site.obj):
            return None
    # A flagged `.pipe` of this request's response already reports the same leak.
    responses = _responses_of(model, upstream, name)
    for source in flagged_sources:
        if source.type == "identifier" and any(
            model.binding_of(source) is response for response in responses
        ):
            return None
    consumed = _body_consumer(model, site.obj) if site.obj is not None else None
    event = model.is_event_driven(function)
    # The upstream holds its socket for sure only while its body is being consumed.
    repeats = repetition_certainty(model, upstream)
    evidence = Evidence(repeats, ESTABLISHED, retained=certainty(consumed is not None))
    confidence = confidence_of(evidence)
    where = _where(function)
    client = short(" ".join(text(site.obj).split()), 30)
    read = (
        f"once `{client}`'s body has been read (here by `{short(text(consumed), 40)}`)"
        if consumed is not None
        else f"once `{client}`'s body has been read (`'aborted'` is deprecated)"
    )
    unit = "request" if event else "call"
    callee = f"`{short_callee(upstream)}(…)`"
    headline = fit(
        f"{callee} is stopped only from `{client}.on('aborted')`, so it outlives a client that "
        f"leaves mid-response, one per {unit}",
        f"{callee} is stopped only from `{client}.on('aborted')`, one open upstream per {unit}",
        f"{callee} is stopped only from `{client}.on('aborted')`",
        "This upstream request is stopped only from the client request's `'aborted'` event",
    )
    notes = [
        f"It runs in {where}; Node does not emit `'aborted'` {read}, so a client that leaves "
        f"while the response streams leaves the upstream request open, one more per {unit}; "
        "stop it from the response's `'close'` instead."
    ]
    fix = (
        "Listen for `'close'` on the client's response (`res.on('close', () => { if "
        "(!res.writableFinished) upstream.destroy(); })`) or pass `signal` from an "
        "`AbortController` aborted there; `'aborted'` fires only while the request body is unread."
    )
    related = [ctx.related(teardown, "the only place the upstream request is stopped")]
    return ctx.finding(
        upstream.node, headline, notes=notes, confidence=confidence, related=related, fix=fix
    )


def _unread_response(ctx: RuleContext, upstream: Upstream) -> Finding | None:
    """``http.request(options, (response) => { … })`` whose callback never reads the response:
    Node keeps an HTTP response's data, and the socket it arrives on, until something reads
    it (``'data'``, ``read()``, ``pipe()``, or ``resume()`` to discard it). A callback that
    only looks at the status and headers leaves the socket checked out until the server
    drops the connection: at its idle timeout for a small body, never for one too large for
    the socket's buffers. Which of the two is not in view, so the finding is medium."""
    model = ctx.model
    call = upstream.call
    callbacks = _response_callbacks(model, call, result_binding(model, call))
    if not callbacks:
        return None  # no response handler: Node discards the response itself
    for callback in callbacks:
        if _may_read_response(model, callback):
            return None
    first = callbacks[0]
    response = first.params[0].name if first.params else None
    looked_at = sorted(
        {prop for callback in callbacks for prop in _response_properties(model, callback)}
    )
    function = call.function
    assert function is not None
    unit = "request" if model.is_event_driven(function) else "call"
    evidence = Evidence(repetition=repetition_certainty(model, call), holder=INFERRED)
    callee = f"`{short_callee(call)}(…)`"
    named = f"`{response}`" if response else "its response"
    headline = fit(
        f"{callee} never reads {named}: its socket stays checked out with the unread body, one "
        f"more per {unit}",
        f"{callee} never reads its response, one more open socket per {unit}",
        f"This request never reads its response, one more open socket per {unit}",
    )
    checked = (
        f"only its {', '.join(f'`{prop}`' for prop in looked_at)} is looked at"
        if looked_at
        else "the callback never touches it"
    )
    notes = [
        sentence(
            f"{callee} hands its response to a callback, and {checked}: Node keeps a "
            "response's data, and the socket it arrives on, until the body is read or the "
            "server drops the connection (never, while a body too large for the socket's "
            "buffers waits to be sent)"
        ),
        sentence(f"It runs in {_where(function)}, and each run leaves one more socket open"),
    ]
    fix = (
        "Read the body, or discard it with `response.resume()` on every path (also when the "
        "status is an error), or destroy the request when you do not need the response."
    )
    return ctx.finding(
        call.node, headline, notes=notes, confidence=confidence_of(evidence), fix=fix
    )


def _response_properties(model: SemanticModel, callback: FunctionInfo) -> list[str]:
    """The properties the callback reads off its response parameter."""
    if not callback.params:
        return []
    found = []
    for reference in callback.params[0].references:
        member = outer(reference).parent
        if member is not None and member.type == "member_expression":
            found.append(text(member.child_by_field_name("property")))
    return found


def _may_read_response(model: SemanticModel, callback: FunctionInfo) -> bool:
    """Whether the callback may read (or hand on, or destroy) its response: any use of the
    parameter but a read of its status or headers, a destructured parameter, or a stop
    (``destroy()`` / ``abort()``) of anything in the callback."""
    if any(call.name in ("destroy", "abort") for call in _calls_in(model, callback.node)):
        return True
    if not callback.params:
        return False
    param = callback.params[0]
    if param.destructured:
        return True
    for reference in param.references:
        if reference.id == param.node.id:
            continue
        member = outer(reference).parent
        if member is None or member.type != "member_expression":
            return True
        if text(member.child_by_field_name("property")) not in RESPONSE_METADATA:
            return True
    return False


def _responses_of(model: SemanticModel, upstream: CallSite, name: Node | None) -> list[Binding]:
    """Bindings of the upstream's response: the first parameter of a callback passed to the
    request call or to ``name.on('response', …)``."""
    return [info.params[0] for info in _response_callbacks(model, upstream, name) if info.params]


def _response_callbacks(
    model: SemanticModel, upstream: CallSite, name: Node | None
) -> list[FunctionInfo]:
    """The functions the upstream hands its response to: a callback passed to the request
    call, and ``name.on('response', …)`` / ``once`` listeners on the request it returns."""
    callbacks: list[Node] = [a for a in upstream.args if unwrap(a) is not None]
    for site in model.calls_named("on", "once") if name is not None else ():
        if site.obj is None or len(site.args) < 2 or string_value(site.args[0]) != "response":
            continue
        if _same(model, site.obj, name):
            callbacks.append(site.args[1])
    found: list[FunctionInfo] = []
    for callback in callbacks:
        function = _function_node(model, callback)
        info = model.function_at(function) if function is not None else None
        if info is not None:
            found.append(info)
    return found


def _body_consumer(model: SemanticModel, request: Node) -> Node | None:
    """Code that reads the client request's body: ``req.pipe(…)``, ``req.on('data')``,
    ``req.resume()``, a body parser's ``req.body``."""
    for call in model.calls_named("pipe", "on", "resume", "read"):
        if call.obj is None or not _same(model, call.obj, request):
            continue
        if call.name == "on" and (not call.args or string_value(call.args[0]) != "data"):
            continue
        return call.node
    for member in member_index(model).get("body", ()):
        if _same(model, member.child_by_field_name("object"), request):
            return member
    return None


def _where(function: FunctionInfo) -> str:
    """Where ``function`` runs, on one line (a quoted callee may span lines)."""
    return " ".join(function.where_it_runs().split())


def _upstream_finding(
    ctx: RuleContext,
    upstream: Upstream,
    function: FunctionInfo,
    streamed_by: str,
    client: Node | None,
    timeout_only: bool,
    aborted_only: bool,
) -> Finding:
    model = ctx.model
    event = model.is_event_driven(function)
    repeats = repetition_certainty(model, upstream.call)
    confidence = confidence_of(Evidence(repetition=repeats, holder=ESTABLISHED))
    target = f"`{short(' '.join(text(client).split()), 30)}`" if client is not None else "it"
    if timeout_only:
        missing = "its only abort signal is a timeout, not the client's disconnect"
        brief = "only a timeout aborts it"
    elif aborted_only:
        missing = (
            "only the client request's `'aborted'` event, not emitted once its body is read, "
            "stops it"
        )
        brief = "only `'aborted'` stops it"
    else:
        missing = "no abort signal or `'close'` listener ties it to the client"
        brief = "nothing ties it to the client"
    unit = "request" if event else "call"
    headline = fit(
        f"{upstream.description} keeps downloading after the client leaves ({brief}), one more "
        f"per {unit}",
        f"{upstream.description} keeps downloading after the client leaves, one more per {unit}",
        f"An upstream request keeps downloading after the client leaves, one more per {unit}",
    )
    notes = [
        sentence(
            f"{upstream.description} in {_where(function)} streams its body into {target} with "
            f"{streamed_by} but {missing}, so when the client leaves the upstream request keeps "
            "its connection open and downloading"
        )
    ]
    fix = (
        "Tie the upstream request to the client: `const ac = new AbortController(); "
        "res.on('close', () => ac.abort());` and pass `{ signal: ac.signal }` (combine with a "
        "timeout through `AbortSignal.any([...])`), or stream with "
        "`await pipeline(Readable.fromWeb(response.body), res)`, which cancels the body when the "
        "response closes."
    )
    return ctx.finding(upstream.call.node, headline, notes=notes, confidence=confidence, fix=fix)


# -- small helpers ------------------------------------------------------------------------------


def _function_node(model: SemanticModel, node: Node | None) -> Node | None:
    """The function a handler argument denotes: inline, or a named function in view."""
    node = unwrap(node)
    if node is None:
        return None
    if node.type in FUNCTION_KINDS:
        return node
    if node.type == "identifier":
        binding = model.binding_of(node)
        if binding is not None and binding.kind is BindingKind.PARAM:
            return None  # a parameter's ``function`` is the function that declares it
        function = binding.function if binding is not None else None
        if function is not None and function.node.type in FUNCTION_KINDS:
            return function.node
        init = unwrap(binding.init) if binding is not None else None
        if init is not None and init.type in FUNCTION_KINDS and not binding.is_reassigned:  # type: ignore[union-attr]
            return init
    return None


def _calls_in(model: SemanticModel, node: Node) -> list[CallSite]:
    """The calls inside ``node`` (document order; found by bisection, not a scan)."""
    starts = model.cache.get("nll501.call_starts")
    if not isinstance(starts, list):
        starts = [call.node.start_byte for call in model.calls]
        model.cache["nll501.call_starts"] = starts
    calls = model.calls
    found: list[CallSite] = []
    index = bisect_left(starts, node.start_byte)
    while index < len(calls) and calls[index].node.start_byte < node.end_byte:
        if calls[index].node.end_byte <= node.end_byte:
            found.append(calls[index])
        index += 1
    return found


def _mentions(model: SemanticModel, node: Node, binding: Binding) -> bool:
    """Whether ``node`` reads ``binding`` (``chunk`` in ``transform(chunk)``)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "identifier" and model.binding_of(current) is binding:
            return True
        if current.type in FUNCTION_KINDS:
            continue
        stack.extend(current.named_children)
    return False


def _hand_finding(
    ctx: RuleContext,
    pipe: _HandPipe,
    src_info: StreamInfo | None,
    dst_info: StreamInfo | None,
    src_leaks: bool,
    dst_leaks: bool,
    evidence: Evidence,
) -> Finding:
    src = _name(pipe.src, src_info)
    dst = _name(pipe.dst, dst_info)
    src_text = short(" ".join(text(pipe.src).split()), 40)
    dst_text = short(" ".join(text(pipe.dst).split()), 40)
    function = pipe.data_call.function
    where = _where(function) if function is not None else "module top level"
    client = " (the client is gone)" if client_stream(ctx.model, pipe.dst) else ""
    gone = f"when `{dst_text}` closes early{client} nothing destroys `{src_text}`"
    failed = f"when `{src_text}` fails or closes without `'end'` nothing ends `{dst_text}`"
    problem = gone if src_leaks else failed
    if src_leaks and dst_leaks:
        problem = f"{gone}, and {failed}"
    event = function is not None and ctx.model.is_event_driven(function)
    unit = "request or event" if event else "call"
    brief = _brief_problem(f"`{src_text}`", f"`{dst_text}`", src_leaks, dst_leaks)
    headline = fit(
        f"`{src_text}.on('data', …)` copies by hand and {brief}, one more per {unit}",
        f"A hand-written `'data'` copy {brief}, one more per {unit}",
        f"A hand-written `'data'` copy leaves a stream open when the other fails, one more per "
        f"{unit}",
    )
    notes = [
        f"In {where}, it copies {src} into {dst} by hand: {problem}, so a socket or file "
        "descriptor stays open with its buffered chunks.",
        f"Use `pipeline({src_text}, {dst_text}, …)`.",
    ]
    fix = (
        "Replace the `'data'` / `'end'` pair with `pipeline(src, dst, callback)` from "
        "`node:stream` (or `await pipeline(src, dst)` from `node:stream/promises`): it destroys "
        "both streams when either fails or closes early."
    )
    confidence = confidence_of(evidence)
    return ctx.finding(pipe.data_call.node, headline, notes=notes, confidence=confidence, fix=fix)


# -- the finding ----------------------------------------------------------------------------


def _finding(
    ctx: RuleContext,
    call: CallSite,
    stages: list[Node],
    infos: list[StreamInfo | None],
    options: Node | None,
    leaks: tuple[bool, bool, bool],
    event_driven: bool,
    handed_back: bool = False,
    swallowed: bool = False,
) -> Finding:
    """``leaks``: the source leaks, the destination leaks, the source is an HTTP message
    (which stops by being aborted: it closes without ``'end'`` and throws nothing)."""
    src_leaks, dst_leaks, incoming = leaks
    fails = "is aborted" if incoming else "fails"
    src, dst = _name(stages[0], infos[0]), _name(stages[-1], infos[-1])
    function = call.function
    where = _where(function) if function is not None else "module top level"
    if src_leaks and dst_leaks:
        problem = (
            f"does not destroy {src} when {dst} closes early (a client disconnect, a failed "
            f"write), nor end {dst} when the source {fails}"
        )
    elif src_leaks and handed_back:
        problem = (
            f"returns {dst}, and does not destroy {src} when the caller tears {dst} down (a "
            "pipeline into a response that closes early): the caller cannot reach the source"
        )
    elif src_leaks:
        problem = (
            f"does not destroy {src} when {dst} closes early (a client disconnect, a failed write)"
        )
    else:
        problem = f"does not end or destroy {dst} when {src} {fails}"
    if swallowed:
        # The error is caught (nothing throws) by listeners that only log it.
        problem += ": the `'error'` listener on the source only logs the failure"
    # Only the failure of a source of unknown kind is at stake, and nothing listens for it:
    # unless it is an HTTP message, Node throws that error before the destination is left open.
    thrown_first = (
        not src_leaks and infos[0] is None and not listens_for_errors(ctx.model, stages[0])
    )
    if thrown_first:
        problem += (
            " (with no `'error'` listener on it, that failure is thrown first unless the "
            "source is an HTTP message, which closes without throwing)"
        )
    held = "its socket or file descriptor and buffered chunks stay open"
    if swallowed and not src_leaks:
        held = f"{dst} stays open, with its socket or file, until the peer gives up"
    args = [short(" ".join(text(stage).split()), 50) for stage in stages]
    if options is not None:
        args.append(short(text(options), 30))
    suggestion = f"await pipeline({', '.join(args)})"
    is_async = function is not None and any(
        child.type == "async" for child in function.node.children
    )
    alternative = "" if is_async else " (or `pipeline(…, callback)` from `node:stream`)"
    code = " ".join(text(call.node).split())
    unit = "request or event" if event_driven else "call"
    brief = _brief_problem(
        f"`{_plain(stages[0])}`", f"`{_plain(stages[-1])}`", src_leaks, dst_leaks, fails
    )
    if handed_back and src_leaks and not dst_leaks:
        brief = f"returns `{_plain(stages[-1])}` and leaves `{_plain(stages[0])}` open"
    headline = fit(
        f"`{short(code, 70)}` {brief}, one more per {unit}",
        f"`{short(code, 40)}` {brief}, one more per {unit}",
        f"`{short(code, 70)}` "
        f"{_brief_problem('its source', f'`{_plain(stages[-1])}`', src_leaks, dst_leaks, fails)}, "
        f"one more per {unit}",
        f"This pipe {brief}, one more per {unit}",
        f"This pipe leaves a stream open when the other fails, one more per {unit}",
    )
    use = f"Use `{suggestion}` from `node:stream/promises`{alternative}."
    if handed_back:
        use = (
            f"Return `pipeline({', '.join(args)}, callback)` from `node:stream`: it returns the "
            "last stream and destroys every stage when the caller destroys it."
        )
    notes = [sentence(f"in {where}, it {problem}, so {held}"), use]
    # What is kept is established by a leaking end that is seen to hold something: a source
    # of a known kind (a file, a socket, an HTTP message) left undestroyed, or a destination
    # left open by a source that fails quietly. A source of unknown kind (a PDF or CSV
    # generator, an image pipeline) may hold no handle at all, and unless something catches
    # its `'error'`, its failure is thrown before the destination can be left open.
    unknown = infos[0] is None
    quiet_failure = not unknown or listens_for_errors(ctx.model, stages[0])
    retained = certainty((src_leaks and not unknown) or (dst_leaks and quiet_failure))
    # A new check (issue 14): what the listener does is judged from its references alone.
    unreleased = certainty(not (swallowed and not src_leaks))
    evidence = Evidence(
        repetition_certainty(ctx.model, call), ESTABLISHED, retained=retained, unreleased=unreleased
    )
    confidence = confidence_of(evidence)
    rewrite = pipe_to_pipeline(ctx.model, ctx.source, call.node) if options is None else None
    return ctx.finding(call.node, headline, notes=notes, confidence=confidence, autofix=rewrite)


def _plain(stage: Node) -> str:
    """A stage's code, short, for a headline."""
    return short(" ".join(text(stage).split()), 30)


def _brief_problem(
    src: str, dst: str, src_leaks: bool, dst_leaks: bool, fails: str = "fails"
) -> str:
    """Which stream a pipe leaves open, in a few words, for the headline."""
    if src_leaks and dst_leaks:
        return f"leaves {src} or {dst} open when one fails"
    if src_leaks:
        return f"leaves {src} open when {dst} closes early"
    return f"leaves {dst} open when {src} {fails}"


def _name(stage: Node, info: StreamInfo | None) -> str:
    """The stream in words: its description when that names it (``the HTTP request `req```),
    else its kind followed by its code (``a zlib stream `zlib.createGzip()```)."""
    shown = short(" ".join(text(stage).split()), 50)
    if info is None:
        return f"`{shown}`"
    if info.named:
        return info.description
    return f"{info.description} `{shown}`"
