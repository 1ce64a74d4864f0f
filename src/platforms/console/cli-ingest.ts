import { addDays } from '../../clock.ts';
import { UserError } from '../../errors.ts';
import { ingestRange } from '../../feed/ingest.ts';
import { advanceAlertWatermark } from '../../store/alert-watermark.ts';
import { flagValue, UsageError } from './cli-args.ts';
import type { CliContext } from './cli-context.ts';
import { printError, printJson, printText } from './console-io.ts';
import { createIngestProgress } from './ingest-progress.ts';

/**
 * `ingest [--date D | --from D1 [--to D2]]`: fetch feed days now. No dates = yesterday and today
 * (what the cron does). Exit 1 when any day failed, so a backfill script notices.
 */
export async function cliIngest(ctx: CliContext): Promise<number> {
  if (ctx.args.positionals.length > 0) throw new UsageError(`ingest takes no arguments (got ${ctx.args.positionals.join(' ')}); use --date or --from/--to`);
  const date = flagValue(ctx.args, 'date');
  const from = flagValue(ctx.args, 'from');
  const to = flagValue(ctx.args, 'to');
  if (date && (from || to)) throw new UsageError('use either --date D or --from D1 --to D2, not both');
  if (to && !from) throw new UsageError('--to needs --from');
  const today = ctx.deps.clock.today();
  const range = date ? { from: date, to: date } : from ? { from, to: to ?? today } : { from: addDays(today, -1), to: today };

  const json = ctx.args.flags.json === true;
  const progress = json ? null : createIngestProgress(ctx.io.stdout);
  let results;
  try {
    results = await ingestRange(ctx.deps, range.from, range.to, progress?.update, { trigger: 'cli' });
  } catch (err) {
    progress?.finish();
    if (err instanceof UserError) {
      printError(ctx.io, err.message);
      return err.code === 'bad_date' ? 2 : 1;
    }
    throw err;
  }
  progress?.finish();
  // A backfill stores history, not news: its papers never trigger watch DMs (the running bot
  // would otherwise alert every backfilled paper past the alert watermark).
  const newest = Math.max(0, ...results.flatMap((result) => result.inserted));
  if (newest > 0) advanceAlertWatermark(ctx.deps.db, newest, ctx.deps.clock.now().getTime());
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
  }
  if (failed.length > 0) {
    printError(ctx.io, `${failed.length} of ${results.length} days failed (${failed.map((r) => r.feedDate).join(', ')}); run the same command again to retry them.`);
    return 1;
  }
  return 0;
}
