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
  // ruleid: NLL501
  rows.pipe(createGzip()).pipe(reply.raw);
});

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
