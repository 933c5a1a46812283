const http = require('http');
const SessionCache = require('./sessions');
const { TokenBook } = require('./tokens');
const { registry } = require('./registry');

const sessions = new SessionCache();
const tokens = new TokenBook();

http
  .createServer((req, res) => {
    const id = req.headers['x-session'];
    sessions.open({ id, user: req.headers['x-user'] });
    tokens.issue(id, req.headers['x-user']);
    res.on('finish', () => tokens.release(id));
    res.end(String(registry.lookup('app')));
  })
  .listen(8080);
