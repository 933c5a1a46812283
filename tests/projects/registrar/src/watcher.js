const { watch } = require('./bus');

module.exports = function watcher(req, res) {
  const stop = watch((t) => res.write(`watch ${t}\n`));
  req.on('close', stop);
};
