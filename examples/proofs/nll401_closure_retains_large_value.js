#!/usr/bin/env node
// NLL401 closure-retains-large-value: runtime proof of V8's shared closure context.
//
// Premise (SPEC §2 NLL401): all closures created in one scope share ONE context
// object, and a variable lives in that context if ANY inner function
// references it. So a long-lived callback (here a setInterval heartbeat) that
// never mentions `buf` still keeps the 1 MiB `buf` alive when a sibling
// closure in the same scope (`const size = () => buf.length`) references it.
// Without the sibling reference `buf` is a plain stack local and is collected;
// with the sibling but `buf = null` before returning, the context slot is
// cleared and the buffer is collected too.
//
// All three phases leave the heartbeat interval running (that part is
// legitimate here); only what it keeps alive differs. A FinalizationRegistry
// on each buffer shows which buffers V8 could collect.
//
// Run: node --expose-gc examples/proofs/nll401_closure_retains_large_value.js
'use strict';

const N = 40; // calls per phase
const BUF_BYTES = 1024 * 1024; // 1 MiB per call

let beats = 0;
let collected = 0;
const registry = new FinalizationRegistry(() => {
  collected++;
});

function report(n) {
  return n;
}

// FLAGGED: the heartbeat never mentions buf, but the sibling `size` does.
function startFlagged() {
  const buf = Buffer.alloc(BUF_BYTES, 1);
  registry.register(buf, 'buf');
  const size = () => buf.length; // sibling closure: puts buf in the shared context
  report(size());
  setInterval(() => {
    beats++; // does not reference buf
  }, 60_000);
}

// FIXED: no inner function references buf; it is used directly.
function startNoSibling() {
  const buf = Buffer.alloc(BUF_BYTES, 1);
  registry.register(buf, 'buf');
  report(buf.length);
  setInterval(() => {
    beats++;
  }, 60_000);
}

// FIXED: the sibling exists, but buf is nulled before the function returns.
function startNulled() {
  let buf = Buffer.alloc(BUF_BYTES, 1);
  registry.register(buf, 'buf');
  const size = () => buf.length;
  report(size());
  buf = null;
  setInterval(() => {
    beats++;
  }, 60_000);
}

async function measure(start) {
  start(); // warm up before the baseline
  await fullGC();
  collected = 0;
  const m0 = retainedMB();
  for (let i = 0; i < N; i++) start();
  await fullGC();
  await sleep(20);
  await fullGC();
  const m1 = retainedMB();
  return delta(m0, m1, {
    per_call_mb: round((m1 - m0) / N, 3),
    buffers_collected: collected,
    active_timeouts: countResources('Timeout'),
  });
}

const phases = {
  flagged: () => measure(startFlagged),
  fixed: () => measure(startNoSibling),
  fixed_nulled: () => measure(startNulled),
};

function line(label, r) {
  return (
    `${label.padEnd(49)} retained ${r.growth >= 0 ? '+' : ''}${r.growth} MiB ` +
    `(${r.per_call_mb} MiB/call), buffers collected ${r.buffers_collected}/${N}, ` +
    `live intervals ${r.active_timeouts}`
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
  rule: 'NLL401',
  title: `interval callback that never names buf vs. a sibling closure that does (${N} x 1 MiB)`,
  metric: 'heapUsed+external MiB after forced GC',
  n: N,
  phases,
  report: (r) => [
    line('flagged: sibling `() => buf.length` in scope', r.flagged),
    line('fixed:   no closure references buf', r.fixed),
    line('fixed:   sibling, but `buf = null` before return', r.fixed_nulled),
  ],
  extra: (r) => ({ nulled: r.fixed_nulled }),
});
