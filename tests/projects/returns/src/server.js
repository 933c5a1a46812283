const http = require('node:http');
const { InboundListener } = require('./listener');

http.createServer((req, res) => {
  const listener = new InboundListener(console.log);
  listener.init();
  res.end('ok');
}).listen(8080);
