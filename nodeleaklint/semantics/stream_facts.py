"""What a recognised Node stream is, as plain data: the words for messages, and the facts
rules decide from (whether it holds an OS handle, whether it is an HTTP message that stops
quietly, whether the words already name the expression). Kept apart from ``streams`` so the
project view can carry it between files without loading the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, repr=False)
class StreamInfo:
    """A recognised Node stream.

    ``handle`` streams (files, sockets, HTTP messages, child-process pipes) stay open in
    libuv until destroyed; in-memory streams (``PassThrough``, zlib, crypto) are collected
    once unreferenced. ``process.stdin/stdout/stderr`` live as long as the process and are
    not per-call handles. ``incoming``: an HTTP message of a handler or an upstream
    response, which stops quietly (closes without ``'end'``, throws nothing) when its peer
    goes away. ``named``: the description names the expression itself (``the HTTP request
    `req```) rather than only its kind (``a zlib stream``).
    """

    description: str
    handle: bool
    incoming: bool = False
    named: bool = False

    def to_data(self) -> list[Any]:
        """JSON-ready form (the project view's summaries and cache keys)."""
        return [self.description, self.handle, self.incoming, self.named]

    @classmethod
    def from_data(cls, data: Any) -> StreamInfo:
        """The stream stored by ``to_data``; raises ``ValueError``/``TypeError`` on other data."""
        description, handle, incoming, named = data
        return cls(str(description), bool(handle), bool(incoming), bool(named))
