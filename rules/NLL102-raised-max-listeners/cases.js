// Annotated cases for NLL102 raised-max-listeners (CommonJS).
const EventEmitter = require('events');
const events = require('node:events');

const bus = new EventEmitter();
// ruleid: NLL102
bus.setMaxListeners(0);

// ruleid: NLL102
bus.setMaxListeners(Infinity);

// ruleid: NLL102
process.setMaxListeners(500);

// ok: NLL102 -- a small explicit bound keeps the warning meaningful
bus.setMaxListeners(20);

// ok: NLL102 -- exactly at the default threshold
bus.setMaxListeners(50);

const UNLIMITED = 0;
// ruleid: NLL102
bus.setMaxListeners(UNLIMITED);

let configured = 0;
configured = readLimit();
// ok: NLL102 -- a let binding may change: not judged
bus.setMaxListeners(configured);

// ok: NLL102 -- computed at run time, not judged
bus.setMaxListeners(options.maxListeners);

// ruleid: NLL102
EventEmitter.defaultMaxListeners = 0;

// ruleid: NLL102
events.defaultMaxListeners = Infinity;

// ruleid: NLL102
require('events').EventEmitter.defaultMaxListeners = 100;

// ok: NLL102 -- lowering the default limit makes the detector stricter
EventEmitter.defaultMaxListeners = 5;

// ruleid: NLL102
EventEmitter.defaultMaxListeners = limitFromEnv();

// ok: NLL102 -- not the events module's default
myConfig.defaultMaxListeners = 0;

const target = new EventTarget();
// ruleid: NLL102
events.setMaxListeners(0, target);

// ok: NLL102 -- a bounded value for several targets
events.setMaxListeners(15, target, bus);

function handle(socket) {
  // ruleid: NLL102
  socket.setMaxListeners(0);
  socket.on('data', (chunk) => socket.write(chunk));
}

module.exports = { handle };

// High confidence: the same emitter gets a listener per request, the pile-up the warning
// would have reported (the finding points at the registration).
const orders = new EventEmitter();
// ruleid: NLL102
orders.setMaxListeners(0);
function subscribe(app) {
  app.get('/orders/live', (req, res) => {
    orders.on('order', (order) => res.write(JSON.stringify(order)));
  });
}
module.exports.subscribe = subscribe;

// Medium: a subscription hub that hands its callers both halves. Its per-call `addListener`
// forwards the caller's handler, and `removeListener` takes it off again, so a pile-up
// depends on the callers, which are given the way to remove what they add.
class Notifier {
  constructor() {
    this._listeners = new EventEmitter();
    // ruleid: NLL102
    this._listeners.setMaxListeners(0);
  }
  addListener(user, handler) {
    this._listeners.addListener(user, handler);
  }
  removeListener(user, handler) {
    this._listeners.removeListener(user, handler);
  }
}
module.exports.Notifier = Notifier;

// Medium: a method adds a listener per call, but whether it is called again and again is up
// to callers out of view (in applications such code often runs once, at start-up).
class Feed {
  constructor() {
    this.bus = new EventEmitter();
    // ruleid: NLL102
    this.bus.setMaxListeners(0);
  }
  follow(topic, handler) {
    this.bus.on(topic, (message) => handler(message));
  }
}
module.exports.Feed = Feed;
