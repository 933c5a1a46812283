"""Eviction questions NLL301 asks the model: on which way of ending a delete runs, whether it
names the key that was looked up, whose entries it can reach, and self-rewrites."""

from __future__ import annotations

from nodeleaklint.parsing import Dialect, Node, dialect_for_path, parse
from nodeleaklint.semantics import SemanticModel
from nodeleaklint.semantics.eviction import (
    ending_of,
    mismatched_lookup,
    one_way_only,
    paired_owner,
    turns_away,
)
from nodeleaklint.semantics.syntax import text
from nodeleaklint.semantics.values import self_rewrite
from nodeleaklint.source import SourceFile


def build(code: str, path: str = "m.js") -> SemanticModel:
    data = code.encode("utf-8")
    dialect = dialect_for_path(path) or Dialect.JAVASCRIPT
    return SemanticModel.build(SourceFile(path, data), parse(data, dialect), dialect)


def deletes(model: SemanticModel) -> list[Node]:
    return [call.node for call in model.calls if call.name == "delete"]


def ways(code: str) -> list[str | None]:
    model = build(code)
    return [
        ending.way if (ending := ending_of(model, node)) is not None else None
        for node in deletes(model)
    ]


def test_a_delete_runs_on_the_way_its_code_runs() -> None:
    assert ways(
        """
function a(k) { try { work(); } catch (e) { m.delete(k); } }
function b(k) { try { work(); } finally { m.delete(k); } }
function c(k) { p.catch(() => m.delete(k)); }
function d(k) { p.then(() => m.delete(k)); }
function e(k) { p.then(ok, () => m.delete(k)); }
function f(k) { p.finally(() => m.delete(k)); }
function g(s, k) { s.on('finish', () => m.delete(k)); }
function h(s, k) { s.on('close', () => m.delete(k)); }
function i(k) { const lost = () => m.delete(k); p.catch(() => lost()); }
function j(k) { const lost = () => m.delete(k); p.catch(() => lost()); lost(); }
function l(k) { m.delete(k); }
function n(k) { Promise.resolve().then(() => m.delete(k)); }
function o(req, k) { setOptions({ onsessionclosed: (id) => m.delete(id) }); }
"""
    ) == [
        "failure",
        None,
        "failure",
        "success",
        "failure",
        None,
        "finish",
        None,
        "failure",
        None,
        None,
        None,
        "onsessionclosed",
    ]


def test_one_way_only_needs_every_delete_on_the_same_way() -> None:
    model = build(
        """
function a(s, k) { s.on('end', () => m.delete(k)); s.on('error', () => m.delete(k)); }
"""
    )
    assert one_way_only(model, deletes(model)) is None
    model = build(
        "function a(s, k) { s.on('end', () => m.delete(k)); s.once('end', () => m.delete(k)); }"
    )
    endings = one_way_only(model, deletes(model))
    assert endings is not None and {e.way for e in endings} == {"end"}


def test_a_delete_of_another_property_than_the_one_looked_up() -> None:
    model = build(
        """
function onReply(msg) { const cb = cbs.get(msg.callbackId); cb(); cbs.delete(msg.msgId); }
function onFixed(msg) { const cb = cbs.get(msg.callbackId); cb(); cbs.delete(msg.callbackId); }
function onOther(msg, id) { cbs.get(msg.callbackId); cbs.delete(id); }
"""
    )
    found = [mismatched_lookup(model, node) for node in deletes(model)]
    assert [text(node) if node is not None else None for node in found] == [
        "msg.callbackId",
        None,
        None,
    ]


def test_a_delete_registered_for_the_growth_sites_own_entry() -> None:
    model = build(
        """
class Users {
  add(user) { this.idx.set(user.id, user); user.once('destroy', () => this.idx.delete(user.id)); }
  remove(id) { this.idx.delete(id); }
  watch(bus) { bus.on('gone', (id) => this.idx.delete(id)); }
}
"""
    )
    owners = [paired_owner(model, node) for node in deletes(model)]
    assert [owner.name if owner is not None else None for owner in owners] == ["add", None, None]


def rewrite(code: str) -> str | None:
    model = build(code)
    assignment = next(node for node in model.assignments if node.type == "assignment_expression")
    found = self_rewrite(
        model, assignment.child_by_field_name("left"), assignment.child_by_field_name("right")
    )
    if found is None:
        return None
    return text(found.added) if found.added is not None else "(update)"


def test_rebuilding_a_collection_from_itself() -> None:
    assert rewrite("x = [...x, v];") == "v"
    assert rewrite("x = [v, ...x];") == "v"
    assert rewrite("this.x = this.x.concat(v);") == "v"
    assert rewrite("x = { ...x, [k]: v };") == "k"
    assert rewrite("x = Object.assign({}, x, { [k]: v });") == "k"
    assert rewrite("x = R.assoc(id, v, x);") == "id"
    assert rewrite("x = assoc('ready', true, x);") == "(update)"
    assert rewrite("x = { ...x, ready: true };") == "(update)"
    assert rewrite("x = x.filter(Boolean);") is None
    assert rewrite("x = [...y, v];") is None
    assert rewrite("x = [...x, v].slice(-10);") is None


def refusals(code: str) -> list[bool]:
    """``turns_away`` for every ``.length`` comparison in ``code``, in order."""
    model = build(code)
    found: list[bool] = []
    stack = [model.root]
    while stack:
        node = stack.pop()
        stack.extend(reversed(node.named_children))
        if node.type == "binary_expression" and "length" in text(node.child_by_field_name("left")):
            size = node.child_by_field_name("left")
            assert size is not None
            found.append(turns_away(model, node, size))
    return found


def test_a_size_check_that_only_refuses_is_not_eviction() -> None:
    assert refusals(
        """
function a(ws) { if (list.length >= max) { ws.close(); return; } list.push(ws); }
function b(ws) { if (list.length >= max) list.shift(); list.push(ws); }
function c(ws) { if (list.length >= max) { this.evictOldest(); return; } list.push(ws); }
function d(ws) { if (list.length < max) list.push(ws); }
function e(ws, reject) { if (list.length > max) return reject(new Error('full')); list.push(ws); }
"""
    ) == [True, False, False, False, True]


def _foreign(code: str) -> list[str]:
    from nodeleaklint.semantics.eviction import foreign_keys, walked_collection

    model = build(code)
    grower = next(f for f in model.functions if f.name == "add")
    growth = next(c for c in grower.calls if c.name == "set" and text(c.obj) == "feeds")
    found = []
    for delete in deletes(model):
        if text(delete).startswith("feeds"):
            walked = walked_collection(
                model, delete.child_by_field_name("arguments").named_children[0]
            )
            result = foreign_keys(model, delete, grower, growth.args[0])
            found.append(
                f"{text(walked) if walked else None}:"
                f"{','.join(text(k) for k in result[1]) if result else None}"
            )
    return found


def test_a_delete_that_walks_another_collection_keyed_differently_matches_nothing() -> None:
    cleanup = """
function drop(ws) {
  subs.forEach((clients, key) => { feeds.delete(key); });
  for (const [key] of subs) feeds.delete(key);
  for (const key of subs.keys()) feeds.delete(key);
  for (const key in subs) feeds.delete(key);
  subs.forEach((key) => feeds.delete(key));
}
"""
    assert _foreign(
        """
const subs = new Map(), feeds = new Map();
function add(msg) { const orderId = msg.orderId; subs.get(msg.displayId); feeds.set(orderId, 1); }
"""
        + cleanup
    ) == ["subs:msg.displayId"] * 4 + [
        "None:None"
    ]  # a Set-like forEach's first argument is a value
    # the same key, or a key assigned from the other: the delete may match
    assert _foreign(
        """
const subs = new Map(), feeds = new Map();
function add(msg) { const orderId = msg.orderId; subs.get(msg.orderId); feeds.set(orderId, 1); }
"""
        + cleanup
    ) == ["subs:None"] * 4 + ["None:None"]
    assert _foreign(
        """
const subs = new Map(), feeds = new Map();
function add(id) { subs.get(other); feeds.set(id, 1); }
"""
        + cleanup
    ) == ["subs:None"] * 4 + ["None:None"]  # a parameter may hold anything


def test_an_entry_whose_end_is_heard_and_left_in() -> None:
    from nodeleaklint.semantics.eviction import ended_in_place, wholesale

    def heard(listener: str) -> str | None:
        model = build(
            f"""
const m = new Map();
function add(uid, s) {{
  m.set(uid, s);
  s.on('exit', {listener});
}}
"""
        )
        growth = next(c for c in model.calls if c.name == "set")
        refs = [n for b in model.bindings if b.name == "m" for n in b.references]
        found = ended_in_place(model, growth.node, refs)
        return text(found) if found is not None else None

    assert heard("() => notify(uid)") == "s.on('exit', () => notify(uid))"
    assert heard("() => m.delete(uid)") is None  # the end's listener deletes it
    assert heard("onExit") is None  # a named handler is not followed
    model = build(
        """
const m = new Map();
function all() { m.forEach((v, k) => m.delete(k)); m.clear(); }
function one(k) { m.forEach((v, key) => m.delete(k)); }
"""
    )
    shrinks = [c.node for c in model.calls if c.name in ("delete", "clear")]
    assert wholesale(model, shrinks[:2]) is True
    assert wholesale(model, shrinks[2:]) is False  # deletes a caller's key, not the walk's
