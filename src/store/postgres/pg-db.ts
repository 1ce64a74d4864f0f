import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema.ts';

/** A drizzle handle on either PostgreSQL driver (node-postgres in production, PGlite in tests). */
export type PgDb = PgDatabase<PgQueryResultHKT, typeof schema>;

/** A table, index or schema name as an SQL identifier: double-quoted, `"` doubled. */
export const quoteIdentifier = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Rows of a raw statement. Both drivers answer `{ rows }`; the row type is the caller's word for
 * its own SQL (our tables, not external data).
 */
export async function queryRows<T>(db: PgDb, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  if (typeof result !== 'object' || result === null || !('rows' in result) || !Array.isArray(result.rows)) {
    throw new TypeError('PostgreSQL driver returned no rows array');
  }
  return result.rows;
}
