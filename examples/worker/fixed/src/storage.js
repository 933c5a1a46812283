const https = require('node:https');

const agent = new https.Agent({ keepAlive: true, maxSockets: 16 });

function uploadToBucket(key, body) {
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${process.env.BUCKET_URL}/${encodeURIComponent(key)}`,
      { method: 'PUT', agent, headers: { 'Content-Length': body.length } },
      (res) => {
        res.resume();
        if (res.statusCode >= 300) reject(new Error(`upload of ${key} failed: ${res.statusCode}`));
        else res.on('end', resolve);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

module.exports = { uploadToBucket };
