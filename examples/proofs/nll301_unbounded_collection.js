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

const phases = {
  flagged: () => measure(handleFlagged),
  fixed: () => measure(handleFixed),
  fixed_capped: () => measure(handleCapped),
};

function line(label, r) {
  return (
    `${label.padEnd(30)} retained ${r.growth >= 0 ? '+' : ''}${r.growth} MiB ` +
    `(first ${N / 2} calls ${r.growth_first_half}, next ${N / 2} calls ${r.growth_second_half}), ` +
    `map size ${r.map_size}`
  );
}

// ---------------------------------------------------------------------------
// Harness (identical in every proof script). Each phase runs in its own child
// process under --expose-gc, so the flagged and the fixed runs cannot
// contaminate each other. The parent prints human-readable lines and, as its
// very last line, one JSON object.
// ---------------------------------------------------------------------------

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Several full GCs with a macrotask in between, so FinalizationRegistry
// callbacks and weak-reference clearing get a chance to run.
async function fullGC() {
  for (let i = 0; i < 6; i++) {
    global.gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

// JS heap + off-heap memory (Buffers and ArrayBuffers live in `external`), MiB.
function retainedMB() {
  const m = process.memoryUsage();
  return (m.heapUsed + m.external) / (1024 * 1024);
}

// Open file descriptors of this process (Linux: /proc/self/fd, macOS: /dev/fd).
function openFds() {
  for (const dir of ['/proc/self/fd', '/dev/fd']) {
    try {
      return require('node:fs').readdirSync(dir).length;
    } catch {
      // try the next one
    }
  }
  return NaN;
}

function countResources(type) {
  return process.getActiveResourcesInfo().filter((t) => t === type).length;
}

function round(x, digits = 2) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function delta(before, after, extra = {}) {
  return { before: round(before), after: round(after), growth: round(after - before), ...extra };
}

function main(spec) {
  if (process.argv[2] === '--server' && spec.server) {
    spec.server();
  } else if (process.argv[2] === '--phase') {
    runPhaseInChild(spec, process.argv[3]);
  } else {
    runParent(spec).catch((err) => {
      console.error(err);
      process.exit(1);
    });
  }
}

function runPhaseInChild(spec, name) {
  if (typeof global.gc !== 'function') {
    console.error('this phase must run under node --expose-gc');
    process.exit(2);
  }
  const phase = spec.phases[name];
  if (!phase) {
    console.error(`unknown phase ${name}`);
    process.exit(2);
  }
  Promise.resolve()
    .then(() => phase())
    .then(
      (result) => {
        // Exit explicitly: flagged phases deliberately leave leaked timers,
        // sockets and fds behind; ending the process is what releases them.
        process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
      },
      (err) => {
        console.error(err);
        process.exit(1);
      },
    );
}

async function runParent(spec) {
  const { spawnSync } = require('node:child_process');
  const started = Date.now();
  const ctx = spec.setup ? await spec.setup() : { env: {}, teardown: async () => {} };
  const results = {};
  try {
    for (const name of Object.keys(spec.phases)) {
      const child = spawnSync(process.execPath, ['--expose-gc', __filename, '--phase', name], {
        encoding: 'utf8',
        timeout: 30_000,
        env: { ...process.env, ...ctx.env },
      });
      if (child.status !== 0) {
        console.error(`phase ${name} failed (status ${child.status}, signal ${child.signal})`);
        console.error(child.stderr);
        process.exitCode = 1;
        return;
      }
      const lines = child.stdout.trim().split('\n');
      results[name] = JSON.parse(lines[lines.length - 1]);
    }
  } finally {
    await ctx.teardown();
  }
  console.log(`${spec.rule}: ${spec.title}`);
  for (const line of spec.report(results)) console.log(`  ${line}`);
  console.log(`  (${Object.keys(spec.phases).length} child processes, ${Date.now() - started} ms)`);
  const summary = {
    rule: spec.rule,
    metric: spec.metric,
    flagged: results.flagged,
    fixed: results.fixed,
    n: spec.n,
    ...(spec.extra ? spec.extra(results) : {}),
  };
  console.log(JSON.stringify(summary));
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
  ],
  extra: (r) => ({ capped: r.fixed_capped }),
});
