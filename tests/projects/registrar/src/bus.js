// A shared event bus: subscribe adds its caller's listener, unsubscribe removes it.
const { EventEmitter } = require('node:events');

const bus = new EventEmitter();

function subscribe(listener) {
  bus.on('tick', listener);
}

function unsubscribe(listener) {
  bus.off('tick', listener);
}

module.exports = { subscribe, unsubscribe };
