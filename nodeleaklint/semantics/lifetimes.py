"""Lifetimes (SPEC §1): how long the value an expression denotes stays alive.

process-lived: module-scope bindings (imports and ``require`` included), ``process``,
globals, class ``static`` members, and keep-alive sockets reached from a request handler.
instance: ``this.x`` inside a class, alive as long as the instance.
per-call: locals, inner functions, and parameters of callbacks (a fresh ``req`` per event).
unknown: parameters of named functions called directly, results of arbitrary calls.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from nodeleaklint.parsing import Node
from nodeleaklint.records import record
from nodeleaklint.semantics import frameworks
from nodeleaklint.semantics.event_streams import streams_until_closed
from nodeleaklint.semantics.repetition import framework_row, has_handler_params
from nodeleaklint.semantics.replaced import constructed_in_this_run
from nodeleaklint.semantics.scopes import Binding, BindingKind, CallSite, FunctionInfo
from nodeleaklint.semantics.streams import declared_http_message, module_name
from nodeleaklint.semantics.syntax import (
    dotted_name,
    is_require_call,
    outer,
    short,
    string_value,
    text,
    unwrap,
)
from nodeleaklint.semantics.vocabulary import LISTEN_METHODS, UPSTREAM_MODULES

if TYPE_CHECKING:
    from nodeleaklint.semantics.model import SemanticModel


class Lifetime(enum.Enum):
    PROCESS = "process-lived"
    INSTANCE = "instance"
    PER_CALL = "per-call"
    UNKNOWN = "unknown"


@record
class Holder:
    """A lifetime with the words to explain it and, when known, where it was declared."""

    lifetime: Lifetime
    description: str
    declaration: Node | None = None
    binding: Binding | None = None
    # INSTANCE: the function whose ``this`` the instance is (its frequency is the owner's).
    this_function: FunctionInfo | None = None
    # The lifetime rests on a name only (``req.socket`` in a function nothing in view shows
    # to be a request handler): medium evidence (SPEC §1 *Confidence*).
    by_name: bool = False

    @property
    def is_long_lived(self) -> bool:
        return self.lifetime in (Lifetime.PROCESS, Lifetime.INSTANCE)


KNOWN_GLOBALS = frozenset(
    {"process", "global", "globalThis", "window", "document", "self", "navigator", "console"}
)
# Properties of a per-request object that outlive the request on a keep-alive connection.
KEEP_ALIVE_PROPERTIES = frozenset({"socket", "connection"})
REQUEST_NAMES = frozenset({"req", "res", "request", "response"})
# Servers that call a handler with the request being served and its response.
_SERVER_FACTORIES = frozenset({"createServer", "createSecureServer"})
_SERVER_MODULES = frozenset({"http", "https", "http2"})
# What only a server's response does: answer with a status line.
_RESPONSE_METHODS = frozenset({"writeHead", "writeContinue", "writeProcessing", "writeEarlyHints"})
_RESPONSE_STATUS = frozenset({"statusCode", "statusMessage"})
# A server's events whose handlers get ``(request, response)``.
_REQUEST_EVENTS = frozenset({"request", "checkContinue", "checkExpectation"})
# Packages whose ``get(url, (res) => …)`` callback gets an upstream response, not a request
# being served.
_CLIENT_MODULES = UPSTREAM_MODULES | {"http2", "request", "superagent", "needle", "axios"}
# Properties of a framework context holding the raw Node request (`ctx.req`, `request.raw`).
REQUEST_WRAPPER_PROPERTIES = frozenset({"req", "res", "request", "response", "raw"})
_MAX_ALIAS_DEPTH = 8


def lifetime_of(model: SemanticModel, node: Node | None, depth: int = 0) -> Holder:
    """The lifetime of the value ``node`` evaluates to, judged where ``node`` stands.

    A question asked from outside (depth 0) is answered once per node: the answer depends
    only on the node and the file's model (the indexes it reads are built whole before
    they are read), and a ``Holder`` is never changed once made, so callers share it."""
    node = unwrap(node)
    if depth or node is None:
        return _lifetime_of(model, node, depth)
    cache = model.node_memo("lifetimes.of")
    node_id = node.id
    if node_id in cache:
        found: Holder = cache[node_id]
        return found
    found = cache[node_id] = _lifetime_of(model, node, 0)
    return found


def _lifetime_of(model: SemanticModel, node: Node | None, depth: int) -> Holder:
    """``lifetime_of``, worked out (``node`` unwrapped)."""
    if node is None or depth > _MAX_ALIAS_DEPTH:
        return Holder(Lifetime.UNKNOWN, "an expression")
    kind = node.type
    if kind == "identifier":
        binding = model.binding_of(node)
        if binding is None:
            name = text(node)
            return Holder(Lifetime.PROCESS, f"the global `{name}`")
        return binding_lifetime(model, binding, depth)
    if kind == "this":
        return _this_lifetime(model, node)
    if kind in ("member_expression", "subscript_expression"):
        return _member_lifetime(model, node, depth)
    if kind == "call_expression" and is_require_call(node):
        return Holder(Lifetime.PROCESS, f"the module `{text(node)}`")
    if kind == "call_expression":
        returned = _returned(model, node, depth)
        if returned is not None:
            return returned
    if kind == "new_expression":
        if model.enclosing_function(node) is None:
            return Holder(Lifetime.PROCESS, "an object created at module top level", node)
        return Holder(Lifetime.PER_CALL, "an object created in this call", node)
    return Holder(Lifetime.UNKNOWN, f"`{short(text(node))}`")


def binding_lifetime(model: SemanticModel, binding: Binding, depth: int = 0) -> Holder:
    name = binding.name
    if binding.scope.is_module:
        what = (
            "imported"
            if binding.kind is BindingKind.IMPORT or binding.module_source
            else "module-level"
        )
        return Holder(Lifetime.PROCESS, f"the {what} `{name}`", binding.node, binding)
    if binding.kind is BindingKind.PARAM:
        function = binding.function
        borrowed = _borrowed_event_argument(binding)
        if borrowed is not None:
            return Holder(Lifetime.PROCESS, f"`{name}`, {borrowed}", binding.node, binding)
        if function is not None and is_per_event_function(model, function):
            return Holder(
                Lifetime.PER_CALL,
                f"`{name}`, a parameter of {function.display()}",
                binding.node,
                binding,
            )
        if is_request_param(binding):
            return Holder(
                Lifetime.PER_CALL, f"`{name}`, a per-request parameter", binding.node, binding
            )
        passed = _argument_holder(model, binding, depth)
        if passed is not None:
            return passed
        return Holder(Lifetime.UNKNOWN, f"the parameter `{name}`", binding.node, binding)
    if binding.module_source is not None:
        return Holder(
            Lifetime.PROCESS, f"the module `{binding.module_source}`", binding.node, binding
        )
    init = unwrap(binding.init)
    if (
        init is not None
        and not binding.destructured
        and not binding.is_reassigned
        and init.type in ("identifier", "member_expression", "this", "subscript_expression")
    ):
        aliased = lifetime_of(model, init, depth + 1)
        if aliased.lifetime is not Lifetime.PER_CALL:
            return Holder(
                aliased.lifetime, aliased.description, aliased.declaration, aliased.binding
            )
    return Holder(Lifetime.PER_CALL, f"the local `{name}`", binding.node, binding)


def _borrowed_event_argument(binding: Binding) -> str | None:
    """``req.on('socket', (socket) => …)``: the argument outlives the event; the third
    parameter of an ``httpProxy.createServer((req, res, proxy) => …)`` handler is the proxy
    all requests share (the framework table)."""
    function = binding.function
    call = function.callback_of if function is not None else None
    if call is None or function is None or binding not in function.params:
        return None
    index = function.params.index(binding)
    row = frameworks.argument_guarantee(call, function.scope, index)
    if row is not None:
        return row.what
    if call.name not in ("on", "once") or not call.args:
        return None
    entry = frameworks.active().borrowed_event_arguments.get(string_value(call.args[0]) or "")
    if entry is None:
        return None
    wanted, what = entry
    return what if index == wanted else None


_RANK = {Lifetime.PER_CALL: 0, Lifetime.UNKNOWN: 1, Lifetime.INSTANCE: 2, Lifetime.PROCESS: 3}


def _argument_holder(model: SemanticModel, binding: Binding, depth: int) -> Holder | None:
    """Arguments reach parameters (SPEC §1): when every use of the parameter's function in
    the file is a direct call, the parameter lives as long as the longest-lived argument
    passed there. None when a use is not a call (exported, stored, passed on)."""
    function = binding.function
    if function is None or binding not in function.params or depth > _MAX_ALIAS_DEPTH:
        return None
    index = function.params.index(binding)
    sites = model.call_sites_of(function)
    if sites is None:
        return _passed_in(model, binding, function, index)
    if not sites:
        return None
    best: Holder | None = None
    for site in sites:
        if index >= len(site.args) or site.args[index].type == "spread_element":
            return None
        holder = _argument_lifetime(model, site, index, depth)
        if holder.lifetime is Lifetime.UNKNOWN:
            return None
        if best is None or _RANK[holder.lifetime] > _RANK[best.lifetime]:
            best = holder
    if best is None:
        return None
    return Holder(
        best.lifetime,
        f"`{binding.name}`, which its callers give {best.description}",
        best.declaration,
        best.binding,
        best.this_function,
    )


def _argument_lifetime(model: SemanticModel, site: CallSite, index: int, depth: int) -> Holder:
    """What one call passes for a parameter: a long-lived slot the calling run has just
    filled with an object it constructed (``mainWindow = new BrowserWindow();
    configure(mainWindow.webContents)``) passes that run's object, not a shared one."""
    argument = site.args[index]
    holder = lifetime_of(model, argument, depth + 1)
    if (
        holder.is_long_lived
        and site.function is not None
        and constructed_in_this_run(model, site.function, argument)
    ):
        return Holder(
            Lifetime.PER_CALL,
            f"`{short(text(argument))}`, constructed anew in {site.function.display()}",
            argument,
        )
    return holder


def _passed_in(
    model: SemanticModel, binding: Binding, function: FunctionInfo, index: int
) -> Holder | None:
    """Arguments reach parameters across files: what every caller of an exported function
    elsewhere in the project passes for this parameter (the project view)."""
    given = model.passed_in.get(function.node.id, ())
    entry = given[index] if index < len(given) else None
    if entry is None:
        return None
    value, description = entry
    return Holder(
        Lifetime(value), f"`{binding.name}`, which its callers give {description}", binding.node
    )


def is_request_param(binding: Binding) -> bool:
    """A parameter that by name (``req``, ``res``, ``reply`` …) or by a framework decorator
    (``@Req() req``, ``@Res() res``, ``@ConnectedSocket() client``) gets a per-request object."""
    if binding.kind is not BindingKind.PARAM:
        return False
    if binding.name in REQUEST_NAMES or binding.name == "reply":
        return True
    declarator = binding.declarator
    return declarator is not None and any(
        child.type == "decorator" for child in declarator.children
    )


def _named_request(binding: Binding) -> bool:
    """A parameter called ``req`` / ``res`` / ``request`` / ``response``: medium evidence."""
    return binding.kind is BindingKind.PARAM and binding.name in REQUEST_NAMES


def serves_request(model: SemanticModel, binding: Binding) -> bool:
    """Whether a parameter is, by its role and whatever its name, the request a server is
    serving or its response (SPEC §1 *Roles*): declared with a request or response type
    (``res: express.Response``), or the other one of a pair whose partner is
    (``(clientReq, clientRes: express.Response)``), or the first or second parameter of a
    function handed to a server — ``http.createServer(fn)``, ``server.on('request', fn)`` — or
    registered as a route or middleware (``app.get(path, fn)``, ``app.use(fn)``; the second
    and third of a four-parameter error middleware), inline or by name, on anything not made
    by an HTTP client package (``http.get(url, (res) => …)`` gets an upstream response); or
    the first two parameters of a function whose second answers as only a server's response
    does (``res.writeHead(…)``, ``res.statusCode = 206``)."""
    if binding.kind is not BindingKind.PARAM or binding.destructured:
        return False
    function = binding.function
    if function is None or binding not in function.params:
        return False
    if declared_http_message(model, binding) is not None:
        return True
    index = function.params.index(binding)
    if index in (0, 1) and len(function.params) >= 2:
        partner = declared_http_message(model, function.params[1 - index])
        if partner == ("response" if index == 0 else "request"):
            return True
    if index in (0, 1) and len(function.params) >= 2 and _answers(function.params[1]):
        return True  # ``(req, res)`` where ``res.writeHead(…)``: a server's response
    return index in (0, 1, 2) and any(
        _serves(model, function, call, index) for call in _handed_to(model, function)
    )


def _handed_to(model: SemanticModel, function: FunctionInfo) -> list[CallSite]:
    """The calls a function is handed to: inline (``app.get(path, (req, res) => …)``) or by
    name (``app.get(path, changes)``)."""
    if function.callback_of is not None:
        return [function.callback_of]
    binding = function.binding
    found: list[CallSite] = []
    for reference in binding.references if binding is not None else ():
        position = outer(reference)
        holder = position.parent
        if holder is not None and holder.type == "arguments" and holder.parent is not None:
            site = model.call_at(holder.parent)
            if site is not None:
                found.append(site)
    return found


def _serves(model: SemanticModel, function: FunctionInfo, call: CallSite, index: int) -> bool:
    """Whether ``call``, handed ``function``, calls it with the request being served (or
    its response) as its ``index``-th parameter."""
    if call.is_new:
        return False
    if call.name in LISTEN_METHODS and call.args:
        return index in (0, 1) and string_value(call.args[0]) in _REQUEST_EVENTS
    if call.name in _SERVER_FACTORIES:
        source = module_name(frameworks.receiver_module(call, function.scope))
        return index in (0, 1) and source in _SERVER_MODULES
    if call.name not in frameworks.active().route_methods:
        return False
    if module_name(frameworks.receiver_module(call, function.scope)) in _CLIENT_MODULES:
        return False
    first = 1 if len(function.params) == 4 else 0  # (err, req, res, next)
    return index in (first, first + 1)


def _answers(binding: Binding) -> bool:
    """A parameter used the way only a server's response is: ``res.writeHead(…)``,
    ``res.statusCode = 206``, ``res.writeContinue()``."""
    if binding.kind is not BindingKind.PARAM or binding.destructured:
        return False
    for reference in binding.references:
        member = reference.parent
        if member is None or member.type != "member_expression":
            continue
        prop = text(member.child_by_field_name("property"))
        above = member.parent
        if prop in _RESPONSE_METHODS and above is not None and above.type == "call_expression":
            return True
        if (
            prop in _RESPONSE_STATUS
            and above is not None
            and above.type == "assignment_expression"
            and above.child_by_field_name("left") == member
        ):
            return True
    return False


def is_per_event_function(model: SemanticModel, function: FunctionInfo) -> bool:
    """Whether the function's parameters are fresh per invocation (callbacks, handlers)."""
    if function.callback_of is not None or has_handler_params(function):
        return True
    if framework_row(function) is not None:
        return True  # a framework calls it with fresh arguments (``link(scope, element)``)
    binding = function.binding
    if binding is None:
        if function.method_kind == "method" and function.name is not None:
            return function.name in _methods_handed_to_listeners(model, function.class_node)
        return function.property_key is not None and function.class_node is None
    if function.method_kind == "constructor" and model.call_sites_of(function):
        return False  # every ``new X(…)`` is in view (``util.inherits(X, …)`` runs nothing)
    return any(model.is_passed_as_argument(reference) for reference in binding.references)


def _methods_handed_to_listeners(model: SemanticModel, class_node: Node | None) -> frozenset[str]:
    """The methods of a class that its own code hands to a listener registration as the
    handler, ``this.m`` or ``this.m.bind(this)`` (``io.on('connection',
    this.onConnection.bind(this))``): functions passed as callbacks, so their parameters are
    fresh per event (SPEC §1 *per-call*). A ``bind`` with more arguments fills the first
    parameters from them, and is left out."""
    if class_node is None:
        return frozenset()
    memo = model.node_memo("lifetimes.listener_methods")
    found = memo.get(class_node.id)
    if found is None:
        names: set[str] = set()
        for site in model.calls_named(*sorted(LISTEN_METHODS)):
            if site.obj is None or len(site.args) < 2:
                continue
            member = _handler_member(site.args[1])
            obj = unwrap(member.child_by_field_name("object")) if member is not None else None
            if member is None or obj is None or obj.type != "this":
                continue
            owner = model.this_function(obj)
            owner_class = owner.class_node if owner is not None else None
            if owner_class is not None and owner_class.id == class_node.id:
                names.add(text(member.child_by_field_name("property")))
        found = memo[class_node.id] = frozenset(names)
    return found


def _handler_member(handler: Node | None) -> Node | None:
    """``this.m`` of a handler written ``this.m`` or ``this.m.bind(this)``, else None."""
    value = unwrap(handler)
    if value is not None and value.type == "call_expression":
        callee = value.child_by_field_name("function")
        arguments = value.child_by_field_name("arguments")
        if callee is None or callee.type != "member_expression" or arguments is None:
            return None
        if text(callee.child_by_field_name("property")) != "bind":
            return None
        bound = arguments.named_children
        if len(bound) != 1 or bound[0].type != "this":
            return None
        value = unwrap(callee.child_by_field_name("object"))
    return value if value is not None and value.type == "member_expression" else None


def _this_lifetime(model: SemanticModel, node: Node) -> Holder:
    function = model.this_function(node)
    if function is not None and function.class_node is not None:
        owner = function.class_name or "the class"
        if function.is_static:
            return Holder(Lifetime.PROCESS, f"the class `{owner}`", function.class_node)
        return Holder(
            Lifetime.INSTANCE, f"an instance of `{owner}`", function.class_node, None, function
        )
    return Holder(Lifetime.UNKNOWN, "`this`")


def _member_lifetime(model: SemanticModel, node: Node, depth: int) -> Holder:
    obj = unwrap(node.child_by_field_name("object"))
    name = dotted_name(node) or short(text(node))
    prop = text(node.child_by_field_name("property"))
    if obj is not None and obj.type == "identifier" and prop in KEEP_ALIVE_PROPERTIES:
        binding = model.binding_of(obj)
        served = binding is not None and serves_request(model, binding)
        if binding is not None and (served or _named_request(binding)):
            handler = binding.function
            if handler is not None and streams_until_closed(model, handler):
                return Holder(
                    Lifetime.PER_CALL,
                    f"the socket `{name}` of a response that streams events until the "
                    "connection closes (it carries no other request)",
                    binding.node,
                    binding,
                )
            named = "" if served else f"; `{binding.name}` is taken for a request by its name"
            return Holder(
                Lifetime.PROCESS,
                f"the keep-alive socket `{name}` (one connection serves many requests{named})",
                binding.node,
                binding,
                by_name=not served,
            )
    if obj is not None and obj.type == "member_expression" and prop in KEEP_ALIVE_PROPERTIES:
        # `ctx.req.socket` (Koa), `request.raw.socket` (Fastify): the same keep-alive socket.
        inner = unwrap(obj.child_by_field_name("object"))
        wrapper = text(obj.child_by_field_name("property"))
        binding = (
            model.binding_of(inner) if inner is not None and inner.type == "identifier" else None
        )
        if (
            binding is not None
            and binding.kind is BindingKind.PARAM
            and wrapper in REQUEST_WRAPPER_PROPERTIES
        ):
            return Holder(
                Lifetime.PROCESS,
                f"the keep-alive socket `{name}` (one connection serves many requests)",
                binding.node,
                binding,
            )
        param = _request_field(model, obj, depth) if model.is_this(inner) else None
        if param is not None:
            return Holder(
                Lifetime.PROCESS,
                f"the keep-alive socket `{name}` (`{text(obj)}` holds the request parameter "
                f"`{param.name}`; one connection serves many requests)",
                param.node,
                param,
            )
    base = lifetime_of(model, obj, depth + 1)
    if base.lifetime is Lifetime.INSTANCE and model.is_this(obj):
        held = _field_holder(model, base, prop, depth)
        if held is not None:
            return Holder(
                Lifetime.PROCESS,
                f"`{name}`, which holds {held.description}",
                held.declaration,
                held.binding,
            )
    if obj is not None and obj.type == "this" and base.lifetime is Lifetime.INSTANCE:
        return Holder(
            Lifetime.INSTANCE,
            f"`{name}`, a field of {base.description}",
            base.declaration,
            None,
            base.this_function,
        )
    if base.lifetime is Lifetime.PROCESS:
        if base.binding is not None and base.binding.kind is BindingKind.CLASS:
            return Holder(
                Lifetime.PROCESS, f"the static member `{name}`", base.declaration, base.binding
            )
        # ``a.b.c``: reachable from what ``a`` is (not from ``a.b``, reachable from …).
        root = base.description.rpartition(", reachable from ")[2]
        return Holder(
            Lifetime.PROCESS,
            f"`{name}`, reachable from {root}",
            base.declaration,
            base.binding,
        )
    return Holder(base.lifetime, f"`{name}`", base.declaration, base.binding)


def _request_field(model: SemanticModel, field: Node, depth: int) -> Binding | None:
    """The request parameter a field of ``this`` holds (``this.res = res`` in a constructor
    given ``(server, req, res)``), so that ``this.res.socket`` is the same keep-alive socket
    as ``res.socket`` would be there: either the function reading the field set it from its
    own parameter before, on its straight-line path, or every value the class ever assigns
    to the field is such a parameter. None otherwise."""
    function = model.enclosing_function(field)
    body = function.node.child_by_field_name("body") if function is not None else None
    if function is not None and body is not None:
        for statement in body.named_children:
            if statement.start_byte >= field.start_byte:
                break
            assignment = unwrap(statement.named_children[0]) if statement.named_children else None
            if statement.type != "expression_statement" or assignment is None:
                continue
            if assignment.type != "assignment_expression":
                continue
            left = unwrap(assignment.child_by_field_name("left"))
            if left is not None and left.type == field.type and text(left) == text(field):
                found = _request_param(model, assignment.child_by_field_name("right"), function)
                if found is not None and not _assigned_elsewhere(model, field, function):
                    return found
    owner = lifetime_of(model, field.child_by_field_name("object"), depth + 1)
    if owner.lifetime is not Lifetime.INSTANCE or owner.declaration is None:
        return None
    prop = text(field.child_by_field_name("property"))
    values = _field_values(model).get((owner.declaration.id, prop))
    found = None
    for value in values or ():
        param = _request_param(model, value, None)
        if param is None:
            return None
        found = found or param
    return found


def _request_param(
    model: SemanticModel, value: Node | None, function: FunctionInfo | None
) -> Binding | None:
    """``value`` as a parameter (of ``function`` when given) that is a per-request object
    by the test the direct form uses (``res.socket`` on a ``req`` / ``res`` parameter)."""
    value = unwrap(value)
    if value is None or value.type != "identifier":
        return None
    binding = model.binding_of(value)
    if binding is None or not (_named_request(binding) or serves_request(model, binding)):
        return None
    if function is not None and binding.function is not function:
        return None
    return binding


def _assigned_elsewhere(model: SemanticModel, field: Node, function: FunctionInfo) -> bool:
    """Whether the function assigns the field more than once (the straight-line read above
    saw the first assignment only)."""
    count = 0
    for assignment in model.assignments_in(function):
        left = unwrap(assignment.child_by_field_name("left"))
        if left is not None and left.type == field.type and text(left) == text(field):
            count += 1
    return count > 1


def _field_holder(model: SemanticModel, instance: Holder, prop: str, depth: int) -> Holder | None:
    """What a field of an instance holds when every value the class assigns to it is
    process-lived (``this.emitter = bus``, ``self.db = pool``): the field is only another
    name for that object, which outlives the instance. None when any value is not, or the
    class assigns none."""
    owner = instance.declaration
    if owner is None or depth > _MAX_ALIAS_DEPTH:
        return None
    values = _field_values(model).get((owner.id, prop))
    if not values:
        return None
    found: Holder | None = None
    for value in values:
        holder = lifetime_of(model, value, depth + 1)
        if holder.lifetime is not Lifetime.PROCESS:
            return None
        found = found or holder
    return found


def _field_values(model: SemanticModel) -> dict[tuple[int, str], list[Node]]:
    """The values assigned to each field (class node id, name) anywhere in the file."""
    cached = model.cache.get("field_values")
    if isinstance(cached, dict):
        return cached
    index: dict[tuple[int, str], list[Node]] = {}
    for assignment in model.assignments:
        if assignment.type != "assignment_expression":
            continue
        left = unwrap(assignment.child_by_field_name("left"))
        if left is None or left.type != "member_expression":
            continue  # (the value is read only for a member written)
        value = assignment.child_by_field_name("right")
        if value is None:
            continue
        obj = unwrap(left.child_by_field_name("object"))
        if not model.is_this(obj):
            continue
        owner = lifetime_of(model, obj)
        if owner.lifetime is Lifetime.INSTANCE and owner.declaration is not None:
            key = (owner.declaration.id, text(left.child_by_field_name("property")))
            index.setdefault(key, []).append(value)
    model.cache["field_values"] = index
    return index


def _returned(model: SemanticModel, call: Node, depth: int) -> Holder | None:
    """What a call returns, when that is process-lived: a function of this file whose every
    ``return`` gives a process-lived value (a module-level registry's entry, a shared
    emitter), or a function of another file the project view says does (``returns``)."""
    callee = unwrap(call.child_by_field_name("function"))
    if callee is None or depth > _MAX_ALIAS_DEPTH:
        return None
    name = text(callee)
    elsewhere = model.returned_elsewhere.get(name)
    if elsewhere is not None and callee.type in ("identifier", "member_expression"):
        root = callee
        while root.type == "member_expression":
            root = unwrap(root.child_by_field_name("object")) or root
            if root.type != "member_expression":
                break
        binding = model.binding_of(root) if root.type == "identifier" else None
        if binding is not None and binding.scope.is_module:
            return Holder(Lifetime.PROCESS, f"what `{name}()` returns, {elsewhere}")
    if callee.type != "identifier":
        return None
    binding = model.binding_of(callee)
    function = _function_bound_to(model, binding) if binding is not None else None
    if function is None or binding is None or binding.is_reassigned:
        return None
    held = returned_holder(model, function, depth + 1)
    if held is None:
        return None
    return Holder(
        Lifetime.PROCESS,
        f"what `{name}()` returns, {held.description}",
        held.declaration,
        held.binding,
    )


def _function_bound_to(model: SemanticModel, binding: Binding) -> FunctionInfo | None:
    """The function a name is declared as (``function f() {}``, ``const f = () => …``)."""
    init = unwrap(binding.init)
    if init is not None:
        return model.function_at(init)
    declaration = binding.node.parent
    if declaration is not None and declaration.type == "function_declaration":
        return model.function_at(declaration)
    return None


def returned_holder(model: SemanticModel, function: FunctionInfo, depth: int = 0) -> Holder | None:
    """The process-lived value every ``return`` of ``function`` gives (the first one's
    words), or None: when one return gives something else, the function returns nothing
    (or a promise: ``async``, generators), or the answer is not known."""
    node = function.node
    if depth > _MAX_ALIAS_DEPTH or any(c.type in ("async", "*") for c in node.children):
        return None
    values = model.returned_values(function)
    if values is None:
        return None
    found: Holder | None = None
    for value in values:
        holder = lifetime_of(model, value, depth + 1) if value is not None else None
        if holder is None or holder.lifetime is not Lifetime.PROCESS:
            return None
        found = found or holder
    return found
