import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPostgres } from '../src/store/postgres/open-postgres.ts';
import { createPostgresStore, type PostgresStore } from '../src/store/postgres/postgres-store.ts';

// The PostgreSQL side of `--backend postgres`: a `pb_bench_<hex>` schema of its own on the server
// (DATABASE_URL, or the local test server), migrated as the bot migrates, dropped when done, so a
// bench never touches an install's tables and leaves nothing behind.

export const defaultBenchUrl = 'postgres://postgres@127.0.0.1:5432/test';

export type BenchSchema = {
  name: string;
  /** A store on the schema with its own pool, as one replica opens it. */
  openStore(max?: number): Promise<{ store: PostgresStore; pool: pg.Pool }>;
  drop(): Promise<void>;
};

async function admin(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export async function createBenchSchema(url: string, label: string): Promise<BenchSchema> {
  const name = `pb_bench_${label}_${randomBytes(4).toString('hex')}`;
  await admin(url, `CREATE SCHEMA ${name}`);
  const open: PostgresStore[] = [];
  return {
    name,
    async openStore(max = 10) {
      const db = await openPostgres(url, { searchPath: name, max });
      const store = createPostgresStore(db, () => db.$client.end());
      open.push(store);
      return { store, pool: db.$client };
    },
    async drop() {
      for (const store of open.splice(0)) await store.close();
      await admin(url, `DROP SCHEMA IF EXISTS ${name} CASCADE`);
    },
  };
}
