"""The model's short cuts answer as the long ways they stand for: ``returned_values`` finds
a block's own ``return`` statements by their keyword in the bytes (as ``syntax.returned_values``
walks the body), ``find_factories`` its direct ones, and ``owned_client`` looks no further
when no method closes a member."""

from __future__ import annotations

from nodeleaklint.parsing import Dialect, dialect_for_path, parse
from nodeleaklint.semantics.classes import RETURNED
from nodeleaklint.semantics.model import SemanticModel
from nodeleaklint.semantics.resource_exports import owned_client
from nodeleaklint.semantics.syntax import returned_values
from nodeleaklint.source import SourceFile

RETURNS = """
function none() { const returned = 1; /* return 2 */ log('return'); }
function bare() { if (x) return; return }
function nested(a) {
  const returnValue = () => { return 3 };
  function inner() { return 4 }
  label: for (;;) { if (a) return returnValue; }
  return /* the value */ a.return + inner();
}
const arrow = (a) => a + 1;
const obj = { m() { return { return: 1 } }, get return() { return 2 } };
class C { run() { switch (x) { case 1: return 1; default: return function () { return 5 } } } }
function broken() { return ( }
function factory() {
  function add() {}
  const helper = () => { return { nested: () => {} } };
  if (x) { return { early() {} } }
  return { add, stop() {} };
  return add;
}
"""


def build(code: str, path: str = "m.js") -> SemanticModel:
    data = code.encode("utf-8")
    dialect = dialect_for_path(path) or Dialect.JAVASCRIPT
    return SemanticModel.build(SourceFile(path, data), parse(data, dialect), dialect)


def ids(values: list[object] | None) -> list[object] | None:
    return None if values is None else [getattr(v, "id", None) for v in values]


def test_returned_values_match_the_walk() -> None:
    model = build(RETURNS)
    assert len(model.functions) > 10
    for function in model.functions:
        expected = returned_values(function.node)
        assert ids(model.returned_values(function)) == ids(expected), function.name  # type: ignore[arg-type]


def test_factories_see_only_direct_returns() -> None:
    model = build(RETURNS)
    names = {f.function.name: sorted(f.methods) for f in model.factories}
    # ``if (x) { return { early() {} } }`` is not a statement of the body; the nested
    # arrow's object is the arrow's own.
    assert names == {"factory": sorted([RETURNED, "add", "stop"]), "helper": ["nested"]}


def test_owned_client_needs_a_closing_method() -> None:
    code = """
    const { MongoClient } = require('mongodb');
    class Store {
      constructor(url) { this.client = new MongoClient(url) }
      stop() { this.client.close() }
    }
    class Keeper {
      constructor(url) { this.client = new MongoClient(url) }
      stop() { release(this.client) }
    }
    """
    model = build(code)
    store, keeper = model.classes
    owned = owned_client(model, store)
    assert owned is not None and owned.releases == ("stop",)
    assert owned_client(model, keeper) is None
