// Annotated cases for NLL101 unremoved-listener (TypeScript: NestJS, Fastify, Socket.IO, ws).
import { EventEmitter, once } from 'node:events';
import { Socket, connect } from 'node:net';
import type { ClientRequest } from 'node:http';
import Fastify, { FastifyReply, FastifyRequest } from 'fastify';
import { Controller, Get, Injectable, Res, Req } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { WebSocketGateway, SubscribeMessage, ConnectedSocket } from '@nestjs/websockets';
import { Server, Socket as IoSocket } from 'socket.io';
import { WebSocketServer, WebSocket } from 'ws';
import type { Request, Response } from 'express';

interface Order {
  id: string;
}

export const orders = new EventEmitter();
const server = Fastify();

// --- NestJS: constructor-injected emitter in a decorated (singleton) class ---------------
@Controller('orders')
export class OrdersController {
  constructor(private readonly events: EventEmitter2) {}

  @Get('stream')
  stream(@Req() req: Request, @Res() res: Response): void {
    // ruleid: NLL101
    this.events.on('order.created', (order: Order) => res.write(JSON.stringify(order)));
  }

  @Get('stream-clean')
  streamClean(@Res() res: Response): void {
    const onOrder = (order: Order) => res.write(JSON.stringify(order));
    // ok: NLL101 -- removed when the response closes
    this.events.on('order.created', onOrder);
    res.on('close', () => this.events.off('order.created', onOrder));
  }

  @Get('module-emitter')
  fromModule(@Res() res: Response): void {
    // ruleid: NLL101
    orders.on('created', (order: Order) => res.write(order.id));
  }
}

@Injectable()
export class AuditService {
  private readonly seen: string[] = [];

  constructor(private readonly bus: EventEmitter2) {
    // ok: NLL101 -- the constructor of a DI singleton runs once
    bus.on('audit', (entry: string) => this.seen.push(entry));
    // ok: NLL101 -- the constructor of a DI singleton runs once
    process.on('beforeExit', () => this.flush());
  }

  flush(): void {}
}

// --- NestJS gateway ----------------------------------------------------------------------
@WebSocketGateway()
export class ChatGateway {
  constructor(private readonly bus: EventEmitter2) {}

  @SubscribeMessage('join')
  join(@ConnectedSocket() client: IoSocket): void {
    // ruleid: NLL101
    this.bus.on('room', (msg: string) => client.emit('room', msg));
    // ok: NLL101 -- per-connection socket
    client.on('leave', () => client.disconnect());
  }
}

// --- Fastify -----------------------------------------------------------------------------
server.get('/events', async (request: FastifyRequest, reply: FastifyReply) => {
  // ruleid: NLL101
  orders.on('created', (order: Order) => reply.raw.write(order.id));
});

server.get('/raw-socket', async (request: FastifyRequest, reply: FastifyReply) => {
  // ruleid: NLL101
  request.raw.socket.on('timeout', () => reply.code(408).send());
});

server.route({
  method: 'GET',
  url: '/events-clean',
  handler: async (request: FastifyRequest, reply: FastifyReply) => {
    const onOrder = (order: Order) => reply.raw.write(order.id);
    // ok: NLL101 -- removed when the raw request closes
    orders.on('created', onOrder);
    request.raw.on('close', () => orders.off('created', onOrder));
  },
});

server.addHook('onRequest', async (request: FastifyRequest) => {
  // ruleid: NLL101
  process.once('SIGTERM', () => request.log.info('shutting down'));
});

server.get('/wait', async (request: FastifyRequest, reply: FastifyReply) => {
  // ruleid: NLL101
  await once(orders, 'error');
  return reply.send('done');
});

// --- ws ----------------------------------------------------------------------------------
const wss = new WebSocketServer({ noServer: true });
wss.on('connection', (ws: WebSocket) => {
  // ruleid: NLL101
  orders.on('created', (order: Order) => ws.send(order.id));
  // ok: NLL101 -- the per-connection socket dies with the connection
  ws.on('message', (data) => ws.send(data));
  const onOrder = (order: Order): void => ws.send(order.id);
  // ok: NLL101 -- removed when the socket closes
  orders.on('created', onOrder);
  ws.on('close', () => orders.off('created', onOrder));
});

// --- Socket.IO ---------------------------------------------------------------------------
const io = new Server(3000);
io.on('connection', (socket: IoSocket) => {
  // ruleid: NLL101
  orders.addListener('created', (order: Order) => socket.emit('order', order));
  // ok: NLL101 -- 'disconnect' on the per-connection socket
  socket.on('disconnect', () => console.log('bye'));
});

// --- plain classes -------------------------------------------------------------------------
export class Tracker extends EventEmitter {
  private socket: Socket = new Socket();

  constructor() {
    super();
    // ok: NLL101 -- registered once per instance on a field the instance owns
    this.socket.on('data', (d: Buffer) => this.emit('data', d));
  }

  watch(id: string): void {
    // ruleid: NLL101
    this.on('frame', (d: Buffer) => this.emit(id, d));
  }

  watchData(id: string): void {
    // ruleid: NLL101 -- per call, on the socket the instance keeps: its own events are not this call's work
    this.socket.on('data', (d: Buffer) => this.emit(id, d));
  }

  watchQuietly(): void {
    // ok: NLL101 -- no per-call state captured: an undecorated instance's method may run once
    this.socket.on('end', () => this.emit('end'));
  }

  reconnect(host: string): void {
    this.socket = connect(80, host);
    // ok: NLL101 -- this.socket is replaced in this call
    this.socket.on('error', (e: Error) => this.emit('error', e, host));
  }

  listen(onData: (d: Buffer) => void): () => void {
    // ok: NLL101 -- the handler is the caller's, and a disposer is returned
    this.socket.on('data', onData);
    return () => this.socket.off('data', onData);
  }
}

export class Pool {
  private readonly ac = new AbortController();

  acquire(id: string, target: EventTarget): void {
    // ok: NLL101 -- the controller is aborted in close()
    target.addEventListener('release', () => this.release(id), { signal: this.ac.signal });
  }

  release(id: string): void {}

  close(): void {
    this.ac.abort();
  }
}

export class Registry {
  private static readonly bus = new EventEmitter();

  register(name: string): void {
    // ruleid: NLL101
    Registry.bus.on('reload', () => console.log(name));
  }
}

// --- AbortSignal of unknown lifetime --------------------------------------------------------
export async function fetchWithSignal(url: string, signal: AbortSignal): Promise<string> {
  const ac = new AbortController();
  // ruleid: NLL101
  signal.addEventListener('abort', () => ac.abort(), { once: true });
  const res = await fetch(url, { signal: ac.signal });
  return res.text();
}

export async function fetchWithSignalClean(url: string, signal: AbortSignal): Promise<string> {
  const ac = new AbortController();
  const onAbort = (): void => ac.abort();
  // ok: NLL101 -- removed when the request settles
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const res = await fetch(url, { signal: ac.signal });
    return await res.text();
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

// --- known gaps ------------------------------------------------------------------------------
export async function checkout(pool: { connect(): Promise<Socket> }, id: string): Promise<void> {
  const conn = await pool.connect();
  // todoruleid: NLL101 -- a pooled connection outlives the checkout; calls' results are not judged
  conn.on('error', (e: Error) => console.error(id, e));
}

export function aliasRemoval(res: Response): void {
  const onOrder = (order: Order) => res.write(order.id);
  const same = onOrder;
  // todook: NLL101 -- removal through an alias of the handler is not followed
  orders.on('created', onOrder);
  res.on('close', () => orders.off('created', same));
}

// --- shapes from real code that are not leaks --------------------------------------------
export class MysqlLikeDriver {
  prepare(connection: EventEmitter, logger: { log(msg: string): void }): void {
    if (connection.listeners('error').length === 0) {
      // ok: NLL101 -- guarded: only the first call adds the listener
      connection.on('error', (error: Error) => logger.log(String(error)));
    }
  }
}

export function addAbortAlgorithm(signal: AbortSignal, run: () => void, cleanup?: AbortSignal): void {
  // ok: NLL101 -- a { signal } from the caller (in either arm of the options) is assumed to abort
  signal.addEventListener('abort', () => run(), cleanup ? { once: true, signal: cleanup } : { signal: cleanup });
}

// --- computed fields and `self` aliases are the same storage location ---------------------------
const kSocket = Symbol('socket');

export class Session {
  private [kSocket]: Socket;
  constructor(socket: Socket) {
    this[kSocket] = socket;
  }
  attach(onPacket: (b: Buffer) => void): void {
    const self = this;
    const onEnd = (): void => self.detach(onPacket);
    // ok: NLL101 -- removed through `self[kSocket]`, the same field
    this[kSocket].on('data', onPacket);
    // ok: NLL101 -- 'end' fires once, when the socket the instance keeps ends; its listeners go with it
    this[kSocket].on('end', onEnd);
  }
  detach(onPacket: (b: Buffer) => void): void {
    const self = this;
    self[kSocket].removeListener('data', onPacket);
  }
}

export class Reconnector {
  private readonly notifier = new EventEmitter();
  wait(done: () => void): void {
    // ruleid: NLL101 -- alternative outcomes: neither listener removes the other
    this.notifier.once('reconnected', () => done());
    // ok: NLL101 -- reported with its rival on the line above
    this.notifier.once('gaveUp', () => done());
  }
}

export function fetchVia(agentRequest: import('node:http').ClientRequest, res: Response): void {
  agentRequest.on('socket', (socket: Socket) => {
    // ruleid: NLL101 -- the agent's keep-alive socket outlives this request
    socket.on('close', () => res.end());
  });
}

export class Command {
  constructor(private readonly conn: Socket) {}
  execute(payload: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const onData = (reply: Buffer): void => {
        this.conn.off('data', onData);
        resolve(reply);
      };
      // ok: NLL101 -- removed by its own handler
      this.conn.on('data', onData);
      // ruleid: NLL101 -- the command removes its 'data' listener from the borrowed connection but never this one
      this.conn.on('timeout', () => reject(new Error('timeout')));
      this.conn.write(payload);
    });
  }
}

// --- removal only on one path: the work can end another way with the listener attached -------
interface Job {
  start(): EventEmitter;
}

export class Transfer {
  constructor(private readonly link: EventEmitter) {}
  run(job: Job, done: (err?: Error) => void): void {
    const onDrop = (): void => done(new Error('dropped'));
    const upload = job.start();
    // ruleid: NLL101 -- removed when the upload fails, not when it completes
    this.link.on('drop', onDrop);
    upload.on('error', (err: Error) => {
      this.link.off('drop', onDrop);
      done(err);
    });
    upload.on('complete', () => done());
  }
  runFixed(job: Job, done: (err?: Error) => void): void {
    const onDrop = (): void => done(new Error('dropped'));
    const upload = job.start();
    // ok: NLL101 -- removed when the upload closes, however it ends
    this.link.on('drop', onDrop);
    upload.on('error', (err: Error) => done(err));
    upload.on('complete', () => done());
    upload.on('close', () => this.link.off('drop', onDrop));
  }
}

export function relay(upstream: EventEmitter, queue: { add(): EventEmitter }, send: (m: string) => void): void {
  const onMessage = (m: string): void => send(m);
  const job = queue.add();
  // ruleid: NLL101 -- removed only when the job fails, not when it is done
  upstream.on('message', onMessage);
  job.once('failed', () => {
    upstream.off('message', onMessage);
    send('failed');
  });
  job.once('done', () => send('bye'));
}

// --- mismatched removal: the removal names another function ------------------------------------
export class Subscription {
  constructor(private readonly feed: EventEmitter) {}
  open(id: string): void {
    // ruleid: NLL101 -- close() removes a new bound function, never this one
    this.feed.on('update', this.onUpdate.bind(this, id));
  }
  close(id: string): void {
    this.feed.off('update', this.onUpdate.bind(this, id));
  }
  private readonly boundUpdate = (u: string): void => this.onUpdate('all', u);
  openFixed(): void {
    // ok: NLL101 -- the field holds one function, the one closeFixed() removes
    this.feed.on('update', this.boundUpdate);
  }
  closeFixed(): void {
    this.feed.off('update', this.boundUpdate);
  }
  private onUpdate(id: string, update: string): void {
    void id;
    void update;
  }
}

// --- listeners Node adds for a callback: socket.connect(port, host, cb) ----------------------
export class Link {
  private readonly socket: Socket = new Socket();
  private retry?: NodeJS.Timeout;
  constructor(private readonly port: number) {
    this.socket.on('error', () => undefined);
    this.socket.on('close', () => {
      this.retry = setTimeout(() => this.open(), 1000);
    });
  }
  open(): void {
    // ruleid: NLL101 -- every retry adds a once('connect') that never fires while the peer is down
    this.socket.connect(this.port, 'peer', () => this.ready());
  }
  openFixed(): void {
    this.socket.removeAllListeners('connect');
    this.socket.once('connect', () => this.ready());
    // ok: NLL101 -- no callback: the one pending 'connect' listener is replaced per attempt
    this.socket.connect(this.port, 'peer');
  }
  close(): void {
    clearTimeout(this.retry);
    this.socket.destroy();
  }
  private ready(): void {}
}

// --- removal only on the error path ----------------------------------------------------------
export class Courier {
  constructor(private readonly link: EventEmitter) {}
  async deliver(parcel: string, notify: (m: string) => void): Promise<void> {
    const onLost = (): void => notify(`lost ${parcel}`);
    // ruleid: NLL101 -- removed when the delivery throws, not when it succeeds
    this.link.on('lost', onLost);
    try {
      await ship(parcel);
      notify('delivered');
    } catch (err) {
      this.link.off('lost', onLost);
      notify('failed');
      throw err;
    }
  }
  async deliverFixed(parcel: string, notify: (m: string) => void): Promise<void> {
    const onLost = (): void => notify(`lost ${parcel}`);
    // ok: NLL101 -- removed in finally, on both outcomes
    this.link.on('lost', onLost);
    try {
      await ship(parcel);
      notify('delivered');
    } finally {
      this.link.off('lost', onLost);
    }
  }
}
declare function ship(parcel: string): Promise<void>;

server.get('/slow', async (request: FastifyRequest, reply: FastifyReply) => {
  // ruleid: NLL101 -- once('timeout') on the keep-alive socket, one more per request
  request.raw.socket.setTimeout(30_000, () => reply.code(408).send());
  return reply.send('ok');
});

import { createServer } from 'node:http';

createServer((req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/event-stream' });
  const beat = setInterval(() => res.write(': beat\n\n'), 15_000);
  // ok: NLL101 -- an event stream never ends: this socket carries no other request
  req.socket.on('close', () => clearInterval(beat));
}).listen(8080);

// A helper handed each outgoing request: Node 20's agent keeps sockets alive and reuses them.
export const armSocketTimeout = (request: ClientRequest, reject: (err: Error) => void): void => {
  const onTimeout = (): void => {
    request.destroy();
    reject(new Error('socket timed out'));
  };
  if (request.socket) {
    // ruleid: NLL101 -- once('timeout') on the agent's reused socket, one more per request
    request.socket.setTimeout(30_000, onTimeout);
  }
};
export const armSocketTimeoutFixed = (
  request: ClientRequest,
  reject: (err: Error) => void,
): void => {
  const onTimeout = (): void => {
    request.destroy();
    reject(new Error('socket timed out'));
  };
  if (request.socket) {
    // ok: NLL101 -- removed from the socket when the request closes
    request.socket.setTimeout(30_000, onTimeout);
    request.on('close', () => request.socket?.removeListener('timeout', onTimeout));
  }
};

export class Provider {
  constructor(private readonly doc: EventEmitter) {
    // ok: NLL101 -- the removal in destroy() names the function bound below, not this handler
    this.doc.on('update', () => this.touch());
    // ruleid: NLL101 -- destroy() removes `this.onUpdate`, not the new function `.bind` made
    this.doc.on('update', this.onUpdate.bind(this));
  }
  destroy(): void {
    this.doc.off('update', this.onUpdate);
  }
  private onUpdate(): void {}
  private touch(): void {}
}

// A wrapper keeps the connection it was given and forwards its events for its own life:
// the listeners live exactly as long as the pair (evidence: `this.connection = connection`).
export class ChannelModel extends EventEmitter {
  private readonly connection: EventEmitter;
  constructor(connection: EventEmitter) {
    super();
    this.connection = connection;
    for (const ev of ['error', 'blocked', 'unblocked']) {
      // ok: NLL101
      connection.on(ev, this.emit.bind(this, ev));
    }
  }
}

// A function that gives the object it was given its whole event API (listeners for many
// events, not one operation's outcome) sets that object up: the listeners live with it.
type Chat = { input(d: unknown): void; names(d: unknown): void; signOut(): void };
export class ClientServer {
  initializeClient(socket: EventEmitter, client: Chat): void {
    // ok: NLL101
    socket.on('input', (data: unknown) => client.input(data));
    // ok: NLL101
    socket.on('names', (data: unknown) => client.names(data));
    // ok: NLL101
    socket.on('sign-out', () => client.signOut());
  }
}

// A field that only ever holds a module-level emitter is that emitter: a listener added to
// it in a method outlives the instance, one more per instance.
const sharedEmitters: Record<string, EventEmitter> = { inbound: new EventEmitter() };
const inboundEmitter = (): EventEmitter => sharedEmitters.inbound;
export class InboundListener {
  private emitter: EventEmitter;
  private local = new EventEmitter();
  constructor(private log: (data: unknown) => void) {
    this.emitter = inboundEmitter();
  }
  init(): void {
    // ruleid: NLL101
    this.emitter.on('newInbound', (data: unknown) => this.log(data));
    // ok: NLL101
    this.local.on('newInbound', (data: unknown) => this.log(data));
  }
}
// --- Framework lifecycles (semantics/frameworks.py) -------------------------------------
// MQTT: the client reconnects by itself and fires 'connect' on every reconnect, so a
// listener added inside it is added again each time.
import * as mqtt from 'mqtt';
const sensors = mqtt.connect('mqtt://broker');
sensors.on('connect', () => {
  sensors.subscribe('sensors/#');
  // ruleid: NLL101
  sensors.on('message', (topic: string, payload: Buffer) => orders.emit(topic, payload));
});

// Subscribing once, outside 'connect', keeps one listener across reconnects.
const meters = mqtt.connect('mqtt://broker');
// ok: NLL101
meters.on('message', (topic: string, payload: Buffer) => orders.emit(topic, payload));
meters.on('connect', () => meters.subscribe('meters/#'));

// http-proxy 0.x: the third parameter of a `createServer` handler is the routing proxy the
// server shares across all requests.
import * as httpProxy from 'http-proxy';
httpProxy.createServer((request: unknown, response: Response, proxy: EventEmitter) => {
  // ruleid: NLL101
  proxy.on('proxyError', (err: Error) => response.end(`Proxy error: ${err}`));
});

let proxyErrorWired = false;
httpProxy.createServer((request: unknown, response: Response, proxy: EventEmitter) => {
  if (!proxyErrorWired) {
    proxyErrorWired = true;
    // ok: NLL101 -- a latch the region sets itself: added once
    proxy.on('proxyError', (err: Error) => console.error(`Proxy error: ${err}`));
  }
});

// AngularJS directives written in TypeScript: `link` runs per element.
declare const angular: { module(name: string): { directive(name: string, f: () => object): void } };
angular.module('dash').directive('chart', () => ({
  link(scope: { $on(e: string, f: () => void): void; width: number }) {
    const onResize = (): void => {
      scope.width = window.innerWidth;
    };
    // ruleid: NLL101
    window.addEventListener('resize', onResize);
  },
}));
angular.module('dash').directive('gauge', () => ({
  link(scope: { $on(e: string, f: () => void): void; width: number }) {
    const onResize = (): void => {
      scope.width = window.innerWidth;
    };
    // ok: NLL101 -- removed when the directive's scope is destroyed
    window.addEventListener('resize', onResize);
    scope.$on('$destroy', () => window.removeEventListener('resize', onResize));
  },
}));

// commander: a command's action runs once per process.
import { Command } from 'commander';
const cli = new Command();
cli.command('serve').action((options: { port: number }) => {
  const http = Fastify();
  // ok: NLL101 -- runs once
  process.on('SIGUSR2', () => http.close());
  void http.listen({ port: options.port });
});

// Start-up code of unknown repetition: listeners for the signals that end the process are
// its shutdown path.
export function startApp(app: { close(reason: string): void }): void {
  // ok: NLL101 -- the process ends on SIGTERM
  process.on('SIGTERM', () => app.close('SIGTERM'));
  // ok: NLL101
  process.on('SIGINT', () => app.close('SIGINT'));
}

server.get('/shutdown-hook', async (request: FastifyRequest, reply: FastifyReply) => {
  // ruleid: NLL101 -- per request
  process.on('SIGTERM', () => reply.send('bye'));
});

// Job queues, schedulers and chat bots run their handlers per job or per message.
import cron from 'node-cron';
import Bull from 'bull';
import { Telegraf } from 'telegraf';
import { io } from 'socket.io-client';
const reports = new Bull('reports');
const bot = new Telegraf(process.env.BOT_TOKEN ?? '');
cron.schedule('0 * * * *', () => {
  const startedAt = Date.now();
  // ruleid: NLL101
  orders.on('created', () => console.log(Date.now() - startedAt));
});
reports.process(async (job: { log(s: string): void }) => {
  // ruleid: NLL101
  orders.on('shipped', () => job.log('shipped'));
});
bot.hears('status', (ctx: { reply(s: string): void }) => {
  // ruleid: NLL101
  orders.on('status', (status: string) => ctx.reply(status));
});
// Registered once at start-up, outside any job: one listener.
// ok: NLL101
orders.on('cancelled', (order: Order) => console.log(order.id));

// socket.io's client reconnects by itself: 'connect' fires again each time.
const quotes = io('https://quotes.example');
quotes.on('connect', () => {
  // ruleid: NLL101
  quotes.on('quote', (quote: unknown) => orders.emit('quote', quote));
});
// ok: NLL101 -- subscribed once, outside 'connect'
quotes.on('trade', (trade: unknown) => orders.emit('trade', trade));
// --- latches: a region guarded by a flag it sets runs once per owner of the flag -----------
let warningsHooked = false;
server.get('/hook-once', async (req: FastifyRequest, reply: FastifyReply) => {
  if (!warningsHooked) {
    warningsHooked = true;
    // ok: NLL101 -- latched by a module-level flag: registered once per process
    process.on('warning', (w: Error) => console.warn(w.message));
  }
  return reply.send('ok');
});

let shuttingDown = false;
server.post('/drain', async (req: FastifyRequest, reply: FastifyReply) => {
  if (shuttingDown) return reply.send('already');
  shuttingDown = true;
  // ok: NLL101 -- an early exit latched by a module-level flag: once per process
  process.on('beforeExit', (code: number) => console.log('drained', code));
  return reply.send('ok');
});

export class JobRunner {
  private hooked = false;
  run(job: { cancel(): void }): void {
    if (this.hooked) return;
    this.hooked = true;
    // ruleid: NLL101
    process.on('exit', () => job.cancel());
  }
}

server.get('/local-flag', async (req: FastifyRequest, reply: FastifyReply) => {
  let once = false;
  if (once) return reply.send('no');
  once = true;
  // ruleid: NLL101
  process.on('warning', () => reply.log.warn('warned'));
  return reply.send('ok');
});

// A latch whose flag is a local of the function around the handler is kept between the
// handler's runs: the listener is added once per server, not once per request.
export function createGuardedProxyServer(): unknown {
  let proxyErrorWired = false;
  return httpProxy.createServer((request: unknown, response: Response, proxy: EventEmitter) => {
    if (!proxyErrorWired) {
      // ok: NLL101
      proxy.on('proxyError', (err: Error) => console.error(`Proxy error: ${err}`));
      proxyErrorWired = true;
    }
  });
}

// A function that adds its caller's listener to a shared emitter: the caller owns that
// listener, so the call is judged.
const ticks = new EventEmitter();
function onTick(listener: (t: number) => void): void {
  ticks.on('tick', listener);
}
function offTick(listener: (t: number) => void): void {
  ticks.off('tick', listener);
}
export function tickStream(req: Request, res: Response): void {
  // ruleid: NLL101
  onTick((t: number) => res.write(`tick ${t}\n`));
}
export function cleanedTickStream(req: Request, res: Response): void {
  const listener = (t: number): void => {
    res.write(`tick ${t}\n`);
  };
  // ok: NLL101 -- handed to the counterpart when the request ends
  onTick(listener);
  req.on('close', () => offTick(listener));
}

// A registrar that returns its own disposer: a caller that keeps it can remove the listener.
function watchTicks(listener: (t: number) => void): () => void {
  ticks.on('tick', listener);
  return () => ticks.off('tick', listener);
}
export function watchStream(req: Request, res: Response): void {
  // ok: NLL101 -- the disposer is kept and called when the request closes
  const stop = watchTicks((t: number) => res.write(`tick ${t}\n`));
  req.on('close', stop);
}
export function droppedWatchStream(req: Request, res: Response): void {
  // ruleid: NLL101
  watchTicks((t: number) => res.write(`tick ${t}\n`));
}

// A page's start-up: 'DOMContentLoaded' fires once per page, so what it runs runs once.
function initPage(): void {
  // ok: NLL101 -- added once, when the page is ready
  document.addEventListener('click', (event: MouseEvent) => console.log(event.target));
}
document.addEventListener('DOMContentLoaded', initPage);

// A reconnect path that clears the client's listeners before setting them up again.
const remote = new EventEmitter();
function setupRemoteListeners(): void {
  // ok: NLL101 -- the caller clears every listener before each setup
  remote.on('scene-changed', (scene: string) => console.log(scene));
}
export function reconnectRemote(): void {
  remote.removeAllListeners();
  setupRemoteListeners();
  setTimeout(reconnectRemote, 10000);
}

const leakyRemote = new EventEmitter();
function setupLeakyListeners(): void {
  // ruleid: NLL101
  leakyRemote.on('scene-changed', (scene: string) => console.log(scene));
}
export function reconnectLeaky(): void {
  setupLeakyListeners();
  setTimeout(reconnectLeaky, 10000);
}

// Electron: 'will-finish-launching' fires once per process, so what it runs runs once.
import { app as electronApp } from 'electron';
function handleWillFinishLaunching(): void {
  // ok: NLL101 -- added once, while the app launches
  electronApp.on('open-url', (_event: unknown, url: string) => console.log(url));
}
electronApp.on('will-finish-launching', handleWillFinishLaunching);

// A property of an object literal made in this run, holding something also made there, is
// fresh: the listener goes with the replaced object. One holding a shared emitter is not.
const instances: Record<string, { process?: { logic: EventEmitter }; shared?: { logic: EventEmitter } }> = {};
const sharedLogic = new EventEmitter();
function startInstance(id: string, factory: () => EventEmitter): void {
  const instance = instances[id];
  instance.process = { logic: factory() };
  // ok: NLL101 -- a new object per start; the old one and its listener are dropped
  instance.process.logic.on('exit', (code: number) => console.log(id, code));
  instance.shared = { logic: sharedLogic };
  // ruleid: NLL101
  instance.shared.logic.on('exit', (code: number) => console.log(id, code));
}
setInterval(() => startInstance('a', () => new EventEmitter()), 1000);

// A module binding the calling run has just filled with an object it constructed passes
// that run's object to the helper: the helper's listener goes with it. A binding that keeps
// one shared object passes the shared one.
let mainWindow: BrowserWindow | undefined;
const sharedContents = new EventEmitter();
function watchNavigation(contents: EventEmitter): void {
  // ok: NLL101 -- each caller passes contents of a window it has just constructed
  contents.on('will-navigate', (event: { preventDefault(): void }) => event.preventDefault());
}
function openMainWindow(): void {
  mainWindow = new BrowserWindow({ width: 800 });
  watchNavigation(mainWindow.webContents);
}
ipcMain.on('open-window', openMainWindow);
ipcMain.on('open-extra', () => {
  const win = new BrowserWindow({ width: 400 });
  watchNavigation(win.webContents);
});
function watchShared(contents: EventEmitter): void {
  // ruleid: NLL101
  contents.on('will-navigate', (event: { preventDefault(): void }) => event.preventDefault());
}
ipcMain.on('reload', () => watchShared(sharedContents));

// A listener that removes itself only when a matching event arrives: when the session ends
// first, it stays on the shared subscriber.
export class Handler {
  constructor(private readonly sub: EventEmitter) {}
  hello(session: { id: string }, callback: (err: Error | null, state: string) => void): void {
    // ruleid: NLL101 -- removed only when this call's final state arrives; a session that closes first leaves it
    this.sub.on('message', function listener(this: unknown, channel: string, state: string) {
      if (channel === session.id && state === 'terminated') {
        sub.removeListener('message', listener);
      }
      callback(null, state);
    });
    const sub = this.sub;
  }
  waitOnce(callback: (err: Error | null, state: string) => void): void {
    const sub = this.sub;
    // ok: NLL101 -- removed by the first event it receives, whatever it is: `once` by hand
    sub.on('message', function listener(channel: string, state: string) {
      sub.removeListener('message', listener);
      callback(null, state);
    });
  }
}

// A test that only asks whether the target is there (an optional `{ signal }`) is no latch:
// the region runs on every call that passes one. A test the region answers itself still is.
export async function mapWithSignal<T>(
  items: T[],
  mapper: (item: T) => Promise<T>,
  { signal }: { signal?: AbortSignal } = {},
): Promise<T[]> {
  return new Promise((resolve, reject) => {
    if (typeof signal !== 'undefined') {
      // ruleid: NLL101
      signal.addEventListener('abort', () => reject(signal.reason));
    }
    Promise.all(items.map(mapper)).then(resolve, reject);
  });
}
export async function mapWithSignalCleaned<T>(
  items: T[],
  mapper: (item: T) => Promise<T>,
  { signal }: { signal?: AbortSignal } = {},
): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal?.reason);
    if (signal) {
      // ok: NLL101 -- removed when the work settles
      signal.addEventListener('abort', onAbort, { once: true });
    }
    Promise.all(items.map(mapper))
      .then(resolve, reject)
      .finally(() => signal?.removeEventListener('abort', onAbort));
  });
}
class ReplyWaiter {
  private readonly emitter: EventEmitter;
  constructor(emitter: EventEmitter) {
    this.emitter = emitter;
  }
  wait(id: string, callback: (reply: { id: string }) => void): void {
    if (this.emitter != null && id) {
      // ruleid: NLL101
      this.emitter.on('reply', (reply: { id: string }) => { if (reply.id === id) callback(reply); });
    }
  }
}
const replyWaiter = new ReplyWaiter(sharedLogic);
setInterval(() => replyWaiter.wait(String(Date.now()), (reply) => console.log(reply)), 1000);
const markedEmitters = new WeakSet<EventEmitter>();
export function watchOnce(emitter: EventEmitter | undefined, onTick: () => void): void {
  if (emitter && !markedEmitters.has(emitter)) {
    markedEmitters.add(emitter);
    // ok: NLL101 -- the test also asks what the region marks: once per emitter
    emitter.on('tick', onTick);
  }
}
setInterval(() => watchOnce(sharedLogic, () => console.log('tick')), 1000);

// Node's stream operators tie the listener to the stream with the weak-handler option.
const kWeakHandler = Symbol('kWeakHandler');
export async function reduceStream(
  stream: AsyncIterable<unknown>,
  options?: { signal?: AbortSignal },
): Promise<void> {
  const ac = new AbortController();
  if (options?.signal) {
    // ok: NLL101 -- held weakly by the signal
    options.signal.addEventListener('abort', () => ac.abort(), { once: true, [kWeakHandler]: stream } as AddEventListenerOptions);
  }
  try {
    for await (const value of stream) console.log(value, ac.signal.aborted);
  } finally {
    ac.abort();
  }
}

// A flag set inside the callback, tested on the way into the function that passes it: the
// region runs once (lazy loading), not per call.
let toolLoaded = false;
export function withTool(run: () => void): void {
  if (toolLoaded) return run();
  tool.load({}, () => {
    toolLoaded = true;
    // ok: NLL101 -- `if (toolLoaded) return` on the way in: added once, when the tool first loads
    tool.on('log', (message: string) => console.log(message, run));
    run();
  });
}
export function withToolEveryTime(run: () => void): void {
  tool.load({}, () => {
    // ruleid: NLL101
    tool.on('log', (message: string) => console.log(message, run));
    run();
  });
}

// The same module-level function added again per request: an EventEmitter keeps every copy.
function onConfigReload(): void {
  console.log('reloaded');
}
app.get('/reload', (req: Request, res: Response) => {
  // ruleid: NLL101 -- one more copy of `onConfigReload` per request, each run once per event
  process.on('SIGHUP', onConfigReload);
  res.end();
});
const startUp = (): void => {
  // ok: NLL101 -- start-up code: added once
  process.on('SIGHUP', onConfigReload);
};
startUp();

// Event names from an enum are names too: the removal of a fresh bind below is meant for
// this registration and removes nothing.
enum LinkEvents {
  Drain = 'drain',
}
export class LinkManager {
  private readonly onDrain = (): void => this.flush();
  constructor(private readonly link: EventEmitter) {}
  attach(): void {
    // ruleid: NLL101 -- `off(LinkEvents.Drain, this.flush.bind(this))` removes a new function, not this one
    this.link.on(LinkEvents.Drain, this.flush.bind(this));
  }
  detach(): void {
    this.link.off(LinkEvents.Drain, this.flush.bind(this));
  }
  attachKept(): void {
    // ok: NLL101 -- the same field is removed in `detachKept`
    this.link.on(LinkEvents.Drain, this.onDrain);
  }
  detachKept(): void {
    this.link.off(LinkEvents.Drain, this.onDrain);
  }
  private flush(): void {}
}

// A library that adds process exit handlers and returns their remover (signal-exit v4).
import { onExit } from 'signal-exit';
app.post('/upload', (req: Request, res: Response) => {
  // ruleid: NLL101 -- each upload adds an exit handler holding its files; the remover is dropped
  onExit(() => cleanUp(req.body));
  res.end();
});
app.post('/upload-ok', (req: Request, res: Response) => {
  // ok: NLL101 -- the remover is kept and called when the request is done
  const remove = onExit(() => cleanUp(req.body));
  res.on('close', remove);
  res.end();
});
declare function cleanUp(files: unknown): void;

// A forgotten `once`: each subscription's teardown removes its 'change' listener from the
// long-lived store but not its once('shutdown'), which fires only when the store shuts down.
import { PassThrough } from 'node:stream';
export class Store extends EventEmitter {
  subscribe(sink: PassThrough): void {
    const onChange = (value: unknown): void => {
      sink.write(value);
    };
    this.on('change', onChange);
    sink.on('close', () => {
      this.off('change', onChange);
    });
    // ruleid: NLL101 -- the sink's close removes `onChange` from the store, not this once('shutdown')
    this.once('shutdown', () => sink.end());
  }
  subscribeQuietly(sink: PassThrough): void {
    const onChange = (value: unknown): void => {
      sink.write(value);
    };
    const onShutdown = (): void => {
      sink.end();
    };
    this.on('change', onChange);
    sink.on('close', () => {
      this.off('change', onChange);
      this.off('shutdown', onShutdown);
    });
    // ok: NLL101 -- the sink's close removes it too
    this.once('shutdown', onShutdown);
  }
}

// Registrars on the instance: `onReady(fn)` adds its caller's listener to the instance and
// returns the remover; `connect` runs per reconnect (re-armed by the socket's 'close').
export class PushClient extends EventEmitter {
  private retry?: NodeJS.Timeout;
  onReady(listener: () => void): () => void {
    this.on('ready', listener);
    return () => this.off('ready', listener);
  }
  connect = async (): Promise<void> => {
    const socket = openSocket();
    socket.on('close', () => {
      this.retry = setTimeout(this.connect, 1000);
    });
    // ruleid: NLL101 -- a new resolver per connect, the remover dropped
    return new Promise((res) => this.onReady(res));
  };
  connectQuietly = async (): Promise<void> => {
    return new Promise((res) => {
      // ok: NLL101 -- the remover is kept and called when ready
      const dispose = this.onReady(() => {
        dispose();
        res();
      });
    });
  };
}
declare function openSocket(): EventEmitter;

// A library that listens on its own object: formidable 3's `parse` adds its listeners to
// the form on every call, awaited or with a callback.
import formidable from 'formidable';
const uploadForm = formidable({ maxFileSize: 10_000_000 });
app.post('/avatar', async (req: Request, res: Response) => {
  // ruleid: NLL101 -- one form for every request: four more listeners per request
  const [fields] = await uploadForm.parse(req);
  res.json(fields);
});
app.post('/avatar-ok', async (req: Request, res: Response) => {
  const form = formidable({ maxFileSize: 10_000_000 });
  // ok: NLL101 -- a form per request
  const [fields] = await form.parse(req);
  res.json(fields);
});

// --- the same connection opened again: 'connect' fires per call on one socket ----------------
export class DeviceLink {
  private readonly socket = new Socket();

  constructor(private readonly port: number) {}

  open(onOpen: () => void): void {
    this.socket.connect(this.port);
    // ruleid: NLL101 -- the instance's socket outlives every open(): each call's listener stays
    this.socket.on('connect', () => onOpen());
  }

  reopen(onOpen: () => void): void {
    this.socket.connect(this.port);
    // ok: NLL101 -- once() removes itself when this connection's 'connect' fires
    this.socket.once('connect', () => onOpen());
  }

  probe(onOpen: (socket: Socket) => void): void {
    const socket = connect(this.port);
    // ok: NLL101 -- a new socket per call: its 'connect' is this call's own piece of work
    socket.on('connect', () => onOpen(socket));
  }
}

// --- setup run again on the same instance ------------------------------------------------------
export class MonitorQueue {
  constructor(private readonly scheduler: EventEmitter) {}

  static async create(scheduler: EventEmitter): Promise<MonitorQueue> {
    const queue = new MonitorQueue(scheduler);
    await queue.init();
    return queue;
  }

  private registerListeners = (): void => {
    // ruleid: NLL101 -- init() runs when the queue is made and again from flushQueues()
    this.scheduler.on('job:fail', (job: { id: string }) => this.log(job.id));
  };

  init = async (): Promise<boolean> => {
    this.registerListeners();
    return true;
  };

  flushQueues = async (): Promise<boolean> => {
    return this.init();
  };

  log(_id: string): void {}
}

export class FixedMonitorQueue {
  constructor(private readonly scheduler: EventEmitter) {
    // ok: NLL101 -- registered once, where the queue is made
    this.scheduler.on('job:fail', (job: { id: string }) => this.log(job.id));
  }

  init = async (): Promise<boolean> => true;

  flushQueues = async (): Promise<boolean> => this.init();

  log(_id: string): void {}
}

// A private setup method only the constructor calls runs once per instance.
export class SocketBridge {
  private readonly wss: WebSocketServer;

  constructor(port: number) {
    this.wss = new WebSocketServer({ port });
    this.listen();
  }

  private listen(): void {
    const started = Date.now();
    // ok: NLL101 -- listen() is private and only the constructor calls it: once per instance
    this.wss.on('connection', (ws: WebSocket) => ws.send(String(started)));
  }
}

export class RelistenBridge {
  private readonly wss: WebSocketServer;

  constructor(port: number) {
    this.wss = new WebSocketServer({ port });
    this.listen();
  }

  restart(): void {
    this.listen();
  }

  private listen(): void {
    const started = Date.now();
    // ruleid: NLL101 -- restart() runs listen() again on the same server
    this.wss.on('connection', (ws: WebSocket) => ws.send(String(started)));
  }
}

// A pooled socket that is already connected never fires 'connect' again: a guard on the
// socket's own `connecting` state lets the listener on only while the event can still come.
export function onConnected(request: ClientRequest, done: (req: ClientRequest) => void): void {
  request.on('socket', (socket: Socket) => {
    // ruleid: NLL101 -- a connected keep-alive socket keeps one more 'connect' listener per request
    socket.on('connect', () => done(request));
  });
  request.on('socket', (socket: Socket) => {
    if (!socket.connecting) return;
    // ok: NLL101 -- added only while the socket is connecting: 'connect' ends that, once
    socket.on('connect', () => done(request));
  });
  request.on('socket', (socket: Socket) => {
    // ok: NLL101 -- the `&&` guard: only while connecting
    socket.connecting && socket.once('connect', () => done(request));
  });
  request.on('socket', (socket: Socket) => {
    if (!socket.readable) return;
    // ruleid: NLL101 -- 'connect' does not end `readable`: a connected socket gets one more
    socket.on('connect', () => done(request));
  });
}

// A field that holds the request parameter is that request: `this.res.socket` is the
// keep-alive socket as `res.socket` would be.
export class RpcCall extends EventEmitter {
  private readonly res: Response;

  constructor(req: Request, res: Response) {
    super();
    this.res = res;
    // ruleid: NLL101 -- one more 'end' listener on the keep-alive socket per call object
    this.res.socket?.on('end', () => this.emit('end'));
  }
}

export class RpcCallFixed extends EventEmitter {
  private readonly res: Response;

  constructor(req: Request, res: Response) {
    super();
    this.res = res;
    // ok: NLL101 -- the response dies with its request
    this.res.on('finish', () => this.emit('end'));
  }
}

// --- objects a library keeps until they are taken back: winston transports ------------------
import * as winston from 'winston';
import TransportStream from 'winston-transport';

const scrapeLogger = winston.createLogger({ transports: [new winston.transports.Console()] });

class RecordsTransport extends TransportStream {
  constructor(private readonly records: unknown[]) {
    super();
  }

  log(info: unknown, next: () => void): void {
    this.records.push(info);
    next();
  }
}

export class Scraper {
  scrape(id: string): unknown[] {
    const logs: unknown[] = [];
    const logger = scrapeLogger.child({ scrapeId: id });
    // ruleid: NLL101 -- the child's transport stays on `scrapeLogger` after the scrape
    logger.add(new RecordsTransport(logs));
    return logs;
  }

  scrapeFixed(id: string): unknown[] {
    const logs: unknown[] = [];
    const logger = scrapeLogger.child({ scrapeId: id });
    const transport = new RecordsTransport(logs);
    // ok: NLL101 -- removed through the same child when the scrape ends
    logger.add(transport);
    try {
      return logs;
    } finally {
      logger.remove(transport);
    }
  }

  scrapeParentRemoves(id: string): unknown[] {
    const logs: unknown[] = [];
    const logger = scrapeLogger.child({ scrapeId: id });
    const transport = new RecordsTransport(logs);
    // ruleid: NLL101 -- the parent's remove leaves the pipe the child added
    logger.add(transport);
    try {
      return logs;
    } finally {
      scrapeLogger.remove(transport);
    }
  }
}

server.get('/trace', async (request: FastifyRequest, reply: FastifyReply) => {
  const logs: unknown[] = [];
  // ruleid: NLL101 -- one more transport per request on the module's logger
  winston.add(new RecordsTransport(logs));
  return reply.send(logs);
});

export function addConsole(level: string): void {
  // ok: NLL101 -- set-up code of unknown frequency that makes no child per call
  scrapeLogger.add(new winston.transports.Console({ level }));
}

// --- constructor parameters take what every `new X(…)` passes (arguments reach parameters) -----
const clock = new EventEmitter();

class Watcher {
  private readonly onTick: (n: number) => void;
  constructor(private readonly source: EventEmitter, private readonly sink: Socket) {
    this.onTick = (n: number) => this.sink.write(String(n));
    // ruleid: NLL101 -- every `new Watcher(clock, …)` hands the module-level `clock`
    source.on('tick', this.onTick);
  }
}

class CleanWatcher {
  private readonly feed: EventEmitter;
  private readonly onTick: (n: number) => void;
  constructor(feed: EventEmitter, sink: Socket) {
    this.feed = feed;
    this.onTick = (n: number) => sink.write(String(n));
    // ok: NLL101 -- `close()` removes it from `this.feed`, the field the constructor keeps `feed` in
    feed.on('tick', this.onTick);
  }
  close(): void {
    this.feed.off('tick', this.onTick);
  }
}

export function watch(sink: Socket): void {
  new Watcher(clock, sink);
  new CleanWatcher(clock, sink);
}

// --- a test of the emitter's state that the region leaves alone is no latch --------------------
const feedSocket: Socket = connect(7000);

export function onFeed(cb: (d: Buffer) => void): void {
  if (feedSocket.readyState === 'open') {
    // ruleid: NLL101 -- `readyState` does not change when a listener is added: one more per call
    feedSocket.on('data', (d: Buffer) => cb(d));
  }
}

export function onFeedOnce(cb: (d: Buffer) => void): void {
  if (!feedSocket.listenerCount('data')) {
    // ok: NLL101 -- the region's own listener changes the answer
    feedSocket.on('data', (d: Buffer) => cb(d));
  }
}

// --- latches whose flag is set to an object; removals in a hook the class hands to a helper -----
declare function teardown(options: { after: Array<() => void> }): () => void;
let busHub: EventEmitter | undefined;

export function hubFor(): EventEmitter {
  if (busHub) return busHub;
  busHub = new EventEmitter();
  const tag = Date.now();
  // ok: NLL101 -- `if (busHub) return` before `busHub = new EventEmitter()`: once per process
  process.on('message', (m: { event: string }) => busHub?.emit(m.event, tag));
  return busHub;
}

export function hubEachTime(): EventEmitter {
  const hub = new EventEmitter();
  const tag = Date.now();
  // ruleid: NLL101 -- no early exit: every call adds one more
  process.on('message', (m: { event: string }) => hub.emit(m.event, tag));
  return hub;
}

export class OfflineBanner {
  private onOffline: () => void = () => {};
  open(): void {
    this.onOffline = (): void => this.show();
    // ok: NLL101 -- removed in the `detach` hook the class hands to `teardown`
    window.addEventListener('offline', this.onOffline);
  }
  show(): void {}
  close = teardown({
    after: [
      function detach(this: OfflineBanner): void {
        window.removeEventListener('offline', this.onOffline);
      },
    ],
  });
}

export class OfflineBadge {
  private onOffline: () => void = () => {};
  open(): void {
    this.onOffline = (): void => this.show();
    // ruleid: NLL101 -- nothing removes it: one more each time `open()` runs
    window.addEventListener('offline', this.onOffline);
  }
  show(): void {}
}

// --- ready or wait: the other branch does the handler's work at once ---------------------------
const registrar = Object.assign(new EventEmitter(), { accepted: false });

export function whenAccepted(done: (marker: string) => void): void {
  const finish = (): void => done('accepted');
  if (registrar.accepted) {
    finish();
  } else {
    // ok: NLL101 -- the other branch calls `finish` itself: added only until 'accepted'
    registrar.on('accepted', finish);
  }
}

export function whenAcceptedLogged(done: (marker: string) => void): void {
  if (registrar.accepted) {
    console.log('already accepted');
  } else {
    // ruleid: NLL101 -- the other branch does not do the handler's work
    registrar.on('accepted', () => done('late'));
  }
}

export function relay(chunk: string): void {
  if (feedSocket.readyState === 'open') {
    feedSocket.write(chunk);
  } else {
    // ruleid: NLL101 -- 'data' fires again and again: the wait never ends
    feedSocket.on('data', () => feedSocket.write(chunk));
  }
}

// A class the file instantiates once: its constructor runs once.
const commandBus = new EventEmitter();

class CommandManager {
  constructor() {
    // ok: NLL101 -- the only instance is made at module top level (exported under the class's name)
    commandBus.on('commands:get', () => this.all());
  }
  all(): string[] {
    return [];
  }
}

const manager = new CommandManager();
export { manager as CommandManager };

class CommandRun {
  constructor(readonly name: string) {
    // ruleid: NLL101 -- made per call of runCommand: one more listener per run
    commandBus.on('commands:cancel', () => this.cancel());
  }
  cancel(): void {}
}

export function runCommand(name: string): CommandRun {
  return new CommandRun(name);
}

// --- a registration's result handed on through a conditional ------------------------------
declare function buildWidget(tag: string, ...args: unknown[]): void;

server.get('/widget', async (request: FastifyRequest<{ Querystring: { off?: string } }>, reply: FastifyReply) => {
  buildWidget(
    'button',
    // ok: NLL101 -- the result goes to the builder through the conditional
    request.query.off ? null : orders.on('widget:click', () => reply.raw.write('clicked')),
    // ok: NLL101 -- the same through `??`
    request.query.off ?? orders.on('widget:hover', () => reply.raw.write('hovered')),
  );
});

server.get('/widget-dropped', async (request: FastifyRequest<{ Querystring: { live?: string } }>, reply: FastifyReply) => {
  // ruleid: NLL101 -- the conditional's value is dropped: nothing keeps the result
  request.query.live ? orders.on('widget:drop', () => reply.raw.write('dropped')) : null;
});

// --- a slot the run fills anew: clients[r] = new …; clients[r].on(…) -----------------------
const redisClients: Record<string, EventEmitter> = {};
export class RedisPool {
  connect(names: string[]): void {
    for (const r of names) {
      redisClients[r] = new EventEmitter();
      // ok: NLL101 -- a new emitter in this slot, made by this run
      redisClients[r].on('error', (err: Error) => this.report(r, err));
    }
  }
  watch(names: string[]): void {
    for (const r of names) {
      // ruleid: NLL101 -- the slot keeps the emitter from before: one more listener per call
      redisClients[r].on('ready', () => this.report(r, null));
    }
  }
  report(_name: string, _err: Error | null): void {}
}

const workerGroups: Record<string, { process?: EventEmitter; instances: string[] }> = {};
export class WorkerHost {
  start(instance: { group: string }): void {
    const group = instance.group;
    workerGroups[group] = workerGroups[group] || { instances: [] };
    const worker = workerGroups[group];
    if (!worker.process) {
      worker.process = new EventEmitter();
      // ok: NLL101 -- the block that makes the emitter anew (through the alias) holds this
      workerGroups[group].process!.on('exit', () => this.restart(instance));
    }
    // ruleid: NLL101 -- after the `if`: an emitter from an earlier call gets one more each time
    workerGroups[group].process!.on('message', () => this.restart(instance));
  }
  startGuarded(instance: { group: string }): void {
    const group = instance.group;
    const worker = workerGroups[group];
    if (!worker.process) {
      try {
        worker.process = new EventEmitter();
      } catch {
        delete worker.process;
      }
      // ok: NLL101 -- filled in the `try` above: the block around the `try` holds this
      if (worker.process) workerGroups[group].process!.on('close', () => this.restart(instance));
    }
  }
  restart(_instance: { group: string }): void {}
}

// --- an early exit once a slot is filled: if (tray != null) return; tray = new Tray(…) --------
let statusTray: EventEmitter | undefined;
function createStatusTray(reply: FastifyReply): void {
  if (statusTray !== undefined) {
    return;
  }
  statusTray = new EventEmitter();
  // ok: NLL101 -- later runs leave at the test: once per process
  orders.on('tray:show', () => reply.raw.write('show'));
}
let statusBadge: EventEmitter | undefined;
function createStatusBadge(reply: FastifyReply): void {
  if (statusBadge !== undefined) {
    reply.raw.write('again');
  }
  statusBadge = new EventEmitter();
  // ruleid: NLL101 -- the test does not leave: one more listener each run
  orders.on('badge:show', () => reply.raw.write('show'));
}
server.get('/tray', async (_request: FastifyRequest, reply: FastifyReply) => {
  createStatusTray(reply);
  createStatusBadge(reply);
});

// --- a method the class hands to a registration as the handler: its parameters are per event -
export class LiveRoom {
  constructor(io: Server) {
    io.on('connection', this.onConnection.bind(this));
  }
  onConnection(socket: IoSocket): void {
    for (const name of ['join', 'leave']) {
      // ok: NLL101 -- the connection's own socket (a parameter of a handler)
      socket.on(name, this.relay.bind(this, name));
    }
  }
  adopt(socket: IoSocket): void {
    for (const name of ['join', 'leave']) {
      // ruleid: NLL101 -- a socket of unknown lifetime, one more listener per call
      socket.on(name, this.relay.bind(this, name));
    }
  }
  relay(_name: string): void {}
}

// --- driven only by messages from the parent thread: repetition inferred, not seen ----------
import { parentPort } from 'node:worker_threads';

parentPort?.on('message', (job: { id: string }) => {
  // ruleid: NLL101 -- medium: once per message from the parent thread, however many it sends
  process.on('exit', () => console.log('unfinished', job.id));
});

// --- a latch keyed by the event itself: one listener per event name ---------------------------
const relay = new EventEmitter();
const relayed = new Set<string | symbol>();
relay.on('newListener', (event: string | symbol) => {
  if (!relayed.has(event)) {
    relayed.add(event);
    // ok: NLL101 -- filed under its own event name first: at most one listener per event
    relay.on(event, () => process.send?.({ type: String(event) }));
  }
});

// --- Polymer: `ready()` runs once per element; its own `this.$` nodes die with it ----------
import { PolymerElement } from '@polymer/polymer/polymer-element.js';
const pulse = document.createElement('div');
class StatusBadge extends PolymerElement {
  $!: Record<string, HTMLElement>;
  hover = false;
  override ready(): void {
    super.ready();
    const hide = () => {
      this.hover = false;
    };
    // ok: NLL101 -- the element's own node, in the hook Polymer runs once per element
    this.$.status.addEventListener('mouseleave', () => hide());
    // ruleid: NLL101 -- a module-level node outlives every element: one more per element
    pulse.addEventListener('pulse', () => hide());
  }
}
customElements.define('status-badge', StatusBadge);
class PlainBadge {
  $!: Record<string, HTMLElement>;
  hover = false;
  ready(): void {
    const hide = () => {
      this.hover = false;
    };
    // ruleid: NLL101 -- not a framework hook: the method may run many times on one instance
    this.$.status.addEventListener('mouseleave', () => hide());
  }
}
new PlainBadge().ready();

// --- a `once` end listener on a target the code ends itself -----------------------------------
import { fork } from 'node:child_process';

const worker = fork('./worker.js');
export function restartWorker(): void {
  worker.kill('SIGTERM');
  const fallback = setTimeout(() => worker.kill('SIGKILL'), 7000);
  // ok: NLL101 -- the code ends the child itself: 'close' fires and `once` removes this
  worker.once('close', () => clearTimeout(fallback));
}
export function watchWorker(onGone: () => void): void {
  // ruleid: NLL101 -- nothing here ends the child: 'close' may never come, one more per call
  worker.once('close', () => onGone());
}

// --- the request's socket by role, whatever the parameter is called ---------------------
export class Passthrough {
  buildHandler() {
    // The second parameter is declared an express `Response`: the first is the request.
    return async (clientReq: unknown, clientRes: Response): Promise<void> => {
      const socket: Socket = (<any>clientReq).socket;
      const upstream = connect(80, 'backend');
      // ruleid: NLL101 -- the served request's keep-alive socket, known by role, not by name
      socket.once('error', () => upstream.destroy());
      upstream.pipe(clientRes);
    };
  }
  buildProbe() {
    return async (target: { socket: Socket }, label: string): Promise<void> => {
      // ok: NLL101 -- nothing says `target` is a request being served
      target.socket.once('error', () => console.log(label));
    };
  }
}

// --- a UI component is made per view, not a DI singleton ----------------------------------------
import { Component } from '@angular/core';

@Component({ selector: 'app-status', template: '' })
export class StatusComponent {
  private feed = new EventEmitter();
  watch(): void {
    setTimeout(() => {
      // ok: NLL101 -- the component's own emitter goes with the view that made it
      this.feed.on('status', () => this.refresh());
    }, 1000);
  }
  refresh(): void {}
}

@Injectable()
export class StatusService {
  private feed = new EventEmitter();
  watch(): void {
    setTimeout(() => {
      // ruleid: NLL101 -- a DI singleton's emitter lives as long as the process
      this.feed.on('status', () => this.refresh());
    }, 1000);
  }
  refresh(): void {}
}

// --- a CLI command module: its handler runs once per process ------------------------------------
export const serveCommand = {
  command: 'serve',
  describe: 'start the server',
  handler: async (argv: { port: number }): Promise<void> => {
    // ok: NLL101 -- the command line runs a command's handler once per process
    process.on('SIGTERM', () => console.log('stopping', argv.port));
  },
};
