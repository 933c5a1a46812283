"""The semantic model on its own: scopes, bindings, lifetimes and repeating contexts."""

from __future__ import annotations

import pytest

from nodeleaklint.parsing import Dialect, Node, dialect_for_path, parse
from nodeleaklint.semantics import BindingKind, Lifetime, Repetition, SemanticModel
from nodeleaklint.semantics.locations import member_index
from nodeleaklint.semantics.scopes import FunctionInfo
from nodeleaklint.semantics.syntax import FUNCTION_KINDS, text
from nodeleaklint.source import SourceFile


def build(code: str, path: str = "m.js") -> SemanticModel:
    data = code.encode("utf-8")
    dialect = dialect_for_path(path) or Dialect.JAVASCRIPT
    return SemanticModel.build(SourceFile(path, data), parse(data, dialect), dialect)


def identifiers(model: SemanticModel, name: str) -> list[Node]:
    found: list[Node] = []
    stack = [model.root]
    while stack:
        node = stack.pop()
        if node.type in ("identifier", "shorthand_property_identifier") and text(node) == name:
            found.append(node)
        stack.extend(node.children)
    return sorted(found, key=lambda node: node.start_byte)


def function_named(model: SemanticModel, name: str) -> FunctionInfo:
    return next(f for f in model.functions if f.name == name)


def callback_of(model: SemanticModel, callee: str) -> FunctionInfo:
    return next(f for f in model.functions if f.callback_of and f.callback_of.callee_text == callee)


# -- scopes and bindings -------------------------------------------------------------------


def test_shadowing_resolves_to_the_innermost_binding() -> None:
    model = build("const x = 1;\nfunction f(x) { return x; }\nx;")
    uses = identifiers(model, "x")
    outer_decl, param, inner_use, outer_use = uses
    assert model.binding_of(inner_use) is model.binding_of(param)
    assert model.binding_of(outer_use) is model.binding_of(outer_decl)
    assert model.binding_of(param).kind is BindingKind.PARAM  # type: ignore[union-attr]


def test_block_scoped_let_does_not_leak_out_of_its_block() -> None:
    model = build("let a = 1;\n{ let a = 2; a; }\na;")
    outer_decl, inner_decl, inner_use, outer_use = identifiers(model, "a")
    assert model.binding_of(inner_use) is model.binding_of(inner_decl)
    assert model.binding_of(outer_use) is model.binding_of(outer_decl)


def test_var_is_hoisted_to_the_function_and_functions_are_hoisted() -> None:
    model = build("function f() { use(v); if (c) { var v = 1; } }\ng();\nfunction g() {}")
    use, decl = identifiers(model, "v")
    binding = model.binding_of(use)
    assert binding is model.binding_of(decl)
    assert binding is not None and binding.kind is BindingKind.VAR
    assert not binding.is_module_level
    call_g = identifiers(model, "g")[0]
    assert model.binding_of(call_g) is not None


def test_destructuring_imports_and_requires_declare_bindings() -> None:
    code = (
        "import def, { a as b } from 'pkg';\n"
        "import * as ns from 'ns';\n"
        "const { EventEmitter, once: onceFn } = require('events');\n"
        "const [first, ...rest] = list;\n"
    )
    model = build(code, "m.mjs")
    scope = model.module_scope
    assert set(scope.bindings) >= {"def", "b", "ns", "EventEmitter", "onceFn", "first", "rest"}
    assert "a" not in scope.bindings and "once" not in scope.bindings
    assert scope.bindings["b"].kind is BindingKind.IMPORT
    assert scope.bindings["b"].module_source == "pkg"
    assert scope.bindings["EventEmitter"].module_source == "events"
    assert scope.bindings["first"].destructured


def test_typescript_parameters_and_parameter_properties() -> None:
    code = "class S { constructor(private readonly bus: Bus, n?: number) {} }"
    model = build(code, "s.ts")
    ctor = function_named(model, "constructor")
    assert ctor.param_names == ["bus", "n"]
    assert ctor.param_properties == ["bus"]
    assert ctor.class_name == "S" and ctor.method_kind == "constructor"


def test_reassignment_is_recorded_as_a_write() -> None:
    model = build("let t = null;\nfunction f() { t = setInterval(g, 1); t++; }")
    binding = model.module_scope.bindings["t"]
    assert len(binding.writes) == 2 and binding.is_reassigned


def test_exports_commonjs_and_esm() -> None:
    code = (
        "function a() {}\nfunction b() {}\nconst c = () => {};\nfunction hidden() {}\n"
        "module.exports = { a, bee: b };\nexports.c = c;\n"
    )
    model = build(code)
    exported = {f.name for f in model.functions if f.exported}
    assert exported == {"a", "b", "c"}
    esm = build("export function d() {}\nexport const e = () => {};\nfunction f() {}\n", "m.mjs")
    assert {f.name for f in esm.functions if f.exported} == {"d", "e"}


def test_calls_are_indexed_with_enclosing_function_and_loops() -> None:
    code = "function f() { while (true) { bus.on('x', h); } }\nbus.on('y', h);"
    model = build(code)
    inner, top = model.calls_named("on")
    assert inner.function is function_named(model, "f") and inner.in_loop
    assert top.function is None and not top.in_loop
    assert inner.display() == "bus.on('x', …)"


def test_enclosing_function_of_every_node_matches_its_ancestors() -> None:
    # Calls, assignments and functions come from the walk, other nodes from byte ranges;
    # the bare arrow statement has exactly its function's range.
    model = build(
        """
        a = 1;
        function outer(x) {
          b = () => { c = 2; go(); };
          class K { m() { this.d = 3; return () => e(); } f = function () { g = 4; }; }
          return [h => h, function () { i = x; }].map(fn => fn.bind(this));
        }
        (() => { j = 5; })();
        () => {}
        """
    )
    checked = 0
    stack: list[tuple[Node, Node | None]] = [(model.root, None)]
    while stack:
        node, function = stack.pop()
        expected = model.function_at(function) if function is not None else None
        assert model.enclosing_function(node) is expected, (node.type, text(node))
        checked += 1
        inner = node if node.type in FUNCTION_KINDS else function
        stack.extend((child, inner) for child in node.children)
    assert checked > 150
    outer = function_named(model, "outer")
    assert [text(a) for a in model.assignments_in(outer)] == [text(model.assignments[1])]
    assert [text(a) for a in model.assignments_in(None)] == ["a = 1"]


def test_member_index_lists_members_innermost_last_first() -> None:
    model = build("a.x = 1;\nb.x.x();\nc['x'] = d[y];\n")
    found = member_index(model)["x"]
    assert [text(node) for node in found] == ["c['x']", "b.x.x", "b.x", "a.x"]


def test_functions_returned_by_their_enclosing_function() -> None:
    model = build(
        """
        function a() { return function b() {}; }
        function c() { return ({ d: () => 1, e() {}, f: { g: (() => 2) } }); }
        const h = () => () => 3;
        function i() { const j = () => 4; return j; }
        function k() { run(() => 5); }
        """
    )
    returned = {
        (f.name or text(f.node)): f.returned for f in model.functions if f.parent is not None
    }
    assert returned == {
        "b": True,
        "d": True,
        "e": True,
        "g": True,
        "() => 3": True,
        "j": False,  # returned by name, not as a value in the return
        "() => 5": False,
    }


# -- repeating contexts ------------------------------------------------------------------


REPETITION_CODE = """
const bus = require('./bus');
function helper(x) { bus.on('a', () => x); }
function once() {}
function neverCalled() {}
export function exported() {}
async function main() { once(); }
main();
app.get('/x', (req, res) => { helper(req); [1, 2].forEach((n) => n); });
server.on('connection', onConnection);
function onConnection(socket) {}
class Svc { constructor() {} start() {} }
function handler(req, res) {}
function poll() { setTimeout(poll, 1000); }
function worker() { while (running) { step(); } }
function step() {}
worker();
"""


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("helper", Repetition.REPEATING),
        ("main", Repetition.ONCE),
        ("once", Repetition.ONCE),
        ("neverCalled", Repetition.UNKNOWN),
        ("exported", Repetition.UNKNOWN),
        ("onConnection", Repetition.REPEATING),
        ("constructor", Repetition.REPEATING),
        ("start", Repetition.REPEATING),
        ("handler", Repetition.REPEATING),
        ("poll", Repetition.REPEATING),
        ("worker", Repetition.ONCE),
        ("step", Repetition.REPEATING),
    ],
)
def test_repetition_of_named_functions(name: str, expected: Repetition) -> None:
    model = build(REPETITION_CODE, "r.mjs")
    function = function_named(model, name)
    assert function.repetition is expected, function.reason
    assert function.reason


def test_inline_callbacks_inherit_or_repeat() -> None:
    model = build(REPETITION_CODE, "r.mjs")
    assert callback_of(model, "app.get").repetition is Repetition.REPEATING
    assert callback_of(model, "bus.on").repetition is Repetition.REPEATING
    for_each = callback_of(model, "[1, 2].forEach")
    assert for_each.repetition is Repetition.REPEATING  # inherits the route handler
    top = build("[1, 2].forEach((n) => n);\nsetTimeout(() => {}, 1);")
    assert all(f.repetition is Repetition.ONCE for f in top.functions)


CONSTRUCTED_CODE = """\
const { EventEmitter } = require('events');
class Manager { constructor() {} }
class PerRequest { constructor(req) {} }
class Looped { constructor() {} }
class Handed { constructor() {} }
class Exported { constructor() {} }
const manager = new Manager();
require('http').createServer((req, res) => new PerRequest(req));
while (running) new Looped();
register(Handed);
module.exports = { manager, Exported };
"""


@pytest.mark.parametrize(
    ("name", "expected", "words"),
    [
        ("Manager", Repetition.ONCE, "made only by code that runs once (line 7)"),
        ("PerRequest", Repetition.REPEATING, "(runs per instance)"),
        ("Looped", Repetition.REPEATING, "(runs per instance)"),
        ("Handed", Repetition.REPEATING, "(runs per instance)"),
        ("Exported", Repetition.REPEATING, "(runs per instance)"),
    ],
)
def test_a_constructor_runs_as_often_as_the_code_that_makes_its_instances(
    name: str, expected: Repetition, words: str
) -> None:
    model = build(CONSTRUCTED_CODE)
    constructor = next(f for f in model.functions if f.class_name == name)
    assert constructor.repetition is expected, constructor.reason
    assert words in constructor.reason


def test_an_export_alias_is_no_use_of_a_local_of_that_name() -> None:
    code = "class Manager { constructor() {} }\nconst manager = new Manager();\n"
    model = build(code + "export { manager as Manager };\n", "m.mjs")
    alias = identifiers(model, "Manager")[-1]
    assert model.binding_of(alias) is None
    assert not model.binding_of(identifiers(model, "Manager")[0]).exported  # type: ignore[union-attr]
    assert model.binding_of(identifiers(model, "manager")[-1]).exported  # type: ignore[union-attr]
    constructor = next(f for f in model.functions if f.class_name == "Manager")
    assert constructor.repetition is Repetition.ONCE


# -- lifetimes ---------------------------------------------------------------------------


LIFETIME_CODE = """
const bus = new EventEmitter();
const { pool } = require('./db');
app.get('/x', (req, res) => {
  const local = new EventEmitter();
  const alias = bus;
  req.on('close', () => {});
  req.socket.on('close', () => {});
  bus.on('a', () => {});
  local.on('b', () => {});
  alias.on('c', () => {});
  process.on('d', () => {});
  pool.on('e', () => {});
});
export function direct(target) { target.on('f', () => {}); }
class Box {
  static registry = new Map();
  run() { this.events.on('g', () => {}); Box.registry.on('h', () => {}); }
}
"""


@pytest.mark.parametrize(
    ("receiver", "expected"),
    [
        ("req", Lifetime.PER_CALL),
        ("req.socket", Lifetime.PROCESS),
        ("bus", Lifetime.PROCESS),
        ("local", Lifetime.PER_CALL),
        ("alias", Lifetime.PROCESS),
        ("process", Lifetime.PROCESS),
        ("pool", Lifetime.PROCESS),
        ("target", Lifetime.UNKNOWN),
        ("this.events", Lifetime.INSTANCE),
        ("Box.registry", Lifetime.PROCESS),
    ],
)
def test_lifetime_of_receivers(receiver: str, expected: Lifetime) -> None:
    model = build(LIFETIME_CODE, "l.mjs")
    call = next(c for c in model.calls_named("on") if text(c.obj) == receiver)
    holder = model.lifetime_of(call.obj)
    assert holder.lifetime is expected, holder.description
    assert holder.description


def test_keep_alive_socket_is_named_in_the_description() -> None:
    model = build(LIFETIME_CODE, "l.mjs")
    call = next(c for c in model.calls_named("on") if text(c.obj) == "req.socket")
    assert "keep-alive" in model.lifetime_of(call.obj).description


def test_deep_nesting_builds_without_recursion() -> None:
    depth = 5000
    code = "function f() {" * 50 + "x = " + "[" * depth + "]" * depth + ";" + "}" * 50
    model = build(code)
    assert len(model.functions) == 50


def test_syntax_errors_still_produce_a_model() -> None:
    model = build("const ok = 1;\nfunction f(req, res) { bus.on('x', () => res.end( }")
    assert model.syntax_errors or model.root.has_error
    assert "ok" in model.module_scope.bindings


# -- event-driven functions, values and streams (added with NLL301/NLL501) -------------------


def test_event_driven_functions_are_told_from_per_call_helpers() -> None:
    model = build(
        """
app.get('/a', (req, res) => helper(req));
function helper(req) { inner(); }
function inner() {}
function memo(key) {}
memo('x');
process.on('uncaughtException', function onFatal(err) {});
class Service { find(id) { [1].forEach((n) => n); } }
"""
    )
    assert model.is_event_driven(callback_of(model, "app.get"))
    assert model.is_event_driven(function_named(model, "helper"))
    assert model.is_event_driven(function_named(model, "inner"))
    assert not model.is_event_driven(function_named(model, "memo"))
    # Fatal-error and signal listeners fire a handful of times per process, not per event.
    assert not model.is_event_driven(function_named(model, "onFatal"))
    # Methods repeat per call, but nothing says per what: not event-driven by themselves.
    assert not model.is_event_driven(function_named(model, "find"))
    assert not model.is_event_driven(callback_of(model, "[1].forEach"))


def test_describe_names_inline_callbacks_that_inherit_their_repetition() -> None:
    model = build("function f() { list.forEach((x) => x); }\nf();\nsetInterval(f, 10);")
    described = callback_of(model, "list.forEach").describe()
    assert described.startswith("the callback passed to `list.forEach(")
    assert "runs as often as `f`" in described


def test_collection_kind_and_constants() -> None:
    from nodeleaklint.semantics.values import collection_kind, is_constant

    model = build(
        """
const KEY = 'k';
const a = new Map(), b = new Set(), c = [], d = {}, e = Object.create(null);
const f = new WeakMap(), g = { x: 1 }, h = new LRU();
function run(param) {
  const local = 'v';
  const computed = param + 1;
  use(KEY, local, computed, param);
}
""",
        "m.ts",
    )
    kinds = {
        b.name: collection_kind(b.init)
        for b in model.bindings
        if b.is_module_level and b.name in "abcdefgh"
    }
    assert kinds == {
        "a": "Map",
        "b": "Set",
        "c": "array",
        "d": "object",
        "e": "object",
        "f": None,
        "g": None,
        "h": None,
    }
    use = next(call for call in model.calls if call.name == "use")
    assert [is_constant(model, arg) for arg in use.args] == [True, True, False, False]


_KEYS = """
const { EventEmitter } = require('node:events');
const integrations = require('./integrations');
const registry = require('./registry');
const app = require('express')();
const bus = new EventEmitter();
const procs = {};
let seq = 0;
function keep(key) { use(key); }
app.get('/u/:id', (req, res) => keep(req.params.id));
app.get('/s', (req, res) => { seq++; use(seq); });
integrations.on('connected', (id) => keep2(`integration.${id}`));
function keep2(key) { use(key); }
keep2('chat');
process.on('message', (msg) => use(registry.get(msg.name).id));
process.on('message', (msg) => use(procs[msg.id].group));
bus.on('job', (job) => use(job.id));
app.post('/j', (req, res) => bus.emit('job', { id: req.body.id }));
bus.on('tick', (n) => use(n));
setInterval(() => bus.emit('tick', 'a'), 10);
process.stdin.on('data', (line) => use(String(line).split(' ')[0]));
process.on('message', (msg) => (procs[msg.kind] || []).forEach((p) => use(p.id)));
app.get('/l', (req, res) => { for (let i = 0; i < 3; i++) use(i); });
process.on('message', (msg) => { switch (msg.cmd) { case 'a': case 'b': use(msg.cmd); } });
process.on('message', (msg) => { switch (msg.cmd) { default: case 'a': use(msg.cmd); } });
process.on('message', (msg) => { switch (msg.cmd) { case 'a': use(msg.id); } });
"""


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (9, "new per call"),  # keep(req.params.id): arguments reach parameters
        (11, "new per call"),  # a module-level counter
        (13, "unknown"),  # 'chat' or an argument of the project's own event emitted elsewhere
        (15, "unknown"),  # a property of what a lookup returns
        (16, "unknown"),  # module-level state
        (17, "new per call"),  # the emit in view passes request data
        (19, "bounded"),  # the only emit passes a constant
        (21, "new per call"),  # a part of a line read from stdin
        (22, "unknown"),  # an element of module state or of an empty fallback list
        (23, "unknown"),  # a loop index restarts at every call
        (24, "bounded"),  # narrowed by literal `case` labels
        (25, "new per call"),  # a `default` falls into the case: any value
        (26, "new per call"),  # another part of the message than the one the switch tests
    ],
)
def test_key_origin_follows_callers_and_emitters(line: int, expected: str) -> None:
    from nodeleaklint.semantics.values import key_origin

    model = build(_KEYS)
    use = next(
        call for call in model.calls if call.name == "use" and call.node.start_point[0] + 1 == line
    )
    assert key_origin(model, use.args[0]).kind.value == expected


def test_stream_info_recognises_node_streams_by_origin() -> None:
    from nodeleaklint.semantics.streams import stream_info

    model = build(
        """
const fs = require('fs');
const { PassThrough } = require('stream');
app.get('/f', (req, res) => {
  const file = fs.createReadStream('a');
  const mem = new PassThrough();
  const other = message.createReadStream();
  use(file, mem, other, res, process.stdout, of(1));
});
"""
    )
    use = next(call for call in model.calls if call.name == "use")
    infos = [stream_info(model, arg) for arg in use.args]
    assert [info.handle if info else None for info in infos] == [
        True,
        False,
        False,
        True,
        False,
        None,
    ]


# -- retention (V8 shared contexts) ----------------------------------------------------------


def _retained(code: str, holder: str) -> dict[str, str]:
    from nodeleaklint.semantics.retention import retained_large_values

    model = build(code)
    function = callback_of(model, holder)
    return {
        r.binding.name: "direct" if r.direct else (r.via.display() if r.via else "eval")
        for r in retained_large_values(model, function)
    }


def test_retention_follows_shared_function_contexts() -> None:
    code = """
function f(p) {
  const big = Buffer.alloc(1 << 20);
  const unused = Buffer.alloc(1 << 20);
  const small = Buffer.alloc(8);
  const log = () => big.length + small.length;
  setInterval(() => 1, 10);
}
"""
    # `unused` is never captured (stack-allocated); `small` is under the size threshold.
    assert _retained(code, "setInterval") == {"big": "`log`"}


def test_retention_respects_block_contexts_and_nulling() -> None:
    block = """
function f() {
  { const raw = require('fs').readFileSync('x'); setImmediate(() => raw); }
  setInterval(() => 1, 10);
}
"""
    assert _retained(block, "setInterval") == {}
    nulled = """
function f() {
  let raw = require('fs').readFileSync('x');
  setImmediate(() => raw);
  setInterval(() => 1, 10);
  raw = null;
}
"""
    assert _retained(nulled, "setInterval") == {}


def test_retention_counts_use_through_local_functions_as_direct() -> None:
    code = """
function f() {
  const raw = require('fs').readFileSync('x');
  function report() { return raw.length; }
  setInterval(() => report(), 10);
}
"""
    assert _retained(code, "setInterval") == {"raw": "direct"}


def test_retention_through_the_enclosing_function_chain_and_eval() -> None:
    chain = """
function outer() {
  const raw = require('fs').readFileSync('x');
  const peek = () => raw;
  return function inner() { setInterval(() => 1, 10); };
}
"""
    assert _retained(chain, "setInterval") == {"raw": "`peek`"}
    evaluated = """
function f(code) {
  const raw = require('fs').readFileSync('x');
  eval(code);
  setInterval(() => 1, 10);
}
"""
    assert _retained(evaluated, "setInterval") == {"raw": "eval"}


# -- NLL101 additions: request parameters, wrapped keep-alive sockets, listener cleanup ------


def _receiver(model: SemanticModel, method: str) -> Node:
    call = next(c for c in model.calls if c.name == method and c.obj is not None)
    assert call.obj is not None
    return call.obj


def test_request_named_and_decorated_parameters_are_per_call() -> None:
    model = build(
        "export function send(res, stream) { res.on('close', f); stream.on('x', f); }\n"
        "class C { @Get() m(@Res() out: any, other: any) { out.flush(); other.flush(); } }",
        "m.ts",
    )
    assert model.lifetime_of(_receiver(model, "on")).lifetime is Lifetime.PER_CALL
    stream = next(c.obj for c in model.calls_named("on") if text(c.obj) == "stream")
    assert model.lifetime_of(stream).lifetime is Lifetime.UNKNOWN
    out, other = [c.obj for c in model.calls_named("flush")]
    assert model.lifetime_of(out).lifetime is Lifetime.PER_CALL
    assert model.lifetime_of(other).lifetime is Lifetime.UNKNOWN


def test_keep_alive_socket_behind_framework_wrappers() -> None:
    model = build(
        "app.use(async (ctx, next) => { ctx.req.socket.on('timeout', f); });\n"
        "server.get('/', async (request, reply) => { request.raw.socket.on('timeout', f); });"
    )
    for call in model.calls_named("on"):
        holder = model.lifetime_of(call.obj)
        assert holder.lifetime is Lifetime.PROCESS
        assert "keep-alive" in holder.description


def test_cleanup_matches_bindings_aliases_and_named_function_expressions() -> None:
    from nodeleaklint.semantics.listener_removals import all_listener_removals, listener_removals

    model = build(
        "const bus = new E();\n"
        "function a(res) { const h = () => res.end(); bus.on('t', h);"
        " res.on('close', () => bus.off('t', h)); }\n"
        "function b(res) { const h = () => 1; bus.on('t', h);"
        " res.on('close', () => { const h = 2; bus.off('t', h); }); }\n"
        "class K { m() { var self = this; const h = () => 1; this.on('x', h);"
        " function dead() { self.off('x', h); } } }\n"
        "class L { m() { var self = this; const h = () => 1; this.on('x', h);"
        " setTimeout(() => self.off('x', h)); } }\n"
        "function c() { bus.on('t', function me() { bus.off('t', me); }); bus.off('t'); }\n"
    )
    registrations = [
        call for call in model.calls_named("on") if call.args and text(call.args[0]) != "'close'"
    ]
    found = [bool(listener_removals(model, c.obj, c.args[0], c.args[1])) for c in registrations]
    assert found == [True, False, False, True, True]
    last = registrations[-1]
    assert all_listener_removals(
        model, last.obj, last.args[0], last.function.node if last.function else None
    )


# -- cleanup: places, flows and fates (NLL201, NLL602) -------------------------------------


def test_flow_of_follows_values_to_places_collections_and_owners() -> None:
    from nodeleaklint.semantics.flow import FlowKind, ReleaseSpec, flow_of

    spec = ReleaseSpec(functions=frozenset({"clearInterval"}))
    model = build(
        """
        class A {
          start(list, reg) {
            setInterval(f, 1).unref();
            this.timer = setInterval(f, 1);
            list.push(setInterval(f, 1));
            reg(setInterval(f, 1));
            const state = { t: setInterval(f, 1) };
            return setInterval(f, 1);
          }
        }
        """
    )
    flows = [flow_of(model, call.node, spec) for call in model.calls_named("setInterval")]
    assert [flow.kind for flow in flows] == [
        FlowKind.DISCARDED,
        FlowKind.STORED,
        FlowKind.COLLECTED,
        FlowKind.ESCAPED,
        FlowKind.STORED,
        FlowKind.ESCAPED,
    ]
    assert flows[0].passed_through == ("unref",)
    assert flows[1].place is not None and flows[1].place.label == "this.timer"
    assert flows[4].place is not None and flows[4].place.label == "state.t"


def test_fate_of_sees_releases_through_fields_aliases_and_collections() -> None:
    from nodeleaklint.semantics.flow import ReleaseSpec, fate_of, flow_of

    spec = ReleaseSpec(functions=frozenset({"clearInterval"}))
    model = build(
        """
        class A {
          constructor() { this.timer = setInterval(f, 1); this.other = setInterval(f, 1); }
          stop() { const t = this.timer; clearInterval(t); }
        }
        function B() { var self = this; self.iv = setInterval(f, 1); }
        B.prototype.stop = function () { clearInterval(this.iv); };
        const m = new Map();
        function add(id) { m.set(id, setInterval(f, 1)); }
        function stopAll() { for (const [, t] of m) clearInterval(t); }
        """
    )
    fates = [
        fate_of(model, flow_of(model, call.node, spec), spec)
        for call in model.calls_named("setInterval")
    ]
    assert [fate.released for fate in fates] == [True, False, True, True]


def test_origin_of_reads_imports_requires_and_members() -> None:
    from nodeleaklint.semantics.provenance import origin_of

    model = build(
        """
        import Redis from 'ioredis';
        import { Pool as PgPool } from 'pg';
        const http = require('node:http');
        const { Worker } = require('worker_threads');
        class Client {}
        new Redis(); new PgPool(); new http.Agent(); new Worker(f); new Client(); new Other();
        """
    )
    origins = [origin_of(model, call.callee) for call in model.calls if call.is_new]
    assert [(o.module, o.export) if o else None for o in origins] == [
        ("ioredis", "default"),
        ("pg", "Pool"),
        ("node:http", "Agent"),
        ("worker_threads", "Worker"),
        None,
        None,
    ]


def test_one_shot_lifecycle_listeners_run_as_often_as_their_registration() -> None:
    code = (
        "server.on('listening', () => {});\n"
        "app.get('/x', (req, res) => { res.on('finish', () => {}); });\n"
        "server.on('request', () => {});\n"
    )
    model = build(code)
    listening = next(f for f in model.functions if "listening" in text(f.callback_of.node))  # type: ignore[union-attr]
    finish = callback_of(model, "res.on")
    request = next(f for f in model.functions if "'request'" in text(f.callback_of.node))  # type: ignore[union-attr]
    assert listening.repetition is Repetition.ONCE
    assert finish.repetition is Repetition.REPEATING  # inherits the route handler
    assert request.repetition is Repetition.REPEATING


def test_types_are_not_uses_of_the_values_they_name() -> None:
    # ``typeof handler`` and ``events.EventEmitter`` in type positions do not run: the walk
    # skips type-only syntax, so ``handler`` is still called only directly.
    model = build(
        "import * as events from 'node:events';\n"
        "function handler(x: number): void {}\n"
        "type Handler = typeof handler;\n"
        "interface Bus { on(e: string, h: typeof handler): events.EventEmitter }\n"
        "const bus: events.EventEmitter = new events.EventEmitter();\n"
        "handler(1);\n",
        "m.ts",
    )
    sites = model.call_sites_of(function_named(model, "handler"))
    assert sites is not None and [text(s.node) for s in sites] == ["handler(1)"]
    [events] = [b for b in model.bindings if b.name == "events"]
    assert len(events.references) == 1  # ``new events.EventEmitter()``, not the types


# -- the request by role (SPEC §1 *Roles*) ----------------------------------------------------


def _socket_holder(code: str, path: str = "m.js") -> tuple[Lifetime, bool]:
    model = build(code, path)
    call = next(c for c in model.calls if c.name in ("on", "once"))
    holder = model.lifetime_of(call.obj)
    return holder.lifetime, holder.by_name


@pytest.mark.parametrize(
    ("code", "path", "expected"),
    [
        # handed over by a server, whatever the name: established
        (
            "require('http').createServer((a, b) => { a.socket.on('x', () => b); });",
            "m.js",
            (Lifetime.PROCESS, False),
        ),
        (
            "server.on('request', (a, b) => { b.socket.on('x', () => a); });",
            "m.js",
            (Lifetime.PROCESS, False),
        ),
        (
            "app.use((err, a, b, next) => { a.socket.on('x', () => b); });",
            "m.js",
            (Lifetime.PROCESS, False),
        ),
        # the partner of a parameter declared an express Response (TS `import = require`)
        (
            "import express = require('express');\n"
            "export const h = (a: any, b: express.Response) => {\n"
            "  (<any>a).socket.on('x', () => b);\n"
            "};",
            "m.ts",
            (Lifetime.PROCESS, False),
        ),
        # handed to a route by name, and a partner that answers as a server's response
        (
            "function h(a, b) { a.socket.on('x', () => b); }\napp.get('/', h);",
            "m.js",
            (Lifetime.PROCESS, False),
        ),
        (
            "exports.h = function (a, b) { b.writeHead(200); a.socket.on('x', () => b); };",
            "m.js",
            (Lifetime.PROCESS, False),
        ),
        # a name only: medium evidence
        ("function f(req, g) { req.socket.on('x', () => g); }", "m.js", (Lifetime.PROCESS, True)),
        # an upstream response of an HTTP client is not a request being served
        (
            "require('http').get('u', (a) => { a.socket.on('x', () => a); });",
            "m.js",
            (Lifetime.PER_CALL, False),
        ),
    ],
)
def test_request_socket_by_role(code: str, path: str, expected: tuple[Lifetime, bool]) -> None:
    assert _socket_holder(code, path) == expected
