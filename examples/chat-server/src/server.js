const http = require('node:http');
const { WebSocketServer } = require('ws');
const rooms = require('./rooms');

const HEARTBEAT_MS = 30_000;

const server = http.createServer((req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
    return;
  }
  res.writeHead(404).end();
});

const wss = new WebSocketServer({ server });
const clients = new Map();

wss.on('connection', (ws, req) => {
  const user = new URL(req.url, 'http://localhost').searchParams.get('user') || 'anonymous';
  const id = `${user}:${req.socket.remotePort}:${Date.now()}`;
  clients.set(id, { ws, user, connectedAt: Date.now() });

  ws.isAlive = true;
  ws.on('pong', () => {
    ws.isAlive = true;
  });
  setInterval(() => {
    if (!ws.isAlive) {
      ws.terminate();
      return;
    }
    ws.isAlive = false;
    ws.ping();
  }, HEARTBEAT_MS);

  process.on('SIGTERM', () => ws.close(1001, 'server restarting'));

  ws.on('message', (data) => {
    let msg;
    try {
      msg = JSON.parse(data);
    } catch {
      ws.send(JSON.stringify({ type: 'error', error: 'invalid JSON' }));
      return;
    }
    if (msg.type === 'join') rooms.join(msg.room, ws, user);
    else if (msg.type === 'say') rooms.say(msg.room, user, String(msg.text).slice(0, 2000));
    else if (msg.type === 'leave') rooms.leave(msg.room, ws);
  });

  ws.on('close', () => rooms.leaveAll(ws));
});

server.listen(Number(process.env.PORT) || 8080);
