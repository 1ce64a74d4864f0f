import { and, desc, eq, gte, inArray, isNotNull, ne, sql } from 'drizzle-orm';
import { INTERRUPTED_RUN, type ArchiveDays, type BackfillSummary } from '../store.ts';
import type { Db } from './open-db.ts';
import { ingestRuns, paperDays } from './schema.ts';

// Read-only questions `status` asks of the ingest history beyond what the feed module exposes.
// The regular ingest (cron, start-up catch-up, plain `paperboy ingest`) and backfills are told
// apart by ingest_runs.trigger: a backfill of an old day says nothing about the feed's health.

const BACKFILL = 'backfill';
const regular = ne(ingestRuns.trigger, BACKFILL);

/** The latest-started regular run that succeeded (ok or empty); null when none has. */
export function lastRegularIngest(db: Db): { feedDate: string; finishedAt: number } | null {
  const row = db
    .select({ feedDate: ingestRuns.feedDate, finishedAt: ingestRuns.finishedAt })
    .from(ingestRuns)
    .where(and(inArray(ingestRuns.status, ['ok', 'empty']), regular))
    .orderBy(desc(ingestRuns.id))
    .limit(1)
    .get();
  return row ? { feedDate: row.feedDate, finishedAt: row.finishedAt ?? 0 } : null;
}

/** The most recent failed regular ingest run, by finish time. */
export function lastFailedIngest(db: Db): { feedDate: string; at: number; error: string } | null {
  const row = db
    .select({ feedDate: ingestRuns.feedDate, at: ingestRuns.finishedAt, error: ingestRuns.error })
    .from(ingestRuns)
    .where(and(eq(ingestRuns.status, 'failed'), isNotNull(ingestRuns.finishedAt), regular))
    .orderBy(desc(ingestRuns.finishedAt), desc(ingestRuns.id))
    .limit(1)
    .get();
  if (!row || row.at === null) return null;
  return { feedDate: row.feedDate, at: row.at, error: row.error ?? 'unknown error' };
}

/** Every backfill run so far, summed up; null when there was none. */
export function backfillSummary(db: Db): BackfillSummary | null {
  const done = db.get<{ days: number; first: string | null; last: string | null; at: number | null }>(sql`
    SELECT count(DISTINCT CASE WHEN status IN ('ok', 'empty') THEN feed_date END) AS days,
           min(CASE WHEN status IN ('ok', 'empty') THEN feed_date END) AS first,
           max(CASE WHEN status IN ('ok', 'empty') THEN feed_date END) AS last,
           max(finished_at) AS at
    FROM ingest_runs WHERE trigger = ${BACKFILL} AND finished_at IS NOT NULL`);
  if (!done || done.at === null) return null;
  const failed = db.all<{ day: string }>(sql`
    SELECT DISTINCT f.feed_date AS day FROM ingest_runs f
    WHERE f.trigger = ${BACKFILL} AND f.status = 'failed'
      AND NOT EXISTS (SELECT 1 FROM ingest_runs s WHERE s.feed_date = f.feed_date AND s.status IN ('ok', 'empty'))
    ORDER BY day`);
  return { days: done.days, first: done.first, last: done.last, lastFinishedAt: done.at, failedDays: failed.map((row) => row.day) };
}

/** The archive between `from` and `to`: days stored, and days only ever failed by a backfill. */
export function archiveDays(db: Db, from: string, to: string): ArchiveDays {
  const done = db.all<{ day: string }>(sql`
    SELECT DISTINCT feed_date AS day FROM ingest_runs
    WHERE feed_date BETWEEN ${from} AND ${to} AND status IN ('ok', 'empty') ORDER BY day`);
  const failed = db.all<{ feedDate: string; attempts: number }>(sql`
    SELECT f.feed_date AS feedDate, count(*) AS attempts FROM ingest_runs f
    WHERE f.feed_date BETWEEN ${from} AND ${to} AND f.trigger = ${BACKFILL} AND f.status = 'failed' AND f.error IS NOT ${INTERRUPTED_RUN}
      AND NOT EXISTS (SELECT 1 FROM ingest_runs s WHERE s.feed_date = f.feed_date AND s.status IN ('ok', 'empty'))
    GROUP BY f.feed_date ORDER BY f.feed_date`);
  return { done: done.map((row) => row.day), failed };
}

/**
 * Feed days on or after `sinceFeedDate` whose latest finished ingest found nothing and that hold
 * no stored papers (a re-fetch returning [] never deletes a day's papers, so that day is not
 * empty). Weekends and holidays are empty on HF; an empty weekday is worth a look.
 */
export function recentEmptyFeedDays(db: Db, sinceFeedDate: string): string[] {
  const rows = db
    .select({ feedDate: ingestRuns.feedDate, status: ingestRuns.status })
    .from(ingestRuns)
    .where(and(gte(ingestRuns.feedDate, sinceFeedDate), inArray(ingestRuns.status, ['ok', 'empty'])))
    .orderBy(ingestRuns.feedDate, ingestRuns.id)
    .all();
  const latest = new Map<string, string>();
  for (const row of rows) latest.set(row.feedDate, row.status);
  const empty = [...latest].filter(([, state]) => state === 'empty').map(([day]) => day);
  if (empty.length === 0) return [];
  const withPapers = new Set(
    db
      .selectDistinct({ feedDate: paperDays.feedDate })
      .from(paperDays)
      .where(inArray(paperDays.feedDate, empty))
      .all()
      .map((row) => row.feedDate),
  );
  return empty.filter((day) => !withPapers.has(day));
}
