// A registry of process-wide emitters, one per name: what getEmitter returns lives as long
// as the process.
const { EventEmitter } = require('node:events');

const emitters = {};

function getEmitter(name) {
  if (!emitters[name]) {
    emitters[name] = new EventEmitter();
  }
  return emitters[name];
}

function freshEmitter() {
  return new EventEmitter();
}

module.exports = { getEmitter, freshEmitter };
