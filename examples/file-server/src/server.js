const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const { contentType, isCompressible } = require('./mime');

const ROOT = path.resolve(process.env.FILES_ROOT || 'public');

async function resolveFile(urlPath) {
  const file = path.join(ROOT, path.normalize(decodeURIComponent(urlPath)));
  if (!file.startsWith(ROOT + path.sep)) return null;
  try {
    const stat = await fs.promises.stat(file);
    return stat.isFile() ? { file, stat } : null;
  } catch {
    return null;
  }
}

const server = http.createServer(async (req, res) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  const found = await resolveFile(new URL(req.url, 'http://localhost').pathname);
  if (!found) {
    res.writeHead(404).end('not found');
    return;
  }
  const { file, stat } = found;

  req.socket.on('error', (err) => {
    console.warn(`connection error while sending ${file}: ${err.message}`);
  });

  const type = contentType(file);
  const gzip = isCompressible(type) && /\bgzip\b/.test(req.headers['accept-encoding'] || '');
  res.writeHead(200, {
    'Content-Type': type,
    'Last-Modified': stat.mtime.toUTCString(),
    ...(gzip ? { 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' } : { 'Content-Length': stat.size }),
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }

  if (gzip) {
    fs.createReadStream(file).pipe(zlib.createGzip()).pipe(res);
  } else {
    fs.createReadStream(file).pipe(res);
  }
});

server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT) || 8081);
