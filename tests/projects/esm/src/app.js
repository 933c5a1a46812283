import http from 'node:http';
import * as lib from './lib/index.js';
import { warmUp } from './lib/index.js';

warmUp(new Map());

http.createServer((req, res) => {
  lib.track(req.session);
  res.end('ok');
}).listen(8080);
