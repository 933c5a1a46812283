const bus = require('./bus');
exports.runAPI = function () {
  setInterval(() => bus.emit('tick'), 1000);
};
