const { EventEmitter } = require('node:events');

// One listener per open dashboard; routes/orders.js refuses streams beyond this.
const MAX_LIVE_DASHBOARDS = 50;

const orderEvents = new EventEmitter();
orderEvents.setMaxListeners(MAX_LIVE_DASHBOARDS);

module.exports = { orderEvents, MAX_LIVE_DASHBOARDS };
