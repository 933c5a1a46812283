const events = require('./bus');

module.exports = function feed(req, res) {
  events.subscribe((t) => res.write(`feed ${t}\n`));
};
