const bus = require('./bus');

// Called per request from routes/feed.js: one more listener per request.
function attachMetrics(res) {
  bus.on('tick', () => res.write('tick\n'));
}

// Called once, from server.js at start-up: one listener for the life of the process.
function logTicks(logger) {
  bus.on('tick', () => logger.info('tick'));
}

module.exports = { attachMetrics, logTicks };
