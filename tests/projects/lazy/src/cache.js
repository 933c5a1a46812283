const { EventEmitter } = require('events');

const pubsub = new EventEmitter();

// Makes a cache that listens for resets: one listener per cache made.
module.exports = function createCache(name) {
  const entries = new Map();
  pubsub.on(`${name}:reset`, () => entries.clear());
  return entries;
};
