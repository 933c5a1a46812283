const express = require('express');
const nodemailer = require('nodemailer');
const db = require('../db');

const router = express.Router();
const mailer = nodemailer.createTransport({
  host: process.env.SMTP_HOST,
  port: 587,
  auth: { user: process.env.SMTP_USER, pass: process.env.SMTP_PASSWORD },
});

function toCsv(rows) {
  const lines = rows.map((row) => [row.id, row.customer_id, row.total, row.created_at.toISOString()].join(','));
  return ['id,customer,total,created_at', ...lines].join('\n');
}

router.post('/monthly', async (req, res, next) => {
  const { month, email } = req.body;
  try {
    const rows = await db.ordersForMonth(month);
    const csv = Buffer.from(toCsv(rows));

    await new Promise((resolve, reject) => {
      mailer.sendMail(
        {
          to: email,
          subject: `Orders for ${month}`,
          text: `${rows.length} orders attached.`,
          attachments: [{ filename: `orders-${month}.csv`, content: csv }],
        },
        (err) => (err ? reject(err) : resolve()),
      );
    });

    res.status(202).json({ sent: true, orders: rows.length });
  } catch (err) {
    next(err);
  }
});

module.exports = router;
