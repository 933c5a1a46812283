"""The semantic model on its own: scopes, bindings, lifetimes and repeating contexts."""

from __future__ import annotations

import pytest

from nodeleaklint.parsing import Dialect, Node, dialect_for_path, parse
from nodeleaklint.semantics import BindingKind, Lifetime, Repetition, SemanticModel
from nodeleaklint.semantics.scopes import FunctionInfo
from nodeleaklint.semantics.syntax import text
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
