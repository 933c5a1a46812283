"""Node and framework vocabulary that more than one part of the model reads.

Data, not code: what the common frameworks guarantee about how often a method runs.
"""

from __future__ import annotations

# Method names whose call ends an instance's working life (SPEC §1 *Method frequency*).
TEARDOWN_METHODS = frozenset(
    {
        "close",
        "end",
        "destroy",
        "stop",
        "terminate",
        "dispose",
        "shutdown",
        "disconnect",
        "quit",
        "abort",
        "kill",
        "cleanup",
        "teardown",
        "onModuleDestroy",
        "onApplicationShutdown",
        "ngOnDestroy",
        "componentWillUnmount",
        "_destroy",
        "_close",
        "_final",
    }
)

# Lifecycle hooks a framework calls once per instance (NestJS providers, Angular and Vue
# components, React class components, Fastify/Egg plugins' init): a timer or listener set
# up there runs once per instance, not once per call.
ONCE_PER_INSTANCE_HOOKS = frozenset(
    {
        "onModuleInit",
        "onApplicationBootstrap",
        "ngOnInit",
        "ngAfterViewInit",
        "componentDidMount",
        "mounted",
        "created",
        "beforeMount",
        "didReady",
        "willReady",
        "configWillLoad",
        "configDidLoad",
        "serverDidReady",
    }
)

# Callback parameters that receive an object outliving the event (SPEC §1 *Roles*: borrowed):
# event name -> (parameter index, what it is). A client request's ``'socket'`` hands over a
# socket an ``http.Agent`` keeps alive and reuses for later requests.
BORROWED_EVENT_ARGUMENTS: dict[str, tuple[int, str]] = {
    "socket": (0, "a client request's socket, which a keep-alive agent reuses for many requests"),
}

# Memoizers that keep one cache entry per distinct argument: module -> export -> the option
# that bounds the cache ("" when nothing can bound it). Results of these are collections.
MEMOIZERS: dict[str, dict[str, str]] = {
    "memoizee": {"": "max", "default": "max"},
    "lodash": {"memoize": ""},
    "lodash.memoize": {"": "", "default": ""},
    "lodash/memoize": {"": "", "default": ""},
    "lodash-es": {"memoize": ""},
    "fast-memoize": {"": "", "default": ""},
    "micro-memoize": {"": "maxSize", "default": "maxSize"},
}

# Methods that register a callback a framework runs per request or message (beyond the
# Node and Express vocabulary in ``repetition.REGISTRATION_METHODS``): Elysia's lifecycle
# hooks, Hono/h3 handlers.
FRAMEWORK_HOOK_REGISTRATIONS = frozenset(
    {
        "onBeforeHandle",
        "onAfterHandle",
        "onTransform",
        "onParse",
        "onAfterResponse",
        "derive",
        "mapResponse",
        "onMessage",
    }
)

# -- events ----------------------------------------------------------------------------------
# Methods that add a listener; the ``once`` family removes it after one event.
LISTEN_METHODS = frozenset(
    {"on", "addListener", "prependListener", "addEventListener", "once", "prependOnceListener"}
)
ONCE_METHODS = frozenset({"once", "prependOnceListener"})
# An emitter's own lifecycle events: on a stream, socket, connection or child process they
# belong to that object's piece of work, so listening to them on a passed-in object is normal.
LIFECYCLE_EVENTS = frozenset(
    {
        "data",
        "end",
        "finish",
        "close",
        "error",
        "drain",
        "readable",
        "pipe",
        "unpipe",
        "pause",
        "resume",
        "open",
        "ready",
        "connect",
        "secureConnect",
        "sslconnect",
        "timeout",
        "response",
        "upgrade",
        "socket",
        "information",
        "continue",
        "lookup",
        "listening",
        "message",
        "exit",
        "disconnect",
        "spawn",
        "headers",
        "trailers",
        "stream",
        "prefinish",
    }
)
# Signals that end the process: either one of a pair is the last event it sees.
TERMINATION_SIGNALS = frozenset({"SIGINT", "SIGTERM", "SIGQUIT", "SIGBREAK", "SIGHUP"})
# Events that may never happen: a ``once`` listener for them waits (and retains) indefinitely.
MAY_NEVER_FIRE = frozenset(
    {
        "error",
        "close",
        "timeout",
        "abort",
        "aborted",
        "exit",
        "beforeExit",
        "uncaughtException",
        "unhandledRejection",
        "uncaughtExceptionMonitor",
    }
)


def may_never_fire(event: str | None) -> bool:
    """Whether a ``once`` listener for ``event`` may wait forever (signals included)."""
    if event is None:
        return False
    return event in MAY_NEVER_FIRE or (event.startswith("SIG") and event[3:].isupper())


# Node's built-in modules (``node:`` prefix optional): never a file of the project, so the
# project view does not record what a file calls on them.
NODE_BUILTINS = frozenset(
    {
        "assert",
        "async_hooks",
        "buffer",
        "child_process",
        "cluster",
        "console",
        "crypto",
        "dgram",
        "diagnostics_channel",
        "dns",
        "domain",
        "events",
        "fs",
        "fs/promises",
        "http",
        "http2",
        "https",
        "inspector",
        "module",
        "net",
        "os",
        "path",
        "perf_hooks",
        "process",
        "punycode",
        "querystring",
        "readline",
        "repl",
        "stream",
        "stream/promises",
        "string_decoder",
        "timers",
        "timers/promises",
        "tls",
        "tty",
        "url",
        "util",
        "v8",
        "vm",
        "wasi",
        "worker_threads",
        "zlib",
    }
)


# -- the ways a piece of work ends -----------------------------------------------------------
# Events that mark one way only of a piece of work ending (SPEC §1 *Cleanup is verified*): a
# delete that runs only in their listeners leaves the entry behind on the other ways.
# event -> (when it fires, what it misses). ``'close'`` (sockets, streams, responses, child
# processes), ``'exit'`` and socket.io's ``'disconnect'`` fire on every way and are absent.
PARTIAL_END_EVENTS: dict[str, tuple[str, str]] = {
    "error": (
        "when the emitter reports an error",
        "when it ends or closes without one (`'close'`)",
    ),
    "finish": (
        "when the response has been sent in full",
        "when the client aborts first (`'close'` fires, `'finish'` never does)",
    ),
    "end": (
        "when the peer ends the stream cleanly",
        "when the connection errors or is reset (`'close'` fires, `'end'` never does)",
    ),
    "timeout": ("when it times out", "when it completes, fails or closes first"),
    "aborted": ("when the request is aborted", "when it completes normally"),
}
# Option callbacks a library calls on one way only of a session ending: hook -> (when it
# fires, what it misses). The MCP SDK's streamable HTTP transport calls ``onsessionclosed``
# only when the client sends an HTTP DELETE for its session.
PARTIAL_END_HOOKS: dict[str, tuple[str, str]] = {
    "onsessionclosed": (
        "when the client closes its session (an HTTP DELETE)",
        "when the client just disconnects or the transport errors",
    ),
}


# What marks a collection as shrunk or bounded somewhere, for the project view: removal
# methods, and size reads (a bound may follow them).
SIZE_AND_SHRINK = frozenset({"delete", "clear", "shift", "pop", "splice", "length", "size"})


# -- the ways work ends (SPEC §1 *Cleanup is verified*) ----------------------------------------
# Events that fire however a piece of work ends (a response's ``'finish'``, any ``'close'``):
# cleanup in their handlers covers every path.
WORK_ENDED_EVENTS = frozenset({"close", "finish", "end"})
# Events that fire while work goes on (or starts it) rather than end it: a listener for one
# of them is not another way the work can end.
PROGRESS_EVENTS = frozenset(
    {
        "data",
        "readable",
        "drain",
        "progress",
        "pipe",
        "unpipe",
        "pause",
        "resume",
        "headers",
        "trailers",
        "information",
        "continue",
        "lookup",
        "socket",
        "prefinish",
        "newListener",
        "removeListener",
        "message",
        "line",
        "chunk",
        "open",
        "spawn",
        "listening",
        "warning",
    }
)

# Node methods that register their last (callback) argument as a ``once`` listener of the
# receiver: method -> event. ``socket.connect(port, host, cb)`` adds ``once('connect', cb)``,
# which stays while the peer is unreachable (a socket reused for every reconnect attempt
# gains one per attempt); ``socket.setTimeout(ms, cb)`` adds ``once('timeout', cb)`` (a
# keep-alive socket gains one per request).
IMPLICIT_ONCE_LISTENERS: dict[str, str] = {"connect": "connect", "setTimeout": "timeout"}
# Modules whose ``Socket`` class (or ``connect`` / ``createConnection`` result) is a socket.
SOCKET_MODULES = frozenset({"net", "node:net", "tls", "node:tls"})

# Framework objects with a lifecycle: the call that makes one (with ``this``) -> (the event
# it gets per message, the event that ends it). Node-RED: ``RED.nodes.createNode(this, n)``
# makes a flow node; it gets ``'input'`` per message and ``'close'`` on redeploy or shutdown.
FRAMEWORK_NODE_LIFECYCLES: dict[str, tuple[str, str]] = {"createNode": ("input", "close")}


# -- Callbacks given to calls: which APIs call them once (issue 12, "callbacks") --------------
# A function handed to an API the model does not know may be called any number of times (a
# handler the API calls per event). These APIs call their function argument inline or once per
# call, so it runs as often as the code that calls them.

# Array, typed-array, string and iterator helpers: the callback runs within the call.
INLINE_CALLBACK_METHODS = frozenset(
    {
        "map",
        "forEach",
        "filter",
        "reduce",
        "reduceRight",
        "find",
        "findIndex",
        "findLast",
        "findLastIndex",
        "some",
        "every",
        "sort",
        "toSorted",
        "flatMap",
        "replace",
        "replaceAll",
        "from",
        "fromAsync",
        "groupBy",
        "call",
        "apply",
        "runInContext",
        "runInNewContext",
        "run",  # AsyncLocalStorage.run: runs the callback now
    }
)
# Promise reactions and once-per-call wrappers: the callback runs at most once per call.
ONCE_CALLBACK_METHODS = frozenset(
    {
        "then",
        "catch",
        "finally",
        "once",
        "prependOnceListener",
        "promisify",
        "callbackify",
        "nextTick",
        "setTimeout",
        "setImmediate",
        "queueMicrotask",
        "requestAnimationFrame",
        "requestIdleCallback",
        # Node's completion callbacks on servers, sockets, streams and child processes: run
        # once, when the operation ends (``server.listen(port, cb)``, ``stream.end(cb)``).
        "listen",
        "close",
        "end",
        "write",
        "destroy",
        "connect",
        "send",
        # ``$(document).ready(cb)``, ``fastify.ready(cb)``, ``app.whenReady``: once, when ready.
        "ready",
        # Removing a listener passes a function without calling it.
        "off",
        "removeListener",
        "removeEventListener",
    }
)
# Constructors that call their function argument once: ``new Promise(executor)``.
ONCE_CALLBACK_CONSTRUCTORS = frozenset({"Promise", "Proxy"})
# Plain functions that call their function argument inline or once.
ONCE_CALLBACK_FUNCTIONS = frozenset(
    {
        "setTimeout",
        "setImmediate",
        "queueMicrotask",
        "requestAnimationFrame",
        "requestIdleCallback",
        "promisify",
        "callbackify",
        "require",  # AMD / RequireJS ``require([deps], cb)``
        "define",  # AMD module factory: runs once
    }
)
# Test-framework blocks (jest, mocha, vitest, node:test, jasmine, ava): test code, which the
# rules do not judge as per-event work. A ``describe.each(…)`` / ``it.only`` callee counts too.
TEST_FRAMEWORK_BLOCKS = frozenset(
    {
        "describe",
        "xdescribe",
        "fdescribe",
        "context",
        "suite",
        "it",
        "xit",
        "fit",
        "test",
        "specify",
        "before",
        "after",
        "beforeAll",
        "afterAll",
        "beforeEach",
        "afterEach",
        "setup",
        "teardown",
        "suiteSetup",
        "suiteTeardown",
        "serial",
    }
)
# Test doubles (jest, vitest, sinon): the function given to them is test code.
TEST_DOUBLE_METHODS = frozenset(
    {
        "fn",
        "mockImplementation",
        "mockImplementationOnce",
        "callsFake",
        "spyOn",
        "stub",
        "mock",  # ``jest.mock('x', factory)`` / ``vi.mock``
        "hoisted",  # ``vi.hoisted(factory)``
    }
)
