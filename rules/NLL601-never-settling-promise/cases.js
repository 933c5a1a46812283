// Annotated cases for NLL601 never-settling-promise (CommonJS, Express-style handlers).
const express = require('express');
const util = require('node:util');
const app = express();

app.get('/hang', async (req, res) => {
  // ruleid: NLL601
  await new Promise(() => {});
  res.end();
});

app.post('/upload', async (req, res) => {
  const body = Buffer.alloc(1024);
  // ruleid: NLL601
  await new Promise((resolve, reject) => {
    req.pipe(process.stdout);
  });
  res.send(body.length);
});

app.get('/ok', async (req, res) => {
  // ok: NLL601 -- resolves when the response has been written
  await new Promise((resolve) => res.write('x', resolve));
  // ok: NLL601 -- only rejects, on timeout: it still settles
  await Promise.race([work(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 100))]);
  // ok: NLL601 -- resolve is handed to a callback API
  await new Promise((resolve) => setImmediate(resolve));
  res.end();
});

function waitFor(emitter, event) {
  // ok: NLL601 -- resolve is stored as a listener
  return new Promise((resolve, reject) => {
    emitter.once(event, resolve);
    emitter.once('error', reject);
  });
}

let release;
function gate() {
  // ok: NLL601 -- resolve is stored for later
  return new Promise((resolve) => {
    release = resolve;
  });
}

function deferred() {
  let settle;
  // ok: NLL601 -- resolve escapes through a local that is returned
  const promise = new Promise((resolve) => {
    settle = resolve;
  });
  return { promise, settle };
}

async function main() {
  app.listen(3000);
  // ok: NLL601 -- main runs once: keeping the process alive on purpose
  await new Promise(() => {});
}
main();

// ok: NLL601 -- module top level runs once
const forever = new Promise(() => {});

// ok: NLL601 -- not an inline executor: not inspected
const fromNamed = new Promise(executor);

// --- races against a promise that outlives the loop -----------------------------------------------
// ok: NLL601 -- module top level: settles on SIGTERM
const shutdown = new Promise((resolve) => process.once('SIGTERM', resolve));

app.get('/work', async (req, res) => {
  // ruleid: NLL601
  const result = await Promise.race([work(req.query), shutdown]);
  res.json(result);
});

app.get('/work-ok', async (req, res) => {
  // ok: NLL601 -- both promises are made for this request
  res.json(await Promise.race([work(req.query), fetchFallback(req.query)]));
});

function withTimeout(promise, ms) {
  // ok: NLL601 -- a helper: the caller passes a new promise each call
  return Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), ms))]);
}

class Session {
  constructor(transport) {
    this.transport = transport;
    this.closed = new Promise((resolve) => {
      this.markClosed = resolve;
    });
  }

  async readLoop(abortPromise) {
    while (!this.done) {
      // ruleid: NLL601
      const msg = await Promise.race([this.transport.receive(), abortPromise]);
      this.handle(msg);
    }
  }

  async pump() {
    for (;;) {
      // ruleid: NLL601
      const next = await Promise.any([this.transport.receive(), this.closed]);
      if (!next) break;
      this.handle(next);
    }
  }

  async pumpWithSignal(signal) {
    while (!signal.aborted) {
      // ok: NLL601 -- no race: the receive itself is cancelled through the signal
      const next = await this.transport.receive({ signal });
      this.handle(next);
    }
  }

  async pumpWithTimeout() {
    while (!this.done) {
      // ok: NLL601 -- every element is made for this turn
      const next = await Promise.race([this.transport.receive(), sleep(1000)]);
      this.handle(next);
    }
  }

  handle(msg) {
    return msg;
  }
}

function Sink(head) {
  Worker.call(this);
  this.head = head;
}
util.inherits(Sink, Worker);
Sink.prototype.next = async function () {
  // ruleid: NLL601
  await Promise.race([this.head.promise, this.whenStopped()]);
  return this.head.value;
};
Sink.prototype.run = async function () {
  for (;;) {
    const value = await this.next();
    if (!value) break;
    this.head = this.head.next;
  }
};

async function poll(queue) {
  const stop = new Promise((resolve) => queue.once('stop', resolve));
  while (true) {
    // ruleid: NLL601
    const job = await Promise.race([queue.next(), stop]);
    if (!job) break;
  }
}

let stopping = false;
const uploading = startUpload();
process.on('SIGTERM', async () => {
  if (stopping) return;
  stopping = true;
  // ok: NLL601 -- a latch: the handler's body runs once per process
  await Promise.race([uploading, sleep(10000)]);
});

async function startOnce(child) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  for (let i = 0; i < 60; i++) {
    // ok: NLL601 -- a bounded loop in code that runs once
    if (await Promise.race([ping(), exited])) break;
  }
}
startOnce(spawnServer());

let current = Promise.resolve();
function reset() {
  current = new Promise((resolve) => setTimeout(resolve, 10));
}
app.get('/current', async (req, res) => {
  // ok: NLL601 -- `current` is replaced by reset(): a new promise each time
  res.json(await Promise.race([current, sleep(100)]));
});

// --- detached waiters on a promise the caller passes in ----------------------------------------
class Acceptor {
  async accept(cancelPromise) {
    let canceled = false;
    // ruleid: NLL601
    (async () => {
      try {
        await cancelPromise;
      } finally {
        canceled = true;
      }
    })();
    const result = await this.next();
    return canceled ? null : result;
  }

  async acceptRaced(cancelPromise) {
    // ok: NLL601 -- awaited: the waiter ends with the call
    await (async () => {
      await cancelPromise;
    })();
  }

  async acceptWork(job) {
    // ok: NLL601 -- the waiter does its own work first: ordinary fire-and-forget
    (async () => {
      const done = await job.run();
      this.report(done);
    })();
  }
}

function Listener() {}
Listener.prototype.accept = function (cancelPromise) {
  const state = { canceled: false };
  // ruleid: NLL601
  void (async function () {
    await cancelPromise;
    state.canceled = true;
  })();
  return this.next().then((r) => (state.canceled ? null : r));
};

app.get('/wait', (req, res) => {
  const done = new Promise((resolve) => res.once('finish', resolve));
  // ok: NLL601 -- a promise made for this request: it settles with it
  (async () => {
    await done;
    log('finished');
  })();
  res.end();
});

async function startOnceWaiting(stopped) {
  // ok: NLL601 -- started once, at start-up
  (async () => {
    await stopped;
    log('stopped');
  })();
}
startOnceWaiting(shutdown);

// A loop written as a function that waits on its own next turn: each turn's promise is
// resolved with the next one, so none settles while the loop runs.
const tick = () => new Promise((resolve) => setImmediate(resolve));

function pollFeed(feed) {
  return feed.fetch().then(() => {
    // ruleid: NLL601
    return tick().then(() => pollFeed(feed));
  });
}

function pollPassed() {
  // ruleid: NLL601
  return tick().then(pollPassed);
}

var heartbeat = function () {
  return new Promise(function (resolve) {
    setTimeout(function () {
      // ruleid: NLL601
      resolve(heartbeat());
    }, 1000);
  });
};

function pollStarted(feed) {
  return feed.fetch().then(() => {
    // ok: NLL601 -- the next turn is started, not waited on: each turn settles
    pollStarted(feed);
  });
}

function pollScheduled(feed) {
  return feed.fetch().then(() => {
    // ok: NLL601 -- the next turn runs from a timer: nothing waits on it
    setTimeout(() => pollScheduled(feed), 1000);
  });
}

function walkTree(node) {
  // ok: NLL601 -- a walk over data: each call passes a child, and ends with the tree
  return tick().then(() => Promise.all(node.children.map((child) => walkTree(child))));
}

function fetchWithRetry(url, attempt) {
  // ok: NLL601 -- a retry on failure, bounded by its attempt counter
  return fetch(url).catch(() => fetchWithRetry(url, attempt + 1));
}

function waitUntilReady(job) {
  return job.status().then((status) => {
    if (status.ready) return status;
    // ok: NLL601 -- a poll until done returns what it waited for, and ends
    return tick().then(() => waitUntilReady(job));
  });
}

function drain(queue) {
  return queue.next().then((item) => {
    // ok: NLL601 -- goes on only while the turn found work: it ends with the data
    if (item) return drain(queue);
  });
}

// A poller that goes on behind a module flag (`if (live)`): its owner stops it, not its data.
let live = true;
const findQueued = () => tick().then(() => null);

async function processQueued() {
  try {
    const task = await findQueued();
    if (task) await task.run();
    if (live) {
      // ruleid: NLL601
      return processQueued();
    }
  } catch (err) {
    log(err);
  }
}

async function processQueuedScheduled() {
  try {
    const task = await findQueued();
    if (task) await task.run();
    if (live) {
      // ok: NLL601 -- the next turn starts from a timer: this turn settles
      setImmediate(processQueuedScheduled);
    }
  } catch (err) {
    log(err);
  }
}

async function processWhileFound() {
  const task = await findQueued();
  if (task) {
    await task.run();
    // ok: NLL601 -- goes on only while the turn found work: it ends with the data
    return processWhileFound();
  }
}

let attempts = 0;
async function connectBounded() {
  await tick();
  attempts++;
  if (attempts < 5) {
    // ok: NLL601 -- the turn moves the counter its guard reads: a bounded retry
    return connectBounded();
  }
}

module.exports = {
  connectBounded,
  processQueued,
  processQueuedScheduled,
  processWhileFound,
  Acceptor,
  Listener,
  waitFor,
  gate,
  deferred,
  forever,
  fromNamed,
  release,
  withTimeout,
  Session,
  Sink,
  poll,
  reset,
  pollFeed,
  pollPassed,
  heartbeat,
  pollStarted,
  pollScheduled,
  walkTree,
  fetchWithRetry,
  waitUntilReady,
  drain,
};
