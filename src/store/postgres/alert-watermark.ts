import { and, asc, gt, ne, sql } from 'drizzle-orm';
import { getMeta } from './meta.ts';
import type { PgDb } from './pg-db.ts';
import type { PgTx } from './papers.ts';
import { NO_FEED_DAY } from '../store.ts';
import { meta, papers } from './schema.ts';

type DbOrTx = PgDb | PgTx;

// As on SQLite (../sqlite/alert-watermark.ts): every paper with an id above the watermark has not
// been through alert planning yet. On PostgreSQL that holds only if papers become visible in id
// order: writers of papers take PAPERS_WRITE_LOCK (papers.ts), so no transaction commits a lower
// id after another moved the watermark past it.

const KEY = 'alerts_planned_through_paper_id';

export async function alertWatermark(db: DbOrTx): Promise<number> {
  return Number((await getMeta(db, KEY)) ?? 0);
}

/**
 * Never backwards, in one statement: two concurrent transactions that read the same old value
 * cannot let the smaller target land last (the conflict clause re-checks the committed row).
 */
export async function advanceAlertWatermark(db: DbOrTx, throughPaperId: number, now: number): Promise<void> {
  // The watermark reads 0 while unset, so a target at or below 0 moves nothing.
  if (throughPaperId <= 0) return;
  await db
    .insert(meta)
    .values({ key: KEY, value: String(throughPaperId), updatedAt: now })
    .onConflictDoUpdate({ target: meta.key, set: { value: String(throughPaperId), updatedAt: now }, setWhere: sql`${meta.value}::bigint < ${throughPaperId}` });
}

/** Ids of papers first seen after the watermark, oldest first, at most `limit`; papers no feed day listed are never planned. */
export async function unplannedPaperIds(db: DbOrTx, limit: number): Promise<number[]> {
  const rows = await db
    .select({ id: papers.id })
    .from(papers)
    .where(and(gt(papers.id, await alertWatermark(db)), ne(papers.latestFeedDate, NO_FEED_DAY)))
    .orderBy(asc(papers.id))
    .limit(limit);
  return rows.map((row) => row.id);
}
