import { addDays, isFeedDate } from '../../clock.ts';
import { ARCHIVE_START, enabledPlatforms } from '../../config.ts';
import { archiveRange, runArchiveBackfill } from '../../backfill/archive-backfill.ts';
import { flagValue, UsageError } from './cli-args.ts';
import { cliBackfillArxiv } from './cli-backfill-arxiv.ts';
import type { CliContext } from './cli-context.ts';
import { printError, printJson, printText } from './console-io.ts';
import { createIngestProgress } from './ingest-progress.ts';

/**
 * `backfill [--from D] [--to D] [--json]`: the archive backfill in the foreground (BACKFILL_FROM
 * to the day before yesterday by default), the same job the bot runs in the background: days
 * already stored are skipped, days given up on are tried again. A progress bar on a terminal,
 * one line per day otherwise. Exit 1 when a day still failed or the database refused a write.
 */
export async function cliBackfill(ctx: CliContext): Promise<number> {
  for (const name of ['from', 'to']) {
    if (ctx.args.flags[name] !== undefined && !flagValue(ctx.args, name)) throw new UsageError(`--${name} needs a date, e.g. --${name} 2024-10-25`);
  }
  const source = ctx.args.flags.source === undefined ? 'hf' : flagValue(ctx.args, 'source');
  if (source === 'arxiv') return cliBackfillArxiv(ctx);
  if (source !== 'hf') throw new UsageError(`--source takes hf or arxiv (got ${JSON.stringify(String(source ?? '')).slice(0, 40)})`);
  const today = ctx.deps.clock.today();
  const configured = archiveRange(ctx.deps);
  const from = flagValue(ctx.args, 'from') ?? configured?.from;
  if (!from) throw new UsageError('BACKFILL_FROM is off: say where to start with --from YYYY-MM-DD');
  const to = flagValue(ctx.args, 'to') ?? addDays(today, -2);
  for (const day of [from, to]) {
    if (!isFeedDate(day)) throw new UsageError(`"${day.replace(/[\p{Cc}\p{Cf}]/gu, '').slice(0, 40)}" is not a date: use YYYY-MM-DD, e.g. 2024-10-25`);
  }
  if (from < ARCHIVE_START) throw new UsageError(`--from ${from} is before ${ARCHIVE_START}, the first day of Daily Papers`);
  if (from > today) throw new UsageError(`--from ${from} is in the future (today is ${today} UTC)`);
  if (to > today) throw new UsageError(`--to ${to} is in the future (today is ${today} UTC)`);
  if (from > to) {
    throw new UsageError(
      ctx.args.flags.to === undefined
        ? `--from ${from} is after ${to}, the day before yesterday, where a backfill ends by default (the daily ingest fetches yesterday and today)`
        : `--from ${from} is after --to ${to}`,
    );
  }

  const json = ctx.args.flags.json === true;
  const progress = json ? null : createIngestProgress(ctx.io.stdout);
  const outcome = await runArchiveBackfill(ctx.deps, {
    from,
    to,
    platforms: enabledPlatforms(ctx.deps.config),
    retryGivenUp: true,
    retryDelayMs: 5_000,
    onDay: (state, result) => progress?.update(state.done, state.total, result),
  });
  progress?.finish();
  const { progress: state } = outcome;
  const papers = await ctx.deps.store.countPapersListed(from, to);
  if (json) {
    printJson(ctx.io, { from, to, status: outcome.status, days: state.total, stored: state.done, fetchedNow: state.fetched, failedDays: state.failedDays, papers, error: outcome.error ?? null });
  } else {
    printText(
      ctx.io,
      `Archive ${from} to ${to}: ${state.done} of ${state.total} days stored (${state.fetched} fetched now), ${papers} papers listed in the range. ` +
        'A backfill: its papers send no alert DMs.',
    );
  }
  if (outcome.status === 'store_failed') {
    printError(ctx.io, `the database refused a write (${outcome.error ?? 'unknown error'}); every day stored so far is kept. Fix it and run the same command again.`);
    return 1;
  }
  if (state.failedDays.length > 0) {
    const shown = state.failedDays.slice(0, 10).join(', ') + (state.failedDays.length > 10 ? ', …' : '');
    printError(ctx.io, `${state.failedDays.length} ${state.failedDays.length === 1 ? 'day' : 'days'} failed (${shown}); run the same command again to retry them.`);
    return 1;
  }
  return 0;
}
