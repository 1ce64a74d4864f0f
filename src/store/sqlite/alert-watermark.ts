import { and, asc, gt, ne } from 'drizzle-orm';
import { getMeta, setMeta } from './meta.ts';
import type { Db } from './open-db.ts';
import { NO_FEED_DAY } from '../store.ts';
import { papers } from './schema.ts';

type DbOrTx = Pick<Db, 'select' | 'insert'>;

// papers.id grows as papers are first seen, so "every paper with an id above the watermark has
// not been through alert planning yet". The watermark moves in the same transaction that records
// the alert rows: a crash between an ingest and its alerts leaves those papers above it, and the
// next run plans them. No paper is planned twice, none is skipped.

const KEY = 'alerts_planned_through_paper_id';

export function alertWatermark(db: DbOrTx): number {
  return Number(getMeta(db, KEY) ?? 0);
}

export function advanceAlertWatermark(db: DbOrTx, throughPaperId: number, now: number): void {
  // Never backwards.
  if (throughPaperId > alertWatermark(db)) setMeta(db, KEY, String(throughPaperId), now);
}

/** Ids of papers first seen after the watermark, oldest first, at most `limit`; papers no feed day listed are never planned. */
export function unplannedPaperIds(db: DbOrTx, limit: number): number[] {
  return db
    .select({ id: papers.id })
    .from(papers)
    .where(and(gt(papers.id, alertWatermark(db)), ne(papers.latestFeedDate, NO_FEED_DAY)))
    .orderBy(asc(papers.id))
    .limit(limit)
    .all()
    .map((row) => row.id);
}
