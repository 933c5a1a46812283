"""Client streams and upstream requests: who a request handler serves, and whom it calls.

A request handler has *client streams*: the server side of the connection it serves (Node's
``IncomingMessage`` and ``ServerResponse``, reached as ``req``/``res``, Koa's ``ctx.req`` /
``ctx.res`` also through ``this.ctx``, Fastify's ``request.raw`` / ``reply.raw``). It may
open *upstream requests* to other servers (``fetch``, undici's ``request``, ``got.stream``,
``http(s).request``/``get`` with the module possibly chosen at run time) and stream their
bodies back to the client. When the client leaves, only the handler can stop the upstream:
nothing in Node links the two connections.

``client_stream`` says whether an expression is a client stream (and which side);
``upstream_request`` whether a call opens an upstream request; ``upstream_bodies`` finds the
expressions that denote an upstream response's body (``response.body``, a destructured
``body``, the ``got.stream`` itself).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

from nodeleaklint.parsing import Node
from nodeleaklint.records import record
from nodeleaklint.semantics.builder import pattern_identifiers
from nodeleaklint.semantics.provenance import origin_of
from nodeleaklint.semantics.repetition import has_handler_params
from nodeleaklint.semantics.scopes import Binding, BindingKind, CallSite
from nodeleaklint.semantics.streams import from_module, module_name
from nodeleaklint.semantics.syntax import dotted_name, outer, string_value, text, unwrap
from nodeleaklint.semantics.vocabulary import (
    FETCH_MODULES,
    HTTP_MODULES,
    HTTP_REQUESTS,
    UNDICI_REQUESTS,
    UPSTREAM_MODULES,
)

if TYPE_CHECKING:
    from nodeleaklint.semantics.model import SemanticModel

# -- handler parameter conventions (the Node and framework vocabulary is in vocabulary.py) ----
# Handler parameter pairs whose members are the client's request and response themselves.
CLIENT_PAIRS = frozenset({("req", "res"), ("request", "response")})
# Handler parameter pairs whose members carry the client's streams under ``.raw`` (Fastify)
# or ``.req`` / ``.res`` (Koa's ``ctx``).
RAW_PAIRS = frozenset({("request", "reply"), ("req", "reply")})
CONTEXT_PARAMS = frozenset({("ctx", "next")})

Side = Literal["request", "response"]


@record
class Upstream:
    """An upstream request: the call, words for messages, and how its body is reached."""

    call: CallSite
    description: str
    kind: Literal["fetch", "undici", "got", "http"]


def client_stream(model: SemanticModel, node: Node | None, depth: int = 0) -> Side | None:
    """Which side of the client's connection ``node`` is, or None when it is not one."""
    node = unwrap(node)
    if node is None or depth > 4:
        return None
    if node.type == "identifier":
        binding = model.binding_of(node)
        if binding is None:
            return None
        if binding.kind is BindingKind.PARAM:
            return _param_side(binding, CLIENT_PAIRS)
        if binding.destructured or binding.is_reassigned or binding.init is None:
            return None
        return client_stream(model, binding.init, depth + 1)
    if node.type != "member_expression":
        return None
    prop = text(node.child_by_field_name("property"))
    obj = unwrap(node.child_by_field_name("object"))
    if obj is None:
        return None
    if prop in ("req", "res"):
        if dotted_name(obj) == "this.ctx" or _is_param_of(model, obj, CONTEXT_PARAMS, 0):
            return "request" if prop == "req" else "response"
        return None
    if prop == "raw" and obj.type == "identifier":
        binding = model.binding_of(obj)
        if binding is not None and binding.kind is BindingKind.PARAM:
            return _param_side(binding, RAW_PAIRS)
    return None


def _param_side(binding: Binding, pairs: frozenset[tuple[str, str]]) -> Side | None:
    function = binding.function
    if function is None or binding.destructured or not has_handler_params(function):
        return None
    if tuple(function.param_names[:2]) not in pairs:
        return None
    index = function.params.index(binding) if binding in function.params else -1
    return "request" if index == 0 else "response" if index == 1 else None


def _is_param_of(
    model: SemanticModel, node: Node, pairs: frozenset[tuple[str, str]], index: int
) -> bool:
    if node.type != "identifier":
        return False
    binding = model.binding_of(node)
    if binding is None or binding.kind is not BindingKind.PARAM or binding.function is None:
        return False
    function = binding.function
    return (
        tuple(function.param_names[:2]) in pairs
        and binding in function.params
        and function.params.index(binding) == index
    )


def upstream_request(model: SemanticModel, call: CallSite) -> Upstream | None:
    """The upstream request ``call`` opens, or None."""
    if call.is_new:
        return None
    name = call.name
    callee = unwrap(call.callee)
    if call.obj is None and callee is not None and callee.type == "identifier":
        binding = model.binding_of(callee)
        if name == "fetch" and (
            binding is None or module_name(binding.module_source) in FETCH_MODULES
        ):
            return Upstream(call, "`fetch(…)`", "fetch")
        origin = origin_of(model, callee) if binding is not None else None
        if origin is not None and origin.from_module({"undici"}):
            if origin.export in UNDICI_REQUESTS:
                return Upstream(call, f"undici's `{origin.export}(…)`", "undici")
            if origin.export == "fetch":
                return Upstream(call, "`fetch(…)`", "fetch")
        if (
            origin is not None
            and origin.from_module(HTTP_MODULES)
            and origin.export in HTTP_REQUESTS
        ):
            return Upstream(call, f"`{name}(…)` from `{origin.module}`", "http")
        if binding is not None and _aliases_http_request(model, binding):
            return Upstream(call, f"`{name}(…)`", "http")
        return None
    obj = unwrap(call.obj)
    if obj is None:
        return None
    if name in HTTP_REQUESTS and from_module(model, obj, HTTP_MODULES):
        return Upstream(call, f"`{short_callee(call)}(…)`", "http")
    if obj.type == "identifier" and model.binding_of(obj) is not None:
        origin = origin_of(model, obj)
        if origin is None or not origin.is_main_export:
            return None
        if origin.from_module({"undici"}) and name in UNDICI_REQUESTS:
            return Upstream(call, f"`{short_callee(call)}(…)`", "undici")
        if origin.from_module({"undici"}) and name == "fetch":
            return Upstream(call, "`fetch(…)`", "fetch")
        if origin.from_module({"got"}) and name == "stream":
            return Upstream(call, f"`{short_callee(call)}(…)`", "got")
    return None


def upstream_calls(model: SemanticModel) -> list[Upstream]:
    """Every upstream request the file opens, in document order.

    Candidates are calls named like the entry points, and calls of names imported from the
    modules that provide them (``const { request: get } = require('undici')``)."""
    candidates: dict[int, CallSite] = {site.node.id: site for site in model.calls_named("fetch")}
    modules = _upstream_module_bindings(model)
    if modules:
        for site in model.calls_named("request", "stream", "get"):
            candidates.setdefault(site.node.id, site)
    for aliased in _aliased_request_calls(model, modules):
        candidates.setdefault(aliased.node.id, aliased)
    for binding in modules:
        for reference in binding.references:
            called = _called_at(model, reference)
            if called is not None:
                candidates.setdefault(called.node.id, called)
    found = [upstream_request(model, call) for call in candidates.values()]
    return sorted(
        (upstream for upstream in found if upstream is not None),
        key=lambda upstream: upstream.call.node.start_byte,
    )


def _aliases_http_request(model: SemanticModel, binding: Binding) -> bool:
    """``const send = secure ? https.request : http.request``: a local that holds one of the
    HTTP modules' request functions, whichever branch runs."""
    if binding.is_reassigned or binding.destructured:
        return False
    value = unwrap(binding.init)
    if value is None:
        return False
    branches = (
        [value.child_by_field_name("consequence"), value.child_by_field_name("alternative")]
        if value.type == "ternary_expression"
        else [value]
    )
    for branch in branches:
        branch = unwrap(branch)
        if branch is None or branch.type != "member_expression":
            return False
        if text(branch.child_by_field_name("property")) not in HTTP_REQUESTS:
            return False
        if not from_module(model, branch.child_by_field_name("object"), HTTP_MODULES):
            return False
    return True


def _aliased_request_calls(model: SemanticModel, modules: list[Binding]) -> Iterator[CallSite]:
    """Calls of locals that alias an HTTP module's request function (``_aliases_http_request``),
    found from the module bindings' ``http.request`` references."""
    for module in modules:
        if module_name(module.module_source) not in HTTP_MODULES:
            continue
        for reference in module.references:
            member = outer(reference).parent  # ``https.request``
            if member is None or member.type != "member_expression":
                continue
            choice = outer(member).parent  # ``secure ? https.request : http.request``
            value = choice if choice is not None and choice.type == "ternary_expression" else member
            name = declared_name(value, chained=False)
            alias = model.binding_of(name) if name is not None else None
            if alias is None or not _aliases_http_request(model, alias):
                continue
            for use in alias.references:
                called = _called_at(model, use)
                if called is not None:
                    yield called


def _called_at(model: SemanticModel, reference: Node) -> CallSite | None:
    """The call whose callee is ``reference`` (``f`` of ``f(…)``), or None."""
    position = outer(reference)
    parent = position.parent
    if parent is None or parent.type != "call_expression":
        return None
    called = model.call_at(parent)
    callee = called.callee if called is not None else None
    return called if callee is not None and callee.id == position.id else None


def _upstream_module_bindings(model: SemanticModel) -> list[Binding]:
    """Bindings of the modules that make upstream requests: module-level imports and
    requires, and ``require`` calls anywhere (found through the call index, not a scan of
    every binding)."""
    found = [
        binding
        for binding in model.module_scope.bindings.values()
        if binding.module_source is not None
        and module_name(binding.module_source) in UPSTREAM_MODULES
    ]
    for call in model.calls_named("require"):
        if call.function is None or not call.args:
            continue
        if module_name(string_value(call.args[0])) not in UPSTREAM_MODULES:
            continue
        parent = outer(call.node).parent
        while parent is not None and parent.type == "member_expression":
            parent = outer(parent).parent
        if parent is None or parent.type != "variable_declarator":
            continue
        for ident in pattern_identifiers(parent.child_by_field_name("name")):
            binding = model.binding_of(ident)
            if binding is not None and binding not in found:
                found.append(binding)
    return found


def short_callee(call: CallSite) -> str:
    """``lib.get`` for ``lib.get(url, cb)``; a long callee is cut."""
    rendered = " ".join(call.callee_text.split())
    return rendered if len(rendered) <= 40 else rendered[:39] + "…"


def result_binding(model: SemanticModel, call: CallSite) -> Node | None:
    """The declarator name the (awaited) result of ``call`` is stored in: an identifier or an
    object pattern (``const { body } = await request(url)``); also through ``a = b = call``."""
    return declared_name(call.node)


def declared_name(value: Node, *, chained: bool = True) -> Node | None:
    """The name (or pattern) a declaration initialises with ``value``, possibly awaited,
    and, when ``chained``, through ``a = b = value``."""
    position = outer(value)
    parent = position.parent
    if parent is not None and parent.type == "await_expression":
        position = outer(parent)
        parent = position.parent
    while chained and parent is not None and parent.type == "assignment_expression":
        position = outer(parent)
        parent = position.parent
    if parent is None or parent.type != "variable_declarator":
        return None
    initial = parent.child_by_field_name("value")
    if initial is None or outer(initial).id != position.id:
        return None
    return parent.child_by_field_name("name")


def upstream_bodies(model: SemanticModel, upstream: Upstream) -> list[Node]:
    """Expressions that denote the upstream response's body in the code that made it."""
    name = result_binding(model, upstream.call)
    if name is None:
        return []
    if name.type == "identifier":
        binding = model.binding_of(name)
        if binding is None:
            return []
        if upstream.kind == "got":
            return list(binding.references)
        found: list[Node] = []
        for reference in binding.references:
            member = outer(reference).parent
            if (
                member is not None
                and member.type == "member_expression"
                and text(member.child_by_field_name("property")) == "body"
            ):
                found.append(member)
        return found
    if name.type == "object_pattern":
        found = []
        for child in name.named_children:
            ident: Node | None = None
            if child.type == "shorthand_property_identifier_pattern" and text(child) == "body":
                ident = child
            elif child.type == "pair_pattern":
                key = child.child_by_field_name("key")
                value = child.child_by_field_name("value")
                if text(key) == "body" and value is not None and value.type == "identifier":
                    ident = value
            if ident is None:
                continue
            binding = model.binding_of(ident)
            if binding is not None:
                found.extend(binding.references)
        return found
    return []
