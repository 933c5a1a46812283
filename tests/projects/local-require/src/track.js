const bus = require('./bus');
exports.track = function (res) {
  bus.on('tick', () => res.write('tick'));
};
