#!/usr/bin/env node
// NLL602 unclosed-client: runtime proof with real core objects.
//
// Premise (SPEC §2 NLL602): a heavyweight client created per call and never
// closed keeps its connections (sockets, fds) open; closing it in `finally`
// returns to baseline.
//
// Client used: `new http.Agent({ keepAlive: true })` per request (a core
// object, listed by the rule). After the response, the agent parks the socket
// in its free pool (unref'd, so it does not keep the process alive, but still
// open). Without agent.destroy() each call leaves one open socket behind.
// A second pair of phases uses a stand-in for a database client (pg/ioredis
// shape: connect() opens a net.Socket, query(), end()/quit() closes it).
//
// The server runs in a separate child process, so /proc/self/fd of the
// measuring process counts only the client side. Its keepAliveTimeout is 60 s,
// like a database or proxy that keeps idle connections (Node's own HTTP server
// default of 5 s would close idle keep-alive sockets after 5 s and bound
// this particular HTTP leak; a database server does not).
//
// Pooled resources (SPEC §2 NLL602, "Pooled resources are clients too"): a tiny
// in-process pool of POOL_SIZE members stands in for pg/mysql (no database
// needed; its acquire/release contract is theirs: connect() waits while every
// member is checked out). A handler that releases only after its query's await,
// outside finally, loses one member per failed query; once POOL_SIZE queries
// have failed, every later request waits forever (phase pool_flagged). The same
// handler with release() in finally serves every request (pool_fixed). The
// callback form that returns early on a validation error without release()
// exhausts the pool the same way (pool_exit_flagged / pool_exit_fixed). So does
// node-mssql's shape (pool_armed_flagged): a pool of its own calls back from a promise,
// the callback arms the release on a request object and then starts it with
// `connection.execSql(req)`, which throws synchronously (wrong connection state) for every
// other request; a try/catch around the start that releases serves all (pool_armed_fixed).
// A client lent to a helper (`await loadRows(client)`) and released after it, outside
// finally, empties the pool the same way when the helper throws (pool_lent_flagged; in
// finally: pool_lent_fixed). So does a step's completion callback that releases when the
// step succeeds and returns early on its error (pool_step_flagged; released first:
// pool_step_fixed).
//
// File descriptors: `fs.openSync(path, 'w')` whose descriptor is discarded (the
// "truncate a log" idiom) leaves one open fd per call (fd_flagged); closing it
// at once does not (fd_fixed).
//
// Replaced clients (SPEC §1 *Replacement*): one long-lived object whose
// `connect()` stores a new stand-in client in `this.client` each time a
// reconnect runs (an 'error' handler or a retry timer calls it; with ioredis or
// pg an error does not close the old connection). Without closing the old one
// first, every reconnect leaves one more open socket (replaced_flagged); ending
// it before replacing stays flat (replaced_fixed). A client returned by a
// factory and dropped by its caller is the per-call agent above.
//
// Run: node --expose-gc examples/proofs/nll602_unclosed_client.js
'use strict';
const { sleep, fullGC, openFds, countResources, delta, round, main } = require('./harness');

const http = require('node:http');
const net = require('node:net');

const N = 30; // calls per phase

function get(port, agent) {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      })
      .on('error', reject);
  });
}

// FLAGGED: a new keep-alive agent per call, never destroyed.
async function fetchFlagged(port) {
  const agent = new http.Agent({ keepAlive: true });
  await get(port, agent);
}

// FIXED: destroyed in finally.
async function fetchFixed(port) {
  const agent = new http.Agent({ keepAlive: true });
  try {
    await get(port, agent);
  } finally {
    agent.destroy();
  }
}

// Stand-in for a pg / ioredis / mysql client: one TCP connection per client.
class FakeDbClient {
  constructor(port) {
    this.port = port;
    this.socket = null;
  }

  connect() {
    return new Promise((resolve, reject) => {
      this.socket = net.connect(this.port, '127.0.0.1', resolve);
      this.socket.once('error', reject);
    });
  }

  query() {
    // The server speaks HTTP; a keep-alive request stands in for a query.
    return new Promise((resolve) => {
      this.socket.once('data', resolve);
      this.socket.write('GET / HTTP/1.1\r\nHost: db\r\nConnection: keep-alive\r\n\r\n');
    });
  }

  end() {
    return new Promise((resolve) => {
      this.socket.once('close', resolve);
      this.socket.end();
    });
  }
}

// FLAGGED: client per call, never ended.
async function queryFlagged(port) {
  const client = new FakeDbClient(port);
  await client.connect();
  await client.query();
}

// FIXED: client per call, ended in finally.
async function queryFixed(port) {
  const client = new FakeDbClient(port);
  await client.connect();
  try {
    await client.query();
  } finally {
    await client.end();
  }
}

// FLAGGED: a reconnect that replaces the client without closing the old one.
class FeedFlagged {
  constructor(port) {
    this.port = port;
    this.client = null;
  }

  async connect() {
    this.client = new FakeDbClient(this.port);
    await this.client.connect();
  }
}

// FIXED: the old client is ended before it is replaced.
class FeedFixed extends FeedFlagged {
  async connect() {
    if (this.client) await this.client.end();
    this.client = new FakeDbClient(this.port);
    await this.client.connect();
  }
}

function reconnects(Feed) {
  let feed = null;
  return async (port) => {
    feed = feed || new Feed(port);
    await feed.connect(); // what the 'error' handler / retry timer runs
  };
}

// FLAGGED: a helper puts what it opens in a module-level variable (youtube-uploader's
// `browser = await puppeteer.launch()`); the exported function closes it at the end, after
// a step that fails. The next call replaces the variable; the old connection stays open.
let shared = null;
async function openShared(port) {
  shared = new FakeDbClient(port);
  await shared.connect();
}
async function login() {
  throw new Error('login failed');
}
async function uploadFlagged(port) {
  await openShared(port);
  await login();
  await shared.end(); // never reached when login() throws
}

// FIXED: closed in finally.
async function uploadFixed(port) {
  await openShared(port);
  try {
    await login();
  } finally {
    await shared.end();
  }
}

// The caller reports the failure and goes on (a retry loop, a job queue).
const retried = (upload) => (port) => upload(port).catch(() => {});

// WEBASSEMBLY MEMORY: a WebAssembly tokenizer (tiktoken's encoding_for_model()) keeps its
// tables in the module's linear memory. Linear memory only grows (WebAssembly.Memory has
// grow(), nothing shrinks it) and garbage collection never gives it back; free() hands
// the encoder's block back to the module's allocator for the next one. This stand-in
// allocates the way a WebAssembly allocator does: from its free list, else by growing the
// memory. (With tiktoken 1.0.22 itself: 200 encoders never freed, RSS +2.1 GB; freed, +40 MB.)
const PAGES_PER_ENCODER = 16; // 1 MiB
const wasmMemory = new WebAssembly.Memory({ initial: 1, maximum: 4096 });
const freeBlocks = [];
function encodingForModel() {
  const block = freeBlocks.length ? freeBlocks.pop() : wasmMemory.grow(PAGES_PER_ENCODER);
  return { block, encode: (text) => text.length, free: () => freeBlocks.push(block) };
}
async function measureWasm(freeIt) {
  await fullGC();
  const before = wasmMemory.buffer.byteLength / 1048576;
  for (let i = 0; i < N; i++) {
    const tokenizer = encodingForModel(); // per request
    tokenizer.encode('hello');
    if (freeIt) tokenizer.free();
  }
  await fullGC();
  const after = wasmMemory.buffer.byteLength / 1048576;
  return delta(round(before), round(after));
}

async function measure(call) {
  const port = Number(process.env.NLL602_PORT);
  await call(port); // warm up before the baseline
  await sleep(50);
  await fullGC();
  const fd0 = openFds();
  const tcp0 = countResources('TCPSocketWrap');
  for (let i = 0; i < N; i++) await call(port);
  await sleep(100); // let socket close callbacks run
  await fullGC();
  const fd1 = openFds();
  const tcp1 = countResources('TCPSocketWrap');
  return delta(fd0, fd1, { ref_tcp_handles: delta(tcp0, tcp1) });
}

// -- pooled resources ---------------------------------------------------------------------------
const POOL_SIZE = 4;
const REQUESTS = 40; // every other one fails (a bad query, an invalid body)

class TinyPool {
  constructor(size) {
    this.free = Array.from({ length: size }, (_, id) => ({ id }));
    this.waiting = [];
  }

  // Promise form, like pg's pool.connect() / mysql2's getConnection().
  connect() {
    return new Promise((resolve) => this.getConnection((err, conn) => resolve(conn)));
  }

  // Callback form, like mysql's pool.getConnection((err, conn) => …).
  getConnection(cb) {
    const member = this.free.pop();
    if (member) {
      setImmediate(() => cb(null, this.lend(member)));
    } else {
      this.waiting.push(cb);
    }
  }

  lend(member) {
    let returned = false;
    return {
      query: (ok) =>
        new Promise((resolve, reject) =>
          setImmediate(() => (ok ? resolve({ rows: [member.id] }) : reject(new Error('bad query')))),
        ),
      // Callback form, like mysql's connection.query(sql, (err, rows) => …).
      queryCb: (ok, cb) =>
        setImmediate(() => (ok ? cb(null, [member.id]) : cb(new Error('bad query')))),
      release: () => {
        if (returned) return;
        returned = true;
        const next = this.waiting.shift();
        if (next) setImmediate(() => next(null, this.lend(member)));
        else this.free.push(member);
      },
    };
  }
}

// FLAGGED: released after the await, outside finally.
async function handleFlagged(pool, ok) {
  const client = await pool.connect();
  const { rows } = await client.query(ok);
  client.release();
  return rows;
}

// FIXED: released in finally.
async function handleFixed(pool, ok) {
  const client = await pool.connect();
  try {
    return (await client.query(ok)).rows;
  } finally {
    client.release();
  }
}

// FLAGGED (callback form): the validation path returns without release().
function handleCallbackFlagged(pool, ok) {
  return new Promise((resolve, reject) => {
    pool.getConnection((err, connection) => {
      if (err) return reject(err);
      if (!ok) {
        return reject(new Error('invalid body'));
      }
      connection.query(true).then((result) => {
        connection.release();
        resolve(result.rows);
      }, reject);
    });
  });
}

// FIXED (callback form): every return path releases.
function handleCallbackFixed(pool, ok) {
  return new Promise((resolve, reject) => {
    pool.getConnection((err, connection) => {
      if (err) return reject(err);
      if (!ok) {
        connection.release();
        return reject(new Error('invalid body'));
      }
      connection.query(true).then((result) => {
        connection.release();
        resolve(result.rows);
      }, reject);
    });
  });
}

// A helper that only borrows the client: it neither releases nor keeps it.
async function loadRows(client, ok) {
  return (await client.query(ok)).rows;
}

// FLAGGED (lent to a helper): released after the helper returns, outside finally.
async function handleLentFlagged(pool, ok) {
  const client = await pool.connect();
  const rows = await loadRows(client, ok);
  client.release();
  return rows;
}

// FIXED (lent to a helper): released in finally.
async function handleLentFixed(pool, ok) {
  const client = await pool.connect();
  try {
    return await loadRows(client, ok);
  } finally {
    client.release();
  }
}

// FLAGGED (a step's completion callback): released when the query succeeds; when it fails
// the callback returns first (orawrap's buildup scripts, mysql's query callback).
function handleStepFlagged(pool, ok) {
  return new Promise((resolve, reject) => {
    pool.getConnection((err, connection) => {
      if (err) return reject(err);
      connection.queryCb(ok, (qerr, rows) => {
        if (qerr) {
          reject(qerr);
          return;
        }
        connection.release();
        resolve(rows);
      });
    });
  });
}

// FIXED (a step's completion callback): released on both outcomes.
function handleStepFixed(pool, ok) {
  return new Promise((resolve, reject) => {
    pool.getConnection((err, connection) => {
      if (err) return reject(err);
      connection.queryCb(ok, (qerr, rows) => {
        connection.release();
        if (qerr) {
          reject(qerr);
          return;
        }
        resolve(rows);
      });
    });
  });
}

// A pool of the project's own in node-mssql's shape: `acquire(requester, cb)` calls back
// from a promise (`.then(conn => cb(null, conn)).catch(cb)`), `release(conn)` gives back.
// A member runs a request object armed with its completion callback; `execSql(req)` throws
// synchronously when the connection is in the wrong state (tedious: "Requests can only be
// made in the LoggedIn state"), before the work starts.
class OwnPool extends TinyPool {
  acquire(requester, cb) {
    new Promise((resolve) => this.getConnection((err, conn) => resolve(conn)))
      .then((conn) => cb(null, this.member(conn)))
      .catch(cb);
  }

  member(conn) {
    return {
      execSql: (req, ok) => {
        if (!ok) throw new Error('Requests can only be made in the LoggedIn state');
        setImmediate(() => req.done(null));
      },
      release: conn.release,
    };
  }

  release(connection) {
    connection.release();
  }
}

class ArmedRequest {
  constructor(done) {
    this.done = done;
  }
}

// FLAGGED (armed callback): the release is armed on the request; execSql throws first.
function handleArmedFlagged(pool, ok) {
  return new Promise((resolve, reject) => {
    pool.acquire(null, (err, connection) => {
      if (err) return reject(err);
      const req = new ArmedRequest((qerr) => {
        pool.release(connection);
        if (qerr) reject(qerr);
        else resolve();
      });
      connection.execSql(req, ok);
    });
  });
}

// FIXED (the node-mssql fix): a throw from the start gives the connection back.
function handleArmedFixed(pool, ok) {
  return new Promise((resolve, reject) => {
    pool.acquire(null, (err, connection) => {
      if (err) return reject(err);
      const req = new ArmedRequest((qerr) => {
        pool.release(connection);
        if (qerr) reject(qerr);
        else resolve();
      });
      try {
        connection.execSql(req, ok);
      } catch (error) {
        pool.release(connection);
        reject(error);
      }
    });
  });
}

// A request that has not answered within 100 ms is counted as hung (its pool wait never ends).
async function measurePool(handle, Pool = TinyPool) {
  const pool = new Pool(POOL_SIZE);
  let answered = 0;
  let hung = 0;
  for (let i = 0; i < REQUESTS; i++) {
    const outcome = await Promise.race([
      handle(pool, i % 2 === 0).then(
        () => 'ok',
        () => 'error',
      ),
      sleep(100).then(() => 'hung'),
    ]);
    if (outcome === 'hung') hung++;
    else answered++;
    if (hung >= 2) break; // the pool is exhausted: every later request waits too
  }
  return {
    before: 0,
    after: hung,
    growth: hung,
    answered,
    free_members: pool.free.length,
    pool_size: POOL_SIZE,
  };
}

// -- file descriptors -----------------------------------------------------------------------------
const FD_N = 30;

function measureFds(flush) {
  const fs = require('node:fs');
  const os = require('node:os');
  const path = require('node:path');
  const file = path.join(os.tmpdir(), `nll602-proof-${process.pid}.log`);
  flush(fs, file); // warm up
  const fd0 = openFds();
  for (let i = 0; i < FD_N; i++) flush(fs, file);
  const fd1 = openFds();
  fs.rmSync(file, { force: true });
  return delta(fd0, fd1);
}

function flushFlagged(fs, file) {
  fs.openSync(file, 'w'); // truncates, and loses the descriptor
}

function flushFixed(fs, file) {
  fs.closeSync(fs.openSync(file, 'w'));
}

const phases = {
  flagged: () => measure(fetchFlagged),
  fixed: () => measure(fetchFixed),
  standin_flagged: () => measure(queryFlagged),
  standin_fixed: () => measure(queryFixed),
  replaced_flagged: () => measure(reconnects(FeedFlagged)),
  replaced_fixed: () => measure(reconnects(FeedFixed)),
  helper_flagged: () => measure(retried(uploadFlagged)),
  helper_fixed: () => measure(retried(uploadFixed)),
  wasm_flagged: () => measureWasm(false),
  wasm_fixed: () => measureWasm(true),
  pool_flagged: () => measurePool(handleFlagged),
  pool_fixed: () => measurePool(handleFixed),
  pool_exit_flagged: () => measurePool(handleCallbackFlagged),
  pool_exit_fixed: () => measurePool(handleCallbackFixed),
  pool_lent_flagged: () => measurePool(handleLentFlagged),
  pool_lent_fixed: () => measurePool(handleLentFixed),
  pool_step_flagged: () => measurePool(handleStepFlagged),
  pool_step_fixed: () => measurePool(handleStepFixed),
  pool_armed_flagged: () => measurePool(handleArmedFlagged, OwnPool),
  pool_armed_fixed: () => measurePool(handleArmedFixed, OwnPool),
  fd_flagged: async () => measureFds(flushFlagged),
  fd_fixed: async () => measureFds(flushFixed),
};

function poolLine(label, r) {
  return (
    `${label.padEnd(46)} hung requests ${r.growth}, answered ${r.answered}, ` +
    `free pool members ${r.free_members}/${r.pool_size}`
  );
}

// The server process: prints its port, exits when the parent goes away.
function server() {
  const srv = http.createServer((_req, res) => res.end('ok'));
  srv.keepAliveTimeout = 60_000;
  srv.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${srv.address().port}\n`);
  });
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
}

async function setup() {
  const { spawn } = require('node:child_process');
  const child = spawn(process.execPath, [__filename, '--server'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const port = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(Number(out.trim()));
    });
    child.on('exit', (code) => reject(new Error(`server exited early (${code})`)));
  });
  return {
    env: { NLL602_PORT: String(port) },
    teardown: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.end();
      child.kill();
      await exited;
    },
  };
}

function line(label, r) {
  return (
    `${label.padEnd(46)} open fds ${r.before} -> ${r.after} (+${r.growth}), ` +
    `ref'd TCP handles ${r.ref_tcp_handles.before} -> ${r.ref_tcp_handles.after}`
  );
}

main({
  rule: 'NLL602',
  title: `client created per call and never closed (${N} calls)`,
  metric: 'open file descriptors of the client process (/proc/self/fd)',
  n: N,
  phases,
  setup,
  server,
  report: (r) => [
    line('flagged: new http.Agent({keepAlive})', r.flagged),
    line('fixed:   agent.destroy() in finally', r.fixed),
    line('flagged: stand-in db client, no end()', r.standin_flagged),
    line('fixed:   stand-in db client, end() in finally', r.standin_fixed),
    line('flagged: reconnect replaces this.client', r.replaced_flagged),
    line('fixed:   reconnect ends the old client first', r.replaced_fixed),
    line('flagged: helper fills a module variable, no finally', r.helper_flagged),
    line('fixed:   closed in finally', r.helper_fixed),
    `${'flagged: WebAssembly encoder, no free()'.padEnd(46)} WebAssembly memory ${r.wasm_flagged.before} -> ${r.wasm_flagged.after} MiB`,
    `${'fixed:   tokenizer.free()'.padEnd(46)} WebAssembly memory ${r.wasm_fixed.before} -> ${r.wasm_fixed.after} MiB`,
    "note: keep-alive agent sockets are unref'd, so they are absent from",
    '      getActiveResourcesInfo() while their fds stay open.',
    poolLine('flagged: release() after await, query fails', r.pool_flagged),
    poolLine('fixed:   release() in finally', r.pool_fixed),
    poolLine('flagged: callback returns early, no release', r.pool_exit_flagged),
    poolLine('fixed:   callback releases before return', r.pool_exit_fixed),
    poolLine('flagged: lent to a helper, release() after it', r.pool_lent_flagged),
    poolLine('fixed:   lent to a helper, release() in finally', r.pool_lent_fixed),
    poolLine("flagged: step's callback returns on its error", r.pool_step_flagged),
    poolLine("fixed:   step's callback releases first", r.pool_step_fixed),
    poolLine('flagged: release armed, the start throws', r.pool_armed_flagged),
    poolLine('fixed:   try/catch around the start', r.pool_armed_fixed),
    `${'flagged: fs.openSync(f, "w") discarded'.padEnd(46)} open fds +${r.fd_flagged.growth}`,
    `${'fixed:   fs.closeSync(fs.openSync(f, "w"))'.padEnd(46)} open fds +${r.fd_fixed.growth}`,
  ],
  extra: (r) => ({
    standin: { flagged: r.standin_flagged, fixed: r.standin_fixed },
    replaced: { flagged: r.replaced_flagged, fixed: r.replaced_fixed },
    helper: { flagged: r.helper_flagged, fixed: r.helper_fixed },
    wasm: { flagged: r.wasm_flagged, fixed: r.wasm_fixed },
    pool: { flagged: r.pool_flagged, fixed: r.pool_fixed, requests: REQUESTS },
    pool_exit: { flagged: r.pool_exit_flagged, fixed: r.pool_exit_fixed },
    pool_lent: { flagged: r.pool_lent_flagged, fixed: r.pool_lent_fixed },
    pool_step: { flagged: r.pool_step_flagged, fixed: r.pool_step_fixed },
    pool_armed: { flagged: r.pool_armed_flagged, fixed: r.pool_armed_fixed },
    fd: { flagged: r.fd_flagged, fixed: r.fd_fixed, n: FD_N },
  }),
});
