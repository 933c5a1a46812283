const { EventEmitter } = require('events');

const hub = new EventEmitter();

// Called once at start-up by main.js, but also handed to a plugin list whose runner is
// out of view: how often it runs is unknown.
function attach(client) {
  hub.on('message', (message) => client.send(message));
}

module.exports = { hub, attach };
