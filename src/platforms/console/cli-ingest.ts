import { addDays } from '../../clock.ts';
import { enabledPlatforms } from '../../config.ts';
import { createIngestAlerts } from '../../alerts/ingest-alerts.ts';
import type { AlertPlan } from '../../alerts/plan-alerts.ts';
import { UserError } from '../../errors.ts';
import { alertsWatches, ingestRange, manualIngestTrigger, type IngestResult, type IngestTrigger } from '../../feed/ingest.ts';
import { flagValue, UsageError } from './cli-args.ts';
import type { CliContext } from './cli-context.ts';
import { printError, printJson, printText } from './console-io.ts';
import { cliIngestArxiv } from './cli-ingest-arxiv.ts';
import { createIngestProgress } from './ingest-progress.ts';

/**
 * `ingest [--date D | --from D1 [--to D2]]`: fetch feed days now. No dates, or `--date` of today or
 * yesterday, is the cron run by hand: its new papers are planned as watch alerts into the outbox,
 * for the platforms the config enables (the bot sends them, now or at its next start). `--from`/`--to`
 * and an older `--date` are backfills: history, never alerted. Exit 1 when any day failed, so a
 * backfill script notices.
 */
export async function cliIngest(ctx: CliContext): Promise<number> {
  if (ctx.args.positionals.length > 0) throw new UsageError(`ingest takes no arguments (got ${ctx.args.positionals.join(' ')}); use --date or --from/--to`);
  const source = ctx.args.flags.source === undefined ? 'hf' : flagValue(ctx.args, 'source');
  if (source === 'arxiv') return cliIngestArxiv(ctx);
  if (source !== 'hf') throw new UsageError(`--source takes hf or arxiv (got ${JSON.stringify(String(source ?? '')).slice(0, 40)})`);
  for (const name of ['date', 'from', 'to']) {
    // `--date "$DAY"` with DAY unset must not quietly become the cron run (with its alerts).
    if (ctx.args.flags[name] !== undefined && !flagValue(ctx.args, name)) throw new UsageError(`--${name} needs a date, e.g. --${name} 2024-10-25`);
  }
  const date = flagValue(ctx.args, 'date');
  const from = flagValue(ctx.args, 'from');
  const to = flagValue(ctx.args, 'to');
  if (date && (from || to)) throw new UsageError('use either --date D or --from D1 --to D2, not both');
  if (to && !from) throw new UsageError('--to needs --from');
  const today = ctx.deps.clock.today();
  const yesterday = addDays(today, -1);
  const range = date ? { from: date, to: date } : from ? { from, to: to ?? today } : { from: yesterday, to: today };
  const trigger = manualIngestTrigger({ date, from }, today);

  const json = ctx.args.flags.json === true;
  const progress = json ? null : createIngestProgress(ctx.io.stdout);
  const platforms = enabledPlatforms(ctx.deps.config);
  const ingestAlerts = createIngestAlerts(ctx.deps, trigger, platforms);
  const onDay = (done: number, total: number, result: IngestResult): Promise<void> => {
    progress?.update(done, total, result);
    return ingestAlerts.afterDay(result);
  };
  let results;
  try {
    results = await ingestRange(ctx.deps, range.from, range.to, onDay, { trigger });
  } catch (err) {
    progress?.finish();
    if (err instanceof UserError) {
      printError(ctx.io, err.message);
      return err.code === 'bad_date' ? 2 : 1;
    }
    throw err;
  }
  const alerts = await ingestAlerts.finish(results);
  progress?.finish();
  const failed = results.filter((result) => result.status === 'failed');
  if (json) {
    printJson(
      ctx.io,
      results.map((r) => ({ date: r.feedDate, status: r.status, fetched: r.fetched, inserted: r.inserted.length, updated: r.updated, skipped: r.skipped, error: r.error ?? null })),
    );
  } else {
    const papers = results.reduce((sum, r) => sum + r.fetched, 0);
    const fresh = results.reduce((sum, r) => sum + r.inserted.length, 0);
    printText(ctx.io, `Ingested ${results.length} ${results.length === 1 ? 'day' : 'days'} (${range.from} to ${range.to}): ${papers} papers, ${fresh} new, ${failed.length} failed.`);
    printText(ctx.io, alertsLine(trigger, alerts, fresh));
  }
  if (failed.length > 0) {
    printError(ctx.io, `${failed.length} of ${results.length} days failed (${failed.map((r) => r.feedDate).join(', ')}); run the same command again to retry them.`);
    return 1;
  }
  return 0;
}

/** What an ingest (or arXiv poll) queued for watches, in one line. */
export function alertsLine(trigger: IngestTrigger, alerts: AlertPlan, fresh: number): string {
  const closed = alerts.skippedDmClosed > 0 ? ` (${alerts.skippedDmClosed} skipped: DMs closed)` : '';
  if (!alertsWatches(trigger)) {
    const backfill = 'A backfill: its papers send no alert DMs (only a plain ingest or --date of today/yesterday does)';
    if (alerts.deliveries === 0) return `${backfill}.`;
    return `${backfill}; queued ${alerts.deliveries} alert ${alerts.deliveries === 1 ? 'DM' : 'DMs'} for papers an earlier ingest had not alerted yet.`;
  }
  if (alerts.deliveries === 0) return fresh === 0 ? 'No new papers, so no alert DMs.' : `Queued no alert DMs: no new paper matched a watch${closed}.`;
  const dms = `${alerts.deliveries} alert ${alerts.deliveries === 1 ? 'DM' : 'DMs'}`;
  return `Queued ${dms} for matching watches${closed}: the bot sends them now if it is running, else when it starts.`;
}
