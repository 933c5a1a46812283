const http = require('http');
const { watch } = require('@acme/core');

http.createServer((req, res) => watch(res)).listen(8080);
