"""Listeners added per call (``semantics.listeners``): one predicate for NLL102 and the
project summary."""

from __future__ import annotations

from nodeleaklint.parsing import Dialect, parse
from nodeleaklint.semantics import SemanticModel
from nodeleaklint.semantics.exports import listened_per_call as summary_listened
from nodeleaklint.semantics.listeners import adds_per_call, listened_per_call
from nodeleaklint.source import SourceFile

CODE = """
const bus = require('./bus');
const local = new (require('events'))();
bus.on('ready', () => {});
app.get('/x', (req, res) => { bus.on('tick', () => res.write('t')); });
while (running) { local.on('x', () => {}); }
"""


def build(code: str) -> SemanticModel:
    data = code.encode("utf-8")
    dialect = Dialect.JAVASCRIPT
    return SemanticModel.build(SourceFile("m.js", data), parse(data, dialect), dialect)


def test_a_listener_in_repeating_code_or_a_loop_is_added_per_call() -> None:
    model = build(CODE)
    per_call = [
        call.node.start_point.row for call in model.calls_named("on") if adds_per_call(call)
    ]
    assert per_call == [4, 5]


def test_both_askers_find_the_same_registration() -> None:
    model = build(CODE)
    (binding,) = [b for b in model.bindings if b.name == "bus"]
    found = listened_per_call(model, [binding.references[0]])
    assert not isinstance(found, str) and found is not None
    assert summary_listened(model.facts, binding) == found.node.start_point.row + 1 == 5


def test_an_emitter_only_listened_to_once_has_no_pile_up() -> None:
    model = build("const bus = require('./bus');\nbus.on('ready', () => {});\n")
    (binding,) = [b for b in model.bindings if b.name == "bus"]
    assert listened_per_call(model, [binding.references[0]]) is None
    assert summary_listened(model.facts, binding) is None
