import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { MigrationConfig } from 'drizzle-orm/migrator';
import { buildDeferredIndexes } from './deferred-indexes.ts';
import { queryRows, type PgDb } from './pg-db.ts';

/** Shipped with the package; resolved from this file, never from the working directory. */
export const migrationsFolder = fileURLToPath(new URL('../../../migrations/postgres', import.meta.url));

/**
 * First key of the migration advisory lock; the second is a hash of the schema, so instances in
 * different schemas of one database (tests, side-by-side installs) do not wait for each other.
 */
const MIGRATION_LOCK_KEY = 0x70627267; // 'pbrg'

/**
 * Applies pending migrations while holding a session-level advisory lock, so replicas that start
 * together migrate once: the first applies, the others wait on the lock, then find nothing to do.
 * `db` must run on ONE connection (a checked-out client, or PGlite): the lock belongs to the
 * session, and drizzle's migrator reads what is applied before opening its transaction.
 * The migrations table lives in the current schema, beside the tables it describes. Indexes a
 * killed bulk copy left unbuilt are built here too, under the same lock (deferred-indexes.ts).
 */
export async function migrateLocked(
  db: PgDb,
  runMigrator: (config: MigrationConfig) => Promise<void>,
  deferred: DeferredIndexes = { build: true },
): Promise<void> {
  await withMigrationLock(db, async (schema) => {
    await runMigrator({ migrationsFolder, migrationsSchema: schema, migrationsTable: '__drizzle_migrations' });
    if (deferred.build) await buildDeferredIndexes(db, deferred.onIndex);
  });
}

/**
 * What opening does with indexes a killed copy left unbuilt: build them (`onIndex` before each), or
 * leave them to the copy that resumes (it would drop them again to go on filling the table).
 */
export type DeferredIndexes = { build: true; onIndex?: (name: string) => void } | { build: false };

/** Runs `work` holding the current schema's migration lock (`db` on one connection, as above). */
export async function withMigrationLock<T>(db: PgDb, work: (schema: string) => Promise<T>): Promise<T> {
  const [row] = await queryRows<{ schema: string | null }>(db, sql`SELECT current_schema() AS schema`);
  const schema = row?.schema;
  if (!schema) throw new Error('PostgreSQL search_path names no existing schema: create it first');
  await db.execute(sql`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY}, hashtext(${schema}))`);
  try {
    return await work(schema);
  } finally {
    await db.execute(sql`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY}, hashtext(${schema}))`);
  }
}
