#!/usr/bin/env node
// NLL102 raised-max-listeners: runtime proof.
//
// Premise (SPEC §2 NLL102): Node's only built-in leak detector is the
// MaxListenersExceededWarning an EventEmitter emits (once per event name) when
// more than `maxListeners` (default 10) listeners are added for one event.
// setMaxListeners(0) / setMaxListeners(Infinity) / a high value /
// EventEmitter.defaultMaxListeners = 0 silence it: the same listener leak then
// grows with no warning at all.
//
// Every phase runs the same leak (N per-call listeners on a long-lived
// emitter, never removed) and captures process 'warning' events.
// The metric is "listeners leaked without any warning": N when the detector
// was silenced, 0 when Node warned.
//
// Run: node --expose-gc examples/proofs/nll102_raised_max_listeners.js
'use strict';

const { EventEmitter } = require('node:events');

const N = 60; // leaked listeners per phase (above the rule's default threshold of 50)

async function leakAndWatch(configure) {
  const warnings = [];
  process.on('warning', (w) => {
    if (w.name === 'MaxListenersExceededWarning') warnings.push(w.message);
  });
  const emitter = new EventEmitter(); // long-lived, e.g. a shared client
  configure(emitter);
  function perCall(i) {
    emitter.on('data', () => i); // the leak: one listener per call, never removed
  }
  for (let i = 0; i < N; i++) perCall(i);
  await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on nextTick
  await new Promise((resolve) => setImmediate(resolve));
  const listeners = emitter.listenerCount('data');
  const max = emitter.getMaxListeners();
  const undetected = warnings.length === 0 ? listeners : 0;
  return delta(0, undetected, {
    listeners,
    warnings: warnings.length,
    max_listeners: Number.isFinite(max) ? max : String(max),
    warning: warnings[0] ?? null,
  });
}

const phases = {
  // FIXED: the default limit is left alone -> Node warns about the leak.
  fixed: () => leakAndWatch(() => {}),
  // FLAGGED: setMaxListeners(0) -> no warning.
  flagged: () => leakAndWatch((e) => e.setMaxListeners(0)),
  flagged_infinity: () => leakAndWatch((e) => e.setMaxListeners(Infinity)),
  flagged_high: () => leakAndWatch((e) => e.setMaxListeners(100)),
  flagged_default_zero: () =>
    leakAndWatch(() => {
      EventEmitter.defaultMaxListeners = 0;
    }),
};

function line(label, r) {
  return (
    `${label.padEnd(44)} listeners ${String(r.listeners).padStart(3)}, ` +
    `MaxListenersExceededWarning x${r.warnings} -> undetected leak: ${r.growth}`
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
  rule: 'NLL102',
  title: `raising/disabling maxListeners silences the leak warning (${N} leaked listeners)`,
  metric: 'listeners leaked with no MaxListenersExceededWarning emitted (0 when Node warned)',
  n: N,
  phases,
  report: (r) => [
    line('fixed:   default maxListeners (10)', r.fixed),
    line('flagged: emitter.setMaxListeners(0)', r.flagged),
    line('flagged: emitter.setMaxListeners(Infinity)', r.flagged_infinity),
    line('flagged: emitter.setMaxListeners(100)', r.flagged_high),
    line('flagged: EventEmitter.defaultMaxListeners = 0', r.flagged_default_zero),
    `warning text with the default: ${r.fixed.warning}`,
  ],
  extra: (r) => ({
    variants: {
      set_infinity: r.flagged_infinity,
      set_100: r.flagged_high,
      default_max_listeners_0: r.flagged_default_zero,
    },
  }),
});
