const SessionCache = require('../src/sessions');

const cache = new SessionCache();
cache.open({ id: 'a' });
cache.purge('a');
