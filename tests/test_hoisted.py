"""Per-call state hoisted out of a returned function (``semantics.hoisted``): which methods
return a closure, what a run of the closure makes, and whether it reads back what it added."""

from __future__ import annotations

from nodeleaklint.parsing import Dialect, dialect_for_path, parse
from nodeleaklint.semantics import SemanticModel
from nodeleaklint.semantics.classes import RETURNED
from nodeleaklint.semantics.hoisted import made_per_run, method_factories, read_back
from nodeleaklint.semantics.syntax import text
from nodeleaklint.source import SourceFile


def build(code: str, path: str = "m.ts") -> SemanticModel:
    data = code.encode("utf-8")
    dialect = dialect_for_path(path) or Dialect.JAVASCRIPT
    return SemanticModel.build(SourceFile(path, data), parse(data, dialect), dialect)


CODE = """
const fixed = 'x';
class Events {
  trigger(opts) {
    const out = [];
    return async (p) => {
      const res = await opts.run(p);
      out.push(res);
      out.push(opts);
      out.push(fixed);
      out.push(() => p);
      return out;
    };
  }
  spy() {
    const calls = [];
    return (a) => { calls.push(a); };
  }
  plain() { return 1; }
  both(flag) {
    if (flag) return () => 1;
    return () => 2;
  }
}
"""


def test_a_method_that_returns_one_closure_is_a_factory_of_it() -> None:
    model = build(CODE)
    found = {f.function.name: f for f in method_factories(model)}
    assert sorted(found) == ["spy", "trigger"]  # ``both`` returns two different functions
    assert found["trigger"].methods[RETURNED].is_arrow


def test_what_a_run_makes_and_what_it_is_handed() -> None:
    model = build(CODE)
    closure = next(f for f in method_factories(model) if f.function.name == "trigger")
    run = closure.methods[RETURNED]
    pushes = [call for call in model.calls if call.name == "push"][:4]
    made = [made_per_run(model, call.args[0], run) for call in pushes]
    # the awaited result and a closure over the call's argument are new; the factory's own
    # parameter and a module constant are the same value on every run
    assert made == [True, False, False, True]


def test_a_run_that_returns_the_array_reads_it_back_and_a_spy_does_not() -> None:
    model = build(CODE)
    factories = {f.function.name: f for f in method_factories(model)}
    for name, local, expected in (("trigger", "out", "return out;"), ("spy", "calls", None)):
        factory = factories[name]
        run = factory.methods[RETURNED]
        binding = factory.function.scope.bindings[local]
        refs = [r for r in binding.references if r.id != binding.node.id]
        first_push = next(
            c for c in model.calls if c.name == "push" and c.node.start_byte > run.node.start_byte
        )
        back = read_back(refs, run, first_push.node)
        assert (text(back) if back is not None else None) == expected


def test_a_run_that_tests_the_size_latches_or_bounds_it() -> None:
    from nodeleaklint.semantics.hoisted import measured

    model = build(
        """
function once(fn) {
  const results = [];
  return (...a) => {
    if (results.length) return results[0];
    results.push(fn(...a));
    return results[0];
  };
}
function all(fn) {
  const results = [];
  return (...a) => { results.push(fn(...a)); return results; };
}
"""
    )
    found = []
    for factory in model.factories:
        binding = factory.function.scope.bindings["results"]
        refs = [r for r in binding.references if r.id != binding.node.id]
        found.append(measured(refs, factory.methods[RETURNED]))
    assert found == [True, False]
