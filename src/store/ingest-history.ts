import { and, desc, eq, gte, inArray, isNotNull } from 'drizzle-orm';
import type { Db } from './open-db.ts';
import { ingestRuns } from './schema.ts';

// Read-only questions `status` asks of the ingest history beyond what the feed module exposes.

/** The most recent failed ingest run, by finish time. */
export function lastFailedIngest(db: Db): { feedDate: string; at: number; error: string } | null {
  const row = db
    .select({ feedDate: ingestRuns.feedDate, at: ingestRuns.finishedAt, error: ingestRuns.error })
    .from(ingestRuns)
    .where(and(eq(ingestRuns.status, 'failed'), isNotNull(ingestRuns.finishedAt)))
    .orderBy(desc(ingestRuns.finishedAt), desc(ingestRuns.id))
    .limit(1)
    .get();
  if (!row || row.at === null) return null;
  return { feedDate: row.feedDate, at: row.at, error: row.error ?? 'unknown error' };
}

/**
 * Feed days on or after `sinceFeedDate` whose latest finished ingest found nothing. Weekends
 * and holidays are empty on HF; an empty weekday is worth a look.
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
  return [...latest].filter(([, state]) => state === 'empty').map(([day]) => day);
}
