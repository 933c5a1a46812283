const express = require('express');
const orders = require('./routes/orders');
const reports = require('./routes/reports');
const { rateLimit } = require('./middleware/rate-limit');

const app = express();

app.use(express.json());
app.use(rateLimit({ windowMs: 60_000, max: 120 }));
app.use('/orders', orders);
app.use('/reports', reports);

app.use((err, req, res, next) => {
  console.error(err);
  res.status(500).json({ error: 'internal error' });
});

const port = Number(process.env.PORT) || 3000;
app.listen(port, () => console.log(`orders-api listening on :${port}`));
