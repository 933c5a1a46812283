// Annotated cases for NLL401 closure-retains-large-value (TypeScript, ES modules).
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { QueryClient } from '@tanstack/react-query';
import Vue from 'vue';
import { setInterval as every } from 'node:timers';

export const bus = new EventEmitter();
const pollers = new Map<string, NodeJS.Timeout>();

// --- generics, awaited reads and body readers ------------------------------------------------

export async function watch<T extends { id: string }>(item: T, url: string): Promise<void> {
  const response = await fetch(url);
  const body: ArrayBuffer = await response.arrayBuffer();
  const digest = (): number => body.byteLength;
  digest();
  // ruleid: NLL401
  const timer = setInterval((): void => refresh<T>(item), 60_000);
  pollers.set(item.id, timer);
}

export async function watchText(id: string, url: string): Promise<void> {
  const text = await (await fetch(url)).text();
  // ok: NLL401 -- the callback reads `text` itself: it needs it
  const timer = setInterval(() => compare(text), 60_000);
  pollers.set(id, timer);
}

export async function watchJson(id: string, url: string): Promise<void> {
  const res = await fetch(url);
  const doc = (await res.json()) as Record<string, unknown>;
  queueMicrotask(() => index(doc));
  // ruleid: NLL401
  const timer = every(() => ping(id), 60_000);
  pollers.set(id, timer);
}

export async function loadConfig(id: string, path: string): Promise<void> {
  const raw = await readFile(path, 'utf8');
  const parsed = JSON.parse(raw) as { interval: number };
  const interval = (() => parsed.interval)();
  // ruleid: NLL401
  const timer = setInterval(() => ping(id), interval);
  pollers.set(id, timer);
}

export async function loadReleased(id: string, path: string): Promise<void> {
  let raw: string | null = await readFile(path, 'utf8');
  queueMicrotask(() => index(raw));
  // ok: NLL401 -- released before the callback can run
  const timer = setInterval(() => ping(id), 1000);
  pollers.set(id, timer);
  raw = null;
}

export function stop(id: string): void {
  clearInterval(pollers.get(id));
  pollers.delete(id);
}

export function sampleTyped(id: string): void {
  const samples = new Float32Array(1 << 20);
  const small = new Uint8Array(16);
  queueMicrotask(() => samples.fill(0));
  queueMicrotask(() => small.fill(0));
  // ruleid: NLL401
  const timer = setInterval(() => ping(id), 1000);
  pollers.set(id, timer);
}

export function sampleSmall(id: string): void {
  const small = new Uint8Array(16);
  queueMicrotask(() => small.fill(0));
  // ok: NLL401 -- 16 bytes is not large
  const timer = setInterval(() => ping(id), 1000);
  pollers.set(id, timer);
}

// --- class fields and static collections -----------------------------------------------------

export class Loader<T> {
  static handlers = new Map<string, () => void>();
  private readonly listeners: Array<() => void> = [];
  onLoad = (): void => console.log('loaded');

  load(path: string): void {
    const contents = readFileSync(path);
    const decoded = contents.toString('utf8');
    const check = (): boolean => decoded.length > 0;
    check();
    // ruleid: NLL401
    Loader.handlers.set(path, () => console.log('ready', path));
  }

  unload(path: string): void {
    Loader.handlers.delete(path);
  }

  track(path: string): void {
    const contents = readFileSync(path);
    queueMicrotask(() => parse(contents));
    // ok: NLL401 -- an instance field is not a process-lived holder
    this.listeners.push(() => console.log(path));
  }

  static register(path: string): void {
    const contents = readFileSync(path);
    queueMicrotask(() => parse(contents));
    // ruleid: NLL401
    this.handlers.set(path, () => console.log(path));
  }
}

// --- listeners, once-run setup ----------------------------------------------------------------

export function init(path: string): void {
  const bundle = readFileSync(path);
  const size = (): number => bundle.length;
  console.log(size());
  // ruleid: NLL401
  process.on('SIGINT', () => process.exit(0));
  // ok: NLL401 -- `once` for an event that fires once per piece of work is not long-lived
  bus.once('ready', () => console.log('ready'));
}
init('bundle.js');

// --- factories stored at module scope ---------------------------------------------------------

function createStore<T>(path: string) {
  const snapshot = JSON.parse(readFileSync(path, 'utf8')) as T[];
  const count = (): number => snapshot.length;
  console.log(count());
  return {
    // ruleid: NLL401
    get: (key: string): string => key,
  };
}
export const store = createStore<{ id: string }>('store.json');

export const api = (() => {
  const seed = Buffer.from(readFileSync('seed.bin'));
  queueMicrotask(() => seed.fill(0));
  // ruleid: NLL401
  return () => 'api';
})();

function createLocal(path: string) {
  const snapshot = readFileSync(path);
  queueMicrotask(() => parse(snapshot));
  // ok: NLL401 -- the result is not stored at module scope
  return () => 'local';
}

export function handle(): string {
  return createLocal('x.bin')();
}

declare function refresh<T>(item: T): void;
declare function compare(text: string): void;
declare function index(doc: unknown): void;
declare function ping(id: string): void;
declare function parse(data: Buffer): void;

// --- data caches at module scope of a browser-only module --------------------------------------
// ok: NLL401 -- no "use client" directive: nothing says the server renders this module
export const browserQueries = new QueryClient();

// --- closures handed to a function that stores them ---------------------------------------------
type Hook = () => void;
const exitHooks: Hook[] = [];
function atExit(hook: Hook): void {
  exitHooks.push(hook);
}

export async function importFile(path: string): Promise<number> {
  const raw = await readFile(path);
  const length = (): number => raw.length;
  // ruleid: NLL401
  atExit(() => console.log('imported', path));
  return length();
}

export async function importSmall(path: string): Promise<void> {
  // ok: NLL401 -- no large value in this scope
  atExit(() => console.log('imported', path));
}

// --- per-call objects stored on a process-wide prototype ---------------------------------------
export async function createApp(ssrContext: { req: unknown; res: unknown }): Promise<void> {
  // ruleid: NLL401
  Vue.prototype.$ssrRequestContext = ssrContext;
  // ok: NLL401 -- a fresh object holding only what every render may share
  Vue.prototype.$cacheTags = { tags: [] as string[] };
}

export function installPlugin(LocalVue: { prototype: Record<string, unknown> }, options: object): void {
  // ok: NLL401 -- the class is the caller's (a parameter), not a process-wide import
  LocalVue.prototype.$options = options;
}

// --- closures kept on fields of instances that live as long as the process ---------------------

export class ReportService {
  private readonly onClose: Array<() => void> = [];

  async render(path: string): Promise<number> {
    const template = await readFile(path);
    const measure = (): number => template.length;
    // ruleid: NLL401
    this.onClose.push(() => console.log('closing', path));
    return measure();
  }
}
export const reports = new ReportService();

declare function Component(options: object): ClassDecorator;

@Component({ selector: 'app-renderer' })
export class Renderer {
  private readonly onClose: Array<() => void> = [];

  async render(path: string): Promise<number> {
    const template = await readFile(path);
    const measure = (): number => template.length;
    // ok: NLL401 -- a decorator alone does not say how long an instance lives
    this.onClose.push(() => console.log('closing', path));
    return measure();
  }
}

// Known gaps (hapi #1634, xstate #1023): holders the rule does not model yet.
import * as domains from 'node:domain';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';

createServer((req: IncomingMessage, res: ServerResponse) => {
  const d = domains.create();
  // todoruleid: NLL401 -- a domain lives as long as the timers, sockets and emitters made while it is entered
  d.on('error', (err: Error) => console.error(req.url, err));
  d.run(() => {
    setTimeout(() => console.log('expired'), 600000);
    res.end();
  });
}).listen(0);

interface SnapshotConfig {
  value: string;
  previous?: Snapshot;
}
export class Snapshot {
  value: string;
  previous?: Snapshot;
  declare readonly size: number;

  constructor(config: SnapshotConfig) {
    this.value = config.value;
    this.previous = config.previous;
    // todoruleid: NLL401 -- the getter keeps the whole argument, `config.previous` too, after forget()
    Object.defineProperty(this, 'size', { get: () => config.value.length });
  }

  forget(): void {
    delete this.previous;
  }
}

// --- a push on something that is no collection ---------------------------------------------------
declare class TaskQueue {
  push<T>(task: () => Promise<T>): Promise<T>;
}
const jobs = new TaskQueue();
export function enqueue(payload: Buffer, done: (size: number) => void): void {
  // ok: NLL401 -- `TaskQueue.push` runs the task and lets it go: not an array's push
  void jobs.push(async () => done(payload.length));
}
