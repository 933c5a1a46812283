const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

async function insertOrder({ customerId, items, total }) {
  const { rows } = await pool.query(
    'insert into orders (customer_id, items, total) values ($1, $2, $3) returning *',
    [customerId, JSON.stringify(items), total],
  );
  return rows[0];
}

async function ordersForMonth(month) {
  const { rows } = await pool.query(
    "select * from orders where date_trunc('month', created_at) = $1::date order by created_at",
    [`${month}-01`],
  );
  return rows;
}

module.exports = { pool, insertOrder, ordersForMonth };
