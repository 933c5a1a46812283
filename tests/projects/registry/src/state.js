// Shared state: one map for the whole process.
const sockets = new Map();
const rooms = new Map();

module.exports = { sockets, rooms };
