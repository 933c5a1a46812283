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
