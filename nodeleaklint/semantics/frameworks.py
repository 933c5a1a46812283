"""Framework lifecycles as data (SPEC §1 *Framework lifecycles are data*).

One table says what the common frameworks guarantee about how often the code they are given
runs: which methods take a handler the framework calls per message, request, connection,
reconnect or job, which take one it calls once, which object keys and class methods it calls
per request or once per instance, which methods and events end an instance's working life,
and which callback arguments are objects that outlive the callback. The repetition and
teardown parts of the model read the sets derived from it (``active()``); a project extends
it with ``[frameworks.<name>]`` tables in its configuration (``extended``), which the engine
makes active while it checks a file (``using``).
"""

from __future__ import annotations

import contextvars
import enum
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cached_property, lru_cache

from nodeleaklint.parsing import Node
from nodeleaklint.records import record
from nodeleaklint.semantics.scopes import CallSite, FunctionInfo, Scope
from nodeleaklint.semantics.syntax import required_module, string_value, text, unwrap


class Runs(enum.Enum):
    """How often the framework runs the code a guarantee is about."""

    PER_EVENT = "per event"
    PER_MESSAGE = "per message"
    PER_REQUEST = "per request"
    PER_CONNECTION = "per connection"
    PER_RECONNECT = "on every reconnect"
    PER_JOB = "per job"
    PER_ELEMENT = "per element"
    ONCE = "once"
    ONCE_PER_INSTANCE = "once per instance"
    TEARDOWN = "at teardown"
    OUTLIVES_CALL = "outlives the callback"

    @property
    def repeats(self) -> bool:
        return self in _REPEATING


_REPEATING = frozenset(
    {
        Runs.PER_EVENT,
        Runs.PER_MESSAGE,
        Runs.PER_REQUEST,
        Runs.PER_CONNECTION,
        Runs.PER_RECONNECT,
        Runs.PER_JOB,
        Runs.PER_ELEMENT,
    }
)


class Kind(enum.Enum):
    """What a guarantee's ``name`` is."""

    METHOD = "method"  # ``x.name(…, fn)``: the framework runs ``fn``
    EVENT = "event"  # ``x.on('name', fn)``: the emitter runs ``fn``
    KEY = "key"  # ``{ name: fn }`` handed to the framework: it runs ``fn``
    HOOK = "hook"  # a class method the framework calls (``onModuleInit``)
    TEARDOWN = "teardown"  # a method whose call ends an instance's working life
    ARGUMENT = "argument"  # the ``param``-th parameter of a ``name`` handler outlives the call


@record
class Guarantee:
    """One row: in ``framework``, code reached through ``name`` runs ``runs``.

    ``module`` restricts a row to receivers made by that package (an MQTT client's
    ``'connect'`` fires on every reconnect, a socket's fires once); ``within`` restricts a
    ``KEY`` row to objects built in a function handed to that method (Angular's
    ``.directive(name, factory)``); ``param`` is the parameter an ``ARGUMENT`` row is about.
    """

    framework: str
    kind: Kind
    name: str
    runs: Runs
    module: str = ""
    within: str = ""
    param: int = -1
    what: str = ""


def _rows(
    framework: str, kind: Kind, runs: Runs, names: Sequence[str], **extra: str
) -> tuple[Guarantee, ...]:
    return tuple(Guarantee(framework, kind, name, runs, **extra) for name in names)  # type: ignore[arg-type]


M, E, K, H, T, A = Kind.METHOD, Kind.EVENT, Kind.KEY, Kind.HOOK, Kind.TEARDOWN, Kind.ARGUMENT

# fmt: off
FRAMEWORKS: tuple[Guarantee, ...] = (
    # Node's own emitters, timers and servers.
    *_rows("node", M, Runs.PER_EVENT, ("on", "addListener", "prependListener", "addEventListener",
                                       "subscribe", "setInterval")),
    *_rows("node", M, Runs.PER_CONNECTION, ("createServer", "createSecureServer")),
    *_rows("node", E, Runs.ONCE, ("listening", "ready", "open", "close", "end", "finish", "exit",
                                  "connect", "secureConnect", "online", "spawn",
                                  # the process ends on these: their handlers are its shutdown
                                  # path (SIGHUP / SIGUSR1/2 often mean "reload" and repeat)
                                  "SIGINT", "SIGTERM", "SIGQUIT", "SIGBREAK")),
    Guarantee("node", E, "socket", Runs.OUTLIVES_CALL, param=0,
              what="a client request's socket, which a keep-alive agent reuses for many requests"),
    *_rows("node", T, Runs.TEARDOWN, ("close", "end", "destroy", "stop", "terminate", "dispose",
                                      "shutdown", "disconnect", "quit", "abort", "kill", "cleanup",
                                      "teardown", "_destroy", "_close", "_final")),
    # worker_threads / child processes / web workers: ``'message'`` per message.
    Guarantee("worker", E, "message", Runs.PER_MESSAGE),
    # Express / Koa / Fastify / Hono / h3 / hapi routes and middleware: per request.
    *_rows("http", M, Runs.PER_REQUEST, ("get", "post", "put", "patch", "delete", "del", "all",
                                         "use", "head", "options", "route", "addHook", "handle",
                                         "middleware")),
    *_rows("http", K, Runs.PER_REQUEST, ("handler", "preHandler", "onRequest", "preParsing",
                                         "preValidation", "preSerialization", "onSend",
                                         "onResponse", "onError", "onTimeout", "fetch")),
    # Elysia's lifecycle hooks, Hono / h3 / Bun handlers.
    *_rows("elysia", M, Runs.PER_REQUEST, ("onBeforeHandle", "onAfterHandle", "onTransform",
                                           "onParse", "onAfterResponse", "derive",
                                           "mapResponse")),
    *_rows("bun", M, Runs.PER_MESSAGE, ("onMessage",)),
    # ws / socket.io servers: ``'connection'`` per connection.
    Guarantee("ws", K, "connection", Runs.PER_CONNECTION),
    Guarantee("ws", E, "connection", Runs.PER_CONNECTION),
    # MQTT and socket.io clients reconnect by themselves: ``'connect'`` fires on every
    # reconnect, so a listener added inside it piles up one per reconnect.
    Guarantee("mqtt", E, "connect", Runs.PER_RECONNECT, module="mqtt"),
    Guarantee("socket.io-client", E, "connect", Runs.PER_RECONNECT, module="socket.io-client"),
    # Chat clients live for the process; their message handlers run per message.
    *_rows("discord.js", E, Runs.PER_MESSAGE, ("messageCreate", "interactionCreate"),
           module="discord.js"),
    *_rows("telegraf", M, Runs.PER_MESSAGE, ("command", "hears", "action", "start", "help",
                                             "settings"), module="telegraf"),
    *_rows("slack-bolt", M, Runs.PER_MESSAGE, ("message", "event", "command", "shortcut", "view"),
           module="@slack/bolt"),
    # NestJS providers are singletons: these hooks run once per instance, these end it.
    *_rows("nestjs", H, Runs.ONCE_PER_INSTANCE, ("onModuleInit", "onApplicationBootstrap")),
    *_rows("nestjs", T, Runs.TEARDOWN, ("onModuleDestroy", "onApplicationShutdown",
                                        "beforeApplicationShutdown")),
    # Angular, React and Vue components; Egg / Fastify plugins' init.
    *_rows("angular", H, Runs.ONCE_PER_INSTANCE, ("ngOnInit", "ngAfterViewInit")),
    Guarantee("angular", T, "ngOnDestroy", Runs.TEARDOWN),
    *_rows("react", H, Runs.ONCE_PER_INSTANCE, ("componentDidMount",)),
    Guarantee("react", T, "componentWillUnmount", Runs.TEARDOWN),
    *_rows("vue", H, Runs.ONCE_PER_INSTANCE, ("mounted", "created", "beforeMount")),
    # Polymer 3 elements: ``ready()`` runs once per element, on its first connection, after
    # its shadow DOM (``this.$``) is stamped (``connectedCallback`` runs on every attach).
    # Only for classes that extend something imported from the package (``module``).
    Guarantee("polymer", H, "ready", Runs.ONCE_PER_INSTANCE, module="@polymer/polymer"),
    *_rows("egg", H, Runs.ONCE_PER_INSTANCE, ("didReady", "willReady", "configWillLoad",
                                              "configDidLoad", "serverDidReady")),
    # AngularJS directives: ``link`` runs per element the directive is placed on; the scope's
    # ``'$destroy'`` is its teardown and fires once.
    Guarantee("angularjs", K, "link", Runs.PER_ELEMENT, within="directive"),
    Guarantee("angularjs", E, "$destroy", Runs.ONCE),
    # Browsers: a document is parsed once, so ``'DOMContentLoaded'`` fires once per page.
    Guarantee("dom", E, "DOMContentLoaded", Runs.ONCE),
    # Electron: the app finishes launching once per process.
    Guarantee("electron", E, "will-finish-launching", Runs.ONCE),
    # CLIs: commander / yargs handlers run once per process.
    *_rows("commander", M, Runs.ONCE, ("action",), module="commander"),
    *_rows("yargs", M, Runs.ONCE, ("command",), module="yargs"),
    # Job queues and schedulers: per job.
    *_rows("bull", M, Runs.PER_JOB, ("process",), module="bull"),
    *_rows("bullmq", M, Runs.PER_JOB, ("process",), module="bullmq"),
    *_rows("node-cron", M, Runs.PER_JOB, ("schedule",), module="node-cron"),
    *_rows("agenda", M, Runs.PER_JOB, ("define",), module="agenda"),
    # http-proxy: ``proxyReq`` / ``proxyRes`` fire per proxied request (their third parameter
    # is that request's response); the third parameter of an old-style
    # ``httpProxy.createServer((req, res, proxy) => …)`` handler is the routing proxy the
    # server shares across all requests.
    *_rows("http-proxy", E, Runs.PER_REQUEST, ("proxyReq", "proxyRes", "proxyReqWs")),
    Guarantee("http-proxy", A, "createServer", Runs.OUTLIVES_CALL, module="http-proxy", param=2,
              what="the routing proxy `http-proxy` shares across all requests"),
    # Node-RED flow nodes: ``RED.nodes.createNode(this, n)``; ``'input'`` per message,
    # ``'close'`` on redeploy or shutdown.
    Guarantee("node-red", E, "input", Runs.PER_MESSAGE, within="createNode"),
    Guarantee("node-red", E, "close", Runs.TEARDOWN, within="createNode"),
)
# fmt: on


@record
class FrameworkTable:
    """The rows in force, and the name sets the model reads, derived once."""

    rows: tuple[Guarantee, ...]

    def _names(self, kind: Kind, *runs: Runs, scoped: bool = False) -> frozenset[str]:
        return frozenset(
            row.name
            for row in self.rows
            if row.kind is kind
            and (not runs or row.runs in runs)
            and (scoped or not (row.module or row.within))
        )

    @cached_property
    def registration_methods(self) -> frozenset[str]:
        """Methods whose function arguments run per event, request, message or tick."""
        return self._names(Kind.METHOD, *_REPEATING)

    @cached_property
    def route_methods(self) -> frozenset[str]:
        """Methods that register an HTTP route or middleware, run per request."""
        return frozenset(
            row.name
            for row in self.rows
            if row.framework == "http" and row.kind is Kind.METHOD and not row.module
        )

    @cached_property
    def once_methods(self) -> frozenset[str]:
        """Methods (of any receiver) whose function argument runs once."""
        return self._names(Kind.METHOD, Runs.ONCE)

    @cached_property
    def handler_keys(self) -> frozenset[str]:
        """Object keys whose function values the framework calls per request."""
        return self._names(Kind.KEY, *_REPEATING)

    @cached_property
    def one_shot_events(self) -> frozenset[str]:
        """Events an emitter emits at most once: their callbacks run as often as the code
        registering them."""
        return self._names(Kind.EVENT, Runs.ONCE, scoped=True)

    @cached_property
    def instance_hooks(self) -> frozenset[str]:
        """Methods a framework calls once per instance."""
        return self._names(Kind.HOOK, Runs.ONCE_PER_INSTANCE)

    @cached_property
    def teardown_methods(self) -> frozenset[str]:
        """Methods whose call ends an instance's working life."""
        return self._names(Kind.TEARDOWN, Runs.TEARDOWN)

    @cached_property
    def borrowed_event_arguments(self) -> dict[str, tuple[int, str]]:
        """Event -> (parameter, what it is) of listeners whose argument outlives the event
        (SPEC §1 *Roles*: borrowed)."""
        return {
            row.name: (row.param, row.what)
            for row in self.rows
            if row.kind is Kind.EVENT and row.runs is Runs.OUTLIVES_CALL
        }

    @cached_property
    def node_lifecycles(self) -> dict[str, tuple[str, str]]:
        """Objects a factory call gives a lifecycle (``RED.nodes.createNode(this, n)``): the
        call -> (the event it gets per message, the event that ends it)."""
        per = {
            row.within: row.name
            for row in self.rows
            if row.within and row.kind is Kind.EVENT and row.runs is Runs.PER_MESSAGE
        }
        end = {
            row.within: row.name
            for row in self.rows
            if row.within and row.kind is Kind.EVENT and row.runs is Runs.TEARDOWN
        }
        return {maker: (per[maker], end[maker]) for maker in sorted(per.keys() & end.keys())}

    @cached_property
    def _scoped_index(self) -> dict[tuple[Kind, str], tuple[Guarantee, ...]]:
        index: dict[tuple[Kind, str], list[Guarantee]] = {}
        for row in self.rows:
            if row.module or row.within:
                index.setdefault((row.kind, row.name), []).append(row)
        return {key: tuple(rows) for key, rows in index.items()}

    @cached_property
    def key_factories(self) -> frozenset[str]:
        """The calls whose function arguments build objects with keyed rows (``directive``):
        ``keyed_guarantee`` finds a row only for a factory call of one of these names."""
        return frozenset(row.within for row in self.rows if row.kind is Kind.KEY)

    def scoped(self, kind: Kind, name: str) -> tuple[Guarantee, ...]:
        """Rows about ``name`` that hold only for one package's receivers or one factory."""
        return self._scoped_index.get((kind, name), ())


DEFAULT = FrameworkTable(FRAMEWORKS)

# The keys of one ``[frameworks.<name>]`` table of a configuration file, and what each adds.
CONFIG_KEYS: dict[str, tuple[Kind, Runs]] = {
    "per-event-methods": (Kind.METHOD, Runs.PER_EVENT),
    "once-methods": (Kind.METHOD, Runs.ONCE),
    "handler-keys": (Kind.KEY, Runs.PER_REQUEST),
    "once-events": (Kind.EVENT, Runs.ONCE),
    "instance-hooks": (Kind.HOOK, Runs.ONCE_PER_INSTANCE),
    "teardown-methods": (Kind.TEARDOWN, Runs.TEARDOWN),
}


def extended(settings: Mapping[str, Mapping[str, Sequence[str]]]) -> FrameworkTable:
    """The built-in table plus the rows of a configuration's ``[frameworks.<name>]`` tables
    (already validated: every key is one of ``CONFIG_KEYS``)."""
    if not settings:
        return DEFAULT
    return _extended(
        tuple(
            (framework, key, name)
            for framework, keys in sorted(settings.items())
            for key, names in sorted(keys.items())
            for name in names
        )
    )


@lru_cache(maxsize=16)
def _extended(added: tuple[tuple[str, str, str], ...]) -> FrameworkTable:
    """One table per distinct configuration (its derived sets are computed once)."""
    rows = tuple(
        Guarantee(framework, CONFIG_KEYS[key][0], name, CONFIG_KEYS[key][1])
        for framework, key, name in added
    )
    return FrameworkTable(FRAMEWORKS + rows)


_ACTIVE: contextvars.ContextVar[FrameworkTable] = contextvars.ContextVar(
    "nodeleaklint_frameworks", default=DEFAULT
)


def active() -> FrameworkTable:
    """The table in force for the file being checked."""
    return _ACTIVE.get()


@contextmanager
def using(table: FrameworkTable) -> Iterator[FrameworkTable]:
    """Make ``table`` the one in force while a file is modelled and checked."""
    token = _ACTIVE.set(table)
    try:
        yield table
    finally:
        _ACTIVE.reset(token)


# -- what the table says about one call -------------------------------------------------------
_MAX_ALIAS_STEPS = 3


def receiver_module(call: CallSite, scope: Scope | None) -> str | None:
    """The package that made the receiver of ``call``: ``mqtt`` for ``client.on(…)`` after
    ``const client = mqtt.connect(url)``, ``commander`` for ``program.command('x').action(…)``
    after ``const { program } = require('commander')``. None when nothing in view says."""
    node = _chain_root(call.callee)
    for _ in range(_MAX_ALIAS_STEPS):
        if node is None or scope is None:
            return None
        source = required_module(node)
        if source is not None:
            return source
        if node.type in ("call_expression", "new_expression"):
            node = _chain_root(node)
            continue
        if node.type != "identifier":
            return None
        binding = scope.lookup(text(node))
        if binding is None:
            return None
        if binding.module_source is not None:
            return binding.module_source
        if binding.is_reassigned:
            return None
        node = unwrap(binding.init)
    return None


def _chain_root(node: Node | None) -> Node | None:
    """Where a callee or value chain starts: ``program`` in ``program.command('x').action``,
    ``require('mqtt')`` in ``require('mqtt').connect(url)``."""
    current = unwrap(node)
    while current is not None:
        if current.type in ("member_expression", "subscript_expression"):
            current = unwrap(current.child_by_field_name("object"))
        elif current.type in ("call_expression", "new_expression"):
            if required_module(current) is not None:
                return current
            field = "constructor" if current.type == "new_expression" else "function"
            current = unwrap(current.child_by_field_name(field))
        else:
            return current
    return None


def _same_package(wanted: str, source: str | None) -> bool:
    return source is not None and (source == wanted or source.startswith(wanted + "/"))


def call_guarantee(call: CallSite, scope: Scope | None) -> Guarantee | None:
    """The package-specific row for a call handed a function: ``bot.command('x', fn)`` on a
    Telegraf bot (per message), ``client.on('connect', fn)`` on an MQTT client (every
    reconnect), ``program.command('x').action(fn)`` of commander (once)."""
    if call.is_new:
        return None
    table = active()
    if call.name in _LISTEN and call.args:
        candidates = table.scoped(Kind.EVENT, string_value(call.args[0]) or "")
    else:
        candidates = table.scoped(Kind.METHOD, call.name)
    candidates = tuple(row for row in candidates if row.module) if candidates else ()
    if not candidates:
        return None
    source = receiver_module(call, scope)
    return next((row for row in candidates if _same_package(row.module, source)), None)


def hook_guarantee(function: FunctionInfo) -> Guarantee | None:
    """The package-specific row saying a framework calls the method ``function`` once per
    instance: ``ready()`` of a class that extends an element imported from
    ``@polymer/polymer`` (``class X extends MutableData(Polymer.PolymerElement)``). The
    unscoped hooks (``instance_hooks``) hold for any class; these only where the class's own
    ``extends`` clause names something imported from the row's package."""
    if function.class_node is None or function.method_kind != "method" or not function.name:
        return None
    rows = [row for row in active().scoped(Kind.HOOK, function.name) if row.module]
    if not rows:
        return None
    class_scope = function.scope.parent
    outer = class_scope.parent if class_scope is not None else None
    if outer is None:
        return None
    sources = _heritage_modules(function.class_node, outer)
    return next(
        (row for row in rows if any(_same_package(row.module, source) for source in sources)),
        None,
    )


_MAX_HERITAGE_NODES = 64


def _heritage_modules(class_node: Node, scope: Scope) -> set[str]:
    """The packages the ``extends`` clause of ``class_node`` names through imports:
    ``@polymer/polymer`` and ``@polymer/polymer/lib/mixins/mutable-data`` for
    ``extends MutableData(Polymer.PolymerElement)``."""
    heritage = next((c for c in class_node.named_children if c.type == "class_heritage"), None)
    if heritage is None:
        return set()
    extends = next((c for c in heritage.named_children if c.type == "extends_clause"), None)
    stack = [extends if extends is not None else heritage]
    found: set[str] = set()
    seen = 0
    while stack and seen < _MAX_HERITAGE_NODES:
        node = stack.pop()
        seen += 1
        if node.type == "identifier":
            binding = scope.lookup(text(node))
            if binding is not None and binding.module_source is not None:
                found.add(binding.module_source)
        elif node.type not in ("type_arguments", "implements_clause"):
            stack.extend(node.named_children)
    return found


def argument_guarantee(call: CallSite, scope: Scope | None, index: int) -> Guarantee | None:
    """The row saying the ``index``-th parameter of a function handed to ``call`` outlives
    the call: the routing proxy of ``httpProxy.createServer((req, res, proxy) => …)``."""
    rows = [row for row in active().scoped(Kind.ARGUMENT, call.name) if row.param == index]
    if not rows:
        return None
    source = receiver_module(call, scope)
    return next((row for row in rows if _same_package(row.module, source)), None)


def keyed_guarantee(key: str | None, factory_call: CallSite | None) -> Guarantee | None:
    """The row for a function stored under ``key`` in an object built by a function handed to
    ``factory_call``: ``link`` of an AngularJS ``.directive(name, () => ({ link }))``."""
    if key is None or factory_call is None:
        return None
    rows = active().scoped(Kind.KEY, key)
    return next((row for row in rows if row.within == factory_call.name), None)


_LISTEN = frozenset({"on", "addListener", "prependListener", "addEventListener", "once"})
