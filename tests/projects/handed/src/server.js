const http = require('node:http');
const { aclCheck, aclCheckClosed, aclCheckEarlyReturn, aclCheckShared } = require('./acl');
const { renderPng, renderPngClosed, renderShared } = require('./render');

http
  .createServer(async (req, res) => {
    const allowed =
      (await aclCheck('ds', req.headers.user)) &&
      (await aclCheckClosed('ds', req.headers.user)) &&
      (await aclCheckEarlyReturn('ds', req.headers.user)) &&
      (await aclCheckShared('ds', req.headers.user));
    if (!allowed) return res.end('no');
    await renderPng(req.url);
    await renderPngClosed(req.url);
    res.end(await renderShared(req.url));
  })
  .listen(8080);
