// Annotated cases for NLL301 unbounded-collection (TypeScript, ESM, Fastify/NestJS-style).
import Fastify, { FastifyRequest } from 'fastify';
import QuickLRU from 'quick-lru';
import NodeCache from 'node-cache';

interface User {
  id: string;
  name: string;
}

const server = Fastify();

const userById = new Map<string, User>();
server.get('/users/:id', async (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
  const user: User = { id: request.params.id, name: 'x' };
  // ruleid: NLL301
  userById.set(user.id, user);
  return user;
});

const tokens: Set<string> = new Set<string>();
server.post('/tokens', async (request, reply) => {
  // ruleid: NLL301
  tokens.add((request.body as { token: string }).token);
  return { ok: true };
});

export const auditTrail: Array<{ at: number; path: string }> = [];
server.addHook('onRequest', async (request) => {
  // ruleid: NLL301
  auditTrail.push({ at: Date.now(), path: request.url });
});

const memo: Record<string, number> = {};
export function fib(n: number): number {
  if (n < 2) return n;
  // ruleid: NLL301
  memo[String(n)] = fib(n - 1) + fib(n - 2);
  return memo[String(n)];
}

@Injectable()
export class UserService {
  private cache = new Map<string, User>();
  static readonly instances: UserService[] = [];
  // ok: NLL301 -- entries are evicted in forget()
  private byName = new Map<string, User>();
  // ok: NLL301 -- a WeakSet holds its members weakly
  private visited = new WeakSet<object>();
  // ok: NLL301 -- quick-lru evicts its oldest entries
  private lru = new QuickLRU<string, User>({ maxSize: 100 });
  // ok: NLL301 -- node-cache expires entries
  private ttl = new NodeCache({ stdTTL: 60 });
  // ok: NLL301 -- only constant keys
  private counters = new Map<string, number>();

  constructor() {
    // ruleid: NLL301
    UserService.instances.push(this);
  }

  async find(id: string): Promise<User> {
    const hit = this.cache.get(id);
    if (hit) return hit;
    const user = await load(id);
    // ruleid: NLL301
    this.cache.set(id, user);
    this.byName.set(user.name, user);
    this.visited.add(user);
    this.lru.set(id, user);
    this.ttl.set(id, user);
    this.counters.set('loads', (this.counters.get('loads') ?? 0) + 1);
    return user;
  }

  forget(user: User): void {
    this.byName.delete(user.name);
  }
}

export class Hub {
  #listeners: Array<(m: string) => void> = [];
  subscribe(fn: (m: string) => void): void {
    // ruleid: NLL301
    this.#listeners.push(fn);
  }
}
export const hub = new Hub();

export class QueryPlan {
  // ok: NLL301 -- a short-lived data structure: nothing shows its instances outlive their owner
  private joins: string[] = [];
  join(table: string): this {
    this.joins.push(table);
    return this;
  }
}

export class Bounded {
  // ok: NLL301 -- the growth is guarded by a length check
  private items: string[] = [];
  add(item: string): void {
    if (this.items.length >= 100) return;
    this.items.push(item);
  }
}

export class Resettable {
  // ok: NLL301 -- reassigned in reset(), which drops the old entries
  private seen = new Set<string>();
  mark(id: string): void {
    this.seen.add(id);
  }
  reset(): void {
    this.seen = new Set<string>();
  }
}

// ok: NLL301 -- a collection created per call is garbage after the call
export function group(items: User[]): Map<string, User[]> {
  const out = new Map<string, User[]>();
  for (const item of items) out.set(item.id, [item]);
  return out;
}

// ok: NLL301 -- the handler pushes and splices (bounded window)
const window: number[] = [];
server.get('/latency', async () => {
  window.push(Date.now());
  if (window.length > 50) window.splice(0, window.length - 50);
  return window.length;
});

// --- computed fields and counters in a class ---------------------------------------------
const kCallbacks = Symbol('callbacks');

export class Channel {
  private msgId = 1;
  private readonly [kCallbacks] = new Map<number, (data: unknown) => void>();
  constructor(private readonly port: { postMessage(m: unknown): void }) {}
  send(name: string, data: unknown, callback: (data: unknown) => void): void {
    this.port.postMessage({ name, data, msgId: this.msgId });
    // ruleid: NLL301 -- the reply deletes `msg.msgId` instead of the `msg.callbackId` it looked up
    this[kCallbacks].set(this.msgId++, callback);
  }
  onMessage(msg: { callbackId: number; msgId: number; data: unknown }): void {
    const callback = this[kCallbacks].get(msg.callbackId);
    if (callback) {
      callback(msg.data);
      this[kCallbacks].delete(msg.msgId);
    }
  }
}

export function createStore() {
  const sessions = new Map<string, { user: string }>();
  return {
    open(user: string): string {
      const id = crypto.randomUUID();
      // ruleid: NLL301 -- a fresh UUID per session and no way to close one
      sessions.set(id, { user });
      return id;
    },
    get(id: string) {
      return sessions.get(id);
    },
  };
}

export class Plugins {
  private readonly byName = new Map<string, { name: string }>();
  register(plugin: { name: string }): void {
    // ok: NLL301 -- keyed by the plugin's name, with nothing new per call
    this.byName.set(plugin.name, plugin);
  }
}

// --- framework hooks run per request (Elysia's onBeforeHandle) ------------------------------
declare const Elysia: new (o: { name: string }) => {
  onBeforeHandle(fn: (ctx: { headers: Record<string, string> }) => void): unknown;
};
const windows = new Map<string, { count: number; start: number }>();
export const limiter = new Elysia({ name: 'limit' }).onBeforeHandle((ctx) => {
  const key = ctx.headers['x-api-key'];
  // ruleid: NLL301 -- one window per API key ever seen, never deleted
  windows.set(key, { count: 1, start: Date.now() });
});

// todoruleid: NLL301 -- growth through an alias in another function is not followed
const aliased = new Map<string, string>();
function sink(target: Map<string, string>, key: string): void {
  target.set(key, key);
}
server.get('/alias/:k', async (request: FastifyRequest<{ Params: { k: string } }>) => {
  sink(aliased, request.params.k);
});

async function load(id: string): Promise<User> {
  return { id, name: id };
}

// --- delete coverage: a delete must run on every way the work ends --------------------------
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';

declare class StreamableTransport {
  constructor(options: {
    sessionIdGenerator: () => string;
    onsessioninitialized?: (id: string) => void;
    onsessionclosed?: (id: string) => void;
    onclose?: () => void;
  });
  onclose?: () => void;
  handleRequest(request: Request): Promise<Response>;
}

const mcpSessions = new Map<string, StreamableTransport>();
export function openSession(request: Request): Promise<Response> {
  const transport: StreamableTransport = new StreamableTransport({
    sessionIdGenerator: () => randomUUID(),
    onsessioninitialized: (id) => {
      // ruleid: NLL301 -- deleted when the client sends DELETE, not when it simply goes away
      mcpSessions.set(id, transport);
    },
    onsessionclosed: (id) => {
      mcpSessions.delete(id);
    },
  });
  return transport.handleRequest(request);
}

const liveSessions = new Map<string, StreamableTransport>();
export function openLiveSession(request: Request): Promise<Response> {
  let sessionId = '';
  const transport: StreamableTransport = new StreamableTransport({
    sessionIdGenerator: () => randomUUID(),
    onsessioninitialized: (id) => {
      sessionId = id;
      // ok: NLL301 -- the transport's own `onclose` deletes it however the session ends
      liveSessions.set(id, transport);
    },
  });
  transport.onclose = () => {
    liveSessions.delete(sessionId);
  };
  return transport.handleRequest(request);
}

export class PopupTable {
  private readonly popups: Record<string, Socket> = {};
  attach(socket: Socket): void {
    const id = randomUUID();
    // ok: NLL301 -- `Reflect.deleteProperty` deletes it when the socket closes
    this.popups[id] = socket;
    socket.on('close', () => Reflect.deleteProperty(this.popups, id));
  }
}

export class PopupList {
  private readonly popups: Record<string, Socket> = {};
  attach(socket: Socket): void {
    const id = randomUUID();
    // ruleid: NLL301 -- `Reflect.has` only reads
    this.popups[id] = socket;
    socket.on('close', () => Reflect.has(this.popups, id));
  }
}

export class PeerTable {
  private readonly peers = new Map<string, Socket>();
  attach(socket: Socket): void {
    const key = `${socket.remoteAddress}:${socket.remotePort}`;
    // ruleid: NLL301 -- deleted on 'error' only: a peer that hangs up cleanly stays
    this.peers.set(key, socket);
    socket.on('error', () => {
      this.peers.delete(key);
    });
  }
}

export class ClosingPeerTable {
  private readonly peers = new Map<string, Socket>();
  attach(socket: Socket): void {
    const key = `${socket.remoteAddress}:${socket.remotePort}`;
    // ok: NLL301 -- 'close' fires after an error as well as after a clean end
    this.peers.set(key, socket);
    socket.on('close', () => {
      this.peers.delete(key);
    });
  }
}

export class Requests {
  private readonly pending = new Map<string, Promise<unknown>>();
  start(work: () => Promise<unknown>): string {
    const requestId = randomUUID();
    const running = work();
    // ruleid: NLL301 -- deleted only when the work resolves; a rejected request stays
    this.pending.set(requestId, running);
    running.then(() => this.pending.delete(requestId));
    return requestId;
  }
}

export class SettledRequests {
  private readonly pending = new Map<string, Promise<unknown>>();
  start(work: () => Promise<unknown>): string {
    const requestId = randomUUID();
    const running = work();
    // ok: NLL301 -- both outcomes delete it
    this.pending.set(requestId, running);
    running.then(
      () => this.pending.delete(requestId),
      () => this.pending.delete(requestId),
    );
    return requestId;
  }
}

// --- a delete registered by one growth site reaches its own entries only -------------------
import { EventEmitter } from 'node:events';

class Member extends EventEmitter {
  constructor(readonly id: string) {
    super();
  }
}

export class Members extends EventEmitter {
  private readonly index = new Map<string, Member>();
  join(member: Member): void {
    // ok: NLL301 -- removed when this member leaves
    this.index.set(member.id, member);
    member.once('leave', () => {
      this.index.delete(member.id);
    });
  }
  remote(id: string): Member {
    let member = this.index.get(id);
    if (!member) {
      member = new Member(id);
      // ruleid: NLL301 -- `join` deletes its members on 'leave'; remote members have no such listener
      this.index.set(member.id, member);
    }
    return member;
  }
}

export class TrackedMembers extends EventEmitter {
  private readonly index = new Map<string, Member>();
  join(member: Member): void {
    // ok: NLL301 -- removed when this member leaves
    this.index.set(member.id, member);
    member.once('leave', () => this.index.delete(member.id));
  }
  remote(id: string): Member {
    let member = this.index.get(id);
    if (!member) {
      member = new Member(id);
      // ok: NLL301 -- registered the same way as in `join`
      this.index.set(member.id, member);
      const added = member;
      added.once('leave', () => this.index.delete(added.id));
    }
    return member;
  }
}

// --- growth by rebuilding the collection from itself ----------------------------------------
export class Feed extends EventEmitter {
  private items: string[] = [];
  private seen: Record<string, number> = {};
  publish(item: string): void {
    // ruleid: NLL301 -- `concat` copies every old item into the new array, plus one
    this.items = this.items.concat(item);
  }
  mark(requestId: string): void {
    // ruleid: NLL301 -- one more key per request id
    this.seen = { ...this.seen, [requestId]: Date.now() };
  }
}

export class Board extends EventEmitter {
  private posts: string[] = [];
  publish(post: string): void {
    // ok: NLL301 -- `reset()` replaces the array with a fresh one
    this.posts = [...this.posts, post];
  }
  reset(): void {
    this.posts = [];
  }
}

// --- a size check that refuses is not a bound -----------------------------------------------
export class Lobby extends EventEmitter {
  private readonly players: string[] = [];
  constructor(private readonly limit: number) {
    super();
  }
  join(requestId: string): boolean {
    if (this.players.length >= this.limit) return false;
    // ruleid: NLL301 -- full means refused forever: nobody ever leaves
    this.players.push(requestId);
    return true;
  }
}

export class BoundedLobby extends EventEmitter {
  private readonly players: string[] = [];
  constructor(private readonly limit: number) {
    super();
  }
  join(requestId: string): boolean {
    if (this.players.length >= this.limit) this.players.shift();
    // ok: NLL301 -- the size check evicts the oldest
    this.players.push(requestId);
    return true;
  }
}

// --- sibling collections keyed by the same id are evicted together --------------------------
export class Tracker {
  private readonly jobs = new Map<string, { name: string }>();
  private readonly startedAt: Record<string, number> = {};
  start(jobId: string, name: string): void {
    this.jobs.set(jobId, { name });
    // ruleid: NLL301 -- `finish` deletes the job, never its start time
    this.startedAt[jobId] = Date.now();
  }
  finish(jobId: string): void {
    this.jobs.delete(jobId);
  }
}

export class CleanTracker {
  private readonly jobs = new Map<string, { name: string }>();
  private readonly startedAt: Record<string, number> = {};
  start(jobId: string, name: string): void {
    this.jobs.set(jobId, { name });
    // ok: NLL301 -- `finish` deletes both
    this.startedAt[jobId] = Date.now();
  }
  finish(jobId: string): void {
    this.jobs.delete(jobId);
    delete this.startedAt[jobId];
  }
}

// --- entries that expire but are never deleted ----------------------------------------------
export class ExpiringCache<T> {
  private readonly entries = new Map<string, { value: T; expiresAt: number }>();
  constructor(private readonly ttlMs: number) {}
  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.expiresAt <= Date.now()) return undefined;
    return entry.value;
  }
  set(key: string, value: T): void {
    // ruleid: NLL301 -- expired entries are skipped on read and stay in the map
    this.entries.set(key, { value, expiresAt: Date.now() + this.ttlMs });
  }
}

export class SweptCache<T> {
  private readonly entries = new Map<string, { value: T; expiresAt: number }>();
  constructor(private readonly ttlMs: number) {}
  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.expiresAt <= Date.now()) return undefined;
    return entry.value;
  }
  set(key: string, value: T): void {
    // ok: NLL301 -- `sweep()` deletes expired entries
    this.entries.set(key, { value, expiresAt: Date.now() + this.ttlMs });
  }
  sweep(): void {
    for (const [key, entry] of this.entries) if (entry.expiresAt <= Date.now()) this.entries.delete(key);
  }
}

// --- Sets filled from what a call given only constants returns ----------------------------
declare const pluginHooks: { callAll(name: string): string[] };
const supportedElements = new Set<string>(['div', 'p']);
export { supportedElements };
export async function importDocument(raw: string): Promise<unknown> {
  // ok: NLL301 -- the same element names on every run
  pluginHooks.callAll('registerBlockElements').forEach((element) => supportedElements.add(element));
  return JSON.parse(raw);
}

const seenLabels = new Set<string>();
export function tagged(req: { body: { labels: string[] } }, res: { end(): void }): void {
  // ruleid: NLL301 -- labels from each request body
  req.body.labels.forEach((label) => seenLabels.add(label));
  res.end();
}

// --- key cardinality: high needs each growth to add an entry that stays ---------------------
import integrationEvents from './integration-events';
import { registry } from './plugin-registry';

// A client class of this file re-emits what its socket receives: its listeners get the data
// of each message (the class's own `this.emit` calls are in view).
class Wire extends EventEmitter {
  constructor(socket: Socket) {
    super();
    socket.on('data', (chunk: Buffer) => this.emit('reply', JSON.parse(String(chunk))));
  }
}
const wire = new Wire(connectSocket());
const replies: Record<string, unknown> = {};
wire.on('reply', (reply: { id: string }) => {
  // ruleid: NLL301 -- high: one property per reply id the peer sends
  replies[reply.id] = reply;
});

// Status per service: a constant, or an argument of the project's own event whose emit
// calls live in another module (a small set of integrations in practice): medium.
const connectionStates: Record<string, string> = {};
function setConnectionState(serviceId: string, state: string): void {
  // ruleid: NLL301 -- medium: 'chat' or an integration's id
  connectionStates[serviceId] = state;
}
server.addHook('onReady', async () => setConnectionState('chat', 'connected'));
integrationEvents.on('integration-connected', (id: string) =>
  setConnectionState(`integration.${id}`, 'connected'),
);

// Keyed by a property of what a lookup returns: medium.
const libraries: Record<string, { id: string }> = {};
server.post('/plugins', async (request: FastifyRequest<{ Body: { plugin: string } }>) => {
  const plugin = registry.get(request.body.plugin);
  // ruleid: NLL301 -- medium: one property per registered plugin, not per request
  libraries[plugin.id] = plugin;
  return plugin;
});

// A module-level counter is a new key every time.
let sequence = 0;
const arrivalsBySequence = new Map<number, string>();
server.get('/arrive', async (request) => {
  sequence += 1;
  // ruleid: NLL301 -- high: keyed by a counter
  arrivalsBySequence.set(sequence, request.ip);
  return sequence;
});

declare function connectSocket(): Socket;

// Collections kept in a collection: the listeners of each topic. An empty topic is
// dropped whole; a listener never leaves its list when its connection ends.
const listenersByTopic: Record<string, string[]> = {};
server.get('/subscribe/:topic', async (request: FastifyRequest<{ Params: { topic: string } }>) => {
  const { topic } = request.params;
  listenersByTopic[topic] = listenersByTopic[topic] || [];
  // ruleid: NLL301 -- medium: one listener per request, removed only with its whole topic
  listenersByTopic[topic].push(request.id);
  if (listenersByTopic[topic].length === 0) delete listenersByTopic[topic];
  return 'ok';
});
const watchersByKey = new Map<string, Set<string>>();
server.get('/watch/:key', async (request: FastifyRequest<{ Params: { key: string } }>) => {
  const { key } = request.params;
  if (!watchersByKey.has(key)) watchersByKey.set(key, new Set());
  // ok: NLL301 -- removed when the request ends
  watchersByKey.get(key)?.add(request.id);
  request.raw.on('close', () => {
    watchersByKey.forEach((watchers) => watchers.delete(request.id));
    watchersByKey.delete(key);
  });
  return 'ok';
});

// A tombstone is not a delete: `set(id, null)` keeps the key.
const inflightById = new Map<string, Promise<unknown> | null>();
server.get('/report/:id', async (request: FastifyRequest<{ Params: { id: string } }>) => {
  const { id } = request.params;
  const report = buildReport(id);
  // ruleid: NLL301 -- high: the cleanup keeps every id ever requested
  inflightById.set(id, report);
  try {
    return await report;
  } finally {
    inflightById.set(id, null);
  }
});
declare function buildReport(id: string): Promise<unknown>;

// --- what the end of the work evicts from a sibling, kept in this one --------------------------
interface Closable {
  once(event: 'close', fn: () => void): void;
}

export class StreamServer {
  private readonly active = new Map<string, Closable>();
  private readonly closedIds = new Set<string>();
  private readonly ended = new Set<string>();

  track(id: string, conn: Closable): void {
    this.active.set(id, conn);
    conn.once('close', () => {
      this.active.delete(id);
      // ruleid: NLL301 -- the close handler evicts `id` from `active` and keeps it here
      this.closedIds.add(id);
    });
  }

  trackWithExpiry(id: string, conn: Closable): void {
    conn.once('close', () => {
      this.active.delete(id);
      // ok: NLL301 -- removed again a minute later
      this.ended.add(id);
      setTimeout(() => this.ended.delete(id), 60_000);
    });
  }
}

// --- a function returned by a factory made once at module top level -------------------------
function memoizeAsync<T>(load: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const pending: Record<string, Promise<T>> = {};
  return (key) => {
    // ruleid: NLL301 -- `fetchInvoice` is made once below and called with each request's id
    pending[key] ??= load(key);
    return pending[key];
  };
}
declare function loadInvoice(id: string): Promise<unknown>;
export const fetchInvoice = memoizeAsync(loadInvoice);

export function perCall(id: string): Promise<unknown> {
  // ok: NLL301 -- made per call: its cache dies with the call
  const once = memoizeAsync(loadInvoice);
  return once(id);
}

// An RPC client: a reply deletes its request, the timeout only rejects it
interface Pending {
  timer: NodeJS.Timeout;
  resolve: (body: unknown) => void;
  reject: (err: Error) => void;
}
export class RpcClient {
  private next = 0;
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly channel: EventEmitter & { send(msg: object): void }) {
    channel.on('reply', (msg: { id: string; body: unknown }) => {
      const request = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      request?.resolve(msg.body);
    });
  }

  call(body: unknown): Promise<unknown> {
    const id = String(this.next++);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.cancel(id), 30_000);
      // ruleid: NLL301 -- the timeout ends the request through cancel(), which never deletes it
      this.pending.set(id, { timer, resolve, reject });
      this.channel.send({ id, body });
    });
  }

  private cancel(id: string): void {
    const request = this.pending.get(id);
    if (!request) return;
    clearTimeout(request.timer);
    request.reject(new Error(`request ${id} timed out`));
  }
}

export class FixedRpcClient {
  private next = 0;
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly channel: EventEmitter & { send(msg: object): void }) {
    channel.on('reply', (msg: { id: string; body: unknown }) => {
      const request = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      request?.resolve(msg.body);
    });
  }

  call(body: unknown): Promise<unknown> {
    const id = String(this.next++);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.cancel(id), 30_000);
      // ok: NLL301 -- deleted on both ways the request ends: the reply and the timeout
      this.pending.set(id, { timer, resolve, reject });
      this.channel.send({ id, body });
    });
  }

  private cancel(id: string): void {
    const request = this.pending.get(id);
    if (!request) return;
    clearTimeout(request.timer);
    this.pending.delete(id);
    request.reject(new Error(`request ${id} timed out`));
  }
}

// --- deletes behind a guard some entries never satisfy ----------------------------------------
interface Expiring {
  val: string;
  exp: number;
}

export class ReadExpiryCache {
  private readonly store = new Map<string, Expiring>();

  get(key: string): string | null {
    const entry = this.store.get(key);
    if (!entry || Date.now() > entry.exp) {
      this.store.delete(key);
      return null;
    }
    return entry.val;
  }

  set(key: string, val: string, ttlMs: number): void {
    // ruleid: NLL301 -- an expired entry goes only when its own key is read again
    this.store.set(key, { val, exp: Date.now() + ttlMs });
  }
}

export class SweptExpiryCache {
  private readonly store = new Map<string, Expiring>();
  private readonly sweeper = setInterval(() => this.sweep(), 60_000);

  get(key: string): string | null {
    const entry = this.store.get(key);
    if (!entry || Date.now() > entry.exp) {
      this.store.delete(key);
      return null;
    }
    return entry.val;
  }

  set(key: string, val: string, ttlMs: number): void {
    // ok: NLL301 -- the sweep deletes expired entries nobody reads again
    this.store.set(key, { val, exp: Date.now() + ttlMs });
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.store) if (now > entry.exp) this.store.delete(key);
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}

type Callback = (...args: unknown[]) => void;

export class LocalPresence {
  private readonly channels = new EventEmitter();
  private readonly subscriptions: { [topic: string]: Callback[] } = {};

  subscribe(topic: string, callback: Callback): void {
    // ruleid: NLL301 -- unsubscribe(topic) without a callback leaves the list full
    if (!this.subscriptions[topic]) this.subscriptions[topic] = [];
    this.subscriptions[topic].push(callback);
    this.channels.on(topic, callback);
  }

  unsubscribe(topic: string, callback?: Callback): void {
    const callbacks = this.subscriptions[topic];
    if (!callbacks) return;
    if (callback) {
      const index = callbacks.indexOf(callback);
      if (index !== -1) {
        callbacks.splice(index, 1);
        this.channels.removeListener(topic, callback);
      }
    } else {
      for (const cb of callbacks) this.channels.removeListener(topic, cb);
    }
    if (callbacks.length === 0) {
      delete this.subscriptions[topic];
    }
  }
}

export class FixedLocalPresence {
  private readonly channels = new EventEmitter();
  private readonly subscriptions: { [topic: string]: Callback[] } = {};

  subscribe(topic: string, callback: Callback): void {
    // ok: NLL301 -- both ways of unsubscribing leave the list empty when nothing is left
    if (!this.subscriptions[topic]) this.subscriptions[topic] = [];
    this.subscriptions[topic].push(callback);
    this.channels.on(topic, callback);
  }

  unsubscribe(topic: string, callback?: Callback): void {
    const callbacks = this.subscriptions[topic];
    if (!callbacks) return;
    if (callback) {
      const index = callbacks.indexOf(callback);
      if (index !== -1) {
        callbacks.splice(index, 1);
        this.channels.removeListener(topic, callback);
      }
    } else {
      for (const cb of callbacks) this.channels.removeListener(topic, cb);
      callbacks.splice(0);
    }
    if (callbacks.length === 0) {
      delete this.subscriptions[topic];
    }
  }
}

const liveSessions = new Map<string, { user: string }>();
const lastSeen = new Map<string, number>();

export function touchSession(hash: string, found: { user: string } | null): boolean {
  if (!found) {
    liveSessions.delete(hash);
    return false;
  }
  liveSessions.set(hash, found);
  // ruleid: NLL301 -- a session that disappears is deleted from liveSessions, not from here
  lastSeen.set(hash, Date.now());
  return true;
}

export function endSession(hash: string): void {
  liveSessions.delete(hash);
  lastSeen.delete(hash);
}

const fixedLiveSessions = new Map<string, { user: string }>();
const fixedLastSeen = new Map<string, number>();

export function touchFixedSession(hash: string, found: { user: string } | null): boolean {
  if (!found) {
    fixedLiveSessions.delete(hash);
    fixedLastSeen.delete(hash);
    return false;
  }
  fixedLiveSessions.set(hash, found);
  // ok: NLL301 -- evicted together with its sibling on every path
  fixedLastSeen.set(hash, Date.now());
  return true;
}

export function endFixedSession(hash: string): void {
  fixedLiveSessions.delete(hash);
  fixedLastSeen.delete(hash);
}

import type { IncomingMessage, ServerResponse } from 'node:http';

export class ResponseTracker {
  private readonly pending = new Map<string, ServerResponse>();
  private readonly sweeper: NodeJS.Timeout;

  constructor() {
    this.sweeper = setInterval(() => {
      for (const [id, res] of this.pending) {
        if (res.writableFinished) this.pending.delete(id);
      }
    }, 10_000);
  }

  track(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    // ruleid: NLL301 -- a response whose client disconnects never finishes
    this.pending.set(randomUUID(), res);
    next();
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}

export class FixedResponseTracker {
  private readonly pending = new Map<string, ServerResponse>();
  private readonly sweeper: NodeJS.Timeout;

  constructor() {
    this.sweeper = setInterval(() => {
      for (const [id, res] of this.pending) {
        if (res.writableFinished || res.destroyed) this.pending.delete(id);
      }
    }, 10_000);
  }

  track(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    // ok: NLL301 -- destroyed responses are swept too
    this.pending.set(randomUUID(), res);
    next();
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}

const renderCache = new Map<string, string>();
const renderedAt = new Map<string, number>();

export function rerender(page: string, html: string): void {
  renderCache.delete(page);
  renderCache.set(page, html);
  // ok: NLL301 -- the sibling's delete replaces its entry; it does not drop the key
  renderedAt.set(page, Date.now());
}

export function forgetPage(page: string): void {
  renderCache.delete(page);
  renderedAt.delete(page);
}

export class ResettingPresence {
  private readonly channels = new EventEmitter();
  private readonly subscriptions: { [topic: string]: Callback[] } = {};

  subscribe(topic: string, callback: Callback): void {
    // ok: NLL301 -- the list is emptied after either branch, before the length check
    if (!this.subscriptions[topic]) this.subscriptions[topic] = [];
    this.subscriptions[topic].push(callback);
    this.channels.on(topic, callback);
  }

  unsubscribe(topic: string, callback?: Callback): void {
    const callbacks = this.subscriptions[topic];
    if (!callbacks) return;
    if (callback) {
      this.channels.removeListener(topic, callback);
    } else {
      for (const cb of callbacks) this.channels.removeListener(topic, cb);
    }
    callbacks.length = 0;
    if (callbacks.length === 0) {
      delete this.subscriptions[topic];
    }
  }
}

// --- per-call state hoisted out of a returned function ----------------------------------------
export class EventTriggers {
  private handlers: Array<(params: unknown[]) => Promise<unknown>> = [];

  trigger(event: string): (...params: unknown[]) => Promise<unknown[]> {
    const responses: unknown[] = [];
    const matching = this.handlers.filter((h) => h.name === event);
    return async (...params: unknown[]) => {
      await Promise.all(
        matching.map(async (handler) => {
          const res = await handler(params);
          // ruleid: NLL301 -- one array for every event the returned handler ever serves
          responses.push(res);
        }),
      );
      return responses;
    };
  }

  fixedTrigger(event: string): (...params: unknown[]) => Promise<unknown[]> {
    const matching = this.handlers.filter((h) => h.name === event);
    return async (...params: unknown[]) => {
      const responses: unknown[] = [];
      await Promise.all(
        matching.map(async (handler) => {
          const res = await handler(params);
          // ok: NLL301 -- a fresh array per event
          responses.push(res);
        }),
      );
      return responses;
    };
  }

  history(): (entry: string) => number {
    const seen: string[] = [];
    return (entry: string) => {
      // ok: NLL301 -- configuration from the factory's caller, not made per call
      seen.push(event0);
      return seen.length;
    };
  }
}
const event0 = 'start';

// --- a delete keyed by another collection's keys ----------------------------------------------
const subscribers = new Map<string, Set<WebSocket>>();
const channels = new Map<string, { close(): void }>();
export function onLocation(data: { orderId: string; displayId: string; driverId: string }): void {
  const orderUUID = data.orderId;
  const orderDisplayId = data.displayId;
  subscribers.get(orderDisplayId)?.forEach((ws) => ws.send('ping'));
  subscribers.get(data.driverId)?.forEach((ws) => ws.send('ping'));
  if (!channels.has(orderUUID)) {
    // ruleid: NLL301 -- deleted only under the subscribers' keys
    channels.set(orderUUID, openChannel(orderUUID));
  }
}
export function dropSocket(ws: WebSocket): void {
  for (const key of subscribers.keys()) {
    const set = subscribers.get(key)!;
    set.delete(ws);
    if (set.size === 0) {
      subscribers.delete(key);
      channels.delete(key);
    }
  }
}

const topicSubscribers = new Map<string, Set<WebSocket>>();
const topicChannels = new Map<string, { close(): void }>();
export function onTopic(data: { topic: string }): void {
  const topicKey = data.topic;
  const channelKey = topicKey;
  topicSubscribers.get(topicKey)?.forEach((ws) => ws.send('ping'));
  if (!topicChannels.has(channelKey)) {
    // ok: NLL301 -- `channelKey` is `topicKey`: the cleanup's keys are this one's
    topicChannels.set(channelKey, openChannel(channelKey));
  }
}
export function dropTopicSocket(ws: WebSocket): void {
  topicSubscribers.forEach((set, key) => {
    set.delete(ws);
    if (set.size === 0) {
      topicSubscribers.delete(key);
      topicChannels.delete(key);
    }
  });
}
declare function openChannel(id: string): { close(): void };

// --- a listener's local whose entries' own end is heard and left in ---------------------------
import type { EventEmitter as Emitter } from 'node:events';
declare function startJob(spec: string): { id: string; job: Emitter };
export function serve(bus: Emitter, win: Emitter): void {
  const running = new Map<string, Emitter>();
  bus.on('start', (spec: string) => {
    const { id, job } = startJob(spec);
    // ruleid: NLL301 -- the job's 'close' is heard, the entry stays until the window closes
    running.set(id, job);
    job.on('close', () => bus.emit('done', id));
  });
  win.on('close', () => {
    for (const [key] of running) running.delete(key);
  });
}

export function serveFixed(bus: Emitter, win: Emitter): void {
  const running = new Map<string, Emitter>();
  bus.on('start', (spec: string) => {
    const { id, job } = startJob(spec);
    // ok: NLL301 -- deleted when the job closes
    running.set(id, job);
    job.on('close', () => {
      running.delete(id);
      bus.emit('done', id);
    });
  });
  win.on('close', () => running.clear());
}

// A class made as a local of each call: its fields die with the call that made them.
class LinkCollector {
  public readonly seen = new Set<string>();
  constructor(public readonly limit: number) {}
  public addAll(urls: string[]): void {
    for (const url of urls) {
      if (this.seen.has(url)) continue;
      // ok: NLL301 -- each LinkCollector is a local of one request and never leaves it
      this.seen.add(url);
    }
  }
}
server.post("/crawl", async (request: FastifyRequest<{ Body: { url: string } }>) => {
  const collector = new LinkCollector(100);
  collector.addAll(await fetchLinks(request.body.url));
  return { count: collector.seen.size, urls: [...collector.seen] };
});
class LinkKeeper {
  public readonly seen = new Set<string>();
  constructor(public readonly limit: number) {}
  public addAll(urls: string[]): void {
    for (const url of urls) {
      if (this.seen.has(url)) continue;
      // ruleid: NLL301 -- the set outlives its request: the handler stores it in `keptSeen`
      this.seen.add(url);
    }
  }
}
let keptSeen: Set<string> | null = null;
server.post("/keep", async (request: FastifyRequest<{ Body: { url: string } }>) => {
  const keeper = new LinkKeeper(100);
  keeper.addAll(await fetchLinks(request.body.url));
  keptSeen = keeper.seen;
  return { count: keeper.seen.size };
});
export const lastKept = (): Set<string> | null => keptSeen;
declare function fetchLinks(url: string): Promise<string[]>;

// A collection handed to a helper of this file that deletes from its parameter is shrunk there.
import * as fs from "node:fs";
const fileWatchers = new Map<string, fs.FSWatcher>();
function releaseWatcher(registry: Map<string, fs.FSWatcher>, key: string): void {
  registry.get(key)?.close();
  registry.delete(key);
}
export function watchPath(path: string, onChange: () => void): void {
  const watcher = fs.watch(path, onChange);
  // ok: NLL301 -- releaseWatcher(fileWatchers, path) deletes the entry through its parameter
  fileWatchers.set(path, watcher);
  watcher.on("error", () => releaseWatcher(fileWatchers, path));
}
const filePollers = new Map<string, fs.FSWatcher>();
function describeWatcher(registry: Map<string, fs.FSWatcher>, key: string): string | undefined {
  return registry.get(key) ? key : undefined;
}
export function pollPath(path: string, onChange: () => void): void {
  const poller = fs.watch(path, onChange);
  // ruleid: NLL301 -- describeWatcher(filePollers, path) only reads its parameter
  filePollers.set(path, poller);
  poller.on("error", () => console.warn(describeWatcher(filePollers, path)));
}

// --- a factory's local helper that the returned object's methods call -----------------------
interface Job {
  id: string;
  done: Promise<void>;
}

function createRunner() {
  const running = new Map<string, Job>();
  const track = (job: Job): void => {
    // ruleid: NLL301 -- the runner is made once below and `run` runs per request
    running.set(job.id, job);
  };
  return {
    run(job: Job): string {
      track(job);
      return job.id;
    },
  };
}
const runner = createRunner();
app.post('/run', (req: any, res: any) => res.json(runner.run(req.body)));

function createFixedRunner() {
  const running = new Map<string, Job>();
  const track = async (job: Job): Promise<void> => {
    // ok: NLL301 -- the job is deleted when it ends, however it ends
    running.set(job.id, job);
    try {
      await job.done;
    } finally {
      running.delete(job.id);
    }
  };
  return {
    run(job: Job): string {
      track(job);
      return job.id;
    },
  };
}
const fixedRunner = createFixedRunner();
app.post('/fixed-run', (req: any, res: any) => res.json(fixedRunner.run(req.body)));

// --- the instance handed to a function of the file: its parameter's field is the field ----------
export class ReplyTable {
  private pending: Record<string, () => void> = {};
  expect(resolve: () => void): void {
    // ok: NLL301 -- `settle(this, id)` deletes the entry through its parameter
    const id = randomUUID();
    this.pending[id] = resolve;
    setTimeout(() => settle(this, id), 1000);
  }
}
function settle(table: ReplyTable, id: string): void {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  delete (table as any).pending[id];
}

// --- counter keys that reach the key through a field read or a method's parameter ---------
export class ReplyBroker {
  private replyIdCounter = 0;
  private pendingReplies: Record<number, (value: unknown) => void> = {};
  constructor(private readonly pub: { publish(channel: string, msg: unknown): void }) {}
  request(payload: unknown): Promise<unknown> {
    if (payload) {
      ++this.replyIdCounter;
      const replyId = this.replyIdCounter;
      this.pub.publish('work', { replyId, payload });
      return new Promise((resolve) => {
        // ruleid: NLL301 -- keyed by the counter stepped just above; no reply path deletes it
        this.pendingReplies[replyId] = resolve;
      });
    }
    return Promise.resolve(null);
  }
  onReply(msg: { replyId: number; payload: unknown }): void {
    const resolve = this.pendingReplies[msg.replyId];
    if (resolve) resolve(msg.payload);
  }
}
export class AckSocket {
  private ids = 0;
  private acks: Record<number, (data: unknown) => void> = {};
  private labels: Record<string, string> = {};
  constructor(private readonly io: { write(event: string): void }) {}
  emit(event: string, ack: (data: unknown) => void): void {
    this.registerAck(this.ids++, ack);
    this.label('last', event);
    this.io.write(event);
  }
  private registerAck(id: number, ack: (data: unknown) => void): void {
    // ruleid: NLL301 -- every caller in view passes `this.ids++`: a new key per call
    this.acks[id] = ack;
  }
  private label(slot: string, event: string): void {
    // ok: NLL301 -- its only caller passes a constant slot
    this.labels[slot] = event;
  }
  onack(packet: { id: number; data: unknown }): void {
    const ack = this.acks[packet.id];
    if (ack) ack(packet.data);
  }
}

// --- a table of callbacks awaiting replies must be flushed by teardown --------------------
type Ack = (data: unknown) => void;
export class AckClient {
  private ids = 0;
  private acks: Record<number, Ack> = {};
  constructor(private readonly io: { write(msg: unknown): void; close(): void }) {}
  emit(event: string, ack: Ack): void {
    const id = this.ids++;
    // ruleid: NLL301 -- deleted as each reply comes, never by `disconnect()`: in-flight acks stay
    this.acks[id] = ack;
    this.io.write({ id, event });
  }
  onack(packet: { id: number; data: unknown }): void {
    const ack = this.acks[packet.id];
    if (ack) {
      delete this.acks[packet.id];
      ack(packet.data);
    }
  }
  disconnect(): void {
    this.io.close();
  }
}
export class FlushingAckClient {
  private ids = 0;
  private acks: Record<string, Ack> = {};
  constructor(private readonly io: { write(msg: unknown): void; close(): void }) {}
  emit(event: string, ack: Ack): void {
    const id = this.ids++;
    // ok: NLL301 -- `disconnect()` fails and deletes every ack still waiting
    this.acks[id] = ack;
    this.io.write({ id, event });
  }
  onack(packet: { id: number; data: unknown }): void {
    const ack = this.acks[packet.id];
    if (ack) {
      delete this.acks[packet.id];
      ack(packet.data);
    }
  }
  disconnect(): void {
    for (const id of Object.keys(this.acks)) {
      const ack = this.acks[id];
      delete this.acks[id];
      ack(new Error('disconnected'));
    }
    this.io.close();
  }
}

// Formats keyed by name, and every caller of `registerFormat` passes a constant or an
// element of a literal list (arguments reach parameters): a small fixed set of keys.
const formatsByName = new Map<string, string>();
function registerFormat(name: string, pattern: string): void {
  // ok: NLL301 -- every caller passes a fixed value: the keys are a small fixed set
  formatsByName.set(name, pattern);
}
const ISO = 'iso';
server.get('/formats', async () => {
  registerFormat(ISO, 'YYYY-MM-DD');
  for (const unit of ['ms', 's'] as const) registerFormat(unit, unit);
  return [...formatsByName.keys()];
});

// The same shape, but one caller passes the request's query: a new key per request.
const tagsByName = new Map<string, number>();
function tagName(name: string): void {
  // ruleid: NLL301
  tagsByName.set(name, Date.now());
}
server.get('/tags', async (request: FastifyRequest<{ Querystring: { tag: string } }>) => {
  tagName('home');
  tagName(request.query.tag);
  return tagsByName.size;
});

// A private method has no callers but its class's: here each passes a literal event name.
class Dispatcher {
  private handlers: Record<string, Array<() => void>> = {};

  private subscribeTo(event: string, handler: () => void): void {
    if (!this.handlers[event]) {
      // ok: NLL301 -- every caller of the private `subscribeTo` passes a literal event name
      this.handlers[event] = [];
    }
    this.handlers[event].push(handler);
  }

  ready(handler: () => void): void {
    this.subscribeTo('ready', handler);
  }

  closed(handler: () => void): void {
    this.subscribeTo('closed', handler);
  }
}
export const dispatcher = new Dispatcher();
