import express from 'express';
import { Store, openStore, Holder } from '@lib/store';

const router = express.Router();

router.get('/count', async (req, res) => {
  const store = new Store(process.env.DATABASE_URL ?? '');
  res.json({ count: await store.count('items') });
});

router.get('/count-opened', async (req, res) => {
  const store = openStore(process.env.DATABASE_URL ?? '');
  const count = await store.count('items');
  if (count === 0) {
    res.status(404).end();
    return;
  }
  await store.close();
  res.json({ count });
});

router.get('/count-closed', async (req, res) => {
  const store = new Store(process.env.DATABASE_URL ?? '');
  try {
    res.json({ count: await store.count('items') });
  } finally {
    await store.close();
  }
});

router.get('/holder', (req, res) => {
  const holder = new Holder();
  res.json({ ok: Boolean(holder) });
});

export default router;
