// Annotated cases for NLL602 unclosed-client (CommonJS: Express, Koa, Socket.IO, ws).
const express = require('express');
const { Pool, Client } = require('pg');
const Redis = require('ioredis');
const redis = require('redis');
const mysql = require('mysql2/promise');
const { MongoClient } = require('mongodb');
const { NodeSSH } = require('node-ssh');
const { Client: SSHClient } = require('ssh2');
const http = require('node:http');
const { Worker } = require('node:worker_threads');
const WebSocket = require('ws');
const knex = require('knex');
const { EventEmitter } = require('node:events');

const app = express();
const bus = new EventEmitter();

// ok: NLL602 -- module top level: one pool for the life of the process
const pool = new Pool();

// --- created per request and never closed ----------------------------------------------------
app.get('/users', async (req, res) => {
  // ruleid: NLL602
  const db = new Pool({ connectionString: process.env.DATABASE_URL });
  const { rows } = await db.query('select * from users');
  res.json(rows);
});

app.get('/cache', async (req, res) => {
  // ruleid: NLL602
  const cache = new Redis();
  res.send(await cache.get(req.query.key));
});

app.get('/mysql', async (req, res) => {
  // ruleid: NLL602
  const conn = await mysql.createConnection({ host: 'db' });
  const [rows] = await conn.query('select 1');
  res.json(rows);
});

app.get('/redis', async (req, res) => {
  // ruleid: NLL602
  const client = redis.createClient();
  await client.connect();
  res.send(await client.get('k'));
});

app.get('/mongo', async (req, res) => {
  // ruleid: NLL602
  const mongo = new MongoClient(process.env.MONGO_URL);
  res.json(await mongo.db().collection('x').find().toArray());
});

app.post('/deploy', async (req, res) => {
  // ruleid: NLL602 -- an SSH connection per request, never disposed
  const ssh = new NodeSSH();
  await ssh.connect({ host: req.body.host, username: 'deploy' });
  res.json(await ssh.execCommand('uptime'));
});

app.post('/deploy-ok', async (req, res) => {
  // ok: NLL602 -- disposed in finally
  const ssh = new NodeSSH();
  try {
    await ssh.connect({ host: req.body.host, username: 'deploy' });
    res.json(await ssh.execCommand('uptime'));
  } finally {
    ssh.dispose();
  }
});

app.post('/render', (req, res) => {
  // ruleid: NLL602 -- medium: a worker whose script may end on its own is used and dropped
  new Worker('./render.js', { workerData: req.body }).once('message', (m) => res.json(m));
});

app.post('/tunnel', (req, res) => {
  // ruleid: NLL602 -- an ssh2 client per request: nothing ends it
  const conn = new SSHClient();
  conn.on('ready', () => res.send('up'));
  conn.connect({ host: req.body.host });
});

app.post('/tunnel-ok', (req, res) => {
  // ok: NLL602 -- ended once its work is done
  const conn = new SSHClient();
  conn.on('ready', () => {
    res.send('up');
    conn.end();
  });
  conn.connect({ host: req.body.host });
});

app.get('/proxy', (req, res) => {
  // ruleid: NLL602
  const agent = new http.Agent({ keepAlive: true });
  http.get({ host: 'upstream', agent }, (up) => up.pipe(res));
});

app.get('/knex', async (req, res) => {
  // ruleid: NLL602
  const db = knex({ client: 'pg' });
  res.json(await db('users'));
});

app.post('/work', (req, res) => {
  // ruleid: NLL602
  const worker = new Worker('./job.js', { workerData: req.body });
  worker.on('message', (m) => res.json(m));
});

// --- closed ------------------------------------------------------------------------------------
app.get('/closed', async (req, res) => {
  // ok: NLL602 -- closed in finally
  const client = new Client();
  await client.connect();
  try {
    res.json((await client.query('select 1')).rows);
  } finally {
    await client.end();
  }
});

app.get('/quit', async (req, res) => {
  // ruleid: NLL602
  const cache = new Redis();
  const value = await cache.get('k');
  await cache.quit();
  res.send(value);
});

app.get('/quit-caught', async (req, res) => {
  // ok: NLL602 -- the only await before quit() is inside a try whose catch swallows the error
  const cache = new Redis();
  let value = null;
  try {
    value = await cache.get('k');
  } catch (err) {
    console.error(err);
  }
  await cache.quit();
  res.send(value);
});

app.get('/ws-proxy', (req, res) => {
  // ok: NLL602 -- closed when the request closes
  const upstream = new WebSocket('ws://upstream');
  req.on('close', () => upstream.close());
  upstream.on('message', (m) => res.write(m));
});

app.post('/worker-ok', (req, res) => {
  // ok: NLL602 -- terminated when the answer arrives
  const worker = new Worker('./job.js');
  worker.once('message', (m) => {
    res.json(m);
    worker.terminate();
  });
});

app.get('/early-return', async (req, res) => {
  // ruleid: NLL602
  const client = new Client();
  await client.connect();
  const { rows } = await client.query('select * from t where id = $1', [req.params.id]);
  if (!rows.length) return res.sendStatus(404);
  await client.end();
  res.json(rows[0]);
});

// --- handed on or stored ------------------------------------------------------------------------
function connect(url) {
  // ok: NLL602 -- returned: the caller owns it
  return new Pool({ connectionString: url });
}

function makeClient(url) {
  // ok: NLL602 -- returned after setup
  const client = new Redis(url);
  client.on('error', () => {});
  return client;
}

let shared;
function getRedis() {
  // ok: NLL602 -- a lazily created module-level singleton
  if (!shared) shared = new Redis();
  return shared;
}

let pooled;
function getPool() {
  // ok: NLL602 -- filled only while the slot is empty
  pooled = pooled || new Redis();
  return pooled;
}

function Holder() {}
Holder.prototype.getClient = function () {
  if (this.client) return this.client;
  // ok: NLL602 -- a lazy singleton: the method leaves early once the slot is filled
  this.client = new Redis();
  return this.client;
};

let current;
app.get('/replace', async (req, res) => {
  // ruleid: NLL602
  current = new Redis();
  res.send(await current.get('k'));
});

const clients = new Map();
app.post('/sessions/:id', (req, res) => {
  // ok: NLL602 -- kept in a map whose entries are closed on delete
  clients.set(req.params.id, new Redis());
  res.end();
});
app.delete('/sessions/:id', (req, res) => {
  clients.get(req.params.id).quit();
  clients.delete(req.params.id);
  res.end();
});

class Store {
  constructor(url) {
    // ok: NLL602 -- closed in the class's close()
    this.redis = new Redis(url);
  }
  close() {
    return this.redis.quit();
  }
}

class LeakyStore {
  constructor(url) {
    // ruleid: NLL602
    this.pool = new Pool({ connectionString: url });
  }
  query(sql) {
    return this.pool.query(sql);
  }
}

// --- provenance ----------------------------------------------------------------------------------
class Connection {
  close() {}
}
app.get('/own-class', (req, res) => {
  // ok: NLL602 -- not pg's Client: a class of this file
  const c = new Connection();
  res.end();
});

app.get('/unknown-client', (req, res) => {
  // ok: NLL602 -- `Client` of unknown origin is not assumed to be a database client
  const c = new Client2();
  res.end();
});

// --- AbortController handed to a process-lived emitter ---------------------------------------------
app.get('/wait', (req, res) => {
  // ok: NLL602 -- one site, one finding: NLL101 reports this listener and names the controller
  const ac = new AbortController();
  bus.on('done', () => res.end(), { signal: ac.signal });
});

function onDone() {
  metrics.done += 1;
}

app.get('/count', (req, res) => {
  // ruleid: NLL602
  const ac = new AbortController();
  bus.on('done', onDone, { signal: ac.signal });
  res.end();
});

app.get('/wait-ok', (req, res) => {
  // ok: NLL602 -- aborted when the request closes
  const ac = new AbortController();
  bus.on('done', () => res.end(), { signal: ac.signal });
  req.on('close', () => ac.abort());
});

app.get('/fetch', async (req, res) => {
  // ok: NLL602 -- the signal goes to a per-call fetch, not to a process-lived emitter
  const ac = new AbortController();
  res.json(await (await fetch('http://x', { signal: ac.signal })).json());
});

// --- Socket.IO and ws handlers ----------------------------------------------------------------------
const { Server } = require('socket.io');
const io = new Server();
io.on('connection', (socket) => {
  // ruleid: NLL602
  const sub = new Redis();
  sub.subscribe('news');
  sub.on('message', (_, m) => socket.emit('news', m));
});

io.on('connection', (socket) => {
  // ok: NLL602 -- closed on disconnect
  const sub = new Redis();
  sub.on('message', (_, m) => socket.emit('news', m));
  socket.on('disconnect', () => sub.disconnect());
});

// --- closed after an await that may throw ------------------------------------------------------
app.get('/throws', async (req, res) => {
  // ruleid: NLL602
  const client = new Client();
  await client.connect();
  res.json((await client.query('select 1')).rows);
  await client.end();
});

module.exports = { pool, connect, makeClient, getRedis, Store, LeakyStore };

// --- peer-ended clients -------------------------------------------------------------------------------
app.get('/ws-peer', (req, res) => {
  // ok: NLL602 -- the peer ends the socket and the close is handled
  const probe = new WebSocket('ws://upstream/status');
  probe.on('close', () => res.end());
});

app.get('/inline-agent', (req, res) => {
  // ruleid: NLL602
  http.get({ host: 'upstream', agent: new http.Agent({ keepAlive: true }) }, (up) => up.pipe(res));
});

app.get('/plain-agent', (req, res) => {
  // ok: NLL602 -- without keepAlive an http.Agent closes its sockets after each request
  http.get({ host: 'upstream', agent: new http.Agent({ maxSockets: 4 }) }, (up) => up.pipe(res));
});

// --- pooled resources: checked out per request, given back on every path ------------------------
const legacy = require('mysql');
const puppeteer = require('puppeteer');
const fs = require('node:fs');
const { pipeline } = require('node:stream');

// ok: NLL602 -- module top level: one pool for the process
const legacyPool = legacy.createPool({ host: 'db' });
// ok: NLL602 -- module top level
const promisePool = mysql.createPool({ host: 'db' });

app.post('/clients', (req, res) => {
  // ruleid: NLL602
  legacyPool.getConnection((err, connection) => {
    if (err) return res.sendStatus(503);
    if (!req.body.name) {
      return res.status(400).send('name required');
    }
    connection.query('insert into clients set ?', req.body, (queryErr) => {
      connection.release();
      res.sendStatus(queryErr ? 500 : 201);
    });
  });
});

app.post('/clients-ok', (req, res) => {
  // ok: NLL602 -- the validation path gives the connection back before it returns
  legacyPool.getConnection((err, connection) => {
    if (err) return res.sendStatus(503);
    if (!req.body.name) {
      connection.release();
      return res.status(400).send('name required');
    }
    connection.query('insert into clients set ?', req.body, (queryErr) => {
      connection.release();
      res.sendStatus(queryErr ? 500 : 201);
    });
  });
});

app.post('/clients-step', (req, res) => {
  // ruleid: NLL602 -- when the insert fails, its callback returns before release()
  legacyPool.getConnection((err, connection) => {
    if (err) return res.sendStatus(503);
    connection.query('insert into clients set ?', req.body, (queryErr) => {
      if (queryErr) return res.sendStatus(500);
      connection.release();
      res.sendStatus(201);
    });
  });
});

app.post('/clients-step-ok', (req, res) => {
  // ok: NLL602 -- the insert's callback gives the connection back before it tests the error
  legacyPool.getConnection((err, connection) => {
    if (err) return res.sendStatus(503);
    connection.query('insert into clients set ?', req.body, (queryErr) => {
      connection.release();
      if (queryErr) return res.sendStatus(500);
      res.sendStatus(201);
    });
  });
});

app.post('/clients-retry', (req, res) => {
  // ok: NLL602 -- the failed insert runs the step again; the connection stays in use for it
  legacyPool.getConnection((err, connection) => {
    if (err) return res.sendStatus(503);
    function attempt() {
      connection.query('insert into clients set ?', req.body, (queryErr) => {
        if (queryErr) {
          setTimeout(attempt, 100);
          return;
        }
        connection.release();
        res.sendStatus(201);
      });
    }
    attempt();
  });
});

app.post('/clients-each', (req, res) => {
  // ok: NLL602 -- a `return` in a forEach callback skips one element, not the release
  legacyPool.getConnection((err, connection) => {
    if (err) return res.sendStatus(503);
    req.body.rows.forEach((row) => {
      if (row) return;
      connection.query('insert into clients set ?', row);
    });
    connection.release();
    res.sendStatus(201);
  });
});

// ES5, with the connection callback assigned to a variable once: the success path hands the
// connection to the caller, the failed setup step returns without giving it back.
function Sessions(pool, setupSql) {
  this.pool = pool;
  this.setupSql = setupSql;
}

Sessions.prototype.open = function (cb) {
  var self = this;
  var onConnection;
  onConnection = function (err, connection) {
    if (err) return cb(err);
    connection.query(self.setupSql, function (setupErr) {
      if (setupErr) {
        cb(setupErr);
        return;
      }
      cb(null, connection);
    });
  };
  // ruleid: NLL602 -- when the setup query fails, the connection is never given back
  this.pool.getConnection(onConnection);
};

Sessions.prototype.openSafely = function (cb) {
  var self = this;
  var onConnection;
  onConnection = function (err, connection) {
    if (err) return cb(err);
    connection.query(self.setupSql, function (setupErr) {
      if (setupErr) {
        connection.release();
        cb(setupErr);
        return;
      }
      cb(null, connection);
    });
  };
  // ok: NLL602 -- the failed setup step gives the connection back
  this.pool.getConnection(onConnection);
};

function fail(res, err, connection) {
  if (connection) connection.release();
  res.status(500).send(String(err));
}

app.get('/clients/:id', (req, res) => {
  // ok: NLL602 -- the early return hands the connection to a helper that releases it
  legacyPool.getConnection((err, connection) => {
    if (err) return fail(res, err, connection);
    if (!req.params.id) return fail(res, new Error('id required'), connection);
    connection.query('select * from clients where id = ?', [req.params.id], (queryErr, rows) => {
      connection.release();
      res.json(rows);
    });
  });
});

app.get('/pg-callback', (req, res) => {
  // ok: NLL602 -- `done()`, the pool's own release callback, runs on the only path
  pool.connect((err, client, done) => {
    if (err) return res.sendStatus(503);
    client.query('select 1', (queryErr, result) => {
      done();
      res.json(result.rows);
    });
  });
});

app.get('/pg-callback-started', (req, res) => {
  // ok: NLL602 -- the query that releases is started by the call that arms it: a later throw
  // cannot stop it
  pool.connect((err, client, done) => {
    if (err) return res.sendStatus(503);
    client.query('select 1', (queryErr, result) => {
      done();
      res.json(result.rows);
    });
    audit(req);
  });
});

// A pool of the project's own (its acquire/release pair in view), node-mssql's shape: the
// release is armed on a request object that a later call starts.
function SqlRequest(parent) {
  this.parent = parent;
}

SqlRequest.prototype.query = function (command, callback) {
  var self = this;
  // ruleid: NLL602
  self.parent.acquire(self, function (err, connection) {
    if (err) return callback(err);
    var req = new TdsRequest(command, function (reqErr) {
      self.parent.release(connection);
      callback(reqErr);
    });
    req.on('row', function (row) {
      self.rows.push(row);
    });
    connection.execSql(req);
  });
};

SqlRequest.prototype.queryGuarded = function (command, callback) {
  var self = this;
  // ok: NLL602 -- a throw from the start gives the connection back
  self.parent.acquire(self, function (err, connection) {
    if (err) return callback(err);
    var req = new TdsRequest(command, function (reqErr) {
      self.parent.release(connection);
      callback(reqErr);
    });
    try {
      connection.execSql(req);
    } catch (startErr) {
      self.parent.release(connection);
      callback(startErr);
    }
  });
};

SqlRequest.prototype.lock = function (key, callback) {
  // ok: NLL602 -- a lock's acquire(key, fn): nothing here is handed back to the receiver
  this.locks.acquire(key, function (done) {
    callback(done);
  });
};

app.get('/orders', async (req, res) => {
  // ruleid: NLL602
  const client = await pool.connect();
  const { rows } = await client.query('select * from orders');
  client.release();
  res.json(rows);
});

app.get('/orders-ok', async (req, res) => {
  // ok: NLL602 -- released in finally
  const client = await pool.connect();
  try {
    res.json((await client.query('select * from orders')).rows);
  } finally {
    client.release();
  }
});

app.get('/orders-catch', async (req, res) => {
  // ok: NLL602 -- the catch gives the client back before rethrowing
  const client = await pool.connect();
  let rows;
  try {
    rows = (await client.query('select 1')).rows;
  } catch (err) {
    client.release();
    throw err;
  }
  client.release();
  res.json(rows);
});

app.get('/orders-chained', async (req, res) => {
  // ok: NLL602 -- released by .finally() on the query's own promise
  const client = await pool.connect();
  const result = await client.query('select 1').finally(() => client.release());
  res.json(result.rows);
});

// A call the client is passed to only borrows it when the handler gives it back afterwards.
async function loadOrders(client) {
  const { rows } = await client.query('select * from orders');
  return rows;
}

app.get('/orders-lent', async (req, res) => {
  // ruleid: NLL602 -- loadOrders only borrows the client: when it throws, release() never runs
  const client = await pool.connect();
  const rows = await loadOrders(client);
  client.release();
  res.json(rows);
});

app.get('/orders-lent-ok', async (req, res) => {
  // ok: NLL602 -- given back in finally, whatever loadOrders does
  const client = await pool.connect();
  try {
    res.json(await loadOrders(client));
  } finally {
    client.release();
  }
});

app.get('/report', async (req, res) => {
  const { renderReport } = require('./reports');
  // ruleid: NLL602 -- renderReport (another module) borrows the client: the handler releases it after
  const client = await pool.connect();
  const html = await renderReport(client, req.query.id);
  client.release();
  res.send(html);
});

async function queryOrRelease(client) {
  try {
    return (await client.query('select 1')).rows;
  } catch (err) {
    client.release();
    throw err;
  }
}

app.get('/orders-owned', async (req, res) => {
  // ok: NLL602 -- queryOrRelease gives the client back itself when its query throws
  const client = await pool.connect();
  const rows = await queryOrRelease(client);
  client.release();
  res.json(rows);
});

app.get('/items/:id', async (req, res) => {
  // ruleid: NLL602
  const conn = await promisePool.getConnection();
  try {
    const [rows] = await conn.query('select * from items where id = ?', [req.params.id]);
    if (!rows.length) return res.sendStatus(404);
    conn.release();
    res.json(rows[0]);
  } catch (err) {
    conn.release();
    res.sendStatus(500);
  }
});

function withConnection(work) {
  // ok: NLL602 -- handed to the caller's callback, released in finally
  return promisePool.getConnection().then(async (conn) => {
    try {
      return await work(conn);
    } finally {
      conn.release();
    }
  });
}

// --- browser pages and browsers --------------------------------------------------------------------
let browser;
async function sharedBrowser() {
  // ok: NLL602 -- a lazily created module-level browser
  if (!browser) browser = await puppeteer.launch();
  return browser;
}

app.get('/shot', async (req, res) => {
  const shared = await sharedBrowser();
  // ruleid: NLL602
  const page = await shared.newPage();
  await page.goto(req.query.url);
  res.type('png').send(await page.screenshot());
});

app.get('/shot-ok', async (req, res) => {
  const shared = await sharedBrowser();
  // ok: NLL602 -- closed in finally
  const page = await shared.newPage();
  try {
    await page.goto(req.query.url);
    res.type('png').send(await page.screenshot());
  } finally {
    await page.close();
  }
});

app.get('/pdf', async (req, res) => {
  // ruleid: NLL602
  const ownBrowser = await puppeteer.launch();
  // ok: NLL602 -- the page dies with its browser, which is reported instead
  const page = await ownBrowser.newPage();
  await page.goto(req.query.url);
  res.send(await page.pdf());
});

function Renderer(shared) {
  this.browser = shared;
}
Renderer.prototype.open = async function (url) {
  // ruleid: NLL602
  const page = await this.browser.newPage();
  await page.goto(url);
  return page;
};
Renderer.prototype.openSafely = async function (url) {
  // ok: NLL602 -- closed when navigation fails, returned otherwise
  const page = await this.browser.newPage();
  try {
    await page.goto(url);
  } catch (err) {
    await page.close();
    throw err;
  }
  return page;
};

// --- file descriptors --------------------------------------------------------------------------------
app.post('/logs/flush', (req, res) => {
  for (const file of req.body.files) {
    // ruleid: NLL602
    fs.openSync(file, 'w');
  }
  res.end();
});

app.post('/logs/truncate', (req, res) => {
  for (const file of req.body.files) {
    // ok: NLL602 -- the descriptor is closed at once
    fs.closeSync(fs.openSync(file, 'w'));
  }
  res.end();
});

app.get('/head', (req, res) => {
  // ruleid: NLL602
  const fd = fs.openSync(req.query.file, 'r');
  const buf = Buffer.alloc(64);
  fs.readSync(fd, buf, 0, 64, 0);
  res.send(buf);
});

app.get('/head-ok', (req, res) => {
  // ok: NLL602 -- closed in finally
  const fd = fs.openSync(req.query.file, 'r');
  try {
    const buf = Buffer.alloc(64);
    fs.readSync(fd, buf, 0, 64, 0);
    res.send(buf);
  } finally {
    fs.closeSync(fd);
  }
});

app.get('/stream-fd', (req, res) => {
  // ok: NLL602 -- the read stream owns the descriptor and closes it
  const fd = fs.openSync(req.query.file, 'r');
  pipeline(fs.createReadStream('', { fd }), res, () => {});
});

app.post('/spawn', (req, res) => {
  // ok: NLL602 -- handed to the child's stdio through a conditional
  const logFd = fs.openSync('/tmp/child.log', 'a');
  const out = req.query.quiet ? 'ignore' : logFd;
  spawnChild(out);
  res.end();
});

app.get('/stat', (req, res) => {
  // ruleid: NLL602
  fs.open(req.query.file, 'r', (err, fd) => {
    if (err) return res.sendStatus(404);
    fs.fstat(fd, (statErr, stat) => res.json(stat));
  });
});

app.get('/stat-ok', (req, res) => {
  // ok: NLL602 -- closed in the inner callback
  fs.open(req.query.file, 'r', (err, fd) => {
    if (err) return res.sendStatus(404);
    fs.fstat(fd, (statErr, stat) => {
      fs.close(fd, () => res.json(stat));
    });
  });
});

// --- pairs learned from the file's own code -----------------------------------------------------------
const Store = require('./store');
const Cache = require('./cache');

app.get('/a', async (req, res) => {
  const store = new Store();
  try {
    res.json(await store.find('a'));
  } finally {
    await store.destroy();
  }
});

app.get('/b', async (req, res) => {
  const store = new Store();
  try {
    res.json(await store.find('b'));
  } finally {
    await store.destroy();
  }
});

app.get('/c', async (req, res) => {
  // ruleid: NLL602
  const store = new Store();
  res.json(await store.find('c'));
});

app.get('/d', async (req, res) => {
  const cache = new Cache();
  try {
    res.json(await cache.get('d'));
  } finally {
    cache.close();
  }
});

app.get('/e', async (req, res) => {
  // ok: NLL602 -- one other `new Cache()` closed is not yet a pattern
  const cache = new Cache();
  res.json(await cache.get('e'));
});

app.get('/f', async (req, res) => {
  // ok: NLL602 -- handed on: the callee decides
  const store = new Store();
  res.json(await lookup(store));
});

// --- replaced clients: a reconnect path that stores a new client over the old one -------------
class Feed {
  connect() {
    // ruleid: NLL602
    this.redis = new Redis(this.url);
    this.redis.on('error', () => {
      setTimeout(() => this.connect(), 1000);
    });
  }

  close() {
    return this.redis.quit();
  }
}

class ClosedFirst {
  connect() {
    if (this.redis) this.redis.disconnect();
    // ok: NLL602 -- the old client is closed before it is replaced
    this.redis = new Redis(this.url);
    this.redis.on('error', () => setTimeout(() => this.connect(), 1000));
  }

  close() {
    return this.redis.quit();
  }
}

class Live {
  connect() {
    // ok: NLL602 -- runs again only after the old socket has closed
    this.ws = new WebSocket(this.url);
    this.ws.on('close', () => {
      setTimeout(() => this.connect(), 1000);
    });
  }

  close() {
    this.ws.close();
  }
}

class Restarter {
  connect() {
    // ok: NLL602 -- the only other caller closes the old client first
    this.pool = new Pool(this.config);
  }

  restart() {
    this.close();
    this.connect();
  }

  close() {
    return this.pool.end();
  }
}

function Subscriber(url) {
  this.url = url;
  this.connect();
}
Subscriber.prototype.connect = function () {
  // ruleid: NLL602
  this.client = redis.createClient({ url: this.url });
  this.client.on('error', this.connect.bind(this));
};
Subscriber.prototype.close = function () {
  this.client.quit();
};

let feedClient;
function start() {
  // ruleid: NLL602
  feedClient = new Redis();
  feedClient.on('error', () => setTimeout(start, 500));
}
start();
function stopShared() {
  return feedClient.quit();
}

let onceClient;
function startOnce() {
  // ok: NLL602 -- started once, at module top level
  onceClient = new Redis();
}
startOnce();
function stopOnce() {
  return onceClient.quit();
}

module.exports = { Feed, ClosedFirst, Live, Restarter, Subscriber, stopShared, stopOnce };

// --- a connection left open when a later step of the setup fails -------------------------------
const { Client: SshClient } = require('ssh2');

class Sftp {
  constructor() {
    this.client = new SshClient();
  }

  open(config) {
    return new Promise((resolve, reject) => {
      this.client.once('ready', resolve);
      this.client.once('error', reject);
      // ruleid: NLL602
      this.client.connect(config);
    });
  }

  channel() {
    return new Promise((resolve, reject) => {
      this.client.sftp((err, sftp) => {
        if (err) return reject(err);
        this.sftp = sftp;
        resolve(sftp);
      });
    });
  }

  async connect(config) {
    await this.open(config);
    return this.channel();
  }

  end() {
    this.client.end();
  }
}

class SftpClosesOnFailure {
  constructor() {
    this.client = new SshClient();
  }

  open(config) {
    return new Promise((resolve, reject) => {
      this.client.once('ready', resolve);
      this.client.once('error', reject);
      // ok: NLL602 -- the later step ends the connection before it rejects
      this.client.connect(config);
    });
  }

  channel() {
    return new Promise((resolve, reject) => {
      this.client.sftp((err, sftp) => {
        if (err) {
          this.client.end();
          return reject(err);
        }
        resolve(sftp);
      });
    });
  }

  async connect(config) {
    await this.open(config);
    return this.channel();
  }

  end() {
    this.client.end();
  }
}

module.exports.Sftp = Sftp;
module.exports.SftpClosesOnFailure = SftpClosesOnFailure;

// --- returned clients followed to their callers -------------------------------------------------
function keepAliveAgent() {
  // ruleid: NLL602
  return new http.Agent({ keepAlive: true });
}

function statusOf(url) {
  return new Promise((resolve) => {
    http.get(url, { agent: keepAliveAgent() }, (res) => resolve(res.statusCode));
  });
}

function reportPool(config) {
  // ruleid: NLL602
  const pool = new Pool(config);
  pool.on('error', () => {});
  return pool;
}

app.get('/count', async (req, res) => {
  const pool = reportPool(req.app.locals.db);
  const { rows } = await pool.query('select count(*) from t');
  res.json(rows[0]);
});

function closedPool(config) {
  // ok: NLL602 -- its caller ends it
  return new Pool(config);
}

app.get('/count-ok', async (req, res) => {
  const pool = closedPool(req.app.locals.db);
  try {
    res.json((await pool.query('select 1')).rows);
  } finally {
    await pool.end();
  }
});

function processPool() {
  // ok: NLL602 -- called once, at module top level
  return new Pool();
}
const mainPool = processPool();

// Clients returned inside an object are followed into the callers too.
function upstreamOptions(host) {
  return {
    host,
    // ruleid: NLL602
    agent: new http.Agent({ keepAlive: true }),
    timeout: 5000,
  };
}

app.get('/upstream', (req, res) => {
  http.get(upstreamOptions('upstream'), (up) => up.pipe(res));
});

function closableOptions(host) {
  // ok: NLL602 -- the caller destroys the agent it finds under `agent`
  const agent = new http.Agent({ keepAlive: true });
  return { host, agent };
}

app.get('/upstream-closed', (req, res) => {
  const options = closableOptions('upstream');
  http.get(options, (up) => {
    up.pipe(res);
    up.on('end', () => options.agent.destroy());
  });
});

var sharedOptions = null;
function moduleOptions(host) {
  // ok: NLL602 -- its caller keeps the object (and the agent) in a module binding
  return { host: host, agent: new http.Agent({ keepAlive: true }) };
}
app.get('/upstream-shared', function (req, res) {
  sharedOptions = sharedOptions || moduleOptions('upstream');
  http.get(sharedOptions, function (up) {
    up.pipe(res);
  });
});

module.exports.statusOf = statusOf;
module.exports.mainPool = mainPool;

// --- replaced sockets ----------------------------------------------------------------------------
const net = require('node:net');

class Link {
  connect() {
    // ruleid: NLL602
    this.socket = net.connect(this.port, this.host);
    this.socket.setTimeout(5000);
    this.socket.on('timeout', () => this.connect());
  }

  close() {
    this.socket.destroy();
  }
}

class LinkAfterClose {
  connect() {
    // ok: NLL602 -- runs again only after the old socket has errored or closed
    this.socket = net.connect(this.port, this.host);
    this.socket.on('error', () => this.connect());
    this.socket.on('close', () => setTimeout(() => this.connect(), 1000));
  }

  close() {
    this.socket.destroy();
  }
}

function TcpClient(port) {
  let sock;
  function setup() {
    // ok: NLL602 -- called once by the function that declares `sock`, again only after 'close'
    sock = net.connect(port);
    sock.on('close', () => setTimeout(setup, 1000));
  }
  setup();
}

const tls = require('node:tls');
class Starttls {
  upgrade() {
    const opts = Object.assign({ socket: this.socket }, this.tlsOptions);
    // ok: NLL602 -- a TLS upgrade wraps the plain socket it replaces
    this.socket = tls.connect(opts);
    this.socket.on('timeout', () => this.upgrade());
  }

  close() {
    this.socket.destroy();
  }
}

// A handler given to an API the model does not know may run any number of times (medium).
terminal.provideService('SQL', schema, async (msg) => {
  // ruleid: NLL602
  const sql = await pool.connect();
  const result = await sql.query(msg.req.query);
  sql.release();
  return { rows: result.rows };
});

// A release only in a callback that runs when the work is aborted or fails is no release on
// the way out of a call that succeeds.
terminal.provideService('SQL/abortable', schema, async (msg, ctx) => {
  // ruleid: NLL602
  const sql = await pool.connect();
  ctx.isAborted$.subscribe(() => {
    sql.release();
  });
  const result = await sql.query(msg.req.query);
  return { rows: result.rows };
});

function exportRows(req, res) {
  // ruleid: NLL602
  const client = pool.connect();
  req.on('aborted', function () {
    client.release();
  });
  client.query('select * from t').then(function (result) {
    res.json(result.rows);
  });
}
app.get('/rows', exportRows);

app.get('/rows-stream', async (req, res) => {
  // ok: NLL602 -- given back when the query stream ends, and when it fails
  const client = await pool.connect();
  const stream = client.query(new QueryStream('select * from t'));
  stream.on('end', () => client.release());
  stream.on('error', () => client.release());
  stream.on('data', (row) => res.write(JSON.stringify(row)));
});

terminal.provideService('SQL/finally', schema, async (msg, ctx) => {
  // ok: NLL602 -- released in `finally`; the abort subscription only cancels the query
  const sql = await pool.connect();
  ctx.isAborted$.subscribe(() => sql.cancel());
  try {
    const result = await sql.query(msg.req.query);
    return { rows: result.rows };
  } finally {
    sql.release();
  }
});

// Callbacks given to APIs that call them inline or once run as often as their caller.
[pool].forEach(async (each) => {
  // ok: NLL602 -- `forEach` runs its callback inline, at start-up
  const client = await each.connect();
  await client.query('select 1');
  client.release();
});

describe('orders', () => {
  it('reads', async () => {
    // ok: NLL602 -- test code: a test block's callback runs once per test
    const client = await pool.connect();
    await client.query('select 1');
    client.release();
  });
});

module.exports.Link = Link;
module.exports.LinkAfterClose = LinkAfterClose;
module.exports.TcpClient = TcpClient;
module.exports.Starttls = Starttls;

// A helper launches the browser into a module-level variable; the exported function closes
// it only after steps that can throw. Each failed call leaves a browser behind, and the next
// call replaces the variable.
let sharedBrowser;
let sharedPage;
async function launchShared() {
  sharedBrowser = await puppeteer.launch();
  sharedPage = await sharedBrowser.newPage();
}
async function uploadAll(videos) {
  // ruleid: NLL602 -- when the login page fails to load, `sharedBrowser.close()` never runs
  await launchShared();
  await sharedPage.goto('https://example.com/login');
  for (const video of videos) await uploadOne(video);
  await sharedBrowser.close();
}
async function uploadAllSafely(videos) {
  // ok: NLL602 -- closed in finally
  await launchShared();
  try {
    await sharedPage.goto('https://example.com/login');
    for (const video of videos) await uploadOne(video);
  } finally {
    await sharedBrowser.close();
  }
}
async function uploadOne(video) {
  await sharedPage.type('#title', video.title);
}
module.exports.uploadAll = uploadAll;
module.exports.uploadAllSafely = uploadAllSafely;

// A WebAssembly tokenizer per request: only free() gives its memory back.
const tiktoken = require('tiktoken');
app.post('/tokenize', (req, res) => {
  // ruleid: NLL602 -- never freed: its WebAssembly memory stays
  const tokenizer = tiktoken.encoding_for_model(req.query.model);
  res.json({ tokens: tokenizer.encode(req.body.text).length });
});
app.post('/tokenize-ok', (req, res) => {
  // ok: NLL602 -- freed in finally
  const tokenizer = tiktoken.encoding_for_model(req.query.model);
  try {
    res.json({ tokens: tokenizer.encode(req.body.text).length });
  } finally {
    tokenizer.free();
  }
});
// ok: NLL602 -- one encoder for the process
const sharedTokenizer = tiktoken.get_encoding('cl100k_base');
app.post('/tokenize-shared', (req, res) => {
  res.json({ tokens: sharedTokenizer.encode(req.body.text).length });
});
