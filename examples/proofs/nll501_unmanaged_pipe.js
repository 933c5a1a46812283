#!/usr/bin/env node
// NLL501 unmanaged-pipe: runtime proof with a real HTTP server on 127.0.0.1.
//
// Premise (SPEC §2 NLL501): `fs.createReadStream(p).pipe(res)` in a route
// handler: when the client disconnects early, `.pipe()` merely unpipes; it
// does not destroy the source, so the file stream is left paused with its
// file descriptor open (fs.ReadStream has no finalizer that closes it, even
// after the stream object itself is garbage-collected). `stream.pipeline(src,
// res, cb)` destroys the source when the response closes, and the fd is closed.
//
// Each phase serves a 16 MiB temp file N times to a client that reads the
// first chunk and then disconnects. Measured: open fds of the process
// (/proc/self/fd), before and after, once every response has emitted 'close'.
// Client and server share the process; client sockets are closed before the
// "after" count, so only server-side leftovers remain.
//
// Second premise (hand-written pipes and upstream requests): a handler that
// copies an upstream response to the client by hand (`up.on('data', c =>
// res.write(c))`, a `fetch` body read with `getReader()`) keeps the upstream
// connection open after the client disconnects, while the `pipeline()` /
// `signal` twin closes it. And an upstream request stopped only from the
// client request's 'aborted' event stays open once the request body has been
// read: Node emits 'aborted' only while the body is unread.
//
// Each of those phases runs a loopback upstream server (127.0.0.1) that
// streams 4 KiB every 5 ms for at most UPSTREAM_MS, a proxy server with the
// handler under test, and N clients that read one chunk and disconnect.
// Measured: upstream responses still open (started, not closed) once every
// client has gone.
//
// Run: node --expose-gc examples/proofs/nll501_unmanaged_pipe.js
'use strict';
const { sleep, fullGC, openFds, delta, main } = require('./harness');

const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { PassThrough, Readable, pipeline } = require('node:stream');

const N = 20; // early-disconnecting requests per phase
const FILE_BYTES = 16 * 1024 * 1024;

// FLAGGED handler.
function serveFlagged(file, _req, res) {
  res.writeHead(200, { 'content-type': 'application/octet-stream' });
  fs.createReadStream(file).pipe(res);
}

// FIXED handler.
function serveFixed(file, _req, res) {
  res.writeHead(200, { 'content-type': 'application/octet-stream' });
  pipeline(fs.createReadStream(file), res, () => {
    // ERR_STREAM_PREMATURE_CLOSE when the client went away: expected
  });
}

// One request whose client reads the first chunk and hangs up.
function requestAndDisconnect(port) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/file', agent: false }, (res) => {
      res.once('data', () => {
        req.destroy(); // the client disconnects mid-transfer
      });
    });
    req.on('error', () => {}); // ECONNRESET etc. after our own destroy
    req.on('close', resolve);
    req.setTimeout(5000, () => reject(new Error('client timeout')));
  });
}

async function measure(handler) {
  const file = process.env.NLL501_FILE;
  const liveStreams = []; // WeakRefs only: must not keep streams alive
  let closedResponses = 0;
  const server = http.createServer((req, res) => {
    res.on('close', () => closedResponses++);
    handler(file, req, res);
  });
  // Track the read streams the handler creates, without retaining them.
  const realCreate = fs.createReadStream;
  fs.createReadStream = (...args) => {
    const s = realCreate(...args);
    liveStreams.push(new WeakRef(s));
    return s;
  };
  server.keepAliveTimeout = 0;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();

  await requestAndDisconnect(port); // warm up before the baseline
  await waitFor(() => closedResponses === 1);
  await sleep(50);
  await fullGC();
  const fd0 = openFds();
  for (let i = 0; i < N; i++) await requestAndDisconnect(port);
  await waitFor(() => closedResponses === N + 1);
  await sleep(100); // let destroy()/close() callbacks run
  const tracked = liveStreams.slice(1).map((w) => w.deref()).filter(Boolean);
  const destroyedBeforeGC = tracked.filter((s) => s.destroyed).length;
  tracked.length = 0;
  await fullGC();
  const fd1 = openFds();
  const alive = liveStreams.slice(1).map((w) => w.deref()).filter(Boolean);
  const result = delta(fd0, fd1, {
    responses_closed: closedResponses - 1,
    streams_destroyed: destroyedBeforeGC,
    streams_alive_after_gc: alive.length,
  });
  server.close();
  fs.createReadStream = realCreate;
  return result;
}

async function waitFor(cond, ms = 5000) {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('timed out waiting for responses to close');
    await sleep(5);
  }
}

// ---------------------------------------------------------------------------
// Upstream requests that outlive the client.

const UPSTREAM_N = 20;
const UPSTREAM_MS = 10_000; // the upstream stops streaming on its own after this

// FLAGGED: the upstream response copied to the client by hand.
function handFlagged(upstreamUrl, _req, res) {
  http.get(upstreamUrl, (upstream) => {
    upstream.on('data', (chunk) => res.write(chunk));
    upstream.on('end', () => res.end());
  });
}

// FIXED: pipeline() destroys the upstream response when `res` closes.
function handFixed(upstreamUrl, _req, res) {
  http.get(upstreamUrl, (upstream) => {
    pipeline(upstream, res, () => {});
  });
}

// FLAGGED: a fetch body read with getReader() and written to the client.
async function fetchFlagged(upstreamUrl, _req, res) {
  const upstream = await fetch(upstreamUrl);
  const reader = upstream.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      res.write(value);
    }
    res.end();
  } catch {
    // the stream ended badly: nothing to report here
  }
}

// FIXED: the same loop, with the fetch aborted when the client's response closes.
async function fetchFixed(upstreamUrl, _req, res) {
  const controller = new AbortController();
  res.on('close', () => controller.abort());
  try {
    const upstream = await fetch(upstreamUrl, { signal: controller.signal });
    const reader = upstream.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      res.write(value);
    }
    res.end();
  } catch {
    // AbortError once the client has gone: expected
  }
}

// FIXED the other way: pipeline() of the web body cancels the fetch.
async function fetchPipeline(upstreamUrl, _req, res) {
  const upstream = await fetch(upstreamUrl);
  pipeline(Readable.fromWeb(upstream.body), res, () => {});
}

// FLAGGED: the request body has been read (as a body parser or `req.pipe` does), and the
// upstream request is stopped only from 'aborted'.
function abortedFlagged(upstreamUrl, req, res) {
  req.resume();
  const upstreamReq = http.get(upstreamUrl, (upstream) => upstream.pipe(res));
  req.on('aborted', () => upstreamReq.destroy());
}

// CONTROL: the same 'aborted' listener while the request body is still unread: Node does
// emit 'aborted' then, and the upstream request is stopped.
function abortedUnread(upstreamUrl, req, res) {
  const upstreamReq = http.get(upstreamUrl, (upstream) => upstream.pipe(res));
  req.on('aborted', () => upstreamReq.destroy());
}

// FIXED: stopped from the response's 'close' instead.
function abortedFixed(upstreamUrl, req, res) {
  req.resume();
  const upstreamReq = http.get(upstreamUrl, (upstream) => upstream.pipe(res));
  res.on('close', () => {
    if (!res.writableFinished) upstreamReq.destroy();
  });
}

async function measureUpstream(handler) {
  // Upstream responses still being served: started and not yet closed. (Idle keep-alive
  // sockets that undici's pool keeps after an aborted fetch carry no response and are
  // not counted; they close on the pool's own idle timeout.)
  let open = 0;
  let served = 0;
  const upstreamServer = http.createServer((_req, res) => {
    served++;
    open++;
    res.on('close', () => open--);
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    const chunk = Buffer.alloc(4 * 1024, 7);
    const started = Date.now();
    res.write(chunk); // the first chunk at once, so that clients can leave early
    const timer = setInterval(() => {
      if (res.destroyed || Date.now() - started > UPSTREAM_MS) {
        clearInterval(timer);
        res.end();
        return;
      }
      res.write(chunk);
    }, 5);
    res.on('close', () => clearInterval(timer));
  });
  await new Promise((resolve) => upstreamServer.listen(0, '127.0.0.1', resolve));
  const upstreamUrl = `http://127.0.0.1:${upstreamServer.address().port}/stream`;

  let closedResponses = 0;
  const proxy = http.createServer((req, res) => {
    res.on('close', () => closedResponses++);
    handler(upstreamUrl, req, res);
  });
  proxy.keepAliveTimeout = 0;
  await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address();

  const before = open;
  const clients = [];
  for (let i = 0; i < UPSTREAM_N; i++) clients.push(requestAndDisconnect(port));
  await Promise.all(clients);
  await waitFor(() => closedResponses === UPSTREAM_N);
  await sleep(Number(process.env.NLL501_SETTLE_MS || 200)); // let aborts reach the upstream
  return delta(before, open, { upstream_requests: served, responses_closed: closedResponses });
}

// Third premise (which way a pipe's destination is left open): an upload spooled with
// `req.pipe(out)` whose author destroys `req` when the file closes. A client that goes away
// mid-upload makes `req` close without 'end' and without an error (an IncomingMessage
// emits 'error' only when something listens), so `out` is never ended and its file
// descriptor stays open. `pipeline(req, out)` closes it. A file read stream that fails with
// no 'error' listener is different: its error is thrown as an uncaught exception, so the
// process stops rather than leave its destination open.

// FLAGGED: the source is torn down when the file closes, not the file when the source stops.
function spoolFlagged(file, req, res) {
  const out = fs.createWriteStream(file);
  out.on('close', () => req.destroy());
  req.pipe(out);
  req.on('end', () => res.end('ok'));
}

// FIXED: pipeline() destroys `out` when `req` is aborted.
function spoolFixed(file, req, res) {
  pipeline(req, fs.createWriteStream(file), () => res.end('ok'));
}

// One upload whose client sends a first chunk of a 1 MiB body and hangs up.
function uploadAndDisconnect(port) {
  return new Promise((resolve) => {
    const req = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/upload',
      agent: false,
      headers: { 'content-length': 1024 * 1024 },
    });
    req.on('error', () => {}); // ECONNRESET after our own destroy
    req.on('close', resolve);
    req.write(Buffer.alloc(4 * 1024, 7), () => setTimeout(() => req.destroy(), 20));
  });
}

async function measureSpool(handler) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nll501-spool-'));
  let closedRequests = 0;
  let count = 0;
  const server = http.createServer((req, res) => {
    req.on('close', () => closedRequests++);
    handler(path.join(dir, `upload-${count++}.bin`), req, res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await fullGC();
  const before = openFds();
  const clients = [];
  for (let i = 0; i < N; i++) clients.push(uploadAndDisconnect(port));
  await Promise.all(clients);
  await waitFor(() => closedRequests === N);
  await sleep(100);
  await fullGC();
  const after = openFds();
  return delta(before, after, { requests_closed: closedRequests });
}

// A failed read with no 'error' listener: the error is thrown (an uncaught exception).
async function failedReadThrows() {
  let thrown = null;
  process.once('uncaughtException', (err) => {
    thrown = err.code;
  });
  const sink = new PassThrough();
  sink.resume();
  fs.createReadStream(path.join(os.tmpdir(), 'nll501-missing-file')).pipe(sink);
  await waitFor(() => thrown !== null, 2000).catch(() => {});
  return { thrown: thrown !== null ? 1 : 0, code: thrown, sink_ended: sink.writableEnded ? 1 : 0 };
}

// Fourth premise (a chain handed back to the caller): `return src.pipe(new PassThrough())`
// gives the caller only the last stage. When the caller destroys it (its own pipeline into
// a response that closed does), the source is unpiped but not destroyed: its file
// descriptor stays open. `return pipeline(src, pass, cb)` destroys the source with it.
function handedBackFlagged(file) {
  return fs.createReadStream(file).pipe(new PassThrough());
}

function handedBackFixed(file) {
  return pipeline(fs.createReadStream(file), new PassThrough(), () => {});
}

async function measureHandedBack(make) {
  const file = process.env.NLL501_FILE;
  await fullGC();
  const before = openFds();
  for (let i = 0; i < N; i++) {
    const stage = make(file);
    await new Promise((resolve) => stage.once('data', resolve));
    stage.destroy(); // the caller is done with what it was given
  }
  await sleep(100);
  await fullGC();
  return delta(before, openFds());
}

// Fifth premise (an 'error' listener that only logs): the listener keeps the failure from
// being thrown, so nothing stops and nothing ends the response either. A read that fails
// (a missing file) leaves every response open, with its socket, for as long as the client
// waits; the twin whose listener destroys the response leaves none.
function swallowedFlagged(file, _req, res) {
  const src = fs.createReadStream(file);
  src.on('error', (err) => void err.code); // logged, and nothing else
  res.on('close', () => src.destroy());
  src.pipe(res);
}

function swallowedFixed(file, _req, res) {
  const src = fs.createReadStream(file);
  src.on('error', (err) => res.destroy(err));
  res.on('close', () => src.destroy());
  src.pipe(res);
}

async function measureSwallowed(handler) {
  const missing = path.join(os.tmpdir(), 'nll501-missing-file');
  let open = 0;
  const server = http.createServer((req, res) => {
    open++;
    res.on('close', () => open--);
    handler(missing, req, res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const clients = [];
  const waits = [];
  for (let i = 0; i < N; i++) {
    waits.push(
      new Promise((resolve) => {
        const req = http.get({ host: '127.0.0.1', port, path: '/', agent: false }, (r) => {
          r.resume();
          r.on('close', resolve);
        });
        req.on('error', resolve); // the fixed twin resets the connection
        clients.push(req);
      }),
    );
  }
  // Clients that wait half a second: long enough for every read to fail.
  await Promise.race([Promise.all(waits), sleep(500)]);
  const stillOpen = open;
  for (const req of clients) req.destroy();
  await waitFor(() => open === 0, 2000).catch(() => {});
  server.close();
  return { before: 0, after: stillOpen, growth: stillOpen };
}

// A RESPONSE NEVER READ: `http.request(url, (response) => resolve(response.statusCode))`.
// Node keeps the response's data, and the socket it arrives on, until the body is read, so
// every call leaves one more socket open (both ends are in this process: two fds per call).
// The 256 KiB body does not fit in the socket's buffers, so the server never finishes and
// never drops the connection; a small body holds the socket until the server's idle
// timeout (5 s for a Node server) closes it.
// Fixed: `response.resume()` discards the body and the keep-alive socket is reused.
async function unreadResponses(consume) {
  const payload = Buffer.alloc(256 * 1024, 1);
  const server = http.createServer((_req, res) => res.end(payload));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const before = openFds();
  for (let i = 0; i < N; i++) {
    await new Promise((resolve) => {
      const req = http.request({ port, host: '127.0.0.1', path: '/' }, (response) => {
        if (consume) response.resume();
        resolve(response.statusCode);
      });
      req.on('error', resolve);
      req.end();
    });
  }
  await sleep(300);
  await fullGC();
  const after = openFds();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  return delta(before, after);
}

// ERROR BODIES LEFT UNREAD: a wrapper handed a URL by its callers, `const res = await
// fetch(url); if (!res.ok) throw …; return res.json()`. Node's fetch (undici) buffers a small
// body whole and reuses the connection; a larger one (about 16 KiB and up) keeps its
// connection, and both ends of the socket, until the body is read or cancelled, and garbage
// collection does not give it back. The server here keeps idle connections for a minute
// (Node's default is 5 s; after it they close: measured, gone after 7 s).
// The fixed wrapper cancels the body on the error path. The control phase sends 4 KiB error
// bodies to the flagged wrapper: they cost nothing, which is why the rule judges only
// wrappers whose callers choose the URL (the body may be of any size).
async function errorBodies(bodyBytes, cancel) {
  const payload = Buffer.alloc(bodyBytes, 'x');
  const server = http.createServer((_req, res) => {
    res.statusCode = 500;
    res.end(payload);
  });
  server.keepAliveTimeout = 60_000; // longer than the phase: an idle timeout would close them
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/`;
  async function callApi(target) {
    const res = await fetch(target);
    if (!res.ok) {
      if (cancel) await res.body?.cancel();
      throw new Error(`HTTP ${res.status}`);
    }
    return res.json();
  }
  await callApi(url).catch(() => {}); // warm up before the baseline
  await sleep(100);
  await fullGC();
  const before = openFds();
  for (let i = 0; i < N; i++) await callApi(url).catch(() => {});
  await sleep(300);
  await fullGC();
  await sleep(100);
  const after = openFds();
  const connections = await new Promise((resolve) =>
    server.getConnections((_err, n) => resolve(n)),
  );
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  return delta(before, after, { server_connections: connections });
}

// A SECOND DESTINATION: `archive.pipe(res); archive.pipe(file)`. When the client stops
// reading and its response is destroyed, the source is only unpiped from it and keeps
// flowing into the file, which reads it to the end: nothing is left open (not reported).
function secondDestination() {
  const { Readable: R, Writable: W } = require('node:stream');
  return new Promise((resolve) => {
    let chunks = 0;
    const source = new R({
      read() {
        this.push(chunks++ < 2000 ? Buffer.alloc(16384) : null);
      },
    });
    const client = new W({ highWaterMark: 1024, write() {} }); // stops reading
    let copied = 0;
    const file = new W({
      write(chunk, _enc, cb) {
        copied += chunk.length;
        setImmediate(cb);
      },
    });
    source.pipe(client);
    source.pipe(file);
    setTimeout(() => client.destroy(), 50);
    const done = (ended) => resolve({ source_ended: ended ? 1 : 0, copied_mb: copied / 1048576 });
    source.on('end', () => done(true));
    setTimeout(() => done(false), 5000);
  });
}

// SHARED DESTINATION: a source per connection piped into one long-lived destination with
// `{ end: false }`. A source that ends is unpiped by Node; one destroyed with an error first
// is not, and the destination keeps its 'unpipe', 'error', 'close' and 'finish' listeners
// (closures over the source) for as long as it lives. The fixed code unpipes on failure.
async function sharedDestination(unpipeOnFailure) {
  const { PassThrough: P, Writable: W } = require('node:stream');
  const shared = new W({ write(_chunk, _enc, cb) { cb(); } });
  shared.setMaxListeners(0);
  const count = () =>
    ['unpipe', 'error', 'close', 'finish'].reduce((n, e) => n + shared.listenerCount(e), 0);
  const before = count();
  for (let i = 0; i < N; i++) {
    const source = new P();
    source.on('error', () => {});
    source.pipe(shared, { end: false });
    source.write(Buffer.alloc(1024));
    if (unpipeOnFailure) source.unpipe();
    source.destroy(new Error('connection reset'));
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  await fullGC();
  return { before, after: count(), growth: count() - before };
}

const phases = {
  flagged: () => measure(serveFlagged),
  fixed: () => measure(serveFixed),
  hand_flagged: () => measureUpstream(handFlagged),
  hand_fixed: () => measureUpstream(handFixed),
  fetch_flagged: () => measureUpstream(fetchFlagged),
  fetch_fixed: () => measureUpstream(fetchFixed),
  fetch_pipeline: () => measureUpstream(fetchPipeline),
  aborted_flagged: () => measureUpstream(abortedFlagged),
  aborted_fixed: () => measureUpstream(abortedFixed),
  aborted_unread: () => measureUpstream(abortedUnread),
  spool_flagged: () => measureSpool(spoolFlagged),
  spool_fixed: () => measureSpool(spoolFixed),
  failed_read: () => failedReadThrows(),
  handed_back_flagged: () => measureHandedBack(handedBackFlagged),
  handed_back_fixed: () => measureHandedBack(handedBackFixed),
  swallowed_flagged: () => measureSwallowed(swallowedFlagged),
  swallowed_fixed: () => measureSwallowed(swallowedFixed),
  second_destination: () => secondDestination(),
  unread_flagged: () => unreadResponses(false),
  unread_fixed: () => unreadResponses(true),
  shared_flagged: () => sharedDestination(false),
  shared_fixed: () => sharedDestination(true),
  error_body_flagged: () => errorBodies(64 * 1024, false),
  error_body_fixed: () => errorBodies(64 * 1024, true),
  error_body_small: () => errorBodies(4 * 1024, false),
};

async function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nll501-'));
  const file = path.join(dir, 'big.bin');
  fs.writeFileSync(file, Buffer.alloc(FILE_BYTES, 7));
  return {
    env: { NLL501_FILE: file },
    teardown: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

function line(label, r) {
  return (
    `${label.padEnd(44)} open fds ${r.before} -> ${r.after} (+${r.growth}) after ` +
    `${r.responses_closed} closed responses; read streams destroyed: ${r.streams_destroyed}/${N}, ` +
    `still reachable after GC: ${r.streams_alive_after_gc}`
  );
}

function upstreamLine(label, r) {
  return (
    `${label.padEnd(44)} open upstream responses ${r.before} -> ${r.after} ` +
    `(+${r.growth}) after ${r.responses_closed} clients left`
  );
}

function spoolLine(label, r) {
  return (
    `${label.padEnd(44)} open fds ${r.before} -> ${r.after} (+${r.growth}) after ` +
    `${r.requests_closed} aborted uploads`
  );
}

main({
  rule: 'NLL501',
  title: `fs.createReadStream(file).pipe(res), client disconnects early (${N} requests)`,
  metric: 'open file descriptors of the server process (/proc/self/fd)',
  n: N,
  phases,
  setup,
  report: (r) => [
    line('flagged: createReadStream(f).pipe(res)', r.flagged),
    line('fixed:   pipeline(createReadStream(f), res)', r.fixed),
    'note: with .pipe() the un-destroyed ReadStream objects are garbage-collected, but',
    '      fs.ReadStream has no finalizer: their file descriptors stay open for good.',
    `upstream requests, ${UPSTREAM_N} clients that read one chunk and leave:`,
    upstreamLine("flagged: up.on('data', c => res.write(c))", r.hand_flagged),
    upstreamLine('fixed:   pipeline(up, res)', r.hand_fixed),
    upstreamLine('flagged: fetch() + getReader() loop', r.fetch_flagged),
    upstreamLine("fixed:   signal aborted on res 'close'", r.fetch_fixed),
    upstreamLine('fixed:   pipeline(Readable.fromWeb(body))', r.fetch_pipeline),
    upstreamLine("flagged: body read, stopped on 'aborted'", r.aborted_flagged),
    upstreamLine("fixed:   stopped on res 'close'", r.aborted_fixed),
    upstreamLine("control: body unread, stopped on 'aborted'", r.aborted_unread),
    `uploads, ${N} clients that send 4 KiB of a 1 MiB body and leave:`,
    spoolLine("flagged: req.pipe(out) + out 'close' -> req", r.spool_flagged),
    spoolLine('fixed:   pipeline(req, out)', r.spool_fixed),
    `failed read, no 'error' listener: thrown as an uncaught exception ${r.failed_read.thrown} ` +
      `(${r.failed_read.code}), destination ended ${r.failed_read.sink_ended}`,
    `chains handed back, ${N} callers that destroy the stage they get:`,
    `  flagged: return src.pipe(pass)              open fds ${r.handed_back_flagged.before} -> ` +
      `${r.handed_back_flagged.after} (+${r.handed_back_flagged.growth})`,
    `  fixed:   return pipeline(src, pass, cb)     open fds ${r.handed_back_fixed.before} -> ` +
      `${r.handed_back_fixed.after} (+${r.handed_back_fixed.growth})`,
    `failed reads, ${N} clients that wait 500 ms:`,
    `  flagged: 'error' listener that only logs    responses still open ${r.swallowed_flagged.after}`,
    `  fixed:   'error' listener destroys res      responses still open ${r.swallowed_fixed.after}`,
    `responses never read, ${N} requests:`,
    `  flagged: callback reads statusCode only      open fds ${r.unread_flagged.before} -> ` +
      `${r.unread_flagged.after} (+${r.unread_flagged.growth})`,
    `  fixed:   response.resume()                  open fds ${r.unread_fixed.before} -> ` +
      `${r.unread_fixed.after} (+${r.unread_fixed.growth})`,
    `sources piped into one shared destination with { end: false }, ${N} that fail:`,
    `  flagged: never unpiped                      listeners on the destination ` +
      `${r.shared_flagged.before} -> ${r.shared_flagged.after} (+${r.shared_flagged.growth})`,
    `  fixed:   unpiped on failure                 listeners on the destination ` +
      `${r.shared_fixed.before} -> ${r.shared_fixed.after} (+${r.shared_fixed.growth})`,
    `error bodies left unread by a fetch wrapper, ${N} failed calls:`,
    `  flagged: throw on !res.ok, 64 KiB bodies    open fds ${r.error_body_flagged.before} -> ` +
      `${r.error_body_flagged.after} (+${r.error_body_flagged.growth}), server connections ` +
      `${r.error_body_flagged.server_connections}`,
    `  fixed:   res.body.cancel() first            open fds ${r.error_body_fixed.before} -> ` +
      `${r.error_body_fixed.after} (+${r.error_body_fixed.growth}), server connections ` +
      `${r.error_body_fixed.server_connections}`,
    `  control: throw on !res.ok, 4 KiB bodies     open fds ${r.error_body_small.before} -> ` +
      `${r.error_body_small.after} (+${r.error_body_small.growth}), server connections ` +
      `${r.error_body_small.server_connections}`,
    `second destination (not reported): source ended ${r.second_destination.source_ended}, ` +
      `${r.second_destination.copied_mb} MiB copied to the file after the client left`,
  ],
  extra: (r) => ({
    upstream: {
      n: UPSTREAM_N,
      hand: { flagged: r.hand_flagged, fixed: r.hand_fixed },
      fetch: { flagged: r.fetch_flagged, fixed: r.fetch_fixed, pipeline: r.fetch_pipeline },
      aborted: { flagged: r.aborted_flagged, fixed: r.aborted_fixed, unread: r.aborted_unread },
    },
    spool: { flagged: r.spool_flagged, fixed: r.spool_fixed },
    failed_read: r.failed_read,
    handed_back: { flagged: r.handed_back_flagged, fixed: r.handed_back_fixed },
    swallowed: { flagged: r.swallowed_flagged, fixed: r.swallowed_fixed },
    second_destination: r.second_destination,
    unread: { flagged: r.unread_flagged, fixed: r.unread_fixed },
    shared_destination: { flagged: r.shared_flagged, fixed: r.shared_fixed },
    error_body: {
      flagged: r.error_body_flagged,
      fixed: r.error_body_fixed,
      small: r.error_body_small,
    },
  }),
});
