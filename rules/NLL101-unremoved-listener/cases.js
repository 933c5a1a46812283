// Annotated cases for NLL101 unremoved-listener (CommonJS: Express, Koa, ws, Socket.IO, plain Node).
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const { spawn } = require('node:child_process');
const { EventEmitter, once, on } = require('node:events');
const events = require('node:events');
const express = require('express');
const Koa = require('koa');
const WebSocket = require('ws');
const { Server } = require('socket.io');
const bus = require('./bus');

const app = express();
const koa = new Koa();
const ticker = new EventEmitter();
const target = new EventTarget();
const upstream = net.connect(6379, 'cache');
const shutdown = new AbortController();
const shutdownSignal = shutdown.signal;

// --- Express: module-level and imported emitters -------------------------------------
app.get('/stream', (req, res) => {
  // ruleid: NLL101
  ticker.on('tick', (n) => res.write(`${n}\n`));
});

app.get('/imported', (req, res) => {
  // ruleid: NLL101
  bus.addListener('message', (msg) => res.write(msg));
});

app.get('/prepend', (req, res) => {
  // ruleid: NLL101
  bus.prependListener('message', function onMessage(msg) {
    res.write(msg);
  });
});

app.get('/chained', (req, res) => {
  // ruleid: NLL101
  // ruleid: NLL101
  ticker.on('tick', () => res.write('.')).on('tock', () => {});
});

// --- removal by identity -------------------------------------------------------------
app.get('/removed-on-close', (req, res) => {
  const onTick = (n) => res.write(`${n}\n`);
  // ok: NLL101 -- removed when the request closes
  ticker.on('tick', onTick);
  req.on('close', () => ticker.off('tick', onTick));
});

app.get('/removed-on-finish', (req, res) => {
  function onTick(n) {
    res.write(String(n));
  }
  // ok: NLL101 -- removed from res.on('finish')
  ticker.addListener('tick', onTick);
  res.on('finish', () => {
    ticker.removeListener('tick', onTick);
  });
});

app.get('/removed-on-socket-close', (req, res) => {
  const onTick = () => res.write('.');
  // ok: NLL101 -- removed when the socket closes
  ticker.on('tick', onTick);
  // ruleid: NLL101 -- but the cleanup listener itself piles up on the keep-alive socket
  req.socket.on('close', () => ticker.removeListener('tick', onTick));
});

app.get('/finally', async (req, res) => {
  const onTerm = () => res.end('bye');
  // ok: NLL101 -- removed in finally
  process.on('SIGTERM', onTerm);
  try {
    await doWork(req.query);
  } finally {
    process.removeListener('SIGTERM', onTerm);
  }
});

app.get('/self-removing', (req, res) => {
  // ok: NLL101 -- the named handler removes itself
  ticker.on('tick', function onTick(n) {
    if (n > 10) ticker.off('tick', onTick);
    res.write(String(n));
  });
});

app.get('/wrong-handler', (req, res) => {
  const onTick = (n) => res.write(String(n));
  const other = () => {};
  // ruleid: NLL101
  ticker.on('tick', onTick);
  res.on('close', () => ticker.off('tick', other));
});

app.get('/same-name-other-scope', (req, res) => {
  const onTick = (n) => res.write(String(n));
  // ruleid: NLL101
  ticker.on('tick', onTick);
  res.on('close', () => {
    const onTick = () => {};
    ticker.off('tick', onTick);
  });
});

app.get('/wrong-event', (req, res) => {
  const onTick = (n) => res.write(String(n));
  // ruleid: NLL101
  ticker.on('tick', onTick);
  res.on('close', () => ticker.off('tock', onTick));
});

app.get('/wrong-target', (req, res) => {
  const onTick = (n) => res.write(String(n));
  // ruleid: NLL101
  ticker.on('tick', onTick);
  res.on('close', () => bus.off('tick', onTick));
});

app.get('/dead-cleanup', (req, res) => {
  const onTick = (n) => res.write(String(n));
  // ruleid: NLL101
  ticker.on('tick', onTick);
  function neverCalled() {
    ticker.off('tick', onTick);
  }
});

// --- removeAllListeners --------------------------------------------------------------
app.get('/remove-all-event', (req, res) => {
  // ok: NLL101 -- removeAllListeners('tick') on the same target
  ticker.on('tick', (n) => res.write(String(n)));
  res.on('close', () => ticker.removeAllListeners('tick'));
});

app.get('/remove-all', (req, res) => {
  // ok: NLL101 -- removeAllListeners() on the same target
  bus.on('message', (msg) => res.write(msg));
  res.on('close', () => bus.removeAllListeners());
});

app.get('/remove-all-other-event', (req, res) => {
  // ruleid: NLL101
  ticker.on('tick', (n) => res.write(String(n)));
  res.on('close', () => ticker.removeAllListeners('tock'));
});

// --- { signal } ------------------------------------------------------------------------
app.get('/signal', (req, res) => {
  const ac = new AbortController();
  // ok: NLL101 -- { signal } whose controller is aborted when the response closes
  target.addEventListener('tick', () => res.write('.'), { signal: ac.signal });
  res.on('close', () => ac.abort());
});

app.get('/signal-destructured', (req, res) => {
  const controller = new AbortController();
  const { signal } = controller;
  // ok: NLL101 -- the destructured signal's controller is aborted in finally
  target.addEventListener('tick', () => res.write('.'), { signal });
  try {
    res.write('start');
  } finally {
    controller.abort();
  }
});

app.get('/signal-never-aborted', (req, res) => {
  const ac = new AbortController();
  // ruleid: NLL101
  target.addEventListener('tick', () => res.write('.'), { signal: ac.signal });
});

app.get('/signal-from-elsewhere', (req, res) => {
  // ok: NLL101 -- a signal of unknown origin (a timeout signal) is assumed to abort
  target.addEventListener('tick', () => res.write('.'), { signal: AbortSignal.timeout(5000) });
});

// --- once ------------------------------------------------------------------------------
app.get('/once-ready', (req, res) => {
  // ok: NLL101 -- 'ready' fires once per piece of work
  ticker.once('ready', () => res.end('ready'));
});

app.get('/once-option', (req, res) => {
  // ok: NLL101 -- { once: true } for an event that fires per piece of work
  target.addEventListener('message', () => res.end('got it'), { once: true });
});

app.get('/once-error', (req, res) => {
  // ruleid: NLL101
  ticker.once('error', (err) => res.status(500).end(err.message));
});

app.get('/once-signal', (req, res) => {
  // ruleid: NLL101
  process.once('SIGINT', () => res.end());
});

app.get('/once-close-option', (req, res) => {
  // ruleid: NLL101
  target.addEventListener('close', () => res.end(), { once: true });
});

app.get('/pair', (req, res) => {
  const onError = (err) => {
    upstream.removeListener('connect', onConnect);
    res.status(502).end(err.message);
  };
  const onConnect = () => {
    upstream.removeListener('error', onError);
    res.end('connected');
  };
  // ok: NLL101 -- the success path removes the 'error' listener
  upstream.once('error', onError);
  // ok: NLL101 -- 'connect' fires once per piece of work
  upstream.once('connect', onConnect);
});

app.get('/pair-without-removal', (req, res) => {
  const onError = (err) => res.status(502).end(err.message);
  const onConnect = () => res.end('connected');
  // ruleid: NLL101 -- alternative outcomes and neither removes the other: reported once, here
  upstream.once('error', onError);
  // ok: NLL101 -- reported with its rival on the line above
  upstream.once('connect', onConnect);
});

// --- events.once / events.on -----------------------------------------------------------
app.get('/events-once', async (req, res) => {
  // ruleid: NLL101
  await once(ticker, 'close');
  res.end();
});

app.get('/events-once-module', async (req, res) => {
  // ruleid: NLL101
  await events.once(process, 'SIGHUP');
  res.end();
});

app.get('/events-once-ready', async (req, res) => {
  // ok: NLL101 -- 'ready' fires once per piece of work
  await once(ticker, 'ready');
  res.end();
});

app.get('/events-once-signal', async (req, res) => {
  const ac = new AbortController();
  res.on('close', () => ac.abort());
  // ok: NLL101 -- events.once with a signal that is aborted
  await once(ticker, 'close', { signal: ac.signal });
  res.end();
});

app.get('/events-on', async (req, res) => {
  // ruleid: NLL101
  for await (const [n] of on(ticker, 'tick')) {
    res.write(String(n));
  }
});

app.get('/events-on-signal', async (req, res) => {
  const ac = new AbortController();
  req.on('close', () => ac.abort());
  // ok: NLL101 -- events.on with a signal aborted when the client leaves
  for await (const [n] of on(ticker, 'tick', { signal: ac.signal })) {
    res.write(String(n));
  }
});

app.get('/events-on-break', async (req, res) => {
  // ok: NLL101 -- leaving the loop removes the listener
  for await (const [n] of on(ticker, 'tick')) {
    if (n > 10) break;
    res.write(String(n));
  }
});

// --- keep-alive sockets ----------------------------------------------------------------
app.get('/keep-alive', (req, res) => {
  // ruleid: NLL101
  req.socket.on('timeout', () => res.end());
});

app.get('/keep-alive-connection', (req, res) => {
  // ruleid: NLL101
  req.connection.on('end', () => console.log(req.url));
});

app.get('/events', (req, res) => {
  if (!req.query.user) {
    return res.status(400).json({ error: 'user missing' }); // answered before the stream starts
  }
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  const tick = setInterval(() => res.write(`data: ${Date.now()}\n\n`), 15000);
  // ok: NLL101 -- an event stream never ends: this socket carries no other request
  req.connection.on('close', () => clearInterval(tick));
});

app.get('/events-until-done', (req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/event-stream' });
  res.write('data: start\n\n');
  // ruleid: NLL101 -- the stream ends, and the keep-alive socket serves the next request
  req.socket.on('error', () => console.log(req.url));
  setTimeout(() => res.end(), 1000);
});

app.get('/keep-alive-res', (req, res) => {
  // ruleid: NLL101
  res.socket.on('drain', () => res.write('more'));
});

// --- process and global ----------------------------------------------------------------
app.post('/jobs', (req, res) => {
  // ruleid: NLL101
  process.on('exit', () => cleanup(req.body.id));
});

app.post('/global', (req, res) => {
  // ruleid: NLL101
  globalThis.addEventListener('unhandledrejection', () => res.status(500).end());
});

app.post('/global-node', (req, res) => {
  // ruleid: NLL101
  global.process.on('warning', (w) => res.write(w.message));
});

// --- per-event and locally created objects ---------------------------------------------
app.get('/per-request', (req, res) => {
  // ok: NLL101 -- per-request object, dies with the request
  req.on('data', (chunk) => res.write(chunk));
  // ok: NLL101 -- per-request object
  res.on('close', () => console.log('closed', req.url));
});

app.get('/local', (req, res) => {
  const em = new EventEmitter();
  // ok: NLL101 -- created in this call
  em.on('x', () => res.end());
  const child = spawn('ls', [req.query.dir]);
  // ok: NLL101 -- child process created in this call
  child.on('exit', (code) => res.end(String(code)));
  // ok: NLL101 -- a stream created in this call
  fs.createReadStream('big.bin').on('data', (chunk) => res.write(chunk));
  const file = fs.createReadStream('other.bin');
  // ok: NLL101 -- a stream created in this call
  file.on('error', (err) => res.destroy(err));
});

app.get('/module-handler', (req, res) => {
  // ok: NLL101 -- a module-level handler is not created per call (SPEC: per-call handlers only)
  ticker.on('tick', logTick);
  res.end();
});

// --- disposers -------------------------------------------------------------------------
function watch(res) {
  const onTick = (n) => res.write(String(n));
  // ok: NLL101 -- the returned disposer removes it
  ticker.on('tick', onTick);
  return () => ticker.off('tick', onTick);
}

function watchStored(res) {
  const onTick = (n) => res.write(String(n));
  // ok: NLL101 -- `off` is returned to the caller
  ticker.on('tick', onTick);
  const off = () => ticker.off('tick', onTick);
  return off;
}

function Watcher(res) {
  const onTick = (n) => res.write(String(n));
  // ok: NLL101 -- a stored disposer removes it
  ticker.on('tick', onTick);
  this.dispose = () => ticker.removeListener('tick', onTick);
}

function keepsHandler(res, registry) {
  const onTick = (n) => res.write(String(n));
  // ok: NLL101 -- the handler is handed to the caller's registry, which may remove it
  ticker.on('tick', onTick);
  registry.add(onTick);
}

// --- unknown repetition and unknown lifetimes (medium confidence) ----------------------
function track(res) {
  // ruleid: NLL101
  ticker.on('tick', (n) => res.write(String(n)));
}

function trackNoCapture() {
  // ok: NLL101 -- unknown repetition and the handler captures nothing per call
  ticker.on('tick', () => console.log('tick'));
}

function relay(source, res) {
  // ok: NLL101 -- unknown target in a function of unknown repetition (exported): not enough evidence
  source.on('tick', (n) => res.write(String(n)));
}

class Relay {
  forward(source, id) {
    // ruleid: NLL101
    source.on('tick', (n) => send(id, n));
    // ok: NLL101 -- a passed-in stream's own lifecycle event belongs to its piece of work
    source.on('end', () => send(id, 'end'));
    // ok: NLL101 -- `once` on an object of unknown lifetime
    source.once('error', (err) => send(id, err));
  }
}

function echo(sock) {
  // ok: NLL101 -- the handler captures only its own target
  sock.on('data', (d) => sock.write(d));
}

module.exports = { track, trackNoCapture, relay, echo, watch, watchStored, Watcher, keepsHandler };

// --- runs once --------------------------------------------------------------------------
function main() {
  // ok: NLL101 -- main() runs once
  process.on('SIGTERM', stop);
  // ok: NLL101 -- main() runs once, even with an inline handler
  process.on('SIGINT', () => stop());
}
function stop() {}
main();

// ok: NLL101 -- module top level runs once
process.on('uncaughtException', (err) => console.error(err));

// --- ws ----------------------------------------------------------------------------------
const wss = new WebSocket.Server({ port: 8080 });
wss.on('connection', (ws, req) => {
  // ok: NLL101 -- per-connection socket
  ws.on('message', (m) => ws.send(m));
  // ruleid: NLL101
  bus.on('broadcast', (m) => ws.send(m));
  const onBroadcast = (m) => ws.send(m);
  // ok: NLL101 -- removed when the socket closes
  bus.on('broadcast', onBroadcast);
  ws.on('close', () => bus.off('broadcast', onBroadcast));
});

// --- Socket.IO ---------------------------------------------------------------------------
const io = new Server(3000);
io.on('connection', (socket) => {
  // ok: NLL101 -- per-connection socket
  socket.on('chat', (m) => io.emit('chat', m));
  // ruleid: NLL101
  ticker.on('news', (n) => socket.emit('news', n));
  const onNews = (n) => socket.emit('news', n);
  // ok: NLL101 -- removed on disconnect
  ticker.on('news', onNews);
  socket.on('disconnect', () => ticker.off('news', onNews));
});

// --- Koa ---------------------------------------------------------------------------------
koa.use(async (ctx, next) => {
  // ruleid: NLL101
  bus.on('message', (msg) => ctx.res.write(msg));
  // ruleid: NLL101
  ctx.req.socket.on('timeout', () => ctx.throw(408));
  // ok: NLL101 -- per-request object
  ctx.req.on('close', () => console.log('gone', ctx.path));
  await next();
});

// --- AbortSignal that outlives the call --------------------------------------------------
app.get('/abort-module-signal', (req, res) => {
  // ruleid: NLL101
  shutdown.signal.addEventListener('abort', () => res.end());
  // ruleid: NLL101
  shutdownSignal.addEventListener('abort', () => res.end(), { once: true });
});

function withSignal(signal, res) {
  // ruleid: NLL101
  signal.addEventListener('abort', () => res.destroy());
}

function withSignalRemoved(signal, res) {
  const onAbort = () => res.destroy();
  // ok: NLL101 -- removed when the work settles
  signal.addEventListener('abort', onAbort, { once: true });
  return doWork().finally(() => signal.removeEventListener('abort', onAbort));
}

module.exports.withSignal = withSignal;
module.exports.withSignalRemoved = withSignalRemoved;

// --- classes -----------------------------------------------------------------------------
class Connection {
  constructor(url) {
    this.url = url;
    // ruleid: NLL101
    process.on('exit', () => this.close());
  }

  close() {}
}

class Poller extends EventEmitter {
  start(res) {
    // ruleid: NLL101
    process.on('message', this.onMessage.bind(this));
    // ok: NLL101 -- a method reference: the same function every time
    process.on('SIGUSR2', this.onMessage);
  }

  onMessage() {}
}

class Client extends EventEmitter {
  constructor(socket) {
    super();
    this.socket = socket;
    // ok: NLL101 -- registered once per instance
    this.socket.on('data', (d) => this.emit('data', d));
  }

  request(id, cb) {
    // ruleid: NLL101 -- per request, on the socket the instance keeps: its own events are not this call's work
    this.socket.on('data', (d) => cb(id, d));
  }

  watch(topic, cb) {
    // ruleid: NLL101
    this.socket.on(`update:${topic}`, (d) => cb(d));
  }

  connect(host) {
    this.socket = net.connect(80, host);
    // ok: NLL101 -- this.socket is replaced in this call: a fresh object per call
    this.socket.on('error', (e) => this.emit('error', e, host));
  }

  waitDrain(cb) {
    // ok: NLL101 -- 'drain' fires once per piece of work
    this.socket.once('drain', () => cb());
  }

  subscribe(name, cb) {
    const handler = (d) => cb(name, d);
    // ok: NLL101 -- removed by the stored disposer
    this.socket.on('data', handler);
    this.unsubscribe = () => this.socket.off('data', handler);
  }
}

module.exports.Connection = Connection;
module.exports.Poller = Poller;
module.exports.Client = Client;
module.exports.Relay = Relay;

// --- shapes from real code that are not leaks --------------------------------------------
const tracked = new WeakSet();
app.get('/guarded', (req, res) => {
  if (!tracked.has(req.socket)) {
    tracked.add(req.socket);
    // ok: NLL101 -- guarded by a test on the target: registered once per socket, not per request
    req.socket.on('close', () => tracked.delete(req.socket));
  }
  res.end();
});

class Prober extends EventEmitter {
  probe(transport) {
    var self = this;
    function onclose() {
      self.off('close', onclose);
      transport.close();
    }
    // ok: NLL101 -- removed through `self`, an alias of `this`
    this.on('close', onclose);
  }

  set onmessage(fn) {
    if (this.current) {
      this.removeListener('message', this.current);
    }
    const listener = (m) => fn(m);
    // ok: NLL101 -- the setter swaps the previous listener for the same event out
    this.on('message', listener);
    this.current = listener;
  }
}

module.exports.Prober = Prober;

let current = null;
function showTable(res) {
  current = createTable(res.locals);
  // ok: NLL101 -- the module-level binding is replaced in this call: a fresh emitter per call
  current.on('select', (rows) => res.json(rows));
}
app.get('/table', showTable);

app.get('/off-all', (req, res) => {
  // ok: NLL101 -- `off(event)` without a handler removes every listener for the event
  bus.on('message', (msg) => res.write(msg));
  res.on('close', () => bus.off('message'));
});

let instance = null;
async function restart(options) {
  instance = await startServer(options);
  // ok: NLL101 -- `instance` is made anew in this call: `instance.server` is a fresh emitter
  instance.server.on('connection', (socket) => track(socket, options));
}
module.exports.restart = restart;

let shared = null;
function attach(req, res) {
  shared = shared || registry;
  // ruleid: NLL101 -- `shared` is only re-pointed at the same registry: its emitter lives on
  shared.events.on('change', () => res.write('changed'));
}
app.get('/attach', attach);

const httpServer = http.createServer(serve);
process.on('SIGINT', () => {
  // ok: NLL101 -- a termination signal's handler is the shutdown path: it runs once
  httpServer.on('close', () => process.exit(0));
  httpServer.close();
});

process.on('SIGHUP', () => {
  const settings = loadSettings();
  // ruleid: NLL101 -- SIGHUP means "reload": every reload adds one more listener
  httpServer.on('request', (req) => audit(req, settings));
});

function initializeClient(socket, client) {
  // ok: NLL101 -- a parameter named for one connection: its listeners last as long as it
  socket.on('input', (data) => client.input(data));
}
const chat = new Server();
chat.on('connection', (socket) => {
  socket.on('auth', (token) => initializeClient(socket, lookup(token)));
});

// --- ES5 classes, `self = this`, and alternative outcomes on a shared notifier -------------------
const util = require('node:util');

function MetadataBackend() {
  EventEmitter.call(this);
  this.notifier = new EventEmitter();
  this.refcnt = 0;
}
util.inherits(MetadataBackend, EventEmitter);
MetadataBackend.prototype.waitForReconnect = function (cb) {
  var self = this;
  var done = false;
  // ruleid: NLL101 -- when 'refdecr' wins, the 'recodone' listener stays on the shared notifier
  self.notifier.once('recodone', function () {
    if (!done) { done = true; cb(); }
  });
  // ok: NLL101 -- reported with its rival on the line above
  self.notifier.once('refdecr', function () {
    if (!done) { done = true; process.nextTick(cb); }
  });
};
MetadataBackend.prototype.waitFixed = function (cb) {
  var self = this;
  function onDone() {
    self.notifier.removeListener('refdecr', onDecr);
    cb();
  }
  function onDecr() {
    self.notifier.removeListener('recodone', onDone);
    process.nextTick(cb);
  }
  // ok: NLL101 -- each handler removes its rival
  self.notifier.once('recodone', onDone);
  // ok: NLL101 -- each handler removes its rival
  self.notifier.once('refdecr', onDecr);
};
MetadataBackend.prototype.subscribe = function () {
  // ok: NLL101 -- the instance's own events: its listeners die with it
  this.once('ready', () => this.emit('subscribed'));
};
module.exports.MetadataBackend = MetadataBackend;

function Tracker() {
  this.hits = 0;
}
Tracker.prototype.watch = function (res) {
  // ruleid: NLL101 -- a method of an ES5 class: each call adds a listener to the module-level bus
  bus.on('tick', function () { res.write('.'); });
};
module.exports.Tracker = Tracker;

// --- a handler kept on a per-request object is still per request ----------------------------
app.use(function timeout(req, res, next) {
  req.clearTimeout = function () {
    req.socket.setTimeout(0);
  };
  // ruleid: NLL101 -- the keep-alive socket keeps one `drain` listener per request
  req.socket.on('drain', req.clearTimeout);
  next();
});

// --- a client request's socket belongs to the agent, not to the request ----------------------
const keepAlive = new http.Agent({ keepAlive: true });
function get(path, done) {
  const req = http.request({ path, agent: keepAlive }, (res) => done(null, res));
  req.on('socket', (socket) => {
    socket.setTimeout(5000);
    // ruleid: NLL101 -- a keep-alive socket serves many requests: one more listener each time
    socket.on('timeout', () => req.destroy());
  });
  req.on('socket', (socket) => {
    const onTimeout = () => req.destroy();
    // ok: NLL101 -- removed when the response ends
    socket.on('timeout', onTimeout);
    req.on('close', () => socket.removeListener('timeout', onTimeout));
  });
  req.end();
}
module.exports.get = get;

// A pooled socket that is already connected never fires 'connect' again: a guard on the
// socket's own `connecting` state lets the listener on only while the event can still come.
function timeoutOnConnect(req, done) {
  req.on('socket', (socket) => {
    // ruleid: NLL101 -- a connected keep-alive socket keeps one more 'connect' listener per request
    socket.on('connect', () => done(req));
  });
  req.on('socket', (socket) => {
    if (!(socket.connecting || socket._connecting)) {
      return;
    }
    // ok: NLL101 -- added only while the socket is connecting: 'connect' ends that, once
    socket.on('connect', () => done(req));
  });
  req.on('socket', (socket) => {
    if (socket.connecting) {
      // ok: NLL101 -- the same guard around the registration
      socket.once('connect', () => done(req));
    } else {
      done(req);
    }
  });
  req.on('socket', (socket) => {
    if (socket.destroyed) return;
    // ruleid: NLL101 -- 'connect' does not end `destroyed`: a connected socket gets one more
    socket.on('connect', () => done(req));
  });
  req.on('socket', (socket) => {
    if (!socket.connecting && !req.reusedSocket) return;
    // ruleid: NLL101 -- also reached for a reused socket, where 'connect' never comes
    socket.on('connect', () => done(req));
  });
}
module.exports.timeoutOnConnect = timeoutOnConnect;

// --- an event API that registers its caller's listener ----------------------------------------
function Emitter() {
  this.listeners = {};
}
Emitter.prototype.on = function (event, fn) {
  (this.listeners[event] = this.listeners[event] || []).push(fn);
  return this;
};
Emitter.prototype.once = function (event, fn) {
  function on() {
    this.off(event, on);
    fn.apply(this, arguments);
  }
  // ok: NLL101 -- the caller's listener for the caller's event: the caller owns its removal
  this.on(event, on);
  return this;
};
module.exports.Emitter = Emitter;

// --- partial cleanup: the code's own removals say the connection outlives the query -----------
function Query(connection, sql) {
  this.connection = connection;
  this.sql = sql;
}
Query.prototype.run = function (done) {
  var self = this;
  function onRow(row) { self.rows.push(row); }
  function onEnd() {
    self.connection.removeListener('row', onRow);
    self.connection.removeListener('end', onEnd);
    done(null, self.rows);
  }
  function onError(err) { done(err); }
  self.rows = [];
  // ok: NLL101 -- removed in onEnd
  this.connection.on('row', onRow);
  // ok: NLL101 -- removed in onEnd
  this.connection.on('end', onEnd);
  // ruleid: NLL101 -- `row` and `end` are removed from the pooled connection, `error` never is
  this.connection.on('error', onError);
  this.connection.write(this.sql);
};
module.exports.Query = Query;

function runOn(connection, sql, done) {
  const onData = (chunk) => done(null, chunk);
  const onError = (err) => done(err);
  // ok: NLL101 -- removed below on both outcomes
  connection.on('data', onData);
  // ok: NLL101 -- removed below on both outcomes
  connection.on('error', onError);
  connection.once('end', () => {
    connection.removeListener('data', onData);
    connection.removeListener('error', onError);
  });
  connection.write(sql);
}
module.exports.runOn = runOn;

// --- a latch: the handler is made and registered once per owner ---------------------------------
class ErrorReporter {
  install() {
    if (this.onError == null) {
      this.onError = (err) => console.error(err);
      // ok: NLL101 -- guarded by the handler it stores: registered once per reporter
      process.on('uncaughtExceptionMonitor', this.onError);
    }
  }
}
module.exports.ErrorReporter = ErrorReporter;

// A module-level flag the guarded region sets: once per process, however often it runs.
let progressHooked = false;
app.get('/hook-once', (req, res) => {
  if (!progressHooked) {
    progressHooked = true;
    // ok: NLL101 -- latched by a module-level flag: registered once per process
    process.on('warning', (w) => console.warn(w.message));
  }
  res.end();
});

let draining = false;
app.post('/drain', (req, res) => {
  if (draining) return;
  draining = true;
  // ok: NLL101 -- an early exit latched by a module-level flag: once per process
  process.on('beforeExit', (code) => console.log('drained', code));
  res.end();
});

// A flag of the instance does not latch a process-lived target: once per instance, and
// instances come and go.
class JobRunner {
  run(job) {
    if (this.hooked) return;
    this.hooked = true;
    // ruleid: NLL101
    process.on('exit', () => job.cancel());
  }
}
module.exports.JobRunner = JobRunner;

// A local flag latches nothing: it is fresh on every run.
app.get('/local-flag', (req, res) => {
  let once = false;
  if (once) return;
  once = true;
  // ruleid: NLL101
  process.on('warning', () => res.write('warned'));
  res.end();
});

// --- removal only on one path: the work can end another way with the listener attached -------
function serveFile(req, res, path, next) {
  var done = false;
  function onSocketError(err) {
    if (done) return;
    done = true;
    req.socket.removeListener('error', onSocketError);
    next(err);
  }
  function onStream() {
    req.socket.removeListener('error', onSocketError);
  }
  var file = openFile(path);
  // ruleid: NLL101 -- removed on 'error' and 'stream', not when `file` emits 'directory'
  req.socket.on('error', onSocketError);
  file.on('error', onSocketError);
  file.on('stream', onStream);
  file.on('directory', next);
  file.pipe(res);
}
module.exports.serveFile = serveFile;

function serveFileFixed(req, res, path, next) {
  function cleanup() {
    req.socket.removeListener('error', onSocketError);
  }
  function onSocketError(err) {
    cleanup();
    next(err);
  }
  var file = openFile(path);
  // ok: NLL101 -- also removed when the response finishes, however the work ends
  req.socket.on('error', onSocketError);
  file.on('error', onSocketError);
  file.on('stream', cleanup);
  file.on('directory', next);
  file.pipe(res);
  res.on('finish', cleanup);
}
module.exports.serveFileFixed = serveFileFixed;

class Uploader {
  constructor(connection) {
    this.connection = connection;
  }
  send(job, done) {
    const onDrop = () => done(new Error('dropped'));
    const upload = job.start();
    // ruleid: NLL101 -- removed when the upload fails, not when it completes
    this.connection.on('drop', onDrop);
    upload.on('error', (err) => {
      this.connection.removeListener('drop', onDrop);
      done(err);
    });
    upload.on('complete', () => done(null));
    // ok: NLL101 -- 'data' is progress, not a way the upload ends
    upload.on('data', (chunk) => job.progress(chunk.length));
  }
  sendFixed(job, done) {
    const onDrop = () => done(new Error('dropped'));
    const upload = job.start();
    const cleanup = () => this.connection.removeListener('drop', onDrop);
    // ok: NLL101 -- removed on both ways the upload ends
    this.connection.on('drop', onDrop);
    upload.on('error', (err) => {
      cleanup();
      done(err);
    });
    upload.on('complete', () => {
      cleanup();
      done(null);
    });
  }
}
module.exports.Uploader = Uploader;

// --- mismatched removal: the removal names another function ------------------------------------
function Watcher(feed) {
  this.feed = feed;
}
Watcher.prototype.start = function () {
  // ruleid: NLL101 -- stop() removes a new bound function, never this one
  this.feed.on('update', this.onUpdate.bind(this));
};
Watcher.prototype.stop = function () {
  this.feed.removeListener('update', this.onUpdate.bind(this));
};
Watcher.prototype.startFixed = function () {
  this.boundUpdate = this.boundUpdate || this.onUpdate.bind(this);
  // ok: NLL101 -- the same bound function is kept and removed in stopFixed()
  this.feed.on('update', this.boundUpdate);
};
Watcher.prototype.stopFixed = function () {
  this.feed.removeListener('update', this.boundUpdate);
};
Watcher.prototype.onUpdate = function (update) {
  this.last = update;
};
module.exports.Watcher = Watcher;

class Tracker {
  constructor(bus) {
    this.bus = bus;
  }
  watch(id) {
    const onMove = (pos) => this.record(id, pos);
    // ruleid: NLL101 -- unwatch() removes an inline arrow, never `onMove`
    this.bus.on('move', onMove);
  }
  unwatch(id) {
    this.bus.off('move', (pos) => this.record(id, pos));
  }
  refresh() {
    this.bus.removeListener('reset', this.onReset.bind(this));
    // ruleid: NLL101 -- the removal above names a new bound function: each refresh adds one more
    this.bus.on('reset', this.onReset.bind(this));
  }
  watchFixed(id) {
    this.onMove = (pos) => this.record(id, pos);
    // ok: NLL101 -- the stored handler is the one unwatchFixed() removes
    this.bus.on('move', this.onMove);
  }
  unwatchFixed() {
    this.bus.off('move', this.onMove);
  }
  record(id, pos) {
    this.last = { id, pos };
  }
  onReset() {
    this.last = null;
  }
}
module.exports.Tracker = Tracker;

// --- listeners Node adds for a callback: socket.connect(port, host, cb) ----------------------
class Feeder {
  constructor(port) {
    this.port = port;
    this.socket = new net.Socket();
    this.socket.on('error', () => {});
    this.socket.on('close', () => setTimeout(() => this.connect(), 1000));
  }
  connect() {
    // ruleid: NLL101 -- reconnects reuse the socket: one once('connect') per failed attempt
    this.socket.connect(this.port, 'feed', () => this.onConnect());
  }
  onConnect() {}
}
module.exports.Feeder = Feeder;

function FixedFeeder(port) {
  this.port = port;
  this.socket = new net.Socket();
  this.socket.on('connect', () => this.onConnect());
  this.socket.on('error', () => {});
  this.socket.on('close', () => setTimeout(() => this.connect(), 1000));
}
FixedFeeder.prototype.connect = function () {
  // ok: NLL101 -- no callback: the one 'connect' listener is added once, in the constructor
  this.socket.connect(this.port, 'feed');
};
FixedFeeder.prototype.onConnect = function () {};
function FreshFeeder(port) {
  this.port = port;
  this.connect();
}
FreshFeeder.prototype.connect = function () {
  this.socket = new net.Socket();
  this.socket.on('close', () => setTimeout(() => this.connect(), 1000));
  // ok: NLL101 -- a new socket per attempt takes its listeners with it
  this.socket.connect(this.port, 'feed', () => this.onConnect());
};
FreshFeeder.prototype.onConnect = function () {};
module.exports.feeders = { FixedFeeder, FreshFeeder };

// --- removal only on the error path ----------------------------------------------------------
function sendOn(conn, payload, cb) {
  const onClose = () => cb(new Error('closed before the reply'));
  // ruleid: NLL101 -- removed when the write fails, not when it succeeds
  conn.on('close', onClose);
  conn.write(payload, (err) => {
    if (err) {
      conn.removeListener('close', onClose);
      return cb(err);
    }
    cb(null);
  });
}
function sendOnFixed(conn, payload, cb) {
  const onClose = () => cb(new Error('closed before the reply'));
  // ok: NLL101 -- removed on both outcomes
  conn.on('close', onClose);
  conn.write(payload, (err) => {
    conn.removeListener('close', onClose);
    cb(err || null);
  });
}
module.exports.send = { sendOn, sendOnFixed };

app.get('/slow-upload', (req, res) => {
  // ruleid: NLL101 -- once('timeout') on the keep-alive socket, one more per request
  req.socket.setTimeout(60000, () => res.status(408).end());
  // ok: NLL101 -- `res.setTimeout` listens on the per-request response
  res.setTimeout(60000, () => res.status(408).end());
  res.end('ok');
});
app.get('/slow-upload-fixed', (req, res) => {
  const onTimeout = () => res.status(408).end();
  // ok: NLL101 -- no callback: the listener is added and removed by hand
  req.socket.setTimeout(60000);
  req.socket.once('timeout', onTimeout);
  res.on('finish', () => req.socket.removeListener('timeout', onTimeout));
  res.end('ok');
});

// A helper handed each outgoing request: Node 20's agent keeps sockets alive and reuses them.
function armSocketTimeout(request, reject) {
  const onTimeout = () => {
    request.destroy();
    reject(new Error('socket timed out'));
  };
  // ruleid: NLL101 -- once('timeout') on the agent's reused socket, one more per request
  request.socket.setTimeout(30000, onTimeout);
}
function armSocketTimeoutFixed(request, reject) {
  const onTimeout = () => {
    request.destroy();
    reject(new Error('socket timed out'));
  };
  // ok: NLL101 -- removed from the socket when the request closes
  request.socket.setTimeout(30000, onTimeout);
  request.on('close', () => request.socket.removeListener('timeout', onTimeout));
}
module.exports.timeouts = { armSocketTimeout, armSocketTimeoutFixed };

// --- a stream's own ending takes its listeners with it ------------------------------------------
function followProgress(stream, onFinished) {
  let finished = false;
  const output = [];
  function onData(chunk) { output.push(chunk); }
  function onError(err) {
    finished = true;
    stream.removeListener('data', onData);
    stream.removeListener('error', onError);
    stream.removeListener('end', onEnd);
    onFinished(err, output);
  }
  function onEnd() {
    if (!finished) onFinished(null, output);
    finished = true;
  }
  // ok: NLL101 -- removed on 'error'; on 'end' the stream itself is done, with its listeners
  stream.on('data', onData);
  stream.on('error', onError);
  stream.on('end', onEnd);
}
module.exports.followProgress = followProgress;

// A wrapper keeps the connection it was given and forwards its events for its own life:
// the listeners live exactly as long as the pair (evidence: `this.connection = connection`).
class ChannelModel extends EventEmitter {
  constructor(connection) {
    super();
    this.connection = connection;
    ['error', 'blocked', 'unblocked'].forEach((ev) => {
      // ok: NLL101
      connection.on(ev, this.emit.bind(this, ev));
    });
  }
}
module.exports.ChannelModel = ChannelModel;

// A function that gives the object it was given its whole event API (listeners for many
// events, not one operation's outcome) sets that object up: the listeners live with it.
class ClientServer {
  initializeClient(socket, client) {
    // ok: NLL101
    socket.on('input', (data) => client.input(data));
    // ok: NLL101
    socket.on('names', (data) => client.names(data));
    // ok: NLL101
    socket.on('sign-out', () => client.signOut());
  }
}
module.exports.ClientServer = ClientServer;

// A field that only ever holds a module-level emitter is that emitter: a listener added to
// it in a method outlives the instance, one more per instance (`self = this` too).
const sharedEmitters = { inbound: new EventEmitter() };
function inboundEmitter() {
  return sharedEmitters.inbound;
}
function InboundListener(consoleFn) {
  const self = this;
  self.consoleFn = consoleFn;
  self.emitter = inboundEmitter();
  self.local = new EventEmitter();
}
InboundListener.prototype.init = function () {
  const self = this;
  // ruleid: NLL101
  self.emitter.on('newInbound', (data) => self.consoleFn.log(data));
  // ok: NLL101
  self.local.on('newInbound', (data) => self.consoleFn.log(data));
};
module.exports.InboundListener = InboundListener;
// --- Framework lifecycles (semantics/frameworks.py) -------------------------------------
// http-proxy 0.x: the third parameter of a `createServer` handler is the routing proxy the
// server shares across all requests, so a listener added to it per request piles up.
const legacyProxy = require('http-proxy');
legacyProxy.createServer(function (request, response, proxy) {
  proxy.proxyRequest(request, response, { host: 'localhost', port: 8080 });
  // ruleid: NLL101
  proxy.on('proxyError', function (err, req, res) {
    res.writeHead(502);
    res.end('Proxy error: ' + err);
  });
});

// The same listener behind a latch the region sets itself: added once per server.
let proxyErrorAdded = false;
legacyProxy.createServer(function (request, response, proxy) {
  if (!proxyErrorAdded) {
    proxyErrorAdded = true;
    // ok: NLL101
    proxy.on('proxyError', function (err, req, res) {
      res.writeHead(502);
      res.end('Proxy error: ' + err);
    });
  }
  proxy.proxyRequest(request, response, { host: 'localhost', port: 8080 });
});

// AngularJS: a directive's `link` runs once per element the directive is placed on; the
// scope's '$destroy' is its teardown.
angular.module('chat').directive('chatOutput', function () {
  function link(scope, element) {
    function scrollIfEnabled() {
      if (scope.autoScroll) element[0].scrollTop = element[0].scrollHeight;
    }
    // ruleid: NLL101
    window.addEventListener('resize', scrollIfEnabled);
    // ok: NLL101 -- the directive's own element goes away with it
    element.on('scroll', function () { scope.autoScroll = false; });
    setTimeout(scrollIfEnabled, 260);
  }
  return { restrict: 'E', link: link };
});

angular.module('chat').directive('chatInput', function () {
  return {
    restrict: 'E',
    link: function (scope) {
      function resize() { scope.width = window.innerWidth; }
      // ok: NLL101 -- removed when the directive's scope is destroyed
      window.addEventListener('resize', resize);
      scope.$on('$destroy', function () {
        window.removeEventListener('resize', resize);
      });
    },
  };
});

// MQTT: the client reconnects by itself and fires 'connect' on every reconnect, so a
// listener added inside it is added again each time.
const mqtt = require('mqtt');
const telemetry = mqtt.connect('mqtt://broker');
telemetry.on('connect', () => {
  telemetry.subscribe('sensors/#');
  // ruleid: NLL101
  telemetry.on('message', (topic, payload) => ticker.emit(topic, payload));
});

// A plain socket's 'connect' fires once: the listener inside is added once.
const feed = net.connect(7000, 'feed');
feed.on('connect', () => {
  // ok: NLL101
  feed.on('data', (chunk) => ticker.emit('feed', chunk));
});

// commander: a command's action runs once per process (a CLI runs one command).
const { program } = require('commander');
program.command('serve').action((options) => {
  const server = http.createServer();
  // ok: NLL101 -- runs once
  process.on('SIGUSR2', () => server.close(options.done));
  server.listen(8080);
});

// Start-up code of unknown repetition whose listeners are the process's shutdown path.
// (Exported, so it may run any number of times; nothing in view says it repeats.)
function startServer(server) {
  // ok: NLL101 -- the process ends on SIGTERM
  process.on('SIGTERM', () => server.close());
  // ok: NLL101
  process.on('exit', (code) => server.close(code));
}
module.exports.startServer = startServer;

app.post('/restart', (req, res) => {
  // ruleid: NLL101 -- per request: one more SIGTERM listener for every request served
  process.on('SIGTERM', () => res.end('bye'));
});

// Job queues, schedulers and chat bots run their handlers per job or per message.
const cron = require('node-cron');
const Queue = require('bull');
const { Telegraf } = require('telegraf');
const mailQueue = new Queue('mail');
const chatBot = new Telegraf(process.env.BOT_TOKEN);
cron.schedule('*/5 * * * *', () => {
  const started = Date.now();
  // ruleid: NLL101
  ticker.on('tick', () => console.log(Date.now() - started));
});
mailQueue.process(async (job) => {
  // ruleid: NLL101
  ticker.on('sent', () => job.log('sent'));
});
chatBot.command('watch', (ctx) => {
  // ruleid: NLL101
  ticker.on('update', (update) => ctx.reply(update));
});

// socket.io's client reconnects by itself: 'connect' fires again each time.
const { io: connectIo } = require('socket.io-client');
const feedSocket = connectIo('https://feed.example');
feedSocket.on('connect', () => {
  // ruleid: NLL101
  feedSocket.on('quote', (quote) => ticker.emit('quote', quote));
});

// yargs: a command's handler runs once per process.
require('yargs')
  .command('watch', 'watch the feed', () => {}, (argv) => {
    // ok: NLL101 -- runs once
    process.on('SIGUSR2', () => console.log(argv.verbose));
  })
  .parse();

// A latch whose flag is a local of the function around the handler is kept between the
// handler's runs: the listener is added once per server, not once per request.
function createGuardedProxyServer(backend) {
  let proxyErrorWired = false;
  return legacyProxy.createServer((request, response, proxy) => {
    if (!proxyErrorWired) {
      // ok: NLL101
      proxy.on('proxyError', (err) => console.error(`Proxy error: ${err}`));
      proxyErrorWired = true;
    }
    proxy.proxyRequest(request, response, backend);
  });
}
module.exports.createGuardedProxyServer = createGuardedProxyServer;

// A function that adds its caller's listener to a shared emitter: the caller owns that
// listener, so the call is judged. Per request with a new function and no counterpart call,
// one more listener stays on `ticks` per request.
const ticks = new EventEmitter();
function onTick(listener) {
  ticks.on('tick', listener);
}
function offTick(listener) {
  ticks.off('tick', listener);
}
app.get('/ticks', (req, res) => {
  // ruleid: NLL101
  onTick((t) => res.write(`tick ${t}\n`));
});
app.get('/ticks-cleaned', (req, res) => {
  const listener = (t) => res.write(`tick ${t}\n`);
  // ok: NLL101 -- handed to the counterpart when the request ends
  onTick(listener);
  req.on('close', () => offTick(listener));
});
// ok: NLL101 -- once, at start-up
onTick((t) => console.log(t));

// A registrar that returns its own disposer: a caller that keeps it can remove the listener;
// one that drops it cannot.
function watchTicks(listener) {
  ticks.on('tick', listener);
  return () => ticks.off('tick', listener);
}
app.get('/watch', (req, res) => {
  // ok: NLL101 -- the disposer is kept and called when the request closes
  const stop = watchTicks((t) => res.write(`tick ${t}\n`));
  req.on('close', stop);
});
app.get('/watch-dropped', (req, res) => {
  // ruleid: NLL101
  watchTicks((t) => res.write(`tick ${t}\n`));
});

// A page's start-up: 'DOMContentLoaded' fires once per page, so what it runs runs once.
function initPage() {
  // ok: NLL101 -- added once, when the page is ready
  document.addEventListener('click', (event) => console.log(event.target));
}
document.addEventListener('DOMContentLoaded', initPage);

// A reconnect path that clears the client's listeners before setting them up again: each
// run starts from a clean emitter.
const remote = new EventEmitter();
function setupRemoteListeners() {
  // ok: NLL101 -- the caller clears every listener before each setup
  remote.on('scene-changed', (scene) => console.log(scene));
}
function reconnectRemote() {
  remote.removeAllListeners();
  setupRemoteListeners();
  setTimeout(reconnectRemote, 10000);
}
module.exports.reconnectRemote = reconnectRemote;

// Without the clear, every reconnect adds one more.
const leakyRemote = new EventEmitter();
function setupLeakyListeners() {
  // ruleid: NLL101
  leakyRemote.on('scene-changed', (scene) => console.log(scene));
}
function reconnectLeaky() {
  setupLeakyListeners();
  setTimeout(reconnectLeaky, 10000);
}
module.exports.reconnectLeaky = reconnectLeaky;

// Electron: 'will-finish-launching' fires once per process, so what it runs runs once.
const electronApp = require('electron').app;
function handleWillFinishLaunching() {
  // ok: NLL101 -- added once, while the app launches
  electronApp.on('open-url', (event, url) => console.log(url));
}
electronApp.on('will-finish-launching', handleWillFinishLaunching);

// A property of an object literal made in this run, holding something also made there, is
// fresh: the listener goes with the replaced object. One holding a shared emitter is not.
const instances = {};
const sharedLogic = new EventEmitter();
function startInstance(id, factory) {
  const instance = instances[id];
  instance.process = { logic: factory() };
  // ok: NLL101 -- a new object per start; the old one and its listener are dropped
  instance.process.logic.on('exit', (code) => console.log(id, code));
  instance.shared = { logic: sharedLogic };
  // ruleid: NLL101
  instance.shared.logic.on('exit', (code) => console.log(id, code));
}
setInterval(() => startInstance('a', () => new EventEmitter()), 1000);

// A module binding the calling run has just filled with an object it constructed passes
// that run's object to the helper: the helper's listener goes with it. A binding that keeps
// one shared object passes the shared one.
let mainWindow;
const sharedContents = new EventEmitter();
function watchNavigation(contents) {
  // ok: NLL101 -- each caller passes contents of a window it has just constructed
  contents.on('will-navigate', (event) => event.preventDefault());
}
function openMainWindow() {
  mainWindow = new BrowserWindow({ width: 800 });
  watchNavigation(mainWindow.webContents);
}
ipcMain.on('open-window', openMainWindow);
ipcMain.on('open-extra', () => {
  const win = new BrowserWindow({ width: 400 });
  watchNavigation(win.webContents);
});
function watchShared(contents) {
  // ruleid: NLL101
  contents.on('will-navigate', (event) => event.preventDefault());
}
ipcMain.on('reload', () => watchShared(sharedContents));

// A listener that removes itself only when a matching event arrives: when the session ends
// first, it stays on the shared subscriber (ES5 class, self = this).
function Handler(sub) {
  this.sub = sub;
}
Handler.prototype.hello = function (session, callback) {
  var self = this;
  // ruleid: NLL101 -- removed only when this call's final state arrives; a session that closes first leaves it
  self.sub.on('message', function listener(channel, state) {
    if (channel === session.id && state === 'terminated') {
      self.sub.removeListener('message', listener);
    }
    callback(null, state);
  });
};
Handler.prototype.helloFixed = function (session, callback) {
  var self = this;
  function listener(channel, state) {
    if (channel === session.id && state === 'terminated') {
      self.sub.removeListener('message', listener);
    }
    callback(null, state);
  }
  // ok: NLL101 -- also removed when the session closes
  self.sub.on('message', listener);
  session.on('close', function () { self.sub.removeListener('message', listener); });
};
Handler.prototype.waitOnce = function (callback) {
  var self = this;
  // ok: NLL101 -- removed by the first event it receives, whatever it is: `once` by hand
  self.sub.on('message', function listener(channel, state) {
    self.sub.removeListener('message', listener);
    callback(null, state);
  });
};
// A test that only asks whether the target is there (an optional `{ signal }`) is no latch:
// the region runs on every call that passes one. A test the region answers itself still is.
async function mapWithSignal(items, mapper, { signal } = {}) {
  return new Promise((resolve, reject) => {
    if (signal) {
      // ruleid: NLL101
      signal.addEventListener('abort', () => reject(signal.reason));
    }
    Promise.all(items.map(mapper)).then(resolve, reject);
  });
}
async function mapWithSignalCleaned(items, mapper, { signal } = {}) {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal != null) {
      // ok: NLL101 -- removed when the work settles
      signal.addEventListener('abort', onAbort, { once: true });
    }
    Promise.all(items.map(mapper))
      .then(resolve, reject)
      .finally(() => signal && signal.removeEventListener('abort', onAbort));
  });
}
function Waiter(emitter) {
  this.emitter = emitter;
}
Waiter.prototype.wait = function (id, callback) {
  var self = this;
  if (self.emitter && id) {
    // ruleid: NLL101
    self.emitter.on('reply', function (reply) { if (reply.id === id) callback(reply); });
  }
};
var sharedWaiter = new Waiter(ticker);
app.get('/wait/:id', (req, res) => sharedWaiter.wait(req.params.id, (reply) => res.json(reply)));
const watchedSockets = new WeakSet();
app.get('/presence-and-mark', (req, res) => {
  if (req.socket && !watchedSockets.has(req.socket)) {
    watchedSockets.add(req.socket);
    // ok: NLL101 -- the test also asks what the region marks: once per socket
    req.socket.on('timeout', () => res.end());
  }
  res.end();
});
// Node's stream operators (and readable-stream's copy of them) tie the listener to the
// stream with the weak-handler option: EventTarget holds it weakly, so it pins nothing.
const kWeakHandler = Symbol('kWeakHandler');
async function reduceStream(stream, reducer, options) {
  const ac = new AbortController();
  if (options && options.signal) {
    const opts = { once: true, [kWeakHandler]: stream };
    // ok: NLL101 -- held weakly by the signal
    options.signal.addEventListener('abort', () => ac.abort(), opts);
  }
  try {
    for await (const value of stream) reducer(value, { signal: ac.signal });
  } finally {
    ac.abort();
  }
}
module.exports.reduceStream = reduceStream;
module.exports.mapWithSignal = mapWithSignal;
module.exports.mapWithSignalCleaned = mapWithSignalCleaned;

// A flag set inside the callback, tested on the way into the function that passes it: the
// region runs once (lazy loading), not per call.
var loaded = false;
function withTool(run) {
  if (loaded) return run();
  tool.load({}, function () {
    loaded = true;
    // ok: NLL101 -- `if (loaded) return` on the way in: added once, when the tool first loads
    tool.on('log', function (message) { console.log(message, run); });
    run();
  });
}
function withToolEveryTime(run) {
  tool.load({}, function () {
    // ruleid: NLL101
    tool.on('log', function (message) { console.log(message, run); });
    run();
  });
}
exports.install = function (name) { withTool(() => name); withToolEveryTime(() => name); };

// The same module-level function added again per request: an EventEmitter keeps every copy.
function onConfigReload() {
  console.log('reloaded');
}
app.get('/reload', (req, res) => {
  // ruleid: NLL101 -- one more copy of `onConfigReload` per request, each run once per event
  process.on('SIGHUP', onConfigReload);
  res.end();
});
let reloadHooked = false;
app.get('/reload-once', (req, res) => {
  if (!reloadHooked) {
    reloadHooked = true;
    // ok: NLL101 -- behind a module-level flag: added once
    process.on('SIGHUP', onConfigReload);
  }
  res.end();
});
app.get('/reload-target', (req, res) => {
  // ok: NLL101 -- an EventTarget keeps one copy of the same function
  abortBus.addEventListener('reload', onConfigReload);
  res.end();
});

// Event names from a table of constants are names too: the removal of a fresh bind below
// is meant for this registration and removes nothing.
const LinkEvents = Object.freeze({ Drain: 'drain', Closed: 'closed' });
class LinkManager {
  constructor(link) {
    this.link = link;
  }
  attach() {
    // ruleid: NLL101 -- `off(LinkEvents.Drain, this.flush.bind(this))` removes a new function, not this one
    this.link.on(LinkEvents.Drain, this.flush.bind(this));
  }
  detach() {
    this.link.off(LinkEvents.Drain, this.flush.bind(this));
  }
  flush() {}
}

// A library that adds process exit handlers and returns their remover (signal-exit): per
// request with a new callback and the remover dropped, one more handler per request.
const onExit = require('signal-exit');
app.post('/upload', (req, res) => {
  // ruleid: NLL101 -- each upload adds an exit handler holding its files; the remover is dropped
  onExit(() => removeFiles(req.files));
  res.end();
});
app.post('/upload-ok', (req, res) => {
  // ok: NLL101 -- the remover is kept and called when the request is done
  const remove = onExit(() => removeFiles(req.files));
  res.on('close', remove);
  res.end();
});
// ok: NLL101 -- once, at start-up
onExit(() => removeFiles(tempFiles));
function removeFiles() {}

// A forgotten `once`: each stream a long-lived hub creates removes its '_update' listener
// from the hub when it closes, but not its once('dispose'), which fires only when the hub
// itself is disposed. Every closed stream stays on the hub until then.
function Hub() {
  this.streams = 0;
}
Hub.prototype.createStream = function () {
  var self = this;
  var d = new Duplex();
  function onUpdate(update) { d.push(update); }
  self.on('_update', onUpdate);
  d.on('close', function () {
    self.removeListener('_update', onUpdate);
  });
  // ruleid: NLL101 -- the stream's close removes `onUpdate` from the hub, not this once('dispose')
  self.once('dispose', function () {
    d.end();
  });
  return d;
};
Hub.prototype.createQuietStream = function () {
  var self = this;
  var d = new Duplex();
  function onUpdate(update) { d.push(update); }
  function dispose() { d.end(); }
  self.on('_update', onUpdate);
  d.on('close', function () {
    self.removeListener('_update', onUpdate);
    self.removeListener('dispose', dispose);
  });
  // ok: NLL101 -- the stream's close removes it too
  self.once('dispose', dispose);
  return d;
};
Hub.prototype.createEndingStream = function () {
  var self = this;
  var d = new Duplex();
  function onUpdate(update) { d.push(update); }
  self.on('_update', onUpdate);
  self.once('end', function () {
    self.removeListener('_update', onUpdate);
  });
  // ok: NLL101 -- the cleanup runs on the hub's 'end', the event this once waits for
  self.once('end', function () {
    d.end();
  });
  return d;
};
module.exports.Hub = Hub;

// Registrars on the instance: `onReady(fn)` adds its caller's listener to the instance and
// returns the remover. `connect` runs per reconnect and drops the remover each time.
function Receiver() {
  EventEmitter.call(this);
  // ok: NLL101 -- in the constructor: once per instance
  this.onReady(function () { console.log('first ready'); });
}
util.inherits(Receiver, EventEmitter);
Receiver.prototype.onReady = function (listener) {
  var self = this;
  this.on('ready', listener);
  return function () { self.removeListener('ready', listener); };
};
Receiver.prototype.connect = function () {
  var self = this;
  return new Promise(function (resolve) {
    // ruleid: NLL101 -- a new resolver per connect, the remover dropped
    self.onReady(resolve);
  });
};
Receiver.prototype.connectQuietly = function () {
  var self = this;
  return new Promise(function (resolve) {
    // ok: NLL101 -- the remover is kept and called when ready
    var dispose = self.onReady(function () {
      dispose();
      resolve();
    });
  });
};
Receiver.prototype.watch = function () {
  // ok: NLL101 -- the same method every time, not a new function
  this.onReady(this.report);
};
module.exports.Receiver = Receiver;

// A library that listens on its own object: formidable's `form.parse(req, cb)` adds
// 'field', 'file', 'error' and 'end' listeners to the form on every call.
const formidable = require('formidable');
function formParser(opts) {
  const form = new formidable.IncomingForm(opts);
  return (req, res, next) => {
    // ruleid: NLL101 -- one form for every request: four more listeners per request
    form.parse(req, (err, fields, files) => {
      Object.assign(req, { fields, files });
      next(err);
    });
  };
}
function freshFormParser(opts) {
  return (req, res, next) => {
    const form = new formidable.IncomingForm(opts);
    // ok: NLL101 -- a form per request takes its listeners with it
    form.parse(req, (err, fields) => {
      req.fields = fields;
      next(err);
    });
  };
}
module.exports.formParser = formParser;
module.exports.freshFormParser = freshFormParser;

// --- the same connection opened again: 'connect' fires per call on one socket ----------------
function GpsListener(port) {
  this.port = port;
  this.socket = new net.Socket();
}
GpsListener.prototype.connect = function (callback) {
  this.socket.connect(this.port);
  // ruleid: NLL101 -- the instance's socket outlives every connect(): each call's listener stays
  this.socket.on('connect', function () {
    if (callback !== undefined) callback.call();
  });
};
GpsListener.prototype.reconnect = function (callback) {
  this.socket.connect(this.port);
  // ok: NLL101 -- once() removes itself when this connection's 'connect' fires
  this.socket.once('connect', function () {
    callback();
  });
};
GpsListener.prototype.dial = function (callback) {
  const socket = net.connect(this.port);
  // ok: NLL101 -- a new socket per call: its 'connect' is this call's own piece of work
  socket.on('connect', function () {
    callback(socket);
  });
};
module.exports.GpsListener = GpsListener;

// --- setup run again on the same instance ------------------------------------------------------
class JobQueue {
  constructor(scheduler) {
    this.scheduler = scheduler;
    this.init();
  }
  registerListeners() {
    // ruleid: NLL101 -- init() runs when the queue is made and again from flush()
    this.scheduler.on('job:fail', (job) => this.report(job));
  }
  init() {
    this.registerListeners();
    this.scheduler.start();
  }
  flush() {
    this.scheduler.stop();
    this.init();
  }
  report() {}
}

class Poller {
  constructor(scheduler) {
    this.scheduler = scheduler;
    this.start();
  }
  start() {
    if (this.started) return;
    this.started = true;
    // ok: NLL101 -- the latch lets start() add its listener once per instance
    this.scheduler.on('tick', () => this.poll());
  }
  restart() {
    this.start();
  }
  poll() {}
}

class Feeder {
  constructor(createSource) {
    this.createSource = createSource;
    this.connect();
  }
  connect() {
    this.source = this.createSource();
    // ok: NLL101 -- each run listens on the new source it just made
    this.source.on('item', (item) => this.push(item));
  }
  reconnect() {
    this.connect();
  }
  push() {}
}
module.exports.queues = { JobQueue, Poller, Feeder };

// A #private setup method only the constructor calls runs once per instance.
class SocketBridge {
  constructor(port) {
    this.wss = new WebSocket.Server({ port });
    this.#listen();
  }
  #listen() {
    const started = Date.now();
    // ok: NLL101 -- #listen() is private and only the constructor calls it: once per instance
    this.wss.on('connection', (ws) => ws.send(String(started)));
  }
}
module.exports.bridges = { SocketBridge };

// A field that holds the request parameter is that request: `this.res.connection` is the
// keep-alive socket as `res.connection` would be.
function RpcExchange(server, req, res) {
  var self = this;
  EventEmitter.call(this);
  this.req = req;
  this.res = res;
  // ruleid: NLL101 -- `this.res` is the response: its connection is the keep-alive socket
  this.res.connection.on('end', function () {
    self.emit('end');
  });
}
util.inherits(RpcExchange, EventEmitter);

function RpcReply(server, req, res) {
  var self = this;
  EventEmitter.call(this);
  this.res = res;
  // ok: NLL101 -- the fix: listen on the response, which dies with the request
  this.res.on('finish', function () {
    self.emit('end');
  });
}
util.inherits(RpcReply, EventEmitter);

class Exchange extends EventEmitter {
  constructor(req, res) {
    super();
    this.req = req;
    this.res = res;
  }
  watch() {
    // ruleid: NLL101 -- every value the class gives `this.req` is its request parameter
    this.req.socket.on('close', () => this.emit('gone'));
  }
  detach() {
    const onClose = () => this.emit('gone');
    // ok: NLL101 -- removed when the response finishes
    this.req.socket.on('close', onClose);
    this.res.on('finish', () => this.req.socket.removeListener('close', onClose));
  }
}
class Relay extends EventEmitter {
  constructor(req, upstream) {
    super();
    this.req = req;
    this.req = upstream.request();
  }
  watch() {
    // ok: NLL101 -- `this.req` also holds something made elsewhere: no keep-alive evidence
    this.req.socket.on('close', () => this.emit('gone'));
  }
}
module.exports.exchanges = { RpcExchange, RpcReply, Exchange, Relay };

// --- objects a library keeps until they are taken back: winston transports ------------------
const winston = require('winston');
const WinstonTransport = require('winston-transport');

const appLogger = winston.createLogger({ transports: [new winston.transports.Console()] });
// ok: NLL101 -- module top level runs once
appLogger.add(new winston.transports.File({ filename: 'app.log' }));

class ArrayTransport extends WinstonTransport {
  constructor(records) {
    super();
    this.records = records;
  }
  log(info, next) {
    this.records.push(info);
    next();
  }
}

app.get('/report', (req, res) => {
  const logs = [];
  // ruleid: NLL101 -- one more transport on the shared logger per request
  appLogger.add(new ArrayTransport(logs));
  res.json(logs);
});

app.get('/report-fixed', (req, res) => {
  const logs = [];
  const transport = new ArrayTransport(logs);
  // ok: NLL101 -- taken back when the request is done
  appLogger.add(transport);
  try {
    res.json(logs);
  } finally {
    appLogger.remove(transport);
  }
});

app.get('/own-logger', (req, res) => {
  const logs = [];
  const own = winston.createLogger();
  // ok: NLL101 -- a logger of this request: it goes with its transport
  own.add(new ArrayTransport(logs));
  res.json(logs);
});

function buildScrapeMeta(id) {
  const logger = appLogger.child({ scrapeId: id });
  const logs = [];
  // ruleid: NLL101 -- a child shares its parent's transports: this one lands on `appLogger`
  logger.add(new ArrayTransport(logs));
  return { id, logger, logs };
}

function enableFileLogging(filename) {
  // ok: NLL101 -- exported set-up of unknown frequency, no child made per call: start-up code
  appLogger.add(new winston.transports.File({ filename }));
}

function ScrapeJob(id) {
  this.id = id;
  this.logs = [];
}
ScrapeJob.prototype.start = function () {
  // ruleid: NLL101 -- through a child made on each start
  appLogger.child({ job: this.id }).add(new ArrayTransport(this.logs));
};
module.exports.transports = { buildScrapeMeta, enableFileLogging, ScrapeJob };

// --- constructor parameters take what every `new X(…)` passes (arguments reach parameters) -----
class PeerLink {
  constructor(hub, socket) {
    this.socket = socket;
    // ruleid: NLL101 -- every `new PeerLink(ticker, …)` hands the module-level `ticker`
    hub.on('tick', (n) => this.socket.write(String(n)));
  }
}
class PeerLinkCleaned {
  constructor(hub, socket) {
    this.hub = hub;
    this.socket = socket;
    this.onTick = (n) => this.socket.write(String(n));
    // ok: NLL101 -- `destroy()` removes it from `this.hub`, the field the constructor keeps `hub` in
    hub.on('tick', this.onTick);
    socket.on('close', () => this.destroy());
  }
  destroy() {
    this.hub.off('tick', this.onTick);
  }
}
class PeerLinkLocal {
  constructor(hub) {
    // ok: NLL101 -- its one caller hands an emitter made in the same run
    hub.on('tick', (n) => this.count(n));
  }
  count() {}
}
net.createServer((socket) => {
  new PeerLink(ticker, socket);
  new PeerLinkCleaned(ticker, socket);
  new PeerLinkLocal(new EventEmitter());
});

function Subscriber(feed, id) {
  EventEmitter.call(this);
  this.id = id;
  // ruleid: NLL101 -- ES5: `util.inherits(Subscriber, …)` constructs nothing; the one `new` hands `ticker`
  feed.on('tick', () => this.emit('update', id));
}
require('node:util').inherits(Subscriber, EventEmitter);
Subscriber.prototype.stop = function () {};
module.exports.subscribe = (id) => new Subscriber(ticker, id);

// --- a test of the emitter's state that the region leaves alone is no latch --------------------
module.exports.sendWhenOpen = function (msg, cb) {
  if (!upstream.destroyed) {
    // ruleid: NLL101 -- `destroyed` does not change when a listener is added: one more per call
    upstream.on('data', (d) => cb(d, msg));
  }
};
module.exports.sendOnce = function (msg, cb) {
  if (upstream.listenerCount('data') === 0) {
    // ok: NLL101 -- the region's own listener changes the answer: at most one at a time
    upstream.on('data', (d) => cb(d, msg));
  }
};

// --- latches whose flag is set to an object; removals in a hook the class hands to a helper -----
let sharedHub;
function getHub() {
  if (sharedHub) {
    return sharedHub;
  }
  sharedHub = new EventEmitter();
  const tag = Date.now();
  if (process.send) {
    // ok: NLL101 -- `if (sharedHub) return` before `sharedHub = new EventEmitter()`: once per process
    process.on('message', (m) => sharedHub.emit(m.event, tag));
  }
  return sharedHub;
}
let plainHub;
function getPlainHub() {
  plainHub = new EventEmitter();
  const tag = Date.now();
  if (process.send) {
    // ruleid: NLL101 -- no early exit on the slot: every call adds one more
    process.on('message', (m) => plainHub.emit(m.event, tag));
  }
  return plainHub;
}
module.exports.hub = {
  publish(event, data) { getHub().emit(event, data); getPlainHub().emit(event, data); },
};

function Beacon() {
  EventEmitter.call(this);
  this.initialise();
}
Beacon.prototype.initialise = function () {
  var self = this;
  self.onOffline = function () { self.emit('offline'); };
  // ok: NLL101 -- removed in the `detach` hook the class hands to `demolish`
  window.addEventListener('offline', self.onOffline);
};
Beacon.prototype.reconnect = function () {
  this.initialise();
};
Beacon.prototype.destroy = require('demolish')({
  after: [function detach() { window.removeEventListener('offline', this.onOffline); }],
});
function Lamp() {
  EventEmitter.call(this);
  this.initialise();
}
Lamp.prototype.initialise = function () {
  var self = this;
  self.onOffline = function () { self.emit('offline'); };
  // ruleid: NLL101 -- `reconnect()` runs the setup again and nothing removes the handler
  window.addEventListener('offline', self.onOffline);
};
Lamp.prototype.reconnect = function () {
  this.initialise();
};
module.exports.Beacon = Beacon;
module.exports.Lamp = Lamp;

// --- ready or wait: the other branch does the handler's work at once ---------------------------
const mainWindow = new EventEmitter();
module.exports.openLink = function (url) {
  if (mainWindow.current) {
    showLink(url);
  } else {
    // ok: NLL101 -- added only until the window exists; then the link is shown at once
    mainWindow.on('created', () => showLink(url));
  }
};
module.exports.openLinkLater = function (url) {
  if (mainWindow.current) {
    mainWindow.emit('focus');
  } else {
    // ruleid: NLL101 -- the other branch does other work: nothing says 'created' ends the wait
    mainWindow.on('created', () => showLink(url));
  }
};
function showLink() {}
module.exports.publishWhenConnected = function (topic, message) {
  if (telemetry.connected) {
    telemetry.publish(topic, message);
  } else {
    // ruleid: NLL101 -- an MQTT client's 'connect' fires on every reconnect: no wait that ends
    telemetry.on('connect', () => telemetry.publish(topic, message));
  }
};

// --- a class the file instantiates once: its constructor runs once -------------------------
const settingsBus = new EventEmitter();
class SettingsManager {
  constructor() {
    // ok: NLL101 -- the only instance is made at module top level below (a file-local singleton)
    settingsBus.on('settings:get', (key) => this.get(key));
  }
  get() {}
}
const settingsManager = new SettingsManager();
module.exports.settings = settingsManager;

class SettingsSession {
  constructor(req) {
    // ruleid: NLL101 -- one instance per request: one more listener each
    settingsBus.on('settings:changed', () => this.notify(req));
  }
  notify() {}
}
module.exports.openSettings = function (req, res) {
  new SettingsSession(req);
  res.end();
};

// --- a registration's result handed on through a conditional ------------------------------
// `cond ? null : dom.on('click', f)` given to a builder keeps the result just as `dom.on(…)`
// given there does: whatever the registration returns (a disposer, a binding the builder
// attaches to the element it makes) is in the caller's hands.
app.get('/widget', (req, res) => {
  buildWidget(
    'button',
    // ok: NLL101 -- the result goes to the builder through the conditional
    req.query.disabled ? null : ticker.on('widget:click', () => res.write('clicked')),
    // ok: NLL101 -- the same through `&&`
    req.query.live && ticker.on('widget:hover', () => res.write('hovered')),
  );
  res.end();
});

app.get('/widget-dropped', (req, res) => {
  // ruleid: NLL101 -- the conditional's value is dropped: nothing keeps the result
  req.query.live ? ticker.on('widget:drop', () => res.write('dropped')) : null;
  res.end();
});

// --- a slot the run fills anew: clients[r] = new …; clients[r].on(…) -----------------------
// The same local key that nothing reassigns names the same slot twice in one run: the run
// puts a new emitter there, and the listeners go with it when the slot is refilled.
const redisClients = {};
class RedisPool {
  connect(names) {
    for (const r of names) {
      redisClients[r] = new EventEmitter();
      // ok: NLL101 -- a new emitter in this slot, made by this run
      redisClients[r].on('error', (err) => this.report(r, err));
    }
  }
  watch(names) {
    for (const r of names) {
      // ruleid: NLL101 -- the slot keeps the emitter from before: one more listener per call
      redisClients[r].on('ready', () => this.report(r, null));
    }
  }
  report() {}
}
module.exports.RedisPool = RedisPool;

const workerGroups = {};
class WorkerHost {
  start(instance) {
    const group = instance.group;
    workerGroups[group] = workerGroups[group] || { instances: [] };
    const worker = workerGroups[group];
    if (!worker.process) {
      worker.process = spawn('node', ['worker.js']);
      // ok: NLL101 -- the block that makes the process anew (through the alias) holds this
      workerGroups[group].process.on('exit', () => this.restart(instance));
    }
    // ruleid: NLL101 -- after the `if`: a process from an earlier call gets one more each time
    workerGroups[group].process.on('message', () => this.restart(instance));
  }
  startGuarded(instance) {
    const group = instance.group;
    const worker = workerGroups[group];
    if (!worker.process) {
      try {
        worker.process = spawn('node', ['worker.js']);
      } catch (err) {
        delete worker.process;
      }
      // ok: NLL101 -- filled in the `try` above: the block around the `try` holds this
      if (worker.process) workerGroups[group].process.on('close', () => this.restart(instance));
    }
  }
  restart() {}
}
module.exports.WorkerHost = WorkerHost;

// --- an early exit once a slot is filled: if (tray != null) return; tray = new Tray(…) --------
// A test that the slot is filled leaves as `if (tray) return` does when what fills it is never
// null: the function's body past the test runs once per process.
let statusTray = null;
function createStatusTray(win) {
  if (statusTray != null) {
    return;
  }
  statusTray = new EventEmitter();
  // ok: NLL101 -- later runs leave at the test: once per process
  ticker.on('tray:show', () => win.write('show'));
}
let statusBadge = null;
function createStatusBadge(win) {
  if (statusBadge != null) {
    win.write('again');
  }
  statusBadge = new EventEmitter();
  // ruleid: NLL101 -- the test does not leave: one more listener each run
  ticker.on('badge:show', () => win.write('show'));
}
app.get('/tray', (req, res) => {
  createStatusTray(res);
  createStatusBadge(res);
  res.end();
});

// --- a method the class hands to a registration as the handler: its parameters are per event -
// `io.on('connection', this.onConnection.bind(this))` passes the method as a callback: the
// socket it gets is the connection's own, and the listeners go with the connection.
class LiveRoom {
  constructor(io) {
    io.on('connection', this.onConnection.bind(this));
  }
  onConnection(socket) {
    for (const name of ['join', 'leave']) {
      // ok: NLL101 -- the connection's own socket (a parameter of a handler)
      socket.on(name, this.relay.bind(this, name));
    }
  }
  adopt(socket) {
    for (const name of ['join', 'leave']) {
      // ruleid: NLL101 -- a socket of unknown lifetime, one more listener per call
      socket.on(name, this.relay.bind(this, name));
    }
  }
  relay() {}
}
module.exports.LiveRoom = LiveRoom;

// --- driven only by messages from the parent process: repetition inferred, not seen ---------
// The parent is another process, which may send one message (`cluster.fork().send({ index })`)
// or many: medium, where a per-request handler would be high.
function startWorker(index) {
  const server = require('node:http').createServer().listen(3000 + index);
  // ruleid: NLL101 -- medium: once per message from the parent, however many it sends
  process.on('SIGTERM', () => server.close());
}
process.on('message', (msg) => startWorker(msg.index));

// --- a latch keyed by the event itself: one listener per event name ---------------------------
const tracer = new EventEmitter();
const traced = {};
tracer.on('newListener', (event) => {
  if (!traced[event]) {
    traced[event] = true;
    // ok: NLL101 -- filed under its own event name first: at most one listener per event
    tracer.on(event, () => console.log('emit', event));
  }
});
const logged = {};
tracer.on('newListener', (event) => {
  if (!logged[event]) {
    logged[event] = true;
  }
  // ruleid: NLL101 -- the test does not guard the registration
  tracer.on(event, () => console.log('emit', event));
});

// --- Polymer: `ready()` runs once per element; its own `this.$` nodes die with it ----------
const Polymer = require('@polymer/polymer');
class ToggleMenu extends Polymer.PolymerElement {
  ready() {
    super.ready();
    const close = () => this.set('open', false);
    // ok: NLL101 -- the element's own node, in the hook Polymer runs once per element
    this.$.menu.addEventListener('mouseleave', () => close());
  }
}
customElements.define('toggle-menu', ToggleMenu);
class ReadyAgainMenu extends Polymer.PolymerElement {
  ready() {
    super.ready();
    const close = () => this.set('open', false);
    // ruleid: NLL101 -- the file runs `ready()` again itself: one more per call
    this.$.menu.addEventListener('mouseleave', () => close());
  }
  reset() {
    this.ready();
  }
}
customElements.define('ready-again-menu', ReadyAgainMenu);

// --- a latch on a module-level timer handle: the rest of the function runs once --------------
let flushEvery = null;
function ensureFlusher() {
  if (flushEvery) return;
  flushEvery = setInterval(() => {}, 60000);
  // ok: NLL101 -- after `if (flushEvery) return; flushEvery = setInterval(…)`: once per process
  process.once('exit', () => clearInterval(flushEvery));
}
app.post('/flush', (req, res) => {
  ensureFlusher();
  res.end();
});

// --- the request's socket by role, whatever the parameter is called ---------------------
http.createServer((clientReq, clientRes) => {
  const upstream = http.request({ host: 'backend' });
  // ruleid: NLL101 -- `clientReq` is the request `createServer` serves: its socket is keep-alive
  clientReq.socket.once('error', () => upstream.destroy());
  upstream.end();
});
const proxy = http.createServer();
proxy.on('request', (incoming, outgoing) => {
  // ruleid: NLL101 -- a 'request' handler's first parameter is the request, by role
  incoming.socket.on('timeout', () => outgoing.end());
});
app.post('/upload', (r, w) => {
  // ruleid: NLL101 -- a route's second parameter is the response: its socket is keep-alive
  w.socket.on('drain', () => w.write('more'));
});
http.get('http://backend/health', (answer) => {
  // ok: NLL101 -- the callback of `http.get` gets an upstream response, not a request served
  answer.socket.on('close', () => console.log(answer.statusCode));
});
function changesFeed(inbound, outbound) {
  // ruleid: NLL101 -- handed to `app.get` by name below: `inbound` is the request served
  inbound.socket.on('close', () => outbound.end());
}
app.get('/changes', changesFeed);
module.exports.serveFile = function (a, b) {
  b.statusCode = 200;
  // ruleid: NLL101 -- `b.statusCode = …`: only a server's response answers so; `a` is its request
  a.socket.on('error', () => b.destroy());
};
function trackRequest(req, onGone) {
  // ruleid: NLL101 -- `req` is a request by its name only (medium): nothing in view serves it
  req.socket.on('close', () => onGone(req.url));
}
bus.on('job', (job) => trackRequest(job.req, job.done));

// --- a CLI command module: its handler runs once per process ------------------------------------
const yargsCommand = {
  command: 'serve',
  describe: 'start the server',
  handler(argv) {
    // ok: NLL101 -- the command line runs a command's handler once per process
    process.on('SIGINT', () => console.log('stopping', argv.port));
  },
};
const fastifyRoute = {
  method: 'GET',
  url: '/ping',
  handler(request, reply) {
    // ruleid: NLL101 -- a route's handler runs per request
    process.on('SIGINT', () => reply.send('bye'));
  },
};
module.exports.routes = [fastifyRoute];
module.exports.commands = [yargsCommand];
