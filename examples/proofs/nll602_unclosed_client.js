#!/usr/bin/env node
// NLL602 unclosed-client: runtime proof with real core objects.
//
// Premise (SPEC §2 NLL602): a heavyweight client created per call and never
// closed keeps its connections (sockets, fds) open; closing it in `finally`
// returns to baseline.
//
// Client used: `new http.Agent({ keepAlive: true })` per request (a core
// object, listed by the rule). After the response, the agent parks the socket
// in its free pool (unref'd, so it does not keep the process alive, but still
// open). Without agent.destroy() each call leaves one open socket behind.
// A second pair of phases uses a stand-in for a database client (pg/ioredis
// shape: connect() opens a net.Socket, query(), end()/quit() closes it).
//
// The server runs in a separate child process, so /proc/self/fd of the
// measuring process counts only the client side. Its keepAliveTimeout is 60 s,
// like a database or proxy that keeps idle connections (Node's own HTTP server
// default of 5 s would close idle keep-alive sockets after 5 s and bound
// this particular HTTP leak; a database server does not).
//
// Run: node --expose-gc examples/proofs/nll602_unclosed_client.js
'use strict';
const { sleep, fullGC, openFds, countResources, delta, main } = require('./harness');

const http = require('node:http');
const net = require('node:net');

const N = 30; // calls per phase

function get(port, agent) {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      })
      .on('error', reject);
  });
}

// FLAGGED: a new keep-alive agent per call, never destroyed.
async function fetchFlagged(port) {
  const agent = new http.Agent({ keepAlive: true });
  await get(port, agent);
}

// FIXED: destroyed in finally.
async function fetchFixed(port) {
  const agent = new http.Agent({ keepAlive: true });
  try {
    await get(port, agent);
  } finally {
    agent.destroy();
  }
}

// Stand-in for a pg / ioredis / mysql client: one TCP connection per client.
class FakeDbClient {
  constructor(port) {
    this.port = port;
    this.socket = null;
  }

  connect() {
    return new Promise((resolve, reject) => {
      this.socket = net.connect(this.port, '127.0.0.1', resolve);
      this.socket.once('error', reject);
    });
  }

  query() {
    // The server speaks HTTP; a keep-alive request stands in for a query.
    return new Promise((resolve) => {
      this.socket.once('data', resolve);
      this.socket.write('GET / HTTP/1.1\r\nHost: db\r\nConnection: keep-alive\r\n\r\n');
    });
  }

  end() {
    return new Promise((resolve) => {
      this.socket.once('close', resolve);
      this.socket.end();
    });
  }
}

// FLAGGED: client per call, never ended.
async function queryFlagged(port) {
  const client = new FakeDbClient(port);
  await client.connect();
  await client.query();
}

// FIXED: client per call, ended in finally.
async function queryFixed(port) {
  const client = new FakeDbClient(port);
  await client.connect();
  try {
    await client.query();
  } finally {
    await client.end();
  }
}

async function measure(call) {
  const port = Number(process.env.NLL602_PORT);
  await call(port); // warm up before the baseline
  await sleep(50);
  await fullGC();
  const fd0 = openFds();
  const tcp0 = countResources('TCPSocketWrap');
  for (let i = 0; i < N; i++) await call(port);
  await sleep(100); // let socket close callbacks run
  await fullGC();
  const fd1 = openFds();
  const tcp1 = countResources('TCPSocketWrap');
  return delta(fd0, fd1, { ref_tcp_handles: delta(tcp0, tcp1) });
}

const phases = {
  flagged: () => measure(fetchFlagged),
  fixed: () => measure(fetchFixed),
  standin_flagged: () => measure(queryFlagged),
  standin_fixed: () => measure(queryFixed),
};

// The server process: prints its port, exits when the parent goes away.
function server() {
  const srv = http.createServer((_req, res) => res.end('ok'));
  srv.keepAliveTimeout = 60_000;
  srv.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${srv.address().port}\n`);
  });
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
}

async function setup() {
  const { spawn } = require('node:child_process');
  const child = spawn(process.execPath, [__filename, '--server'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const port = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(Number(out.trim()));
    });
    child.on('exit', (code) => reject(new Error(`server exited early (${code})`)));
  });
  return {
    env: { NLL602_PORT: String(port) },
    teardown: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.end();
      child.kill();
      await exited;
    },
  };
}

function line(label, r) {
  return (
    `${label.padEnd(46)} open fds ${r.before} -> ${r.after} (+${r.growth}), ` +
    `ref'd TCP handles ${r.ref_tcp_handles.before} -> ${r.ref_tcp_handles.after}`
  );
}

main({
  rule: 'NLL602',
  title: `client created per call and never closed (${N} calls)`,
  metric: 'open file descriptors of the client process (/proc/self/fd)',
  n: N,
  phases,
  setup,
  server,
  report: (r) => [
    line('flagged: new http.Agent({keepAlive})', r.flagged),
    line('fixed:   agent.destroy() in finally', r.fixed),
    line('flagged: stand-in db client, no end()', r.standin_flagged),
    line('fixed:   stand-in db client, end() in finally', r.standin_fixed),
    "note: keep-alive agent sockets are unref'd, so they are absent from",
    '      getActiveResourcesInfo() while their fds stay open.',
  ],
  extra: (r) => ({ standin: { flagged: r.standin_flagged, fixed: r.standin_fixed } }),
});
