import { and, desc, eq, inArray, lt, max } from 'drizzle-orm';
import type { FeedPaper } from '../../papers/feed-paper.ts';
import { advanceAlertWatermark, unplannedPaperIds } from './alert-watermark.ts';
import { lockPaperWrites, writePapers, writePapersBulk } from './papers.ts';
import type { PgDb } from './pg-db.ts';
import { pgText } from './pg-text.ts';
import { INTERRUPTED_RUN } from '../store.ts';
import { ingestRuns } from './schema.ts';

// One row per ingest of one feed day: 'running' when it starts, then 'ok' | 'empty' | 'failed'
// (as ../sqlite/ingest-runs.ts). A day counts as ingested once a run for it is 'ok' or 'empty'.

/** A run still 'running' after this long was killed mid-way (process died): it is marked failed. */
const ABANDONED_AFTER_MS = 60 * 60_000;
const SUCCESSFUL = ['ok', 'empty'];

export function startIngestRun(db: PgDb, feedDate: string, trigger: string, now: number): Promise<number> {
  return db.transaction(async (tx) => {
    await tx
      .update(ingestRuns)
      .set({ status: 'failed', error: INTERRUPTED_RUN, finishedAt: now })
      .where(and(eq(ingestRuns.feedDate, feedDate), eq(ingestRuns.status, 'running'), lt(ingestRuns.startedAt, now - ABANDONED_AFTER_MS)));
    const [row] = await tx.insert(ingestRuns).values({ feedDate, status: 'running', trigger, startedAt: now }).returning({ id: ingestRuns.id });
    if (!row) throw new Error('ingest run insert returned no row');
    return row.id;
  });
}

export async function failIngestRun(db: PgDb, runId: number, error: string, now: number, counts: { fetched?: number; skipped?: number } = {}): Promise<void> {
  await db
    .update(ingestRuns)
    .set({ status: 'failed', error: pgText(error), finishedAt: now, ...counts })
    .where(eq(ingestRuns.id, runId));
}

export function finishIngestRun(
  db: PgDb,
  run: { runId: number; feedDate: string; papers: FeedPaper[]; skipped: number; silent: boolean; now: number },
): Promise<{ status: 'ok' | 'empty'; inserted: number[]; updated: number }> {
  const status = run.papers.length > 0 ? 'ok' : 'empty';
  return db.transaction(async (tx) => {
    // Before reading the watermark: no other paper writer runs until this commits.
    await lockPaperWrites(tx);
    const othersAwaitAlerts = (await unplannedPaperIds(tx, 1)).length > 0;
    // A backfill (silent) writes through the multi-row path: the same rows in fewer round trips.
    const write = run.silent ? writePapersBulk : writePapers;
    const result = await write(tx, run.feedDate, run.papers, run.now);
    // When other papers still await planning the watermark cannot jump over them: alert
    // planning then plans those and skips these.
    if (run.silent && !othersAwaitAlerts && result.inserted.length > 0) await advanceAlertWatermark(tx, Math.max(...result.inserted), run.now);
    await tx
      .update(ingestRuns)
      .set({ status, fetched: run.papers.length, inserted: result.inserted.length, updated: result.updated, skipped: run.skipped, finishedAt: run.now })
      .where(eq(ingestRuns.id, run.runId));
    return { status, ...result };
  });
}

/** The latest-started run that succeeded. */
export async function lastSuccessfulIngest(db: PgDb): Promise<{ feedDate: string; finishedAt: number } | null> {
  const [row] = await db
    .select({ feedDate: ingestRuns.feedDate, finishedAt: ingestRuns.finishedAt })
    .from(ingestRuns)
    .where(inArray(ingestRuns.status, SUCCESSFUL))
    .orderBy(desc(ingestRuns.id))
    .limit(1);
  return row ? { feedDate: row.feedDate, finishedAt: row.finishedAt ?? 0 } : null;
}

export async function latestSuccessfulFeedDay(db: PgDb): Promise<string | null> {
  const [row] = await db.select({ day: max(ingestRuns.feedDate) }).from(ingestRuns).where(inArray(ingestRuns.status, SUCCESSFUL));
  return row?.day ?? null;
}

/** Whether an ingest run fetched `feedDate` successfully (an empty day counts): its list is stored. */
export async function feedDayFetched(db: PgDb, feedDate: string): Promise<boolean> {
  const rows = await db
    .select({ id: ingestRuns.id })
    .from(ingestRuns)
    .where(and(eq(ingestRuns.feedDate, feedDate), inArray(ingestRuns.status, SUCCESSFUL)))
    .limit(1);
  return rows.length > 0;
}
