const createCache = require('./cache');

let cache;

// Per request, but the cache is made once: the first request fills the slot.
exports.lookup = (req, res) => {
  if (!cache) {
    cache = createCache('uploads');
  }
  res.json(cache.get(req.ip) || null);
};

// Per request, and a cache each time: one more listener per request.
exports.fresh = (req, res) => {
  const perRequest = createCache(`request-${req.id}`);
  res.json(perRequest.size);
};
