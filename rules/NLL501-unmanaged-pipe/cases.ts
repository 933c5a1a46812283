// Annotated cases for NLL501 unmanaged-pipe (TypeScript, ESM, Koa/Fastify/NestJS-style).
import { createReadStream, createWriteStream } from 'node:fs';
import { createGzip } from 'node:zlib';
import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import net from 'node:net';
import Koa from 'koa';
import Fastify from 'fastify';
import { Observable, from, map, mergeMap, pipe } from 'rxjs';
import { pipe as fpPipe } from 'fp-ts/function';
import { Injectable } from '@nestjs/common';

const app = new Koa();
app.use(async (ctx, next) => {
  const body = createReadStream('report.csv');
  // ruleid: NLL501
  body.pipe(ctx.res);
  await next();
});

const server = Fastify();
server.get('/export', async (request, reply) => {
  const rows = Readable.from(['a', 'b']);
  // ok: NLL501 -- with no 'error' listener a failure of `rows` is thrown, not a response left open
  rows.pipe(createGzip()).pipe(reply.raw);
});

// The file is destroyed when the response closes (the fix of a file-descriptor leak); a
// failed read with no 'error' listener throws, so nothing else is left open.
server.get('/download', async (request, reply) => {
  const file = createReadStream('report.csv');
  // ok: NLL501 -- the source is destroyed when the response closes early
  file.pipe(reply.raw);
  reply.raw.on('close', () => file.destroy());
});

// An 'error' listener that only logs: the failure is caught, and the response never ends.
server.get('/logged', async (request, reply) => {
  const file = createReadStream('report.csv');
  file.on('error', (err: Error) => console.error(err.message));
  reply.raw.on('close', () => file.destroy());
  // ruleid: NLL501
  file.pipe(reply.raw);
});

server.get('/logged-ended', async (request, reply) => {
  const file = createReadStream('report.csv');
  file.on('error', (err: Error) => {
    console.error(err.message);
    reply.raw.destroy(err);
  });
  reply.raw.on('close', () => file.destroy());
  // ok: NLL501 -- the listener destroys the response
  file.pipe(reply.raw);
});

export class UploadController {
  spool(request: { raw: NodeJS.ReadableStream & { destroy(): void } }, path: string): void {
    const out = createWriteStream(path);
    out.on('close', () => request.raw.destroy());
    // ruleid: NLL501
    request.raw.pipe(out);
  }
}

export class Hasher {
  digest(path: string): void {
    const hash = createHash('sha256');
    // ruleid: NLL501
    createReadStream(path).pipe(hash);
  }
}

export class Proxy {
  forward(port: number, upstream: Readable): void {
    const socket: net.Socket = net.connect(port);
    // ruleid: NLL501
    upstream.pipe(socket);
  }
}

export async function saveTo(path: string, data: string[]): Promise<void> {
  const upper = new Transform({ transform: (chunk, _enc, cb) => cb(null, String(chunk).toUpperCase()) });
  // ok: NLL501 -- the stream/promises pipeline propagates errors and early close
  await pipeline(Readable.from(data), upper, createWriteStream(path));
}

// ----------------------------------------------------------------- RxJS and fp-ts

export class SearchService {
  search(terms$: Observable<string>): Observable<number> {
    // ok: NLL501 -- observable pipe with operators
    return terms$.pipe(
      mergeMap((term) => from([term.length])),
      map((n) => n * 2),
    );
  }

  lengths(input$: Observable<string>): Observable<number> {
    // ok: NLL501 -- a single operator argument
    return input$.pipe(map((s) => s.length));
  }
}

// ok: NLL501 -- rxjs pipe() function
export const double = pipe(map((x: number) => x * 2));
// ok: NLL501 -- fp-ts pipe() function
export const three = fpPipe(1, (n: number) => n + 2);

// ------------------------------------------------------------- hand-written pipes (TS)

export class Bridge {
  private readonly peers = new Set<net.Socket>();

  attach(local: net.Socket, port: number): void {
    const remote = net.connect(port, '127.0.0.1');
    this.peers.add(remote);
    // ruleid: NLL501
    remote.on('data', (chunk: Buffer) => local.write(chunk));
    remote.on('end', () => local.end());
  }

  attachSafely(local: net.Socket, port: number): void {
    const remote = net.connect(port, '127.0.0.1');
    local.once('close', () => remote.destroy());
    remote.once('error', (err: Error) => local.destroy(err));
    remote.once('close', () => local.destroy());
    // ok: NLL501 -- the local socket's close destroys the remote, and the remote's errors the local
    remote.on('data', (chunk: Buffer) => local.write(chunk));
    remote.on('end', () => local.end());
  }
}

declare const relayApi: {
  send(url: string, options: { abortSignal?: AbortSignal }): Promise<Readable>;
};

server.post('/relay', async (request, reply) => {
  const controller = new AbortController();
  const events = await relayApi.send(String(request.body), { abortSignal: controller.signal });
  reply.raw.on('close', () => controller.abort());
  events.once('error', (err: Error) => reply.raw.destroy(err));
  // ok: NLL501 -- the response's close aborts the signal the stream was made with
  events.on('data', (event: Buffer) => reply.raw.write(event));
  events.on('end', () => reply.raw.end());
});

server.post('/relay-unbound', async (request, reply) => {
  const events = await relayApi.send(String(request.body), {});
  // ruleid: NLL501 -- nothing stops `events` when the client leaves
  events.on('data', (event: Buffer) => reply.raw.write(event));
  events.on('end', () => reply.raw.end());
});

// ------------------------------------------------------ upstream requests (Fastify, Koa, Egg)

server.get('/stream/:id', async (request, reply) => {
  // ruleid: NLL501
  const upstream = await fetch(`http://127.0.0.1:9000/stream/${(request.params as { id: string }).id}`);
  reply.raw.writeHead(200, { 'content-type': 'video/mp4' });
  const reader = upstream.body!.getReader();
  const pump = async (): Promise<void> => {
    const { done, value } = await reader.read();
    if (done) {
      reply.raw.end();
      return;
    }
    reply.raw.write(Buffer.from(value));
    return pump();
  };
  await pump();
});

server.get('/stream-safe/:id', async (request, reply) => {
  const controller = new AbortController();
  request.raw.on('close', () => controller.abort());
  // ok: NLL501 -- the request's close aborts the upstream fetch
  const upstream = await fetch('http://127.0.0.1:9000/stream', { signal: controller.signal });
  const reader = upstream.body!.getReader();
  for (let part = await reader.read(); !part.done; part = await reader.read()) {
    reply.raw.write(part.value);
  }
  reply.raw.end();
});

app.use(async (ctx) => {
  // ok: NLL501 -- Koa itself pipes a stream body with pipeline() and destroys it when the response ends
  const upstream = await fetch('http://127.0.0.1:9000/report');
  ctx.body = Readable.fromWeb(upstream.body as never);
});

// Egg-style controller: the Koa context is reached through `this.ctx`.
declare class Controller {
  ctx: Koa.Context;
}
export class ExportController extends Controller {
  async download(source: Readable): Promise<void> {
    // ruleid: NLL501
    source.pipe(this.ctx.res);
  }

  async upload(): Promise<void> {
    const sink = new Transform({ transform: (chunk, _enc, cb) => cb(null, chunk) });
    // ruleid: NLL501
    this.ctx.req.pipe(sink);
  }

  async uploadSafely(): Promise<void> {
    const sink = new Transform({ transform: (chunk, _enc, cb) => cb(null, chunk) });
    // ok: NLL501 -- pipeline() tears both down together
    await pipeline(this.ctx.req, sink);
  }
}

// A chain handed back to the caller, who can destroy only its last stage.
export class RowExporter {
  rows(query: NodeJS.ReadableStream): NodeJS.ReadableStream {
    // ruleid: NLL501
    return query.pipe(new Transform({ objectMode: true, transform: (row, _enc, cb) => cb(null, row) }));
  }

  rowsKept(query: NodeJS.ReadableStream): NodeJS.ReadableStream {
    // ruleid: NLL501
    const rows = query.pipe(new Transform({ objectMode: true, transform: (row, _enc, cb) => cb(null, row) }));
    return rows;
  }

  rowsKeptSafely(query: NodeJS.ReadableStream & { destroy(): void }): NodeJS.ReadableStream {
    // ok: NLL501 -- the returned stage destroys the query when it closes
    const rows = query.pipe(new Transform({ objectMode: true, transform: (row, _enc, cb) => cb(null, row) }));
    rows.once('close', () => query.destroy());
    return rows;
  }

  rowsSafely(query: NodeJS.ReadableStream): NodeJS.ReadableStream {
    const mapper = new Transform({ objectMode: true, transform: (row, _enc, cb) => cb(null, row) });
    // ok: NLL501 -- destroying the returned mapper destroys the query too
    query.pipe(mapper);
    mapper.on('close', () => query.destroy?.());
    return mapper;
  }
}

// A method of a DI service serves requests: its repetition is established like in every rule.
@Injectable()
export class ExportService {
  send(name: string, port: number): void {
    // ruleid: NLL501
    createReadStream(name).pipe(net.connect(port));
  }
}

// --- a method handed the client's response, by its declared type -----------------------------
import type { Response } from 'express';

interface ObjectStore {
  getObject(key: string): Promise<{ Body?: Readable }>;
}

export class StoredFiles {
  constructor(private readonly store: ObjectStore) {}

  serve(key: string, out: Response): void {
    this.store.getObject(key).then((result) => {
      // ruleid: NLL501 -- `out` is declared an express Response: a client that leaves stops it
      result.Body?.pipe(out);
    });
  }

  backup(path: string, out: Response): void {
    const archive = createReadStream(path);
    // ok: NLL501 -- the file also flows into the copy below, which reads it to the end
    archive.pipe(out);
    archive.pipe(createWriteStream(`${path}.copy`));
  }

  async serveSafely(key: string, out: Response): Promise<void> {
    const result = await this.store.getObject(key);
    if (!result.Body) return;
    // ok: NLL501 -- pipeline() destroys the body when the response closes early
    await pipeline(result.Body, out);
  }
}

// --- a response never read: its socket stays checked out --------------------------------------
import { request as httpsRequest } from 'node:https';

export function ping(url: URL): Promise<number | undefined> {
  return new Promise((resolve) => {
    // ruleid: NLL501 -- only the status is looked at; the body is never read
    const req = httpsRequest(url);
    req.on('response', (response) => resolve(response.statusCode));
    req.end();
  });
}

export function pingDrained(url: URL): Promise<number | undefined> {
  return new Promise((resolve) => {
    // ok: NLL501 -- resume() discards the body and frees the socket
    const req = httpsRequest(url);
    req.on('response', (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    req.end();
  });
}

// --- a source per connection kept piped into a destination the server shares -----------------
export class MessageServer {
  readonly server: net.Server;

  constructor(private readonly handler: NodeJS.WritableStream) {
    this.server = net.createServer((socket) => this.accept(socket));
  }

  private accept(socket: net.Socket): void {
    const decoder = new Transform({ transform: (chunk, _enc, done) => done(null, chunk) });
    socket.pipe(decoder);
    // ruleid: NLL501 -- a connection that fails before its end is never unpiped from the handler
    decoder.pipe(this.handler, { end: false });
    socket.on('error', () => socket.destroy());
  }
}

export class FixedMessageServer {
  readonly server: net.Server;

  constructor(private readonly handler: NodeJS.WritableStream) {
    this.server = net.createServer((socket) => this.accept(socket));
  }

  private accept(socket: net.Socket): void {
    const decoder = new Transform({ transform: (chunk, _enc, done) => done(null, chunk) });
    socket.pipe(decoder);
    // ok: NLL501 -- unpiped when the connection fails
    decoder.pipe(this.handler, { end: false });
    socket.on('error', () => {
      decoder.unpipe();
      socket.destroy();
    });
  }
}

// --- an error body left unread by a fetch wrapper its callers hand the URL to --------------------
export class DiscoveryDocumentCache {
  #cache = new Map<string, unknown>();

  async get(url: string): Promise<unknown> {
    const cached = this.#cache.get(url);
    if (cached) return cached;
    const data = await this.#fetchAndCache(url);
    return data;
  }

  async #fetchAndCache(url: string): Promise<unknown> {
    let res: Response;
    try {
      // ruleid: NLL501 -- the URL comes from the callers of the public get(url)
      res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    } catch (error) {
      throw new Error(`Failed to fetch ${url}: ${String(error)}`);
    }
    if (!res.ok) {
      throw new Error(`Failed to fetch ${url}: ${res.status} ${res.statusText}`);
    }
    const data: unknown = await res.json();
    this.#cache.set(url, data);
    return data;
  }
}

export class FixedDiscoveryDocumentCache {
  async get(url: string): Promise<unknown> {
    return this.fetchDocument(url);
  }

  private async fetchDocument(url: string): Promise<unknown> {
    // ok: NLL501 -- the body is cancelled on the error path
    const res = await fetch(url);
    if (!res.ok) {
      await res.body?.cancel();
      throw new Error(`Failed to fetch ${url}: ${res.status}`);
    }
    return res.json();
  }
}

export class StatusClient {
  constructor(private readonly base: string) {}

  async status(): Promise<unknown> {
    return this.load(`${this.base}/status`);
  }

  private async load(url: string): Promise<unknown> {
    // ok: NLL501 -- the class builds every URL itself from its own base
    const res = await fetch(url);
    if (!res.ok) throw new Error(`status: ${res.status}`);
    return res.json();
  }
}

class InternalFetcher {
  async get(url: string): Promise<unknown> {
    // ok: NLL501 -- the class is not exported: its one caller, in this file, names the URL
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${res.status}`);
    return res.json();
  }
}
const internalFetcher = new InternalFetcher();
export const loadMotd = (): Promise<unknown> => internalFetcher.get('https://motd.example.com/');
