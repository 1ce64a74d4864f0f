import { sql } from 'drizzle-orm';
import type { PgDb } from './pg-db.ts';

// PostgreSQL's GIN indexes take new entries into a pending list (`fastupdate`) that every index
// scan reads whole until VACUUM merges it into the index. Autovacuum vacuums an insert-mostly table
// only after 20 % of its rows are new, so on a large archive each day's papers (and each upvote
// refresh) sat in the lists and every search read up to 4 MB more per index: at 1M papers the
// search bench's p95 fell from 225 to 91 ms once the lists were merged. So each unit that writes
// papers merges what it added, after its commit; merging a day's few hundred papers is cheap, and
// inserts keep the pending list's batching (unlike `fastupdate = off`).

const PERMISSION_DENIED = '42501';

/**
 * Merges the papers' GIN pending lists (all three: a phrase's window reads the search keys index's,
 * migration 0013); a role that does not own the indexes leaves them to autovacuum.
 */
async function mergePendingIndexEntries(db: PgDb): Promise<void> {
  try {
    await db.execute(
      sql`SELECT gin_clean_pending_list('papers_search_vector_idx'::regclass), gin_clean_pending_list('papers_title_vector_idx'::regclass),
                 gin_clean_pending_list('papers_search_keys_idx'::regclass)`,
    );
  } catch (err) {
    if ((err as { code?: unknown }).code !== PERMISSION_DENIED) throw err;
  }
}

/** `write`'s result, once the rows it committed are merged into the search indexes. */
export async function thenMergePending<T>(db: PgDb, write: Promise<T>): Promise<T> {
  const result = await write;
  await mergePendingIndexEntries(db);
  return result;
}
