// Annotated cases for NLL201 uncleared-interval (TypeScript: NestJS, Fastify, ES imports).
import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import Fastify, { FastifyReply, FastifyRequest } from 'fastify';
import { Socket, connect } from 'node:net';
import { setInterval as every } from 'node:timers';
import { setInterval as tick } from 'node:timers/promises';
import * as timers from 'timers';
import { WebSocketServer, WebSocket } from 'ws';

const fastify = Fastify();

// ok: NLL201 -- module top level
const metrics: NodeJS.Timeout = setInterval(() => flushMetrics(), 60_000);

@Injectable()
export class MetricsService implements OnModuleInit, OnModuleDestroy {
  private timer?: NodeJS.Timeout;

  onModuleInit(): void {
    // ok: NLL201 -- cleared in onModuleDestroy
    this.timer = setInterval(() => this.flush(), 10_000);
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private flush(): void {}
}

@Injectable()
export class LeakyService implements OnModuleInit {
  private readonly cache = new Map<string, Buffer>();

  onModuleInit(): void {
    // ruleid: NLL201
    setInterval(() => this.cache.clear(), 10_000);
  }
}

export class Sampler {
  // ruleid: NLL201
  private readonly timer = setInterval(() => this.sample(), 1000);
  private sample(): void {}
}

export class CleanSampler {
  // ok: NLL201 -- the field is cleared in dispose()
  private timer: NodeJS.Timeout | undefined = setInterval(() => this.sample(), 1000);
  private sample(): void {}
  dispose(): void {
    clearInterval(this.timer!);
    this.timer = undefined;
  }
}

export class Sessions {
  #reaper: ReturnType<typeof setInterval>;
  constructor(private readonly store: Map<string, number>) {
    // ruleid: NLL201
    this.#reaper = every(() => this.store.clear(), 1000).unref();
  }
}

fastify.get('/ticks', async (request: FastifyRequest, reply: FastifyReply) => {
  // ruleid: NLL201
  timers.setInterval(() => reply.raw.write('.'), 1000);
});

fastify.get('/ticks-ok', async (request: FastifyRequest, reply: FastifyReply) => {
  // ok: NLL201 -- cleared on close
  const handle = setInterval(() => reply.raw.write('.'), 1000) as NodeJS.Timeout;
  request.raw.on('close', () => clearInterval(handle));
});

fastify.get('/sse', async (request: FastifyRequest, reply: FastifyReply) => {
  // ruleid: NLL201
  for await (const now of tick(1000, Date.now())) {
    reply.raw.write(`data: ${now}\n\n`);
  }
});

fastify.get('/sse-ok', async (request: FastifyRequest, reply: FastifyReply) => {
  const controller = new AbortController();
  request.raw.on('close', () => controller.abort());
  // ok: NLL201 -- stops when the request closes
  for await (const now of tick(1000, Date.now(), { signal: controller.signal })) {
    reply.raw.write(`data: ${now}\n\n`);
  }
});

const wss = new WebSocketServer({ port: 8080 });
const alive = new Map<WebSocket, NodeJS.Timeout>();
wss.on('connection', (ws: WebSocket) => {
  // ok: NLL201 -- stored in a map whose entry is cleared on close
  alive.set(ws, setInterval(() => ws.ping(), 30_000));
  ws.on('close', () => {
    clearInterval(alive.get(ws));
    alive.delete(ws);
  });
});

export function poll(fn: () => void): NodeJS.Timeout {
  // ok: NLL201 -- returned to the caller
  const t = setInterval(fn, 1000);
  return t;
}

export class Retrier {
  private attempts = 0;
  retry(): void {
    this.attempts++;
    // ok: NLL201 -- stops after three attempts
    if (this.attempts < 3) setTimeout(() => this.retry(), 100);
  }
}

export class Ticker {
  private stopped = false;
  start(): void {
    this.tick();
  }
  stop(): void {
    this.stopped = true;
  }
  private tick(): void {
    if (this.stopped) return;
    // ok: NLL201 -- stop() ends the chain
    setTimeout(() => this.tick(), 1000);
  }
}

export class Spinner {
  start(): void {
    this.spin();
  }
  private spin(): void {
    // ruleid: NLL201
    setTimeout(this.spin.bind(this), 100);
  }
}

export class Timers {
  private readonly handles: NodeJS.Timeout[] = [];
  add(fn: () => void): void {
    // ok: NLL201 -- the array is iterated and every handle cleared
    this.handles.push(setInterval(fn, 1000));
  }
  close(): void {
    for (const handle of this.handles) clearInterval(handle);
  }
}

// --- computed fields: `this[kPing]` is one field -------------------------------------------
const kPing = Symbol('ping');
const kFlush = Symbol('flush');

export class Peer {
  private [kPing]?: NodeJS.Timeout;
  private [kFlush]?: NodeJS.Timeout;
  open(): void {
    // ok: NLL201 -- `destroy()` clears `this[kPing]`
    this[kPing] = setInterval(() => this.ping(), 1000);
    // ruleid: NLL201 -- `destroy()` clears `this[kPing]` but forgets `this[kFlush]`
    this[kFlush] = setInterval(() => this.flush(), 50);
  }
  private ping(): void {}
  private flush(): void {
    if (this[kFlush]) clearInterval(this[kFlush]);
  }
  destroy(): void {
    clearInterval(this[kPing]);
  }
}

// --- teardown that reaches its clears through `this.method()` ----------------------------------
export class Uploader {
  private keepAlive?: NodeJS.Timeout;
  private progress?: NodeJS.Timeout;
  begin(): void {
    // ok: NLL201 -- `dispose()` reaches `stopTimers()`, which clears both
    this.keepAlive = setInterval(() => this.ping(), 10_000);
    // ok: NLL201 -- cleared on the teardown path too
    this.progress = setInterval(() => this.report(), 1_000);
  }
  private stopTimers(): void {
    clearInterval(this.keepAlive);
    clearInterval(this.progress);
  }
  dispose(): void {
    this.stopTimers();
  }
  private ping(): void {}
  private report(): void {}
}

// --- a timeout racing the work ------------------------------------------------------------
fastify.get('/slow', async (request, reply) => {
  const result = await Promise.race([
    lookup(String(request.query)),
    new Promise<never>((_, reject) => {
      // ruleid: NLL201 -- kept for the full minute after `lookup` wins, once per request
      setTimeout(() => reject(new Error('timeout')), 60_000);
    }),
  ]);
  return reply.send(result);
});
fastify.get('/slow-fixed', async (request, reply) => {
  const signal = AbortSignal.timeout(60_000);
  // ok: NLL201 -- no timer of ours to clear: the signal owns it
  return reply.send(await lookup(String(request.query), signal));
});
declare function lookup(q: string, signal?: AbortSignal): Promise<string>;

// The raced promise kept in a local first, the handle kept only to unref it (a class).
export class CircuitBreaker {
  constructor(private readonly timeoutMs: number) {}
  async fire<T>(fn: () => Promise<T>): Promise<T> {
    const timeout = new Promise<never>((_, reject) => {
      // ruleid: NLL201
      const timer = setTimeout(() => reject(new Error('timed out')), this.timeoutMs);
      timer.unref?.();
    });
    return Promise.race([fn(), timeout]);
  }
  async fireFixed<T>(fn: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      // ok: NLL201 -- cleared in `finally` whichever side wins
      timer = setTimeout(() => reject(new Error('timed out')), this.timeoutMs);
    });
    try {
      return await Promise.race([fn(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

// --- a watchdog timeout that outlives the work it watches --------------------------------------
interface Command {
  isResolved: boolean;
  timer?: NodeJS.Timeout;
  reject(err: Error): void;
  promise: Promise<unknown>;
}
export class RedisLike {
  constructor(private readonly options: { commandTimeout: number }) {}
  send(command: Command): void {
    // ruleid: NLL201 -- nothing clears it when `command` resolves: each command stays for the full timeout
    setTimeout(() => {
      if (!command.isResolved) command.reject(new Error('Command timed out'));
    }, this.options.commandTimeout);
  }
  sendFixed(command: Command): void {
    // ok: NLL201 -- kept on the command and cleared when it settles
    command.timer = setTimeout(() => {
      if (!command.isResolved) command.reject(new Error('Command timed out'));
    }, this.options.commandTimeout);
    void command.promise.finally(() => clearTimeout(command.timer));
  }
  private state = { ready: false };
  probe(): void {
    // ok: NLL201 -- it tests the instance's own state, which outlives the call anyway
    setTimeout(() => {
      if (!this.state.ready) this.reconnect();
    }, 10_000);
  }
  private reconnect(): void {}
}

export class Sampler2 {
  private timer: NodeJS.Timeout | null = null;
  start(): void {
    this.timer = null;
    // ruleid: NLL201 -- `stop()` clears `this.timer`, but this interval's handle is discarded
    setInterval(() => this.sample(), 1000);
  }
  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
  private sample(): void {}
}

export class LongPoll {
  // todook: NLL201 -- a public field another module may clear: cross-file clears are not seen
  public timer = setInterval(() => flushMetrics(), 1000);
}

// --- a clear after the handle was overwritten, a clear of a field that never holds it ---------
export class Beacon {
  private timer: NodeJS.Timeout | undefined;
  private pollTimer?: NodeJS.Timeout;
  start(): void {
    // ruleid: NLL201 -- stop() resets the field before clearing it: the clear receives undefined
    this.timer = setInterval(() => this.send(), 1000);
  }
  stop(): void {
    this.timer = undefined;
    clearInterval(this.timer);
  }
  poll(): void {
    // ruleid: NLL201 -- halt() clears `this.pollInterval`, which is never assigned: the handle lives in `this.pollTimer`
    this.pollTimer = setInterval(() => this.send(), 5000);
  }
  halt(): void {
    clearInterval(this.pollInterval);
  }
  private pollInterval?: NodeJS.Timeout;
  private send(): void {}
}

export class FixedBeacon {
  private timer: NodeJS.Timeout | undefined;
  start(): void {
    // ok: NLL201 -- cleared before the field is reset
    this.timer = setInterval(() => this.send(), 1000);
  }
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
  private send(): void {}
}

// --- replacement in module bindings ------------------------------------------------------------
let pollTimer: NodeJS.Timeout | undefined;
fastify.get('/watch', async (request, reply) => {
  // ruleid: NLL201 -- the previous request's interval is orphaned: the close handler clears only the last
  pollTimer = setInterval(() => reply.raw.write('.'), 1000);
  request.raw.on('close', () => clearInterval(pollTimer));
});

let redial: NodeJS.Timeout | undefined;
let wire: Socket | undefined;
function dial(): void {
  wire = connect(7003, 'upstream');
  wire.on('error', () => scheduleDial());
  wire.on('close', () => scheduleDial());
}
function scheduleDial(): void {
  // ruleid: NLL201 -- one failure fires 'error' and 'close': two dials, the first handle lost
  redial = setTimeout(dial, 1000);
}
function scheduleDialFixed(): void {
  if (redial) clearTimeout(redial);
  // ok: NLL201 -- the pending dial is cleared first
  redial = setTimeout(dial, 1000);
}
export function hangUp(): void {
  clearTimeout(redial);
  wire?.destroy();
  scheduleDialFixed();
}

// --- re-arming in a promise's finally ------------------------------------------------------------
export class Refresher {
  private timer?: NodeJS.Timeout;
  private stopped = false;
  constructor(private readonly source: { load(): Promise<void> }) {}
  loop(): void {
    this.source.load().finally(() => {
      // ruleid: NLL201 -- re-armed however the load settles, handle discarded: nothing stops it
      setTimeout(() => this.loop(), 1000);
    });
  }
  loopFixed(): void {
    this.source.load().finally(() => {
      if (this.stopped) return;
      // ok: NLL201 -- kept in a field close() clears, and a stop flag
      this.timer = setTimeout(() => this.loopFixed(), 1000);
    });
  }
  close(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}

// --- an owner that drops an object whose interval still runs -----------------------------------
class Watch {
  private readonly timer: NodeJS.Timeout;
  constructor(private readonly path: string) {
    this.timer = setInterval(() => this.check(), 5000);
  }
  stop(): void {
    clearInterval(this.timer);
  }
  private check(): void {
    void this.path;
  }
}

export class Watcher {
  private readonly watches = new Map<string, Watch>();
  add(path: string): void {
    this.watches.set(path, new Watch(path));
  }
  remove(path: string): void {
    // ruleid: NLL201 -- the Watch's interval keeps running, and keeps it alive
    this.watches.delete(path);
  }
  removeFixed(path: string): void {
    this.watches.get(path)?.stop();
    // ok: NLL201 -- stopped before it is dropped
    this.watches.delete(path);
  }
}

// --- a framework node whose per-message timeouts outlive it (Node-RED) ---------------------------
interface RedNode {
  on(event: string, fn: (msg: unknown) => void): void;
  send(msg: unknown): void;
}
interface RedApi {
  nodes: { createNode(node: RedNode, config: unknown): void; registerType(n: string, f: unknown): void };
}
export function registerDelay(RED: RedApi): void {
  function DelayNode(this: RedNode, config: { ms: number }): void {
    RED.nodes.createNode(this, config);
    this.on('input', (msg) => {
      // ruleid: NLL201 -- no 'close' handler: pending timeouts outlive a redeploy
      setTimeout(() => this.send(msg), config.ms);
    });
  }
  RED.nodes.registerType('delay', DelayNode);

  function FixedDelayNode(this: RedNode, config: { ms: number }): void {
    RED.nodes.createNode(this, config);
    let pending: NodeJS.Timeout | undefined;
    this.on('input', (msg) => {
      // ok: NLL201 -- the close handler clears it
      pending = setTimeout(() => this.send(msg), config.ms);
    });
    this.on('close', () => clearTimeout(pending));
  }
  RED.nodes.registerType('delay-fixed', FixedDelayNode);
}

declare function flushMetrics(): void;
export { metrics };

// --- the end of a connection the instance ends itself is its teardown ------------------------
import type { Socket } from 'node:net';

export class Channel {
  private pingTimer?: NodeJS.Timeout;
  private idleTimer?: NodeJS.Timeout;
  private lagTimer?: NodeJS.Timeout;

  constructor(private readonly socket: Socket) {
    this.socket.on('close', () => this.onSocketClose());
    // ok: NLL201 -- the handler of its socket's 'close' clears it, and `close()` ends the socket
    this.pingTimer = setInterval(() => this.socket.write('ping'), 5000);
    // ruleid: NLL201 -- teardown (`close()`, the socket's 'close') clears the other two, not this one
    this.lagTimer = setInterval(() => this.measure(), 1000);
  }

  touch(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.close(), 30000);
  }

  measure(): void {}

  private onSocketClose(): void {
    clearInterval(this.pingTimer);
  }

  close(): void {
    clearTimeout(this.idleTimer);
    this.socket.end();
  }
}

// A handle shared by every connection of one server: a clear written above the assignment
// runs later, when that connection closes, and by then holds the latest connection's timer.
export class PingBridge {
  private readonly wss: WebSocketServer;

  constructor(port: number) {
    this.wss = new WebSocketServer({ port });
    this.listen();
  }

  private listen(): void {
    let ping: NodeJS.Timeout | undefined;
    this.wss.on('connection', (ws: WebSocket) => {
      ws.on('close', () => {
        if (ping) clearInterval(ping);
      });
      // ruleid: NLL201 -- every connection overwrites the one `ping` handle: closes clear only the last
      ping = setInterval(() => ws.ping(), 30_000);
    });
  }
}

export class FixedPingBridge {
  private readonly wss: WebSocketServer;

  constructor(port: number) {
    this.wss = new WebSocketServer({ port });
    this.listen();
  }

  private listen(): void {
    this.wss.on('connection', (ws: WebSocket) => {
      // ok: NLL201 -- one handle per connection, cleared when that connection closes
      const ping = setInterval(() => ws.ping(), 30_000);
      ws.on('close', () => clearInterval(ping));
    });
  }
}

export class PausablePool {
  private running = 0;

  async pause(timeoutMs?: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      let timeout: NodeJS.Timeout | undefined;
      if (timeoutMs) {
        timeout = setTimeout(() => reject(new Error('pause timed out')), timeoutMs);
      }
      // ruleid: NLL201 -- the timeout settles the promise without clearing the poller
      const interval = setInterval(() => {
        if (this.running <= 0) {
          if (timeout) clearTimeout(timeout);
          clearInterval(interval);
          resolve();
        }
      }, 500);
    });
  }

  async pauseFixed(timeoutMs?: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      let timeout: NodeJS.Timeout | undefined;
      let interval: NodeJS.Timeout;
      if (timeoutMs) {
        timeout = setTimeout(() => {
          clearInterval(interval);
          reject(new Error('pause timed out'));
        }, timeoutMs);
      }
      // ok: NLL201 -- cleared on the timeout too
      interval = setInterval(() => {
        if (this.running <= 0) {
          if (timeout) clearTimeout(timeout);
          clearInterval(interval);
          resolve();
        }
      }, 500);
    });
  }
}

export class SignalledPool {
  private running = 0;

  async drain(timeoutMs: number): Promise<void> {
    let timedOut = false;
    await new Promise<void>((resolve, reject) => {
      setTimeout(() => {
        timedOut = true;
        reject(new Error('drain timed out'));
      }, timeoutMs);
      // ok: NLL201 -- the timeout sets `timedOut`, which the next run reads before it clears
      const interval = setInterval(() => {
        if (timedOut || this.running <= 0) {
          clearInterval(interval);
          resolve();
        }
      }, 500);
    });
  }
}

// A teardown that clears its timer fields by name, walking a literal list of them.
export class Housekeeper {
  private _sweepInterval?: NodeJS.Timeout;
  private _metricsInterval?: NodeJS.Timeout;
  public async start(): Promise<void> {
    await this.stop();
    // ok: NLL201 -- stop() clears this[name] for each name in its list, `_sweepInterval` among them
    this._sweepInterval = setInterval(() => this.sweep(), 60000);
    this._metricsInterval = setInterval(() => this.sweep(), 60000); // ok: NLL201
  }
  public async stop(): Promise<void> {
    for (const name of ["_sweepInterval", "_metricsInterval"] as const) {
      clearInterval(this[name]);
      this[name] = undefined;
    }
  }
  private sweep(): void {}
}
export class HalfKeeper {
  private _sweepInterval?: NodeJS.Timeout;
  private _metricsInterval?: NodeJS.Timeout;
  public async start(): Promise<void> {
    await this.stop();
    // ruleid: NLL201 -- the list stop() walks does not name `_sweepInterval`
    this._sweepInterval = setInterval(() => this.sweep(), 60000);
  }
  public async stop(): Promise<void> {
    for (const name of ["_metricsInterval"] as const) {
      clearInterval(this[name]);
    }
  }
  private sweep(): void {}
}

// --- a handle kept on an object the code was handed: medium (cleared elsewhere, maybe) --------
interface Session {
  socket: { ping(): void; pingTimer?: ReturnType<typeof setInterval> };
}
export function startPinging(session: Session): void {
  // ruleid: NLL201 -- medium: the connection's close handler elsewhere may clear `pingTimer`
  session.socket.pingTimer = setInterval(() => session.socket.ping(), 30_000);
}

// --- a clear right before re-arming is not teardown (SPEC §1 Teardown completeness) ---------
export class Refresher {
  private interval?: NodeJS.Timeout;
  onMediaChange(media: { type: string; id: string }): void {
    if (this.interval) clearInterval(this.interval);
    if (media.type === 'gd') this.startRefresh(media);
  }
  private startRefresh(media: { id: string }): void {
    // ruleid: NLL201 -- only `onMediaChange()` clears it, right before re-arming: the last one is never cleared
    this.interval = setInterval(() => this.refresh(media.id), 55 * 60 * 1000);
  }
  private refresh(id: string): void {}
}
export class Heartbeat {
  private timer?: NodeJS.Timeout;
  constructor(private readonly socket: Socket) {}
  restart(ms: number): void {
    clearInterval(this.timer);
    // ruleid: NLL201 -- cleared only before re-arming; `destroy()` does not clear it
    this.timer = setInterval(() => this.socket.write('ping'), ms);
  }
  destroy(): void {
    this.socket.destroy();
  }
}
export class StoppedHeartbeat {
  private timer?: NodeJS.Timeout;
  constructor(private readonly socket: Socket) {}
  restart(ms: number): void {
    clearInterval(this.timer);
    // ok: NLL201 -- `destroy()` clears it too
    this.timer = setInterval(() => this.socket.write('ping'), ms);
  }
  destroy(): void {
    clearInterval(this.timer);
    this.socket.destroy();
  }
}
export class Pinger {
  private timer?: NodeJS.Timeout;
  constructor(private readonly socket: Socket) {}
  start(): void {
    clearInterval(this.timer);
    // ok: NLL201 -- the socket's 'close' handler clears it: a clear in a callback is not a re-arm
    this.timer = setInterval(() => this.socket.write('ping'), 1000);
    this.socket.on('close', () => clearInterval(this.timer));
  }
}

// --- teardown that releases the instance's parts but forgets its interval -----------------
export class Poller {
  private timer: NodeJS.Timeout;
  constructor(private readonly socket: Socket) {
    // ruleid: NLL201 -- `destroy()` destroys the socket but only `pause()` clears the interval
    this.timer = setInterval(() => this.socket.write('ping'), 1000);
  }
  pause(): void {
    clearInterval(this.timer);
  }
  destroy(): void {
    this.socket.destroy();
  }
}
export class GoodPoller {
  private timer: NodeJS.Timeout;
  constructor(private readonly socket: Socket) {
    // ok: NLL201 -- `destroy()` calls `pause()`, which clears it
    this.timer = setInterval(() => this.socket.write('ping'), 1000);
  }
  pause(): void {
    clearInterval(this.timer);
  }
  destroy(): void {
    this.pause();
    this.socket.destroy();
  }
}
