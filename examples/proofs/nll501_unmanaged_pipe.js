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
// Run: node --expose-gc examples/proofs/nll501_unmanaged_pipe.js
'use strict';
const { sleep, fullGC, openFds, delta, main } = require('./harness');

const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { pipeline } = require('node:stream');

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

const phases = {
  flagged: () => measure(serveFlagged),
  fixed: () => measure(serveFixed),
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
  ],
});
