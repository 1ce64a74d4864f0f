import type { Deps } from '../deps.ts';
import { planPendingAlerts, type AlertPlan } from '../alerts/plan-alerts.ts';
import type { Platform } from '../platform.ts';
import { pollArxiv, type ArxivPollOptions, type ArxivPollResult } from './poll-arxiv.ts';

/**
 * The arXiv poll followed by watch alerts: one DM per user per poll, keyed `arxiv<poll id>` so it
 * can never collide with an ingest run's. Papers already alerted to a user (say, on Hugging Face)
 * are dropped inside store.recordAlerts; revisions and papers only refreshed are never new.
 */
export async function runArxivJob(
  deps: Deps,
  trigger: string,
  platforms: Platform[],
  options: ArxivPollOptions = {},
): Promise<ArxivPollResult & { alerts: AlertPlan | null }> {
  let result: ArxivPollResult;
  try {
    result = await pollArxiv(deps, trigger, options);
  } catch (err) {
    // pollArxiv records feed trouble itself; this is the database failing while it recorded it.
    deps.log.child({ module: 'arxiv' }).error({ err }, 'arXiv poll could not be recorded');
    const error = err instanceof Error ? err.message : String(err);
    return { status: 'failed', pollId: null, announcement: null, inserted: [], updated: 0, skipped: 0, warning: null, error, alerts: null };
  }
  let alerts: AlertPlan | null = null;
  if (result.status === 'ok' && result.pollId !== null) {
    try {
      alerts = await planPendingAlerts(deps, `arxiv${result.pollId}`, platforms);
    } catch (err) {
      deps.log.child({ module: 'arxiv' }).error({ err }, 'alert planning failed; the next ingest plans these papers');
    }
  }
  return { ...result, alerts };
}
