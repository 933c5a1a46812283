// Fixed-window rate limiting per client IP.
const { LRUCache } = require('lru-cache');

const MAX_TRACKED_CLIENTS = 50_000;

function rateLimit({ windowMs, max }) {
  // Entries expire with their window, and the least recently seen IPs go first when full.
  const hits = new LRUCache({ max: MAX_TRACKED_CLIENTS, ttl: windowMs });

  return (req, res, next) => {
    const now = Date.now();
    const entry = hits.get(req.ip);
    if (!entry) {
      hits.set(req.ip, { start: now, count: 1 });
      return next();
    }
    entry.count += 1;
    if (entry.count > max) {
      res.set('Retry-After', String(Math.ceil((entry.start + windowMs - now) / 1000)));
      return res.status(429).json({ error: 'too many requests' });
    }
    return next();
  };
}

module.exports = { rateLimit };
