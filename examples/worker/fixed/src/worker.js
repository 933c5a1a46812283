// Pulls jobs from a Redis list and runs them one at a time.
const fs = require('node:fs');
const Redis = require('ioredis');
const { Pool } = require('pg');
const { uploadToBucket } = require('./storage');

const redis = new Redis(process.env.REDIS_URL);
const recentRuns = [];
const stats = { done: 0, failed: 0 };
let running = true;
let currentUpload = null;

async function withRetry(fn, attempts) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= attempts) throw err;
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}

async function exportInvoices(job) {
  const { tenant, month } = job.payload;
  const db = new Pool({ connectionString: process.env.TENANT_DB_URL.replace('{tenant}', tenant), max: 2 });
  try {
    const { rows } = await db.query('select id, customer, total from invoices where month = $1 order by id', [month]);
    const csv = rows.map((row) => `${row.id},${row.customer},${row.total}`).join('\n');
    await uploadToBucket(`exports/${tenant}/${month}.csv`, Buffer.from(csv));
    return rows.length;
  } finally {
    await db.end();
  }
}

async function archiveUpload(job) {
  const archive = await fs.promises.readFile(job.payload.path);
  const startedAt = Date.now();
  currentUpload = { key: job.payload.key, startedAt };
  try {
    await withRetry(() => uploadToBucket(`archive/${job.payload.key}`, archive), 3);
  } finally {
    currentUpload = null;
  }

  recentRuns.push({ id: job.id, key: job.payload.key, durationMs: Date.now() - startedAt });
  if (recentRuns.length > 20) recentRuns.shift();
  await fs.promises.unlink(job.payload.path);
}

const handlers = {
  'export-invoices': exportInvoices,
  'archive-upload': archiveUpload,
};

async function handle(job) {
  const heartbeat = setInterval(() => {
    redis.set(`job:${job.id}:heartbeat`, Date.now(), 'EX', 30);
  }, 10_000);

  try {
    const handler = handlers[job.type];
    if (!handler) throw new Error(`unknown job type ${job.type}`);
    await handler(job);
  } finally {
    clearInterval(heartbeat);
  }
}

async function main() {
  while (running) {
    const item = await redis.brpop('jobs', 5);
    if (!item) continue;
    const job = JSON.parse(item[1]);
    try {
      await handle(job);
      stats.done += 1;
    } catch (err) {
      stats.failed += 1;
      console.error(`job ${job.id} failed`, err);
    }
  }
  await redis.quit();
}

setInterval(() => {
  const status = currentUpload
    ? `uploading ${currentUpload.key} for ${Math.round((Date.now() - currentUpload.startedAt) / 1000)} s`
    : 'idle';
  const recent = recentRuns.map((run) => `archived ${run.key} in ${run.durationMs} ms`);
  console.log(JSON.stringify({ ...stats, status, recent }));
}, 60_000).unref();

process.on('SIGTERM', () => {
  running = false;
});

main();
