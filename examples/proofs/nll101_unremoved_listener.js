#!/usr/bin/env node
// NLL101 unremoved-listener: runtime proof.
//
// Premise (SPEC §2 NLL101): a handler added with `.on` to a process-lived
// emitter from a repeating context (a request handler) accumulates: one more
// listener per request, and each listener keeps alive everything its closure
// captures (here a 64 KiB per-request buffer). Removing it when the request
// ends (`res.on('close', () => bus.off(...))` or a `finally`) does not grow.
// Also: `once('error')` on a long-lived emitter accumulates while 'error'
// never fires; `once` for an event that fires once per piece of work does not.
//
// Run: node --expose-gc examples/proofs/nll101_unremoved_listener.js
'use strict';
const { fullGC, retainedMB, delta, main } = require('./harness');

const { EventEmitter } = require('node:events');
const http = require('node:http');
const net = require('node:net');

const N = 300; // simulated requests per phase
const BODY_BYTES = 64 * 1024; // per-request buffer captured by the handler

// Process-lived emitters (module scope), as in a real service.
const bus = new EventEmitter(); // e.g. a config/pubsub bus
const pool = new EventEmitter(); // e.g. a connection pool
bus.setMaxListeners(N + 10); // keep stderr quiet; NLL102 proves what the warning does
pool.setMaxListeners(N + 10);

// A per-request "res" object: emits 'close' when the response is done.
function fakeResponse() {
  const res = new EventEmitter();
  res.end = () => res.emit('close');
  return res;
}

// FLAGGED: per-request handler on a module-level emitter, never removed.
function handleFlagged(_req, res) {
  const body = Buffer.alloc(BODY_BYTES, 1);
  const onConfig = () => body.length; // captures per-request state
  bus.on('config', onConfig);
  res.end();
}

// FIXED: the same handler, removed when the response closes.
function handleFixed(_req, res) {
  const body = Buffer.alloc(BODY_BYTES, 1);
  const onConfig = () => body.length;
  bus.on('config', onConfig);
  res.on('close', () => bus.off('config', onConfig));
  res.end();
}

// REGISTRAR: a function that adds its caller's listener to the module-level emitter (an
// event-bus module's subscribe/unsubscribe). FLAGGED: the handler calls subscribe with a
// new function per request and never unsubscribe; FIXED: unsubscribe when the response
// closes.
function subscribe(listener) {
  bus.on('tick', listener);
}
function unsubscribe(listener) {
  bus.off('tick', listener);
}
function handleSubscribe(_req, res, cleanUp) {
  const body = Buffer.alloc(BODY_BYTES, 3);
  const onTick = () => body.length;
  subscribe(onTick);
  if (cleanUp) res.on('close', () => unsubscribe(onTick));
  res.end();
}

// FLAGGED: once('error') per query on the long-lived pool; 'error' never fires.
async function queryOnceErrorFlagged() {
  const scratch = Buffer.alloc(BODY_BYTES, 2);
  pool.once('error', (err) => console.error('query failed', err, scratch.length));
  await Promise.resolve(); // the query succeeds
}

// FIXED: the success path removes the error handler (finally).
async function queryOnceErrorFixed() {
  const scratch = Buffer.alloc(BODY_BYTES, 2);
  const onError = (err) => console.error('query failed', err, scratch.length);
  pool.once('error', onError);
  try {
    await Promise.resolve();
  } finally {
    pool.off('error', onError);
  }
}

// CONTROL: once() for an event that fires once per piece of work is cleanup.
async function queryOnceConnect() {
  const scratch = Buffer.alloc(BODY_BYTES, 3);
  pool.once('connect', () => scratch.length);
  pool.emit('connect'); // fires for this piece of work -> listener removed
}

// PARTIAL CLEANUP: one pooled connection serves every query (SPEC §1 *Roles*: the
// query borrows it). Each query adds 'row', 'end' and 'error' listeners and, when
// it ends, removes 'row' and 'end' — but not 'error', which stays on the connection
// with the query's 64 KiB result buffer. The fixed query removes all three.
const connection = new EventEmitter();
connection.setMaxListeners(N + 10);

function runQuery(removeError) {
  return new Promise((resolve) => {
    const rows = Buffer.alloc(BODY_BYTES, 4);
    const onRow = () => rows.length;
    const onError = (err) => console.error('query failed', err, rows.length);
    const onEnd = () => {
      connection.removeListener('row', onRow);
      connection.removeListener('end', onEnd);
      if (removeError) connection.removeListener('error', onError);
      resolve();
    };
    connection.on('row', onRow);
    connection.on('end', onEnd);
    connection.on('error', onError);
    setImmediate(() => connection.emit('end')); // the query completes
  });
}

// A FORGOTTEN ONCE: each stream a long-lived hub creates listens on the hub for
// '_update' and, once, for 'dispose' (emitted only when the hub itself is disposed). The
// stream's 'close' handler removes its '_update' listener but not the 'dispose' one, which
// stays (with the stream it captures) until the hub is disposed. The fixed stream removes
// both. Every stream here is created and closed.
const hub = new EventEmitter();
function createStream(removeDispose) {
  return new Promise((resolve) => {
    const stream = new EventEmitter();
    stream.buffer = Buffer.alloc(BODY_BYTES, 6);
    const onUpdate = () => stream.emit('data');
    const dispose = () => stream.emit('end', stream.buffer.length);
    hub.on('_update', onUpdate);
    hub.once('dispose', dispose);
    stream.on('close', () => {
      hub.removeListener('_update', onUpdate);
      if (removeDispose) hub.removeListener('dispose', dispose);
      resolve();
    });
    setImmediate(() => stream.emit('close'));
  });
}

// A REGISTRAR ON THE INSTANCE: onReady(fn) adds its caller's listener to the client itself
// and returns the remover. connect() runs once per reconnect and waits for 'ready' through
// it, dropping the remover: the client keeps one resolver (and what its promise chain
// holds) per reconnect. The fixed connect removes its listener when 'ready' comes.
class PushClient extends EventEmitter {
  onReady(listener) {
    this.on('ready', listener);
    return () => this.off('ready', listener);
  }
  connect(dispose) {
    const session = Buffer.alloc(BODY_BYTES, 7);
    const ready = new Promise((resolve) => {
      if (!dispose) return this.onReady(() => resolve(session.length));
      const off = this.onReady(() => {
        off();
        resolve(session.length);
      });
    });
    setImmediate(() => this.emit('ready'));
    return ready;
  }
}
const pushClient = new PushClient();

// A LIBRARY THAT LISTENS ON ITSELF: formidable's form.parse(req, cb) adds 'field', 'file',
// 'error' and 'end' listeners to the form on every call (incoming_form.js in 1.2.6 with a
// callback, Formidable.js in 3.5.4 always; with the real module, 50 requests through one
// shared form leave 50 listeners per event). This stand-in does the same. One form shared
// by every request keeps every request's callback; a form per request takes its listeners
// with it.
class StandInForm extends EventEmitter {
  parse(req, cb) {
    const fields = {};
    this.on('field', (name, value) => { fields[name] = value; })
      .on('file', () => {})
      .on('error', (err) => cb(err))
      .on('end', () => cb(null, fields, req));
    setImmediate(() => this.emit('end'));
  }
}
const sharedForm = new StandInForm();
function parseRequest(shared) {
  const req = { body: Buffer.alloc(BODY_BYTES, 8) };
  const form = shared ? sharedForm : new StandInForm();
  return new Promise((resolve) => form.parse(req, () => resolve(req.body.length)));
}

// REMOVAL ON ONE PATH (SPEC §1 *Cleanup is verified*): a transfer listens on the shared
// connection while it runs and removes that listener when the transfer fails, but not
// when it completes (the express sendfile shape). Every transfer here completes. The
// fixed transfer also removes it on 'complete'.
function runTransfer(removeOnComplete) {
  return new Promise((resolve) => {
    const chunk = Buffer.alloc(BODY_BYTES, 5);
    const transfer = new EventEmitter();
    const onDrop = () => chunk.length;
    connection.on('drop', onDrop);
    transfer.on('error', () => {
      connection.removeListener('drop', onDrop);
      resolve();
    });
    transfer.on('complete', () => {
      if (removeOnComplete) connection.removeListener('drop', onDrop);
      resolve();
    });
    setImmediate(() => transfer.emit('complete'));
  });
}

// MISMATCHED REMOVAL: `off` with a freshly bound function removes nothing (each
// `.bind` makes a new function); the fixed watcher keeps the bound function it registered.
class Watcher {
  constructor(keepBound) {
    this.state = Buffer.alloc(BODY_BYTES, 6);
    this.keepBound = keepBound;
    this.bound = this.onUpdate.bind(this);
  }
  onUpdate() {
    return this.state.length;
  }
  start() {
    bus.on('update', this.keepBound ? this.bound : this.onUpdate.bind(this));
  }
  stop() {
    bus.off('update', this.keepBound ? this.bound : this.onUpdate.bind(this));
  }
}

async function watchOnce(keepBound) {
  const watcher = new Watcher(keepBound);
  watcher.start();
  watcher.stop();
}

// IMPLICIT LISTENERS: `socket.connect(port, host, cb)` adds `once('connect', cb)`. A
// client that reconnects by calling connect() again on the same socket, against a peer
// that is down (a closed port on 127.0.0.1), gains one 'connect' listener per attempt.
// The fixed client passes no callback (its one 'connect' listener is added once).
const RETRIES = 30;
function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function reconnectPhase(withCallback) {
  const port = await freePort();
  const socket = new net.Socket();
  socket.setMaxListeners(RETRIES + 10);
  const state = Buffer.alloc(BODY_BYTES, 7);
  const onConnect = () => state.length;
  if (!withCallback) socket.on('connect', onConnect);
  socket.on('error', () => {});
  const before = socket.listenerCount('connect');
  const m0 = retainedMB();
  await new Promise((resolve) => {
    let attempts = 0;
    const attempt = () => {
      const cb = withCallback ? () => state.length + attempts : undefined;
      if (cb) socket.connect(port, '127.0.0.1', cb);
      else socket.connect(port, '127.0.0.1');
    };
    socket.on('close', () => {
      attempts++;
      if (attempts < RETRIES) setImmediate(attempt);
      else resolve();
    });
    attempt();
  });
  await fullGC();
  const after = socket.listenerCount('connect');
  socket.destroy();
  return delta(before, after, { retained_mb: delta(m0, retainedMB()) });
}

// THE SAME CONNECTION OPENED AGAIN: a client method that calls `this.socket.connect()` on the
// socket the instance keeps and adds `on('connect', cb)` each time. 'connect' fires on every
// connection, but the socket outlives them all, so every call's listener stays (and runs
// again on each later connect). The fixed method uses `once('connect', cb)`.
async function reopenedPhase(useOnce) {
  const server = net.createServer((peer) => peer.end());
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const socket = new net.Socket();
  socket.setMaxListeners(RETRIES + 10);
  socket.on('error', () => {});
  const before = socket.listenerCount('connect');
  const m0 = retainedMB();
  for (let i = 0; i < RETRIES; i++) {
    const state = Buffer.alloc(BODY_BYTES * 8, i); // 512 KiB per connection
    await new Promise((resolve) => {
      socket.connect(port, '127.0.0.1');
      socket[useOnce ? 'once' : 'on']('connect', () => state.length);
      socket.once('close', resolve);
      socket.once('connect', () => socket.end());
    });
  }
  await fullGC();
  const after = socket.listenerCount('connect');
  socket.destroy();
  await new Promise((resolve) => server.close(resolve));
  return delta(before, after, { retained_mb: delta(m0, retainedMB()) });
}

// SETUP RUN AGAIN: a queue registers its scheduler's listeners in `init()`, which runs when
// the queue is made and again from `flush()` (stop, flush, init). Every flush adds the same
// listeners once more to the scheduler the queue kept; each holds its own closure (here a
// 64 KiB buffer standing in for what a real handler captures). Fixed: the listeners are
// registered in the constructor, and `flush()` re-runs only the rest of the setup.
class Scheduler extends EventEmitter {}
class JobQueue {
  constructor(registerInInit) {
    this.scheduler = new Scheduler();
    this.scheduler.setMaxListeners(0);
    this.registerInInit = registerInInit;
    if (!registerInInit) this.registerListeners();
    this.init();
  }
  registerListeners() {
    const context = Buffer.alloc(BODY_BYTES, 1);
    this.scheduler.on('job:fail', () => context.length);
  }
  init() {
    if (this.registerInInit) this.registerListeners();
  }
  flush() {
    this.init();
  }
}
const flaggedQueue = new JobQueue(true);
const fixedQueue = new JobQueue(false);

// IMPLICIT LISTENERS, per request: `req.socket.setTimeout(ms, cb)` adds
// `once('timeout', cb)` to the keep-alive socket, which serves every request of one client.
// The fixed handler passes no callback and removes its own listener when the response ends.
async function keepAlivePhase(withCallback) {
  let serverSocket = null;
  const server = http.createServer((req, res) => {
    if (withCallback) {
      req.socket.setTimeout(60_000, () => req.socket.destroy());
    } else {
      const onTimeout = () => req.socket.destroy();
      req.socket.setTimeout(60_000);
      req.socket.once('timeout', onTimeout);
      res.on('finish', () => req.socket.removeListener('timeout', onTimeout));
    }
    res.end('ok');
  });
  server.on('connection', (socket) => {
    serverSocket = socket;
    socket.setMaxListeners(RETRIES + 10);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = () =>
    new Promise((resolve) => {
      http.get({ port: server.address().port, host: '127.0.0.1', agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
    });
  await get(); // the connection exists from here on
  await new Promise((resolve) => setImmediate(resolve));
  const before = serverSocket.listenerCount('timeout');
  const m0 = retainedMB();
  for (let i = 0; i < RETRIES; i++) await get();
  await fullGC();
  const after = serverSocket.listenerCount('timeout');
  const m1 = retainedMB();
  agent.destroy();
  server.close();
  return delta(before, after, { retained_mb: delta(m0, m1) });
}

// IMPLICIT LISTENERS, per outgoing request: a helper handed each `http.request` calls
// `request.socket.setTimeout(ms, cb)`. The agent keeps the socket alive (Node 20's global
// agent does by default) and hands it to the next request, so each call leaves one more
// `once('timeout')` listener on it. The fixed helper removes it when the request closes.
function armSocketTimeout(request, removeOnClose) {
  const onTimeout = () => request.destroy();
  request.socket.setTimeout(60_000, onTimeout);
  if (removeOnClose) {
    request.on('close', () => request.socket?.removeListener('timeout', onTimeout));
  }
}
async function agentSocketPhase(removeOnClose) {
  const server = http.createServer((req, res) => res.end('ok'));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let socket = null;
  const get = () =>
    new Promise((resolve) => {
      const request = http.get({ port: server.address().port, host: '127.0.0.1', agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      request.on('socket', (s) => {
        socket = s;
        s.setMaxListeners(RETRIES + 10);
        armSocketTimeout(request, removeOnClose);
      });
    });
  await get(); // the connection exists from here on
  await new Promise((resolve) => setImmediate(resolve));
  const before = socket.listenerCount('timeout');
  const m0 = retainedMB();
  for (let i = 0; i < RETRIES; i++) await get();
  await new Promise((resolve) => setImmediate(resolve));
  await fullGC();
  const after = socket.listenerCount('timeout');
  const m1 = retainedMB();
  agent.destroy();
  server.close();
  return delta(before, after, { retained_mb: delta(m0, m1) });
}

// SAME HANDLER RE-ADDED: a module-level function added again per request. An EventEmitter
// keeps every copy (no de-duplication: the list grows and the handler runs once more per
// event); an EventTarget (AbortSignal, the DOM) keeps one, so re-adding is a no-op there.
let readdCalls = 0;
function onReload() {
  readdCalls++;
}
function handleReadd(target) {
  if (typeof target.on === 'function') target.on('reload', onReload);
  else target.addEventListener('reload', onReload);
}
const eventTarget = new EventTarget();
async function readdPhase(target) {
  const before = target === bus ? bus.listenerCount('reload') : 0;
  for (let i = 0; i < N; i++) handleReadd(target);
  readdCalls = 0;
  if (target === bus) bus.emit('reload');
  else eventTarget.dispatchEvent(new Event('reload'));
  const after = target === bus ? bus.listenerCount('reload') : readdCalls;
  return { before, after, growth: after - before, runs_per_event: readdCalls };
}

// TRANSPORTS: a stand-in for winston 3's Logger, built the same way (core modules only):
// a Transform whose add(transport) pipes into the transport and whose child(meta) is
// Object.create(logger), so the child shares its parent's stream state and listeners. With
// winston itself, 100 `logger.child(meta).add(new ArrayTransport(logs))` leave 101
// transports on the parent. FLAGGED: a transport per scrape, never removed; FIXED:
// remove(transport) when the scrape ends.
const { Transform, Writable } = require('node:stream');
class StandInLogger extends Transform {
  constructor() {
    super({ objectMode: true });
  }
  _transform(info, _encoding, done) {
    done(null, info);
  }
  add(transport) {
    this.pipe(transport);
    return this;
  }
  remove(transport) {
    this.unpipe(transport);
    return this;
  }
  child(meta) {
    const parent = this;
    return Object.create(parent, {
      write: { value: (info) => parent.write({ ...info, ...meta }) },
    });
  }
}
class ArrayTransport extends Writable {
  constructor(records) {
    super({ objectMode: true });
    this.records = records;
  }
  _write(info, _encoding, done) {
    this.records.push(info);
    done();
  }
}
const scrapeLogger = new StandInLogger();
function scrape(removeThrough) {
  const logger = scrapeLogger.child({ scrapeId: Math.random() });
  const logs = [Buffer.alloc(BODY_BYTES, 1)];
  const transport = new ArrayTransport(logs);
  logger.add(transport);
  logger.write({ message: 'scraped' });
  // The child that added it takes it back; the parent's unpipe leaves the child's 'data'
  // listener (its source is the child), as winston 3 does on Node 20.
  if (removeThrough === 'child') logger.remove(transport);
  if (removeThrough === 'parent') scrapeLogger.remove(transport);
}

async function measure(emitter, event, work) {
  for (let i = 0; i < 3; i++) await work(); // warm up (compile code paths) before the baseline
  await fullGC();
  const l0 = emitter.listenerCount(event);
  const m0 = retainedMB();
  for (let i = 0; i < N; i++) await work();
  await fullGC();
  const m1 = retainedMB();
  const l1 = emitter.listenerCount(event);
  return delta(l0, l1, { retained_mb: delta(m0, m1) });
}

const phases = {
  flagged: () => measure(bus, 'config', () => handleFlagged({}, fakeResponse())),
  fixed: () => measure(bus, 'config', () => handleFixed({}, fakeResponse())),
  once_error_flagged: () => measure(pool, 'error', queryOnceErrorFlagged),
  once_error_fixed: () => measure(pool, 'error', queryOnceErrorFixed),
  once_connect: () => measure(pool, 'connect', queryOnceConnect),
  partial_flagged: () => measure(connection, 'error', () => runQuery(false)),
  partial_fixed: () => measure(connection, 'error', () => runQuery(true)),
  forgotten_once_flagged: () => measure(hub, 'dispose', () => createStream(false)),
  forgotten_once_fixed: () => measure(hub, 'dispose', () => createStream(true)),
  instance_registrar_flagged: () => measure(pushClient, 'ready', () => pushClient.connect(false)),
  instance_registrar_fixed: () => measure(pushClient, 'ready', () => pushClient.connect(true)),
  self_listening_flagged: () => measure(sharedForm, 'end', () => parseRequest(true)),
  self_listening_fixed: () => measure(sharedForm, 'end', () => parseRequest(false)),
  one_path_flagged: () => measure(connection, 'drop', () => runTransfer(false)),
  one_path_fixed: () => measure(connection, 'drop', () => runTransfer(true)),
  mismatch_flagged: () => measure(bus, 'update', () => watchOnce(false)),
  mismatch_fixed: () => measure(bus, 'update', () => watchOnce(true)),
  reconnect_flagged: () => reconnectPhase(true),
  reconnect_fixed: () => reconnectPhase(false),
  setup_rerun_flagged: () => measure(flaggedQueue.scheduler, 'job:fail', () => flaggedQueue.flush()),
  setup_rerun_fixed: () => measure(fixedQueue.scheduler, 'job:fail', () => fixedQueue.flush()),
  reopened_flagged: () => reopenedPhase(false),
  reopened_fixed: () => reopenedPhase(true),
  registrar_flagged: () => measure(bus, 'tick', () => handleSubscribe({}, fakeResponse(), false)),
  registrar_fixed: () => measure(bus, 'tick', () => handleSubscribe({}, fakeResponse(), true)),
  keepalive_flagged: () => keepAlivePhase(true),
  keepalive_fixed: () => keepAlivePhase(false),
  agent_socket_flagged: () => agentSocketPhase(false),
  agent_socket_fixed: () => agentSocketPhase(true),
  transport_flagged: () => measure(scrapeLogger, 'data', () => scrape(null)),
  transport_fixed: () => measure(scrapeLogger, 'data', () => scrape('child')),
  transport_parent_remove: () => measure(scrapeLogger, 'data', () => scrape('parent')),
  readd_emitter: () => readdPhase(bus),
  readd_event_target: () => readdPhase(eventTarget),
};

function line(label, r) {
  return (
    `${label.padEnd(38)} listeners ${r.before} -> ${r.after} (+${r.growth}), ` +
    `retained ${r.retained_mb.growth >= 0 ? '+' : ''}${r.retained_mb.growth} MiB`
  );
}

main({
  rule: 'NLL101',
  title: `per-request listeners on a module-level emitter (${N} requests, ${BODY_BYTES / 1024} KiB captured each)`,
  metric: "listenerCount on the module-level emitter (retained_mb: heapUsed+external MiB after forced GC)",
  n: N,
  phases,
  report: (r) => [
    line("flagged: bus.on('config', h)", r.flagged),
    line("fixed:   + res.on('close', off)", r.fixed),
    line("flagged: pool.once('error', h)", r.once_error_flagged),
    line("fixed:   once('error') + finally off", r.once_error_fixed),
    line("control: pool.once('connect') fires", r.once_connect),
    line("flagged: query removes row+end, not error", r.partial_flagged),
    line("fixed:   query removes all three", r.partial_fixed),
    line("flagged: close removes _update, not once", r.forgotten_once_flagged),
    line("fixed:   close removes the once too", r.forgotten_once_fixed),
    line("flagged: this.onReady(r), remover dropped", r.instance_registrar_flagged),
    line("fixed:   remover called when ready", r.instance_registrar_fixed),
    line("flagged: sharedForm.parse(req, cb)", r.self_listening_flagged),
    line("fixed:   a form per request", r.self_listening_fixed),
    line("flagged: removed on 'error' only", r.one_path_flagged),
    line("fixed:   removed on 'complete' too", r.one_path_fixed),
    line("flagged: off(e, fn.bind(this))", r.mismatch_flagged),
    line("fixed:   off(e, the bound fn kept)", r.mismatch_fixed),
    line(`flagged: ${RETRIES} x socket.connect(p, h, cb)`, r.reconnect_flagged),
    line(`fixed:   ${RETRIES} x socket.connect(p, h)`, r.reconnect_fixed),
    line('flagged: flush() re-runs init()', r.setup_rerun_flagged),
    line('fixed:   listen in the constructor', r.setup_rerun_fixed),
    line(`flagged: ${RETRIES} x connect() + on('connect')`, r.reopened_flagged),
    line(`fixed:   ${RETRIES} x connect() + once('connect')`, r.reopened_fixed),
    line("flagged: subscribe(h), no unsubscribe", r.registrar_flagged),
    line("fixed:   unsubscribe(h) on close", r.registrar_fixed),
    line(`flagged: ${RETRIES} x req.socket.setTimeout(ms, cb)`, r.keepalive_flagged),
    line(`fixed:   ${RETRIES} x setTimeout(ms) + off on finish`, r.keepalive_fixed),
    line(`flagged: ${RETRIES} x request.socket.setTimeout`, r.agent_socket_flagged),
    line(`fixed:   ${RETRIES} x + off on request close`, r.agent_socket_fixed),
    line('flagged: logger.child(m).add(transport)', r.transport_flagged),
    line('fixed:   + child.remove(transport)', r.transport_fixed),
    line('flagged: + parent.remove(transport)', r.transport_parent_remove),
    `${"flagged: bus.on('reload', moduleFn) per call".padEnd(38)} listeners +${r.readd_emitter.growth}, runs per event ${r.readd_emitter.runs_per_event}`,
    `${"control: EventTarget, same function".padEnd(38)} runs per event ${r.readd_event_target.runs_per_event} (de-duplicated)`,
  ],
  extra: (r) => ({
    once_error: { flagged: r.once_error_flagged, fixed: r.once_error_fixed },
    once_connect: r.once_connect,
    partial: { flagged: r.partial_flagged, fixed: r.partial_fixed },
    forgotten_once: { flagged: r.forgotten_once_flagged, fixed: r.forgotten_once_fixed },
    instance_registrar: {
      flagged: r.instance_registrar_flagged,
      fixed: r.instance_registrar_fixed,
    },
    self_listening: { flagged: r.self_listening_flagged, fixed: r.self_listening_fixed },
    one_path: { flagged: r.one_path_flagged, fixed: r.one_path_fixed },
    mismatch: { flagged: r.mismatch_flagged, fixed: r.mismatch_fixed },
    reconnect: { flagged: r.reconnect_flagged, fixed: r.reconnect_fixed, attempts: RETRIES },
    reopened: { flagged: r.reopened_flagged, fixed: r.reopened_fixed, connections: RETRIES },
    setup_rerun: { flagged: r.setup_rerun_flagged, fixed: r.setup_rerun_fixed },
    keepalive: { flagged: r.keepalive_flagged, fixed: r.keepalive_fixed, requests: RETRIES },
    agent_socket: {
      flagged: r.agent_socket_flagged,
      fixed: r.agent_socket_fixed,
      requests: RETRIES,
    },
    registrar: { flagged: r.registrar_flagged, fixed: r.registrar_fixed },
    transport: {
      flagged: r.transport_flagged,
      fixed: r.transport_fixed,
      parent_remove: r.transport_parent_remove,
    },
    readd: { emitter: r.readd_emitter, event_target: r.readd_event_target },
  }),
});
