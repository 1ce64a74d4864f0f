import { sql } from 'drizzle-orm';
import { queryRows, quoteIdentifier, type PgDb } from './pg-db.ts';

// A bulk copy into PostgreSQL (migrate-to-postgres) is many times faster without the GIN indexes
// of the table it fills: each INSERT otherwise merges its rows into every inverted index, and one
// of the papers' computes each paper's adjacent word pairs (migration 0013). At a million papers a
// copy with them ran past an hour. The copy drops them and records their definitions in
// `deferred_indexes` in one transaction, and builds each again (and forgets it) in one transaction
// when it is done; if it was killed in between, the next copy, or the next start of a bot on the
// schema, builds them. So no schema is ever without an index and without its record.

/** Where a copy has this many rows or more still to write, it defers the table's GIN indexes. */
export const DEFER_INDEXES_FROM_ROWS = 10_000;

/** Drops `table`'s GIN indexes, recording their definitions. */
export async function deferGinIndexes(db: PgDb, table: string): Promise<void> {
  await db.transaction(async (tx) => {
    const indexes = await queryRows<{ name: string; definition: string }>(
      tx,
      sql`SELECT indexname AS name, indexdef AS definition FROM pg_indexes
          WHERE schemaname = current_schema() AND tablename = ${table} AND indexdef LIKE '% USING gin %'`,
    );
    for (const index of indexes) {
      await tx.execute(sql`INSERT INTO deferred_indexes (name, definition) VALUES (${index.name}, ${index.definition}) ON CONFLICT (name) DO NOTHING`);
      await tx.execute(sql.raw(`DROP INDEX ${quoteIdentifier(index.name)}`));
    }
  });
}

/** Builds every recorded index, one transaction each (`onIndex` before each). */
export async function buildDeferredIndexes(db: PgDb, onIndex?: (name: string) => void): Promise<void> {
  const deferred = await queryRows<{ name: string; definition: string }>(db, sql`SELECT name, definition FROM deferred_indexes ORDER BY name`);
  for (const index of deferred) {
    onIndex?.(index.name);
    await db.transaction(async (tx) => {
      // A GIN build sorts its entries in this memory; PostgreSQL's default (64 MB) spills a
      // million papers' words to disk many times over.
      await tx.execute(sql`SET LOCAL maintenance_work_mem = '256MB'`);
      await tx.execute(sql.raw(index.definition.replace(/^CREATE INDEX /, 'CREATE INDEX IF NOT EXISTS ')));
      await tx.execute(sql`DELETE FROM deferred_indexes WHERE name = ${index.name}`);
    });
  }
}
