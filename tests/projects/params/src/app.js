const http = require('http');
const { EventEmitter } = require('events');
const { watch, follow } = require('./watch');

const settings = new EventEmitter();

http
  .createServer((req, res) => {
    watch(settings, res); // the module-level emitter: one more listener per request
    follow(req, res); // the request itself: its listeners go with it
  })
  .listen(8080);
