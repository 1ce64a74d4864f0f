import { and, desc, eq, inArray, lt, max, sql } from 'drizzle-orm';
import type { FeedPaper } from '../../papers/feed-paper.ts';
import { advanceAlertWatermark, unplannedPaperIds } from './alert-watermark.ts';
import type { Db } from './open-db.ts';
import { writePapers } from './papers.ts';
import { INTERRUPTED_RUN } from '../store.ts';
import { ingestRuns } from './schema.ts';

// One row per ingest of one feed day: 'running' when it starts, then 'ok' | 'empty' | 'failed'.
// A day counts as ingested once a run for it is 'ok' or 'empty'.

/** A run still 'running' after this long was killed mid-way (process died): it is marked failed. */
const ABANDONED_AFTER_MS = 60 * 60_000;
const SUCCESSFUL = ['ok', 'empty'];

export function startIngestRun(db: Db, feedDate: string, trigger: string, now: number): number {
  return db.transaction((tx) => {
    tx.update(ingestRuns)
      .set({ status: 'failed', error: INTERRUPTED_RUN, finishedAt: now })
      .where(and(eq(ingestRuns.feedDate, feedDate), eq(ingestRuns.status, 'running'), lt(ingestRuns.startedAt, now - ABANDONED_AFTER_MS)))
      .run();
    return tx.insert(ingestRuns).values({ feedDate, status: 'running', trigger, startedAt: now }).returning({ id: ingestRuns.id }).get().id;
  });
}

export function failIngestRun(db: Db, runId: number, error: string, now: number, counts: { fetched?: number; skipped?: number } = {}): void {
  db.update(ingestRuns)
    .set({ status: 'failed', error, finishedAt: now, ...counts })
    .where(eq(ingestRuns.id, runId))
    .run();
}

export function finishIngestRun(
  db: Db,
  run: { runId: number; feedDate: string; papers: FeedPaper[]; skipped: number; silent: boolean; now: number },
): { status: 'ok' | 'empty'; inserted: number[]; updated: number } {
  const status = run.papers.length > 0 ? 'ok' : 'empty';
  return db.transaction(
    (tx) => {
      const othersAwaitAlerts = unplannedPaperIds(tx, 1).length > 0;
      const result = writePapers(db, run.feedDate, run.papers, run.now, run.silent);
      // When other papers still await planning the watermark cannot jump over them: alert
      // planning then plans those and skips these.
      if (run.silent && !othersAwaitAlerts && result.inserted.length > 0) advanceAlertWatermark(tx, Math.max(...result.inserted), run.now);
      tx.update(ingestRuns)
        .set({ status, fetched: run.papers.length, inserted: result.inserted.length, updated: result.updated, skipped: run.skipped, finishedAt: run.now })
        .where(eq(ingestRuns.id, run.runId))
        .run();
      return { status, ...result };
    },
    { behavior: 'immediate' },
  );
}

/** The latest-started run that succeeded; walks the rowid backwards: cheap. */
export function lastSuccessfulIngest(db: Db): { feedDate: string; finishedAt: number } | null {
  const row = db
    .select({ feedDate: ingestRuns.feedDate, finishedAt: ingestRuns.finishedAt })
    .from(ingestRuns)
    .where(inArray(ingestRuns.status, SUCCESSFUL))
    .orderBy(desc(ingestRuns.id))
    .limit(1)
    .get();
  return row ? { feedDate: row.feedDate, finishedAt: row.finishedAt ?? 0 } : null;
}

export function latestSuccessfulFeedDay(db: Db): string | null {
  return db.select({ day: max(ingestRuns.feedDate) }).from(ingestRuns).where(inArray(ingestRuns.status, SUCCESSFUL)).get()?.day ?? null;
}

/** Whether an ingest run fetched `feedDate` successfully (an empty day counts): its list is stored. */
export function feedDayFetched(db: Db, feedDate: string): boolean {
  const row = db
    .select({ feedDate: ingestRuns.feedDate })
    .from(ingestRuns)
    .where(and(eq(ingestRuns.feedDate, feedDate), sql`${ingestRuns.status} IN ('ok', 'empty')`))
    .limit(1)
    .get();
  return row !== undefined;
}
