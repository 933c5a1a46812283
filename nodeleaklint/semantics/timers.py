"""Which calls are Node's timers: ``setInterval``/``setTimeout`` from the globals, ``timers``
or ``node:timers`` (renamed imports included), and the ``timers/promises`` iterators."""

from __future__ import annotations

from nodeleaklint.semantics.model import SemanticModel
from nodeleaklint.semantics.provenance import origin_of
from nodeleaklint.semantics.scopes import CallSite
from nodeleaklint.semantics.syntax import text, unwrap

TIMER_MODULES = frozenset({"timers"})
PROMISE_MODULES = frozenset({"timers/promises"})
GLOBAL_OBJECTS = frozenset({"global", "globalThis", "window", "self"})


def timer_kind(model: SemanticModel, call: CallSite, name: str) -> str | None:
    """``"callback"`` for Node's ``setInterval``/``setTimeout`` named ``name``, ``"iterator"``
    for the ``timers/promises`` version, None for anything else (a fake clock, a local)."""
    if call.is_new:
        return None
    callee = unwrap(call.callee)
    if callee is None:
        return None
    if call.obj is None:
        if callee.type != "identifier":
            return None
        binding = model.binding_of(callee)
        if binding is None:
            return "callback" if call.name == name else None
        origin = origin_of(model, callee)
        if origin is None or origin.export != name:
            return None
    else:
        if call.name != name:
            return None
        obj = unwrap(call.obj)
        if obj is not None and obj.type == "identifier" and model.binding_of(obj) is None:
            return "callback" if text(obj) in GLOBAL_OBJECTS else None
        origin = origin_of(model, callee)
        if origin is None:
            return None
    if origin.from_module(PROMISE_MODULES):
        return "iterator"
    if origin.from_module(TIMER_MODULES):
        return "callback"
    return None


def timer_calls(model: SemanticModel, name: str) -> list[tuple[CallSite, str]]:
    """Every call of Node's ``name`` timer, aliases included (``{ setInterval: every }``),
    with its kind; worked out once per file and name (several rules ask)."""
    key = f"timers.calls:{name}"
    cached = model.cache.get(key)
    if isinstance(cached, list):
        return cached
    names = {name} | {local for local in _imported_as(model, name) if local != name}
    found: list[tuple[CallSite, str]] = []
    for call in model.calls_named(*sorted(names)):
        kind = timer_kind(model, call, name)
        if kind is not None:
            found.append((call, kind))
    model.cache[key] = found
    return found


def _imported_as(model: SemanticModel, name: str) -> list[str]:
    """The module-level names importing the export ``name`` (``{ setInterval: every }``).

    The export an import names is spelt out in its declaration (an import specifier, a
    destructuring key, a property after ``require(…)``), so a declaration whose text does
    not hold ``name`` is not asked for its origin."""
    raw = name.encode()
    data = model.source.data
    found: list[str] = []
    if raw not in data:
        return found  # no declaration spells it (the test below, over the whole file at once)
    find = data.find
    for binding in model.module_scope.bindings.values():
        if binding.module_source is None or binding.declarator is None:
            continue
        spelt = [binding.declarator] if binding.init is None else [binding.declarator, binding.init]
        if all(find(raw, node.start_byte, node.end_byte) < 0 for node in spelt):
            continue
        origin = origin_of(model, binding.node)
        if origin is not None and origin.export == name:
            found.append(binding.name)
    return found
