const express = require('express');
const db = require('../db');
const { orderEvents, MAX_LIVE_DASHBOARDS } = require('../events');

const router = express.Router();

router.post('/', async (req, res, next) => {
  try {
    const order = await db.insertOrder(req.body);
    orderEvents.emit('order', order);
    res.status(201).json(order);
  } catch (err) {
    next(err);
  }
});

// Server-sent events: the dashboard keeps this request open.
router.get('/live', (req, res) => {
  if (orderEvents.listenerCount('order') >= MAX_LIVE_DASHBOARDS) {
    res.status(503).json({ error: 'too many live dashboards' });
    return;
  }
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
  });
  res.write('retry: 5000\n\n');

  const send = (order) => {
    res.write(`event: order\ndata: ${JSON.stringify(order)}\n\n`);
  };
  orderEvents.on('order', send);
  req.on('close', () => orderEvents.off('order', send));
});

module.exports = router;
