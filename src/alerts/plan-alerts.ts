import type { Deps } from '../deps.ts';
import { ALERT_SHOWN_PAPERS, buildAlert, type AlertMatch } from './build-alert.ts';
import { alertsWatches, type IngestResult, type IngestTrigger } from '../feed/ingest.ts';
import type { Platform } from '../platform.ts';
import type { AlertBatch } from '../store/store.ts';
import { matchWatches } from '../watches/match-watches.ts';

export type AlertPlan = { deliveries: number; papers: number; skippedDmClosed: number };

/**
 * Turns the papers an ingest run saw for the first time into at most one DM per user.
 * The DMs, their alerted_papers rows and the watermark are recorded in ONE unit
 * (store.recordAlerts), and papers already alerted to a user are dropped inside it, so a paper is
 * never alerted twice to a user, even when the same run is planned again after a crash.
 * Users whose DMs are closed are skipped (their watches stay); users of platforms not running
 * now get nothing (`platforms`: the running ones, 'console' included when it is).
 */
export async function planAlerts(
  deps: Pick<Deps, 'store' | 'clock' | 'log'>,
  /** Names the DMs (`alert:<platform>:<user>:<runId>`): an ingest run's id, or `arxiv<poll id>`. */
  runId: number | string,
  newPaperIds: number[],
  platforms: Platform[],
  throughId = Math.max(0, ...newPaperIds),
): Promise<AlertPlan> {
  const plan: AlertPlan = { deliveries: 0, papers: 0, skippedDmClosed: 0 };
  const now = deps.clock.now();
  if (newPaperIds.length === 0) {
    await deps.store.advanceAlertWatermark(throughId, now);
    return plan;
  }
  const running = new Set<string>(platforms);
  // Feed order (ids are assigned as the feed lists papers): a DM shows its first matches.
  const inFeedOrder = [...newPaperIds].sort((a, b) => a - b);
  const groups = (await matchWatches(deps.store, inFeedOrder, { shown: ALERT_SHOWN_PAPERS })).filter((group) => running.has(group.platform));
  if (groups.length === 0) {
    await deps.store.advanceAlertWatermark(throughId, now);
    return plan;
  }
  const closed = new Map(await Promise.all([...running].map(async (platform) => [platform, await deps.store.listDmClosedUsers(platform)] as const)));
  const papers = new Map(
    (await deps.store.getPapersByIds([...new Set(groups.flatMap((group) => group.matches.map((m) => m.paperId)))])).map((row) => [row.id, row]),
  );

  const dms: AlertBatch['dms'] = [];
  for (const group of groups) {
    if (closed.get(group.platform)?.has(group.userId)) {
      plan.skippedDmClosed += 1;
      continue;
    }
    const matches: AlertMatch[] = [];
    // In feed order already (the matcher keeps the order of inFeedOrder), each paper once.
    for (const match of group.matches) {
      const paper = papers.get(match.paperId);
      if (paper) matches.push({ paper, watch: match.watchQuery, terms: match.terms });
    }
    if (matches.length === 0) continue;
    dms.push({
      user: { platform: group.platform, id: group.userId },
      // Every new match is recorded as alerted, shown or not: a paper never comes up twice.
      paperIds: group.paperIds,
      idempotencyKey: `alert:${group.platform}:${group.userId}:${runId}`,
      // Built inside the unit from the papers not alerted to the user yet.
      message: (fresh) => {
        const keep = new Set(fresh);
        return buildAlert(matches.filter((m) => keep.has(m.paper.id)), fresh.length, group.watchesMatched);
      },
    });
  }
  const recorded = await deps.store.recordAlerts({ throughPaperId: throughId, dms, now });
  plan.deliveries = recorded.deliveries;
  plan.papers = recorded.papers;
  deps.log.child({ module: 'alerts' }).info({ runId, ...plan }, 'planned watch alerts');
  return plan;
}

/**
 * Plans alerts for every paper not yet through planning (see Store.alertWatermark), in
 * batches. Called after each ingest job, arXiv poll and backfilled day, so papers whose ingest
 * committed just before a crash are still alerted, once. Papers in `skip` pass the watermark without alerting anyone.
 */
export async function planPendingAlerts(
  deps: Pick<Deps, 'store' | 'clock' | 'log'>,
  /** Names the DMs (`alert:<platform>:<user>:<runId>`): an ingest run's id, or `arxiv<poll id>`. */
  runId: number | string,
  platforms: Platform[],
  skip: ReadonlySet<number> = new Set(),
): Promise<AlertPlan> {
  const total: AlertPlan = { deliveries: 0, papers: 0, skippedDmClosed: 0 };
  for (let batch = 0; batch < 1000; batch += 1) {
    const ids = await deps.store.unplannedPaperIds(2000);
    if (ids.length === 0) break;
    const plan = await planAlerts(deps, runId, ids.filter((id) => !skip.has(id)), platforms, Math.max(...ids));
    total.deliveries += plan.deliveries;
    total.papers += plan.papers;
    total.skippedDmClosed += plan.skippedDmClosed;
  }
  return total;
}

/**
 * Where an ingest job's results meet alert planning (the scheduler's jobs and `paperboy ingest`):
 * at most one DM per user per job, keyed by the job's last run. Every paper past the watermark is
 * planned, not only this job's (covers a crash after an earlier ingest), except the papers a
 * backfill stored: those pass the watermark unalerted (see alertsWatches).
 */
export async function planIngestAlerts(
  deps: Pick<Deps, 'store' | 'clock' | 'log'>,
  trigger: IngestTrigger,
  results: IngestResult[],
  platforms: Platform[],
): Promise<AlertPlan> {
  const lastRun = results.at(-1);
  if (!lastRun) return { deliveries: 0, papers: 0, skippedDmClosed: 0 };
  const history = alertsWatches(trigger) ? new Set<number>() : new Set(results.flatMap((result) => result.inserted));
  return planPendingAlerts(deps, lastRun.runId, platforms, history);
}
