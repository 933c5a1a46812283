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
const { delta, main } = require('./harness');

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
