const { rooms } = require('./state');

// Rooms are pruned in another file: the project view counts it.
function prune(id) {
  rooms.delete(id);
}

module.exports = { prune };
