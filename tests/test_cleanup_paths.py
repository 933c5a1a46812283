"""Cleanup that is verified, not assumed (SPEC §1): the paths a removal runs on, removals
that cannot match, error branches, and intervals only a teardown clears."""

from __future__ import annotations

from nodeleaklint.parsing import Dialect, dialect_for_path, parse
from nodeleaklint.semantics import SemanticModel
from nodeleaklint.semantics.listener_removals import (
    fresh_function,
    mismatched_removals,
    removal_triggers,
)
from nodeleaklint.semantics.reachable import error_branch
from nodeleaklint.semantics.scopes import CallSite
from nodeleaklint.semantics.syntax import string_value, text
from nodeleaklint.semantics.teardown import running_intervals
from nodeleaklint.source import SourceFile


def build(code: str, path: str = "m.js") -> SemanticModel:
    data = code.encode("utf-8")
    dialect = dialect_for_path(path) or Dialect.JAVASCRIPT
    return SemanticModel.build(SourceFile(path, data), parse(data, dialect), dialect)


def calls(model: SemanticModel, name: str) -> list[CallSite]:
    return model.calls_named(name)


SENDFILE = """
function send(req, file, next) {
  function onError(err) { req.socket.removeListener('error', onError); next(err); }
  function onStream() { req.socket.removeListener('error', onError); }
  req.socket.on('error', onError);
  file.on('error', onError);
  file.on('stream', onStream);
  file.on('directory', next);
}
"""


def test_removals_in_outcome_listeners_run_only_on_those_events() -> None:
    model = build(SENDFILE)
    run = next(f for f in model.functions if f.name == "send")
    events: set[tuple[str, str | None]] = set()
    for removal in calls(model, "removeListener"):
        triggers = removal_triggers(model, removal.node, run)
        assert triggers is not None
        events |= {(text(t.obj), string_value(t.args[0])) for t in triggers}
    assert events == {("req.socket", "error"), ("file", "error"), ("file", "stream")}


def test_a_removal_on_a_finish_handler_or_the_run_itself_covers_every_path() -> None:
    model = build(
        """
function send(res, bus, h) {
  bus.on('x', h);
  res.on('finish', () => bus.off('x', h));
}
function other(bus, h) {
  bus.on('x', h);
  bus.off('x', h);
}
"""
    )
    send, other = (next(f for f in model.functions if f.name == n) for n in ("send", "other"))
    first, second = calls(model, "off")
    assert removal_triggers(model, first.node, send) is None
    assert removal_triggers(model, second.node, other) is None


def test_fresh_functions_and_unregistered_handlers_remove_nothing() -> None:
    model = build(
        """
class W {
  start() { this.feed.on('u', this.onU.bind(this)); this.feed.on('v', this.onV); }
  stop() {
    this.feed.off('u', this.onU.bind(this));
    this.feed.off('v', this.onV);
    this.feed.off('v', this.onW);
  }
  onU() {} onV() {} onW() {}
}
"""
    )
    on_u, on_v = calls(model, "on")
    assert fresh_function(on_u.args[1]) is not None
    assert fresh_function(on_v.args[1]) is None
    bound = mismatched_removals(model, on_u.obj, on_u.args[0], on_u.args[1])
    assert [text(r.args[1]) for r, _ in bound] == ["this.onU.bind(this)"]
    named = mismatched_removals(model, on_v.obj, on_v.args[0], on_v.args[1])
    assert [text(r.args[1]) for r, _ in named] == ["this.onW"]  # this.onV matches


def test_error_branches_are_catch_clauses_and_if_err_of_error_first_callbacks() -> None:
    model = build(
        """
function send(conn, cb, h) {
  conn.write('x', (err) => {
    if (err) { conn.off('close', h); return cb(err); }
    if (conn.ready) { conn.off('close', h); }
    cb(null);
  });
}
"""
    )
    run = next(f for f in model.functions if f.name == "send")
    in_err, in_other = calls(model, "off")
    assert error_branch(model, in_err.node, run) is not None
    assert error_branch(model, in_other.node, run) is None


def test_running_intervals_are_the_ones_only_teardown_clears() -> None:
    model = build(
        """
class Session {
  constructor() {
    this.ping = setInterval(() => this.tick(), 1000);
    this.poll = setInterval(() => this.tick(), 1000);
  }
  tick() { clearInterval(this.poll); }
  close() { clearInterval(this.ping); }
}
"""
    )
    (info,) = model.classes
    running = running_intervals(model, info)
    assert [(r.field.place.label, r.starter, r.teardown) for r in running] == [
        ("this.ping", "the constructor", ("close",))
    ]
