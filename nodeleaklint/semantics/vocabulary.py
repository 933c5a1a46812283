"""Node and framework vocabulary that more than one part of the model reads.

Data, not code: what the common frameworks guarantee about how often a method runs.
"""

from __future__ import annotations

from nodeleaklint.records import record
from nodeleaklint.semantics.frameworks import DEFAULT as _FRAMEWORKS

# Framework lifecycles live in one table (``frameworks.FRAMEWORKS``); these are the built-in
# table's sets, for code that does not follow a configuration's extensions. Code that should
# reads ``frameworks.active()``.
# Method names whose call ends an instance's working life (SPEC §1 *Method frequency*).
TEARDOWN_METHODS = _FRAMEWORKS.teardown_methods
# Lifecycle hooks a framework calls once per instance (NestJS providers, Angular and Vue
# components, React class components, Fastify/Egg plugins' init): a timer or listener set
# up there runs once per instance, not once per call.
ONCE_PER_INSTANCE_HOOKS = _FRAMEWORKS.instance_hooks

# Callback parameters that receive an object outliving the event (SPEC §1 *Roles*: borrowed):
# event name -> (parameter index, what it is). A client request's ``'socket'`` hands over a
# socket an ``http.Agent`` keeps alive and reuses for later requests.
BORROWED_EVENT_ARGUMENTS: dict[str, tuple[int, str]] = _FRAMEWORKS.borrowed_event_arguments

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

# -- events ----------------------------------------------------------------------------------
# Methods that add a listener; the ``once`` family removes it after one event.
LISTEN_METHODS = frozenset(
    {"on", "addListener", "prependListener", "addEventListener", "once", "prependOnceListener"}
)
ONCE_METHODS = frozenset({"once", "prependOnceListener"})
# Libraries whose function adds a process-exit handler and returns the function that removes
# it (module -> the exports that do; "" is the module itself, ``require('signal-exit')``
# in its v3 form): called per request with a new callback and the remover dropped, the
# handler — and what it captures — stays until the process exits.
EXIT_HANDLER_REGISTRARS: dict[str, frozenset[str]] = {
    "signal-exit": frozenset({"", "default", "onExit"}),
    "exit-hook": frozenset({"default", "asyncExitHook"}),
}


# Library objects that keep what one of their methods is given until another takes it
# back (module -> the row): winston's ``logger.add(transport)`` pipes the logger into the
# transport and keeps it until ``logger.remove(transport)`` / ``clear()`` (documented), and
# ``logger.child(meta)`` shares its parent's transports, so a transport added to a child
# lands on the parent. ``makers``: the exports that make one (the module object itself is
# one too when ``module_is_one``: winston's default logger).
@record
class AttachingLibrary:
    """One row of ``ATTACHING_LIBRARIES``."""

    makers: frozenset[str]
    module_is_one: bool
    add: str
    removes: frozenset[str]
    shares: frozenset[str]
    holder: str
    added: str

    @property
    def removes_shown(self) -> str:
        """How the object is taken back, for messages: ``remove(transport)``."""
        return f"remove({self.added})"


ATTACHING_LIBRARIES: dict[str, AttachingLibrary] = {
    "winston": AttachingLibrary(
        makers=frozenset({"createLogger", "Logger", "loggers.get", "loggers.add"}),
        module_is_one=True,
        add="add",
        removes=frozenset({"remove", "clear", "close"}),
        shares=frozenset({"child"}),
        holder="winston logger",
        added="transport",
    ),
}

# Library objects whose method adds listeners to the object itself on every call (module ->
# method -> the events): formidable's ``form.parse(req, cb)`` does ``this.on('field' |
# 'file' | 'error' | 'end', …)`` each time (1.x with a callback, 3.x always), so one form
# shared by every request keeps each request's callbacks (and the request they answer).
SELF_LISTENING_METHODS: dict[str, dict[str, tuple[str, ...]]] = {
    "formidable": {"parse": ("field", "file", "error", "end")},
}
# EventEmitter methods that append the listener even when the same function is already
# there (no de-duplication; an EventTarget's ``addEventListener`` keeps one copy).
APPENDING_LISTEN_METHODS = frozenset({"on", "addListener", "prependListener"})
# Methods that remove one listener (``off(event)`` with no handler removes them all).
REMOVE_LISTENER_METHODS = frozenset({"off", "removeListener", "removeEventListener"})
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
# Lifecycle events that fire again and again while the object lives (each carries a piece of
# its traffic): a listener added for one per call is not the call's own piece of work.
RECURRING_LIFECYCLE_EVENTS = frozenset({"data", "message", "readable", "drain"})
# Signals that end the process: either one of a pair is the last event it sees.
TERMINATION_SIGNALS = frozenset({"SIGINT", "SIGTERM", "SIGQUIT", "SIGBREAK", "SIGHUP"})
# Events after which the process is gone: a listener for one of them added by code that is
# not shown to repeat is the shutdown path of start-up code.
PROCESS_ENDING_EVENTS = TERMINATION_SIGNALS | {"exit"}
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


# -- the ways a piece of work ends (SPEC §1 *Cleanup is verified*) ---------------------------
# One table of the events that end a piece of work; every set of "end" events in this module
# is a view of it (``end_events``). event -> the kinds of emitter that send it, whether it
# reports a failure, and, for an event that fires on one way only of the work ending, (when
# it fires, what it misses): a delete that runs only in its listeners leaves the entry behind
# on the other ways. ``'close'`` (sockets, streams, responses, child processes), ``'exit'``
# and socket.io's ``'disconnect'`` fire however the work ends.
# Emitter kinds: "readable" (a request, a read stream), "writable" (a response, a write
# stream), "connection" (a socket, a database or socket.io connection), "process" (a child
# process or worker), "client" (a reconnecting client's own events).
@record
class EndEvent:
    """An event that ends an emitter of the kinds in ``emitters`` (``failure``: only on error)."""

    emitters: frozenset[str]
    failure: bool = False
    partial: tuple[str, str] | None = None  # (when it fires, what it misses)


END_EVENTS: dict[str, EndEvent] = {
    "error": EndEvent(
        frozenset({"readable", "writable", "connection", "process"}),
        failure=True,
        partial=(
            "when the emitter reports an error",
            "when it ends or closes without one (`'close'`)",
        ),
    ),
    "finish": EndEvent(
        frozenset({"writable"}),
        partial=(
            "when the response has been sent in full",
            "when the client aborts first (`'close'` fires, `'finish'` never does)",
        ),
    ),
    "end": EndEvent(
        frozenset({"readable", "connection"}),
        partial=(
            "when the peer ends the stream cleanly",
            "when the connection errors or is reset (`'close'` fires, `'end'` never does)",
        ),
    ),
    "timeout": EndEvent(
        frozenset({"connection"}),
        failure=True,
        partial=("when it times out", "when it completes, fails or closes first"),
    ),
    "aborted": EndEvent(
        frozenset({"readable"}),
        failure=True,
        partial=("when the request is aborted", "when it completes normally"),
    ),
    "close": EndEvent(frozenset({"readable", "writable", "connection", "process"})),
    "disconnect": EndEvent(frozenset({"connection", "process"})),
    "exit": EndEvent(frozenset({"process"})),
    "disconnected": EndEvent(frozenset({"client"})),
}


def end_events(*emitters: str, failures: bool = False) -> frozenset[str]:
    """The events that end the work of any of ``emitters``; failures only when asked."""
    return frozenset(
        event
        for event, end in END_EVENTS.items()
        if end.emitters.intersection(emitters) and (failures or not end.failure)
    )


PARTIAL_END_EVENTS: dict[str, tuple[str, str]] = {
    event: end.partial for event, end in END_EVENTS.items() if end.partial is not None
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


# -- the ways work ends (SPEC §1 *Cleanup is verified*) ----------------------------------------
# The events that end a stream's or a response's work (``'close'``, ``'finish'``, ``'end'``):
# a removal in their handlers is taken to cover every path. ``'finish'`` and ``'end'`` miss
# one way (``PARTIAL_END_EVENTS``), which eviction reports; removal paths do not (yet).
WORK_ENDED_EVENTS = end_events("readable", "writable")
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

# One-way states of an emitter that an event ends (net.Socket: ``connecting`` / ``pending``
# are true until ``'connect'`` / ``'ready'`` fires, and never again). A registration for the
# event reached only while the state holds (``if (!socket.connecting) return;``) is added at
# most once per emitter: once the event fires, the guard keeps every later run out.
EVENT_ENDS_STATE: dict[str, frozenset[str]] = {
    "connect": frozenset({"connecting", "_connecting", "pending"}),
    "ready": frozenset({"connecting", "_connecting", "pending"}),
}

# Listener options under which Node's EventTarget holds the listener weakly (the internal
# ``kWeakHandler`` key, as in the copies of Node's stream operators that readable-stream
# bundles: ``signal.addEventListener('abort', h, { [kWeakHandler]: this })``): the listener
# goes when the object it is tied to does, so it pins nothing.
WEAK_LISTENER_OPTIONS = frozenset({"kWeakHandler"})
# Modules whose ``Socket`` class (or ``connect`` / ``createConnection`` result) is a socket.
SOCKET_MODULES = frozenset({"net", "node:net", "tls", "node:tls"})

# Framework objects with a lifecycle: the call that makes one (with ``this``) -> (the event
# it gets per message, the event that ends it). Node-RED: ``RED.nodes.createNode(this, n)``
# makes a flow node; it gets ``'input'`` per message and ``'close'`` on redeploy or shutdown.
FRAMEWORK_NODE_LIFECYCLES: dict[str, tuple[str, str]] = _FRAMEWORKS.node_lifecycles


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


# -- resources: what acquires, and what gives back (semantics/resources.py) -----------------
# Browser automation modules whose ``launch()`` starts a browser process.
# WebAssembly tokenizers whose encoders must be ``free()``d, and the functions that make one.
WASM_TOKENIZER_MODULES = frozenset({"tiktoken", "@dqbd/tiktoken"})
WASM_TOKENIZER_FACTORIES = frozenset({"encoding_for_model", "get_encoding"})
BROWSER_MODULES = frozenset(
    {
        "puppeteer",
        "puppeteer-core",
        "puppeteer-extra",
        "playwright",
        "playwright-core",
        "playwright-chromium",
        "playwright-firefox",
        "playwright-webkit",
        "@playwright/test",
    }
)
# Browser methods that make a browser or a context (a page made from one dies with it).
BROWSER_MAKERS = frozenset(
    {"launch", "newContext", "createBrowserContext", "createIncognitoBrowserContext"}
)
# Modules whose ``openSync`` / ``open`` return a numeric file descriptor.
FD_MODULES = frozenset({"fs", "graceful-fs", "fs-extra"})
# Modules whose ``open`` resolves to a ``FileHandle``.
FS_PROMISE_MODULES = frozenset({"fs/promises"})
# Modules whose ``Pool`` hands out clients with ``connect()``.
PG_POOL_MODULES = frozenset({"pg", "pg-pool"})
# Modules whose pools lend a member until it is given back (``getConnection`` / ``acquire``).
POOL_MODULES = frozenset(
    {"pg", "pg-pool", "mysql", "mysql2", "mariadb", "oracledb", "generic-pool", "tarn", "mssql"}
)
# Methods of a pool that take a lent member back: ``pool.release(conn)``.
POOL_RELEASE_METHODS = frozenset({"release", "releaseConnection", "destroy"})
# Functions that close a numeric descriptor: ``fs.closeSync(fd)``, ``fs.close(fd, cb)``.
FD_CLOSERS = frozenset({"close", "closeSync"})
# Methods of a file handle that hand the descriptor to a stream that closes it.
FILE_HANDLE_STREAM_METHODS = frozenset(
    {"createReadStream", "createWriteStream", "readableWebStream"}
)
# Method names whose call ends an object's working life, for learned acquire/release pairs.
RELEASE_METHODS = frozenset(
    {
        "close",
        "destroy",
        "release",
        "end",
        "quit",
        "disconnect",
        "$disconnect",
        "dispose",
        "terminate",
        "shutdown",
        "free",
    }
)

# Keys beside ``handler`` that make an object or a module a CLI command (yargs command
# modules: ``{ command, describe, builder, handler }``): its handler runs once per process.
COMMAND_MODULE_KEYS = frozenset({"command", "builder"})

# Decorators that make a class a UI element a framework creates per use and destroys with its
# view (Angular, Stencil, Vue class components, Lit): not a DI singleton.
PER_VIEW_DECORATORS = frozenset({"Component", "Directive", "Pipe", "customElement"})

# Calls that end an emitter's work (a child process, a socket, a stream), and the events that
# then fire on it for sure: a ``once`` listener for one of them goes when it fires.
ENDING_CALLS = frozenset({"kill", "destroy", "end", "close", "terminate", "disconnect"})
ENDED_EVENTS = frozenset({"close", "exit", "end", "finish", "disconnect"})

# Calls whose result is never falsy (a latch may test it): Node's timers return a ``Timeout``
# object, a browser's a positive number.
TRUTHY_RESULT_FUNCTIONS = frozenset({"setInterval", "setTimeout", "setImmediate"})

# -- clients (rules/nll602_unclosed_client.py) -----------------------------------------------
# Methods that close a client (the rule's ``close-methods`` option adds more).
CLIENT_CLOSE_METHODS = frozenset(
    {"close", "quit", "end", "disconnect", "$disconnect", "destroy", "terminate", "dispose"}
)
# Static methods of a client class that create a connected instance of it
# (``MongoClient.connect(url)``): class name -> methods.
CLIENT_STATIC_FACTORIES: dict[str, frozenset[str]] = {"MongoClient": frozenset({"connect"})}
# Methods that close a browser (``puppeteer.launch()`` / ``chromium.launch()`` results).
BROWSER_CLOSE_METHODS = frozenset({"close"})
# Option keys under which a client is lent to one request rather than handed over.
CLIENT_OPTION_KEYS = frozenset({"agent", "dispatcher", "httpAgent", "httpsAgent"})

# -- connections held by an object (semantics/obligations.py) ---------------------------------
# Methods that open a connection held by the object they are called on.
CONNECTION_OPEN_METHODS = frozenset({"connect"})
# Methods that close it.
CONNECTION_CLOSE_METHODS = frozenset({"end", "close", "destroy", "quit", "disconnect", "terminate"})

# -- promises (semantics/promises.py) ---------------------------------------------------------
# ``Promise`` combinators that subscribe to every element and settle on the first one.
RACE_METHODS = frozenset({"race", "any"})
# Events after which a connection-like owner (a socket, a child process) will never answer again.
CONNECTION_END_EVENTS = end_events("connection", "process")

# -- reconnects (semantics/reconnects.py) -----------------------------------------------------
# Events after which a client has ended by itself: a reconnect run from one of its own
# handlers for them replaces a dead client.
CLIENT_ENDED_EVENTS = end_events("connection", "process", "client")
# Functions that schedule a callback later (a reconnect run from one repeats with it).
TIMER_FUNCTIONS = frozenset({"setTimeout", "setInterval", "setImmediate"})
# Calls whose function argument runs later, not within the call: listeners, promise
# reactions, timers and completion callbacks. Code written inside such a callback above a
# statement runs after it (``ws.on('close', () => clearInterval(t)); t = setInterval(…)``).
DEFERRED_CALLBACK_METHODS = LISTEN_METHODS | ONCE_CALLBACK_METHODS | TIMER_FUNCTIONS
# Sockets: ``net.connect(…)``, ``tls.connect(…)``, ``new net.Socket()``. Not clients in their own
# right (a socket used and dropped is ended by its peer), but a socket replaced while it is
# still open is orphaned like any client. An ``'error'`` destroys a socket, so a reconnect from
# its ``'error'`` handler replaces a dead one; a ``'timeout'`` does not.
# (``SOCKET_MODULES``, above, names the modules.)
SOCKET_MAKERS = frozenset({"connect", "createConnection", "Socket"})
SOCKET_ENDED_EVENTS = frozenset({"error"})
SOCKET_CLOSERS = frozenset({"destroy", "end", "resetAndDestroy"})

# -- upstream requests and the client's connection (semantics/upstreams.py) -----------------
# Modules whose ``fetch`` is the WHATWG fetch (the global one needs no import).
FETCH_MODULES = frozenset({"node-fetch", "undici", "cross-fetch", "isomorphic-fetch"})
# undici's streaming entry points: their result's ``body`` is a Node Readable.
UNDICI_REQUESTS = frozenset({"request", "stream"})
HTTP_MODULES = frozenset({"http", "https"})
# What a client's ``IncomingMessage`` says without reading its body: a response callback that
# touches nothing else of it leaves the body, and the socket, unread.
RESPONSE_METADATA = frozenset(
    {
        "statusCode",
        "statusMessage",
        "headers",
        "headersDistinct",
        "rawHeaders",
        "httpVersion",
        "httpVersionMajor",
        "httpVersionMinor",
        "url",
        "method",
    }
)
# TypeScript types that declare a parameter to be the request being served or its response,
# by (module, exported type): a method ``serve(path: string, res: Response)`` is handed the
# client's response whatever its parameters are called.
HTTP_MESSAGE_TYPES: dict[tuple[str, str], str] = {
    ("express", "Request"): "request",
    ("express", "Response"): "response",
    ("http", "ServerResponse"): "response",
    ("https", "ServerResponse"): "response",
}
HTTP_REQUESTS = frozenset({"request", "get"})
# Every module an upstream request is made with.
UPSTREAM_MODULES = FETCH_MODULES | HTTP_MODULES | {"got"}
# A WHATWG fetch ``Response`` (semantics/unread_bodies.py): what reads or cancels its body,
# what says how the exchange went without touching the body, and which of those are the status.
FETCH_BODY_READS = frozenset(
    {"json", "text", "arrayBuffer", "blob", "formData", "bytes", "body", "bodyUsed"}
)
FETCH_STATUS_PROPERTIES = frozenset({"ok", "status"})
# The browser's own globals: a file that uses them runs in a browser, whose fetch manages
# its connections itself.
BROWSER_GLOBALS = frozenset({"window", "document"})
FETCH_RESPONSE_METADATA = FETCH_STATUS_PROPERTIES | frozenset(
    {"statusText", "headers", "url", "redirected", "type"}
)
# Events of a client stream that mean the client has gone (or the exchange is over).
CLIENT_GONE_EVENTS = end_events("writable", failures=True)
# Emitted by an ``IncomingMessage`` only while its body is unread: deprecated since Node 16
# in favour of ``'close'``.
LEGACY_ABORTED_EVENT = "aborted"
# Reads of a client stream that say whether the client is still there.
CLIENT_STATE_PROPERTIES = frozenset(
    {"destroyed", "closed", "writableEnded", "writableFinished", "aborted", "finished"}
)

# -- streams (semantics/streams.py) ------------------------------------------------------------
# Stream factories recognised by name alone, whatever object they are called on -> what the
# stream is (for messages). None of them holds an OS handle: zlib and crypto streams live in
# memory and are collected once unreferenced.
STREAM_FACTORIES: dict[str, str] = {
    "createGzip": "a zlib stream",
    "createGunzip": "a zlib stream",
    "createDeflate": "a zlib stream",
    "createInflate": "a zlib stream",
    "createDeflateRaw": "a zlib stream",
    "createInflateRaw": "a zlib stream",
    "createUnzip": "a zlib stream",
    "createBrotliCompress": "a zlib stream",
    "createBrotliDecompress": "a zlib stream",
    "createHash": "a crypto hash stream",
    "createHmac": "a crypto HMAC stream",
    "createCipheriv": "a cipher stream",
    "createDecipheriv": "a decipher stream",
    "createSign": "a signing stream",
    "createVerify": "a verification stream",
}


@record
class ModuleStream:
    """A factory that makes a stream only when it comes from one of ``modules``: what the
    stream is (for messages), and whether it holds an OS handle (a socket) that stays open
    in libuv until destroyed."""

    modules: frozenset[str]
    description: str
    handle: bool


MODULE_STREAM_FACTORIES: dict[str, ModuleStream] = {
    "connect": ModuleStream(frozenset({"net", "tls"}), "a socket", True),
    "createConnection": ModuleStream(frozenset({"net", "tls"}), "a socket", True),
    "request": ModuleStream(frozenset({"http", "https"}), "an HTTP client request", True),
    "get": ModuleStream(frozenset({"http", "https"}), "an HTTP client request", True),
}
STREAM_CLASSES = frozenset({"PassThrough", "Transform", "Readable", "Writable", "Duplex"})
PROCESS_STREAMS = frozenset({"stdin", "stdout", "stderr"})
CHILD_PROCESS_FACTORIES = frozenset({"spawn", "exec", "execFile", "fork"})
# Modules whose ``createReadStream`` / ``createWriteStream`` open a file.
FS_STREAM_MODULES = frozenset({"fs", "fs/promises", "graceful-fs", "fs-extra"})
# Properties of a handler's parameters that hold a Node stream: ``ctx.req`` (Koa),
# ``request.raw`` / ``reply.raw`` (Fastify), ``req.socket``. Each holds a socket; the HTTP
# messages (``HANDLER_INCOMING_PROPERTIES``) stop quietly when their peer goes away.
HANDLER_STREAM_PROPERTIES = {
    "req": "the HTTP request",
    "res": "the HTTP response",
    "raw": "the raw HTTP message",
    "socket": "the connection socket",
    "connection": "the connection socket",
}
HANDLER_INCOMING_PROPERTIES = frozenset({"req", "res", "raw"})
# Stream methods that return the stream itself, so a chain of them is still the stream.
STREAM_CHAINABLE_METHODS = frozenset(
    {"on", "once", "addListener", "prependListener", "setEncoding", "resume", "pause"}
)

# -- pipes (rules/nll501_unmanaged_pipe.py) ----------------------------------------------------
# Methods that listen on a stream (``addEventListener`` is not a Node stream method).
STREAM_LISTEN_METHODS = frozenset(
    {"on", "once", "addListener", "prependListener", "prependOnceListener"}
)
# Methods that add a persistent ``'data'`` listener.
DATA_LISTEN_METHODS = frozenset({"on", "addListener", "prependListener"})
# Events whose listener on a piped stream can clean the pipe up.
PIPE_CLOSE_EVENTS = (
    end_events("writable", failures=True)
    | end_events("readable", failures=True) - {"end"}
    | {"unpipe"}
)
# Calls in such a listener that tear a pipe down.
STREAM_TEARDOWN_METHODS = frozenset({"destroy", "close", "unpipe", "end", "abort", "kill", "send"})
# Explicit teardown of a stream by the code that owns it (``finally { src.destroy() }``).
STREAM_DESTROY_METHODS = frozenset({"destroy", "close", "abort", "kill"})
# Events after which a hand-written pipe's source sends no more ``'end'``.
SOURCE_FAILURE_EVENTS = end_events("readable", failures=True) - {"end"}
# Calls in a client ``'close'`` listener that stop an upstream request or its body.
UPSTREAM_STOP_METHODS = frozenset({"abort", "destroy", "cancel", "kill", "close"})
# Calls whose result an ``'aborted'`` listener may stop as an upstream request.
UPSTREAM_REQUEST_NAMES = frozenset({"request", "get", "fetch", "stream"})
# Functions that connect streams and destroy all of them when one fails.
PIPELINE_FUNCTIONS = frozenset({"pipeline", "pump", "pumpify", "compose", "duplexify"})
# Functions that call back when a stream ends, errors or closes.
STREAM_WATCHERS = frozenset({"finished", "eos", "endOfStream", "onFinished"})
# Modules whose ``pipe`` is function composition, not a Node stream pipe.
NON_STREAM_MODULES = ("rxjs", "fp-ts", "lodash", "ramda", "effect", "@effect")

# -- large values and what keeps them (semantics/retention.py, NLL401) ------------------------
# ``Buffer`` methods that allocate a buffer of a given size.
BUFFER_ALLOCATORS = frozenset({"alloc", "allocUnsafe", "allocUnsafeSlow"})
# Typed array and buffer classes -> bytes per element.
TYPED_ARRAY_BYTES = {
    "Int8Array": 1,
    "Uint8Array": 1,
    "Uint8ClampedArray": 1,
    "Int16Array": 2,
    "Uint16Array": 2,
    "Float16Array": 2,
    "Int32Array": 4,
    "Uint32Array": 4,
    "Float32Array": 4,
    "Float64Array": 8,
    "BigInt64Array": 8,
    "BigUint64Array": 8,
    "ArrayBuffer": 1,
    "SharedArrayBuffer": 1,
}
# Methods of a fetch ``Response`` that read its whole body.
BODY_READERS = frozenset({"arrayBuffer", "text", "json"})
# The content type of a response that streams events until the client goes away (SSE).
EVENT_STREAM_TYPE = b"text/event-stream"
# Methods that end an HTTP response (Node's ``end``, and express's that call it).
RESPONSE_END_METHODS = frozenset(
    {"end", "send", "json", "jsonp", "sendStatus", "sendFile", "redirect", "render", "download"}
)
# Methods whose result is a view or a copy of the buffer or string they are called on: as
# large as it.
VIEW_METHODS = frozenset({"toString", "subarray", "slice", "trim"})
# Client-side data caches that keep every query's result: made once per module in a file that
# a framework renders on the server for each request, one instance serves (and keeps the
# data of) every request and user. Framework facts as data: (modules, constructor).
SSR_REQUEST_CACHES: tuple[tuple[frozenset[str], str], ...] = (
    (frozenset({"@tanstack/react-query", "@tanstack/query-core", "react-query"}), "QueryClient"),
    (frozenset({"@apollo/client", "apollo-client", "apollo-boost"}), "ApolloClient"),
)
# Directives that make a module part of a server-rendered component tree (Next.js app router,
# React Server Components): a "use client" component is still rendered on the server.
SSR_DIRECTIVES = frozenset({"use client"})
# Collection methods that add an entry -> the index of the stored value among the arguments
# (-1: every argument).
COLLECTION_GROWTH_METHODS = {"set": 1, "add": 0, "push": -1, "unshift": -1}
# Collection methods that remove entries (a Map, Set or array).
COLLECTION_SHRINK_METHODS = ("delete", "clear", "splice", "pop", "shift")
SHRINK_METHODS = frozenset(COLLECTION_SHRINK_METHODS)
# Functions that delete the key they are given from the object given first, as the
# ``delete`` operator does: ``Reflect.deleteProperty(table, key)``.
DELETE_FUNCTIONS = frozenset({"Reflect.deleteProperty"})
# What marks a collection as shrunk or bounded somewhere, for the project view: removal
# methods, and size reads (a bound may follow them).
SIZE_AND_SHRINK = SHRINK_METHODS | {"length", "size"}
# Methods that return their receiver unchanged (Node's ``Timeout``).
PASS_THROUGH_METHODS = frozenset({"unref", "ref", "refresh"})
# Methods that add their argument to the receiver collection.
COLLECTION_ADD_METHODS = frozenset({"push", "unshift", "add", "set", "append", "enqueue", "splice"})
# Methods that read an element back out of a collection.
COLLECTION_READ_METHODS = frozenset(
    {"get", "shift", "pop", "at", "find", "findLast", "values", "entries", "peek", "first", "last"}
)
# Methods whose callback receives each element of the receiver collection.
COLLECTION_ITERATE_METHODS = frozenset(
    {"forEach", "map", "filter", "some", "every", "find", "findLast", "reduce", "flatMap", "each"}
)
# Functions that cancel a timer (and free its callback).
TIMER_CLEARERS = ("clearInterval", "clearTimeout")

# -- emitters (rules/nll102_raised_max_listeners.py) ------------------------------------------
# Modules whose export is ``EventEmitter`` (``defaultMaxListeners`` lives there).
EVENTS_MODULES = ("events", "node:events")

# -- streams helper, issue 14: releases that run only when the work fails ------------------------
# Events whose listener runs only when the work is aborted or fails, never when it succeeds:
# a release there is not a release on the way out of a successful call.
FAILURE_ONLY_EVENTS = frozenset({"abort", "aborted", "error", "timeout"})
# Methods that register a listener for an event named by the first argument.
EVENT_LISTEN_METHODS = frozenset(
    {"on", "once", "addListener", "addEventListener", "prependListener", "prependOnceListener"}
)
# Methods that subscribe a callback to an observable (RxJS and alikes): it runs when that
# observable emits, which is something other than the end of the caller's work.
SUBSCRIBE_METHODS = frozenset({"subscribe"})
# -- end of the streams helper's block -----------------------------------------------------------

# -- keys helper: calls whose result is as new per call as their input (values.key_origin) ------
# Functions given the value as their first argument: ``String(id)``, ``JSON.parse(line)``.
VALUE_CONVERSION_FUNCTIONS = frozenset(
    {
        "String",
        "Number",
        "BigInt",
        "parse",
        "stringify",
        "decodeURIComponent",
        "encodeURIComponent",
        "decodeURI",
        "encodeURI",
        "keys",
        "values",
        "entries",
        "from",
    }
)
# Methods of the value itself: ``id.toLowerCase()``, ``url.trim()``, ``line.split(' ')``.
VALUE_CONVERSION_METHODS = frozenset(
    {
        "toString",
        "toLowerCase",
        "toUpperCase",
        "toLocaleLowerCase",
        "toLocaleUpperCase",
        "trim",
        "trimStart",
        "trimEnd",
        "normalize",
        "valueOf",
        "toISOString",
        "toJSON",
        "getTime",
        # a part of the value: as new per call as the whole in practice
        "split",
        "slice",
        "substring",
        "substr",
        "replace",
        "replaceAll",
        "padStart",
        "padEnd",
    }
)
