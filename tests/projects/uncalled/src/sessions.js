// Keeps each open session in memory; `purge` would drop it, but no code of the project
// calls it (only the tests do): every session ever opened stays.
function SessionCache() {
  this.local = {};
}

SessionCache.prototype.open = function (session) {
  this.local[session.id] = { count: 1, session: session };
};

SessionCache.prototype.get = function (id) {
  var entry = this.local[id];
  return entry ? entry.session : null;
};

SessionCache.prototype.purge = function (id) {
  delete this.local[id];
};

module.exports = SessionCache;
