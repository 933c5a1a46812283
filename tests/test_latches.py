"""Latches (SPEC §1 *Latches and setup*): a region guarded by a flag it sets runs once per
owner of the flag. One model question, three shapes."""

from __future__ import annotations

from nodeleaklint.parsing import Dialect, Node, parse
from nodeleaklint.semantics import SemanticModel
from nodeleaklint.semantics.latches import Shape, latch_of, sets_tested_state
from nodeleaklint.semantics.syntax import ancestors, text
from nodeleaklint.source import SourceFile


def build(code: str) -> SemanticModel:
    data = code.encode("utf-8")
    return SemanticModel.build(
        SourceFile("m.js", data), parse(data, Dialect.JAVASCRIPT), Dialect.JAVASCRIPT
    )


def region(model: SemanticModel, name: str) -> tuple[Node, Node]:
    (call,) = model.calls_named(name)
    assert call.function is not None
    return call.node, call.function.node


def test_lazy_initialisation_fills_the_slot_it_tests() -> None:
    model = build("function get() { if (!cache) { cache = create(); } return cache; }")
    node, stop = region(model, "create")
    latch = latch_of(node, stop)
    assert latch is not None and latch.shape is Shape.LAZY
    assert latch.shown == "if (!cache)" and text(latch.flag) == "cache"


def test_a_test_for_null_counts_and_the_nullish_assignment_too() -> None:
    model = build("function get() { if (this.pool == null) { this.pool = make(); } }")
    node, stop = region(model, "make")
    latch = latch_of(node, stop)
    assert latch is not None and text(latch.flag) == "this.pool"
    model = build("function get() { client ??= connect(); return client; }")
    node, stop = region(model, "connect")
    latch = latch_of(node, stop)
    assert latch is not None and latch.shape is Shape.LAZY and text(latch.flag) == "client"


def test_an_if_that_does_not_fill_its_slot_is_no_latch() -> None:
    model = build("function get() { if (!cache) { other = create(); } }")
    node, stop = region(model, "create")
    assert latch_of(node, stop) is None


def test_an_early_exit_then_the_flag_set_before_the_region() -> None:
    model = build("function stop() { if (stopping) return; stopping = true; teardown(); }")
    node, stop = region(model, "teardown")
    latch = latch_of(node, stop)
    assert latch is not None and latch.shape is Shape.EARLY_EXIT
    assert text(latch.flag) == "stopping" and latch.shown == "if (stopping) return"


def test_the_flag_must_be_set_to_true_before_the_region() -> None:
    model = build("function stop() { if (stopping) return; teardown(); stopping = true; }")
    node, stop = region(model, "teardown")
    assert latch_of(node, stop) is None
    model = build("function stop() { if (stopping) log(); stopping = true; teardown(); }")
    node, stop = region(model, "teardown")
    assert latch_of(node, stop) is None


def test_the_owner_test_is_the_callers_own() -> None:
    code = "function track(s) { if (!seen.has(s)) { seen.add(s); s.on('close', f); } }"
    model = build(code)
    node, stop = region(model, "on")
    assert latch_of(node, stop) is None
    latch = latch_of(node, stop, lambda condition: "seen.has" in text(condition))
    assert latch is not None and latch.shape is Shape.OWNER_TEST and latch.flag is None


def test_a_latch_outside_the_function_does_not_count() -> None:
    model = build("if (!cache) { cache = 1; function f() { create(); } }")
    node, stop = region(model, "create")
    assert latch_of(node, stop) is None


def test_the_long_form_of_a_fill_if_empty_and_a_region_inside_the_value() -> None:
    model = build("function get() { this.client = this.client || connect(); }")
    node, stop = region(model, "connect")
    latch = latch_of(node, stop)
    assert latch is not None and latch.shape is Shape.LAZY and text(latch.flag) == "this.client"
    model = build("async function get() { pool ??= await open(); return pool; }")
    node, stop = region(model, "open")
    latch = latch_of(node, stop)
    assert latch is not None and latch.shape is Shape.LAZY and text(latch.flag) == "pool"


def test_a_default_for_another_value_is_no_latch() -> None:
    """``this.client = opts.client || connect()`` connects on every call without a client:
    the slot tested is not the slot filled."""
    model = build("function get(opts) { this.client = opts.client || connect(); }")
    node, stop = region(model, "connect")
    assert latch_of(node, stop) is None


def test_an_early_exit_on_the_slot_the_region_fills() -> None:
    code = "function get() { if (this.client) return this.client; this.client = connect(); }"
    model = build(code)
    node, stop = region(model, "connect")
    latch = latch_of(node, stop)
    assert latch is not None and latch.shape is Shape.LAZY
    assert latch.shown == "if (this.client) return" and text(latch.flag) == "this.client"


def test_an_early_exit_that_is_not_a_latch() -> None:
    """A guard against absence (``if (!window) return;``) or an exit on another flag does not
    make the region run once; nor does a test whose branch goes on."""
    for code in (
        "function f() { if (!window) return; window.addEventListener('x', g); }",
        "function f() { if (this.closing) return; this.sock.once('close', g); }",
        "function f() { if (this.client) log(); this.client = connect(); }",
    ):
        model = build(code)
        (call,) = [c for c in model.calls if c.name in ("addEventListener", "once", "connect")]
        assert call.function is not None
        assert latch_of(call.node, call.function.node, lambda condition: True) is None, code


def test_a_flag_set_to_a_value_never_falsy_latches_like_true() -> None:
    code = "function get() { if (hub) return hub; hub = new Emitter(); hook(); return hub; }"
    model = build(code)
    node, stop = region(model, "hook")
    latch = latch_of(node, stop)
    assert latch is not None and latch.shape is Shape.EARLY_EXIT and text(latch.flag) == "hub"
    model = build("function get() { if (hub) return hub; hub = make(); hook(); }")
    node, stop = region(model, "hook")
    assert latch_of(node, stop) is None  # `make()` may return a falsy value


def _guard_of(model: SemanticModel, name: str) -> tuple[Node, Node]:
    node, _ = region(model, name)
    guard = next(a for a in ancestors(node) if a.type == "if_statement")
    condition = guard.child_by_field_name("condition")
    assert condition is not None
    return condition, guard


def test_the_region_must_change_what_the_condition_tests() -> None:
    marked = [
        "function f(s) { if (!seen.has(s)) { seen.add(s); s.on('x', g); } }",
        "function f(s) { if (!s.hooked) { s.hooked = true; s.on('x', g); } }",
        "function f(s) { if (!s.listenerCount('x')) { s.on('x', g); } }",
        "function f(s, id) { if (!byId[id]) { byId[id] = s; s.on('x', g); } }",
    ]
    for code in marked:
        assert sets_tested_state(*_guard_of(build(code), "on")), code
    unmarked = [
        "function f(s) { if (!s.destroyed) { s.on('x', g); } }",
        "function f(s) { if (s.readyState === 1) { s.on('x', g); } }",
        "function f(s) { if (!seen.has(s)) { other.add(s); s.on('x', g); } }",
        "function f(s) { if (!s.hooked) { s.on('x', () => { s.hooked = true; }); } }",
    ]
    for code in unmarked:
        assert not sets_tested_state(*_guard_of(build(code), "on")), code
