// Annotated cases for NLL602 unclosed-client (CommonJS: Express, Koa, Socket.IO, ws).
const express = require('express');
const { Pool, Client } = require('pg');
const Redis = require('ioredis');
const redis = require('redis');
const mysql = require('mysql2/promise');
const { MongoClient } = require('mongodb');
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
  // ok: NLL602 -- quit() on the success path, no early return
  const cache = new Redis();
  const value = await cache.get('k');
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

// --- known gaps ------------------------------------------------------------------------------------
app.get('/throws', async (req, res) => {
  // todoruleid: NLL602 -- end() is skipped when the query throws: only `finally` is safe
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
