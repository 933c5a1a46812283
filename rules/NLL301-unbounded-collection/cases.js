// Annotated cases for NLL301 unbounded-collection (CommonJS, Express-style handlers).
const express = require('express');
const LRU = require('lru-cache');
const app = express();

const sessions = new Map();
app.get('/login/:id', (req, res) => {
  // ruleid: NLL301
  sessions.set(req.params.id, { user: req.user, at: Date.now() });
  res.end();
});

const seen = new Set();
app.post('/track', (req, res) => {
  // ruleid: NLL301
  seen.add(req.body.visitor);
  res.end();
});

const requestLog = [];
app.use((req, res, next) => {
  // ruleid: NLL301
  requestLog.push({ url: req.url, at: Date.now() });
  next();
});

const byIp = {};
app.use(function countIp(req, res, next) {
  // ruleid: NLL301
  byIp[req.ip] = (byIp[req.ip] || 0) + 1;
  next();
});

const handlers = Object.create(null);
function onMessage(msg) {
  // ruleid: NLL301
  handlers[msg.id] = msg.reply;
}
process.on('message', onMessage);

var recent = [];
class Job {
  constructor(name) {
    // ruleid: NLL301
    recent.unshift(this);
    this.name = name;
  }
}

global.userCache = new Map();
app.get('/user/:id', async (req, res) => {
  // ruleid: NLL301
  global.userCache.set(req.params.id, await loadUser(req.params.id));
  res.end();
});

const pending = new Map();
// unknown repetition (exported, never called here): medium confidence
exports.remember = function remember(key, value) {
  // ruleid: NLL301
  pending.set(key, value);
};

const shared = new Map();
module.exports.shared = shared;
app.get('/shared/:k', (req, res) => {
  // ruleid: NLL301
  shared.set(req.params.k, req.query);
  res.end();
});

class Registry {
  static all = new Map();
  static track(item) {
    // ruleid: NLL301
    Registry.all.set(item.id, item);
  }
}

class Server {
  constructor() {
    this.clients = new Set();
    this.server = require('net').createServer((socket) => {
      // ruleid: NLL301
      this.clients.add(socket);
    });
  }
}

// ---------------------------------------------------------------------------- bounded

// ok: NLL301 -- entries are deleted when the request ends
const inflight = new Map();
app.get('/inflight/:id', (req, res) => {
  inflight.set(req.params.id, res);
  res.on('close', () => inflight.delete(req.params.id));
});

// ok: NLL301 -- the queue is drained with shift()
const queue = [];
app.post('/jobs', (req, res) => {
  queue.push(req.body);
  res.end();
});
setInterval(() => {
  const job = queue.shift();
  if (job) run(job);
}, 1000);

// ok: NLL301 -- a size check guards the growth
const bounded = new Map();
app.get('/bounded/:id', (req, res) => {
  if (bounded.size < 1000) bounded.set(req.params.id, Date.now());
  res.end();
});

// ok: NLL301 -- the binding is replaced, so old entries are dropped
let batch = [];
app.post('/batch', (req, res) => {
  batch.push(req.body);
  if (shouldFlush()) {
    flush(batch);
    batch = [];
  }
  res.end();
});

// ok: NLL301 -- length reset empties the array
const lines = [];
process.stdin.on('data', (chunk) => {
  lines.push(String(chunk));
  if (String(chunk).includes('\n')) lines.length = 0;
});

// ok: NLL301 -- delete on a computed key shrinks the object; 'close' fires however the response ends
const timers = {};
app.get('/timer/:id', (req, res) => {
  timers[req.params.id] = Date.now();
  res.on('close', () => {
    delete timers[req.params.id];
  });
});

const started = {};
app.get('/started/:id', (req, res) => {
  // ruleid: NLL301 -- deleted on 'finish' only: a client that aborts never gets one
  started[req.params.id] = Date.now();
  res.on('finish', () => {
    delete started[req.params.id];
  });
});

const buckets = {};
app.get('/bucket/:b', (req, res) => {
  // ruleid: NLL301 -- nulling the value on close keeps the key: one more key per distinct `b`
  buckets[req.params.b] = res;
  res.on('close', () => {
    buckets[req.params.b] = null;
  });
});

// ok: NLL301 -- WeakMap entries die with their keys
const meta = new WeakMap();
app.use((req, res, next) => {
  meta.set(req, { start: Date.now() });
  next();
});

// ok: NLL301 -- an LRU cache evicts by itself
const users = new LRU({ max: 500 });
app.get('/u/:id', (req, res) => {
  users.set(req.params.id, req.query);
  res.end();
});

// ok: NLL301 -- only constant keys: at most three entries
const stats = new Map();
app.get('/stats', (req, res) => {
  stats.set('hits', (stats.get('hits') || 0) + 1);
  stats.set('last', Date.now());
  res.end();
});

// ok: NLL301 -- filled only at module top level
const routes = [];
routes.push('/a', '/b');
// ok: NLL301 -- a register() called only at top level runs a bounded number of times
const plugins = new Map();
function register(name, plugin) {
  plugins.set(name, plugin);
}
register('json', require('./json'));
register('xml', require('./xml'));

// ok: NLL301 -- a per-call local collection dies with the call
app.get('/local', (req, res) => {
  const parts = [];
  parts.push(req.url);
  res.end(parts.join(''));
});

class Pool {
  constructor(size) {
    // ok: NLL301 -- deleted in release()
    this.waiting = new Map();
    // ok: NLL301 -- filled only while constructing the instance
    this.slots = [];
    for (let i = 0; i < size; i++) this.slots.push(i);
  }
  acquire(id, cb) {
    this.waiting.set(id, cb);
  }
  release(id) {
    this.waiting.delete(id);
  }
}

// ok: NLL301 -- `set` runs only when the key is already there: it replaces, never adds
const deprecations = new Map();
app.post('/hooks', (req, res) => {
  if (deprecations.has(req.body.hook)) {
    deprecations.set(req.body.hook, { ...deprecations.get(req.body.hook), seen: true });
  }
  res.end();
});

// ok: NLL301 -- the keys are the elements of a literal list: at most three entries
const filters = {};
app.get('/filters', (req, res) => {
  ['assignee', 'owner', 'reporter'].forEach((name) => {
    filters[name] = req.query[name];
  });
  res.json(filters);
});

const firstSeen = new Map();
app.get('/seen', (req, res) => {
  if (!firstSeen.has(req.query.id)) {
    // ruleid: NLL301 -- added exactly when the key is missing: one entry per new key
    firstSeen.set(req.query.id, Date.now());
  }
  res.end();
});

const tags = {};
app.post('/tags', (req, res) => {
  req.body.tags.forEach((tag) => {
    // ruleid: NLL301 -- the list comes from the request, so the keys are unbounded
    tags[tag] = true;
  });
  res.end();
});

// ok: NLL301 -- a slot is overwritten by index: the array does not grow past its slots
const workers = [];
const Loader = {};
Loader.watch = function (worker) {
  worker.on('exit', () => fork(worker.index));
};
function fork(index) {
  const worker = spawnWorker(index);
  workers[index] = worker;
  Loader.watch(worker);
}
module.exports.Loader = Loader;

// --- ES5 classes: the constructor's fields live as long as the instance --------------------
const util = require('node:util');
const { EventEmitter } = require('node:events');

function RpcClient(socket) {
  EventEmitter.call(this);
  this.socket = socket;
  this.nextId = 0;
  this.pending = {};
  this.handlers = {};
}
util.inherits(RpcClient, EventEmitter);
RpcClient.prototype.call = function (method, params, done) {
  const id = ++this.nextId;
  // ruleid: NLL301 -- keyed by a counter; the reply handler nulls the value but keeps the key
  this.pending[id] = done;
  this.socket.write(JSON.stringify({ id, method, params }));
};
RpcClient.prototype.onReply = function (reply) {
  const done = this.pending[reply.id];
  this.pending[reply.id] = null;
  if (done) done(null, reply.result);
};
RpcClient.prototype.handle = function (method, fn) {
  // ok: NLL301 -- a handler registered under a name: configuration, not traffic
  this.handlers[method] = fn;
};
RpcClient.prototype.dispatch = function (message) {
  const handler = this.handlers[message.method];
  if (handler) handler(message.params);
};

// --- factories: a function returning an object of closures owns its locals -----------------
function createRequester(transport) {
  let lastId = 0;
  const listeners = new Map();
  function request(method, params) {
    return new Promise((resolve, reject) => {
      const requestId = ++lastId;
      // ruleid: NLL301 -- one entry per request, keyed by a counter, and nothing deletes it
      listeners.set(requestId, { resolve, reject });
      transport.send({ id: requestId, method, params });
    });
  }
  function receive(message) {
    const entry = listeners.get(message.id);
    if (entry) entry.resolve(message.result);
  }
  return { request, receive };
}

function createJobBoard() {
  const jobs = new Map();
  return {
    add(job) {
      // ruleid: NLL301 -- `stop()` is the only shrink: jobs pile up for the board's whole life
      jobs.set(crypto.randomUUID(), job);
    },
    stop() {
      jobs.clear();
    },
  };
}

function createSettledRequester(transport) {
  let lastId = 0;
  const listeners = new Map();
  return {
    request(method) {
      return new Promise((resolve) => {
        const id = ++lastId;
        // ok: NLL301 -- the reply deletes the entry
        listeners.set(id, resolve);
        transport.send({ id, method });
      });
    },
    receive(message) {
      listeners.get(message.id)(message.result);
      listeners.delete(message.id);
    },
  };
}
module.exports.factories = { createRequester, createJobBoard, createSettledRequester, RpcClient };

// --- a class of no special name, whose keys are peer addresses ------------------------------
class Throttle {
  constructor(limit) {
    this.limit = limit;
    this.hits = new Map();
  }
  onConnect({ request }) {
    return this.allow(request.socket.remoteAddress);
  }
  allow(ip) {
    const recent = (this.hits.get(ip) || []).filter((t) => t > Date.now() - 60000);
    recent.push(Date.now());
    // ruleid: NLL301 -- one key per peer address ever seen; old addresses are never removed
    this.hits.set(ip, recent);
    return recent.length <= this.limit;
  }
}
module.exports.Throttle = Throttle;

// --- memoized functions keep a cache entry per distinct argument -----------------------------
const memoizee = require('memoizee');
const memoize = require('lodash.memoize');

function buildIndex(list) { return new Set(list.map((item) => item.name)); }
// ruleid: NLL301 -- keyed by the array's identity: every request's fresh array is a new entry
const indexFor = memoizee(buildIndex);
app.get('/search', (req, res) => {
  res.json([...indexFor(req.body.items)]);
});

// ok: NLL301 -- `max` bounds the cache
const boundedIndex = memoizee(buildIndex, { max: 100 });
app.get('/search-bounded', (req, res) => {
  res.json([...boundedIndex(req.body.items)]);
});

// ok: NLL301 -- only ever called with a constant: one entry
const config = memoize((name) => require('node:fs').readFileSync(name, 'utf8'));
app.get('/config', (req, res) => res.end(config('app.json')));

function cached(fn) {
  // ruleid: NLL301 -- every distinct `opts` is kept for twelve hours, with no size bound
  const memoized = memoizee(fn, { primitive: true, normalizer: JSON.stringify, maxAge: 43200000 });
  return function (opts) {
    return memoized(opts);
  };
}
module.exports.cached = cached;

const arrivals = [];
app.get('/arrive', (req, res) => {
  // ruleid: NLL301 -- `a[a.length] = …` appends, one element per request
  arrivals[arrivals.length] = req.ip;
  res.end();
});


// --- delete coverage: a delete must run on every way the work ends --------------------------
const net = require('node:net');
const peers = new Map();
net.createServer((socket) => {
  const id = `${socket.remoteAddress}:${socket.remotePort}`;
  // ruleid: NLL301 -- deleted on 'end' only: a reset or an error closes without it
  peers.set(id, socket);
  socket.on('end', () => peers.delete(id));
});

const conns = new Map();
net.createServer((socket) => {
  const id = `${socket.remoteAddress}:${socket.remotePort}`;
  // ok: NLL301 -- 'close' follows 'end', 'error' and destroy alike
  conns.set(id, socket);
  socket.on('close', () => conns.delete(id));
});

const uploads = new Map();
app.post('/upload', (req, res) => {
  const token = require('node:crypto').randomUUID();
  // ruleid: NLL301 -- deleted only when the upload fails; a finished upload stays forever
  uploads.set(token, { started: Date.now() });
  saveUpload(req)
    .then(() => res.end(token))
    .catch(() => uploads.delete(token));
});

const inflight = new Map();
app.post('/work', (req, res) => {
  const token = require('node:crypto').randomUUID();
  // ok: NLL301 -- `.finally` runs on success and failure
  inflight.set(token, Date.now());
  saveUpload(req).finally(() => inflight.delete(token));
  res.end();
});

const attempts = new Map();
app.post('/attempt', async (req, res) => {
  const token = require('node:crypto').randomUUID();
  // ok: NLL301 -- deleted on both ways: after the work, and in the `catch`
  attempts.set(token, Date.now());
  try {
    await saveUpload(req);
    attempts.delete(token);
  } catch (err) {
    attempts.delete(token);
  }
  res.end();
});

// ES5 class: the lease is dropped only in a helper called from `.catch`
function Worker(store) {
  this.store = store;
  this.leases = new Map();
}
Worker.prototype.claim = function (sessionId) {
  var self = this;
  var markLost = function () {
    self.leases.delete(sessionId);
  };
  return this.store.claim(sessionId).then(function (lease) {
    // ruleid: NLL301 -- deleted only when a claim fails (through `markLost`), never when the session ends
    self.leases.set(sessionId, lease);
    return lease;
  }).catch(function () {
    markLost();
  });
};

// An RPC client: a reply deletes its request, the timeout only rejects it
class RpcClient {
  constructor(channel) {
    this.channel = channel;
    this.next = 0;
    this.pending = new Map();
    channel.on('reply', (msg) => {
      const request = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (request) request.resolve(msg.body);
    });
  }
  call(body) {
    const id = String(this.next++);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.cancel(id), 30000);
      // ruleid: NLL301 -- the timeout ends the request through cancel(), which never deletes it
      this.pending.set(id, { timer, resolve, reject });
      this.channel.send({ id, body });
    });
  }
  cancel(id) {
    const { timer, reject } = this.pending.get(id);
    clearTimeout(timer);
    reject(new Error(`request ${id} timed out`));
  }
}
class FixedRpcClient {
  constructor(channel) {
    this.channel = channel;
    this.next = 0;
    this.pending = new Map();
    channel.on('reply', (msg) => {
      const request = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (request) request.resolve(msg.body);
    });
  }
  call(body) {
    const id = String(this.next++);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.cancel(id), 30000);
      // ok: NLL301 -- deleted on both ways the request ends: the reply and the timeout
      this.pending.set(id, { timer, resolve, reject });
      this.channel.send({ id, body });
    });
  }
  cancel(id) {
    const { timer, reject } = this.pending.get(id);
    clearTimeout(timer);
    this.pending.delete(id);
    reject(new Error(`request ${id} timed out`));
  }
}
module.exports.rpc = { RpcClient, FixedRpcClient };

// --- delete key identity -------------------------------------------------------------------
function Channel(port) {
  var self = this;
  this.msgId = 1;
  this.callbacks = new Map();
  port.on('message', function (msg) {
    var callback = self.callbacks.get(msg.callbackId);
    if (callback) {
      callback(msg.data);
      self.callbacks.delete(msg.msgId);
    }
  });
}
Channel.prototype.send = function (data, callback) {
  // ruleid: NLL301 -- the reply deletes `msg.msgId`, not the `msg.callbackId` it looked up
  this.callbacks.set(this.msgId++, callback);
};

function FixedChannel(port) {
  var self = this;
  this.msgId = 1;
  this.callbacks = new Map();
  port.on('message', function (msg) {
    var callback = self.callbacks.get(msg.callbackId);
    if (callback) {
      callback(msg.data);
      self.callbacks.delete(msg.callbackId);
    }
  });
}
FixedChannel.prototype.send = function (data, callback) {
  // ok: NLL301 -- the reply deletes the key it looked up
  this.callbacks.set(this.msgId++, callback);
};

// --- a delete registered by one growth site reaches its own entries only -------------------
class Users extends EventEmitter {
  constructor() {
    super();
    this.index = new Map();
  }
  add(user) {
    // ok: NLL301 -- removed when this user is destroyed
    this.index.set(user.id, user);
    user.once('destroy', () => this.index.delete(user.id));
  }
  async lookup(id) {
    if (!this.index.has(id)) {
      const user = await loadUser(id);
      // ruleid: NLL301 -- `add` registers a delete for its users; users added here have none
      this.index.set(user.id, user);
    }
    return this.index.get(id);
  }
}
module.exports.Users = Users;


// --- growth by rebuilding the collection from itself ----------------------------------------
let subscribers = [];
app.post('/subscribe', (req, res) => {
  // ruleid: NLL301 -- rebuilt from itself with one more element per request
  subscribers = [...subscribers, req.body.url];
  res.end();
});

let lastSeen = {};
app.get('/seen/:id', (req, res) => {
  // ruleid: NLL301 -- one more property per id, copied forward on every request
  lastSeen = Object.assign({}, lastSeen, { [req.params.id]: Date.now() });
  res.end();
});

const R = require('ramda');
let byRequest = {};
app.get('/r/:id', (req, res) => {
  // ruleid: NLL301 -- `assoc` copies every old key into the new object, plus one
  byRequest = R.assoc(req.params.id, Date.now(), byRequest);
  res.end();
});

let recentUrls = [];
app.get('/recent', (req, res) => {
  // ok: NLL301 -- the copy keeps the last 100 only
  recentUrls = [...recentUrls, req.url].slice(-100);
  res.end();
});

let flags = {};
app.get('/flag', (req, res) => {
  // ok: NLL301 -- constant keys: the same two properties rewritten
  flags = { ...flags, seen: true, at: Date.now() };
  res.json(flags);
});


// --- a size check that refuses is not a bound -----------------------------------------------
function GameServer(config) {
  this.config = config;
  this.clients = [];
}
GameServer.prototype.start = function () {
  function onConnection(ws) {
    if (this.clients.length >= this.config.maxConnections) {
      ws.close();
      return;
    }
    // ruleid: NLL301 -- the check turns new sockets away but nothing removes a closed one
    this.clients.push(ws);
  }
  this.wss.on('connection', onConnection.bind(this));
};
GameServer.prototype.tick = function () {
  for (var i = 0; i < this.clients.length; i++) this.clients[i].send('tick');
};

function RoomServer(config) {
  this.config = config;
  this.clients = [];
}
RoomServer.prototype.start = function () {
  var self = this;
  this.wss.on('connection', function (ws) {
    if (self.clients.length >= self.config.maxConnections) {
      self.clients.shift().close();
    }
    // ok: NLL301 -- the oldest client is evicted to make room
    self.clients.push(ws);
  });
};


// --- sibling collections keyed by the same id are evicted together --------------------------
function Hub() {
  this.sockets = new Map();
  this.joinedAt = new Map();
}
Hub.prototype.add = function (id, socket) {
  this.sockets.set(id, socket);
  // ruleid: NLL301 -- `this.sockets` loses the id in `remove`; this map keeps it
  this.joinedAt.set(id, Date.now());
};
Hub.prototype.remove = function (id) {
  this.sockets.delete(id);
};

function Directory() {
  this.sockets = new Map();
  this.joinedAt = new Map();
}
Directory.prototype.add = function (id, socket) {
  this.sockets.set(id, socket);
  // ok: NLL301 -- both maps lose the id in `remove`
  this.joinedAt.set(id, Date.now());
};
Directory.prototype.remove = function (id) {
  this.sockets.delete(id);
  this.joinedAt.delete(id);
};


// --- entries that expire but are never deleted ----------------------------------------------
function TtlCache(ttl) {
  this.ttl = ttl;
  this.entries = new Map();
}
TtlCache.prototype.get = function (key) {
  var entry = this.entries.get(key);
  if (!entry || entry.expiresAt <= Date.now()) return undefined;
  return entry.value;
};
TtlCache.prototype.set = function (key, value) {
  // ruleid: NLL301 -- reads skip expired entries but never delete them
  this.entries.set(key, { value: value, expiresAt: Date.now() + this.ttl });
};

function PruningCache(ttl) {
  this.ttl = ttl;
  this.entries = new Map();
}
PruningCache.prototype.get = function (key) {
  var entry = this.entries.get(key);
  if (entry && entry.expiresAt <= Date.now()) this.entries.delete(key);
  return entry && entry.value;
};
PruningCache.prototype.set = function (key, value) {
  // ruleid: NLL301 -- an expired entry is deleted only when its own key is read again
  this.entries.set(key, { value: value, expiresAt: Date.now() + this.ttl });
};

function SweepingCache(ttl) {
  this.ttl = ttl;
  this.entries = new Map();
  setInterval(this.sweep.bind(this), ttl).unref();
}
SweepingCache.prototype.get = function (key) {
  var entry = this.entries.get(key);
  if (entry && entry.expiresAt <= Date.now()) this.entries.delete(key);
  return entry && entry.value;
};
SweepingCache.prototype.sweep = function () {
  var now = Date.now();
  this.entries.forEach((entry, key) => {
    if (entry.expiresAt <= now) this.entries.delete(key);
  });
};
SweepingCache.prototype.set = function (key, value) {
  // ok: NLL301 -- the periodic sweep deletes expired entries that are never read again
  this.entries.set(key, { value: value, expiresAt: Date.now() + this.ttl });
};

// --- a class's name is not evidence ---------------------------------------------------------
class AccessoryManager {
  constructor() {
    this.byName = new Map();
  }
  register(accessory) {
    // ok: NLL301 -- filled from configuration; nothing says instances outlive it or keys are per call
    this.byName.set(accessory.name, accessory);
  }
}
module.exports.caches = { TtlCache, PruningCache, SweepingCache, AccessoryManager };

module.exports.app = app;
module.exports.Pool = Pool;
module.exports.Hub = Hub;
module.exports.Directory = Directory;

// --- Sets filled from what a call given only constants returns ----------------------------
// The plugin hook returns the same element names on every run, so the Set stops growing
// after the first import (the elements are not per-event data).
const blockHooks = require('./hooks');
const supportedBlocks = new Set(['div', 'p']);
module.exports.supportedBlocks = supportedBlocks;
exports.importPad = async (padId, raw) => {
  blockHooks.callAll('ccRegisterBlockElements').forEach((element) => {
    // ok: NLL301
    supportedBlocks.add(element);
  });
  return JSON.parse(raw);
};

// Tags taken from each request body are new per request: the Set keeps every one.
const seenTags = new Set();
app.post('/tagged', (req, res) => {
  req.body.tags.forEach((tag) => {
    // ruleid: NLL301
    seenTags.add(tag);
  });
  res.end();
});

// --- key cardinality: high needs each growth to add an entry that stays ---------------------
// A key new per call (a request's data, a counter, a fresh object) or an append is high; a key
// that may come from a small set is medium, with the caveat in the message.

// A helper's only caller passes each request's parameter: arguments reach parameters.
const visits = new Map();
function recordVisit(userId) {
  // ruleid: NLL301 -- high: one entry per user id a client sends
  visits.set(userId, Date.now());
}
app.get('/visit/:user', (req, res) => {
  recordVisit(req.params.user);
  res.end();
});

// The project's own emitter: its emit calls in view pass each request's data.
const jobEvents = new EventEmitter();
const jobStarts = new Map();
jobEvents.on('job', (job) => {
  // ruleid: NLL301 -- high: the `emit` in view passes `req.params.id`
  jobStarts.set(job.id, Date.now());
});
app.post('/jobs/:id', (req, res) => {
  jobEvents.emit('job', { id: req.params.id });
  res.end();
});

// Elements of the request body, iterated with `for … of`.
const batchTags = new Set();
app.post('/batch-tags', (req, res) => {
  for (const tag of req.body.tags) {
    // ruleid: NLL301 -- high: each tag comes from a request
    batchTags.add(tag);
  }
  res.end();
});

// A status per service, keyed by a constant and by an argument of the project's own event,
// whose emit calls live in another file (Firebot's connection manager): medium.
const integrationEvents = require('./integration-events');
const serviceStates = {};
function updateServiceState(serviceId, state) {
  // ruleid: NLL301 -- medium: 'chat' or an integration's id, a small set in practice
  serviceStates[serviceId] = state;
}
process.on('message', () => updateServiceState('chat', 'connected'));
integrationEvents.on('integration-connected', (id) => {
  updateServiceState(`integration.${id}`, 'connected');
});

// Keyed by a property of what a lookup returns (a registered plugin): medium.
const pluginRegistry = require('./plugin-registry');
const sourcePlugins = {};
process.on('message', (msg) => {
  const plugin = pluginRegistry.getPlugin(msg.pluginId);
  // ruleid: NLL301 -- medium: one entry per registered plugin, not per message
  sourcePlugins[plugin.id] = plugin;
});

// Get-or-create keyed by module state (ioBroker's compact groups): medium.
const processes = {};
const groups = {};
function startInstance(id) {
  const group = processes[id].config.group;
  // ruleid: NLL301 -- medium: the group is read from the configured processes, not made per call
  groups[group] = groups[group] || { started: Date.now() };
}
process.on('message', (msg) => startInstance(msg.instance));
module.exports.processes = processes;

// Event names of the project's own emitter (nodemon's bus): medium.
const bus = new EventEmitter();
const announced = {};
bus.on('newListener', (event) => {
  if (!announced[event]) {
    // ruleid: NLL301 -- medium: one entry per event name the code listens to
    announced[event] = true;
  }
});
module.exports.bus = bus;

// Collections kept in a collection: the sockets of each token (nodecg's auth middleware).
// A revoked token drops its whole Set; a socket never leaves its Set when it disconnects.
const { WebSocketServer } = require('ws');
const wss = new WebSocketServer({ port: 8080 });
const socketsByToken = new Map();
wss.on('connection', (socket, req) => {
  const token = req.headers.authorization;
  if (!socketsByToken.has(token)) socketsByToken.set(token, new Set());
  // ruleid: NLL301 -- medium: one member per connection, removed only with its whole Set
  socketsByToken.get(token).add(socket);
  socket.on('revoke', () => socketsByToken.delete(token));
});
const membersByRoom = new Map();
wss.on('connection', (socket) => {
  socket.on('join', (room) => {
    let members = membersByRoom.get(room);
    if (!members) {
      members = new Set();
      membersByRoom.set(room, members);
    }
    // ok: NLL301 -- each socket leaves every room when it closes
    members.add(socket);
  });
  socket.on('close', () => {
    for (const [room, roomMembers] of membersByRoom) {
      roomMembers.delete(socket);
      if (roomMembers.size === 0) membersByRoom.delete(room);
    }
  });
});

// A tombstone is not a delete: the cleanup sets the entry to undefined and keeps the key.
class Deduper {
  constructor(fetcher) {
    this.inflight = new Map();
    this.fetcher = fetcher;
  }
  run(args) {
    const key = JSON.stringify(args);
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.fetcher(args);
      // ruleid: NLL301 -- medium: the cleanup below keeps every key ever fetched
      this.inflight.set(key, pending);
      pending.finally(() => this.inflight.set(key, undefined));
    }
    return pending;
  }
  clear() {
    this.inflight.clear();
  }
}
class DeleteDeduper {
  constructor(fetcher) {
    this.inflight = new Map();
    this.fetcher = fetcher;
  }
  run(args) {
    const key = JSON.stringify(args);
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.fetcher(args);
      // ok: NLL301 -- deleted when it settles
      this.inflight.set(key, pending);
      pending.finally(() => this.inflight.delete(key));
    }
    return pending;
  }
}
module.exports.Deduper = Deduper;
module.exports.DeleteDeduper = DeleteDeduper;

// --- what the end of the work evicts from a sibling, kept in this one --------------------------
class ConnectionPool {
  constructor(build) {
    this.build = build;
    this.active = {};
    this.retained = {};
    this.closed = new Set();
    this.finished = new Set();
  }
  async get(id) {
    if (this.closed.has(id)) throw new Error('connection already closed');
    const conn = await this.build(id);
    this.active[id] = conn;
    conn.once('close', () => {
      delete this.active[id];
      // ruleid: NLL301 -- the close handler evicts `id` from `active` and keeps it here
      this.closed.add(id);
    });
    return conn;
  }
  toggle(topic, payload) {
    if (payload) this.retained[topic] = payload;
    else delete this.retained[topic];
    // ok: NLL301 -- the delete beside its own growth toggles an entry; it ends no work
    this.finished.add(topic);
  }
}
module.exports.ConnectionPool = ConnectionPool;

// --- a function returned by a factory made once at module top level -------------------------
function memoize(fn) {
  const cache = new Map();
  return (key) => {
    // ruleid: NLL301 -- `cachedProfile` is made once below and called with each request's id
    if (!cache.has(key)) cache.set(key, fn(key));
    return cache.get(key);
  };
}
function loadProfile(id) {
  return { id };
}
const cachedProfile = memoize(loadProfile);
app.get('/profile/:id', (req, res) => res.json(cachedProfile(req.params.id)));

function memoizeRecent(fn, max) {
  const cache = new Map();
  return (key) => {
    if (!cache.has(key)) {
      if (cache.size >= max) cache.delete(cache.keys().next().value);
      // ok: NLL301 -- the oldest entry is evicted beyond `max`
      cache.set(key, fn(key));
    }
    return cache.get(key);
  };
}
const recentProfile = memoizeRecent(loadProfile, 100);
app.get('/recent/:id', (req, res) => res.json(recentProfile(req.params.id)));

function watchRoutes(router, onDepth) {
  const depthByKey = new Map();
  const sync = (key) => {
    // ok: NLL301 -- the returned disposer does not use the map: the map is not its state
    if (!depthByKey.has(key)) depthByKey.set(key, depthByKey.size);
    onDepth(depthByKey.get(key));
  };
  router.on('change', sync);
  return () => router.off('change', sync);
}
module.exports.watchRoutes = watchRoutes;

// --- deletes behind a guard some entries never satisfy ----------------------------------------
// A TTL cache whose only expiry is on read: a key never read again is never deleted.
const ttlStore = new Map();
function ttlGet(key) {
  const entry = ttlStore.get(key);
  if (!entry || Date.now() > entry.exp) {
    ttlStore.delete(key);
    return null;
  }
  return entry.val;
}
function ttlDel(key) {
  ttlStore.delete(key);
}
app.get('/profile/:id', (req, res) => {
  const key = `profile:${req.params.id}`;
  const hit = ttlGet(key);
  if (hit) return res.send(hit);
  // ruleid: NLL301 -- expired entries go only when their own key is read again
  ttlStore.set(key, { val: req.params.id, exp: Date.now() + 60000 });
  res.send('ok');
});
app.delete('/profile/:id', (req, res) => {
  ttlDel(`profile:${req.params.id}`);
  res.end();
});

const sweptStore = new Map();
function sweptGet(key) {
  const entry = sweptStore.get(key);
  if (!entry || Date.now() > entry.exp) {
    sweptStore.delete(key);
    return null;
  }
  return entry.val;
}
setInterval(() => {
  const now = Date.now();
  for (const [key, entry] of sweptStore) if (now > entry.exp) sweptStore.delete(key);
}, 60000).unref();
app.get('/swept/:id', (req, res) => {
  const key = req.params.id;
  if (sweptGet(key)) return res.end();
  // ok: NLL301 -- a periodic sweep deletes the expired entries whether read again or not
  sweptStore.set(key, { val: key, exp: Date.now() + 60000 });
  res.end();
});

const timedStore = new Map();
function timedGet(key) {
  const entry = timedStore.get(key);
  if (!entry || Date.now() > entry.exp) {
    timedStore.delete(key);
    return null;
  }
  return entry.val;
}
function timedDel(key) {
  timedStore.delete(key);
}
app.get('/timed/:id', (req, res) => {
  const key = req.params.id;
  if (timedGet(key)) return res.end();
  // ok: NLL301 -- each entry's own timeout deletes it when it expires
  timedStore.set(key, { val: key, exp: Date.now() + 60000 });
  setTimeout(() => timedDel(key), 60000).unref();
  res.end();
});

// A sibling keyed by the same session id is deleted on the expired path; this one is not.
const sessionCache = new LRU({ max: 2000 });
const lastTouched = new Map();
function getSession(id, now) {
  const cached = sessionCache.get(id);
  if (cached) {
    // ruleid: NLL301 -- only logout deletes it; an expired session leaves its entry
    lastTouched.set(id, now);
    return cached;
  }
  const row = loadSessionRow(id);
  if (!row || row.expired) {
    sessionCache.delete(id);
    return null;
  }
  sessionCache.set(id, row);
  return row;
}
function logout(id) {
  sessionCache.delete(id);
  lastTouched.delete(id);
}
function loadSessionRow(id) {
  return { id, expired: false };
}
app.get('/session/:sid', (req, res) => res.json(getSession(req.params.sid, Date.now())));
app.post('/logout/:sid', (req, res) => {
  logout(req.params.sid);
  res.end();
});

const fixedSessionCache = new LRU({ max: 2000 });
const fixedLastTouched = new Map();
function getFixedSession(id, now) {
  const cached = fixedSessionCache.get(id);
  if (cached) {
    // ok: NLL301 -- deleted together with the sibling on every path that drops the session
    fixedLastTouched.set(id, now);
    return cached;
  }
  const row = loadSessionRow(id);
  if (!row || row.expired) {
    fixedSessionCache.delete(id);
    fixedLastTouched.delete(id);
    return null;
  }
  fixedSessionCache.set(id, row);
  return row;
}
app.get('/fixed-session/:sid', (req, res) => res.json(getFixedSession(req.params.sid, 1)));
app.post('/fixed-logout/:sid', (req, res) => {
  fixedSessionCache.delete(req.params.sid);
  fixedLastTouched.delete(req.params.sid);
  res.end();
});

// ES5: a topic is deleted once its callback list is empty, but unsubscribing everything
// removes the listeners and leaves the list full.
function Presence() {
  this.channels = new EventEmitter();
  this.subscriptions = {};
}
Presence.prototype.subscribe = function (topic, callback) {
  // ruleid: NLL301 -- unsubscribe(topic) without a callback never empties the list
  if (!this.subscriptions[topic]) this.subscriptions[topic] = [];
  this.subscriptions[topic].push(callback);
  this.channels.on(topic, callback);
};
Presence.prototype.unsubscribe = function (topic, callback) {
  const callbacks = this.subscriptions[topic];
  if (!callbacks) return;
  if (callback) {
    const index = callbacks.indexOf(callback);
    if (index !== -1) {
      callbacks.splice(index, 1);
      this.channels.removeListener(topic, callback);
    }
  } else {
    callbacks.forEach((cb) => this.channels.removeListener(topic, cb));
  }
  if (callbacks.length === 0) {
    delete this.subscriptions[topic];
  }
};
module.exports.Presence = Presence;

function FixedPresence() {
  this.channels = new EventEmitter();
  this.subscriptions = {};
}
FixedPresence.prototype.subscribe = function (topic, callback) {
  // ok: NLL301 -- every way of unsubscribing empties the list before the length check
  if (!this.subscriptions[topic]) this.subscriptions[topic] = [];
  this.subscriptions[topic].push(callback);
  this.channels.on(topic, callback);
};
FixedPresence.prototype.unsubscribe = function (topic, callback) {
  const callbacks = this.subscriptions[topic];
  if (!callbacks) return;
  if (callback) {
    const index = callbacks.indexOf(callback);
    if (index !== -1) {
      callbacks.splice(index, 1);
      this.channels.removeListener(topic, callback);
    }
  } else {
    callbacks.forEach((cb) => this.channels.removeListener(topic, cb));
    callbacks.length = 0;
  }
  if (callbacks.length === 0) {
    delete this.subscriptions[topic];
  }
};
module.exports.FixedPresence = FixedPresence;

// The sweep reads each entry under the loop's key: a sweep, not a read of one key.
class SettingsCache {
  static get(key) {
    if (!SettingsCache.cleaner) {
      SettingsCache.cleaner = setInterval(() => {
        for (key in SettingsCache.cacheList) {
          if (Date.now() - SettingsCache.cacheList[key].timestamp > 60000) {
            delete SettingsCache.cacheList[key];
          }
        }
      }, 60000);
    }
    if (key in SettingsCache.cacheList) return SettingsCache.cacheList[key].value;
    const value = loadSetting(key);
    // ok: NLL301 -- the interval sweeps every expired key
    SettingsCache.cacheList[key] = { value, timestamp: Date.now() };
    return value;
  }
}
SettingsCache.cacheList = {};
SettingsCache.cleaner = null;
function loadSetting(key) {
  return key.length;
}
app.get('/setting/:key', (req, res) => res.json(SettingsCache.get(req.params.key)));

// A sweep that deletes only responses that have finished: an abandoned response never does.
const { randomUUID } = require('node:crypto');
function Tracker() {
  this.pending = {};
  const self = this;
  setInterval(function () {
    for (const id in self.pending) {
      if (self.pending[id].finished) delete self.pending[id];
    }
  }, 10000);
}
Tracker.prototype.track = function (req, res, next) {
  // ruleid: NLL301 -- a response whose client disconnects is destroyed, never finished
  this.pending[randomUUID()] = res;
  next();
};
app.use(new Tracker().track);

function FixedTracker() {
  this.pending = {};
  const self = this;
  setInterval(function () {
    for (const id in self.pending) {
      const res = self.pending[id];
      if (res.finished || res.destroyed) delete self.pending[id];
    }
  }, 10000);
}
FixedTracker.prototype.track = function (req, res, next) {
  // ok: NLL301 -- the sweep also drops responses whose client went away
  this.pending[randomUUID()] = res;
  next();
};
app.use(new FixedTracker().track);

// --- per-call state hoisted out of a returned function ----------------------------------------
function middleware(handle, opt) {
  var stack = [];
  function run(event, context) {
    // ruleid: NLL301 -- every call appends its own step, then runs the stack from the start
    stack.push(function (next) { return handle(event, context, opt); });
    var runner = function (index) { return stack[index](function () { return runner(index + 1); }); };
    return runner(0);
  }
  run.use = function (mw) {
    stack.push(mw);
    return run;
  };
  return run;
}
exports.middleware = middleware;

function fixedMiddleware(handle, opt) {
  var stack = [];
  function run(event, context) {
    // ok: NLL301 -- each call runs a copy of the configured stack plus its own step
    var steps = stack.concat([function (next) { return handle(event, context, opt); }]);
    var runner = function (index) { return steps[index](function () { return runner(index + 1); }); };
    return runner(0);
  }
  run.use = function (mw) {
    stack.push(mw);
    return run;
  };
  return run;
}
exports.fixedMiddleware = fixedMiddleware;

function recorder() {
  var calls = [];
  var spy = function () {
    // ok: NLL301 -- a spy keeps its calls for its caller to read; the call itself never reads them
    calls.push({ args: Array.prototype.slice.call(arguments), at: Date.now() });
  };
  spy.calls = calls;
  return spy;
}
exports.recorder = recorder;

function batcher(flush) {
  var queue = [];
  return function (item) {
    // ok: NLL301 -- the run empties what it read back
    queue.push({ item: item });
    if (queue.length >= 10) flush(queue.splice(0, queue.length));
  };
}
exports.batcher = batcher;

// --- a delete keyed by another collection's keys ----------------------------------------------
const watchers = new Map();
const feeds = new Map();
function onPing(msg) {
  const orderId = msg.orderId;
  const displayId = msg.displayId;
  if (watchers.has(displayId)) watchers.get(displayId).forEach((ws) => ws.send(msg.text));
  if (!feeds.has(orderId)) {
    // ruleid: NLL301 -- the cleanup walks the watchers' keys (display ids), never order ids
    feeds.set(orderId, openFeed(orderId));
  }
}
function onDisconnect(ws) {
  watchers.forEach(function (clients, key) {
    clients.delete(ws);
    if (clients.size === 0) {
      watchers.delete(key);
      feeds.delete(key);
    }
  });
}
exports.onPing = onPing;
exports.onDisconnect = onDisconnect;

const rooms = new Map();
const roomFeeds = new Map();
function onRoomPing(msg) {
  const roomId = msg.roomId;
  if (rooms.has(roomId)) rooms.get(roomId).forEach((ws) => ws.send(msg.text));
  if (!roomFeeds.has(roomId)) {
    // ok: NLL301 -- the same key space: the cleanup's keys are the ones added here
    roomFeeds.set(roomId, openFeed(roomId));
  }
}
function onRoomDisconnect(ws) {
  for (const [key, clients] of rooms) {
    clients.delete(ws);
    if (clients.size === 0) {
      rooms.delete(key);
      roomFeeds.delete(key);
    }
  }
}
exports.onRoomPing = onRoomPing;
exports.onRoomDisconnect = onRoomDisconnect;
function openFeed(id) { return { id: id }; }

// --- a listener's local whose entries' own end is heard and left in ---------------------------
function openWindow(win, rpc) {
  const terminals = new Map();
  rpc.on('new', function (opts) {
    spawnTerminal(opts, function (uid, term) {
      // ruleid: NLL301 -- the 'exit' listener below leaves the entry in until the window closes
      terminals.set(uid, term);
      term.on('exit', function () {
        rpc.emit('exit', { uid: uid });
      });
    });
  });
  function closeAll() {
    terminals.forEach(function (term, key) {
      term.destroy();
      terminals.delete(key);
    });
  }
  win.on('close', closeAll);
}
exports.openWindow = openWindow;

function openFixedWindow(win, rpc) {
  const terminals = new Map();
  rpc.on('new', function (opts) {
    spawnTerminal(opts, function (uid, term) {
      // ok: NLL301 -- the entry goes when its terminal exits
      terminals.set(uid, term);
      term.on('exit', function () {
        rpc.emit('exit', { uid: uid });
        terminals.delete(uid);
      });
    });
  });
  win.on('close', function () {
    terminals.forEach(function (term) { term.destroy(); });
    terminals.clear();
  });
}
exports.openFixedWindow = openFixedWindow;

function readBody(req, cb) {
  const parts = {};
  req.on('data', function (chunk) {
    // ok: NLL301 -- per-request scratch: nothing here says the request outlives it
    parts[Date.now()] = chunk;
  });
  req.on('end', function () { cb(parts); });
}
exports.readBody = readBody;
function spawnTerminal(opts, cb) { cb(String(Math.random()), new (require('events'))()); }

function onceOnly(fn) {
  const results = [];
  return function () {
    if (results.length) return results[0];
    // ok: NLL301 -- the size test latches it: only the first call appends
    results.push(fn.apply(null, arguments));
    return results[0];
  };
}
exports.onceOnly = onceOnly;

// A class made as a local of each call: its fields die with the call that made them.
class LinkCollector {
  constructor(limit) {
    this.limit = limit;
    this.seen = new Set();
  }
  addAll(urls) {
    for (const url of urls) {
      if (this.seen.has(url)) continue;
      // ok: NLL301 -- each LinkCollector is a local of one request and never leaves it
      this.seen.add(url);
    }
  }
}
app.post('/crawl', async (req, res) => {
  const collector = new LinkCollector(100);
  collector.addAll(await fetchLinks(req.body.url));
  res.json({ count: collector.seen.size, urls: [...collector.seen] });
});
class LinkKeeper {
  constructor(limit) {
    this.limit = limit;
    this.seen = new Set();
  }
  addAll(urls) {
    for (const url of urls) {
      if (this.seen.has(url)) continue;
      // ruleid: NLL301 -- the set outlives its request: the handler stores it in `keptSeen`
      this.seen.add(url);
    }
  }
}
let keptSeen = null;
app.post('/keep', async (req, res) => {
  const keeper = new LinkKeeper(100);
  keeper.addAll(await fetchLinks(req.body.url));
  keptSeen = keeper.seen;
  res.json({ count: keeper.seen.size });
});
module.exports.keptSeen = () => keptSeen;

// A collection handed to a helper of this file that deletes from its parameter is shrunk there.
const fs = require('fs');
const fileWatchers = new Map();
function releaseWatcher(registry, key) {
  registry.get(key).close();
  registry.delete(key);
}
function watchPath(path, onChange) {
  const watcher = fs.watch(path, onChange);
  // ok: NLL301 -- releaseWatcher(fileWatchers, path) deletes the entry through its parameter
  fileWatchers.set(path, watcher);
  watcher.on('error', () => releaseWatcher(fileWatchers, path));
}
const filePollers = new Map();
function describeWatcher(registry, key) {
  return registry.get(key).path;
}
function pollPath(path, onChange) {
  const poller = fs.watchFile(path, onChange);
  // ruleid: NLL301 -- describeWatcher(filePollers, path) only reads its parameter
  filePollers.set(path, poller);
  poller.on('error', () => console.warn(describeWatcher(filePollers, path)));
}
module.exports.watchPath = watchPath;
module.exports.pollPath = pollPath;

// --- a factory's local helper that the returned object's methods call -----------------------
// `record` is not itself a method, but `dispatch` calls it on every job: it runs per call.
function createDispatcher() {
  const running = new Map();
  function record(job) {
    // ruleid: NLL301 -- the dispatcher is made once below and `dispatch` runs per request
    running.set(job.id, job);
  }
  return { dispatch(job) { record(job); return job.id; } };
}
const dispatcher = createDispatcher();
app.post('/jobs', (req, res) => res.json(dispatcher.dispatch(req.body)));

function createFixedDispatcher() {
  const running = new Map();
  async function record(job) {
    // ok: NLL301 -- the job is deleted when it ends, however it ends
    running.set(job.id, job);
    try {
      await job.done;
    } finally {
      running.delete(job.id);
    }
  }
  return { dispatch(job) { record(job); return job.id; } };
}
const fixedDispatcher = createFixedDispatcher();
app.post('/fixed-jobs', (req, res) => res.json(fixedDispatcher.dispatch(req.body)));

function createPresets(names) {
  const presets = new Map();
  function load(name) {
    // ok: NLL301 -- `load` runs only while the factory runs, once per name it was given
    presets.set(name, { name });
  }
  names.forEach(load);
  return { get: (name) => presets.get(name) };
}
const presets = createPresets(['small', 'large']);
app.get('/preset/:name', (req, res) => res.json(presets.get(req.params.name)));

// --- the instance handed to a function of the file: its parameter's field is the field ----------
class RequestChannel {
  constructor() {
    this._requests = {};
  }
  request(cb) {
    // ok: NLL301 -- `failChannel(this)` hands the instance to `resetRequests`, which replaces the table
    this._requests[require('node:crypto').randomUUID()] = { cb };
  }
  end() {
    failChannel(this, 'closed');
  }
}
function failChannel(channel, why) {
  resetRequests(channel);
}
function resetRequests(channel) {
  channel._requests = {};
}

class CountedChannel {
  constructor() {
    this._requests = {};
  }
  request(cb) {
    // ruleid: NLL301 -- `countRequests(this)` only reads the table
    this._requests[require('node:crypto').randomUUID()] = { cb };
  }
  end() {
    return countRequests(this);
  }
}
function countRequests(channel) {
  return Object.keys(channel._requests).length;
}
module.exports = { RequestChannel, CountedChannel };

// --- counter keys that reach the key through a field read or a method's parameter ---------
class ReplyBroker {
  constructor(pub) {
    this.pub = pub;
    this.replyIdCounter = 0;
    this.pendingReplies = {};
  }
  request(payload) {
    if (payload) {
      ++this.replyIdCounter;
      const replyId = this.replyIdCounter;
      this.pub.publish('work', { replyId, payload });
      return new Promise((resolve) => {
        // ruleid: NLL301 -- keyed by the counter stepped just above; no reply path deletes it
        this.pendingReplies[replyId] = resolve;
      });
    }
    return Promise.resolve(null);
  }
  onReply(msg) {
    const resolve = this.pendingReplies[msg.replyId];
    if (resolve) resolve(msg.payload);
  }
}
class AckSocket {
  constructor(io) {
    this.io = io;
    this.ids = 0;
    this.acks = {};
    this.labels = {};
  }
  emit(event, ack) {
    this._registerAck(this.ids++, ack);
    this._label('last', event);
    this.io.write(event);
  }
  _registerAck(id, ack) {
    // ruleid: NLL301 -- every caller in view passes `this.ids++`: a new key per call
    this.acks[id] = ack;
  }
  _label(slot, event) {
    // ok: NLL301 -- its only caller passes a constant slot
    this.labels[slot] = event;
  }
  onack(packet) {
    const ack = this.acks[packet.id];
    if (ack) ack(packet.data);
  }
}
module.exports.ReplyBroker = ReplyBroker;
module.exports.AckSocket = AckSocket;

// --- a table of callbacks awaiting replies must be flushed by teardown --------------------
class AckClient {
  constructor(io) {
    this.io = io;
    this.ids = 0;
    this.acks = {};
  }
  emit(event, ack) {
    const id = this.ids++;
    // ruleid: NLL301 -- deleted as each reply comes, never by `disconnect()`: in-flight acks stay
    this.acks[id] = ack;
    this.io.write({ id, event });
  }
  onack(packet) {
    const ack = this.acks[packet.id];
    if (ack) {
      delete this.acks[packet.id];
      ack(packet.data);
    }
  }
  disconnect() {
    this.io.close();
  }
}
class FlushingAckClient {
  constructor(io) {
    this.io = io;
    this.ids = 0;
    this.acks = {};
  }
  emit(event, ack) {
    const id = this.ids++;
    // ok: NLL301 -- `disconnect()` fails and deletes every ack still waiting
    this.acks[id] = ack;
    this.io.write({ id, event });
  }
  onack(packet) {
    const ack = this.acks[packet.id];
    if (ack) {
      delete this.acks[packet.id];
      ack(packet.data);
    }
  }
  disconnect() {
    for (const id of Object.keys(this.acks)) {
      const ack = this.acks[id];
      delete this.acks[id];
      ack(new Error('disconnected'));
    }
    this.io.close();
  }
}
module.exports.AckClient = AckClient;
module.exports.FlushingAckClient = FlushingAckClient;

// Prepared statements keyed by their SQL text, and every caller of `statement` passes a
// literal (arguments reach parameters): one entry per statement written in the code.
const statements = {};
function statement(sql) {
  if (!(sql in statements)) {
    // ok: NLL301 -- every caller passes a literal: the keys are a small fixed set
    statements[sql] = { sql, at: Date.now() };
  }
  return statements[sql];
}
app.get('/statements', (req, res) => {
  res.json([statement('SELECT 1'), statement('SELECT 2')]);
});

// The same shape, but one caller passes the request's query: a new key per request.
const labels = new Map();
function label(text) {
  if (!labels.has(text)) {
    // ruleid: NLL301
    labels.set(text, String(text).toUpperCase());
  }
  return labels.get(text);
}
app.get('/labels', (req, res) => {
  res.json([label('home'), label(req.query.text)]);
});
