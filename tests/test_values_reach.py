"""Model questions behind three precision fixes: the names a loop variable walks
(``values.literal_strings``, read by ``flow`` for ``clearInterval(this[name])``), a helper
that deletes from the collection it is handed (``values.shrinks_argument``), and instances
that die with the call that makes them (``local_instances.made_per_call_here``)."""

from __future__ import annotations

from nodeleaklint.parsing import Dialect, Node, dialect_for_path, parse
from nodeleaklint.semantics import SemanticModel
from nodeleaklint.semantics.flow import value_sources
from nodeleaklint.semantics.local_instances import made_per_call_here
from nodeleaklint.semantics.syntax import text
from nodeleaklint.semantics.values import literal_strings, shrinks_argument
from nodeleaklint.source import SourceFile


def build(code: str, path: str = "m.js") -> SemanticModel:
    data = code.encode("utf-8")
    dialect = dialect_for_path(path) or Dialect.JAVASCRIPT
    return SemanticModel.build(SourceFile(path, data), parse(data, dialect), dialect)


def first_call(model: SemanticModel, name: str) -> Node:
    return next(call.node for call in model.calls if call.name == name)


def index_of_clear(model: SemanticModel) -> Node:
    call = next(call for call in model.calls if call.name == "clearInterval")
    index = call.args[0].child_by_field_name("index")
    assert index is not None
    return index


def test_a_loop_over_a_literal_list_walks_its_strings() -> None:
    model = build(
        "class H { stop() { for (const f of ['_a', '_b'] as const) clearInterval(this[f]); } }",
        "m.ts",
    )
    assert literal_strings(model, index_of_clear(model)) == frozenset({"_a", "_b"})
    clear = next(call for call in model.calls if call.name == "clearInterval")
    labels = {place.label for place in value_sources(model, clear.args[0])}
    assert {"this._a", "this._b"} <= labels


def test_a_const_list_and_a_foreach_element_count_too() -> None:
    model = build(
        "const L = ['_x']; class H { stop() { for (const f of L) clearInterval(this[f]); } }"
    )
    assert literal_strings(model, index_of_clear(model)) == frozenset({"_x"})
    model = build("class H { stop() { ['_y', '_z'].forEach((f) => clearInterval(this[f])); } }")
    assert literal_strings(model, index_of_clear(model)) == frozenset({"_y", "_z"})


def test_a_list_that_is_not_literal_walks_nothing_known() -> None:
    model = build("class H { stop(names) { for (const f of names) clearInterval(this[f]); } }")
    assert literal_strings(model, index_of_clear(model)) is None
    model = build("class H { stop() { for (const f of ['_a', x]) clearInterval(this[f]); } }")
    assert literal_strings(model, index_of_clear(model)) is None


def test_a_helper_that_deletes_from_its_parameter_shrinks_the_argument() -> None:
    model = build(
        "const m = new Map();\n"
        "function drop(reg, k) { reg.delete(k); }\n"
        "function via(reg, k) { drop(reg, k); }\n"
        "function peek(reg, k) { return reg.get(k); }\n"
        "via(m, 1); peek(m, 2);\n"
    )
    assert shrinks_argument(model, first_call(model, "via"), 0) is not None
    assert shrinks_argument(model, first_call(model, "via"), 1) is None
    assert shrinks_argument(model, first_call(model, "peek"), 0) is None


def test_delete_of_a_parameter_property_shrinks_the_argument() -> None:
    model = build("const t = {};\nfunction drop(o, k) { delete o[k]; }\ndrop(t, 'a');\n")
    found = shrinks_argument(model, first_call(model, "drop"), 0)
    assert found is not None and text(found) == "delete o[k]"


CLASS = (
    "class Acc {\n  constructor() { this.seen = new Set(); }\n  add(u) { this.seen.add(u); }\n}\n"
)


def class_node(model: SemanticModel) -> Node:
    for node in model.root.named_children:
        declaration = node.child_by_field_name("declaration") or node
        if declaration.type == "class_declaration":
            return declaration
    raise AssertionError("no class")


def test_instances_made_as_locals_of_calls_die_with_them() -> None:
    model = build(
        CLASS + "app.get('/', (req, res) => { const a = new Acc(); a.add(req.url);"
        " res.json({ n: a.seen.size, all: [...a.seen] }); });\n"
    )
    assert made_per_call_here(model, class_node(model), "seen") is not None


def test_an_instance_or_field_that_leaves_the_call_lives_on() -> None:
    kept_field = build(
        CLASS + "let last;\napp.get('/', (req) => { const a = new Acc(); last = a.seen; });\n"
    )
    assert made_per_call_here(kept_field, class_node(kept_field), "seen") is None
    returned = build(CLASS + "function make() { const a = new Acc(); return a; }\n")
    assert made_per_call_here(returned, class_node(returned), "seen") is None
    top_level = build(CLASS + "const a = new Acc();\n")
    assert made_per_call_here(top_level, class_node(top_level), "seen") is None
    exported = build("export " + CLASS + "function f() { const a = new Acc(); a.add(1); }\n")
    assert made_per_call_here(exported, class_node(exported), "seen") is None
