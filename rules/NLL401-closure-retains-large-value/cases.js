// Annotated cases for NLL401 closure-retains-large-value (CommonJS).
const fs = require('node:fs');
const { EventEmitter } = require('node:events');
const express = require('express');

const app = express();
const bus = new EventEmitter();
const timers = new Map();
const registry = new Map();
const handlers = [];
let current = null;

// --- setInterval (cleared somewhere, so NLL201 is silent) -----------------------------------

function startPolling(id, path) {
  const buf = Buffer.alloc(1024 * 1024);
  fs.readSync(0, buf);
  const log = () => console.log('read', buf.length);
  log();
  // ruleid: NLL401
  const timer = setInterval(() => poll(id), 1000);
  timers.set(id, timer);
}

function startQuiet(id) {
  const buf = Buffer.alloc(1024 * 1024);
  fs.readSync(0, buf);
  console.log(buf.length);
  // ok: NLL401 -- no closure references `buf`: it stays on the stack, not in the context
  const timer = setInterval(() => poll(id), 1000);
  timers.set(id, timer);
}

function startUsing(id) {
  const table = new Float64Array(1000000);
  // ok: NLL401 -- the callback uses the array on every tick: it is not dead weight
  const timer = setInterval(() => draw(table), 1000);
  timers.set(id, timer);
}

function startHelper(id, path) {
  const contents = fs.readFileSync(path);
  function report() {
    console.log(contents.length);
  }
  // ok: NLL401 -- the callback calls `report`, which uses `contents`
  const timer = setInterval(() => report(), 1000);
  timers.set(id, timer);
}

function startForever(path) {
  const contents = fs.readFileSync(path);
  process.nextTick(() => console.log(contents.length));
  // ok: NLL401 -- never cleared: NLL201 reports the interval and names what it keeps
  setInterval(() => poll(path), 1000);
}

function stopPolling(id) {
  clearInterval(timers.get(id));
  timers.delete(id);
}

function startWithHandle(path) {
  const config = JSON.parse(fs.readFileSync(path, 'utf8'));
  const validate = () => config.version > 1;
  validate();
  // ruleid: NLL401
  const handle = setInterval(function tick() {
    poll(path);
  }, 5000);
  return () => clearInterval(handle);
}

function startNamed(path) {
  const body = Buffer.concat(readChunks(path));
  queueMicrotask(() => console.log(body.length));
  const tick = () => poll(path);
  // ruleid: NLL401
  const handle = setInterval(tick, 5000);
  process.once('beforeExit', () => clearInterval(handle));
}

// --- release by nulling ---------------------------------------------------------------------

function startReleased(id, path) {
  let data = fs.readFileSync(path);
  process.nextTick(() => parse(data));
  // ok: NLL401 -- `data` is set to null before the callback can run
  const timer = setInterval(() => poll(id), 1000);
  timers.set(id, timer);
  data = null;
}

function startReleasedSometimes(id, path) {
  let data = fs.readFileSync(path);
  process.nextTick(() => parse(data));
  // ruleid: NLL401
  const timer = setInterval(() => poll(id), 1000);
  timers.set(id, timer);
  if (data.length > 10) {
    data = null;
  }
}

async function startReleasedLate(id, path) {
  let data = fs.readFileSync(path);
  process.nextTick(() => parse(data));
  // ruleid: NLL401
  const timer = setInterval(() => poll(id), 1000);
  timers.set(id, timer);
  await flush();
  data = undefined;
}

// --- V8 details: block contexts, context chains, eval -----------------------------------------

function startBlock(id, path) {
  {
    const raw = fs.readFileSync(path);
    process.nextTick(() => parse(raw));
  }
  // ok: NLL401 -- `raw` lives in the block's own context; the callback is created outside it
  const timer = setInterval(() => poll(id), 1000);
  timers.set(id, timer);
}

function startInBlock(id, path) {
  if (id) {
    const raw = fs.readFileSync(path);
    process.nextTick(() => parse(raw));
    // ruleid: NLL401
    const timer = setInterval(() => poll(id), 1000);
    timers.set(id, timer);
  }
}

function outer(path) {
  const raw = fs.readFileSync(path);
  const check = () => raw.length;
  check();
  return function arm(id) {
    // ruleid: NLL401
    const timer = setInterval(() => poll(id), 1000);
    timers.set(id, timer);
  };
}

function startEval(id, path, code) {
  const raw = fs.readFileSync(path);
  eval(code);
  // ruleid: NLL401
  const timer = setInterval(() => poll(id), 1000);
  timers.set(id, timer);
}

function startVar(id, path) {
  if (id) {
    var raw = fs.readFileSync(path);
  }
  process.nextTick(() => parse(raw));
  // ruleid: NLL401
  const timer = setInterval(() => poll(id), 1000);
  timers.set(id, timer);
}

// --- known gaps ------------------------------------------------------------------------------

function startDebounced(id, path) {
  const raw = fs.readFileSync(path);
  const refresh = debounce(() => parse(raw), 100);
  // todook: NLL401 -- the callback uses `raw` through the debounced wrapper; only local functions, object literals and `.bind` are followed
  const timer = setInterval(() => refresh(), 1000);
  timers.set(id, timer);
}

async function startDestructured(id, url) {
  const { items } = await (await fetch(url)).json();
  process.nextTick(() => index(items));
  // todoruleid: NLL401 -- destructured parts of a large value are not tracked
  const timer = setInterval(() => poll(id), 1000);
  timers.set(id, timer);
}

// --- listeners on process-lived emitters ------------------------------------------------------

function main() {
  const settings = JSON.parse(fs.readFileSync('settings.json', 'utf8'));
  const server = app.listen(settings.port, () => console.log('listening on', settings.port));
  // ruleid: NLL401
  process.on('SIGTERM', () => server.close());
}
main();

app.post('/import', (req, res) => {
  const raw = Buffer.concat(req.chunks);
  setImmediate(() => parse(raw));
  // ok: NLL401 -- never removed: NLL101 reports the listener and names what it keeps
  bus.on('reload', () => res.write('reloading'));
  res.end();
});

app.post('/subscribe', (req, res) => {
  const raw = Buffer.concat(req.chunks);
  setImmediate(() => parse(raw));
  const onReload = () => notify(req.query.id);
  // ruleid: NLL401
  bus.on('reload', onReload);
  req.on('close', () => bus.off('reload', onReload));
  res.end();
});

app.post('/small', (req, res) => {
  const header = Buffer.alloc(64);
  setImmediate(() => header.fill(0));
  const onReload = () => notify(req.query.id);
  // ok: NLL401 -- a 64-byte buffer is not large
  bus.on('reload', onReload);
  req.on('close', () => bus.off('reload', onReload));
  res.end();
});

// --- stored at module scope, in a module-level collection, exported --------------------------

function register(name, path) {
  const source = fs.readFileSync(path, 'utf8');
  const compiled = compile(source);
  process.nextTick(() => lint(source));
  // ruleid: NLL401
  registry.set(name, () => compiled.run());
}

function unregister(name) {
  registry.delete(name);
}

function registerUncaptured(name, path) {
  const source = fs.readFileSync(path, 'utf8');
  const compiled = compile(source);
  // ok: NLL401 -- `source` is only used by the function itself, never by a closure: no context slot
  registry.set(name, () => compiled.run());
}

function registerSmall(name) {
  const source = 'return 1';
  process.nextTick(() => lint(source));
  const compiled = compile(source);
  // ok: NLL401 -- nothing large in the scope
  registry.set(name, () => compiled.run());
}

function install(path) {
  const grid = new Array(1000000);
  grid.fill(0);
  const sum = () => grid.reduce((a, b) => a + b, 0);
  sum();
  // ruleid: NLL401
  current = () => console.log('installed', path);
}

function addHandler(path) {
  const payload = JSON.parse(fs.readFileSync(path, 'utf8'));
  const first = payload.items.map((item) => item.id + payload.prefix)[0];
  // ruleid: NLL401
  handlers.push(() => first);
}

const recent = [];
function remember(job) {
  const archive = fs.readFileSync(job.path);
  process.nextTick(() => upload(archive));
  recent.push({
    id: job.id,
    // ruleid: NLL401
    describe: () => `archived ${job.id}`,
  });
  if (recent.length > 20) recent.shift();
}

function setup(path) {
  const blob = fs.readFileSync(path);
  process.nextTick(() => checksum(blob));
  // ruleid: NLL401
  exports.onReady = () => console.log('ready');
}

function makeHandler(path) {
  const template = fs.readFileSync(path, 'utf8');
  const size = [0].map(() => template.length)[0];
  // ruleid: NLL401
  return (req, res) => res.end(String(size));
}
const handler = makeHandler('index.html');
app.get('/', handler);

function makeRenderer(path) {
  const template = fs.readFileSync(path, 'utf8');
  // ok: NLL401 -- the returned closure uses the template: it is needed
  return (req, res) => res.end(template);
}
const renderer = makeRenderer('index.html');
app.get('/page', renderer);

// --- request and response objects past the end of their request ------------------------------

const clients = new Map();
app.get('/events', (req, res) => {
  // ruleid: NLL401
  clients.set(req.query.id, (msg) => res.write(msg));
});
function shutdown() {
  clients.clear();
}

const streams = new Map();
app.get('/stream', (req, res) => {
  // ok: NLL401 -- removed when the request closes
  streams.set(req.query.id, (msg) => res.write(msg));
  req.on('close', () => streams.delete(req.query.id));
});

app.get('/keepalive', (req, res) => {
  // ok: NLL401 -- cleared when the request closes
  const timer = setInterval(() => res.write(':\n\n'), 15000);
  req.on('close', () => clearInterval(timer));
});

let lastRequest = null;
app.get('/last', (req, res) => {
  // ruleid: NLL401
  lastRequest = () => req.url;
  res.end();
});

module.exports = { startPolling, stopPolling, outer, register, unregister, install, setup, handler, renderer, shutdown };

// --- per-call objects stored on a process-wide prototype ---------------------------------------
const EventSource = require('./event-source');

function attachRequest(req) {
  // ruleid: NLL401
  EventSource.prototype.currentRequest = req;
}
app.use((req, res, next) => {
  attachRequest(req);
  next();
});

// --- closures handed to a function that stores them ---------------------------------------------
const shutdownHooks = [];
function onShutdown(hook) {
  shutdownHooks.push(hook);
}

app.post('/upload', (req, res) => {
  const body = fs.readFileSync(req.query.path);
  const size = () => body.length;
  // ruleid: NLL401
  onShutdown(() => console.log('pending', req.query.path));
  res.json({ size: size() });
});

function runLater(task) {
  // ok: NLL401 -- the parameter is run, not stored
  task();
}
app.post('/later', (req, res) => {
  const body = fs.readFileSync(req.query.path);
  runLater(() => res.send(body));
});

// --- closures stored on a pooled client --------------------------------------------------------
const { Pool } = require('pg');
const pgPool = new Pool();

app.get('/notices', async (req, res) => {
  const client = await pgPool.connect();
  // ruleid: NLL401
  client.onNotice = (msg) => console.log(req.url, msg);
  try {
    res.json((await client.query('select 1')).rows);
  } finally {
    client.release();
  }
});

app.get('/notices-ok', async (req, res) => {
  const client = await pgPool.connect();
  const url = req.url;
  // ok: NLL401 -- keeps only a string copied from the request
  client.onNotice = (msg) => console.log(url, msg);
  try {
    res.json((await client.query('select 1')).rows);
  } finally {
    client.release();
  }
});

// ok: NLL401 -- no "use client" directive: a single-page app's one cache is the intended use
const { QueryClient } = require('@tanstack/react-query');
const spaQueries = new QueryClient();
module.exports.spaQueries = spaQueries;

// --- closures kept on fields of instances that live as long as the process ---------------------

class Reloader {
  load(path) {
    const data = fs.readFileSync(path);
    const size = () => data.length;
    console.log('loaded', size());
    // ruleid: NLL401
    this.onRefresh = () => console.log('refresh', path);
  }
}
const reloader = new Reloader();
app.post('/reload', (req, res) => {
  reloader.load(req.body.path);
  res.end();
});

// ES5 constructor and prototype method, one instance made at module top level.
function Watchers() {
  this.hooks = [];
}
Watchers.prototype.watch = function (file) {
  const raw = fs.readFileSync(file);
  const count = function () {
    return raw.length;
  };
  count();
  // ruleid: NLL401
  this.hooks.push(function () {
    console.log('changed', file);
  });
};
const watchers = new Watchers();
app.post('/watch', (req, res) => {
  watchers.watch(req.body.file);
  res.end();
});

class Job {
  load(path) {
    const data = fs.readFileSync(path);
    const size = () => data.length;
    console.log('loaded', size());
    // ok: NLL401 -- a job is made per request: nothing shows the instance outlives it
    this.onDone = () => console.log('done', path);
  }
}
app.post('/job', (req, res) => {
  const job = new Job();
  job.load(req.body.path);
  res.end();
});

// Known gaps (hapi #1634, xstate #1023): holders the rule does not model yet.
const domains = require('node:domain');
app.get('/report', (req, res) => {
  const d = domains.create();
  // todoruleid: NLL401 -- a domain lives as long as the timers, sockets and emitters made while it is entered
  d.on('error', (err) => req.log(err));
  d.run(() => {
    setTimeout(() => console.log('expired'), 600000);
    res.end();
  });
});

function Snapshot(config) {
  this.value = config.value;
  this.previous = config.previous;
  // todoruleid: NLL401 -- the getter keeps the whole argument, `config.previous` too, after forget()
  Object.defineProperty(this, 'size', { get: () => config.value.length });
}
Snapshot.prototype.forget = function () {
  delete this.previous;
};
module.exports.Snapshot = Snapshot;

// --- a push on something that is no collection ---------------------------------------------------
const { AwaitQueue } = require('awaitqueue');
const taskQueue = new AwaitQueue();
app.post('/rooms/:id', (req, res) => {
  const snapshot = Buffer.concat(req.chunks);
  // ok: NLL401 -- `AwaitQueue.push` runs the task and lets it go: not an array's push
  taskQueue.push(async () => res.json(await openRoom(req.params.id, snapshot))).catch(() => {});
});
