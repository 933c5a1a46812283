"""## What it does
Flags `src.pipe(dst)` between Node streams when nothing tears the pair down together: the
pipe is not inside `pipeline()`, neither end is watched with `stream.finished()` (or
`end-of-stream` / `on-finished`), and there is not both an `'error'` listener on `src` and a
`'close'` (or `'error'`/`'finish'`/`'unpipe'`) listener on `dst` that destroys `src`.
Streams are recognised by how they were made: `fs.createReadStream` / `createWriteStream`,
`zlib.create*`, `crypto.createHash` and friends, `net.connect`, `http.request`,
`Readable.from`, `new PassThrough()` / `Transform` / `Readable` / `Writable` / `Duplex`,
child-process `stdout`/`stdin`/`stderr`, `process.stdin`, and the `req`/`res` of an HTTP
handler (Koa's `ctx.req`/`ctx.res`, Fastify's `request.raw`/`reply.raw`). A call is only
considered when it has the shape of a stream pipe — a method call with exactly one
destination argument and an optional `{ end }` options object — and at least one end is a
known Node stream, so RxJS `source$.pipe(map(…), filter(…))`, fp-ts/lodash `pipe(…)`
functions and other `pipe` methods stay silent. A chain `a.pipe(b).pipe(c)` is reported once,
at its last `.pipe`. Pipes at module top level, or in a function that runs once, are not
reported; in a function of unknown repetition they get medium confidence.

## Why is this bad?
`Readable.prototype.pipe` does not forward errors and does not destroy the source when the
destination closes early. When a client disconnects mid-download, `res` closes, the source
is unpiped and left paused — its file descriptor, its `highWaterMark` of buffered chunks and
every closure listening on it stay reachable from the libuv handle. When the source fails
instead, the destination is never ended. One leaked stream per aborted request is enough to
exhaust file descriptors (`EMFILE`) and grow the heap under load.

## Example
```js
app.get('/download/:name', (req, res) => {
  // ruleid: NLL501
  fs.createReadStream(path.join(dir, req.params.name)).pipe(res);
});
```

## Use instead
```js
const { pipeline } = require('node:stream/promises');

app.get('/download/:name', async (req, res, next) => {
  try {
    await pipeline(fs.createReadStream(path.join(dir, req.params.name)), res);
  } catch (err) {
    next(err);
  }
});
```

## Options
None.

## Known limits
Streams that arrive as parameters of a named function (`function forward(a, b) { a.pipe(b) }`)
are not recognised, and neither are streams from third-party factories (`through2`,
`busboy`). Any `'error'` listener on the source counts as handling, and any call to
`destroy`/`close`/`unpipe`/`end` on the source inside a destination `'close'` listener counts
as teardown, whatever path it is on. Pipes into `process.stdout`/`process.stderr` are not
reported, since those never close early.
"""

from __future__ import annotations

from collections.abc import Iterator

from nodeleaklint.findings import Confidence, Finding, Severity
from nodeleaklint.parsing import Node
from nodeleaklint.rules.base import RuleContext, RuleMeta
from nodeleaklint.semantics.cleanup import same_location
from nodeleaklint.semantics.model import SemanticModel
from nodeleaklint.semantics.scopes import CallSite, Repetition
from nodeleaklint.semantics.streams import is_process_stream, module_name, stream_info
from nodeleaklint.semantics.syntax import (
    FUNCTION_KINDS,
    is_inside,
    outer,
    root_object,
    short,
    string_value,
    text,
    unwrap,
)

META = RuleMeta(
    id="NLL501",
    name="unmanaged-pipe",
    summary="`src.pipe(dst)` with no pipeline, finished() or error-and-close teardown",
    fix=(
        "Use `pipeline` from `node:stream/promises` (`await pipeline(src, dst)`) or `node:stream` "
        "(`pipeline(src, dst, callback)`): it forwards errors and destroys every stream when one "
        "fails or closes early."
    ),
    severity=Severity.WARNING,
    confidence=Confidence.HIGH,
)

_LISTEN = frozenset({"on", "once", "addListener", "prependListener", "prependOnceListener"})
_CLOSE_EVENTS = frozenset({"close", "error", "finish", "unpipe", "aborted"})
_TEARDOWN = frozenset({"destroy", "close", "unpipe", "end", "abort"})
_PIPELINES = frozenset({"pipeline", "pump", "pumpify", "compose", "duplexify"})
_WATCHERS = frozenset({"finished", "eos", "endOfStream", "onFinished"})
_NON_STREAM_MODULES = ("rxjs", "fp-ts", "lodash", "ramda", "effect", "@effect")


def check(ctx: RuleContext) -> Iterator[Finding]:
    model = ctx.model
    for call in model.calls_named("pipe"):
        if not _is_stream_pipe_shape(model, call) or _continues_in_outer_pipe(model, call):
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
        error_handled = chained_error or bool(_listeners(model, src, frozenset({"error"})))
        closes = any(
            _tears_down(model, handler, src) for handler in _listeners(model, dst, _CLOSE_EVENTS)
        )
        dst_handle = dst_info is not None and dst_info.handle
        # The source leaks when the destination closes early: a source holding an OS handle
        # (file, socket, HTTP message), or an unknown source feeding a handle destination.
        src_leaks = not closes and (
            (src_info is not None and src_info.handle) or (src_info is None and dst_handle)
        )
        # The destination leaks when the source fails: nothing ends a handle destination.
        dst_leaks = not error_handled and dst_handle
        if not src_leaks and not dst_leaks:
            continue
        origins = [info.description if info is not None else None for info in infos]
        event = model.is_event_driven(function)
        yield _finding(ctx, call, stages, origins, options, src_leaks, dst_leaks, event)


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
    return source is not None and source.startswith(_NON_STREAM_MODULES)


def _continues_in_outer_pipe(model: SemanticModel, call: CallSite) -> bool:
    """Whether this pipe's result is piped on (``a.pipe(b).pipe(c)``): report the chain once."""
    node = call.node
    while True:
        position = outer(node)
        member = position.parent
        if member is None or member.type != "member_expression":
            return False
        if member.child_by_field_name("object") != position:
            return False
        parent_call = outer(member).parent
        if parent_call is None or parent_call.type != "call_expression":
            return False
        site = model.call_at(parent_call)
        if site is None:
            return False
        if site.name == "pipe":
            return _is_stream_pipe_shape(model, site)
        if site.name not in _LISTEN:
            return False
        node = parent_call


def _chain(model: SemanticModel, call: CallSite) -> tuple[list[Node], Node | None, bool]:
    """The stages of ``a.on('error', h).pipe(b).pipe(c)``: ``[a, b, c]``, options, error handled."""
    stages: list[Node] = []
    options = unwrap(call.args[1]) if len(call.args) == 2 else None
    chained_error = False
    current: Node | None = call.node
    while current is not None:
        site = model.call_at(current) if current.type == "call_expression" else None
        if site is None or site.obj is None:
            break
        if site.name == "pipe" and _is_stream_pipe_shape(model, site):
            stages.insert(0, site.args[0])
            chained_error = False
        elif site.name in _LISTEN and site.args:
            if string_value(site.args[0]) == "error":
                chained_error = True
        else:
            break
        current = unwrap(site.obj)
    if current is not None:
        stages.insert(0, current)
    return stages, options, chained_error


# -- management -----------------------------------------------------------------------------


def _inside_pipeline(model: SemanticModel, call: CallSite) -> bool:
    for candidate in model.calls_named(*_PIPELINES):
        if candidate.node.id != call.node.id and is_inside(call.node, candidate.node):
            return True
    return False


def _watched(model: SemanticModel, stages: list[Node]) -> bool:
    """``finished(src|dst, …)``, ``eos(…)`` or ``onFinished(…)`` on the first or last stage."""
    ends = (stages[0], stages[-1])
    for watcher in model.calls_named(*_WATCHERS):
        if watcher.args and any(_same(model, watcher.args[0], end) for end in ends):
            return True
    return False


def _same(model: SemanticModel, a: Node | None, b: Node | None) -> bool:
    return same_location(model, a, b)


def _listeners(model: SemanticModel, target: Node, events: frozenset[str]) -> list[Node]:
    """The handlers registered on ``target`` for one of ``events``."""
    found: list[Node] = []
    for site in model.calls_named(*_LISTEN):
        if site.obj is None or len(site.args) < 2 or string_value(site.args[0]) not in events:
            continue
        if _same(model, site.obj, target):
            found.append(site.args[1])
    return found


def _tears_down(model: SemanticModel, handler: Node, src: Node) -> bool:
    """Whether ``handler`` destroys, closes or unpipes ``src``."""
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
        return _same(model, root, src) and any(f".{m}" in name for m in _TEARDOWN)
    if handler_node.type == "identifier":
        binding = model.binding_of(handler_node)
        function = binding.function if binding is not None else None
        if function is None:
            return False
        handler_node = function.node
    if handler_node.type not in FUNCTION_KINDS:
        return False
    for site in model.calls:
        if not is_inside(site.node, handler_node):
            continue
        if site.name in _TEARDOWN and site.obj is not None and _same(model, site.obj, src):
            return True
        if (
            site.obj is None
            and site.name in ("destroy", "close")
            and any(_same(model, a, src) for a in site.args)
        ):
            return True
    return False


# -- the finding ----------------------------------------------------------------------------


def _finding(
    ctx: RuleContext,
    call: CallSite,
    stages: list[Node],
    origins: list[str | None],
    options: Node | None,
    src_leaks: bool,
    dst_leaks: bool,
    event_driven: bool,
) -> Finding:
    src, dst = _name(stages[0], origins[0]), _name(stages[-1], origins[-1])
    function = call.function
    where = function.describe() if function is not None else "module top level"
    repeats = function is not None and function.repetition is Repetition.REPEATING
    if function is not None and not repeats and "any number of times" not in where:
        where += ", which may run any number of times"
    if src_leaks and dst_leaks:
        problem = (
            f"does not destroy {src} when {dst} closes early (a client disconnect, a failed "
            f"write), nor end {dst} when the source fails"
        )
    elif src_leaks:
        problem = (
            f"does not destroy {src} when {dst} closes early (a client disconnect, a failed write)"
        )
    else:
        problem = f"does not end or destroy {dst} when {src} fails"
    held = "its socket or file descriptor and buffered chunks stay open" + (
        ", one more per request or event" if event_driven else ", one more per call"
    )
    args = [short(" ".join(text(stage).split()), 50) for stage in stages]
    if options is not None:
        args.append(short(text(options), 30))
    suggestion = f"await pipeline({', '.join(args)})"
    is_async = function is not None and any(
        child.type == "async" for child in function.node.children
    )
    alternative = "" if is_async else " (or `pipeline(…, callback)` from `node:stream`)"
    message = (
        f"`{short(' '.join(text(call.node).split()), 70)}` in {where} {problem}, so {held}; "
        f"use `{suggestion}` from `node:stream/promises`{alternative}."
    )
    confidence = Confidence.HIGH if event_driven else Confidence.MEDIUM
    return ctx.finding(call.node, message, confidence=confidence)


def _name(stage: Node, origin: str | None) -> str:
    shown = short(" ".join(text(stage).split()), 50)
    if origin is None:
        return f"`{shown}`"
    if origin.startswith("the "):
        return origin
    return f"{origin} `{shown}`"
