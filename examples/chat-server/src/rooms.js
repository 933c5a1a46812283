const { EventEmitter } = require('node:events');

const HISTORY_LENGTH = 50;

// One event per room: every member listens for the room's messages.
const hub = new EventEmitter();
hub.setMaxListeners(0);

const members = new Map();
const history = new Map();

function deliver(ws, message) {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
}

function join(room, ws, user) {
  let inRoom = members.get(room);
  if (!inRoom) {
    inRoom = new Set();
    members.set(room, inRoom);
  }
  inRoom.add(ws);

  for (const message of history.get(room) || []) deliver(ws, message);
  hub.on(room, (message) => deliver(ws, message));
  say(room, 'system', `${user} joined`);
}

function say(room, user, text) {
  const message = { type: 'message', room, user, text, at: Date.now() };
  const recent = history.get(room) || [];
  recent.push(message);
  if (recent.length > HISTORY_LENGTH) recent.shift();
  history.set(room, recent);
  hub.emit(room, message);
}

function leave(room, ws) {
  const inRoom = members.get(room);
  if (!inRoom) return;
  inRoom.delete(ws);
  if (inRoom.size === 0) {
    members.delete(room);
    history.delete(room);
  }
}

function leaveAll(ws) {
  for (const room of [...members.keys()]) leave(room, ws);
}

module.exports = { join, say, leave, leaveAll };
