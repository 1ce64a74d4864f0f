import { and, eq, inArray } from 'drizzle-orm';
import type { Deps } from '../deps.ts';
import { buildAlert, type AlertMatch } from '../digest/build-alert.ts';
import { alertsWatches, type IngestResult, type IngestTrigger } from '../feed/ingest.ts';
import type { Platform } from '../platforms/types.ts';
import { getPapersByIds } from '../store/sqlite/papers.ts';
import { advanceAlertWatermark, unplannedPaperIds } from '../store/sqlite/alert-watermark.ts';
import { alertedPapers } from '../store/sqlite/schema.ts';
import { listDmClosedUsers } from '../store/sqlite/users.ts';
import { matchWatches } from '../watches/match-watches.ts';
import { enqueue, type Tx } from '../store/sqlite/outbox.ts';

export type AlertPlan = { deliveries: number; papers: number; skippedDmClosed: number };

function alreadyAlerted(tx: Tx, platform: string, userId: string, paperIds: number[]): Set<number> {
  const rows = tx
    .select({ paperId: alertedPapers.paperId })
    .from(alertedPapers)
    .where(and(eq(alertedPapers.platform, platform), eq(alertedPapers.userId, userId), inArray(alertedPapers.paperId, paperIds)))
    .all();
  return new Set(rows.map((row) => row.paperId));
}

/**
 * Turns the papers an ingest run saw for the first time into at most one DM per user.
 * Each user's delivery row and its alerted_papers rows are written in ONE transaction, and papers
 * already in alerted_papers are dropped inside it, so a paper is never alerted twice to a user,
 * even when the same run is planned again after a crash.
 * Users whose DMs are closed are skipped (their watches stay); users of platforms not running
 * now get nothing (`platforms`: the running ones, 'console' included when it is).
 */
export function planAlerts(
  deps: Pick<Deps, 'db' | 'clock' | 'log'>,
  runId: number,
  newPaperIds: number[],
  platforms: Platform[],
  throughId = Math.max(0, ...newPaperIds),
): AlertPlan {
  const plan: AlertPlan = { deliveries: 0, papers: 0, skippedDmClosed: 0 };
  const now = deps.clock.now().getTime();
  if (newPaperIds.length === 0) {
    advanceAlertWatermark(deps.db, throughId, now);
    return plan;
  }
  const running = new Set<string>(platforms);
  const groups = matchWatches(deps.db, newPaperIds).filter((group) => running.has(group.platform));
  if (groups.length === 0) {
    advanceAlertWatermark(deps.db, throughId, now);
    return plan;
  }
  const closed = new Map([...running].map((platform) => [platform, listDmClosedUsers(deps.db, platform)]));
  const papers = new Map(
    getPapersByIds(deps.db, [...new Set(groups.flatMap((group) => group.matches.map((m) => m.paperId)))]).map((row) => [row.id, row]),
  );

  deps.db.transaction(
    (tx) => {
      advanceAlertWatermark(tx, throughId, now);
      for (const group of groups) {
        if (closed.get(group.platform)?.has(group.userId)) {
          plan.skippedDmClosed += 1;
          continue;
        }
        const done = alreadyAlerted(tx, group.platform, group.userId, group.matches.map((m) => m.paperId));
        const matches: AlertMatch[] = [];
        // Feed order (ids are assigned as the feed lists papers), whatever order the matcher used.
        for (const match of [...group.matches].sort((a, b) => a.paperId - b.paperId)) {
          const paper = papers.get(match.paperId);
          if (!paper || done.has(paper.id) || matches.some((m) => m.paper.id === paper.id)) continue;
          matches.push({ paper, watch: match.watchQuery, terms: match.terms });
        }
        if (matches.length === 0) continue;
        const delivery = enqueue(tx, {
          platform: group.platform,
          targetKind: 'user',
          targetId: group.userId,
          kind: 'alert',
          idempotencyKey: `alert:${group.platform}:${group.userId}:${runId}`,
          message: buildAlert(matches),
          now,
        });
        tx.insert(alertedPapers)
          .values(matches.map((m) => ({ platform: group.platform, userId: group.userId, paperId: m.paper.id, deliveryId: delivery.id, alertedAt: now })))
          .onConflictDoNothing()
          .run();
        if (delivery.created) plan.deliveries += 1;
        plan.papers += matches.length;
      }
    },
    { behavior: 'immediate' },
  );
  deps.log.child({ module: 'alerts' }).info({ runId, ...plan }, 'planned watch alerts');
  return plan;
}

/**
 * Plans alerts for every paper not yet through planning (see store/alert-watermark.ts), in
 * batches. Called after each ingest job, so papers whose ingest committed just before a crash are
 * still alerted, once. Papers in `skip` pass the watermark without alerting anyone.
 */
export function planPendingAlerts(
  deps: Pick<Deps, 'db' | 'clock' | 'log'>,
  runId: number,
  platforms: Platform[],
  skip: ReadonlySet<number> = new Set(),
): AlertPlan {
  const total: AlertPlan = { deliveries: 0, papers: 0, skippedDmClosed: 0 };
  for (let batch = 0; batch < 1000; batch += 1) {
    const ids = unplannedPaperIds(deps.db, 2000);
    if (ids.length === 0) break;
    const plan = planAlerts(deps, runId, ids.filter((id) => !skip.has(id)), platforms, Math.max(...ids));
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
export function planIngestAlerts(
  deps: Pick<Deps, 'db' | 'clock' | 'log'>,
  trigger: IngestTrigger,
  results: IngestResult[],
  platforms: Platform[],
): AlertPlan {
  const lastRun = results.at(-1);
  if (!lastRun) return { deliveries: 0, papers: 0, skippedDmClosed: 0 };
  const history = alertsWatches(trigger) ? new Set<number>() : new Set(results.flatMap((result) => result.inserted));
  return planPendingAlerts(deps, lastRun.runId, platforms, history);
}
