const { EventEmitter } = require('node:events');

// Dashboards subscribe to this to get live order updates.
const orderEvents = new EventEmitter();
orderEvents.setMaxListeners(0);

module.exports = { orderEvents };
