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
const { sleep, fullGC, retainedMB, countResources, round, delta, main } = require('./harness');

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

// Second premise (holders on long-lived instances): a closure pushed onto a field of an
// instance made once at module top level lives as long as the process, and keeps the
// context of the method call that made it. FLAGGED: the hook never names `buf`, but the
// sibling `size` does, so every call keeps its buffer. FIXED: no sibling references it.
class Watchers {
  constructor() {
    this.hooks = [];
  }

  watchFlagged() {
    const buf = Buffer.alloc(BUF_BYTES, 1);
    registry.register(buf, 'buf');
    const size = () => buf.length;
    report(size());
    this.hooks.push(() => {
      beats++;
    });
  }

  watchFixed() {
    const buf = Buffer.alloc(BUF_BYTES, 1);
    registry.register(buf, 'buf');
    report(buf.length);
    this.hooks.push(() => {
      beats++;
    });
  }
}
const watchers = new Watchers();

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
  field_flagged: () => measure(() => watchers.watchFlagged()),
  field_fixed: () => measure(() => watchers.watchFixed()),
};

function line(label, r) {
  return (
    `${label.padEnd(49)} retained ${r.growth >= 0 ? '+' : ''}${r.growth} MiB ` +
    `(${r.per_call_mb} MiB/call), buffers collected ${r.buffers_collected}/${N}, ` +
    `live intervals ${r.active_timeouts}`
  );
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
    line('flagged: this.hooks.push(hook), module singleton', r.field_flagged),
    line('fixed:   the same hook, no sibling names buf', r.field_fixed),
  ],
  extra: (r) => ({ nulled: r.fixed_nulled, field: { flagged: r.field_flagged, fixed: r.field_fixed } }),
});
