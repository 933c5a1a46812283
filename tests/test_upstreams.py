"""Client streams, upstream requests and the stream origins NLL501 added to the model."""

from __future__ import annotations

import json

from nodeleaklint.parsing import Dialect, dialect_for_path, parse
from nodeleaklint.semantics import SemanticModel
from nodeleaklint.semantics.scopes import CallSite
from nodeleaklint.semantics.stream_facts import StreamInfo
from nodeleaklint.semantics.streams import stream_info, stream_origin
from nodeleaklint.semantics.syntax import text
from nodeleaklint.semantics.unread_bodies import unread_bodies
from nodeleaklint.semantics.upstreams import (
    client_stream,
    result_binding,
    upstream_bodies,
    upstream_calls,
)
from nodeleaklint.source import SourceFile


def build(code: str, path: str = "m.js") -> SemanticModel:
    data = code.encode("utf-8")
    dialect = dialect_for_path(path) or Dialect.JAVASCRIPT
    return SemanticModel.build(SourceFile(path, data), parse(data, dialect), dialect)


def use_call(model: SemanticModel) -> CallSite:
    return next(call for call in model.calls if call.name == "use")


def test_client_streams_are_the_server_side_of_a_handler() -> None:
    model = build(
        """
app.get('/a', (req, res) => use(req, res, req.socket));
server.get('/b', async (request, reply) => use(request.raw, reply.raw, reply));
koa.use(async (ctx, next) => use(ctx.req, ctx.res, ctx.body));
class Ctl extends Controller { show() { use(this.ctx.req, this.ctx.res, this.res); } }
http.get(url, (res) => use(res));
function helper(req, options) { use(req, options.res); }
app.post('/c', (req, res) => { const out = res; use(out); });
"""
    )
    sides = [
        [client_stream(model, arg) for arg in call.args]
        for call in model.calls
        if call.name == "use" and call.obj is None
    ]
    assert sides == [
        ["request", "response", None],
        ["request", "response", None],
        ["request", "response", None],
        ["request", "response", None],
        [None],  # the response of an upstream request is not the client
        [None, None],  # a named function with one `req` parameter is no handler
        ["response"],
    ]


def test_upstream_requests_by_module_and_shape() -> None:
    model = build(
        """
const http = require('http');
const https = require('node:https');
const { request: undiciRequest, fetch: undiciFetch } = require('undici');
const undici = require('undici');
const got = require('got');
const nodeFetch = require('node-fetch');
async function f(secure, client) {
  await fetch(a);
  await undiciRequest(b);
  await undiciFetch(c);
  await undici.request(d);
  got.stream(e);
  nodeFetch(g);
  (secure ? https : http).get(h);
  const lib = secure ? https : http;
  lib.request(i);
  client.fetch(j);
  this.request(k);
  got(l);
}
"""
    )
    found = [(text(u.call.args[0]), u.kind) for u in upstream_calls(model)]
    assert found == [
        ("a", "fetch"),
        ("b", "undici"),
        ("c", "fetch"),
        ("d", "undici"),
        ("e", "got"),
        ("h", "http"),
        ("i", "http"),
    ]


def test_a_local_fetch_is_not_the_global_one() -> None:
    model = build("function fetch(id) { return db.get(id); }\napp.get('/', () => fetch(1));")
    assert upstream_calls(model) == []


def test_node_fetch_default_import_is_an_upstream() -> None:
    model = build("import fetch from 'node-fetch';\nexport const go = () => fetch(u);")
    assert [u.kind for u in upstream_calls(model)] == ["fetch"]


def test_upstream_bodies_follow_the_result() -> None:
    model = build(
        """
async function f() {
  const r = await fetch(a);
  use(r.body, r.headers);
  const { body, statusCode } = await undiciRequest(b);
  use(body, statusCode);
  const s = got.stream(c);
  s.on('data', x);
  const t = u = await fetch(d);
  use(t.body);
}
const { request: undiciRequest } = require('undici');
const got = require('got');
"""
    )
    upstreams = upstream_calls(model)
    bodies = [[text(node) for node in upstream_bodies(model, u)] for u in upstreams]
    assert bodies == [["r.body"], ["body"], ["s"], ["t.body"]]
    assert text(result_binding(model, upstreams[1].call)) == "{ body, statusCode }"


def test_run_time_module_choice_and_assigned_streams() -> None:
    model = build(
        """
const http = require('http');
const https = require('https');
const zlib = require('zlib');
function f(secure, url) {
  const lib = secure ? https : http;
  const mod = require(secure ? 'https' : 'http');
  const odd = secure ? https : other;
  let gz;
  gz = zlib.createGunzip();
  let either;
  either = zlib.createGzip();
  either = somethingElse();
  use(lib.request(url), mod.get(url), odd.request(url), gz, either);
}
"""
    )
    origins = [stream_origin(model, arg) for arg in use_call(model).args]
    assert origins == [
        "an HTTP client request",
        "an HTTP client request",
        None,  # one branch is not an HTTP module
        "a zlib stream",
        None,  # assigned two different things
    ]


def test_this_ctx_streams_are_http_messages() -> None:
    model = build(
        """
class Ctl extends Controller {
  async show() { use(this.ctx.req, this.ctx.res, this.ctx.body, this.req); }
}
""",
        "c.ts",
    )
    origins = [stream_origin(model, arg) for arg in use_call(model).args]
    assert origins == [
        "the HTTP request `this.ctx.req`",
        "the HTTP response `this.ctx.res`",
        None,
        None,
    ]


def test_what_a_stream_holds_comes_from_how_it_was_made() -> None:
    """Whether a stream holds an OS handle, and whether it is an HTTP message that stops
    quietly, are set by the table row or shape that recognised it, not read from its words."""
    model = build(
        """
const fs = require('fs');
const net = require('net');
const zlib = require('zlib');
const { spawn } = require('child_process');
app.get('/a', (req, res) => {
  const child = spawn('ls');
  use(fs.createReadStream(p), net.connect(1), zlib.createGzip(), child.stdout,
      process.stdin, req, res.socket, msg.createReadStream(), new PassThrough());
});
"""
    )
    infos = [stream_info(model, arg) for arg in use_call(model).args]
    held = [(i.handle, i.incoming, i.named) if i is not None else None for i in infos]
    assert held == [
        (True, False, False),  # a file read stream
        (True, False, False),  # a socket
        (False, False, False),  # zlib: in memory
        (True, False, True),  # the child process stream `child.stdout`
        (False, False, True),  # `process.stdin` lives as long as the process
        (True, True, True),  # the HTTP request `req`
        (True, False, True),  # the connection socket `res.socket`
        (False, False, False),  # some read stream
        (False, False, False),  # a `PassThrough` stream
    ]


def test_stream_facts_cross_files_as_data() -> None:
    """The project view carries a returned stream between files as data, facts included."""
    info = StreamInfo("a file read stream", handle=True)
    assert StreamInfo.from_data(json.loads(json.dumps(info.to_data()))) == info


_WRAPPER = """
export async function fetchJson(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return res.json();
}
"""


def test_unread_error_bodies_only_where_callers_choose_the_url() -> None:
    found = unread_bodies(build(_WRAPPER, "m.mjs"))
    assert [(b.url.name, b.entry.name, text(b.exit)[:5]) for b in found] == [
        ("url", "fetchJson", "throw")
    ]
    # the same function, not exported and called in the file with the URL it names
    local = _WRAPPER.replace("export async", "async") + "fetchJson('https://a.example/x');\n"
    assert unread_bodies(build(local, "m.mjs")) == []
    # a URL passed on from an exported function to a function of the file counts, when
    # every call of that function passes one
    inner = _WRAPPER.replace("export async", "async")
    passed = inner + "export const load = (target) => fetchJson(target);\n"
    assert [b.entry.name for b in unread_bodies(build(passed, "m.mjs"))] == ["load"]
    assert unread_bodies(build(passed + "fetchJson('https://a.example/x');\n", "m.mjs")) == []
    # browser code: the browser's fetch manages its own connections
    browser = _WRAPPER + "document.title = 'x';\n"
    assert unread_bodies(build(browser, "m.mjs")) == []
