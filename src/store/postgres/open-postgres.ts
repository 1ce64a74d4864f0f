import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { migrateLocked, type DeferredIndexes } from './migrate.ts';
import { quoteIdentifier } from './pg-db.ts';
import * as schema from './schema.ts';

export type PostgresDb = NodePgDatabase<typeof schema> & { $client: pg.Pool };

type OpenPostgresOptions = {
  /** Sets `search_path` on every connection (one schema per test file, or per install). */
  searchPath?: string;
  /** Pool size; node-postgres' default is 10. */
  max?: number;
  /** Default: built. */
  deferredIndexes?: DeferredIndexes;
};

/**
 * Opens a pool on `url` (postgres://…) and applies pending migrations under the migration lock
 * (migrate.ts), on one connection checked out for the purpose. Throws what pg throws when the
 * server is unreachable or refuses (the caller's boundary classifies it).
 */
export async function openPostgres(url: string, options: OpenPostgresOptions = {}): Promise<PostgresDb> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max,
    // A startup parameter, so every pooled connection has it before its first query.
    options: options.searchPath === undefined ? undefined : `-c search_path=${quoteSearchPath(options.searchPath)}`,
  });
  try {
    const client = await pool.connect();
    try {
      const single = drizzle(client, { schema });
      await migrateLocked(single, (config) => migrate(single, config), options.deferredIndexes);
    } finally {
      client.release();
    }
  } catch (err) {
    await pool.end();
    throw err;
  }
  return drizzle(pool, { schema });
}

/** One schema name as a search_path value: double-quoted, with `"` doubled and spaces escaped for `-c`. */
function quoteSearchPath(name: string): string {
  return quoteIdentifier(name).replaceAll('\\', '\\\\').replaceAll(' ', '\\ ');
}
