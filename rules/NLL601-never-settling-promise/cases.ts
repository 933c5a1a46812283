// Annotated cases for NLL601 never-settling-promise (TypeScript, NestJS- and Fastify-style).
import Fastify from 'fastify';

const server = Fastify();

server.get('/stall', async (request, reply) => {
  // ruleid: NLL601
  await new Promise<void>(function () {
    reply.raw.write('waiting');
  });
});

export class ReportsController {
  async export(id: string): Promise<Buffer> {
    const data = Buffer.alloc(1 << 20);
    // ruleid: NLL601
    await new Promise<void>((resolve, reject) => {
      console.log(id);
    });
    return data;
  }

  async fine(id: string): Promise<void> {
    // ok: NLL601 -- settles through the callback
    await new Promise<void>((resolve, reject) => {
      lookup(id, (err: Error | null) => (err ? reject(err) : resolve()));
    });
  }
}

export async function unknownCaller(job: { start(): void }): Promise<void> {
  // ruleid: NLL601
  await new Promise<void>((resolve) => {
    job.start();
  });
}

export function sleep(ms: number): Promise<void> {
  // ok: NLL601 -- resolve is passed to setTimeout
  return new Promise<void>((resolve) => setTimeout(resolve, ms));
}

function inner() {
  // ok: NLL601 -- inner is called only from module top level, once
  return new Promise<never>(() => {});
}
void inner();

// --- races in TypeScript classes ------------------------------------------------------------------
interface Transport {
  receive(): Promise<string>;
  abort(reason: unknown): void;
}

export class RpcSession {
  private readonly stopped: Promise<never>;
  private abortReason?: unknown;

  constructor(private readonly transport: Transport) {
    this.stopped = new Promise<never>((_, reject) => {
      this.abort = reject;
    });
  }

  abort: (reason: unknown) => void = () => {};

  private async readLoop(abortPromise: Promise<never>): Promise<void> {
    while (!this.abortReason) {
      // ruleid: NLL601
      const msg = JSON.parse(await Promise.race([this.transport.receive(), abortPromise]));
      this.dispatch(msg);
    }
  }

  async call(payload: string): Promise<string> {
    // ruleid: NLL601
    return Promise.race([this.send(payload), this.stopped]);
  }

  async callOnce(payload: string, deadline: Promise<never>): Promise<string> {
    // ok: NLL601 -- the deadline is the caller's: a new one per call
    return Promise.race([this.send(payload), deadline]);
  }

  private send(payload: string): Promise<string> {
    return this.transport.receive().then((reply) => reply + payload);
  }

  private dispatch(msg: unknown): void {
    void msg;
  }
}

// --- deferreds parked in a table that teardown forgets -------------------------------------------
interface Deferred {
  resolve(value: unknown): void;
  reject(reason: unknown): void;
}

export class RpcClient {
  private pending: Record<number, Deferred> = {};
  private index = 0;

  constructor(private readonly socket: WebSocket) {
    socket.onmessage = (event) => this.settle(JSON.parse(String(event.data)));
  }

  request(payload: unknown): Promise<unknown> {
    const id = this.index++;
    // ruleid: NLL601
    const promise = new Promise((resolve, reject) => {
      this.pending[id] = { resolve, reject };
    });
    this.socket.send(JSON.stringify({ id, payload }));
    return promise;
  }

  private settle(msg: { id: number; data: unknown }): void {
    this.pending[msg.id]?.resolve(msg.data);
    delete this.pending[msg.id];
  }

  close(): void {
    this.socket.close();
  }
}

export class SafeRpcClient {
  private readonly pending = new Map<number, Deferred>();
  private index = 0;

  constructor(private readonly socket: WebSocket) {
    socket.onclose = () => this.failAll(new Error('closed'));
  }

  request(payload: unknown): Promise<unknown> {
    const id = this.index++;
    // ok: NLL601 -- the socket's close handler rejects every pending request
    const promise = new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
    });
    this.socket.send(JSON.stringify({ id, payload }));
    return promise;
  }

  private failAll(error: Error): void {
    for (const deferred of this.pending.values()) deferred.reject(error);
    this.pending.clear();
  }

  close(): void {
    this.socket.close();
  }
}

export class TimedRpcClient {
  private readonly pending = new Map<number, Deferred>();
  private index = 0;

  constructor(private readonly socket: WebSocket) {}

  request(payload: unknown): Promise<unknown> {
    const id = this.index++;
    // ok: NLL601 -- its own timeout rejects it even if the socket closes
    return new Promise((resolve, reject) => {
      setTimeout(() => {
        if (this.pending.delete(id)) reject(new Error('timeout'));
      }, 5000);
      this.pending.set(id, { resolve, reject });
      this.socket.send(JSON.stringify({ id, payload }));
    });
  }

  close(): void {
    this.socket.close();
  }
}

export class NoTeardown {
  private readonly waiting: Deferred[] = [];

  next(): Promise<unknown> {
    // ok: NLL601 -- no teardown to judge: nothing says when waiters should be dropped
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
    });
  }
}

export class AsyncServer {
  async accept(cancelPromise: Promise<unknown> | null = null): Promise<unknown> {
    let canceled = false;
    if (cancelPromise) {
      // ruleid: NLL601
      (async (): Promise<void> => {
        try {
          await cancelPromise;
        } finally {
          canceled = true;
        }
      })();
    }
    const result = await this.next();
    return canceled ? null : result;
  }

  async acceptOnce(signal: AbortSignal): Promise<unknown> {
    const aborted = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    // ok: NLL601 -- a promise made per call: it dies with the call
    (async (): Promise<void> => {
      await aborted;
    })();
    return this.next();
  }

  async acceptAwaited(cancelPromise: Promise<unknown>): Promise<void> {
    // ok: NLL601 -- awaited: the waiter ends with the call
    await (async (): Promise<void> => {
      await cancelPromise;
    })();
  }

  private next(): Promise<unknown> {
    return Promise.resolve(null);
  }
}

// A consumer loop written as a method that waits on its own next turn.
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class QueueConsumer {
  private stopped = false;

  constructor(private readonly queue: { receive(): Promise<unknown[]> }) {}

  async consume(): Promise<void> {
    if (this.stopped) return;
    const batch = await this.queue.receive();
    this.handle(batch);
    await sleep(100);
    // ruleid: NLL601
    return this.consume();
  }

  async consumeAwaiting(): Promise<void> {
    if (this.stopped) return;
    await sleep(100);
    // ruleid: NLL601
    await this.consumeAwaiting();
  }

  async consumeLooping(): Promise<void> {
    // ok: NLL601 -- a loop keeps no turn once it is over
    while (!this.stopped) {
      this.handle(await this.queue.receive());
      await sleep(100);
    }
  }

  async consumeDetached(): Promise<void> {
    if (this.stopped) return;
    this.handle(await this.queue.receive());
    // ok: NLL601 -- the next turn is started and dropped: this turn settles
    void this.consumeDetached().catch(() => undefined);
  }

  async consumeWhileRunning(): Promise<void> {
    const batch = await this.queue.receive();
    this.handle(batch);
    if (!this.stopped) {
      // ruleid: NLL601
      return this.consumeWhileRunning();
    }
  }

  async consumeWhileRunningScheduled(): Promise<void> {
    const batch = await this.queue.receive();
    this.handle(batch);
    if (!this.stopped) {
      // ok: NLL601 -- the next turn starts from a timer: this turn settles
      setImmediate(() => void this.consumeWhileRunningScheduled());
    }
  }

  async consumeWhileFull(): Promise<void> {
    const batch = await this.queue.receive();
    if (batch.length > 0) {
      this.handle(batch);
      // ok: NLL601 -- goes on only while the turn got a batch: it ends with the data
      return this.consumeWhileFull();
    }
  }

  private polls = 0;

  async pollFewTimes(): Promise<void> {
    await this.queue.receive();
    this.polls += 1;
    if (this.polls < 3) {
      // ok: NLL601 -- the turn moves the counter its guard reads: it ends after three
      return this.pollFewTimes();
    }
  }

  async fetchPage(cursor: string | null): Promise<unknown[]> {
    const batch = await this.queue.receive();
    if (batch.length === 0) return [];
    // ok: NLL601 -- a walk over pages that returns what it collected
    return [...batch, ...(await this.fetchPage(cursor))];
  }

  stop(): void {
    this.stopped = true;
  }

  private handle(batch: unknown[]): void {
    void batch;
  }
}
