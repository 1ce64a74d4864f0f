import cron, { type ScheduledTask } from 'node-cron';
import { addDays, toFeedDate } from './clock.ts';
import { startBackfill, type BackgroundBackfill } from './backfill/background-backfill.ts';
import type { Deps } from './deps.ts';
import { planIngestAlerts } from './alerts/plan-alerts.ts';
import { planFollowups } from './followups/plan-followups.ts';
import { planArtifactAlerts } from './alerts/plan-artifact-alerts.ts';
import { artifactLookup } from './followups/artifacts.ts';
import { runArxivJob } from './arxiv/arxiv-job.ts';
import type { ArxivPollOptions, ArxivPollResult } from './arxiv/poll-arxiv.ts';
import { createDeliveryWorker, type DeliveryWorker, type WorkerOptions } from './delivery/send-pending.ts';
import { dueDigests } from './digest/due-digests.ts';
import { enqueueDigest } from './digest/enqueue-digest.ts';
import { daysToCatchUp, ingestDay, type IngestOptions, type IngestResult, type IngestTrigger } from './feed/ingest.ts';
import type { Platform, Sender } from './platform.ts';
import { settleWithin } from './settle-within.ts';

export type Scheduler = {
  /**
   * Starts the delivery worker (after `deliveryDelayMs`) and the cron tasks, then catches up: ingests every day missed
   * since the last successful ingest (CATCH_UP_DAYS at most) and posts due digests. Resolves when
   * the catch-up is done; never rejects (failures are logged, the schedules keep running).
   */
  start(): Promise<void>;
  /** Stops the cron tasks and drains in-flight work (ingest, sends), at most 10 s. */
  stop(): Promise<void>;
  /** The ingest job: `days` (default yesterday and today, UTC), then alerts and due digests. Never rejects. */
  runIngestNow(days?: string[], trigger?: IngestTrigger): Promise<IngestResult[]>;
  /** The start-up catch-up on its own (what `start` runs). */
  catchUp(): Promise<IngestResult[]>;
  /** The arXiv poll and its alerts, queued with the ingests (ARXIV_CRON runs it). Never rejects. */
  runArxivNow(trigger?: string): Promise<ArxivPollResult>;
  /** Enqueues every digest due at `now` (default: the clock); returns how many rows were recorded. */
  tickDigests(now?: number): Promise<number>;
  worker: DeliveryWorker;
  /** The node-cron tasks while started (for `getNextRuns` in tests and status). */
  tasks(): { ingest: ScheduledTask | null; digests: ScheduledTask | null; arxiv: ScheduledTask | null };
};

type SchedulerOptions = {
  senders: Sender[];
  /** Platforms running now: only they get alert rows and digests. */
  platforms: Platform[];
  worker?: WorkerOptions;
  ingest?: IngestOptions;
  arxiv?: ArxivPollOptions;
  drainMs?: number;
  /**
   * Starts the delivery worker this long after `start` (ingest and digests start at once). A new
   * leader waits out the drain of a leader that just stepped down and may still be sending: its
   * start-up reconciliation would otherwise take those rows, still 'sending', for a crash's.
   */
  deliveryDelayMs?: number;
};

/** The digest tick runs every minute: posts are due at a minute of the channel's local time. */
const DIGEST_TICK_CRON = '* * * * *';

export function createScheduler(deps: Deps, options: SchedulerOptions): Scheduler {
  const log = deps.log.child({ module: 'scheduler' });
  const running = new Set<string>(options.platforms);
  const drainMs = options.drainMs ?? 10_000;
  const worker = createDeliveryWorker(deps, options.senders, { drainMs, ...options.worker });
  let ingestTask: ScheduledTask | null = null;
  let digestTask: ScheduledTask | null = null;
  let arxivTask: ScheduledTask | null = null;
  let ingestChain: Promise<unknown> = Promise.resolve();
  let stopping = false;
  let workerTimer: NodeJS.Timeout | null = null;
  let backfill: BackgroundBackfill | null = null;

  async function tickDigests(now: number = deps.clock.now()): Promise<number> {
    const latestComplete = await deps.store.latestCompleteFeedDay(toFeedDate(now));
    let recorded = 0;
    for (const digest of await deps.store.listDigests()) {
      if (!running.has(digest.platform)) continue;
      // One broken channel (a zone ICU no longer knows, a failing query) must not stop the others.
      try {
        for (const due of dueDigests([digest], now, latestComplete)) {
          if ((await enqueueDigest(deps, due, now)) !== 'already_done') recorded += 1;
        }
      } catch (err) {
        log.error({ err, platform: digest.platform, channelId: digest.channelId }, 'could not enqueue a digest');
      }
    }
    if (recorded > 0) worker.wake();
    return recorded;
  }

  /** The cron boundary for the tick: logged, never thrown into node-cron. */
  async function safeTick(): Promise<void> {
    try {
      await tickDigests();
    } catch (err) {
      log.error({ err }, 'digest tick failed');
    }
  }

  async function ingestDays(days: string[], trigger: IngestTrigger): Promise<IngestResult[]> {
    const results: IngestResult[] = [];
    for (const day of days) {
      if (stopping) break;
      try {
        results.push(await ingestDay(deps, day, trigger, options.ingest));
      } catch (err) {
        // Transient feed trouble comes back as status 'failed'; this is a bug or the database: next run retries.
        log.error({ err, feedDate: day, trigger }, 'ingest job failed for a day');
      }
    }
    // One DM per user per ingest job (all its days together); see planIngestAlerts.
    try {
      await planIngestAlerts(deps, trigger, results, options.platforms);
    } catch (err) {
      log.error({ err, trigger }, 'alert planning failed; the next ingest plans these papers');
    }
    // A day that just became complete can make digests due right away.
    if (!stopping) await safeTick();
    // Fresh upvotes and links: late risers and released code for the posts' threads (src/followups/),
    // and released code for the papers watches alerted to (src/alerts/), each paper fetched once.
    if (!stopping) {
      const artifacts = artifactLookup(deps);
      try {
        if ((await planFollowups(deps, options.platforms, artifacts)) > 0) worker.wake();
      } catch (err) {
        log.error({ err }, 'follow-up planning failed; the next ingest plans again');
      }
      try {
        if ((await planArtifactAlerts(deps, options.platforms, artifacts)) > 0) worker.wake();
      } catch (err) {
        log.error({ err }, 'artifact alert planning failed; the next ingest plans again');
      }
    }
    return results;
  }

  /** Ingests never overlap (cron, catch-up and manual runs, the arXiv poll, the backfill's writes queue behind each other). */
  function queueIngest<T>(job: () => Promise<T>): Promise<T> {
    const run = ingestChain.then(job);
    ingestChain = run.catch(() => undefined);
    return run;
  }

  function runIngestNow(days?: string[], trigger: IngestTrigger = 'cron'): Promise<IngestResult[]> {
    const today = toFeedDate(deps.clock.now());
    return queueIngest(() => ingestDays(days ?? [addDays(today, -1), today], trigger));
  }

  // arXiv listings (src/arxiv/): leader work, queued with the ingests so paper writes never overlap.
  const runArxivNow = (trigger = 'cron') => queueIngest(() => runArxivJob(deps, trigger, options.platforms, options.arxiv));

  function catchUp(): Promise<IngestResult[]> {
    // The days are read when the job's turn comes (the store is async): the catch-up keeps its
    // place in the queue, and sees what any ingest queued before it stored.
    return queueIngest(async () => {
      const days = await daysToCatchUp(deps.store, toFeedDate(deps.clock.now()), deps.config.CATCH_UP_DAYS);
      if (days.length > 1) log.info({ days }, 'catching up on feed days missed while offline');
      return ingestDays(days, 'startup');
    });
  }

  return {
    async start() {
      if (ingestTask || stopping) return;
      if (options.deliveryDelayMs) {
        workerTimer = setTimeout(() => worker.start(), options.deliveryDelayMs);
      } else {
        worker.start();
      }
      const cronOptions = { timezone: 'UTC', noOverlap: true };
      ingestTask = cron.schedule(deps.config.INGEST_CRON, async () => {
        await runIngestNow();
      }, { ...cronOptions, name: 'paperboy-ingest' });
      digestTask = cron.schedule(DIGEST_TICK_CRON, safeTick, { ...cronOptions, name: 'paperboy-digests' });
      if (deps.config.ARXIV_CATEGORIES.length > 0) arxivTask = cron.schedule(deps.config.ARXIV_CRON, async () => void (await runArxivNow()), { ...cronOptions, name: 'paperboy-arxiv' });
      for (const task of [ingestTask, digestTask, ...(arxivTask ? [arxivTask] : [])]) {
        task.on('execution:failed', (ctx) => log.error({ err: ctx.execution?.error, task: task.name }, 'scheduled task failed'));
      }
      try {
        await catchUp();
      } catch (err) {
        log.error({ err }, 'start-up catch-up failed');
      }
      // The archive backfill (src/backfill/): fetches in the background, writes through the queue.
      if (!stopping) backfill = startBackfill(deps, { platforms: options.platforms, serialize: queueIngest });
    },
    async stop() {
      stopping = true;
      if (workerTimer) clearTimeout(workerTimer);
      for (const task of [ingestTask, digestTask, arxivTask]) await task?.destroy();
      ingestTask = null;
      digestTask = null;
      arxivTask = null;
      await settleWithin(Promise.all([ingestChain, worker.stop(), backfill?.stop()]), drainMs);
    },
    runIngestNow,
    runArxivNow,
    catchUp,
    tickDigests,
    worker,
    tasks: () => ({ ingest: ingestTask, digests: digestTask, arxiv: arxivTask }),
  };
}
