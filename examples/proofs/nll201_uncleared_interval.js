#!/usr/bin/env node
// NLL201 uncleared-interval: runtime proof.
//
// Premise (SPEC §2 NLL201): a setInterval started per call and never cleared
// stays in Node's timer list forever; the timer keeps its callback alive and
// the callback keeps everything it captures (here a 256 KiB buffer per call).
// `.unref()` does NOT release anything: it only stops the timer from keeping
// the process alive. clearInterval does release it.
//
// Measured per phase: heapUsed+external after forced GC, the number of
// 'Timeout' entries in process.getActiveResourcesInfo(), and how many of the
// captured buffers a FinalizationRegistry saw collected.
//
// Run: node --expose-gc examples/proofs/nll201_uncleared_interval.js
'use strict';

const N = 80; // calls per phase
const BUF_BYTES = 256 * 1024; // captured by each interval callback
const PERIOD_MS = 60_000; // a typical "poll every minute"

let collected = 0;
const registry = new FinalizationRegistry(() => {
  collected++;
});

// FLAGGED: handle discarded, never cleared.
function startPollingFlagged(id) {
  const state = Buffer.alloc(BUF_BYTES, 1);
  registry.register(state, id);
  setInterval(() => console.log('poll', id, state.length), PERIOD_MS);
}

// FLAGGED too: .unref() is not a clear.
function startPollingUnref(id) {
  const state = Buffer.alloc(BUF_BYTES, 1);
  registry.register(state, id);
  setInterval(() => console.log('poll', id, state.length), PERIOD_MS).unref();
}

// FIXED: the handle is cleared when the work is done.
async function pollWhileWorking(id) {
  const state = Buffer.alloc(BUF_BYTES, 1);
  registry.register(state, id);
  const timer = setInterval(() => console.log('poll', id, state.length), PERIOD_MS);
  try {
    await Promise.resolve(); // the work
  } finally {
    clearInterval(timer);
  }
}

async function measure(work) {
  for (let i = 0; i < 3; i++) await work(-1 - i); // warm up before the baseline
  await fullGC();
  collected = 0;
  const m0 = retainedMB();
  const t0 = countResources('Timeout');
  for (let i = 0; i < N; i++) await work(i);
  await fullGC();
  await sleep(20);
  await fullGC();
  const m1 = retainedMB();
  const t1 = countResources('Timeout');
  return delta(m0, m1, {
    active_timeouts: delta(t0, t1),
    buffers_collected: collected,
  });
}

const phases = {
  flagged: () => measure(startPollingFlagged),
  flagged_unref: () => measure(startPollingUnref),
  fixed: () => measure(pollWhileWorking),
};

function line(label, r) {
  return (
    `${label.padEnd(36)} retained ${r.growth >= 0 ? '+' : ''}${r.growth} MiB, ` +
    `'Timeout' resources ${r.active_timeouts.before} -> ${r.active_timeouts.after}, ` +
    `captured buffers collected ${r.buffers_collected}/${N}`
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
  rule: 'NLL201',
  title: `setInterval per call (${N} calls, ${BUF_BYTES / 1024} KiB captured each)`,
  metric: 'heapUsed+external MiB after forced GC',
  n: N,
  phases,
  report: (r) => [
    line('flagged: setInterval(cb), no clear', r.flagged),
    line('flagged: setInterval(cb).unref()', r.flagged_unref),
    line('fixed:   clearInterval in finally', r.fixed),
    "note: Node 20 lists only ref'd timers in getActiveResourcesInfo(); unref'd ones",
    '      vanish from that list but still retain their closures (see retained MiB).',
  ],
  extra: (r) => ({ unref: r.flagged_unref }),
});
