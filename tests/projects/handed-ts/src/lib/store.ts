// Each Store opens its own pg pool in the constructor; close() ends it.
import { Pool } from 'pg';

export class Store {
  private pool: Pool;

  constructor(url: string) {
    this.pool = new Pool({ connectionString: url });
  }

  async count(table: string): Promise<number> {
    const result = await this.pool.query(`select count(*) from ${table}`);
    return Number(result.rows[0].count);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export function openStore(url: string): Store {
  return new Store(url);
}

// A cache that keeps whatever it is given: not a client it creates.
export class Holder {
  private pool: Pool | null = null;

  use(pool: Pool): void {
    this.pool = pool;
  }

  async close(): Promise<void> {
    await this.pool?.end();
  }
}
