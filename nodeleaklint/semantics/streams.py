"""Node streams: recognise an expression that denotes a Node.js stream by how it was made.

A stream is known when it comes from a stream factory (``fs.createReadStream``,
``zlib.createGzip``, ``crypto.createHash``, ``net.connect``, ``http.request``,
``Readable.from``), a stream constructor (``new PassThrough()``), a child process or
``process`` (``child.stdout``, ``process.stdin``), or the request and response of an HTTP
handler (``req``/``res`` of ``(req, res)`` handlers, Koa's ``ctx.req``/``ctx.res``,
Fastify's ``request.raw``/``reply.raw``, the response passed to ``http.get``'s callback).
``stream_info`` returns what the stream is (``StreamInfo``: words for messages, and whether
it holds an OS handle, set by the table or shape that recognised it), or None when nothing
shows that the expression is a Node stream (an RxJS observable, a parameter of unknown
origin).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nodeleaklint.parsing import Node
from nodeleaklint.semantics.locations import place_of
from nodeleaklint.semantics.provenance import imported_name
from nodeleaklint.semantics.repetition import has_handler_params
from nodeleaklint.semantics.scopes import Binding, BindingKind, CallSite, FunctionInfo
from nodeleaklint.semantics.stream_facts import StreamInfo
from nodeleaklint.semantics.syntax import (
    FUNCTION_KINDS,
    callee_parts,
    dotted_name,
    string_value,
    text,
    unwrap,
)
from nodeleaklint.semantics.vocabulary import (
    CHILD_PROCESS_FACTORIES,
    FS_STREAM_MODULES,
    HANDLER_INCOMING_PROPERTIES,
    HANDLER_STREAM_PROPERTIES,
    HTTP_MESSAGE_TYPES,
    MODULE_STREAM_FACTORIES,
    PROCESS_STREAMS,
    STREAM_CHAINABLE_METHODS,
    STREAM_CLASSES,
    STREAM_FACTORIES,
)

if TYPE_CHECKING:
    from nodeleaklint.semantics.model import SemanticModel

# Handler parameter pairs whose both members are Node streams (IncomingMessage, ServerResponse).
_STREAM_HANDLER_PAIRS = frozenset({("req", "res"), ("request", "response")})
_MAX_DEPTH = 6


def stream_info(model: SemanticModel, node: Node | None) -> StreamInfo | None:
    """The recognised Node stream ``node`` denotes, or None."""
    return _origin(model, node)


def stream_origin(model: SemanticModel, node: Node | None) -> str | None:
    """A short description of the Node stream ``node`` denotes, or None when not known."""
    info = _origin(model, node)
    return info.description if info is not None else None


def fails_quietly(info: StreamInfo | None) -> bool:
    """Whether a pipe source of this kind can stop without ``'end'`` and without throwing.

    An HTTP ``IncomingMessage`` whose peer goes away emits ``'aborted'`` and ``'close'``,
    and emits ``'error'`` only when something listens for it (Node keeps that for
    compatibility), so a destination piped from it is never ended and stays open. Any other
    stream (a file, a socket, zlib, ``PassThrough``, ``Readable.from``) reports its failure
    as an ``'error'`` event, which Node throws as an uncaught exception when nothing
    listens: the process stops rather than keep the destination open. An unknown source
    may be an ``IncomingMessage``."""
    return info is None or info.incoming


def child_process_pipe(model: SemanticModel, node: Node | None) -> bool:
    """``child.stdout`` / ``stderr`` of a child process made in view: it ends when the child
    exits, however the child stops."""
    node = unwrap(node)
    if node is None or node.type != "member_expression":
        return False
    obj = unwrap(node.child_by_field_name("object"))
    prop = text(node.child_by_field_name("property"))
    return prop in PROCESS_STREAMS and obj is not None and _is_child_process(model, obj, 0)


def module_name(source: str | None) -> str | None:
    """``net`` for ``net`` and ``node:net``."""
    if source is None:
        return None
    return source[5:] if source.startswith("node:") else source


def from_module(model: SemanticModel, node: Node | None, modules: frozenset[str]) -> bool:
    """Whether ``node`` is (an alias of) one of ``modules``: ``net``, ``require('net')``, or a
    module chosen at run time among them (``const lib = secure ? https : http``)."""
    return _from_module(model, node, modules)


def _from_module(
    model: SemanticModel, node: Node | None, modules: frozenset[str], depth: int = 0
) -> bool:
    """Whether ``node`` is (an alias of) one of ``modules``: ``net``, ``require('net')``."""
    node = unwrap(node)
    if node is None or depth > _MAX_DEPTH:
        return False
    if node.type == "ternary_expression":
        # ``secure ? https : http``: both branches must be one of the modules.
        branches = (
            node.child_by_field_name("consequence"),
            node.child_by_field_name("alternative"),
        )
        return all(_from_module(model, branch, modules, depth + 1) for branch in branches)
    if node.type == "identifier":
        binding = model.binding_of(node)
        if binding is None:
            return text(node) in modules
        if binding.module_source is None and not binding.destructured and binding.init is not None:
            init = unwrap(binding.init)
            if (
                init is not None
                and init.type in ("ternary_expression", "call_expression")
                and not binding.is_reassigned
            ):
                return _from_module(model, init, modules, depth + 1)
        return module_name(binding.module_source) in modules
    if node.type == "call_expression":
        args = node.child_by_field_name("arguments")
        callee = node.child_by_field_name("function")
        if text(callee) == "require" and args is not None and args.named_children:
            argument = unwrap(args.named_children[0])
            if argument is not None and argument.type == "ternary_expression":
                # ``require(secure ? 'https' : 'http')``
                names = (
                    string_value(argument.child_by_field_name("consequence")),
                    string_value(argument.child_by_field_name("alternative")),
                )
                return all(module_name(name) in modules for name in names)
            return module_name(string_value(argument)) in modules
    return False


def is_process_stream(node: Node | None) -> bool:
    """``process.stdin``, ``process.stdout`` or ``process.stderr``."""
    name = dotted_name(node)
    return name is not None and name.startswith("process.") and name[8:] in PROCESS_STREAMS


def _origin(model: SemanticModel, node: Node | None, depth: int = 0) -> StreamInfo | None:
    """The Node stream ``node`` denotes, or None when not known."""
    node = unwrap(node)
    if node is None or depth > _MAX_DEPTH:
        return None
    kind = node.type
    if kind in ("call_expression", "new_expression"):
        call = model.call_at(node)
        return _call_origin(model, call, depth) if call is not None else None
    if kind == "member_expression":
        return _member_origin(model, node, depth)
    if kind == "identifier":
        binding = model.binding_of(node)
        return _binding_origin(model, binding, depth) if binding is not None else None
    if kind == "await_expression" and node.named_children:
        return None
    return None


def _call_origin(model: SemanticModel, call: CallSite, depth: int) -> StreamInfo | None:
    name = call.name
    if call.is_new:
        if name in STREAM_CLASSES and (
            call.obj is None or _from_module(model, call.obj, frozenset({"stream"}))
        ):
            return StreamInfo(f"a `{name}` stream", handle=False)
        return None
    if name in ("createReadStream", "createWriteStream"):
        return _fs_stream(model, call)
    if name in STREAM_FACTORIES:
        return StreamInfo(STREAM_FACTORIES[name], handle=False)
    if name in MODULE_STREAM_FACTORIES:
        row = MODULE_STREAM_FACTORIES[name]
        kind = StreamInfo(row.description, row.handle)
        if call.obj is not None:
            return kind if _from_module(model, call.obj, row.modules) else None
        callee = unwrap(call.callee)
        binding = (
            model.binding_of(callee) if callee is not None and callee.type == "identifier" else None
        )
        if binding is not None and module_name(binding.module_source) in row.modules:
            return kind
        return None
    if name == "from" and call.obj is not None:
        owner = dotted_name(call.obj)
        if owner is not None and owner.rsplit(".", 1)[-1] == "Readable":
            return StreamInfo("a `Readable.from` stream", handle=False)
        return None
    if name == "pipe" and call.obj is not None and call.args:
        # ``a.pipe(b)`` returns ``b``.
        return _origin(model, call.args[0], depth + 1)
    if call.obj is None:
        made = _made_by_local_function(model, call, depth)
        if made is not None:
            return made
    if name in STREAM_CHAINABLE_METHODS and call.obj is not None:
        # Chainable stream methods return the stream itself.
        return _origin(model, call.obj, depth + 1)
    return None


def _made_by_local_function(model: SemanticModel, call: CallSite, depth: int) -> StreamInfo | None:
    """``mapStream(f)`` where the file's own ``mapStream`` returns a known stream (``(f) =>
    new Transform(…)``, or a function whose one ``return`` gives one); or, through the
    project view, an imported function another file defines that way."""
    callee = unwrap(call.callee)
    if callee is None or callee.type != "identifier":
        return None
    binding = model.binding_of(callee)
    if binding is None:
        return None
    if binding.kind is BindingKind.IMPORT or binding.module_source is not None:
        return model.imported_streams.get(binding.name)
    returned = _returned_value(binding)
    if returned is None or binding.is_reassigned:
        return None
    return _origin(model, returned, depth + 1)


def returned_stream(model: SemanticModel, function: Node) -> StreamInfo | None:
    """The known Node stream the function ``function`` returns (for the project view: a
    file that imports it learns that its calls make that stream)."""
    returned = _function_result(function)
    return _origin(model, returned) if returned is not None else None


def _returned_value(binding: Binding) -> Node | None:
    """The one value a function binding returns (see ``_function_result``)."""
    function = unwrap(binding.init) if binding.kind is not BindingKind.FUNCTION else None
    if binding.kind is BindingKind.FUNCTION:
        function = binding.node.parent
    return _function_result(function)


def _function_result(function: Node | None) -> Node | None:
    """An arrow's expression body, or the argument of the only ``return`` among the body's
    top-level statements."""
    if function is None or function.type not in FUNCTION_KINDS:
        return None
    body = function.child_by_field_name("body")
    if body is None:
        return None
    if body.type != "statement_block":
        return body
    returns = [child for child in body.named_children if child.type == "return_statement"]
    if len(returns) != 1 or not returns[0].named_children:
        return None
    return returns[0].named_children[0]


def _fs_stream(model: SemanticModel, call: CallSite) -> StreamInfo:
    """``fs.createReadStream(p)`` is a file stream (a file descriptor); ``msg.createReadStream()``
    is some stream."""
    kind = "read" if call.name == "createReadStream" else "write"
    if call.obj is not None:
        obj = unwrap(call.obj)
        if _from_module(model, obj, FS_STREAM_MODULES) or dotted_name(obj) in (
            "fs.promises",
            "fsPromises",
        ):
            return StreamInfo(f"a file {kind} stream", handle=True)
        return StreamInfo(f"a {kind} stream", handle=False)
    callee = unwrap(call.callee)
    binding = (
        model.binding_of(callee) if callee is not None and callee.type == "identifier" else None
    )
    if binding is not None and module_name(binding.module_source) in FS_STREAM_MODULES:
        return StreamInfo(f"a file {kind} stream", handle=True)
    return StreamInfo(f"a {kind} stream", handle=False)


def _member_origin(model: SemanticModel, node: Node, depth: int) -> StreamInfo | None:
    if is_process_stream(node):
        # Lives as long as the process: not a per-call handle.
        return StreamInfo(f"`{dotted_name(node)}`", handle=False, named=True)
    prop = text(node.child_by_field_name("property"))
    obj = unwrap(node.child_by_field_name("object"))
    if prop in PROCESS_STREAMS and obj is not None:
        if _is_child_process(model, obj, depth):
            return StreamInfo(f"the child process stream `{text(node)}`", handle=True, named=True)
        return None
    if prop in ("req", "res") and obj is not None and _is_this_ctx(obj):
        # Egg / Koa class controllers reach the context through ``this.ctx``.
        return _handler_stream(prop, node)
    if prop in HANDLER_STREAM_PROPERTIES and obj is not None and obj.type == "identifier":
        binding = model.binding_of(obj)
        if (
            binding is not None
            and binding.kind is BindingKind.PARAM
            and binding.function is not None
            and has_handler_params(binding.function)
        ):
            return _handler_stream(prop, node)
    return None


def _handler_stream(prop: str, node: Node) -> StreamInfo:
    """``ctx.req``, ``reply.raw``, ``req.socket``: a socket, or an HTTP message on one."""
    return StreamInfo(
        f"{HANDLER_STREAM_PROPERTIES[prop]} `{text(node)}`",
        handle=True,
        incoming=prop in HANDLER_INCOMING_PROPERTIES,
        named=True,
    )


def _is_this_ctx(node: Node) -> bool:
    """``this.ctx``: the Koa context of an Egg-style class controller or service."""
    return node.type == "member_expression" and dotted_name(node) == "this.ctx"


def _is_child_process(model: SemanticModel, node: Node, depth: int) -> bool:
    """``spawn(...)``, ``cp.exec(...)`` or a binding initialised with one."""
    node = unwrap(node) or node
    if node.type == "call_expression":
        _, name = callee_parts(node)
        return name in CHILD_PROCESS_FACTORIES
    if node.type == "identifier":
        binding = model.binding_of(node)
        if binding is None or binding.destructured or binding.init is None or depth > _MAX_DEPTH:
            return False
        return _is_child_process(model, binding.init, depth + 1)
    return False


def _binding_origin(model: SemanticModel, binding: Binding, depth: int) -> StreamInfo | None:
    if binding.kind is BindingKind.PARAM:
        return _param_origin(model, binding)
    if binding.destructured:
        return None
    if binding.init is None:
        return _assigned_origin(model, binding, depth)
    return _origin(model, binding.init, depth + 1)


def _assigned_origin(model: SemanticModel, binding: Binding, depth: int) -> StreamInfo | None:
    """``let gz; … gz = zlib.createGunzip()``: the stream every assignment stores, if one."""
    found: set[StreamInfo] = set()
    for write in binding.writes:
        assignment = write.parent
        if assignment is None or assignment.type != "assignment_expression":
            return None
        origin = _origin(model, assignment.child_by_field_name("right"), depth + 1)
        if origin is None:
            return None
        found.add(origin)
    return found.pop() if len(found) == 1 else None


def _param_origin(model: SemanticModel, binding: Binding) -> StreamInfo | None:
    function: FunctionInfo | None = binding.function
    if function is None or binding.destructured:
        return None
    index = function.params.index(binding) if binding in function.params else -1
    pair = tuple(function.param_names[:2])
    if has_handler_params(function) and pair in _STREAM_HANDLER_PAIRS and index in (0, 1):
        return _http_message(f"the HTTP {'request' if index == 0 else 'response'}", binding)
    declared = declared_http_message(model, binding)
    if declared is not None:
        return _http_message(f"the HTTP {declared}", binding)
    call = function.callback_of
    if call is None or index != 0:
        return None
    # ``http.get(url, (response) => …)`` and ``req.on('response', (response) => …)``.
    if call.name in ("get", "request") and _from_module(
        model, call.obj, frozenset({"http", "https"})
    ):
        return _http_message("the HTTP response", binding)
    if call.name in ("on", "once") and call.args and string_value(call.args[0]) == "response":
        return _http_message("the HTTP response", binding)
    return None


def declared_http_message(model: SemanticModel, binding: Binding) -> str | None:
    """``"response"`` for a parameter declared ``res: Response`` with ``Response`` imported
    from ``express`` (``HTTP_MESSAGE_TYPES``), ``"request"`` for a request type, else None."""
    declarator = binding.declarator
    annotation = declarator.child_by_field_name("type") if declarator is not None else None
    if annotation is None or annotation.type != "type_annotation" or not annotation.named_children:
        return None
    named = annotation.named_children[0]
    if named.type == "type_identifier":
        local, member = text(named), None
    elif named.type == "nested_type_identifier":  # ``express.Response``
        local, member = text(named.named_children[0]), text(named.named_children[-1])
    else:
        return None
    imported = model.facts.module_scope.bindings.get(local)
    source = module_name(imported.module_source) if imported is not None else None
    if imported is None or source is None:
        return None
    name = imported_name(imported) if member is None else member
    return HTTP_MESSAGE_TYPES.get((source, name or ""))


def _http_message(what: str, binding: Binding) -> StreamInfo:
    """The request or response of a handler, or an upstream response: an HTTP message on a
    socket, which stops quietly when its peer goes away."""
    return StreamInfo(f"{what} `{binding.name}`", handle=True, incoming=True, named=True)


def listens_for_errors(model: SemanticModel, node: Node | None) -> bool:
    """Whether the stream ``node`` names (a local, a field) gets an ``'error'`` listener
    anywhere in the file. Without one, a failure of that stream is thrown as an uncaught
    exception instead of leaving its pipe's destination open."""
    place = place_of(model, unwrap(node))
    if place is None:
        return False
    for call in model.calls_named("on", "once", "addListener", "prependListener"):
        if (
            call.args
            and string_value(call.args[0]) == "error"
            and call.obj is not None
            and place_of(model, unwrap(call.obj)) == place
        ):
            return True
    return False
