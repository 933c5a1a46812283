const http = require('node:http');
const { subscribe, unsubscribe } = require('./bus');
const feed = require('./feed');
const watcher = require('./watcher');

http.createServer((req, res) => {
  if (req.url === '/watch') {
    watcher(req, res);
    return;
  }
  if (req.url === '/feed') {
    feed(req, res);
    return;
  }
  const onTick = (t) => res.write(`tick ${t}\n`);
  subscribe(onTick);
  req.on('close', () => unsubscribe(onTick));
}).listen(8080);
