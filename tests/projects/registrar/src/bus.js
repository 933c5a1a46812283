// A shared event bus: subscribe adds its caller's listener, unsubscribe removes it.
const { EventEmitter } = require('node:events');

const bus = new EventEmitter();

function subscribe(listener) {
  bus.on('tick', listener);
}

function unsubscribe(listener) {
  bus.off('tick', listener);
}

// watch adds its caller's listener and returns the way to remove it again.
function watch(listener) {
  bus.on('tick', listener);
  return () => bus.off('tick', listener);
}

module.exports = { subscribe, unsubscribe, watch };
