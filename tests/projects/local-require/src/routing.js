const bus = require('./bus');
function init(app) {
  bus.on('server-request', (event) => app.handle(event));
}
module.exports = init;
