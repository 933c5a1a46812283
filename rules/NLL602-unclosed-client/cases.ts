// Annotated cases for NLL602 unclosed-client (TypeScript: NestJS, Fastify, Koa, ES imports).
import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { PrismaClient } from '@prisma/client';
import { Kafka } from 'kafkajs';
import { Sequelize } from 'sequelize';
import { Agent } from 'undici';
import * as https from 'node:https';
import Fastify from 'fastify';
import Koa from 'koa';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { Pool as PgPool } from 'pg';
import { NodeSSH } from 'node-ssh';
import { Client } from './my-client';
import { chromium, type Browser } from 'playwright';
import { open } from 'node:fs/promises';
import * as tls from 'node:tls';
import type { TLSSocket } from 'node:tls';
import type { DataSource } from 'typeorm';
import type { Pool as GenericPool } from 'generic-pool';

const fastify = Fastify();
const koa = new Koa();

// ok: NLL602 -- one client for the whole process
export const prisma = new PrismaClient();

fastify.get('/users', async (request, reply) => {
  // ruleid: NLL602
  const db = new PrismaClient();
  return db.user.findMany();
});

fastify.get('/users-ok', async (request, reply) => {
  // ok: NLL602 -- $disconnect in finally
  const db = new PrismaClient();
  try {
    return await db.user.findMany();
  } finally {
    await db.$disconnect();
  }
});

fastify.get('/report', async (request) => {
  // ruleid: NLL602 -- a library constructor imported under another name is the same client
  const db = new PgPool();
  return (await db.query('select 1')).rows;
});

fastify.post('/deploy', async (request) => {
  // ruleid: NLL602 -- an SSH connection per request, never disposed
  const ssh = new NodeSSH();
  await ssh.connect({ host: 'build', username: 'deploy' });
  return ssh.execCommand('uptime');
});

fastify.post('/deploy-ok', async (request) => {
  // ok: NLL602 -- disposed in finally
  const ssh = new NodeSSH();
  try {
    await ssh.connect({ host: 'build', username: 'deploy' });
    return await ssh.execCommand('uptime');
  } finally {
    ssh.dispose();
  }
});

koa.use(async (ctx, next) => {
  // ruleid: NLL602
  const sequelize = new Sequelize(process.env.DB_URL as string);
  ctx.state.rows = await sequelize.query('select 1');
  await next();
});

koa.use(async (ctx, next) => {
  // ruleid: NLL602
  const agent = new Agent({ connections: 10 });
  ctx.body = await fetch('https://api', { dispatcher: agent } as RequestInit);
  await next();
});

fastify.post('/publish', async (request) => {
  // ruleid: NLL602
  const kafka = new Kafka({ brokers: ['k:9092'] });
  const producer = kafka.producer();
  await producer.send({ topic: 't', messages: [{ value: 'x' }] });
});

fastify.get('/tls', async (request, reply) => {
  // ok: NLL602 -- destroyed after use
  const agent = new https.Agent({ keepAlive: true });
  try {
    return await get(agent);
  } finally {
    agent.destroy();
  }
});

fastify.get('/own', async () => {
  // ok: NLL602 -- `Client` from this project, not a database driver
  const c = new Client();
  return c.ping();
});

@Injectable()
export class CacheService implements OnModuleDestroy {
  // ok: NLL602 -- closed in onModuleDestroy
  private readonly redis = new Redis(process.env.REDIS_URL as string);

  get(key: string): Promise<string | null> {
    return this.redis.get(key);
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis.quit();
  }
}

@Injectable()
export class ReportService {
  async run(sql: string): Promise<unknown[]> {
    // ruleid: NLL602
    const pool = new Pool();
    const { rows } = await pool.query(sql);
    return rows;
  }
}

@Injectable()
export class PoolService {
  // ruleid: NLL602
  private readonly pool = new Pool();
  query(sql: string) {
    return this.pool.query(sql);
  }
}

export class Lazy {
  private client?: Redis;
  get redis(): Redis {
    // ok: NLL602 -- lazily created once per instance and closed in close()
    this.client ??= new Redis();
    return this.client;
  }
  async close(): Promise<void> {
    await this.client?.quit();
  }
}

export class Singleton {
  private client?: Redis;
  getClient(): Redis {
    if (this.client) return this.client;
    // ok: NLL602 -- a lazy singleton: the method leaves early once the slot is filled
    this.client = new Redis();
    return this.client;
  }
}

let shared: Redis | undefined;
export function sharedRedis(): Redis {
  // ok: NLL602 -- filled only while the slot is empty
  shared = shared || new Redis();
  return shared;
}

declare function get(agent: unknown): Promise<unknown>;

// --- pooled resources in services -----------------------------------------------------------------
@Injectable()
export class OrdersService {
  constructor(private readonly dataSource: DataSource) {}

  async place(order: { id: string }): Promise<void> {
    // ruleid: NLL602
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await runner.manager.save(order);
    await runner.commitTransaction();
    await runner.release();
  }

  async placeSafely(order: { id: string }): Promise<void> {
    // ok: NLL602 -- rolled back on error and released in finally
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      await runner.startTransaction();
      await runner.manager.save(order);
      await runner.commitTransaction();
    } catch (err) {
      await runner.rollbackTransaction();
      throw err;
    } finally {
      await runner.release();
    }
  }

  async count(): Promise<number> {
    // ruleid: NLL602
    const runner = this.dataSource.createQueryRunner();
    const rows: unknown[] = await runner.query('select 1');
    if (rows.length === 0) {
      throw new Error('empty');
    }
    await runner.release();
    return rows.length;
  }
}

export class Workers {
  constructor(private readonly pool: GenericPool<{ run(job: string): Promise<void> }>) {}

  async run(job: string): Promise<void> {
    // ruleid: NLL602
    const worker = await this.pool.acquire();
    await worker.run(job);
    await this.pool.release(worker);
  }

  async runSafely(job: string): Promise<void> {
    // ok: NLL602 -- given back to the pool in finally
    const worker = await this.pool.acquire();
    try {
      await worker.run(job);
    } finally {
      await this.pool.release(worker);
    }
  }
}

// A pool of the project's own (acquire/release in view), node-mssql's shape: the release is
// armed on a request object that a later call starts; a synchronous throw there skips it.
interface TdsConnection {
  execSql(request: TdsRequest): void;
  on(event: string, listener: (...args: unknown[]) => void): void;
}

declare class TdsRequest {
  constructor(sql: string, done: (err?: Error) => void);
  addParameter(name: string, value: unknown): void;
}

interface OwnPool {
  acquire(requester: unknown, cb: (err: Error | null, connection: TdsConnection) => void): void;
  release(connection: TdsConnection): void;
}

export class MsRequest {
  constructor(
    private readonly parent: OwnPool,
    private readonly params: Map<string, unknown>,
  ) {}

  query(command: string, callback: (err?: Error) => void): void {
    // ruleid: NLL602
    this.parent.acquire(this, (err, connection) => {
      if (err) return callback(err);
      const req = new TdsRequest(command, (reqErr) => {
        this.parent.release(connection);
        callback(reqErr);
      });
      for (const [name, value] of this.params) {
        req.addParameter(name, value);
      }
      connection.execSql(req);
    });
  }

  queryGuarded(command: string, callback: (err?: Error) => void): void {
    // ok: NLL602 -- the start is in a try whose catch gives the connection back
    this.parent.acquire(this, (err, connection) => {
      if (err) return callback(err);
      const req = new TdsRequest(command, (reqErr) => {
        this.parent.release(connection);
        callback(reqErr);
      });
      try {
        connection.execSql(req);
      } catch (startErr) {
        this.parent.release(connection);
        callback(startErr as Error);
      }
    });
  }

  queryStarted(command: string, callback: (err?: Error) => void): void {
    // ok: NLL602 -- the callback that releases is given to the connection itself: the work
    // starts as it is armed
    this.parent.acquire(this, (err, connection) => {
      if (err) return callback(err);
      connection.on('done', () => {
        this.parent.release(connection);
        callback();
      });
    });
  }
}

// A release only in an 'abort' listener: a query that completes keeps its client.
export class SqlService {
  constructor(private readonly pool: Pool) {}

  async run(text: string, signal: AbortSignal): Promise<unknown[]> {
    // ruleid: NLL602
    const client = await this.pool.connect();
    signal.addEventListener('abort', () => client.release());
    const result = await client.query(text);
    return result.rows;
  }

  async runSafely(text: string, signal: AbortSignal): Promise<unknown[]> {
    // ok: NLL602 -- given back in `finally`; the abort listener only ends the wait early
    const client = await this.pool.connect();
    const stop = () => signal.removeEventListener('abort', stop);
    signal.addEventListener('abort', stop);
    try {
      const result = await client.query(text);
      return result.rows;
    } finally {
      client.release();
    }
  }
}

interface LegacyConnection {
  query(sql: string, cb: (err: Error | null, rows?: unknown[]) => void): void;
  release(): void;
}
interface LegacyPool {
  getConnection(cb: (err: Error | null, conn: LegacyConnection) => void): void;
}

export class LegacyStore {
  constructor(private readonly pool: LegacyPool) {}

  rows(sql: string): Promise<unknown[]> {
    return new Promise((resolve, reject) => {
      // ruleid: NLL602 -- when the query fails, its callback rejects and returns before release()
      this.pool.getConnection((err, conn) => {
        if (err) return reject(err);
        conn.query(sql, (queryErr, rows) => {
          if (queryErr) {
            reject(queryErr);
            return;
          }
          conn.release();
          resolve(rows ?? []);
        });
      });
    });
  }

  rowsSafely(sql: string): Promise<unknown[]> {
    return new Promise((resolve, reject) => {
      // ok: NLL602 -- released before the error is tested
      this.pool.getConnection((err, conn) => {
        if (err) return reject(err);
        conn.query(sql, (queryErr, rows) => {
          conn.release();
          if (queryErr) {
            reject(queryErr);
            return;
          }
          resolve(rows ?? []);
        });
      });
    });
  }
}

const running: { run(job: string): Promise<void> }[] = [];

async function runJob(worker: { run(job: string): Promise<void> }, job: string): Promise<void> {
  await worker.run(job);
}

async function trackJob(worker: { run(job: string): Promise<void> }, job: string): Promise<void> {
  running.push(worker);
  await worker.run(job);
}

export class LentWorkers {
  constructor(private readonly pool: GenericPool<{ run(job: string): Promise<void> }>) {}

  async run(job: string): Promise<void> {
    // ruleid: NLL602 -- runJob only borrows the worker: when it throws, the pool never gets it back
    const worker = await this.pool.acquire();
    await runJob(worker, job);
    await this.pool.release(worker);
  }

  async runSafely(job: string): Promise<void> {
    // ok: NLL602 -- given back in finally
    const worker = await this.pool.acquire();
    try {
      await runJob(worker, job);
    } finally {
      await this.pool.release(worker);
    }
  }

  async runTracked(job: string): Promise<void> {
    // ok: NLL602 -- trackJob stores the worker: it may own it on the paths that throw
    const worker = await this.pool.acquire();
    await trackJob(worker, job);
    await this.pool.release(worker);
  }
}

// --- browsers --------------------------------------------------------------------------------------
fastify.get('/og', async (request, reply) => {
  // ruleid: NLL602
  const browser: Browser = await chromium.launch();
  const page = await browser.newPage();
  await page.setContent('<h1>hi</h1>');
  return reply.type('image/png').send(await page.screenshot());
});

fastify.get('/og-ok', async (request, reply) => {
  // ok: NLL602 -- the browser is closed in finally, and its pages with it
  const browser: Browser = await chromium.launch();
  try {
    const page = await browser.newPage();
    await page.setContent('<h1>hi</h1>');
    return reply.type('image/png').send(await page.screenshot());
  } finally {
    await browser.close();
  }
});

// --- file handles ----------------------------------------------------------------------------------
export async function firstBytes(path: string): Promise<Buffer> {
  // ruleid: NLL602
  const handle = await open(path, 'r');
  const { buffer } = await handle.read(Buffer.alloc(80), 0, 80, 0);
  return buffer;
}

export async function firstBytesOk(path: string): Promise<Buffer> {
  // ok: NLL602 -- closed in finally
  const handle = await open(path, 'r');
  try {
    const { buffer } = await handle.read(Buffer.alloc(80), 0, 80, 0);
    return buffer;
  } finally {
    await handle.close();
  }
}

// --- replaced clients ----------------------------------------------------------------------------
export class Cache {
  private redis?: Redis;

  constructor(private readonly url: string) {
    this.connect();
  }

  private connect(): void {
    // ruleid: NLL602
    this.redis = new Redis(this.url);
    this.redis.on('error', () => this.retry());
  }

  private retry(): void {
    setTimeout(() => this.connect(), 1000);
  }

  async close(): Promise<void> {
    await this.redis?.quit();
  }
}

export class LazyCache {
  private redis?: Redis;

  get client(): Redis {
    if (!this.redis) {
      // ok: NLL602 -- created once: the test keeps the old client
      this.redis = new Redis();
      this.redis.on('error', () => setTimeout(() => this.client, 1000));
    }
    return this.redis;
  }

  async close(): Promise<void> {
    await this.redis?.quit();
  }
}

export class PgListener {
  private client?: Pool;

  async connect(): Promise<void> {
    await this.client?.end();
    // ok: NLL602 -- ended before it is replaced
    this.client = new Pool();
    this.client.on('error', () => void this.connect());
  }
}

export class Migrator {
  async setup(): Promise<void> {
    await this.create('a');
    await this.create('b');
  }

  private async create(name: string): Promise<void> {
    // ok: NLL602 -- a local of each run, ended in `finally`: nothing is replaced
    const client = new Pool();
    try {
      await client.query(`CREATE DATABASE "${name}"`);
    } finally {
      await client.end();
    }
  }
}

export class Tunnel {
  private readonly client = new Client();

  async start(config: object): Promise<void> {
    // ruleid: NLL602
    await this.client.connect(config);
    await this.handshake();
  }

  async startSafely(config: object): Promise<void> {
    // ok: NLL602 -- the catch closes the connection when the handshake fails
    await this.client.connect(config);
    try {
      await this.handshake();
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  private async handshake(): Promise<void> {
    const reply = await this.client.request('hello');
    if (!reply) throw new Error('no handshake');
  }

  async stop(): Promise<void> {
    await this.client.close();
  }
}

function agentFor(): https.Agent {
  // ruleid: NLL602
  return new https.Agent({ keepAlive: true, maxSockets: 4 });
}

export function ping(url: string): void {
  https.get(url, { agent: agentFor() }, (res) => res.resume());
}

function sharedAgent(): https.Agent {
  // ok: NLL602 -- kept in a module binding by its only caller
  return new https.Agent({ keepAlive: true });
}
const agent = sharedAgent();

export function pingShared(url: string): void {
  https.get(url, { agent }, (res) => res.resume());
}

function upstreamOptions(host: string): https.RequestOptions {
  // ruleid: NLL602
  const agent = new https.Agent({ keepAlive: true });
  return { host, agent, timeout: 5000 };
}

export class UpstreamGateway {
  ping(host: string): void {
    const options = upstreamOptions(host);
    https.get({ ...options, path: '/health' }, (res) => res.resume());
    https.get(options, (res) => res.resume());
  }
}

function clientBundle(url: string): { redis: Redis; url: string } {
  // ok: NLL602 -- the caller closes the client it finds under `redis`
  return { redis: new Redis(url), url };
}

export async function readOnce(url: string): Promise<string | null> {
  const bundle = clientBundle(url);
  try {
    return await bundle.redis.get('k');
  } finally {
    await bundle.redis.quit();
  }
}

export class TlsFeed {
  private socket?: TLSSocket;

  start(): void {
    // ruleid: NLL602
    this.socket = tls.connect({ host: 'feed', port: 443 });
    this.socket.on('timeout', () => this.start());
  }

  restart(): void {
    this.socket?.destroy();
    // ok: NLL602 -- the old socket is destroyed first
    this.socket = tls.connect({ host: 'feed', port: 443 });
    this.socket.on('timeout', () => this.restart());
  }
}

// A handler given to an API the model does not know may run any number of times (medium).
declare const terminal: {
  provideService(name: string, schema: object, handler: (msg: { sql: string }) => unknown): void;
};
const sqlPool = new Pool();
terminal.provideService('SQL', {}, async (msg: { sql: string }) => {
  // ruleid: NLL602
  const sql = await sqlPool.connect();
  const result = await sql.query(msg.sql);
  sql.release();
  return result.rows;
});

// Callbacks given to APIs that call them inline or once run as often as their caller.
sqlPool.connect().then(async (client: { release(): void }) => {
  // ok: NLL602 -- a `.then` reaction runs once, at start-up
  const again = await sqlPool.connect();
  await again.query('select 1');
  again.release();
  client.release();
});

// A helper launches the browser into a module-level variable; the exported function closes
// it only after a step that can throw.
let renderer: Browser;
async function startRenderer(): Promise<void> {
  renderer = await chromium.launch();
}
export async function renderAll(urls: string[]): Promise<void> {
  // ruleid: NLL602 -- when `renderPage` throws, `renderer.close()` never runs
  await startRenderer();
  for (const url of urls) await renderPage(url);
  await renderer.close();
}
export async function renderAllSafely(urls: string[]): Promise<void> {
  // ok: NLL602 -- closed in finally
  await startRenderer();
  try {
    for (const url of urls) await renderPage(url);
  } finally {
    await renderer.close();
  }
}
async function renderPage(url: string): Promise<void> {
  const page = await renderer.newPage();
  try {
    await page.goto(url);
  } finally {
    await page.close();
  }
}

// A WebAssembly tokenizer per request: only free() gives its memory back.
import { get_encoding } from '@dqbd/tiktoken';
export function countTokens(texts: string[]): number[] {
  return texts.map((text) => {
    // ruleid: NLL602 -- never freed: its WebAssembly memory stays
    const encoder = get_encoding('cl100k_base');
    return encoder.encode(text).length;
  });
}
export function countTokensFreed(texts: string[]): number[] {
  // ok: NLL602 -- freed when done
  const encoder = get_encoding('cl100k_base');
  const counts = texts.map((text) => encoder.encode(text).length);
  encoder.free();
  return counts;
}
