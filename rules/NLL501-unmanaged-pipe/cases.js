// Annotated cases for NLL501 unmanaged-pipe (CommonJS, Express and plain http).
const fs = require('fs');
const http = require('http');
const https = require('https');
const zlib = require('zlib');
const { spawn } = require('child_process');
const { pipeline, finished, PassThrough } = require('stream');
const express = require('express');
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
  // ruleid: NLL501
  tee.pipe(res);
  tee.end('hello');
});

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
module.exports = { download, forward, Mailer };
