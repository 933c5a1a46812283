// Annotated cases for NLL102 raised-max-listeners (TypeScript, ESM).
import { EventEmitter, setMaxListeners } from 'node:events';

export class Hub extends EventEmitter {
  constructor() {
    super();
    // ruleid: NLL102
    this.setMaxListeners(0);
  }
}

export class BoundedHub extends EventEmitter {
  constructor() {
    super();
    // ok: NLL102 -- a deliberate bound
    this.setMaxListeners(30);
  }
}

const controller = new AbortController();
// ruleid: NLL102
setMaxListeners(Infinity, controller.signal);

// ok: NLL102 -- within the threshold
setMaxListeners(25, controller.signal);

// ruleid: NLL102
EventEmitter.defaultMaxListeners = 1_000;

const emitter = new EventEmitter();
// ruleid: NLL102
(emitter as EventEmitter).setMaxListeners(0);

// ok: NLL102 -- a method with the same name on something that takes no number
registry.setMaxListeners();

// High confidence: the same emitter gets a listener per request, the pile-up the warning
// would have reported (the finding points at the registration).
const orders = new EventEmitter();
// ruleid: NLL102
orders.setMaxListeners(0);
export function subscribe(app: { get(path: string, h: (req: unknown, res: { write(s: string): void }) => void): void }): void {
  app.get('/orders/live', (_req, res) => {
    orders.on('order', (order: unknown) => res.write(JSON.stringify(order)));
  });
}

// Medium: a subscription hub that hands its callers both halves (`subscribe` and
// `unsubscribe` forward the caller's handler), so a pile-up depends on the callers.
export class Topics {
  private readonly listeners = new EventEmitter();
  constructor() {
    // ruleid: NLL102
    this.listeners.setMaxListeners(0);
  }
  subscribe(topic: string, handler: (payload: unknown) => void): void {
    this.listeners.on(topic, handler);
  }
  unsubscribe(topic: string, handler: (payload: unknown) => void): void {
    this.listeners.off(topic, handler);
  }
}
