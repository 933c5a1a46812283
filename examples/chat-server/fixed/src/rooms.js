const HISTORY_LENGTH = 50;

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
  say(room, 'system', `${user} joined`);
}

function say(room, user, text) {
  const message = { type: 'message', room, user, text, at: Date.now() };
  const recent = history.get(room) || [];
  recent.push(message);
  if (recent.length > HISTORY_LENGTH) recent.shift();
  history.set(room, recent);
  for (const ws of members.get(room) || []) deliver(ws, message);
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
