// Keyed by what callers pass: one route passes the request's text, so it grows per request.
const labelCache = new Map();

function labelFor(text) {
  if (!labelCache.has(text)) {
    labelCache.set(text, text.toUpperCase());
  }
  return labelCache.get(text);
}

module.exports = { labelFor };
