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
const { sleep, fullGC, retainedMB, countResources, delta, main } = require('./harness');

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

// TEARDOWN GAP (SPEC §1 *Teardown completeness*): a connection object whose close()
// clears its ping interval but forgets its flush interval. Every closed instance stays
// reachable from the timer list through the flush callback, with its 256 KiB buffer.
class Link {
  constructor(id) {
    this.state = Buffer.alloc(BUF_BYTES, 1);
    registry.register(this.state, id);
    this.pingTimer = setInterval(() => this.state.length, PERIOD_MS);
    this.flushTimer = setInterval(() => this.state.length, PERIOD_MS);
  }
  close(all) {
    clearInterval(this.pingTimer);
    if (all) clearInterval(this.flushTimer);
  }
}

async function openAndClose(id, all) {
  new Link(id).close(all);
}

// DROPPED OWNER: a room drops a member's presence (Map.delete) without destroy(); the
// presence's constructor started a heartbeat interval that only destroy() clears, so the
// interval keeps firing and keeps every dropped presence (and its 256 KiB) alive.
class Presence {
  constructor(id) {
    this.state = Buffer.alloc(BUF_BYTES, 1);
    registry.register(this.state, id);
    this.heartbeat = setInterval(() => this.state.length, PERIOD_MS);
  }
  destroy() {
    clearInterval(this.heartbeat);
  }
}
const room = new Map();

async function joinAndLeave(id, destroy) {
  room.set(id, new Presence(id));
  if (destroy) room.get(id).destroy();
  room.delete(id);
}

// WATCHDOG: a command timeout per command, handle dropped. The callback's own test says the
// command may complete first; it does (at once, here), but nothing clears the timer, so the
// timer list keeps the command and its 256 KiB reply for the full delay. The fixed twin
// keeps the handle and clears it when the command completes.
const COMMAND_TIMEOUT_MS = 30_000;

async function sendCommand(id, clear) {
  const command = { id, reply: Buffer.alloc(BUF_BYTES, 1), isResolved: false };
  registry.register(command.reply, id);
  const timer = setTimeout(() => {
    if (!command.isResolved) console.log('command timed out', command.id);
  }, COMMAND_TIMEOUT_MS);
  await Promise.resolve(); // the reply arrives
  command.isResolved = true;
  if (clear) clearTimeout(timer);
}

// A timeout racing the work (a circuit breaker): the timeout promise is kept in a local
// first, and its handle only to unref it. The work wins at once, but nothing clears the
// timer, so the timer keeps `reject`, the timeout promise and, through the race's
// reactions, the race's settled promise and the 256 KiB reply, for the full delay. The
// fixed twin clears the handle in `finally`.
async function raceWithTimeout(id, clear) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), COMMAND_TIMEOUT_MS);
    timer.unref();
  });
  const work = (async () => {
    const reply = Buffer.alloc(BUF_BYTES, 1);
    registry.register(reply, id);
    return reply;
  })();
  try {
    const reply = await Promise.race([work, timeout]);
    return reply.length;
  } finally {
    if (clear) clearTimeout(timer);
  }
}

// A polling pause (crawlee's AutoscaledPool.pause): the interval clears itself on the run
// that finds the pool idle and resolves; a timeout rejects first, and (flagged) does not
// clear the interval. The pool never goes idle here, so each timed-out pause leaves an
// interval polling for good, holding the pool's 256 KiB state through its closure. The
// fixed twin clears the interval in the timeout's callback too.
async function pauseWithTimeout(id, clearOnTimeout) {
  const pool = { id, running: 1, state: Buffer.alloc(BUF_BYTES, 1) };
  registry.register(pool.state, id);
  try {
    await new Promise((resolve, reject) => {
      let interval;
      setTimeout(() => {
        if (clearOnTimeout) clearInterval(interval);
        reject(new Error('pause timed out'));
      }, 1);
      interval = setInterval(() => {
        if (pool.running <= 0 && pool.state.length) {
          clearInterval(interval);
          resolve();
        }
      }, PERIOD_MS);
    });
  } catch {
    // the caller gives up waiting
  }
}

// RE-ARM ONLY: a refresher clears its interval only right before starting the next one
// (`clearInterval(this.timer); this.timer = setInterval(…)`), and its destroy() does not
// clear it. Each instance switches media three times (two clears, both re-arms) and is then
// destroyed and dropped: its last interval keeps firing and keeps the instance (and its
// 256 KiB) alive. The fixed twin's destroy() clears the field too.
class Refresher {
  constructor(id) {
    this.state = Buffer.alloc(BUF_BYTES, 1);
    registry.register(this.state, id);
    this.timer = null;
  }
  onMediaChange(media) {
    clearInterval(this.timer);
    this.timer = setInterval(() => this.state.length + media, PERIOD_MS);
  }
  destroy(clear) {
    if (clear) clearInterval(this.timer);
  }
}

async function switchAndDestroy(id, clear) {
  const refresher = new Refresher(id);
  for (let media = 0; media < 3; media++) refresher.onMediaChange(media);
  refresher.destroy(clear);
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
  teardown_flagged: () => measure((id) => openAndClose(id, false)),
  teardown_fixed: () => measure((id) => openAndClose(id, true)),
  dropped_flagged: () => measure((id) => joinAndLeave(id, false)),
  dropped_fixed: () => measure((id) => joinAndLeave(id, true)),
  watchdog_flagged: () => measure((id) => sendCommand(id, false)),
  watchdog_fixed: () => measure((id) => sendCommand(id, true)),
  race_flagged: () => measure((id) => raceWithTimeout(id, false)),
  race_fixed: () => measure((id) => raceWithTimeout(id, true)),
  pause_flagged: () => measure((id) => pauseWithTimeout(id, false)),
  pause_fixed: () => measure((id) => pauseWithTimeout(id, true)),
  rearm_flagged: () => measure((id) => switchAndDestroy(id, false)),
  rearm_fixed: () => measure((id) => switchAndDestroy(id, true)),
};

function line(label, r) {
  return (
    `${label.padEnd(36)} retained ${r.growth >= 0 ? '+' : ''}${r.growth} MiB, ` +
    `'Timeout' resources ${r.active_timeouts.before} -> ${r.active_timeouts.after}, ` +
    `captured buffers collected ${r.buffers_collected}/${N}`
  );
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
    line('flagged: close() forgets one interval', r.teardown_flagged),
    line('fixed:   close() clears both', r.teardown_fixed),
    line('flagged: map.delete() without destroy()', r.dropped_flagged),
    line('fixed:   destroy() before map.delete()', r.dropped_fixed),
    line('flagged: command timeout never cleared', r.watchdog_flagged),
    line('fixed:   cleared when the command completes', r.watchdog_fixed),
    line('flagged: race timeout, unref only', r.race_flagged),
    line('fixed:   race timeout cleared in finally', r.race_fixed),
    line('flagged: self-clear on success only', r.pause_flagged),
    line('fixed:   the timeout clears it too', r.pause_fixed),
    line('flagged: cleared only before re-arming', r.rearm_flagged),
    line('fixed:   destroy() clears it too', r.rearm_fixed),
    "note: Node 20 lists only ref'd timers in getActiveResourcesInfo(); unref'd ones",
    '      vanish from that list but still retain their closures (see retained MiB).',
  ],
  extra: (r) => ({
    unref: r.flagged_unref,
    teardown: { flagged: r.teardown_flagged, fixed: r.teardown_fixed },
    dropped: { flagged: r.dropped_flagged, fixed: r.dropped_fixed },
    watchdog: { flagged: r.watchdog_flagged, fixed: r.watchdog_fixed },
    race: { flagged: r.race_flagged, fixed: r.race_fixed },
    pause: { flagged: r.pause_flagged, fixed: r.pause_fixed },
    rearm: { flagged: r.rearm_flagged, fixed: r.rearm_fixed },
  }),
});
