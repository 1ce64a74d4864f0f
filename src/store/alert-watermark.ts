import { and, asc, gt, sql } from 'drizzle-orm';
import type { Db } from './open-db.ts';
import { meta, papers } from './schema.ts';

type DbOrTx = Pick<Db, 'select' | 'insert'>;

// papers.id grows as papers are first seen, so "every paper with an id above the watermark has
// not been through alert planning yet". The watermark moves in the same transaction that records
// the alert rows: a crash between an ingest and its alerts leaves those papers above it, and
// the next run plans them. No paper is planned twice, none is skipped.

const KEY = 'alerts_planned_through_paper_id';

export function alertWatermark(db: DbOrTx): number {
  const row = db.select({ value: meta.value }).from(meta).where(sql`${meta.key} = ${KEY}`).get();
  return row ? Number(row.value) : 0;
}

export function advanceAlertWatermark(db: DbOrTx, throughPaperId: number, now: number): void {
  db.insert(meta)
    .values({ key: KEY, value: String(throughPaperId), updatedAt: now })
    .onConflictDoUpdate({
      target: meta.key,
      // Never backwards.
      set: { value: sql`max(CAST(${meta.value} AS INTEGER), ${throughPaperId})`, updatedAt: now },
    })
    .run();
}

/** Ids of papers first seen after the watermark, oldest first, at most `limit`. */
export function unplannedPaperIds(db: DbOrTx, limit: number): number[] {
  return db
    .select({ id: papers.id })
    .from(papers)
    .where(and(gt(papers.id, alertWatermark(db))))
    .orderBy(asc(papers.id))
    .limit(limit)
    .all()
    .map((row) => row.id);
}
