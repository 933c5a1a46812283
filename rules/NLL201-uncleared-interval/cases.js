// Annotated cases for NLL201 uncleared-interval (CommonJS: Express, Socket.IO, ws, Koa, Fastify).
const express = require('express');
const net = require('node:net');
const timers = require('node:timers');
const { setInterval: every } = require('timers');
const { setInterval: ticks } = require('timers/promises');
const { Server } = require('socket.io');
const { WebSocketServer } = require('ws');

const app = express();
const io = new Server();
const wss = new WebSocketServer({ port: 8080 });

// ok: NLL201 -- module top level: one reporter for the life of the process
setInterval(() => reportMetrics(), 10000);

// --- discarded handles in repeating contexts -------------------------------------------------
app.get('/progress', (req, res) => {
  // ruleid: NLL201
  setInterval(() => res.write('.'), 1000);
});

app.get('/unref', (req, res) => {
  // ruleid: NLL201
  setInterval(() => res.write(`${req.url}\n`), 1000).unref();
});

app.get('/timers-module', (req, res) => {
  // ruleid: NLL201
  timers.setInterval(() => res.write('.'), 1000);
  // ruleid: NLL201
  every(() => res.write('.'), 1000);
});

io.on('connection', (socket) => {
  // ruleid: NLL201
  setInterval(() => socket.emit('tick', Date.now()), 1000);
});

// --- handles stored but never cleared --------------------------------------------------------
wss.on('connection', (ws) => {
  // ruleid: NLL201
  const ping = setInterval(() => ws.ping(), 30000);
  ping.unref();
});

app.get('/stored-on-request', (req, res) => {
  // ruleid: NLL201
  req.poller = setInterval(() => res.write('.'), 1000);
});

// --- cleared ---------------------------------------------------------------------------------
wss.on('connection', (ws) => {
  // ok: NLL201 -- cleared when the socket closes
  const ping = setInterval(() => ws.ping(), 30000);
  ws.on('close', () => clearInterval(ping));
});

app.get('/stream', (req, res) => {
  // ok: NLL201 -- cleared when the request closes
  const timer = setInterval(() => res.write('data: tick\n\n'), 1000);
  req.on('close', () => {
    clearInterval(timer);
  });
});

io.on('connection', (socket) => {
  // ok: NLL201 -- stored on the per-connection object and cleared on disconnect
  socket.data.heartbeat = setInterval(() => socket.emit('ping'), 5000);
  socket.on('disconnect', () => clearInterval(socket.data.heartbeat));
});

app.get('/countdown', (req, res) => {
  let n = 10;
  // ok: NLL201 -- the callback clears its own handle
  const t = setInterval(() => {
    res.write(`${n}\n`);
    if (--n === 0) {
      clearInterval(t);
      res.end();
    }
  }, 1000);
});

app.get('/self', (req, res) => {
  let n = 0;
  // ok: NLL201 -- a function callback's `this` is its own Timeout
  setInterval(function () {
    if (++n > 3) clearInterval(this);
  }, 1000);
  res.end();
});

app.get('/clear-timeout', (req, res) => {
  // ok: NLL201 -- clearTimeout clears intervals too
  const t = setInterval(() => res.write('.'), 100);
  res.on('close', () => clearTimeout(t));
});

// --- handed to the caller --------------------------------------------------------------------
function startPolling(fn) {
  // ok: NLL201 -- returned: the caller owns the handle
  return setInterval(fn, 1000);
}

function startHeartbeat(sock) {
  // ok: NLL201 -- returned inside a disposer
  const handle = setInterval(() => sock.write('ping'), 1000);
  return { stop: () => clearInterval(handle) };
}

function watch(sock, register) {
  // ok: NLL201 -- handed to a registry that may clear it
  register(setInterval(() => sock.write('ping'), 1000));
}

// --- collections -----------------------------------------------------------------------------
const jobs = new Map();
app.post('/jobs/:id', (req, res) => {
  // ok: NLL201 -- stored in a map that is read back and cleared
  jobs.set(req.params.id, setInterval(() => poll(req.params.id), 1000));
  res.end();
});
app.delete('/jobs/:id', (req, res) => {
  clearInterval(jobs.get(req.params.id));
  jobs.delete(req.params.id);
  res.end();
});

const watchers = [];
app.post('/watch', (req, res) => {
  // ruleid: NLL201
  watchers.push(setInterval(() => poll(req.body), 1000));
  res.end();
});

const loops = [];
function addLoop(fn) {
  // ok: NLL201 -- the array is drained by forEach(clearInterval)
  loops.push(setInterval(fn, 100));
}
function stopAll() {
  loops.forEach(clearInterval);
}

// --- classes ---------------------------------------------------------------------------------
class Poller {
  constructor(url) {
    this.url = url;
    // ruleid: NLL201
    this.timer = setInterval(() => this.poll(), 1000);
  }
  poll() {
    return fetch(this.url);
  }
}

class Heartbeat {
  constructor(socket) {
    this.socket = socket;
    // ok: NLL201 -- the class clears the same field in close()
    this.timer = setInterval(() => this.socket.write('ping'), 1000);
  }
  close() {
    clearInterval(this.timer);
  }
}

function LegacyPoller(fn) {
  var self = this;
  // ok: NLL201 -- cleared through the prototype method and a `self` alias
  self.interval = setInterval(fn, 1000);
}
LegacyPoller.prototype.stop = function () {
  clearInterval(this.interval);
};

class Pool {
  constructor() {
    this.reapers = new Map();
  }
  watch(id, conn) {
    // ok: NLL201 -- the map is iterated and every entry cleared
    this.reapers.set(id, setInterval(() => conn.ping(), 1000));
  }
  destroy() {
    for (const timer of this.reapers.values()) clearInterval(timer);
  }
}

// --- functions of unknown repetition ----------------------------------------------------------
function monitor(conn) {
  // ruleid: NLL201
  setInterval(() => conn.check(), 5000);
}
module.exports.monitor = monitor;

function main() {
  // ok: NLL201 -- main runs once, like module top level
  setInterval(() => reportMetrics(), 10000);
}
main();

// --- self-rescheduling setTimeout chains -------------------------------------------------------
app.get('/chain', (req, res) => {
  function tick() {
    res.write('.');
    // ruleid: NLL201
    setTimeout(tick, 1000);
  }
  tick();
});

app.get('/chain-with-stop', (req, res) => {
  let done = false;
  req.on('close', () => {
    done = true;
  });
  function tick() {
    if (done) return;
    res.write('.');
    // ok: NLL201 -- the chain stops when the request closes
    setTimeout(tick, 1000);
  }
  tick();
});

class Reconnector {
  constructor(client) {
    this.client = client;
    this.loop();
  }
  loop() {
    this.client.ping();
    // ruleid: NLL201
    setTimeout(() => this.loop(), 1000);
  }
}

app.get('/retry', (req, res) => {
  function attempt(n) {
    // ok: NLL201 -- conditional: the chain ends after five attempts
    if (n < 5) setTimeout(() => attempt(n + 1), 100);
  }
  attempt(0);
  res.end();
});

// --- timers/promises ---------------------------------------------------------------------------
app.get('/sse', async (req, res) => {
  // ruleid: NLL201
  for await (const _ of ticks(1000)) {
    res.write('data: tick\n\n');
  }
});

app.get('/sse-signal', async (req, res) => {
  const ac = new AbortController();
  req.on('close', () => ac.abort());
  // ok: NLL201 -- the iterator stops when the signal aborts
  for await (const _ of ticks(1000, undefined, { signal: ac.signal })) {
    res.write('data: tick\n\n');
  }
});

app.get('/sse-break', async (req, res) => {
  // ok: NLL201 -- the loop breaks
  for await (const _ of ticks(1000)) {
    if (res.writableEnded) break;
    res.write('data: tick\n\n');
  }
});

// --- Koa and Fastify ---------------------------------------------------------------------------
const Koa = require('koa');
const koa = new Koa();
koa.use(async (ctx, next) => {
  // ruleid: NLL201
  setInterval(() => console.log(ctx.path), 1000);
  await next();
});

const fastify = require('fastify')();
fastify.get('/f', async (request, reply) => {
  // ok: NLL201 -- cleared when the raw response closes
  const t = setInterval(() => reply.raw.write('.'), 1000);
  reply.raw.on('close', () => clearInterval(t));
});

// --- not the timer global ----------------------------------------------------------------------
function withClock(clock) {
  // ok: NLL201 -- a fake clock's method, not Node's timer
  clock.setInterval(() => {}, 10);
}
app.get('/fake', (req, res) => {
  const setInterval = (fn) => fn();
  // ok: NLL201 -- a local function named setInterval
  setInterval(() => res.end());
});

// --- ES5 classes: constructor functions and prototype methods ---------------------------------
const { EventEmitter } = require('node:events');
const util = require('node:util');

function Feed(url) {
  EventEmitter.call(this);
  this.url = url;
  var self = this;
  // ruleid: NLL201 -- `self` is the instance; nothing ever clears `this.poll`
  this.poll = setInterval(function () { self.emit('tick', self.url); }, 1000);
}
util.inherits(Feed, EventEmitter);

function Link(socket) {
  this.socket = socket;
  this.pingTimer = null;
  this.flushTimer = null;
}
Link.prototype.start = function () {
  // ok: NLL201 -- `close()` clears this one
  this.pingTimer = setInterval(this.ping.bind(this), 5000);
  // ruleid: NLL201 -- `close()` clears `this.pingTimer` but forgets `this.flushTimer`
  this.flushTimer = setInterval(this.flush.bind(this), 200);
};
Link.prototype.clearFlush = function () {
  clearInterval(this.flushTimer);
};
Link.prototype.ping = function () { this.socket.write('ping'); };
Link.prototype.flush = function () { this.clearFlush(); };
Link.prototype.close = function () {
  clearInterval(this.pingTimer);
};

function Watchdog() {
  this.timer = null;
}
Watchdog.prototype = {
  arm: function () {
    // ok: NLL201 -- `disarm()` (reached from `stop()`) clears it on the teardown path
    this.timer = setTimeout(this.bark.bind(this), 30000);
  },
  disarm: function () {
    clearTimeout(this.timer);
  },
  bark: function () {},
  stop: function () {
    this.disarm();
  },
};

// --- teardown completeness, found from the code's own cleanup (no teardown name needed) ------
class Session {
  constructor(conn) {
    this.conn = conn;
    this.connectTimer = undefined;
    this.requestTimer = undefined;
    this.cancelTimer = undefined;
  }
  createConnectTimer() {
    this.connectTimer = setTimeout(() => this.conn.destroy(), 15000);
  }
  createRequestTimer() {
    this.clearRequestTimer(); // cleared just before re-arming: this method is not teardown
    this.requestTimer = setTimeout(() => this.conn.cancel(), 15000);
  }
  createCancelTimer() {
    this.clearCancelTimer();
    // ruleid: NLL201 -- `cleanupConnection()` clears the other two timers, not this one
    this.cancelTimer = setTimeout(() => this.conn.destroy(), 5000);
  }
  clearRequestTimer() { clearTimeout(this.requestTimer); }
  clearCancelTimer() { clearTimeout(this.cancelTimer); }
  cleanupConnection() {
    clearTimeout(this.connectTimer);
    this.clearRequestTimer();
  }
}

// --- the end of a connection the instance ends itself is its teardown ------------------------
// (methods copied in by any call handed the prototype: `extend(Conn.prototype, { … })`)
function extend(target, source) {
  for (var key in source) target[key] = source[key];
  return target;
}

function Conn(socket, config) {
  this.socket = socket;
  this.config = config;
  this.socket.on('close', this.handleSocketClose.bind(this));
  // ok: NLL201 -- the handler of its socket's 'close' clears it, and `close()` destroys the socket
  this.pingTimer = setInterval(this.ping.bind(this), config.keepaliveInterval);
  // ruleid: NLL201 -- teardown (`close()`, the socket's 'close') clears the other two, not this one
  this.statsTimer = setInterval(this.report.bind(this), 60000);
}
util.inherits(Conn, EventEmitter);
extend(Conn.prototype, {
  handleSocketClose: function () {
    clearInterval(this.pingTimer);
  },
  ping: function () { this.socket.write('ping'); },
  report: function () { this.socket.write('stats'); },
  expectPong: function () {
    this.pongTimer = setTimeout(this.close.bind(this), 5000);
  },
  close: function () {
    clearTimeout(this.pongTimer);
    this.socket.destroy();
  },
});

// --- replacement: a method that runs again starts a second interval --------------------------
function Client(options) {
  this.options = options;
  this.status = 'wait';
}
Client.prototype.connect = function () {
  // ruleid: NLL201 -- `sendCommand` calls `connect` again; the old interval is orphaned
  this.cacheCleaner = setInterval(() => { this.scripts = {}; }, 60000);
  this.status = 'connecting';
};
Client.prototype.sendCommand = function (command) {
  if (this.status === 'wait') this.connect();
  if (command === 'quit') clearInterval(this.cacheCleaner);
};
Client.prototype.reconnect = function () {
  clearInterval(this.cacheCleaner);
  // ok: NLL201 -- the interval the field held is cleared first
  this.cacheCleaner = setInterval(() => { this.scripts = {}; }, 60000);
  this.reconnect();
};

class Heartbeats {
  start() {
    if (this.timer) return;
    // ok: NLL201 -- guarded: a second start returns before replacing the handle
    this.timer = setInterval(() => this.beat(), 1000);
  }
  restart() { this.start(); }
  stop() { clearInterval(this.timer); this.timer = undefined; }
  beat() {}
}

// --- a timeout that races the work -----------------------------------------------------------
app.post('/chat', async (req, res) => {
  const reply = await Promise.race([
    answer(req.body),
    new Promise((_, reject) => {
      // ruleid: NLL201 -- nothing clears it when `answer` wins: every request parks a 30-minute timer
      setTimeout(() => reject(new Error('timed out')), 30 * 60 * 1000);
    }),
  ]);
  res.json(reply);
});
app.post('/chat-fixed', async (req, res) => {
  let timer;
  const reply = await Promise.race([
    answer(req.body),
    new Promise((_, reject) => {
      // ok: NLL201 -- cleared in `finally` whichever promise wins
      timer = setTimeout(() => reject(new Error('timed out')), 30 * 60 * 1000);
    }),
  ]).finally(() => clearTimeout(timer));
  res.json(reply);
});
async function answer(body) { return body; }

// The raced promise kept in a local first, and the handle kept only to unref it: still
// nothing clears the timer when the work wins (a circuit breaker, ES5 with `self`).
function Breaker(timeoutMs) {
  this.timeoutMs = timeoutMs;
}
Breaker.prototype.fire = async function (fn, arg) {
  var self = this;
  const timeout = new Promise((_, reject) => {
    // ruleid: NLL201
    const timer = setTimeout(() => reject(new Error('timed out')), self.timeoutMs);
    timer.unref();
  });
  return Promise.race([fn(arg), timeout]);
};
Breaker.prototype.fireFixed = async function (fn, arg) {
  let timer;
  const timeout = new Promise((_, reject) => {
    // ok: NLL201 -- cleared in `finally` whichever side wins
    timer = setTimeout(() => reject(new Error('timed out')), this.timeoutMs);
  });
  try {
    return await Promise.race([fn(arg), timeout]);
  } finally {
    clearTimeout(timer);
  }
};
Breaker.prototype.delay = function (ms) {
  const pause = new Promise((resolve) => {
    // ok: NLL201 -- a promise kept in a local that no race holds: the caller waits for it
    setTimeout(resolve, ms);
  });
  return pause;
};
module.exports.Breaker = Breaker;

// --- a watchdog timeout that outlives the work it watches --------------------------------------
function Client(options) {
  this.options = options;
}
Client.prototype.send = function (command) {
  // ruleid: NLL201 -- the callback tests `command.isResolved`: it expects the command to finish first, and nothing clears it then
  setTimeout(function () {
    if (!command.isResolved) command.reject(new Error('Command timed out'));
  }, this.options.commandTimeout);
  this.write(command);
};
Client.prototype.sendFixed = function (command) {
  // ok: NLL201 -- the handle is kept and cleared when the command completes
  command.timer = setTimeout(function () {
    if (!command.isResolved) command.reject(new Error('Command timed out'));
  }, this.options.commandTimeout);
  command.promise.finally(function () { clearTimeout(command.timer); });
  this.write(command);
};
Client.prototype.flushSoon = function (batch) {
  // ok: NLL201 -- a delay of a quarter second keeps nothing worth a finding
  setTimeout(function () {
    if (batch.sent) return;
    batch.flush();
  }, 250);
};
Client.prototype.write = function () {};
app.get('/report', (req, res) => {
  let answered = false;
  // ruleid: NLL201 -- `answered` flips when the report is sent, but the timer stays for the full minute with `req`/`res`
  setTimeout(() => {
    if (answered) return;
    res.status(504).end();
  }, 60_000);
  build(req.query).then((report) => { answered = true; res.json(report); });
});
let connected = false;
app.get('/ping', (req, res) => {
  // ok: NLL201 -- it tests state shared by every request, not something this request finishes
  setTimeout(() => {
    if (!connected) reconnect();
  }, 5000);
  res.end();
});
async function build(query) { return query; }
function reconnect() {}

// --- cleared only by its own condition, not when the connection closes ----------------------
wss.on('connection', (conn) => {
  let alive = true;
  conn.on('pong', () => { alive = true; });
  conn.on('close', () => console.log('gone'));
  // ruleid: NLL201 -- after 'close' the condition never trips: the interval runs forever
  const ping = setInterval(() => {
    if (!alive) {
      clearInterval(ping);
      return;
    }
    alive = false;
    conn.ping();
  }, 30000);
});
wss.on('connection', (conn) => {
  // ok: NLL201 -- cleared when the connection closes
  const ping = setInterval(() => conn.ping(), 30000);
  conn.on('close', () => clearInterval(ping));
});

// --- a race at shutdown runs once ---------------------------------------------------------
async function drainOnShutdown() {
  await Promise.race([
    flushQueue(),
    new Promise((resolve) => {
      // ok: NLL201 -- a shutdown listener: it runs once, as the process ends
      setTimeout(resolve, 10_000);
    }),
  ]);
}
async function flushQueue() {}
process.on('SIGTERM', drainOnShutdown);

// --- a clear that clears nothing: the slot never holds the timer ---------------------------
const statsInitializer = {
  initialize(api) {
    api.stats = {};
    api.stats.timer = null;
    api.stats.flush = function () {
      setTimeout(api.stats.flush, 1000);
    };
  },
  start(api) {
    // ruleid: NLL201 -- `stop` clears `api.stats.timer`, which nothing ever assigns
    setTimeout(api.stats.flush, 1000);
  },
  stop(api) {
    clearTimeout(api.stats.timer);
  },
};
const fixedStatsInitializer = {
  start(app) {
    // ok: NLL201 -- the handle goes into the slot `stop` clears
    app.stats.timer = setTimeout(app.stats.flush, 1000);
  },
  stop(app) {
    clearTimeout(app.stats.timer);
  },
};
module.exports.initializers = { statsInitializer, fixedStatsInitializer };

// --- a clear after the handle was overwritten, a clear of a field that never holds it ---------
function Heart(link) {
  this.link = link;
  // ruleid: NLL201 -- stop() sets the field to null before clearing it: the clear receives null
  this.beat = setInterval(() => this.link.ping(), 5000);
}
Heart.prototype.stop = function () {
  this.beat = null;
  clearInterval(this.beat);
};
function FixedHeart(link) {
  this.link = link;
  // ok: NLL201 -- cleared before the field is reset
  this.beat = setInterval(() => this.link.ping(), 5000);
}
FixedHeart.prototype.stop = function () {
  clearInterval(this.beat);
  this.beat = null;
};

class Ticker {
  start() {
    // ruleid: NLL201 -- stop() clears `this.interval`, which is never assigned: the handle lives in `this.timer`
    this.timer = setInterval(() => this.tick(), 1000);
  }
  stop() {
    clearInterval(this.interval);
  }
  tick() {}
}
class Rotator {
  start() {
    // ok: NLL201 -- stop() reads the handle into `old` before it resets the field
    this.timer = setInterval(() => this.tick(), 1000);
  }
  stop() {
    const old = this.timer;
    this.timer = null;
    clearInterval(old);
  }
  tick() {}
}
module.exports.clocks = { Heart, FixedHeart, Ticker, Rotator };

// --- replacement in module bindings ------------------------------------------------------------
app.get('/overwrite', (req, res) => {
  // ruleid: NLL201 -- the previous handle in `current` is overwritten without being cleared
  current = setInterval(() => res.write('.'), 1000);
  res.on('close', () => clearInterval(current));
});
let current;
app.get('/overwrite-fixed', (req, res) => {
  clearInterval(latest);
  // ok: NLL201 -- the previous interval is cleared first
  latest = setInterval(() => res.write('.'), 1000);
  res.on('close', () => clearInterval(latest));
});
let latest;
class PingBridge {
  constructor(port) {
    this.wss = new WebSocketServer({ port });
    this.listen();
  }
  listen() {
    let ping;
    this.wss.on('connection', (ws) => {
      // a clear written above the assignment runs later, when the connection closes
      ws.on('close', () => clearInterval(ping));
      // ruleid: NLL201 -- every connection overwrites the one `ping` handle: closes clear only the last
      ping = setInterval(() => ws.ping(), 30000);
    });
  }
}
class FixedPingBridge {
  constructor(port) {
    this.wss = new WebSocketServer({ port });
    this.listen();
  }
  listen() {
    this.wss.on('connection', (ws) => {
      // ok: NLL201 -- one handle per connection, cleared when that connection closes
      const ping = setInterval(() => ws.ping(), 30000);
      ws.on('close', () => clearInterval(ping));
    });
  }
}
module.exports.bridges = { PingBridge, FixedPingBridge };
let refreshTimer = null;
let panelOpen = false;
const panelToggle = new EventTarget();
panelToggle.addEventListener('click', () => {
  panelOpen = !panelOpen;
  if (panelOpen) {
    // ok: NLL201 -- a toggle: the same handler clears it on the other branch
    refreshTimer = setInterval(() => io.emit('refresh'), 1000);
  } else {
    clearInterval(refreshTimer);
  }
});
let tickerTimer;
function clearTicker() {
  clearInterval(tickerTimer);
}
app.get('/ticker', (req, res) => {
  clearTicker();
  // ok: NLL201 -- a helper clears the previous interval first
  tickerTimer = setInterval(() => res.write('.'), 1000);
  res.on('close', clearTicker);
});

const feed = net.connect(7000, 'feed');
let keepAlive;
feed.on('connect', () => {
  // ok: NLL201 -- started on 'connect' and cleared on 'close' of the same socket: they alternate
  keepAlive = setInterval(() => feed.write('ping'), 10000);
});
feed.on('close', () => clearInterval(keepAlive));

let reconnectTimer;
let link;
function openLink() {
  link = net.connect(7001, 'upstream');
  link.on('error', scheduleReconnect);
  link.on('close', scheduleReconnect);
}
function scheduleReconnect() {
  // ruleid: NLL201 -- 'error' and 'close' both fire for one failure: two reconnects, one handle lost
  reconnectTimer = setTimeout(openLink, 1000);
}
function closeLink() {
  clearTimeout(reconnectTimer);
  link.destroy();
}
let retryTimer;
let line;
function openLine() {
  line = net.connect(7002, 'upstream');
  line.on('error', retryLine);
  line.on('close', retryLine);
}
function retryLine() {
  if (retryTimer) return;
  // ok: NLL201 -- tested first: one retry per failure
  retryTimer = setTimeout(() => {
    retryTimer = null;
    openLine();
  }, 1000);
}
function closeLine() {
  clearTimeout(retryTimer);
  line.destroy();
}
module.exports.links = { openLink, closeLink, openLine, closeLine };

// --- re-arming in a promise's finally ------------------------------------------------------------
function pollFeed(client) {
  client.fetch().finally(() => {
    // ruleid: NLL201 -- `finally` runs however the fetch settles: the chain never ends
    setTimeout(() => pollFeed(client), 1000);
  });
}
function pollFeedFixed(client, state) {
  client.fetch().finally(() => {
    if (state.stopped) return;
    // ok: NLL201 -- a stop condition, and the handle is kept where the close handler clears it
    state.timer = setTimeout(() => pollFeedFixed(client, state), 1000);
  });
}
app.get('/feed', (req, res) => {
  pollFeed(req.app.locals.client);
  res.end();
});
app.get('/feed-fixed', (req, res) => {
  const state = { stopped: false, timer: null };
  pollFeedFixed(req.app.locals.client, state);
  req.on('close', () => {
    state.stopped = true;
    clearTimeout(state.timer);
  });
  res.end();
});

// --- an owner that drops an object whose interval still runs -----------------------------------
function Presence(user) {
  this.user = user;
  this.heartbeat = setInterval(() => this.user.touch(), 30000);
}
Presence.prototype.destroy = function () {
  clearInterval(this.heartbeat);
};
function Room() {
  this.members = {};
}
Room.prototype.join = function (user) {
  this.members[user.id] = new Presence(user);
};
Room.prototype.leave = function (user) {
  // ruleid: NLL201 -- the Presence's interval keeps running, and keeps it alive
  delete this.members[user.id];
};
Room.prototype.leaveFixed = function (user) {
  this.members[user.id].destroy();
  // ok: NLL201 -- destroyed before it is dropped
  delete this.members[user.id];
};
module.exports.Room = Room;

class Lobby {
  constructor() {
    this.host = null;
  }
  open(user) {
    this.host = new Presence(user);
  }
  reset() {
    // ruleid: NLL201 -- the host's interval keeps running with nothing left to destroy it
    this.host = null;
  }
  resetFixed() {
    if (this.host) this.host.destroy();
    // ok: NLL201 -- destroyed first
    this.host = null;
  }
}
module.exports.Lobby = Lobby;

// --- a framework node whose per-message timeouts outlive it (Node-RED) ---------------------------
function registerPause(RED) {
  function PauseNode(config) {
    RED.nodes.createNode(this, config);
    const node = this;
    node.on('input', function (msg) {
      // ruleid: NLL201 -- no 'close' handler: pending timeouts outlive a redeploy
      setTimeout(function () {
        node.send(msg);
      }, config.timeout);
    });
  }
  RED.nodes.registerType('pause', PauseNode);

  function FixedPauseNode(config) {
    RED.nodes.createNode(this, config);
    const node = this;
    const pending = new Set();
    node.on('input', function (msg) {
      // ok: NLL201 -- kept, and cleared when the node closes
      const id = setTimeout(function () {
        pending.delete(id);
        node.send(msg);
      }, config.timeout);
      pending.add(id);
    });
    node.on('close', function () {
      pending.forEach(clearTimeout);
      pending.clear();
    });
  }
  RED.nodes.registerType('pause-fixed', FixedPauseNode);
}
module.exports.registerPause = registerPause;

module.exports = { Feed, Link, Watchdog, Session, Client, Heartbeats, startPolling, startHeartbeat, watch, addLoop, stopAll, Poller, Heartbeat, Pool, withClock };

// A timeout promise kept in a const before the race, its handle kept only to unref it.
class TimedCall {
  async execute(fn) {
    const timeout = new Promise((_, reject) => {
      // ruleid: NLL201 -- `timer` is never cleared: each call that wins keeps it for the full delay
      const timer = setTimeout(() => reject(new Error('timed out')), this.timeoutMs);
      timer.unref();
    });
    return Promise.race([fn(), timeout]);
  }
  async executeFixed(fn) {
    let timer;
    const timeout = new Promise((_, reject) => {
      // ok: NLL201 -- cleared in `finally` whichever side wins
      timer = setTimeout(() => reject(new Error('timed out')), this.timeoutMs);
    });
    try {
      return await Promise.race([fn(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

// A polling interval that clears itself on the run that resolves the promise; the timeout
// rejects it first without clearing, and the interval polls on.
function AutoscaledPool() {
  this.running = 0;
}
AutoscaledPool.prototype.pause = function (timeoutMs) {
  var self = this;
  return new Promise(function (resolve, reject) {
    var timeout = setTimeout(function () {
      reject(new Error('pause timed out'));
    }, timeoutMs);
    // ruleid: NLL201 -- cleared only when the pool drains; a timed-out pause leaves it polling
    var interval = setInterval(function () {
      if (self.running <= 0) {
        clearTimeout(timeout);
        clearInterval(interval);
        resolve();
      }
    }, 500);
  });
};
AutoscaledPool.prototype.pauseFixed = function (timeoutMs) {
  var self = this;
  return new Promise(function (resolve, reject) {
    var interval;
    var timeout = setTimeout(function () {
      clearInterval(interval);
      reject(new Error('pause timed out'));
    }, timeoutMs);
    // ok: NLL201 -- both outcomes clear it: the drained pool and the timeout
    interval = setInterval(function () {
      if (self.running <= 0) {
        clearTimeout(timeout);
        clearInterval(interval);
        resolve();
      }
    }, 500);
  });
};
AutoscaledPool.prototype.waitDrained = function () {
  var self = this;
  return new Promise(function (resolve) {
    // ok: NLL201 -- its own run is the only way the promise settles
    var interval = setInterval(function () {
      if (self.running <= 0) {
        clearInterval(interval);
        resolve();
      }
    }, 500);
  });
};
module.exports.AutoscaledPool = AutoscaledPool;

// A teardown that clears its timer fields by name, walking a literal list of them.
class Housekeeper {
  start() {
    this.stop();
    // ok: NLL201 -- stop() clears this[name] for each name in its list, `_sweepInterval` among them
    this._sweepInterval = setInterval(() => this.sweep(), 60000);
  }
  stop() {
    for (const name of ['_sweepInterval', '_metricsInterval']) {
      clearInterval(this[name]);
      this[name] = undefined;
    }
  }
  sweep() {}
}
class HalfKeeper {
  start() {
    this.stop();
    // ruleid: NLL201 -- the list stop() walks does not name `_sweepInterval`
    this._sweepInterval = setInterval(() => this.sweep(), 60000);
  }
  stop() {
    for (const name of ['_metricsInterval']) {
      clearInterval(this[name]);
    }
  }
  sweep() {}
}
module.exports.Housekeeper = Housekeeper;
module.exports.HalfKeeper = HalfKeeper;

// --- a latch on a module-level handle: one interval for the process --------------------------
let usageTimer = null;
function flushUsageNow() {}
function ensureUsageTimer() {
  if (usageTimer) return;
  // ok: NLL201 -- the handle itself latches: started once for the life of the process
  usageTimer = setInterval(flushUsageNow, 60000);
}
app.post('/usage', (req, res) => {
  ensureUsageTimer();
  res.end();
});
function startUsageTimer() {
  const timer = null;
  if (timer) return;
  // ruleid: NLL201 -- a local handle latches nothing: one more interval per request
  setInterval(flushUsageNow, 60000);
}
app.post('/usage-again', (req, res) => {
  startUsageTimer();
  res.end();
});

// --- a clear right before re-arming is not teardown (SPEC §1 Teardown completeness) ---------
function Refresher(channel) {
  this.channel = channel;
  this._interval = false;
}
Refresher.prototype.onMediaChange = function (media) {
  if (this._interval) clearInterval(this._interval);
  if (media.type === 'gd') return this.startRefresh(media);
};
Refresher.prototype.startRefresh = function (media) {
  var self = this;
  // ruleid: NLL201 -- only `onMediaChange()` clears it, right before re-arming: the last one is never cleared
  self._interval = setInterval(function () {
    self.refresh(media);
  }, 55 * 60 * 1000);
};
Refresher.prototype.refresh = function () {};

class Heartbeat {
  constructor(socket) {
    this.socket = socket;
    this.timer = null;
  }
  restart(ms) {
    clearInterval(this.timer);
    // ruleid: NLL201 -- cleared only before re-arming; `destroy()` does not clear it
    this.timer = setInterval(() => this.socket.write('ping'), ms);
  }
  destroy() {
    this.socket.destroy();
  }
}
class StoppedHeartbeat {
  constructor(socket) {
    this.socket = socket;
    this.timer = null;
  }
  restart(ms) {
    clearInterval(this.timer);
    // ok: NLL201 -- `destroy()` clears it too
    this.timer = setInterval(() => this.socket.write('ping'), ms);
  }
  destroy() {
    clearInterval(this.timer);
    this.socket.destroy();
  }
}
class Pinger {
  constructor(socket) {
    this.socket = socket;
  }
  start() {
    clearInterval(this.timer);
    // ok: NLL201 -- the socket's 'close' handler clears it: a clear in a callback is not a re-arm
    this.timer = setInterval(() => this.socket.write('ping'), 1000);
    this.socket.on('close', () => clearInterval(this.timer));
  }
}
class Reconnector {
  connect() {
    this.socket = this.open();
    // ok: NLL201 -- `onClose()` clears it; the reconnect it schedules runs later, from a callback
    this.ping = setInterval(() => this.socket.write('ping'), 1000);
    this.socket.on('close', () => this.onClose());
  }
  open() { return this.transport.open(); }
  onClose() {
    clearInterval(this.ping);
    setTimeout(() => this.connect(), 1000);
  }
}
module.exports.Refresher = Refresher;
module.exports.Heartbeat = Heartbeat;
module.exports.StoppedHeartbeat = StoppedHeartbeat;
module.exports.Pinger = Pinger;
module.exports.Reconnector = Reconnector;

// --- teardown that releases the instance's parts but forgets its interval -----------------
class Poller {
  constructor(socket) {
    this.socket = socket;
    // ruleid: NLL201 -- `destroy()` destroys the socket but only `pause()` clears the interval
    this.timer = setInterval(() => this.socket.write('ping'), 1000);
  }
  pause() {
    clearInterval(this.timer);
  }
  destroy() {
    this.socket.destroy();
  }
}
class GoodPoller {
  constructor(socket) {
    this.socket = socket;
    // ok: NLL201 -- `destroy()` calls `pause()`, which clears it
    this.timer = setInterval(() => this.socket.write('ping'), 1000);
  }
  pause() {
    clearInterval(this.timer);
  }
  destroy() {
    this.pause();
    this.socket.destroy();
  }
}
module.exports.Poller = Poller;
module.exports.GoodPoller = GoodPoller;
