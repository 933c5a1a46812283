// Annotated cases for NLL501 unmanaged-pipe (CommonJS, Express and plain http).
const fs = require('fs');
const http = require('http');
const https = require('https');
const zlib = require('zlib');
const { spawn } = require('child_process');
const { pipeline, finished, PassThrough } = require('stream');
const express = require('express');
const net = require('net');
const { Readable } = require('stream');
const { request: undiciRequest } = require('undici');
const app = express();

app.get('/file', (req, res) => {
  // ruleid: NLL501
  fs.createReadStream(req.query.path).pipe(res);
});

app.get('/gzip', (req, res) => {
  const source = fs.createReadStream('big.log');
  // ruleid: NLL501
  source.pipe(zlib.createGzip()).pipe(res);
});

app.post('/upload', (req, res) => {
  const out = fs.createWriteStream('/tmp/upload');
  // ruleid: NLL501
  req.pipe(out, { end: true });
  out.on('finish', () => res.end());
});

http.createServer((req, res) => {
  const file = fs.createReadStream('index.html');
  file.on('error', () => res.end());
  // ruleid: NLL501
  file.pipe(res);
});

function download(url, dest, cb) {
  const file = fs.createWriteStream(dest);
  https.get(url, (response) => {
    // ruleid: NLL501
    response.pipe(file);
    file.on('finish', () => file.close(cb));
  });
}

app.get('/run', (req, res) => {
  const child = spawn('ls', ['-l']);
  // ruleid: NLL501
  child.stdout.pipe(res);
});

app.get('/pass', (req, res) => {
  const tee = new PassThrough();
  // ok: NLL501 -- a failure of `tee` with no 'error' listener is thrown (an uncaught exception), not a response left open
  tee.pipe(res);
  tee.end('hello');
});

// The code destroys the request when the file closes, but a client that goes away makes
// `req` close without 'end' and without an error (an HTTP message throws nothing unless
// something listens): `out` is never ended and keeps its file descriptor.
app.post('/spool', (req, res) => {
  const out = fs.createWriteStream('/tmp/spool.bin');
  out.on('close', () => req.destroy());
  // ruleid: NLL501
  req.pipe(out);
});

app.post('/spool-managed', (req, res) => {
  const out = fs.createWriteStream('/tmp/spool.bin');
  out.on('close', () => req.destroy());
  req.on('aborted', () => out.destroy());
  // ok: NLL501 -- both directions are torn down
  req.pipe(out);
});

app.get('/pass-logged', (req, res) => {
  const tee = new PassThrough();
  tee.on('error', (err) => console.error(err));
  // ruleid: NLL501 -- the 'error' listener only logs: the failure is caught and `res` never ends
  tee.pipe(res);
});

// An 'error' listener that reaches nothing of the request keeps the failure from being
// thrown and leaves the response open: the client's socket stays until the client gives up.
function logFailure(err) {
  console.error('read failed', err.code);
}

app.get('/logged-only', function (req, res) {
  var src = fs.createReadStream('a.txt');
  src.on('error', logFailure);
  res.on('close', function () {
    src.destroy();
  });
  // ruleid: NLL501
  src.pipe(res);
});

app.get('/logged-chained', (req, res) => {
  const src = fs.createReadStream('a.txt');
  res.once('close', () => src.destroy());
  // ruleid: NLL501 -- the chained 'error' listener only logs: `res` never ends
  src.on('error', (err) => console.error(err)).pipe(res);
});

app.get('/logged-next', (req, res, next) => {
  const src = fs.createReadStream('a.txt');
  src.on('error', next);
  res.on('close', () => src.destroy());
  // ok: NLL501 -- the failure goes to Express's error handler, which ends the response
  src.pipe(res);
});

app.get('/logged-helper', (req, res) => {
  const fail = (err) => res.status(500).end(err.message);
  const src = fs.createReadStream('a.txt');
  src.on('error', (err) => {
    console.error(err);
    fail(err);
  });
  res.on('close', () => src.destroy());
  // ok: NLL501 -- the listener calls a helper made per request, which ends the response
  src.pipe(res);
});

class FileRoutes {
  serve(req, res) {
    const src = fs.createReadStream(req.url);
    src.on('error', (err) => this.onError(err, res));
    res.on('close', () => src.destroy());
    // ok: NLL501 -- the listener hands the failure to the instance, with the response
    src.pipe(res);
  }

  serveLogged(req, res) {
    const src = fs.createReadStream(req.url);
    src.on('error', (err) => console.warn(err.message));
    res.on('close', () => src.destroy());
    // ruleid: NLL501
    src.pipe(res);
  }
}

// ------------------------------------------------------------------------- managed

app.get('/pipeline', (req, res) => {
  // ok: NLL501 -- pipeline destroys every stream when one fails or closes
  pipeline(fs.createReadStream('a.txt'), zlib.createGzip(), res, (err) => err && console.error(err));
});

app.get('/finished', (req, res) => {
  const src = fs.createReadStream('a.txt');
  // ok: NLL501 -- finished() on the destination handles early close
  src.pipe(res);
  finished(res, () => src.destroy());
});

app.get('/handled', (req, res) => {
  const src = fs.createReadStream('a.txt');
  src.on('error', (err) => res.destroy(err));
  res.on('close', () => src.destroy());
  // ok: NLL501 -- source errors are handled and a closed response destroys the source
  src.pipe(res);
});

app.get('/handled-chain', (req, res) => {
  const src = fs.createReadStream('a.txt');
  res.once('close', src.destroy.bind(src));
  // ok: NLL501 -- error handler chained on the source, and close destroys it
  src.on('error', () => res.end()).pipe(res);
});

function echo(child) {
  // ok: NLL501 -- process.stdout never closes early
  child.stdout.pipe(process.stdout);
}
app.get('/echo', (req, res) => echo(spawn('date')));

// ok: NLL501 -- module top level runs once
fs.createReadStream('banner.txt').pipe(process.stderr);

class Mailer {
  render(message) {
    const out = new PassThrough();
    // ok: NLL501 -- both ends are in-memory streams: garbage once unreferenced, no handle to leak
    message.createReadStream().pipe(zlib.createGzip()).pipe(out);
    // ok: NLL501 -- an unknown source into an in-memory stream holds no OS handle here
    message.body.pipe(out);
    return out;
  }
  send(stream, child) {
    stream.once('error', (err) => child.kill());
    // ok: NLL501 -- in-memory source with its errors handled: nothing holds the child's stdin open
    stream.pipe(child.stdin);
  }
}

// ---------------------------------------------------------------- hand-written pipes

app.get('/mirror', (req, res) => {
  http.get('http://127.0.0.1:9000/feed', (upstream) => {
    // ruleid: NLL501
    upstream.on('data', (chunk) => res.write(chunk));
    upstream.on('end', () => res.end());
  });
});

app.get('/mirror-safe', (req, res) => {
  const upstreamReq = http.get('http://127.0.0.1:9000/feed', (upstream) => {
    upstream.on('error', (err) => res.destroy(err));
    // ok: NLL501 -- a closed response destroys the upstream request, an upstream error the response
    upstream.on('data', (chunk) => res.write(chunk));
    upstream.on('end', () => res.end());
  });
  res.on('close', () => upstreamReq.destroy());
});

app.get('/tail', (req, res) => {
  const child = spawn('tail', ['-f', 'app.log']);
  child.on('error', () => res.end());
  // ruleid: NLL501
  child.stdout.on('data', function (line) {
    res.write(line);
  });
  child.stdout.on('end', function () {
    res.end();
  });
});

app.get('/tail-safe', (req, res) => {
  const child = spawn('tail', ['-f', 'app.log']);
  req.on('close', () => child.kill());
  child.stdout.on('error', (err) => res.destroy(err));
  // ok: NLL501 -- the request's close kills the child, its errors destroy the response
  child.stdout.on('data', (line) => res.write(line));
  child.stdout.on('end', () => res.end());
});

net.createServer((client) => {
  const backend = net.connect(6379, '127.0.0.1');
  // ruleid: NLL501
  client.on('data', (chunk) => backend.write(chunk));
  client.on('end', () => backend.end());
});

net.createServer((client) => {
  const backend = net.connect(6379, '127.0.0.1');
  client.on('close', () => backend.destroy());
  backend.on('close', () => client.destroy());
  // ok: NLL501 -- each side's close destroys the other
  client.on('data', (chunk) => backend.write(chunk));
  client.on('end', () => backend.end());
});

app.get('/collect', (req, res) => {
  http.get('http://127.0.0.1:9000/feed', (upstream) => {
    const chunks = [];
    // ok: NLL501 -- chunks are collected in memory, nothing is written to another stream
    upstream.on('data', (chunk) => chunks.push(chunk));
    upstream.on('end', () => res.end(Buffer.concat(chunks)));
  });
});

// ES5 constructor with a prototype method: a tunnel forwarding a socket into its own.
function Tunnel(socket) {
  this.socket = socket;
}
Tunnel.prototype.open = function (port) {
  var self = this;
  var remote = net.connect(port, '127.0.0.1');
  // ruleid: NLL501
  remote.on('data', function (chunk) { self.socket.write(chunk); });
  remote.on('end', function () { self.socket.end(); });
};

const { StringDecoder } = require('string_decoder');
class XmlReader {
  read(input, onText) {
    const parser = new SaxParser({ ontext: onText });
    // ok: NLL501 -- a parser made here is an in-memory sink: nothing to close, nothing to leak
    input.on('data', (chunk) => parser.write(chunk));
    input.on('end', () => parser.end());
  }
  decode(input, out) {
    const decoder = new StringDecoder('utf8');
    // ok: NLL501 -- `decoder.write` returns converted text: a conversion, not a copy between streams
    input.on('data', (chunk) => { out.push(decoder.write(chunk)); });
    input.on('end', () => out.push(decoder.end()));
  }
}

function copyFile(from, to) {
  let source;
  let target;
  return new Promise((resolve, reject) => {
    source = fs.createReadStream(from);
    target = fs.createWriteStream(to);
    source.on('error', reject);
    target.on('error', reject);
    target.on('finish', resolve);
    // ok: NLL501 -- the promise's finally destroys both streams, whichever way the copy ends
    source.pipe(target);
  }).finally(() => {
    source.destroy();
    target.destroy();
  });
}
app.post('/copy', (req, res) => copyFile(req.body.from, req.body.to).then(() => res.end()));

class FileStore {
  serve(bucket, name, res) {
    const download = bucket.openDownloadStream(name);
    download.on('error', (err) => res.status(404).send(err.message));
    // ruleid: NLL501
    download.on('data', (chunk) => {
      res.write(chunk);
    });
    download.on('end', () => res.end());
  }
}

// ------------------------------------------------------ upstream requests outliving the client

app.get('/video/:id', async (req, res) => {
  // ruleid: NLL501
  const upstream = await fetch(`http://127.0.0.1:9000/video/${req.params.id}`, {
    headers: { range: req.headers.range || '' },
  });
  const reader = upstream.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    res.write(value);
  }
  res.end();
});

app.get('/video-safe/:id', async (req, res) => {
  const controller = new AbortController();
  res.on('close', () => controller.abort());
  // ok: NLL501 -- the fetch is aborted when the client's response closes
  const upstream = await fetch(`http://127.0.0.1:9000/video/${req.params.id}`, {
    signal: controller.signal,
  });
  const reader = upstream.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    res.write(value);
  }
  res.end();
});

app.get('/events', async (req, res) => {
  // ruleid: NLL501
  const upstream = await fetch('http://127.0.0.1:9000/events', { signal: AbortSignal.timeout(60000) });
  for await (const chunk of upstream.body) res.write(chunk);
  res.end();
});

app.get('/events-any', async (req, res) => {
  const gone = new AbortController();
  req.on('close', () => gone.abort());
  // ok: NLL501 -- AbortSignal.any ties the client's disconnect to the upstream fetch
  const upstream = await fetch('http://127.0.0.1:9000/events', {
    signal: AbortSignal.any([gone.signal, AbortSignal.timeout(60000)]),
  });
  for await (const chunk of upstream.body) res.write(chunk);
  res.end();
});

app.get('/events-pipeline', async (req, res) => {
  // ok: NLL501 -- pipeline destroys the body, which cancels the fetch, when the response closes
  const upstream = await fetch('http://127.0.0.1:9000/events');
  pipeline(Readable.fromWeb(upstream.body), res, () => {});
});

app.get('/size', async (req, res) => {
  // ok: NLL501 -- the body is read whole before anything is written: nothing streams to the client
  const upstream = await fetch('http://127.0.0.1:9000/big');
  const reader = upstream.body.getReader();
  let size = 0;
  for (let part = await reader.read(); !part.done; part = await reader.read()) size += part.value.length;
  res.write(String(size));
  res.end();
});

app.get('/json', async (req, res) => {
  // ok: NLL501 -- the body is read whole; nothing streams to the client
  const upstream = await fetch('http://127.0.0.1:9000/data.json');
  res.json(await upstream.json());
});

app.get('/undici', async (req, res) => {
  // ruleid: NLL501
  const { body } = await undiciRequest('http://127.0.0.1:9000/big');
  for await (const chunk of body) {
    res.write(chunk);
  }
  res.end();
});

app.post('/relay', (req, res) => {
  // ruleid: NLL501
  const upstream = http.request('http://127.0.0.1:9000/relay', { method: 'POST' }, (reply) => {
    const parts = [];
    reply.on('data', (part) => parts.push(part));
    reply.on('end', () => res.end(Buffer.concat(parts)));
  });
  upstream.end(JSON.stringify(req.body));
  req.on('aborted', () => upstream.destroy());
});

app.post('/relay-safe', (req, res) => {
  // ok: NLL501 -- the response's close destroys the upstream request
  const upstream = http.request('http://127.0.0.1:9000/relay', { method: 'POST' }, (reply) => {
    const parts = [];
    reply.on('data', (part) => parts.push(part));
    reply.on('end', () => res.end(Buffer.concat(parts)));
  });
  upstream.end(JSON.stringify(req.body));
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
});

// ------------------------------------------------------------ more stream origins

app.get('/proxy', (req, res) => {
  const target = new URL(req.query.url);
  const lib = target.protocol === 'https:' ? https : http;
  lib.get(target, (upstream) => {
    // ruleid: NLL501
    upstream.pipe(res);
  });
});

app.get('/proxy-inline', (req, res) => {
  const secure = req.query.secure === '1';
  (secure ? https : http).get('http://127.0.0.1:9000/', (upstream) => {
    const gzip = zlib.createGzip();
    // ruleid: NLL501
    upstream.pipe(gzip);
    gzip.on('end', () => res.end());
  });
});

app.get('/convert', (req, res) => {
  let stream = fs.createReadStream(req.query.file);
  for (const step of [zlib.createGunzip, zlib.createGzip]) {
    // ok: NLL501 -- an inner stage of a chain assembled in a loop: reported once, where it ends
    stream = stream.pipe(step());
  }
  // ruleid: NLL501
  stream.pipe(res);
});

app.get('/backup', (req, res) => {
  const archive = fs.createReadStream('/var/backups/latest.zip');
  // ok: NLL501 -- the source also flows into the file below, which reads it to the end
  archive.pipe(res);
  archive.pipe(fs.createWriteStream('/tmp/backup-copy.zip'));
});

// --- a response never read: its socket stays checked out --------------------------------------
function sendMetric(url, payload) {
  return new Promise((resolve) => {
    const send = url.protocol === 'https:' ? https.request : http.request;
    // ruleid: NLL501 -- the callback looks at the status only; the body is never read
    const req = send(url, { method: 'POST' }, (response) => {
      resolve(response.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.end(payload);
  });
}

function sendMetricDrained(url, payload) {
  return new Promise((resolve) => {
    // ok: NLL501 -- resume() discards the body and frees the socket
    const req = https.request(url, { method: 'POST' }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    req.end(payload);
  });
}

function fetchJson(url, done) {
  // ok: NLL501 -- the body is read
  http.get(url, (response) => {
    let text = '';
    response.on('data', (chunk) => { text += chunk; });
    response.on('end', () => done(JSON.parse(text)));
  });
}
module.exports.metrics = { sendMetric, sendMetricDrained, fetchJson };

app.get('/backup-maybe', (req, res) => {
  const archive = fs.createReadStream('/var/backups/latest.zip');
  // ruleid: NLL501 -- the second destination exists only when `copy` is asked for
  archive.pipe(res);
  if (req.query.copy) archive.pipe(fs.createWriteStream('/tmp/backup-copy.zip'));
});

// ------------------------------------------------------------------ not node streams

const { of, map, filter } = require('rxjs');
app.get('/rx', (req, res) => {
  // ok: NLL501 -- RxJS observable pipe with operators
  of(1, 2, 3).pipe(map((x) => x * 2), filter(Boolean)).subscribe((x) => res.write(String(x)));
  // ok: NLL501 -- RxJS pipe with a single operator
  of(1).pipe(map((x) => x)).subscribe(() => res.end());
});

const _ = require('lodash/fp');
app.get('/fp', (req, res) => {
  // ok: NLL501 -- a pipe() function call, not a method
  const f = _.pipe(_.map((x) => x + 1), _.sum);
  // ok: NLL501 -- zero-argument pipe
  const g = builder.pipe();
  // ok: NLL501 -- function argument: a functional pipe
  const h = chain.pipe((x) => x + 1);
  res.json([f, g, h]);
});

// todoruleid: NLL501 -- streams passed in as parameters of unknown origin are not recognised
function forward(readable, writable) {
  readable.pipe(writable);
}
// A chain handed back to the caller: the caller can destroy only the last stage (its own
// pipeline into a response that closes early does), so the source is unpiped and left open.
function rowMapper(f) {
  return new PassThrough({ objectMode: true, transform: (row, _enc, done) => done(null, f(row)) });
}

function exportRows(query) {
  // ruleid: NLL501
  return query.pipe(rowMapper((row) => row));
}

const exportMapped = (query) =>
  // ruleid: NLL501
  query.pipe(new PassThrough({ objectMode: true }));

function exportRowsKept(query) {
  // ruleid: NLL501
  const rows = query.pipe(rowMapper((row) => row));
  rows.on('error', (err) => console.error(err));
  return rows;
}

function exportRowsKeptSafely(query) {
  const rows = query.pipe(rowMapper((row) => row));
  // ok: NLL501 -- the returned stage destroys the query when the caller destroys it
  rows.on('close', () => query.destroy());
  return rows;
}

function exportRowsSafely(query) {
  // ok: NLL501 -- pipeline() returns the last stage and destroys the query with it
  return pipeline(query, rowMapper((row) => row), () => {});
}

function exportRowsUnknown(query, mapper) {
  // ok: NLL501 -- the destination is not known to be a Node stream
  return query.pipe(mapper);
}

module.exports = {
  download,
  forward,
  Mailer,
  Tunnel,
  XmlReader,
  FileStore,
  exportRows,
  exportMapped,
  exportRowsSafely,
  exportRowsUnknown,
  exportRowsKept,
  exportRowsKeptSafely,
  FileRoutes,
};

// A copy made per turn of an endless worker loop repeats for sure, whoever calls the worker
// (the evidence every rule takes its repetition from).
async function mirrorForever(queue, port) {
  while (true) {
    const name = await queue.next();
    // ruleid: NLL501
    fs.createReadStream(name).pipe(net.connect(port));
  }
}

// --- a source per connection kept piped into a destination the server shares -----------------
function MessageServer(handler) {
  this.handler = handler;
  this.server = net.createServer((socket) => this.accept(socket));
}
MessageServer.prototype.accept = function (socket) {
  const conn = { socket, decoder: new PassThrough() };
  socket.pipe(conn.decoder);
  // ruleid: NLL501 -- a connection that fails before its end is never unpiped from the handler
  conn.decoder.pipe(this.handler, { end: false });
  socket.on('error', () => socket.destroy());
};
function FixedMessageServer(handler) {
  this.handler = handler;
  this.server = net.createServer((socket) => this.accept(socket));
}
FixedMessageServer.prototype.accept = function (socket) {
  const conn = { socket, decoder: new PassThrough() };
  socket.pipe(conn.decoder);
  // ok: NLL501 -- unpiped when the connection fails
  conn.decoder.pipe(this.handler, { end: false });
  socket.on('error', () => this.drop(conn));
};
FixedMessageServer.prototype.drop = function (conn) {
  conn.decoder.unpipe();
  conn.socket.destroy();
};
class RelayClient {
  constructor(socket) {
    this.socket = socket;
  }
  sendData(message) {
    // ok: NLL501 -- the client destroys its own socket in release(): the listeners go with it
    message.pipe(this.socket, { end: false });
  }
  release() {
    this.socket.destroy();
  }
}
module.exports.servers = { MessageServer, FixedMessageServer, RelayClient };

// --- an error body left unread by a fetch wrapper its callers hand the URL to --------------------
const httpApiCall = async (url, { method = 'POST', body } = {}) => {
  // ruleid: NLL501 -- the callers choose the URL: the error body may be of any size
  return fetch(url, { method, body }).then(async (res) => {
    if (res.status === 200) return res.json();
    throw new Error(`HTTP status code ${res.status} for ${method} ${url}`);
  });
};

async function fetchJson(url) {
  // ruleid: NLL501
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status} ${res.statusText}`);
  return res.json();
}

async function fetchJsonCancelled(url) {
  // ok: NLL501 -- the body is cancelled before the throw
  const res = await fetch(url);
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`${url}: ${res.status}`);
  }
  return res.json();
}

async function fetchJsonReported(url) {
  // ok: NLL501 -- the error body is read for the message
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function loadRates() {
  // ok: NLL501 -- an application calling the endpoint it names itself: small JSON errors
  const res = await fetch('https://rates.example.com/latest');
  if (!res.ok) throw new Error(`rates: ${res.status}`);
  return res.json();
}

function getJson(url) {
  return fetch(url).then((res) => {
    // ok: NLL501 -- every caller of getJson is in the file and names its URL
    if (!res.ok) return null;
    return res.json();
  });
}
const loadConfig = () => getJson('https://config.example.com/app.json');

function ApiClient(agent) {
  this.agent = agent;
}
ApiClient.prototype.get = async function (url) {
  // ruleid: NLL501 -- a public method of an exported class: its callers choose the URL
  const response = await fetch(url, { dispatcher: this.agent });
  if (response.status !== 200) return undefined;
  return response.json();
};
module.exports.fetchers = {
  httpApiCall,
  fetchJson,
  fetchJsonCancelled,
  fetchJsonReported,
  loadRates,
  loadConfig,
  ApiClient,
};

// --- a source of unknown kind: medium --------------------------------------------------------
const PDFDocument = require('pdfkit');
app.get('/invoice.pdf', (req, res) => {
  const doc = new PDFDocument();
  res.set('Content-Type', 'application/pdf');
  // ruleid: NLL501 -- medium: a PDF generator may hold no handle, and its failure is thrown
  doc.pipe(res);
  doc.text(`Invoice ${req.query.id}`);
  doc.end();
});
