import { asc, gt } from 'drizzle-orm';
import { getMeta, setMeta } from './meta.ts';
import type { PgDb } from './pg-db.ts';
import type { PgTx } from './papers.ts';
import { papers } from './schema.ts';

type DbOrTx = PgDb | PgTx;

// As on SQLite (../sqlite/alert-watermark.ts): every paper with an id above the watermark has not
// been through alert planning yet. On PostgreSQL that holds only if papers become visible in id
// order: writers of papers take PAPERS_WRITE_LOCK (papers.ts), so no transaction commits a lower
// id after another moved the watermark past it.

const KEY = 'alerts_planned_through_paper_id';

export async function alertWatermark(db: DbOrTx): Promise<number> {
  return Number((await getMeta(db, KEY)) ?? 0);
}

export async function advanceAlertWatermark(db: DbOrTx, throughPaperId: number, now: number): Promise<void> {
  // Never backwards.
  if (throughPaperId > (await alertWatermark(db))) await setMeta(db, KEY, String(throughPaperId), now);
}

/** Ids of papers first seen after the watermark, oldest first, at most `limit`. */
export async function unplannedPaperIds(db: DbOrTx, limit: number): Promise<number[]> {
  const rows = await db
    .select({ id: papers.id })
    .from(papers)
    .where(gt(papers.id, await alertWatermark(db)))
    .orderBy(asc(papers.id))
    .limit(limit);
  return rows.map((row) => row.id);
}
