import { runArxivBackfill } from '../../backfill/arxiv-backfill.ts';
import { isFeedDate } from '../../clock.ts';
import { flagValue, UsageError } from './cli-args.ts';
import type { CliContext } from './cli-context.ts';
import { printError, printJson, printText } from './console-io.ts';

/** arXiv opened in August 1991; asking before that is a typo. */
const ARXIV_START = '1991-08-01';

/**
 * `backfill --source arxiv --from D [--to D] [--json]`: arXiv's history of ARXIV_CATEGORIES through
 * its API, 3 s between requests; (category, day) pairs already stored are skipped, so running it
 * again after a kill continues. Never alerts. Exit 1 when a day failed or the database refused a write.
 */
export async function cliBackfillArxiv(ctx: CliContext): Promise<number> {
  const today = ctx.deps.clock.today();
  const from = flagValue(ctx.args, 'from');
  if (!from) throw new UsageError('--source arxiv needs --from YYYY-MM-DD (where the history starts)');
  const to = flagValue(ctx.args, 'to') ?? today;
  for (const day of [from, to]) {
    if (!isFeedDate(day)) throw new UsageError(`"${day.replace(/[\p{Cc}\p{Cf}]/gu, '').slice(0, 40)}" is not a date: use YYYY-MM-DD, e.g. 2024-10-25`);
  }
  if (from < ARXIV_START) throw new UsageError(`--from ${from} is before ${ARXIV_START}, when arXiv opened`);
  if (from > today) throw new UsageError(`--from ${from} is in the future (today is ${today} UTC)`);
  if (to > today) throw new UsageError(`--to ${to} is in the future (today is ${today} UTC)`);
  if (from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
  // After the usage errors (exit 2): a mistyped command says so whatever the configuration.
  const categories = ctx.deps.config.ARXIV_CATEGORIES;
  if (categories.length === 0) {
    printError(ctx.io, 'The arXiv source is off: set ARXIV_CATEGORIES (e.g. cs.CL,cs.LG) to backfill it.');
    return 1;
  }

  const json = ctx.args.flags.json === true;
  const outcome = await runArxivBackfill(ctx.deps, {
    from,
    to,
    onDay: (progress) => {
      if (!json) ctx.io.stderr.write(`\r${progress.done}/${progress.total} category-days, ${progress.inserted} new papers`);
    },
  });
  if (!json && outcome.progress.requests > 0) ctx.io.stderr.write('\n');
  const { progress } = outcome;
  if (json) {
    printJson(ctx.io, { source: 'arxiv', from, to, categories, status: outcome.status, ...progress, error: outcome.error ?? null });
  } else {
    printText(
      ctx.io,
      `arXiv ${categories.join(', ')} from ${from} to ${to}: ${progress.done} of ${progress.total} category-days stored, ` +
        `${progress.inserted} new papers and ${progress.updated} known ones updated in ${progress.requests} requests. A backfill: its papers send no alert DMs.`,
    );
  }
  if (outcome.status === 'store_failed') {
    printError(ctx.io, `the database refused a write (${outcome.error ?? 'unknown error'}); every day stored so far is kept. Fix it and run the same command again.`);
    return 1;
  }
  if (progress.failed.length > 0) {
    const shown = progress.failed.slice(0, 5).join('; ') + (progress.failed.length > 5 ? '; …' : '');
    printError(ctx.io, `${progress.failed.length} category-days failed (${shown}); run the same command again to retry them.`);
    return 1;
  }
  return 0;
}
