const b = require('./b');
const { EventEmitter } = require('events');

const emitter = new EventEmitter();

function listen(client) {
  emitter.on('data', () => client.send('data'));
}

module.exports = { listen, emitter };
b.start();
