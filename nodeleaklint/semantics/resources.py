"""Resources checked out and given back: pooled connections, query runners, pool members,
browser pages and browsers, file descriptors (SPEC §2 NLL602, "Pooled resources are
clients too").

A resource is *acquired* by a call (``await pool.connect()``, ``pool.getConnection(cb)``,
``fs.openSync(p)``) and must be *disposed of* on every way out of the function that holds
it: released (``conn.release()``, ``pool.release(conn)``, ``fs.closeSync(fd)``, calling the
release function ``acquire()`` returned), or handed to code that owns it from then on
(returned, passed to a call, stored). This module answers, for one local that holds a
resource:

- ``never``: nothing in the function (nor in its callbacks) disposes of it;
- ``exit``: a ``return`` / ``throw`` / ``continue`` leaves without disposing of it, while
  other paths do (the usual shape: a validation error answered early);
- ``await``: every exit disposes of it, but a release on the straight path follows an
  ``await`` outside ``try``/``finally``: when that await throws, the release never runs.

It also learns acquire/release pairs from the file itself (``learned_misses``): when at
least two results of one call or constructor reach a teardown method (``x.destroy()``) and
they are most of the results whose fate is visible, a result that never does is a miss.

Everything is judged on syntax paths inside one function, without a control-flow graph:
the statements that run before an exit are its preceding siblings in every enclosing block.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from nodeleaklint.parsing import Node
from nodeleaklint.records import record
from nodeleaklint.semantics.contexts import Context, context_of
from nodeleaklint.semantics.flow import Flow, FlowKind, ReleaseSpec, fate_of, flow_of
from nodeleaklint.semantics.locations import place_of, value_binding
from nodeleaklint.semantics.provenance import origin_of
from nodeleaklint.semantics.scopes import Binding, BindingKind, CallSite, FunctionInfo, Repetition
from nodeleaklint.semantics.syntax import (
    FUNCTION_KINDS,
    ancestors,
    is_function,
    is_inside,
    outer,
    own_nodes,
    string_value,
    text,
    unwrap,
)
from nodeleaklint.semantics.values import called_function
from nodeleaklint.semantics.vocabulary import (
    BROWSER_CLOSE_METHODS,
    BROWSER_MAKERS,
    BROWSER_MODULES,
    CLIENT_OPTION_KEYS,
    EVENT_LISTEN_METHODS,
    FAILURE_ONLY_EVENTS,
    FD_CLOSERS,
    FD_MODULES,
    FILE_HANDLE_STREAM_METHODS,
    FS_PROMISE_MODULES,
    INLINE_CALLBACK_METHODS,
    PG_POOL_MODULES,
    POOL_MODULES,
    POOL_RELEASE_METHODS,
    RELEASE_METHODS,
    SUBSCRIBE_METHODS,
    WASM_TOKENIZER_FACTORIES,
    WASM_TOKENIZER_MODULES,
)

if TYPE_CHECKING:
    from nodeleaklint.semantics.model import SemanticModel


@record
class ResourceKind:
    """A kind of held resource: the call that acquires it and what gives it back."""

    method: str  # the acquiring method or function
    noun: str  # for messages: "pooled connection"
    releases: frozenset[str]  # methods on the resource that give it back
    owner_releases: frozenset[str] = frozenset()  # ``pool.release(conn)``
    callable_release: bool = False  # ``const release = await mutex.acquire(); release()``
    fd: bool = False  # a numeric descriptor: ``fs.closeSync(fd)`` closes it
    dies_with_receiver: bool = False  # a page closes with its browser
    holds: str = "a pool connection"
    lent: bool = False  # lent by a pool: "never given back" needs evidence that it is a pool
    # Made by a class or function of another file of the project (``resource_exports``):
    # the file as shown, and whether the instance opens it only when a method needs it.
    made_in: str = ""
    lazy: bool = False


KINDS: dict[str, ResourceKind] = {
    "connect": ResourceKind(
        "connect",
        "pooled client",
        frozenset({"release", "end", "destroy"}),
        POOL_RELEASE_METHODS,
        lent=True,
    ),
    "getConnection": ResourceKind(
        "getConnection",
        "pooled connection",
        frozenset({"release", "end", "destroy", "close"}),
        POOL_RELEASE_METHODS,
        lent=True,
    ),
    "createQueryRunner": ResourceKind(
        "createQueryRunner", "query runner", frozenset({"release"}), holds="a database connection"
    ),
    "acquire": ResourceKind(
        "acquire",
        "pool member",
        frozenset({"release", "destroy"}),
        POOL_RELEASE_METHODS,
        callable_release=True,
        holds="a member of the pool",
        lent=True,
    ),
    "newPage": ResourceKind(
        "newPage",
        "browser page",
        frozenset({"close"}),
        dies_with_receiver=True,
        holds="a browser tab and its renderer memory",
    ),
    "newContext": ResourceKind(
        "newContext",
        "browser context",
        frozenset({"close"}),
        dies_with_receiver=True,
        holds="a browser context and its pages",
    ),
    "createBrowserContext": ResourceKind(
        "createBrowserContext",
        "browser context",
        frozenset({"close"}),
        dies_with_receiver=True,
        holds="a browser context and its pages",
    ),
    "createIncognitoBrowserContext": ResourceKind(
        "createIncognitoBrowserContext",
        "browser context",
        frozenset({"close"}),
        dies_with_receiver=True,
        holds="a browser context and its pages",
    ),
    "launch": ResourceKind("launch", "browser", frozenset({"close"}), holds="a browser process"),
}
# A WebAssembly tokenizer (``tiktoken``'s ``encoding_for_model()`` / ``get_encoding()``):
# its tables live in the module's linear memory, which garbage collection does not give
# back; only ``free()`` releases them (200 encoders, never freed: +2.1 GB RSS with
# tiktoken 1.0.22, +40 MB freed).
WASM_TOKENIZER_KIND = ResourceKind(
    "encoding_for_model",
    "WebAssembly tokenizer",
    frozenset({"free"}),
    holds="the tokenizer's WebAssembly memory",
)
FD_KIND = ResourceKind(
    "openSync", "file descriptor", frozenset(), fd=True, holds="a file descriptor"
)
HANDLE_KIND = ResourceKind("open", "file handle", frozenset({"close"}), holds="a file descriptor")


# -- acquisitions -------------------------------------------------------------------------------
@record
class Acquisition:
    """One acquired resource: the call, its kind, the binding holding it and its scope."""

    call: CallSite
    kind: ResourceKind
    binding: Binding | None  # the local (or callback parameter) holding it; None: discarded
    holder: FunctionInfo | None  # the function whose paths are judged
    start: int  # byte after which the resource exists
    block: Node | None  # the region where the binding is visible
    error_param: Binding | None = None  # callback form: ``err`` (the resource is absent then)
    release_params: tuple[Binding, ...] = ()  # callback form: ``done``

    @property
    def discarded(self) -> bool:
        return self.binding is None


def configured_kind(method: str, settings: Mapping[str, Any]) -> ResourceKind:
    """An acquire/release pair from the configuration's ``[resources.<method>]`` table."""
    return ResourceKind(
        method,
        str(settings.get("noun") or f"{method} result"),
        frozenset(settings.get("releases", ())),
        frozenset(settings.get("owner-releases", ())),
        holds=f"what `{method}()` checked out",
    )


def acquisitions(
    model: SemanticModel, configured: tuple[ResourceKind, ...] = ()
) -> list[Acquisition]:
    """Every acquisition of a pooled resource, page, browser or descriptor in the file;
    ``configured`` pairs (from the configuration) add methods or replace built-in ones."""
    key = "resources.acquisitions:" + ",".join(kind.method for kind in configured)
    cached = model.cache.get(key)
    if isinstance(cached, list):
        return cached
    found: list[Acquisition] = []
    pg_pool = _imports_pg_pool(model)
    extra = {kind.method: kind for kind in configured}
    for call in model.calls_named(*{*KINDS, *extra, *WASM_TOKENIZER_FACTORIES, "openSync", "open"}):
        if call.is_new:
            continue
        kind = extra.get(call.name) if call.obj is not None else None
        kind = kind or _kind_of(model, call, pg_pool)
        if kind is None:
            continue
        acquisition = _acquisition(model, call, kind)
        if acquisition is not None:
            found.append(acquisition)
    if not pg_pool and "connect" not in extra:
        found = _with_learned_connect(model, found)
    found.extend(_imported_acquisitions(model))
    found.extend(_helper_acquisitions(model))
    model.cache[key] = found
    return found


def _kind_of(model: SemanticModel, call: CallSite, pg_pool: bool) -> ResourceKind | None:
    name = call.name
    if name in WASM_TOKENIZER_FACTORIES:
        origin = origin_of(model, call.callee)
        known = origin is not None and origin.from_module(WASM_TOKENIZER_MODULES)
        return WASM_TOKENIZER_KIND if known else None
    if name in ("openSync", "open"):
        origin = origin_of(model, call.callee)
        if origin is None:
            return None
        if origin.from_module(FS_PROMISE_MODULES) or (
            origin.from_module(FD_MODULES) and origin.export.startswith("promises.")
        ):
            return HANDLE_KIND if name == "open" else None
        if origin.from_module(FD_MODULES) and origin.export.split(".")[-1] == name:
            return FD_KIND
        return None
    if call.obj is None:
        return None  # ``getConnection()`` alone is TypeORM's default connection
    kind = KINDS.get(name)
    if kind is None:
        return None
    callback = _callback(call)
    plain = [arg for arg in call.args if not is_function(unwrap(arg))]
    if name == "connect":
        if plain:
            return None  # ``mongoose.connect(url)``, ``net.connect(port)``
        three = callback is not None and len(_params(model, callback)) >= 3
        return kind if (pg_pool or three) else _PROVISIONAL
    if name == "acquire" and (callback is not None or plain):
        # ``lock.acquire(key, fn)``: the lock is released by the library; but
        # ``pool.acquire(this, (err, conn) => { … pool.release(conn) })`` is a pool of the
        # project's own whose acquire/release pair is in view.
        return kind if callback is not None and _paired_release(model, call, callback) else None
    if name == "launch":
        origin = origin_of(model, call.obj)
        return kind if origin is not None and origin.from_module(BROWSER_MODULES) else None
    return kind


def _helper_acquisitions(model: SemanticModel) -> list[Acquisition]:
    """``await launchBrowser(); …; await browser.close()``: a local helper of the file puts
    what it acquires in a module-level variable (``browser = await puppeteer.launch()``), and
    each function that calls it gives that variable back itself. Each call of the helper is
    an acquisition held by the calling function, judged on its paths like a local: when an
    ``await`` between the call and the release throws, the release never runs, and the next
    call of the helper replaces the variable (the old browser stays open)."""
    extra: list[Acquisition] = []
    for binding, helper, kind in _module_stores(model):
        assert helper.binding is not None
        for site in model.direct_calls(helper.binding):
            holder = site.function
            if holder is None or holder is helper:
                continue
            released = any(
                model.enclosing_function(ref) is holder
                and classify(model, ref, kind) is Use.RELEASE
                for ref in binding.references
            )
            if released:
                extra.append(Acquisition(site, kind, binding, holder, site.node.end_byte, None))
    return extra


def _module_stores(model: SemanticModel) -> Iterator[tuple[Binding, FunctionInfo, ResourceKind]]:
    """Module-level variables a named, unexported local function assigns a resource it
    acquires (``browser = await puppeteer.launch()``), with that function and the kind."""
    for call in model.calls_named("launch"):
        if call.is_new or call.function is None:
            continue
        kind = _kind_of(model, call, False)
        if kind is None:
            continue
        parent = _receiving(call.node)
        if parent is None or parent.type != "assignment_expression":
            continue
        target = unwrap(parent.child_by_field_name("left"))
        binding = model.binding_of(target) if target is not None else None
        helper = call.function
        if (
            binding is None
            or not binding.scope.is_module
            or helper.binding is None
            or helper.exported
            or helper.binding.exported
            or not helper.binding.scope.is_module
        ):
            continue
        yield binding, helper, kind


def _imported_acquisitions(model: SemanticModel) -> list[Acquisition]:
    """``new X()`` / ``f()`` of a class or function of another file that hands over a client
    to close (the project view's ``resources``): each held in a local is an acquisition,
    released by the class's teardown method or the client's own close."""
    found: list[Acquisition] = []
    for called, (how, words, releases, lazy, where) in model.imported_resources.items():
        kind = ResourceKind(
            called,
            "client",
            frozenset(releases),
            holds=words,
            made_in=where,
            lazy=lazy,
        )
        for call in model.calls_named(called.rsplit(".", 1)[-1]):
            if call.is_new != (how == "new") or _callback(call) is not None:
                continue
            if not _names_import(model, call.callee, called):
                continue
            acquisition = _acquisition(model, call, kind)
            if acquisition is not None and not acquisition.discarded:
                found.append(acquisition)
    return found


def _names_import(model: SemanticModel, callee: Node | None, called: str) -> bool:
    """Whether ``callee`` is the imported name ``called`` (``Db``, ``db.Db``) of this file."""
    callee = unwrap(callee)
    if callee is None or text(callee) != called:
        return False
    root = callee
    while root.type == "member_expression":
        inner = unwrap(root.child_by_field_name("object"))
        if inner is None:
            return False
        root = inner
    if root.type != "identifier":
        return False
    binding = model.binding_of(root)
    return binding is not None and binding.scope.is_module and binding.module_source is not None


# ``connect()`` results count only once the file shows one of them released.
_PROVISIONAL = ResourceKind(
    "connect?", "pooled client", KINDS["connect"].releases, POOL_RELEASE_METHODS
)


def _imports_pg_pool(model: SemanticModel) -> bool:
    for binding in model.module_scope.bindings.values():
        source = binding.module_source
        if source is not None and source.removeprefix("node:") in PG_POOL_MODULES:
            return True
    return False


def _with_learned_connect(model: SemanticModel, found: list[Acquisition]) -> list[Acquisition]:
    """Keep provisional ``connect()`` results when some ``connect()`` result is released."""
    provisional = [a for a in found if a.kind is _PROVISIONAL]
    if not provisional:
        return found
    proven = any(
        a.binding is not None and any(u is Use.RELEASE for _, u in uses(model, a))
        for a in provisional
    )
    kind = KINDS["connect"]
    return [
        Acquisition(
            a.call, kind, a.binding, a.holder, a.start, a.block, a.error_param, a.release_params
        )
        if a.kind is _PROVISIONAL
        else a
        for a in found
        if a.kind is not _PROVISIONAL or proven
    ]


def _paired_release(model: SemanticModel, call: CallSite, callback: Node) -> bool:
    """Whether the member ``call``'s callback receives (its second parameter, after ``err``)
    is handed back to the same receiver inside it: ``this.pool.release(conn)`` for
    ``this.pool.acquire(…, (err, conn) => …)``."""
    params = _params(model, callback)
    receiver = text(unwrap(call.obj)) if call.obj is not None else ""
    if len(params) < 2 or params[1].destructured or not receiver:
        return False
    for ref in params[1].references:
        parent = outer(ref).parent
        site = model.call_at(parent.parent) if parent is not None and parent.parent else None
        if (
            parent is not None
            and parent.type == "arguments"
            and site is not None
            and site.name in POOL_RELEASE_METHODS
            and site.obj is not None
            and text(unwrap(site.obj)) == receiver
        ):
            return True
    return False


def _callback(call: CallSite) -> Node | None:
    if not call.args:
        return None
    last = unwrap(call.args[-1])
    return last if is_function(last) else None


def _params(model: SemanticModel, function: Node) -> list[Binding]:
    info = model.function_at(function)
    return list(info.params) if info is not None else []


def _named_callback(model: SemanticModel, call: CallSite) -> Node | None:
    """The function a callback argument names, when the name holds that one function only:
    ``oracledb.getConnection(info, getConnCb)`` with ``getConnCb = function (err, conn) …``
    assigned once (or declared with it, or a function declaration)."""
    last = unwrap(call.args[-1]) if call.args else None
    binding = model.binding_of(last) if last is not None and last.type == "identifier" else None
    if binding is None or binding.kind is BindingKind.PARAM:
        return None
    declaration = binding.node.parent
    if declaration is not None and declaration.type == "function_declaration":
        return None if binding.is_reassigned else declaration
    values: list[Node | None] = [binding.init] if binding.init is not None else []
    for ref in binding.references:
        parent = outer(ref).parent
        if (
            parent is not None
            and parent.type == "assignment_expression"
            and _same(parent.child_by_field_name("left"), outer(ref))
        ):
            values.append(parent.child_by_field_name("right"))
    value = unwrap(values[0]) if len(values) == 1 else None
    return value if value is not None and is_function(value) else None


def _acquisition(model: SemanticModel, call: CallSite, kind: ResourceKind) -> Acquisition | None:
    callback = _callback(call)
    if callback is None and kind.method == "getConnection":
        callback = _named_callback(model, call)
    if callback is not None and kind.method != "launch":
        params = _params(model, callback)
        info = model.function_at(callback)
        if len(params) < 2 or info is None or params[1].destructured:
            return None
        body = info.body
        # ``pool.connect((err, client, done) …)`` hands a release function third; a pool's
        # own ``acquire`` (paired by ``_kind_of``) hands whatever it likes (mssql: a config).
        extra = () if kind.method == "acquire" else tuple(params[2:])
        return Acquisition(
            call,
            kind,
            params[1],
            info,
            body.start_byte if body is not None else callback.start_byte,
            body,
            params[0],
            extra,
        )
    parent = _receiving(call.node)
    if parent is None:
        return None
    if parent.type == "expression_statement":
        if not kind.fd and kind is not HANDLE_KIND:
            return None  # a discarded page or connection is unusual; leave it to other checks
        return Acquisition(call, kind, None, call.function, call.node.end_byte, None)
    if parent.type != "variable_declarator":
        return None
    name = parent.child_by_field_name("name")
    if name is None or name.type != "identifier":
        return None
    binding = model.binding_of(name)
    if binding is None or binding.is_reassigned or binding.scope.is_module:
        return None
    return Acquisition(
        call, kind, binding, call.function, parent.end_byte, _declaring_block(parent)
    )


def _receiving(call: Node) -> Node | None:
    """What receives the value of ``call``, through wrappers and one ``await``: the
    declarator, assignment or statement around ``await pool.connect()``."""
    position = outer(call)
    parent = position.parent
    if parent is not None and parent.type == "await_expression":
        parent = outer(parent).parent
    return parent


def _declaring_block(node: Node) -> Node | None:
    for parent in ancestors(node):
        if parent.type in ("statement_block", "program", "switch_case", "switch_default"):
            return parent
    return None


# -- what each reference does with the resource ------------------------------------------------
class Use(enum.Enum):
    RELEASE = "release"  # gives it back
    HANDOFF = "handoff"  # returned, passed on, stored: someone else owns it now
    CONTINUE = "continue"  # a method call with a callback: the work goes on in there
    USE = "use"  # anything else


def uses(model: SemanticModel, acquisition: Acquisition) -> list[tuple[Node, Use]]:
    """Each reference to the held resource with what it does."""
    binding = acquisition.binding
    if binding is None:
        return []
    found = [(ref, classify(model, ref, acquisition.kind)) for ref in binding.references]
    for param in acquisition.release_params:  # ``done()`` in ``pool.connect((err, c, done) …)``
        for ref in param.references:
            parent = outer(ref).parent
            if parent is not None and parent.type == "call_expression":
                found.append((ref, Use.RELEASE))
            else:
                found.append((ref, Use.HANDOFF))
    return found


def classify(model: SemanticModel, ref: Node, kind: ResourceKind) -> Use:
    position = outer(ref)
    parent = position.parent
    while parent is not None and _passes_value(parent, position):
        position = outer(parent)  # ``cond ? 'inherit' : fd``, ``conn || fallback``
        parent = position.parent
    if parent is None:
        return Use.USE
    ptype = parent.type
    if ptype == "member_expression" and _same(parent.child_by_field_name("object"), position):
        grand = parent.parent
        if grand is None or grand.type != "call_expression":
            return Use.USE
        if not _same(grand.child_by_field_name("function"), parent):
            return Use.USE
        method = text(parent.child_by_field_name("property"))
        if method in kind.releases:
            return Use.RELEASE
        if kind is HANDLE_KIND and method in FILE_HANDLE_STREAM_METHODS:
            return Use.HANDOFF
        site = model.call_at(grand)
        if site is not None and any(is_function(unwrap(arg)) for arg in site.args):
            return Use.CONTINUE
        return Use.USE
    if ptype == "call_expression" and _same(parent.child_by_field_name("function"), position):
        return Use.RELEASE if kind.callable_release else Use.USE
    if ptype == "arguments" and parent.parent is not None:
        site = model.call_at(parent.parent)
        if site is None:
            return Use.HANDOFF
        if kind.fd:
            if site.name in FD_CLOSERS and site.args and _same(outer(site.args[0]), position):
                return Use.RELEASE
            origin = origin_of(model, site.callee)
            if origin is not None and origin.from_module(FD_MODULES):
                return Use.USE  # ``fs.readSync(fd, …)`` reads through it
        if site.obj is not None and site.name in kind.owner_releases:
            return Use.RELEASE
        if site.obj is not None and text(site.obj) == "console":
            return Use.USE
        return Use.HANDOFF
    if ptype in (
        "return_statement",
        "yield_expression",
        "array",
        "pair",
        "object",
        "spread_element",
        "assignment_expression",
        "augmented_assignment_expression",
        "variable_declarator",
        "shorthand_property_identifier",
        "throw_statement",
    ):
        if ptype in ("assignment_expression", "augmented_assignment_expression") and _same(
            parent.child_by_field_name("left"), position
        ):
            return Use.USE
        return Use.HANDOFF
    if ptype == "arrow_function" and _same(parent.child_by_field_name("body"), position):
        return Use.HANDOFF
    if position.type == "shorthand_property_identifier":
        return Use.HANDOFF
    return Use.USE


def _passes_value(parent: Node, child: Node) -> bool:
    """Whether ``parent`` evaluates to ``child``'s value (a branch of ``?:``, ``||``, ``??``)."""
    if parent.type == "ternary_expression":
        return not _same(parent.child_by_field_name("condition"), child)
    if parent.type == "binary_expression":
        return text(parent.child_by_field_name("operator")) in ("||", "??", "&&")
    return False


def _same(a: Node | None, b: Node | None) -> bool:
    return a is not None and b is not None and a.id == b.id


# -- verdicts -----------------------------------------------------------------------------------
class Verdict(enum.Enum):
    NEVER = "never"
    EXIT = "exit"
    AWAIT = "await"
    FAILURE_ONLY = "failure-only"  # given back only by a callback that runs on failure
    ARMED = "armed"  # given back only by a callback armed now, for work started later
    FAILED_STEP = "failed-step"  # a step's completion callback leaves on its error unreleased


@record
class Judgement:
    """How a held resource escapes disposal, with the nodes that show it."""

    verdict: Verdict
    exit: Node | None = None  # EXIT: the return/throw; AWAIT: the disposal it skips;
    # ARMED: the call that starts the work (``conn.execSql(req)``); FAILED_STEP: the exit
    awaited: Node | None = None  # AWAIT: the await that may throw first; ARMED: the arming
    # call (``new Request(sql, cb)``); FAILED_STEP: the call whose callback it is
    disposal: Node | None = None  # EXIT: a disposal on another path, as evidence; ARMED: the
    # release in the armed callback; FAILED_STEP: the disposal on the step's success path


def judge(model: SemanticModel, acquisition: Acquisition) -> Judgement | None:
    """How the held resource may escape disposal (None: it is disposed of on every path)."""
    holder = acquisition.holder
    if acquisition.discarded:
        return Judgement(Verdict.NEVER)
    if holder is None:
        return None
    refs = uses(model, acquisition)
    if acquisition.kind.method == "acquire" and acquisition.error_param is not None:
        # A pool of the project's own (``_paired_release``): its callers' paths may lean on
        # conventions of that pool (a ``hasReturned`` latch releases once for two exits);
        # only the armed-callback shape is judged, which no such convention covers.
        return armed_release(model, acquisition, refs)
    binding = acquisition.binding
    if binding is not None and binding.scope.is_module:
        # a module-level variable a helper fills: only the holder's own uses say what it does
        refs = [(ref, use) for ref, use in refs if _own(model, ref, holder)]
    lent = loans(model, holder, acquisition.kind, refs)
    if lent:
        refs = [(ref, Use.USE if ref.id in lent else use) for ref, use in refs]
    disposals = [ref for ref, use in refs if use in (Use.RELEASE, Use.HANDOFF)]
    if not disposals:
        if acquisition.kind.lent and not pool_evidence(model, acquisition):
            return None  # a ``getConnection()`` that may hand out a shared connection
        return Judgement(Verdict.NEVER)
    on_failure = {
        ref.id: ref for ref in disposals if failure_trigger(model, ref, holder) is not None
    }
    if len(on_failure) == len(disposals):
        first = min(on_failure.values(), key=lambda n: n.start_byte)
        return Judgement(Verdict.FAILURE_ONLY, None, None, first)
    if on_failure:  # judge the other paths by the other disposals
        refs = [(ref, Use.USE if ref.id in on_failure else use) for ref, use in refs]
    found = judge_paths(model, holder, acquisition.start, acquisition.block, refs, acquisition)
    if found is None:
        found = failed_step_exit(model, holder, refs)
    return found if found is not None else armed_release(model, acquisition, refs)


def failed_step_exit(
    model: SemanticModel, holder: FunctionInfo, refs: list[tuple[Node, Use]]
) -> Judgement | None:
    """A completion callback inside ``holder`` that gives the resource back (or hands it on)
    when its step succeeds, but leaves by an early ``return`` / ``throw`` when the step
    fails (``if (err) { reject(err); return; }``) without doing so: nothing else will give
    it back once that callback has run (``connection.execute(sql, (err) => { if (err)
    return cb(err); connection.release(); … })``). The branch must test the callback's own
    first parameter (the error of the step); callbacks of array helpers, and listeners that
    run only on failure, are not completion callbacks."""
    marks = [ref for ref, use in refs if use in (Use.RELEASE, Use.HANDOFF)]
    seen: set[int] = set()
    for mark in sorted(marks, key=lambda n: n.start_byte):
        step = model.enclosing_function(mark)
        if step is None or step is holder or step.node.id in seen:
            continue
        seen.add(step.node.id)
        if not _completion_callback(model, step, holder, mark):
            continue
        error = step.params[0] if step.params else None
        if error is None or error.destructured or step.body is None:
            continue
        own = [m for m in marks if _own(model, m, step)]
        for exit_node in _exits(step, step.body, step.body.start_byte):
            branch = _error_branch(exit_node, step, error)
            if branch is None or _retries(model, branch, step, holder):
                continue
            if _covered(model, step, exit_node, marks, None):
                continue
            site = step.callback_of
            first = min(own, key=lambda n: n.start_byte)
            return Judgement(
                Verdict.FAILED_STEP, exit_node, site.node if site is not None else None, first
            )
    return None


def _completion_callback(
    model: SemanticModel, step: FunctionInfo, holder: FunctionInfo, mark: Node
) -> bool:
    """``step`` is a callback inside ``holder`` that runs once, when a step of the work ends."""
    site = step.callback_of
    if site is None or site.name in INLINE_CALLBACK_METHODS or site.name in EVENT_LISTEN_METHODS:
        return False
    if failure_trigger(model, mark, holder) is not None:
        return False
    parent = step.parent
    while parent is not None and parent is not holder:
        parent = parent.parent
    return parent is holder


def _error_branch(exit_node: Node, step: FunctionInfo, error: Binding) -> Node | None:
    """The branch, taken when ``error`` (the step's first parameter) is set, that the exit
    sits in."""
    for parent in ancestors(exit_node):
        if step.body is not None and parent.id == step.body.id:
            return None
        if parent.type != "if_statement":
            continue
        condition = parent.child_by_field_name("condition")
        consequence = parent.child_by_field_name("consequence")
        if condition is None or consequence is None or not is_inside(exit_node, consequence):
            continue
        names = {n.id for n in own_nodes(condition) if n.type == "identifier"}
        if any(ref.id in names for ref in error.references):
            return consequence
    return None


def _retries(model: SemanticModel, branch: Node, step: FunctionInfo, holder: FunctionInfo) -> bool:
    """The failed branch runs the step again (``setTimeout(attempt, 100)``, ``attempt()``):
    it names a function, between the holder and the step, that encloses the step."""
    around: set[int] = set()
    function = step.parent
    while function is not None and function is not holder:
        if function.binding is not None:
            around.add(id(function.binding))
        function = function.parent
    if not around:
        return False
    for node in own_nodes(branch):
        if node.type == "identifier":
            binding = model.binding_of(node)
            if binding is not None and id(binding) in around:
                return True
    return False


def loans(
    model: SemanticModel, holder: FunctionInfo, kind: ResourceKind, refs: list[tuple[Node, Use]]
) -> set[int]:
    """The references that pass the resource to a call which only borrows it: the holder
    itself gives the resource back after that call returns (``const data = await
    scrape(url, browser); …; await pool.release(browser)``), so the call did not take it
    over, and a throw from it skips the release like any other. Not when the callee is a
    function of this file that releases, stores, returns or passes on its parameter: then
    it may own the resource on the paths that throw."""
    releases = [
        ref
        for ref, use in refs
        if use is Use.RELEASE and _own(model, ref, holder) and not _in_clause(ref, holder)
    ]
    if not releases:
        return set()
    found: set[int] = set()
    for ref, use in refs:
        if use is not Use.HANDOFF or not _own(model, ref, holder) or _in_clause(ref, holder):
            continue
        call = _argument_call(ref)
        if call is None or not any(_released_after(holder, ref, mark) for mark in releases):
            continue
        if not _callee_keeps(model, call, ref, kind):
            found.add(ref.id)
    return found


def _argument_call(ref: Node) -> Node | None:
    """The call ``ref`` is an argument of (through ``?:`` / ``||`` branches), if any."""
    position = outer(ref)
    parent = position.parent
    while parent is not None and _passes_value(parent, position):
        position = outer(parent)
        parent = position.parent
    if parent is None or parent.type != "arguments":
        return None
    call = parent.parent
    return call if call is not None and call.type == "call_expression" else None


def _released_after(holder: FunctionInfo, ref: Node, release: Node) -> bool:
    """Whether ``release`` runs after the statement holding ``ref`` on the straight way."""
    if release.start_byte <= ref.end_byte:
        return False
    return any(
        _before(ref, statement, release) and not is_inside(release, statement)
        for statement in _path(release, holder.node)[1:]
    )


def _callee_keeps(model: SemanticModel, call: Node, ref: Node, kind: ResourceKind) -> bool:
    """Whether the function of this file that ``call`` runs may own what ``ref`` passes it:
    its parameter is released, stored, returned or passed on there (or cannot be told)."""
    function = called_function(model, call)
    if function is None:
        return False  # not in view: the caller's own later release says it still owns it
    arguments = call.child_by_field_name("arguments")
    index = next(
        (
            i
            for i, argument in enumerate(arguments.named_children if arguments else [])
            if is_inside(ref, argument)
        ),
        -1,
    )
    if index < 0 or index >= len(function.params):
        return True
    param = function.params[index]
    if param.node.type != "identifier":
        return True
    return any(
        classify(model, other, kind) in (Use.RELEASE, Use.HANDOFF) for other in param.references
    )


def armed_release(
    model: SemanticModel, acquisition: Acquisition, refs: list[tuple[Node, Use]]
) -> Judgement | None:
    """The resource is given back, on the way out of the holder, only by a callback *armed*
    for work that a later statement starts: ``const req = new Request(sql, () =>
    pool.release(conn)); …; conn.execSql(req)`` (node-mssql). Until that start call returns,
    nothing will ever run the callback: a synchronous throw from it (tedious throws when the
    connection is in the wrong state) or from anything between leaves the resource checked
    out for good. Not when the arming call is a method of the resource itself
    (``conn.query(sql, cb)`` starts the work as it arms it), and not when a ``try`` around
    the start gives the resource back in its ``catch`` / ``finally``."""
    holder = acquisition.holder
    binding = acquisition.binding
    body = holder.body if holder is not None else None
    if holder is None or binding is None or body is None or body.type != "statement_block":
        return None
    # Releases only: a hand-off on the way (``debug(IDS.get(conn))``, ``fail.bind(null,
    # conn)``) lends the resource for a look, it does not give it back.
    releases = [ref for ref, use in refs if use is Use.RELEASE]
    straight = [
        mark
        for mark in releases
        if any(_before(mark, statement, body) for statement in body.named_children)
    ]
    if not straight or any(_own(model, mark, holder) for mark in straight):
        return None
    found: tuple[CallSite, Node] | None = None
    for mark in straight:
        armed = _armed_and_started(model, holder, binding, mark)
        if armed is None:
            return None
        found = found or armed
    if found is None:
        return None
    arming, start = found
    for parent in ancestors(start):
        if parent.id == holder.node.id:
            break
        if parent.type == "try_statement":
            body_part = parent.child_by_field_name("body")
            clauses = [parent.child_by_field_name(f) for f in ("handler", "finalizer")]
            if body_part is not None and is_inside(start, body_part):
                for clause in clauses:
                    if clause is not None and any(is_inside(ref, clause) for ref, _ in refs):
                        return None
    first = min(straight, key=lambda n: n.start_byte)
    return Judgement(Verdict.ARMED, start, arming.node, first)


def _armed_and_started(
    model: SemanticModel, holder: FunctionInfo, resource: Binding, mark: Node
) -> tuple[CallSite, Node] | None:
    """For a disposal inside a callback of ``holder``: the call that arms that callback
    (stored in a local, not a method of the resource) and the later call of the resource
    that is handed the armed object (``conn.execSql(req)``)."""
    function = model.enclosing_function(mark)
    while function is not None and function.parent is not holder:
        function = function.parent
    site = function.callback_of if function is not None else None
    if site is None or site.function is not holder:
        return None
    if site.obj is not None and _names(model, site.obj, resource):
        return None  # ``conn.query(sql, cb)``: arming it starts the work
    declarator = _receiving(site.node)
    if declarator is None or declarator.type != "variable_declarator":
        return None
    name = declarator.child_by_field_name("name")
    armed = model.binding_of(name) if name is not None and name.type == "identifier" else None
    if armed is None or armed.is_reassigned:
        return None
    for ref in armed.references:
        if ref.start_byte < declarator.end_byte or not _own(model, ref, holder):
            continue
        parent = outer(ref).parent
        call = parent.parent if parent is not None and parent.type == "arguments" else None
        callee = call.child_by_field_name("function") if call is not None else None
        callee = unwrap(callee)
        if call is None or callee is None:
            continue
        if callee.type in ("member_expression", "subscript_expression"):
            target = callee.child_by_field_name("object")
            if target is not None and _names(model, target, resource):
                return site, call
    return None


def _names(model: SemanticModel, node: Node, binding: Binding) -> bool:
    value = unwrap(node)
    return value is not None and value.type == "identifier" and model.binding_of(value) is binding


def failure_trigger(model: SemanticModel, node: Node, holder: FunctionInfo) -> CallSite | None:
    """The registration of the callback (inside ``holder``) that ``node`` runs in, when that
    callback runs only if the work fails or on something else's signal, never on the way out
    of a call that succeeds: a listener for ``'abort'`` / ``'error'`` / ``'timeout'``, or a
    subscription to an observable that does not come from the resource (``isAborted$
    .subscribe(() => conn.release())``). None: ``node`` runs on the success path, or in a
    callback that continues the work (``conn.query(sql, () => conn.release())``)."""
    function = model.enclosing_function(node)
    while function is not None and function is not holder:
        site = function.callback_of
        if site is not None and site.obj is not None and _failure_only(model, site, node):
            return site
        function = function.parent
    return None


def _failure_only(model: SemanticModel, site: CallSite, node: Node) -> bool:
    if site.name in EVENT_LISTEN_METHODS and site.args:
        return string_value(site.args[0]) in FAILURE_ONLY_EVENTS
    if site.name in SUBSCRIBE_METHODS and site.obj is not None:
        # A subscription to the resource's own results continues its work.
        binding = model.binding_of(node) if node.type == "identifier" else None
        return binding is not None and not any(
            child.type == "identifier" and model.binding_of(child) is binding
            for child in own_nodes(site.obj)
        )
    return False


def judge_paths(
    model: SemanticModel,
    holder: FunctionInfo,
    start: int,
    block: Node | None,
    refs: list[tuple[Node, Use]],
    acquisition: Acquisition | None = None,
) -> Judgement | None:
    """The exit and await checks for a local whose references are classified in ``refs``."""
    disposals = [ref for ref, use in refs if use in (Use.RELEASE, Use.HANDOFF)]
    continued = any(not _own(model, ref, holder) for ref in disposals)
    marks = [
        ref
        for ref, use in refs
        if use in (Use.RELEASE, Use.HANDOFF) or (use is Use.CONTINUE and continued)
    ]
    error = acquisition.error_param if acquisition is not None else None
    region = block if block is not None else holder.body
    if region is None:
        return None
    for exit_node in _exits(holder, region, start):
        if _covered(model, holder, exit_node, marks, error):
            continue
        evidence = min(disposals, key=lambda n: n.start_byte)
        return Judgement(Verdict.EXIT, exit_node, None, evidence)
    for ref in sorted(disposals, key=lambda n: n.start_byte):
        if not _own(model, ref, holder) or _in_clause(ref, holder):
            continue
        awaited = _unguarded_await(holder, start, ref, marks)
        if awaited is not None:
            return Judgement(Verdict.AWAIT, ref, awaited)
    return None


def _own(model: SemanticModel, node: Node, holder: FunctionInfo) -> bool:
    return model.enclosing_function(node) is holder


_EXIT_KINDS = frozenset({"return_statement", "throw_statement", "continue_statement"})


def _exits(holder: FunctionInfo, region: Node, start: int) -> Iterator[Node]:
    for node in own_nodes(region):
        if node.type not in _EXIT_KINDS or node.start_byte < start:
            continue
        if node.type == "throw_statement" and _caught(node, region):
            continue  # thrown into a catch of this function: not a way out
        if node.type == "continue_statement" and not _leaves(node, region):
            continue
        yield node


def _caught(node: Node, region: Node) -> bool:
    for parent in ancestors(node):
        if parent.type in FUNCTION_KINDS:
            return False
        if parent.type == "try_statement":
            body = parent.child_by_field_name("body")
            if body is not None and is_inside(node, body) and parent.child_by_field_name("handler"):
                return True
        if parent.id == region.id:
            continue
    return False


def _leaves(node: Node, region: Node) -> bool:
    """A ``continue`` whose loop encloses the region (it skips the rest of the region)."""
    for parent in ancestors(node):
        if parent.id == region.id:
            return True
        if parent.type in ("for_statement", "for_in_statement", "while_statement", "do_statement"):
            return False
    return True


def _path(exit_node: Node, region: Node) -> list[Node]:
    """The statements that ran before ``exit_node`` inside ``region``: its preceding siblings in
    every enclosing block, and the exit itself (not through a catch: its try may have stopped
    anywhere)."""
    found = [exit_node]
    child = exit_node
    for parent in ancestors(exit_node):
        if parent.type in ("statement_block", "program", "switch_case", "switch_default"):
            for sibling in parent.named_children:
                if sibling.start_byte >= child.start_byte:
                    break
                found.append(sibling)
        if parent.id == region.id or parent.type in FUNCTION_KINDS:
            break
        if parent.type == "catch_clause":
            break
        child = parent
    return found


def _covered(
    model: SemanticModel,
    holder: FunctionInfo,
    exit_node: Node,
    marks: list[Node],
    error: Binding | None,
) -> bool:
    for parent in ancestors(exit_node):
        if parent.id == holder.node.id:
            break
        if parent.type == "try_statement":
            final = parent.child_by_field_name("finalizer")
            if final is not None and any(is_inside(m, final) for m in marks):
                return True
        if error is not None and parent.type == "if_statement":
            condition = parent.child_by_field_name("condition")
            consequence = parent.child_by_field_name("consequence")
            if (
                condition is not None
                and consequence is not None
                and is_inside(exit_node, consequence)
                and any(is_inside(ref, condition) for ref in error.references)
            ):
                return True
    statements = _path(exit_node, holder.node)
    return any(_before(m, s, exit_node) for m in marks for s in statements)


def _before(mark: Node, statement: Node, exit_node: Node) -> bool:
    """Whether ``mark`` (inside ``statement``) runs on the way to ``exit_node``: not in a branch
    of ``statement`` that leaves the function itself, nor in a ``catch`` the exit is not in."""
    if not is_inside(mark, statement):
        return False
    if is_inside(exit_node, statement):
        return True  # the exit's own statement (``return release(conn)``)
    for parent in ancestors(mark):
        if parent.type in FUNCTION_KINDS:
            return True  # a callback in the statement: it continues the work
        if parent.type == "catch_clause":
            return False
        branch = parent.parent
        if branch is not None and branch.type == "if_statement" and _leaves_function(parent):
            return False
        if parent.id == statement.id:
            return True
    return True


def _leaves_function(branch: Node) -> bool:
    return any(n.type in ("return_statement", "throw_statement") for n in own_nodes(branch))


def _in_clause(node: Node, holder: FunctionInfo) -> bool:
    for parent in ancestors(node):
        if parent.id == holder.node.id:
            return False
        if parent.type in ("catch_clause", "finally_clause"):
            return True
    return False


def _unguarded_await(
    holder: FunctionInfo, start: int, disposal: Node, marks: list[Node]
) -> Node | None:
    statements = _path(disposal, holder.node)
    for statement in sorted(statements, key=lambda s: s.start_byte):
        for node in own_nodes(statement):
            if node.type != "await_expression":
                continue
            if node.start_byte < start or node.start_byte >= disposal.start_byte:
                continue
            if is_inside(disposal, node):
                continue  # ``await conn.release()`` itself
            if _in_clause(node, holder) or _guarded(node, holder, marks):
                continue
            return node
    return None


def _guarded(node: Node, holder: FunctionInfo, marks: list[Node]) -> bool:
    """A try around the await releases (catch or finally) or swallows the error; or the awaited
    promise releases in its own ``.catch`` / ``.finally``."""
    if any(is_inside(m, node) for m in marks):
        return True
    for parent in ancestors(node):
        if parent.id == holder.node.id:
            return False
        if parent.type != "try_statement":
            continue
        body = parent.child_by_field_name("body")
        if body is None or not is_inside(node, body):
            continue
        final = parent.child_by_field_name("finalizer")
        if final is not None and any(is_inside(m, final) for m in marks):
            return True
        handler = parent.child_by_field_name("handler")
        if handler is None:
            continue
        if any(is_inside(m, handler) for m in marks):
            return True
        if not any(n.type in ("throw_statement", "return_statement") for n in own_nodes(handler)):
            return True
    return False


def pool_evidence(model: SemanticModel, acquisition: Acquisition) -> bool:
    """The receiver lends and takes back: it comes from a pool library, or another result of
    the same method in the file is given back."""
    method = acquisition.call.name
    for other in acquisitions(model):
        if other is acquisition or other.call.name != method or other.binding is None:
            continue
        if any(use is Use.RELEASE for _, use in uses(model, other)):
            return True
    receiver = unwrap(acquisition.call.obj)
    place = place_of(model, receiver) if receiver is not None else None
    if place is None:
        return False
    values: list[Node] = []
    if receiver is not None and receiver.type == "identifier":
        binding = model.binding_of(receiver)
        if binding is not None and binding.init is not None:
            values.append(binding.init)
    for assignment in model.assignments:
        left = assignment.child_by_field_name("left")
        right = assignment.child_by_field_name("right")
        if right is not None and left is not None and place_of(model, left) == place:
            values.append(right)
    for value in values:
        current = unwrap(value)
        while current is not None and current.type in ("call_expression", "new_expression"):
            callee = current.child_by_field_name("function") or current.child_by_field_name(
                "constructor"
            )
            origin = origin_of(model, callee)
            if origin is not None and origin.from_module(POOL_MODULES):
                return True
            inner = unwrap(callee)
            if inner is None or inner.type != "member_expression":
                break
            current = unwrap(
                inner.child_by_field_name("object")
            )  # ``mysql.createPool().promise()``
    return False


# -- which acquisitions matter ------------------------------------------------------------------
def dies_with_receiver(model: SemanticModel, acquisition: Acquisition) -> bool:
    """A page of a browser this function launched itself: the browser is judged instead, and
    closing the browser closes the page."""
    if not acquisition.kind.dies_with_receiver:
        return False
    receiver = unwrap(acquisition.call.obj)
    if receiver is None or receiver.type != "identifier":
        return False
    binding = model.binding_of(receiver)
    if binding is None:
        return False
    init = unwrap(binding.init)
    if init is not None and init.type == "await_expression" and init.named_children:
        init = unwrap(init.named_children[0])
    site = model.call_at(init) if init is not None else None
    if site is None:
        return False
    if site.name in BROWSER_MAKERS:
        return True
    # ``const browser = await openBrowser()``: a browser another file's function launched
    # for this caller, judged itself (``_imported_acquisitions``).
    return any(
        other.call is site
        and not site.is_new
        and other.kind.made_in
        and other.kind.releases == BROWSER_CLOSE_METHODS
        for other in _imported_acquisitions(model)
    )


def context(model: SemanticModel, acquisition: Acquisition) -> Context:
    return context_of(model, acquisition.call)


def repeats(model: SemanticModel, acquisition: Acquisition) -> bool:
    return context(model, acquisition).repetition is not Repetition.ONCE


# -- learned pairs --------------------------------------------------------------------------
@record
class LearnedMiss:
    """A call result that never reaches the teardown most results of that call reach."""

    call: CallSite
    binding: Binding
    method: str  # the teardown the others reach
    others: int  # how many other results reach it
    label: str  # ``new DbAbstraction()``


def learned_misses(model: SemanticModel, skip: set[int]) -> list[LearnedMiss]:
    """Results of a call that never reach the teardown method most of its results reach."""
    by_name = model.calls_by_name
    kinds = (BindingKind.CONST, BindingKind.LET, BindingKind.VAR)
    # Start from the teardown calls (few) rather than from every call of the file.
    torn: dict[str, set[int]] = {}
    names: dict[str, str] = {}
    for method in RELEASE_METHODS:
        for teardown in by_name.get(method, ()):
            receiver = unwrap(teardown.obj) if not teardown.is_new else None
            if receiver is None or receiver.type != "identifier":
                continue
            binding = model.binding_of(receiver)
            if binding is None or binding.writes or binding.kind not in kinds:
                continue
            init = unwrap(binding.init)
            if init is not None and init.type == "await_expression" and init.named_children:
                init = unwrap(init.named_children[0])
            site = model.call_at(init) if init is not None else None
            key = _group_key(model, site) if site is not None else None
            if site is None or key is None:
                continue
            torn.setdefault(key, set()).add(binding.node.id)
            names[key] = site.name
    candidates = {key for key, bindings in torn.items() if len(bindings) >= 2}
    if not candidates:
        return []
    groups: dict[str, list[tuple[CallSite, Binding]]] = {}
    for name in sorted({names[key] for key in candidates}):
        for site in by_name.get(name, ()):
            if site.node.id in skip or site.function is None:
                continue
            key = _group_key(model, site)
            if key not in candidates:
                continue
            parent = _receiving(site.node)
            if parent is None or parent.type != "variable_declarator":
                continue
            ident = parent.child_by_field_name("name")
            if ident is None or ident.type != "identifier":
                continue
            binding = model.binding_of(ident)
            if binding is None or binding.writes or binding.kind not in kinds:
                continue
            groups.setdefault(key, []).append((site, binding))
    misses: list[LearnedMiss] = []
    for label, members in groups.items():
        if len(members) < 3:
            continue
        fates = [(site, binding, _teardowns(model, binding)) for site, binding in members]
        counted = [(s, b, f) for s, b, f in fates if f is not None]
        reached: dict[str, int] = {}
        for _, _, methods in counted:
            for method in methods or ():
                reached[method] = reached.get(method, 0) + 1
        if not reached:
            continue
        method, count = max(sorted(reached.items()), key=lambda item: item[1])
        if count < 2 or count * 2 <= len(counted):
            continue
        for site, binding, methods in counted:
            if methods == frozenset():
                misses.append(LearnedMiss(site, binding, method, count, label))
    return sorted(misses, key=lambda miss: miss.call.node.start_byte)


def _group_key(model: SemanticModel, site: CallSite) -> str | None:
    callee = unwrap(site.callee)
    if callee is None:
        return None
    if site.is_new:
        if callee.type != "identifier":
            return None
        return f"new {text(callee)}()"
    if callee.type != "member_expression" or site.args:
        return None  # calls with arguments may return different kinds of things
    return f"{text(callee)}()"


def _teardowns(model: SemanticModel, binding: Binding) -> frozenset[str] | None:
    """The teardown methods called on the value (None: it is handed on, its fate unknown)."""
    found: set[str] = set()
    for ref in binding.references:
        position = outer(ref)
        parent = position.parent
        if parent is None:
            continue
        if parent.type == "member_expression" and _same(
            parent.child_by_field_name("object"), position
        ):
            grand = parent.parent
            method = text(parent.child_by_field_name("property"))
            if grand is not None and grand.type == "call_expression" and method in RELEASE_METHODS:
                found.add(method)
            continue
        if parent.type in ("expression_statement", "binary_expression", "if_statement"):
            continue
        if parent.type == "await_expression":
            continue
        return None
    return frozenset(found)


# -- returned clients followed to their callers -------------------------------------------------
@record
class DroppedByCallers:
    """A function returning a client that every caller in the file drops."""

    factory: FunctionInfo  # the function that returns the client
    callers: tuple[CallSite, ...]  # every call of it in the file; each drops the result
    key: str | None = None  # returned inside an object literal, under this property


def dropped_by_callers(
    model: SemanticModel,
    created: Node,
    returned: Node,
    spec: ReleaseSpec,
    is_use: Callable[[Flow], bool],
) -> DroppedByCallers | None:
    """A client returned by a named function (``return new Agent(…)``, or a local holding it)
    whose every call in the file uses the result and drops it: discarded, used in place,
    lent as a request option (``{ agent: makeAgent() }``), or kept in a local that nothing
    closes, hands on or stores. None when any caller keeps, closes or hands it on, when a
    caller is out of view (exported, passed by reference), or when no caller repeats."""
    value = unwrap(returned.named_children[0]) if returned.named_children else None
    if returned.type == "arrow_function":
        value = unwrap(returned.child_by_field_name("body"))
    if value is None:
        return None
    key = None
    if value.type == "object":
        key = _key_holding(model, value, created)
        if key is None:
            return None
    elif not _returns_client(value, created):
        return None
    factory = model.enclosing_function(value)
    if returned.type == "arrow_function":
        factory = model.function_at(returned)
    sites = model.call_sites_of(factory) if factory is not None else None
    if factory is None or not sites:
        return None
    repeats = False
    for site in sites:
        dropped = (
            _drops(model, site, spec, is_use)
            if key is None
            else _drops_object(model, site, key, spec)
        )
        if not dropped:
            return None
        repeats = repeats or context_of(model, site).repetition is not Repetition.ONCE
    return DroppedByCallers(factory, tuple(sites), key) if repeats else None


def _returns_client(value: Node, created: Node) -> bool:
    """``return new Agent()`` (this very creation) or ``return agent`` (a local holding it)."""
    if value.type not in ("identifier", "new_expression", "call_expression"):
        return False
    return value.type == "identifier" or value.id == created.id


def _key_holding(model: SemanticModel, value: Node, created: Node) -> str | None:
    """The property of the object literal ``value`` that holds the client made by
    ``created``: ``{ agent: new Agent() }``, ``{ agent }`` or ``{ agent: a }`` of a local
    initialised with it (None: not there, or not as a plain property)."""
    for child in value.named_children:
        held: Node | None = None
        if child.type == "shorthand_property_identifier":
            held, name = child, text(child)
        elif child.type == "pair":
            held = unwrap(child.child_by_field_name("value"))
            key_node = child.child_by_field_name("key")
            name = string_value(key_node) or text(key_node)
        else:
            continue
        if held is None:
            continue
        if held.id == created.id:
            return name
        binding = model.binding_of(held) if held.type in _NAMES else None
        if binding is None or binding.init is None or binding.is_reassigned:
            continue
        init = unwrap(binding.init)
        if init is not None and init.type == "await_expression" and init.named_children:
            init = unwrap(init.named_children[0])
        if init is not None and init.id == created.id:
            return name
    return None


_NAMES = ("identifier", "shorthand_property_identifier")


def _drops_object(model: SemanticModel, site: CallSite, key: str, spec: ReleaseSpec) -> bool:
    """Whether the caller at ``site`` drops the client found under ``key`` of the object the
    call returns: the object is discarded, lent whole as request options (``https.get(
    makeOptions())`` when ``key`` is ``agent``), or kept in a local that is only read (other
    properties) or lent the same way. A caller that reaches ``key`` itself (``opts.agent``,
    ``const { agent } = …``), stores, returns or closes the object keeps it: not followed."""
    flow = flow_of(model, site.node, spec)
    if flow.kind is FlowKind.DISCARDED:
        return True
    if flow.kind is FlowKind.ESCAPED:
        return _lent_whole(flow, key)
    if flow.kind is not FlowKind.STORED or flow.node is None:
        return False
    if flow.node.type != "variable_declarator":
        return False
    name = flow.node.child_by_field_name("name")
    binding = model.binding_of(name) if name is not None else None
    if binding is None or binding.is_reassigned or site.function is None:
        return False
    if not is_inside(binding.node, site.function.node):
        return False
    for ref in binding.references:
        parent = outer(ref).parent
        if parent is not None and parent.type == "member_expression":
            prop = text(parent.child_by_field_name("property"))
            if prop == key or prop in spec.methods:
                return False  # reaches the client, or closes the object
            continue
        if parent is not None and parent.type == "spread_element" and parent.parent is not None:
            # ``https.get({ ...options, path })``: copied into options passed to a call.
            if parent.parent.type == "object" and _lent_whole(
                flow_of(model, parent.parent, spec), key
            ):
                continue
            return False
        if not _lent_whole(flow_of(model, ref, spec), key):
            return False
    return True


def _lent_whole(flow: Flow, key: str) -> bool:
    """The object is passed whole to a call as its options, the client under a request
    option key (``agent``, ``dispatcher``): the call uses the client, it does not own it."""
    return (
        flow.kind is FlowKind.ESCAPED
        and flow.note.startswith("passed to")
        and not flow.keys
        and key in CLIENT_OPTION_KEYS
    )


def _drops(
    model: SemanticModel, site: CallSite, spec: ReleaseSpec, is_use: Callable[[Flow], bool]
) -> bool:
    flow = flow_of(model, site.node, spec)
    if flow.kind in (FlowKind.DISCARDED, FlowKind.USED):
        return True
    if flow.kind is FlowKind.ESCAPED:
        return is_use(flow)
    if (
        flow.kind is not FlowKind.STORED
        or flow.node is None
        or flow.node.type != "variable_declarator"
    ):
        return False
    name = flow.node.child_by_field_name("name")
    binding = model.binding_of(name) if name is not None else None
    if binding is None or site.function is None or not is_inside(binding.node, site.function.node):
        return False
    fate = fate_of(model, flow, spec, is_use)
    lent = fate.escape is not None and is_use(fate.escape)
    return not fate.released and (fate.escape is None or lent)


def lent_by_pool(model: SemanticModel, node: Node | None) -> Acquisition | None:
    """The pool checkout a local holds (``const client = await pool.connect()``): the object
    is the pool's, lent for this call and lent again afterwards, so whatever is stored on it
    outlives the call."""
    binding = value_binding(model, node)
    if binding is None:
        return None
    for acquisition in acquisitions(model):
        if acquisition.binding is binding and acquisition.kind.lent:
            return acquisition
    return None
