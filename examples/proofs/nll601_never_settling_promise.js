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
// Races (SPEC §2 NLL601, "Promise.race([...]) with a long-lived promise inside a
// loop"): a loop that runs `await Promise.race([work(i), stopped])` against one
// `stopped` promise that stays pending adds a reaction to `stopped` on every
// turn. The reaction holds the race's resolve functions, so every race's
// result promise — and the value it settled with — stays reachable until
// `stopped` settles (phase race_flagged: RACE_N turns, 64 KiB result each).
// The twin races each turn against a promise made for that turn from an
// AbortSignal and removes its listener when the turn ends: flat
// (phase race_fixed).
//
// Detached waiters (SPEC §2 NLL601, "more ways to park work"): `accept(cancel)`
// starts `(async () => { try { await cancel } finally { canceled = true } })()`
// on every call and drops it. Callers pass the same long-lived cancel promise to
// every call, so each call leaves a parked frame and a reaction on it, and
// through the frame the call's own context (here a 16 KiB per-call `state` the
// waiter's finally would flag): WAIT_N calls, none collected (phase
// waiter_flagged). The twin subscribes to the cancel promise once for the whole
// server and reads the flag it sets: flat (phase waiter_fixed).
//
// Run: node --expose-gc examples/proofs/nll601_never_settling_promise.js
'use strict';
const { sleep, fullGC, retainedMB, round, delta, main } = require('./harness');

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

// -- races against a long-lived promise --------------------------------------------------------
const RACE_N = 300;
const RESULT_BYTES = 64 * 1024;

function work() {
  return new Promise((resolve) => {
    setImmediate(() => {
      const buf = Buffer.alloc(RESULT_BYTES, 2);
      registry.register(buf, 'result');
      resolve(buf);
    });
  });
}

// FLAGGED: one shutdown promise, pending for the life of the loop.
const stopped = new Promise(() => {});

async function raceFlagged(turns) {
  let total = 0;
  for (let i = 0; i < turns; i++) {
    const result = await Promise.race([work(), stopped]);
    total += result.length;
  }
  return total;
}

// FIXED: an AbortSignal for the shutdown; each turn races a promise made for that
// turn and removes its listener when the turn ends.
const stop = new AbortController();

function whenAborted(signal) {
  let off = () => {};
  const promise = new Promise((_, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    off = () => signal.removeEventListener('abort', onAbort);
  });
  return { promise, off };
}

async function raceFixed(turns) {
  let total = 0;
  for (let i = 0; i < turns; i++) {
    const aborted = whenAborted(stop.signal);
    try {
      const result = await Promise.race([work(), aborted.promise]);
      total += result.length;
    } finally {
      aborted.off();
    }
  }
  return total;
}

async function measureRace(loop) {
  await loop(10); // warm up before the baseline
  await fullGC();
  collected = 0;
  const m0 = retainedMB();
  await loop(RACE_N);
  await fullGC();
  const m1 = retainedMB();
  return delta(m0, m1, {
    per_turn_kb: round(((m1 - m0) * 1024) / RACE_N, 1),
    results_collected: collected,
  });
}

// -- detached waiters on a long-lived cancel promise ------------------------------------------------
const WAIT_N = 300;
const STATE_BYTES = 16 * 1024;
const cancel = new Promise(() => {}); // the server's shutdown promise, pending while it runs
let statesCollected = 0;
const states = new FinalizationRegistry(() => {
  statesCollected++;
});

// FLAGGED: a waiter per call, parked on `cancel` with the call's context.
async function acceptFlagged(cancelPromise) {
  const state = { canceled: false, buf: Buffer.alloc(STATE_BYTES, 3) };
  states.register(state, 'state');
  (async () => {
    try {
      await cancelPromise;
    } finally {
      state.canceled = true;
    }
  })();
  const result = await work();
  return state.canceled ? null : result.length;
}

// FIXED: one subscription to `cancel` for the whole server, made once; each call reads
// the flag it sets and leaves nothing waiting when it returns.
let shutDown = false;
cancel.finally(() => {
  shutDown = true;
});
async function acceptFixed() {
  const state = { buf: Buffer.alloc(STATE_BYTES, 3) };
  states.register(state, 'state');
  const result = await work();
  return shutDown ? null : result.length + state.buf.length * 0;
}

async function measureWaiters(accept) {
  for (let i = 0; i < 10; i++) await accept(cancel); // warm up before the baseline
  await fullGC();
  statesCollected = 0;
  const m0 = retainedMB();
  for (let i = 0; i < WAIT_N; i++) await accept(cancel);
  await fullGC();
  const m1 = retainedMB();
  return delta(m0, m1, {
    per_call_kb: round(((m1 - m0) * 1024) / WAIT_N, 1),
    states_collected: statesCollected,
  });
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

// Fifth premise (a loop written as a function that waits on its own next turn):
// `function poll() { return tick().then(() => poll()) }` resolves each turn's promise with
// the next turn's, so none settles while the loop runs: one more pending promise per turn.
// `await poll()` in an async function keeps every turn's suspended frame too. Starting the
// next turn without waiting on it (`.then(() => { poll(); })`) or a `while` loop keeps
// nothing. Measured between turn 1,000 and turn 1,000 + LOOP_N, while the loop runs.
const LOOP_N = 20000;
const tick = () => new Promise((resolve) => setImmediate(resolve));
let turns = 0;
let stopLoop = false;

function pollThen() {
  turns++;
  return tick().then(() => {
    if (stopLoop) return;
    return pollThen();
  });
}

async function pollAwait() {
  turns++;
  await tick();
  if (stopLoop) return;
  await pollAwait();
}

function pollDetached() {
  turns++;
  return tick().then(() => {
    if (stopLoop) return;
    pollDetached();
  });
}

async function pollWhile() {
  while (!stopLoop) {
    turns++;
    await tick();
  }
}

// The openhim-core shape: the self-call is behind a module flag (`if (live) return poll();`)
// inside a `try`: the same chain as an unguarded `return poll()`, one pending promise per
// turn until the flag drops. Its fix starts the next turn from `setImmediate` instead.
async function pollGuarded() {
  try {
    turns++;
    await tick();
    if (!stopLoop) {
      return pollGuarded();
    }
  } catch (err) {
    console.error(err);
  }
}

async function pollGuardedScheduled() {
  try {
    turns++;
    await tick();
    if (!stopLoop) {
      setImmediate(pollGuardedScheduled);
    }
  } catch (err) {
    console.error(err);
  }
}

async function measureLoop(loop) {
  loop();
  while (turns < 1000) await sleep(5);
  await fullGC();
  const t0 = turns;
  const m0 = retainedMB();
  while (turns < t0 + LOOP_N) await sleep(5);
  await fullGC();
  const m1 = retainedMB();
  const done = turns - t0;
  stopLoop = true;
  return delta(m0, m1, { turns: done, per_turn_bytes: round(((m1 - m0) * 1048576) / done, 0) });
}

const phases = {
  flagged: () => measure(handleShared),
  flagged_inline: () => measure(handleInline),
  fixed: () => measure(handleFixed),
  race_flagged: () => measureRace(raceFlagged),
  race_fixed: () => measureRace(raceFixed),
  waiter_flagged: () => measureWaiters(acceptFlagged),
  waiter_fixed: () => measureWaiters(acceptFixed),
  loop_then: () => measureLoop(pollThen),
  loop_await: () => measureLoop(pollAwait),
  loop_detached: () => measureLoop(pollDetached),
  loop_while: () => measureLoop(pollWhile),
  loop_guarded: () => measureLoop(pollGuarded),
  loop_guarded_fixed: () => measureLoop(pollGuardedScheduled),
};

function loopLine(label, r) {
  return (
    `${label.padEnd(40)} retained ${r.growth >= 0 ? '+' : ''}${r.growth} MiB over ` +
    `${r.turns} turns (${r.per_turn_bytes} bytes/turn)`
  );
}

function raceLine(label, r) {
  return (
    `${label.padEnd(40)} retained ${r.growth >= 0 ? '+' : ''}${r.growth} MiB ` +
    `(${r.per_turn_kb} KiB/turn), results collected ${r.results_collected}/${RACE_N}`
  );
}

function waiterLine(label, r) {
  return (
    `${label.padEnd(40)} retained ${r.growth >= 0 ? '+' : ''}${r.growth} MiB ` +
    `(${r.per_call_kb} KiB/call), per-call states collected ${r.states_collected}/${WAIT_N}`
  );
}

function line(label, r) {
  return (
    `${label.padEnd(40)} retained ${r.growth >= 0 ? '+' : ''}${r.growth} MiB ` +
    `(${r.per_call_mb}/call), buffers collected ${r.buffers_collected}/${N}, ` +
    `listeners left by skipped finally ${r.finally_skipped_listeners}`
  );
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
    raceLine('flagged: race([work(), stopped]) x turns', r.race_flagged),
    raceLine('fixed:   race against a per-turn signal', r.race_fixed),
    waiterLine('flagged: detached waiter per accept()', r.waiter_flagged),
    waiterLine('fixed:   one subscription, a flag', r.waiter_fixed),
    loopLine('flagged: .then(() => poll()) returned', r.loop_then),
    loopLine('flagged: await poll() in async poll', r.loop_await),
    loopLine('fixed:   .then(() => { poll(); })', r.loop_detached),
    loopLine('fixed:   while (!stopped) await tick()', r.loop_while),
    loopLine('flagged: if (live) return poll() in try', r.loop_guarded),
    loopLine('fixed:   if (live) setImmediate(poll)', r.loop_guarded_fixed),
  ],
  extra: (r) => ({
    inline: r.flagged_inline,
    race: { flagged: r.race_flagged, fixed: r.race_fixed, turns: RACE_N },
    waiter: { flagged: r.waiter_flagged, fixed: r.waiter_fixed, calls: WAIT_N },
    loop: {
      then: r.loop_then,
      await: r.loop_await,
      detached: r.loop_detached,
      while: r.loop_while,
      guarded: r.loop_guarded,
      guarded_fixed: r.loop_guarded_fixed,
    },
  }),
});
