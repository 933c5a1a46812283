const express = require('express');
const db = require('../db');
const { orderEvents } = require('../events');

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
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
  });
  res.write('retry: 5000\n\n');

  orderEvents.on('order', (order) => {
    res.write(`event: order\ndata: ${JSON.stringify(order)}\n\n`);
  });
});

module.exports = router;
