import { addDays, daysBetween } from '../clock.ts';
import type { Deps } from '../deps.ts';
import { planIngestAlerts } from '../alerts/plan-alerts.ts';
import { UserError } from '../errors.ts';
import { sleepUnlessAborted } from '../feed/hf-budget.ts';
import type { FetchOptions } from '../feed/hf-daily.ts';
import { ingestDay, type IngestResult } from '../feed/ingest.ts';
import type { Platform } from '../platform.ts';
import { scrubSecrets } from '../log.ts';

// The archive backfill: every Daily Papers day from BACKFILL_FROM up to the days the regular
// ingest owns, newest first (recent papers become searchable first), one request at a time at
// background priority of the Hugging Face budget (feed/hf-budget.ts).
//
// Resumability rule: the ingest history is the only state. A day is done once any run stored it
// (ok or empty: the day's papers and the run's status commit in one unit), and the backfill never
// fetches a done day again. Each start reads the history and fetches what is not done, so after a
// restart or a kill -9 it continues where it stopped (a day cut off mid-fetch left only a 'running'
// row and is fetched again). A day whose fetch failed is retried on later passes and later starts
// until MAX_ATTEMPTS backfill runs failed on it; then it is listed as failed (status, the CLI).
// Silent: runs are 'backfill' runs (alertsWatches: no DMs; no digest reads history).

/** Backfill runs that may fail on one day before the day is given up on (and listed). */
export const MAX_ATTEMPTS = 3;
/** A progress log line every this many days. */
const LOG_EVERY_DAYS = 50;
/** Hugging Face failing this many days in a row is an outage: pause instead of using up attempts. */
const OUTAGE_AFTER = 5;

/** The days the backfill covers: BACKFILL_FROM up to the day before yesterday (yesterday and today are the regular ingest's). */
export function archiveRange(deps: Pick<Deps, 'config' | 'clock'>): { from: string; to: string } | null {
  const from = deps.config.BACKFILL_FROM;
  if (from === 'off') return null;
  return { from, to: addDays(deps.clock.today(), -2) };
}

type BackfillProgress = {
  /** Days in the range. */
  total: number;
  /** Days stored (before this run and by it). */
  done: number;
  /** Days fetched by this run so far (stored or failed). */
  fetched: number;
  /** Days given up on (MAX_ATTEMPTS failures), listed. */
  failedDays: string[];
};

type BackfillOptions = {
  from: string;
  to: string;
  /** Running platforms (alert planning of papers an earlier regular run left unplanned). */
  platforms: Platform[];
  /** The scheduler's ingest queue (see IngestOptions.serialize); the CLI writes directly. */
  serialize?: <T>(work: () => Promise<T>) => Promise<T>;
  /** Aborted: the run ends after the current day (the bot is stopping), and waits end at once. */
  signal?: AbortSignal;
  /** Days already given up on are tried again (an operator's `paperboy backfill`). */
  retryGivenUp?: boolean;
  /** Wait before another pass over failed days, and after an outage; doubles up to 16 × (default 60 s). */
  retryDelayMs?: number;
  onDay?: (progress: BackfillProgress, result: IngestResult) => void;
  fetch?: FetchOptions;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
};

export type BackfillOutcome = {
  /** complete: every day done or given up on; stopped: asked to stop; store_failed: the database refused a write. */
  status: 'complete' | 'stopped' | 'store_failed';
  progress: BackfillProgress;
  results: IngestResult[];
  error?: string;
};

/**
 * Background fetches: a 429 asking for minutes is waited out rather than failing the day, and the
 * budget pauses every background request meanwhile.
 */
const backgroundFetch: FetchOptions = { priority: 'background', retries: 6, maxRateLimitWaitMs: 15 * 60_000, backoffMaxMs: 60_000 };

/** A pause between passes; a stop ends it early (the loop then sees the signal). */
const pauseUnlessStopped = (ms: number, signal?: AbortSignal) => sleepUnlessAborted(ms, signal).catch(() => undefined);

export async function runArchiveBackfill(deps: Deps, options: BackfillOptions): Promise<BackfillOutcome> {
  const log = deps.log.child({ module: 'backfill' });
  const sleep = options.sleep ?? pauseUnlessStopped;
  const stopped = () => options.signal?.aborted === true;
  const baseDelay = options.retryDelayMs ?? 60_000;
  const all = daysBetween(options.from, options.to);
  const results: IngestResult[] = [];
  const failedInRun = new Map<string, number>();
  let progress: BackfillProgress = { total: all.length, done: 0, fetched: 0, failedDays: [] };

  /** Days still to fetch, newest first, and the progress as the history says. */
  const plan = async () => {
    const days = await deps.store.archiveDays(options.from, options.to);
    const done = new Set(days.done);
    const attempts = new Map(days.failed.map((day) => [day.feedDate, day.attempts]));
    const givenUp = (day: string) => {
      const tries = attempts.get(day) ?? 0;
      // An operator's run retries days given up on, but also only a bounded number of times.
      return options.retryGivenUp ? (failedInRun.get(day) ?? 0) >= MAX_ATTEMPTS : tries >= MAX_ATTEMPTS;
    };
    const pending = all.filter((day) => !done.has(day) && !givenUp(day)).reverse();
    const failedDays = all.filter((day) => !done.has(day) && givenUp(day));
    progress = { total: all.length, done: done.size, fetched: progress.fetched, failedDays };
    return pending;
  };

  let delay = baseDelay;
  let pending = await plan();
  if (pending.length > 0) log.info({ from: options.from, to: options.to, days: all.length, toFetch: pending.length }, 'archive backfill starting');
  while (pending.length > 0) {
    let failuresInRow = 0;
    for (const day of pending) {
      if (stopped()) return { status: 'stopped', progress, results };
      let result: IngestResult;
      try {
        result = await ingestDay(deps, day, 'backfill', {
          fetch: { ...backgroundFetch, signal: options.signal, ...options.fetch },
          serialize: options.serialize,
          // In the same turn of the queue as the write: papers an earlier regular run left
          // unplanned are planned now, this day's pass the watermark unalerted.
          afterWrite: async (written) => {
            try {
              await planIngestAlerts(deps, 'backfill', [written], options.platforms);
            } catch (err) {
              // The day is stored; the next ingest plans what is pending (as the scheduler's jobs do).
              log.error({ err, feedDate: day }, 'alert planning after a backfilled day failed');
            }
          },
        });
      } catch (err) {
        if (err instanceof UserError) {
          // HF refused the date (400): no list will ever come for it. Counted like any failure.
          result = { runId: 0, feedDate: day, status: 'failed', fetched: 0, inserted: [], updated: 0, skipped: 0, error: err.message, failedAt: 'feed' };
        } else {
          // startIngestRun or failIngestRun could not write: the database itself is in trouble.
          return storeFailed(err);
        }
      }
      results.push(result);
      progress.fetched += 1;
      if (result.status === 'failed') {
        if (result.failedAt === 'store') return storeFailed(new Error(result.error ?? 'write failed'));
        failedInRun.set(day, (failedInRun.get(day) ?? 0) + 1);
        failuresInRow += 1;
      } else {
        progress.done += 1;
        failuresInRow = 0;
        delay = baseDelay;
      }
      options.onDay?.(progress, result);
      if (progress.fetched % LOG_EVERY_DAYS === 0) {
        log.info({ done: progress.done, total: progress.total, fetchedThisRun: progress.fetched, day }, `archive backfill: ${progress.done} of ${progress.total} days`);
      }
      if (failuresInRow >= OUTAGE_AFTER) {
        log.warn({ waitMs: delay, lastError: result.error }, `archive backfill: ${failuresInRow} days failed in a row; pausing`);
        break;
      }
    }
    pending = await plan();
    if (pending.length === 0 || stopped()) break;
    // Failed days are retried later, not right away: give Hugging Face (or the network) time.
    await sleep(delay, options.signal);
    delay = Math.min(delay * 2, baseDelay * 16);
    pending = await plan();
  }
  if (stopped()) return { status: 'stopped', progress, results };
  const papers = await deps.store.countPapersListed(options.from, options.to);
  log.info({ days: progress.done, papers, failedDays: progress.failedDays }, 'archive backfill complete');
  return { status: 'complete', progress, results };

  function storeFailed(err: unknown): BackfillOutcome {
    const error = scrubSecrets(err instanceof Error ? err.message : String(err), [deps.config.HF_TOKEN]);
    log.error({ error }, `archive backfill stopped: the database refused a write (${error}); every day stored so far is kept`);
    return { status: 'store_failed', progress, results, error };
  }
}
