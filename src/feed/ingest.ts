import { addDays, daysBetween, isFeedDate } from '../clock.ts';
import { ARCHIVE_START } from '../config.ts';
import type { Deps } from '../deps.ts';
import { classify, UserError } from '../errors.ts';
import { scrubSecrets } from '../log.ts';
import type { IngestStatus, Store } from '../store/store.ts';
import { snapshotUpvotes } from '../trending/snapshot-upvotes.ts';
import { fetchDailyPapers, type DailyPapers, type FetchOptions } from './hf-daily.ts';

/**
 * What started a run (stored in ingest_runs.trigger). The regular ingest (the cron, the start-up
 * catch-up, a plain `paperboy ingest`) fetches the news; a backfill fetches history.
 */
export type IngestTrigger = 'cron' | 'startup' | 'cli' | 'backfill';

/**
 * The one rule for every ingest job: papers first seen by a regular run alert watches, papers
 * first seen by a backfill never do (a watch would otherwise DM years of old papers).
 */
export function alertsWatches(trigger: IngestTrigger): boolean {
  return trigger !== 'backfill';
}

/**
 * The trigger of a job asked for by hand (`paperboy ingest`): the default job (yesterday and today)
 * and `--date` yesterday or today fetch the news; `--from` (a range) or an older `--date` is history.
 */
export function manualIngestTrigger(asked: { date: string | undefined; from: string | undefined }, today: string): 'cli' | 'backfill' {
  if (asked.from !== undefined) return 'backfill';
  return asked.date !== undefined && asked.date < addDays(today, -1) ? 'backfill' : 'cli';
}

export type IngestResult = {
  runId: number;
  feedDate: string;
  status: IngestStatus;
  /** Valid, distinct papers received. */
  fetched: number;
  /** papers.id of papers seen for the first time (what watches are matched against). */
  inserted: number[];
  updated: number;
  /** Malformed items left out. */
  skipped: number;
  error?: string;
  /** Where a failed day failed: the feed (retry later) or the database (stop writing). */
  failedAt?: 'feed' | 'store';
};

export type IngestOptions = {
  fetch?: FetchOptions;
  /**
   * Runs the day's write, then `afterWrite`, as one turn of a queue (the scheduler's ingest queue):
   * the archive backfill fetches alongside the regular ingest but never writes between one of its
   * days and that day's alert planning.
   */
  serialize?: <T>(work: () => Promise<T>) => Promise<T>;
  afterWrite?: (result: IngestResult) => Promise<void>;
};

/** Backfills beyond this are almost certainly a typo in --from. */
const maxRangeDays = 5 * 366;

function badDate(text: string): UserError {
  return new UserError('bad_date', `"${text}" is not a date: use YYYY-MM-DD, e.g. 2024-10-25.`);
}

/**
 * Fetches one feed day and stores it. The papers and the run's final status are committed in one
 * unit (store.finishIngestRun), so a day is never 'ok' without its papers (a kill mid-way leaves
 * a 'running' row).
 * Feed and database failures are recorded and returned as status 'failed' (the cron loop must not
 * die); only a UserError (a date HF refuses) is thrown.
 */
export async function ingestDay(deps: Deps, feedDate: string, trigger: IngestTrigger = 'cron', options: IngestOptions = {}): Promise<IngestResult> {
  if (!isFeedDate(feedDate)) throw badDate(feedDate);
  const log = deps.log.child({ module: 'ingest', feedDate, trigger });
  const now = () => deps.clock.now();
  const runId = await deps.store.startIngestRun(feedDate, trigger, now());
  const failed = async (err: unknown, counts: { fetched?: number; skipped?: number } = {}, failedAt: 'feed' | 'store' = 'feed'): Promise<IngestResult> => {
    const error = scrubSecrets(err instanceof Error ? err.message : String(err), [deps.config.HF_TOKEN]);
    await deps.store.failIngestRun(runId, error, now(), counts);
    log.warn({ runId, kind: classify(err), error }, 'ingest failed');
    return { runId, feedDate, status: 'failed', fetched: counts.fetched ?? 0, inserted: [], updated: 0, skipped: counts.skipped ?? 0, error, failedAt };
  };

  let day: DailyPapers;
  try {
    day = await fetchDailyPapers(deps, feedDate, options.fetch);
  } catch (err) {
    if (err instanceof UserError) {
      await deps.store.failIngestRun(runId, err.message, now());
      throw err;
    }
    return await failed(err);
  }
  const { papers, skipped } = day;
  // Every item malformed is a schema change, not a quiet day: marking it 'empty' would hide it.
  if (papers.length === 0 && skipped > 0) return await failed(new Error(`all ${skipped} feed items were malformed`), { skipped });

  const write = async (): Promise<IngestResult> => {
    let written: { status: 'ok' | 'empty'; inserted: number[]; updated: number };
    try {
      // A backfill's papers pass the alert watermark in the unit that stores them (`silent`), so a
      // running bot never sees them as alertable; see alertsWatches and planIngestAlerts.
      written = await deps.store.finishIngestRun({ runId, feedDate, papers, skipped, silent: !alertsWatches(trigger), now: now() });
    } catch (err) {
      return await failed(err, { fetched: papers.length, skipped }, 'store');
    }
    const { status } = written;
    // Trending's upvote history: a failure here costs one snapshot, never the stored day.
    await snapshotUpvotes(deps.store, feedDate, now()).catch((err: unknown) => log.warn({ err }, 'could not snapshot upvotes'));
    log.info({ runId, status, fetched: papers.length, inserted: written.inserted.length, updated: written.updated, skipped }, 'ingested feed day');
    const result: IngestResult = { runId, feedDate, status, fetched: papers.length, inserted: written.inserted, updated: written.updated, skipped };
    await options.afterWrite?.(result);
    return result;
  };
  return options.serialize ? options.serialize(write) : write();
}

/**
 * Ingests every day from `from` to `to` (both included, oldest first), one at a time.
 * Throws UserError('bad_date') for a malformed, reversed, future or oversized range, or one that
 * starts before Daily Papers did.
 */
export async function ingestRange(
  deps: Deps,
  from: string,
  to: string,
  onProgress?: (done: number, total: number, result: IngestResult) => void | Promise<void>,
  options: IngestOptions & { trigger?: IngestTrigger } = {},
): Promise<IngestResult[]> {
  if (!isFeedDate(from)) throw badDate(from);
  if (!isFeedDate(to)) throw badDate(to);
  const today = deps.clock.today();
  // A future start is the mistake to name, whether or not --to was typed.
  if (from > today) throw new UserError('bad_date', `${from} is in the future (today is ${today} UTC): the feed has nothing for it yet.`);
  if (from > to) throw new UserError('bad_date', `--from ${from} is after --to ${to}.`);
  if (to > today) throw new UserError('bad_date', `${to} is in the future (today is ${today} UTC): the feed has nothing for it yet.`);
  const days = daysBetween(from, to);
  if (days.length > maxRangeDays) throw new UserError('bad_date', `${days.length} days is too long a range; ingest at most ${maxRangeDays} days at a time.`);
  // A slip (2013 for 2023) would otherwise fetch, and record as empty, days Daily Papers never had.
  if (from < ARCHIVE_START) throw new UserError('bad_date', `${from} is before ${ARCHIVE_START}, the first day of Daily Papers: there is nothing to fetch.`);
  const results: IngestResult[] = [];
  for (const day of days) {
    const result = await ingestDay(deps, day, options.trigger ?? 'backfill', options);
    results.push(result);
    // Awaited: a backfill plans alerts after each day, before the next day is stored.
    await onProgress?.(results.length, days.length, result);
  }
  return results;
}

/** The latest-started run that succeeded (ok or empty); null when none has. */
export async function lastSuccessfulIngest(store: Store): Promise<{ feedDate: string; finishedAt: number } | null> {
  return store.lastSuccessfulIngest();
}

/**
 * Feed days to fetch at start-up, oldest first, at most `maxDays` (the most recent ones).
 * From the latest successfully ingested day (included: papers keep being added to a day after
 * we first saw it) and never later than yesterday, up to `today`. Never ingested: yesterday and today.
 */
export async function daysToCatchUp(store: Store, today: string, maxDays: number): Promise<string[]> {
  if (maxDays <= 0) return [];
  const yesterday = addDays(today, -1);
  const last = await store.latestSuccessfulFeedDay();
  let from = last === null || last > yesterday ? yesterday : last;
  const earliest = addDays(today, -(maxDays - 1));
  if (from < earliest) from = earliest;
  return daysBetween(from, today);
}
