#!/usr/bin/env node
// NLL601 never-settling-promise: runtime proof, including where the premise is weaker.
//
// SPEC §2 NLL601: "An `await` on it parks the calling async function forever,
// with everything its frame holds."
//
// What V8 actually does (measured below, 1 MiB buffer live in each frame):
//  * The function is parked forever: code after the await, including
//    `finally` cleanup, never runs (phase flagged_inline: a listener that the
//    finally block should remove stays registered, one per call).
//  * The frame's memory is retained only while the never-settling promise is
//    itself reachable. A suspended async function is referenced by the
//    promise it awaits (through the reaction), not by its own result promise.
//    - Awaiting a long-lived never-settling promise (module-level
//      `const ready = new Promise(() => {})`, or one stored in a collection)
//      keeps every waiting frame: ~1 MiB per call (phase `flagged`).
//    - Awaiting a fresh inline `new Promise(() => {})` that nothing else
//      references: V8 garbage-collects the whole parked frame, buffer
//      included (phase flagged_inline: ~0 MiB, all buffers collected), even
//      when the caller keeps the async function's result promise.
//  * FIXED: a promise whose executor resolves: frames finish, are collected,
//    and finally blocks run.
//
// Run: node --expose-gc examples/proofs/nll601_never_settling_promise.js
'use strict';

const { EventEmitter } = require('node:events');

const N = 40; // calls per phase
const BUF_BYTES = 1024 * 1024;

let collected = 0;
const registry = new FinalizationRegistry(() => {
  collected++;
});

const bus = new EventEmitter(); // process-lived
bus.setMaxListeners(0);
const results = []; // the caller keeps every result promise (worst case for the caller side)

// Module-level never-settling promise, e.g. a "ready" gate whose executor forgot resolve.
const ready = new Promise(() => {});

// FLAGGED (long-lived promise): each call parks on the shared promise.
async function handleShared() {
  const buf = Buffer.alloc(BUF_BYTES, 1);
  registry.register(buf, 'buf');
  const onConfig = () => {};
  bus.on('config', onConfig);
  try {
    await ready;
    return buf.length;
  } finally {
    bus.off('config', onConfig);
  }
}

// FLAGGED (inline promise): parks on a fresh promise nothing else references.
async function handleInline() {
  const buf = Buffer.alloc(BUF_BYTES, 1);
  registry.register(buf, 'buf');
  const onConfig = () => {};
  bus.on('config', onConfig);
  try {
    await new Promise(() => {});
    return buf.length;
  } finally {
    bus.off('config', onConfig);
  }
}

// FIXED: the executor resolves.
async function handleFixed() {
  const buf = Buffer.alloc(BUF_BYTES, 1);
  registry.register(buf, 'buf');
  const onConfig = () => {};
  bus.on('config', onConfig);
  try {
    await new Promise((resolve) => setImmediate(resolve));
    return buf.length;
  } finally {
    bus.off('config', onConfig);
  }
}

async function measure(handle) {
  results.push(handle()); // warm up before the baseline
  await sleep(5);
  await fullGC();
  collected = 0;
  const m0 = retainedMB();
  const l0 = bus.listenerCount('config');
  for (let i = 0; i < N; i++) results.push(handle());
  await sleep(20); // resolving promises settle here
  await fullGC();
  await sleep(20);
  await fullGC();
  const m1 = retainedMB();
  return delta(m0, m1, {
    per_call_mb: round((m1 - m0) / N, 3),
    buffers_collected: collected,
    finally_skipped_listeners: bus.listenerCount('config') - l0,
  });
}

const phases = {
  flagged: () => measure(handleShared),
  flagged_inline: () => measure(handleInline),
  fixed: () => measure(handleFixed),
};

function line(label, r) {
  return (
    `${label.padEnd(40)} retained ${r.growth >= 0 ? '+' : ''}${r.growth} MiB ` +
    `(${r.per_call_mb}/call), buffers collected ${r.buffers_collected}/${N}, ` +
    `listeners left by skipped finally ${r.finally_skipped_listeners}`
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
  rule: 'NLL601',
  title: `async functions awaiting a never-settling promise (${N} calls, 1 MiB live per frame)`,
  metric: 'heapUsed+external MiB after forced GC',
  n: N,
  phases,
  report: (r) => [
    line('flagged: await module-level never-promise', r.flagged),
    line('flagged: await new Promise(() => {})', r.flagged_inline),
    line('fixed:   await promise that resolves', r.fixed),
    'note: an unreferenced parked frame is collectable; it is retained only while',
    '      the never-settling promise is reachable. Its finally never runs either way.',
  ],
  extra: (r) => ({ inline: r.flagged_inline }),
});
