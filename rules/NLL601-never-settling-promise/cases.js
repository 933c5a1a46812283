// Annotated cases for NLL601 never-settling-promise (CommonJS, Express-style handlers).
const express = require('express');
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

module.exports = { waitFor, gate, deferred, forever, fromNamed, release };
