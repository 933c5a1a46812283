// Modules loaded inside a function or a block: their calls count like top-level imports.
function start(app) {
  const routing = require('./routing');
  routing(app); // once: start() runs once, at the top level
}
start({ handle() {} });

if (process.env.API) {
  const { runAPI } = require('./api');
  runAPI(); // once, at the top level
}

const http = require('http');
http.createServer((req, res) => {
  const { track } = require('./track');
  track(res); // per request
  res.end();
});
