"""Responses that stream events until the connection closes (server-sent events).

A request handler that writes ``Content-Type: text/event-stream`` and never ends the
response after that holds its request for as long as the connection: HTTP/1.1 reads the
next request on a connection only once the response before it has ended, so the socket
carries this one request until it closes. What hangs off ``req.socket`` then lives as long
as the request, not as long as a keep-alive connection serving many.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nodeleaklint.semantics.scopes import FunctionInfo
from nodeleaklint.semantics.syntax import unwrap
from nodeleaklint.semantics.vocabulary import EVENT_STREAM_TYPE, RESPONSE_END_METHODS

if TYPE_CHECKING:
    from nodeleaklint.semantics.model import SemanticModel


def streams_until_closed(model: SemanticModel, handler: FunctionInfo) -> bool:
    """Whether ``handler`` starts an event stream (a call in it names the
    ``text/event-stream`` type: ``res.writeHead(200, {'Content-Type': …})``,
    ``res.setHeader(…)``) and nothing in it ends one of its parameters after that (``end``,
    ``send``, ``json``… on ``res``; ending it before, on a path that answers an error, is
    fine). A response handed to another function is taken not to be ended there."""
    key = f"event_stream:{handler.node.id}"
    cached = model.cache.get(key)
    if isinstance(cached, bool):
        return cached
    found = model.cache[key] = _streams_until_closed(model, handler)
    return found


def _streams_until_closed(model: SemanticModel, handler: FunctionInfo) -> bool:
    data = model.source.data
    start, end = handler.node.start_byte, handler.node.end_byte
    if data.find(EVENT_STREAM_TYPE, start, end) < 0:
        return False
    starts = [
        call.node.start_byte
        for call in model.calls
        if start <= call.node.start_byte < end
        and data.find(EVENT_STREAM_TYPE, call.node.start_byte, call.node.end_byte) >= 0
    ]
    if not starts:
        return False
    streamed = min(starts)
    params = handler.params
    for call in model.calls_named(*sorted(RESPONSE_END_METHODS)):
        position = call.node.start_byte
        if not streamed < position < end or call.obj is None:
            continue
        obj = unwrap(call.obj)
        binding = model.binding_of(obj) if obj is not None and obj.type == "identifier" else None
        if binding is not None and binding in params:
            return False
    return True
