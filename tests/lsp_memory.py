"""Open, check and close documents in an in-process language server; print what stayed.

Run as ``python tests/lsp_memory.py PROJECT`` by ``test_lsp.py``: a fresh interpreter, so
resident memory is this server's, not the test process's.
"""

from __future__ import annotations

import gc
import json
import sys
from pathlib import Path

from pygls.uris import from_fs_path

from nodeleaklint import lsp

LEAKY = (
    "const bus = require('./bus');\nfunction setup() {\n  bus.setMaxListeners(0);\n"
    "app.get(r, () => bus.on(e, f));\n}\n"
)


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


class Sink:
    """Where the server writes its messages."""

    def __init__(self) -> None:
        self.messages: list[dict[str, object]] = []

    def write(self, data: bytes) -> None:
        self.messages.append(json.loads(data))


def main(project: Path) -> dict[str, int]:
    server = lsp.create_server()
    sink = Sink()
    server.protocol.set_writer(sink, include_headers=False)

    def receive(message: dict[str, object]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message})
        structure = server.protocol.structure_message
        server.protocol.handle_message(json.loads(body, object_hook=structure))

    receive({"id": 1, "method": "initialize", "params": {"capabilities": {}, "processId": None}})
    receive({"method": "initialized", "params": {}})
    text = LEAKY + "".join(f"const value{n} = [{n}, 'some text {n}'];\n" for n in range(400))

    def cycle(start: int, count: int) -> int:
        for number in range(start, start + count):
            uri = from_fs_path(str(project / "src" / f"doc{number}.js"))
            item = {"uri": uri, "languageId": "javascript", "version": 1, "text": text}
            receive({"method": "textDocument/didOpen", "params": {"textDocument": item}})
            receive({"method": "textDocument/didClose", "params": {"textDocument": {"uri": uri}}})
        method = "textDocument/publishDiagnostics"
        published = sum(1 for m in sink.messages if m.get("method") == method)
        sink.messages.clear()
        return published

    cycle(0, 50)  # warm up: grammars, queries, allocator arenas
    gc.collect()
    rss, blocks = rss_kib(), sys.getallocatedblocks()
    published = cycle(50, 200)
    gc.collect()
    return {
        "published": published,
        "blocks": sys.getallocatedblocks() - blocks,
        "rss_kib": rss_kib() - rss,
        "open_documents": len(server.workspace.text_documents),
        "pending": len(server.pending),
        "futures": len(server.protocol._request_futures),
    }


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]))))
