import type { Deps } from '../deps.ts';
import { alertsWatches, type IngestResult, type IngestTrigger } from '../feed/ingest.ts';
import type { Platform } from '../platform.ts';
import { planIngestAlerts, type AlertPlan } from './plan-alerts.ts';

/**
 * Alert planning around one ingest job that writes day by day (`paperboy ingest`). A regular job
 * plans once when it is done: one DM per user for all its days. A backfill plans after every day,
 * before the next day is stored: papers an earlier regular run left unplanned are alerted then,
 * and each next day's papers pass the watermark unalerted in the unit that stores them. (The
 * archive backfill, which shares the database with the running bot's jobs, plans the same way
 * inside each day's write turn: src/backfill/archive-backfill.ts; a failed plan there is logged
 * and the next job plans what is pending.)
 */
export function createIngestAlerts(deps: Pick<Deps, 'store' | 'clock' | 'log'>, trigger: IngestTrigger, platforms: Platform[]) {
  const total: AlertPlan = { deliveries: 0, papers: 0, skippedDmClosed: 0 };
  const add = (plan: AlertPlan) => {
    total.deliveries += plan.deliveries;
    total.papers += plan.papers;
    total.skippedDmClosed += plan.skippedDmClosed;
  };
  // Chained, so that plans never overlap.
  let planning: Promise<void> = Promise.resolve();
  return {
    /** After each stored day; the ingest awaits it before storing the next one. */
    afterDay(result: IngestResult): Promise<void> {
      if (!alertsWatches(trigger)) planning = planning.then(async () => add(await planIngestAlerts(deps, trigger, [result], platforms)));
      return planning;
    },
    /** When every day is stored: what the whole job planned. */
    async finish(results: IngestResult[]): Promise<AlertPlan> {
      await planning;
      if (alertsWatches(trigger)) add(await planIngestAlerts(deps, trigger, results, platforms));
      return total;
    },
  };
}
