const a = require('./a');

function start() {
  a.listen(console);
}

module.exports = { start };
