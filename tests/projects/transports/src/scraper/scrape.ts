import { logger, ArrayTransport } from '../lib/logger';

function buildMeta(id: string) {
  const child = logger.child({ scrapeId: id });
  const logs: unknown[] = [];
  child.add(new ArrayTransport(logs));
  return { id, logger: child, logs };
}

function buildMetaFixed(id: string) {
  const child = logger.child({ scrapeId: id });
  const logs: unknown[] = [];
  const transport = new ArrayTransport(logs);
  child.add(transport);
  return { id, logger: child, logs, done: () => child.remove(transport) };
}

export async function scrape(id: string): Promise<unknown[]> {
  const meta = buildMeta(id);
  const fixed = buildMetaFixed(id);
  fixed.done();
  return meta.logs;
}
