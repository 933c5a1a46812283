#!/usr/bin/env node
// NLL301 unbounded-collection: runtime proof.
//
// Premise (SPEC §2 NLL301): a process-lived Map grown per call with
// non-constant keys, and never shrunk, grows the heap linearly with the number
// of calls. The same Map with a `.delete` when the entry is done, or with a
// size cap that evicts the oldest entry, stays bounded.
//
// Each entry holds ~16 KiB of JS heap (an array of 2048 numbers) under a
// unique key (like a session id or request id).
//
// Run: node --expose-gc examples/proofs/nll301_unbounded_collection.js
'use strict';
const { fullGC, retainedMB, round, delta, main } = require('./harness');

const N = 2000; // calls per phase
const CAP = 100; // size cap of the bounded variant

// Process-lived collections (module scope).
const sessions = new Map();

function entry(i) {
  return { createdAt: Date.now(), rows: new Array(2048).fill(i) };
}

// FLAGGED: grown with a unique key per call, nothing ever shrinks it.
function handleFlagged(i) {
  sessions.set(`req-${i}-${Math.random()}`, entry(i));
}

// FIXED: the entry is removed when the request is done.
function handleFixed(i) {
  const id = `req-${i}-${Math.random()}`;
  sessions.set(id, entry(i));
  try {
    // ... the request uses sessions.get(id) ...
  } finally {
    sessions.delete(id);
  }
}

// FIXED (bounded): a size cap that evicts the oldest entry (Map keeps insertion order).
function handleCapped(i) {
  if (sessions.size >= CAP) sessions.delete(sessions.keys().next().value);
  sessions.set(`req-${i}-${Math.random()}`, entry(i));
}

async function measure(work) {
  for (let i = 0; i < 3; i++) work(-1 - i); // warm up before the baseline
  await fullGC();
  const m0 = retainedMB();
  for (let i = 0; i < N / 2; i++) work(i);
  await fullGC();
  const mid = retainedMB();
  for (let i = N / 2; i < N; i++) work(i);
  await fullGC();
  const m1 = retainedMB();
  return delta(m0, m1, {
    growth_first_half: round(mid - m0),
    growth_second_half: round(m1 - mid),
    map_size: sessions.size,
  });
}

// NESTED: a module-level Map of Sets (the connections of each token). The outer map
// deletes a whole Set when its token is revoked, which is rare (never, here); each connection adds
// itself to its token's Set and (flagged) never leaves it, so the Set keeps every
// connection ever made with that token. The fixed connection removes itself when it ends.
const byToken = new Map();
function connect(i, leave) {
  const token = `token-${i % 4}`;
  if (!byToken.has(token)) byToken.set(token, new Set());
  const connection = { id: i, buffer: entry(i) };
  byToken.get(token).add(connection);
  if (leave) byToken.get(token).delete(connection); // on 'disconnect'
}

// TOMBSTONE: the per-entry cleanup sets the value to undefined instead of deleting the key
// (async-cache-dedupe's dedupes map). A Map entry holding undefined is still an entry: the
// map keeps every key ever used (here, long serialized arguments). Deleting keeps it empty.
const dedupes = new Map();
function dedupe(i, remove) {
  const key = JSON.stringify({ query: 'select', args: [i, Math.random()], pad: 'x'.repeat(4096) });
  dedupes.set(key, { promise: Promise.resolve(i) });
  if (remove) dedupes.delete(key); // when the query settles
  else dedupes.set(key, undefined);
}
async function measureTombstones(remove) {
  const r = await measure((i) => dedupe(i, remove));
  return { ...r, keys: dedupes.size };
}

async function measureNested(work) {
  const r = await measure(work);
  return { ...r, members: [...byToken.values()].reduce((n, set) => n + set.size, 0) };
}

// A MEMOIZED FUNCTION made once at module top level: the Map its closure captures lives as
// long as the module keeps the function, and gains an entry per distinct argument. Fixed: the
// memo evicts its oldest entry beyond a size cap.
function memoize(fn, cap) {
  const cache = new Map();
  return (key) => {
    if (!cache.has(key)) {
      if (cap && cache.size >= cap) cache.delete(cache.keys().next().value);
      cache.set(key, fn(key));
    }
    return cache.get(key);
  };
}
const lookupFlagged = memoize((key) => entry(key.length));
const lookupCapped = memoize((key) => entry(key.length), CAP);

// DELETE COVERAGE: a real HTTP server keeps an entry per request and deletes it on
// the response's 'finish' (flagged) or 'close' (fixed). The requests are long polls
// the server never answers; each client gives up and disconnects. A response the
// client abandons emits 'close' but never 'finish', so the 'finish'-only delete
// never runs.
const http = require('node:http');
const ABANDONED = 40;

async function abandonedRequests(endEvent) {
  const pending = new Map();
  let seen = 0;
  const server = http.createServer((req, res) => {
    const id = `poll-${seen++}-${Math.random()}`;
    pending.set(id, entry(seen));
    res.on(endEvent, () => pending.delete(id));
    res.writeHead(200);
    res.flushHeaders(); // the long poll answers later (never, here)
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  for (let i = 0; i < ABANDONED; i++) {
    await new Promise((resolve) => {
      const req = http.get({ port, host: '127.0.0.1', path: '/poll', agent: false }, () => {
        req.destroy(); // headers are in: the client gives up
      });
      req.on('close', resolve);
      req.on('error', () => {});
    });
  }
  await new Promise((resolve) => setTimeout(resolve, 200)); // let the server see every close
  await new Promise((resolve) => server.close(resolve));
  return { before: 0, after: pending.size, growth: pending.size, requests: seen };
}

// LAZY TTL (a cache whose expired entries go only when their key is read again): every
// call stores a result under a key of its own (a user who never comes back) with a short
// TTL, and reads another key. The flagged cache deletes an expired entry only when its
// own key is read again, so nothing is ever deleted; the fixed twin sweeps expired entries
// when the cache reaches CAP entries (InternHack's fix).
const ttlStore = new Map();
function ttlGet(key) {
  const found = ttlStore.get(key);
  if (!found || Date.now() > found.exp) {
    ttlStore.delete(key);
    return null;
  }
  return found.val;
}
function sweepExpired() {
  const now = Date.now();
  for (const [key, found] of ttlStore) if (now > found.exp) ttlStore.delete(key);
}
function ttlSet(key, val, sweep) {
  if (sweep && ttlStore.size >= CAP) sweepExpired();
  ttlStore.set(key, { val, exp: Date.now() - 1 }); // already expired: the TTL has passed
}
async function measureTtl(sweep) {
  ttlStore.clear();
  const r = await measure((i) => {
    ttlGet(`user-${i}-other`);
    ttlSet(`user-${i}-${Math.random()}`, entry(i), sweep);
  });
  return { ...r, entries: ttlStore.size };
}

// PER-CALL STATE HOISTED OUT OF A RETURNED FUNCTION (aws-lambda-stream's `mw`): the array is a
// local of the factory, so it lives as long as the handler the factory returns; each call
// appends a step that captures the call's event (~16 KiB) and then runs the array from the
// start. Fixed: each call runs a copy of the configured steps plus its own.
function middleware(handle, perCall) {
  const stack = [];
  return (event) => {
    const steps = perCall ? stack.concat([() => handle(event)]) : stack;
    if (!perCall) stack.push(() => handle(event));
    const runner = (index) => (index < steps.length ? steps[index]() || runner(index + 1) : null);
    runner(0);
    return steps.length;
  };
}
const hoistedFlagged = middleware(() => null, false);
const hoistedFixed = middleware(() => null, true);
async function measureHoisted(handler) {
  const r = await measure((i) => handler(entry(i)));
  return { ...r, steps: handler(entry(0)) };
}

// AN ENTRY WHOSE END IS HEARD AND LEFT IN (hyper's sessions): a Map local to `openWindow`,
// kept by the window's 'new' listener, gains a session per event; each session exits at once
// and its 'exit' listener only notifies (flagged) or also deletes the entry (fixed). The map is
// emptied only when the window closes, which does not happen during the phase.
const { EventEmitter } = require('node:events');
function openWindow(deleteOnExit) {
  const rpc = new EventEmitter();
  const sessions = new Map();
  rpc.on('new', (uid) => {
    const session = new EventEmitter();
    session.rows = entry(uid.length).rows;
    sessions.set(uid, session);
    session.on('exit', () => {
      rpc.emit('exit', { uid });
      if (deleteOnExit) sessions.delete(uid);
    });
    session.emit('exit');
  });
  return { rpc, size: () => sessions.size };
}
async function measureHeardEnd(deleteOnExit) {
  const win = openWindow(deleteOnExit);
  const r = await measure((i) => win.rpc.emit('new', `uid-${i}-${Math.random()}`));
  return { ...r, entries: win.size() };
}

// ACKS PAST TEARDOWN (socket.io-client's acks): a client keeps a callback per emit, keyed
// by a counter, deleted when its reply comes. Each call emits two messages, the server
// replies to the first, and then the connection drops (disconnect() + reconnect, the same
// instance): the second ack never gets its reply. disconnect() flushes nothing (flagged) or
// fails and deletes every ack still waiting (fixed).
class AckClient {
  constructor(flush) {
    this.flush = flush;
    this.ids = 0;
    this.acks = {};
  }
  emit(data, ack) {
    const id = this.ids++;
    this.acks[id] = ack;
    return id;
  }
  onack(id, data) {
    const ack = this.acks[id];
    if (ack) {
      delete this.acks[id];
      ack(null, data);
    }
  }
  disconnect() {
    if (!this.flush) return;
    for (const id of Object.keys(this.acks)) {
      const ack = this.acks[id];
      delete this.acks[id];
      ack(new Error('disconnected'));
    }
  }
}
async function measureAcks(flush) {
  const client = new AckClient(flush);
  const r = await measure((i) => {
    const rows = entry(i).rows;
    const answered = client.emit('a', () => rows.length);
    client.emit('b', () => rows.length);
    client.onack(answered, 'ok');
    client.disconnect();
  });
  return { ...r, entries: Object.keys(client.acks).length };
}

const phases = {
  flagged: () => measure(handleFlagged),
  fixed: () => measure(handleFixed),
  fixed_capped: () => measure(handleCapped),
  tombstone_flagged: () => measureTombstones(false),
  tombstone_fixed: () => measureTombstones(true),
  nested_flagged: () => measureNested((i) => connect(i, false)),
  nested_fixed: () => measureNested((i) => connect(i, true)),
  memo_flagged: () => measure((i) => lookupFlagged(`user-${i}-${Math.random()}`)),
  memo_fixed: () => measure((i) => lookupCapped(`user-${i}-${Math.random()}`)),
  finish_only: () => abandonedRequests('finish'),
  on_close: () => abandonedRequests('close'),
  ttl_flagged: () => measureTtl(false),
  ttl_fixed: () => measureTtl(true),
  hoisted_flagged: () => measureHoisted(hoistedFlagged),
  hoisted_fixed: () => measureHoisted(hoistedFixed),
  heard_flagged: () => measureHeardEnd(false),
  heard_fixed: () => measureHeardEnd(true),
  acks_flagged: () => measureAcks(false),
  acks_fixed: () => measureAcks(true),
};

function line(label, r) {
  return (
    `${label.padEnd(30)} retained ${r.growth >= 0 ? '+' : ''}${r.growth} MiB ` +
    `(first ${N / 2} calls ${r.growth_first_half}, next ${N / 2} calls ${r.growth_second_half}), ` +
    `map size ${r.map_size}`
  );
}

main({
  rule: 'NLL301',
  title: `module-level Map grown per call (${N} calls, ~16 KiB per entry)`,
  metric: 'heapUsed+external MiB after forced GC',
  n: N,
  phases,
  report: (r) => [
    line('flagged: map.set(uniqueKey, v)', r.flagged),
    line('fixed:   delete in finally', r.fixed),
    line(`fixed:   size cap ${CAP}`, r.fixed_capped),
    line('flagged: map.set(key, undefined)', r.tombstone_flagged) + `, keys ${r.tombstone_flagged.keys}`,
    line('fixed:   map.delete(key)', r.tombstone_fixed) + `, keys ${r.tombstone_fixed.keys}`,
    line('flagged: byToken.get(t).add(conn)', r.nested_flagged) + `, members ${r.nested_flagged.members}`,
    line('fixed:   + .delete(conn) on end', r.nested_fixed) + `, members ${r.nested_fixed.members}`,
    line('flagged: memoize(fn)(uniqueKey)', r.memo_flagged),
    line(`fixed:   memoize(fn, ${CAP})`, r.memo_fixed),
    line('flagged: expired deleted on read only', r.ttl_flagged) + `, entries ${r.ttl_flagged.entries}`,
    line('fixed:   + sweep of expired entries', r.ttl_fixed) + `, entries ${r.ttl_fixed.entries}`,
    line('flagged: factory array pushed per call', r.hoisted_flagged) + `, steps ${r.hoisted_flagged.steps}`,
    line('fixed:   a copy per call', r.hoisted_fixed) + `, steps ${r.hoisted_fixed.steps}`,
    line("flagged: 'exit' heard, entry left in", r.heard_flagged) + `, entries ${r.heard_flagged.entries}`,
    line("fixed:   deleted on 'exit'", r.heard_fixed) + `, entries ${r.heard_fixed.entries}`,
    line('flagged: acks kept past disconnect()', r.acks_flagged) + `, entries ${r.acks_flagged.entries}`,
    line('fixed:   disconnect() flushes acks', r.acks_fixed) + `, entries ${r.acks_fixed.entries}`,
    `delete on res 'finish' only: ${r.finish_only.after} of ${r.finish_only.requests} abandoned ` +
      `requests left in the map; delete on 'close': ${r.on_close.after} of ${r.on_close.requests}`,
  ],
  extra: (r) => ({
    capped: r.fixed_capped,
    nested: { flagged: r.nested_flagged, fixed: r.nested_fixed },
    tombstone: { flagged: r.tombstone_flagged, fixed: r.tombstone_fixed },
    memo: { flagged: r.memo_flagged, fixed: r.memo_fixed },
    lazy_ttl: { flagged: r.ttl_flagged, fixed: r.ttl_fixed },
    hoisted: { flagged: r.hoisted_flagged, fixed: r.hoisted_fixed },
    heard_end: { flagged: r.heard_flagged, fixed: r.heard_fixed },
    acks: { flagged: r.acks_flagged, fixed: r.acks_fixed },
    coverage: { finish_only: r.finish_only, on_close: r.on_close } }),
});
