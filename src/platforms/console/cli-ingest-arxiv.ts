import { runArxivJob } from '../../arxiv/arxiv-job.ts';
import { enabledPlatforms } from '../../config.ts';
import { UsageError } from './cli-args.ts';
import type { CliContext } from './cli-context.ts';
import { alertsLine } from './cli-ingest.ts';
import { printError, printJson, printText } from './console-io.ts';

/**
 * `ingest --source arxiv`: the arXiv poll by hand, as the ARXIV_CRON run (its new papers are
 * planned as watch alerts). Exit 1 when the poll failed or the source is off.
 */
export async function cliIngestArxiv(ctx: CliContext): Promise<number> {
  for (const name of ['date', 'from', 'to']) {
    if (ctx.args.flags[name] !== undefined) throw new UsageError(`--source arxiv polls the latest announcement and takes no --${name}`);
  }
  if (ctx.deps.config.ARXIV_CATEGORIES.length === 0) {
    printError(ctx.io, 'The arXiv source is off: set ARXIV_CATEGORIES (e.g. cs.CL,cs.LG) to poll it.');
    return 1;
  }
  const result = await runArxivJob(ctx.deps, 'cli', enabledPlatforms(ctx.deps.config));
  if (ctx.args.flags.json === true) {
    printJson(ctx.io, {
      announcement: result.announcement,
      status: result.status,
      inserted: result.inserted.length,
      updated: result.updated,
      skipped: result.skipped,
      warning: result.warning,
      error: result.error,
      alertDms: result.alerts?.deliveries ?? 0,
    });
  } else if (result.status === 'ok') {
    printText(ctx.io, `Stored the arXiv announcement of ${result.announcement}: ${result.inserted.length} new papers, ${result.updated} known papers updated, ${result.skipped} skipped.`);
    // null: planning failed (logged); the next ingest or poll plans these papers.
    if (result.alerts) printText(ctx.io, alertsLine('cli', result.alerts, result.inserted.length));
  } else if (result.status === 'unchanged') {
    printText(ctx.io, `The arXiv announcement of ${result.announcement} is already stored; nothing to do.`);
  } else if (result.status === 'empty') {
    printText(ctx.io, `The arXiv feed of ${result.announcement} is empty${result.warning ? `: ${result.warning}` : ' (no announcement on weekends)'}.`);
  }
  if (result.warning && result.status === 'ok' && ctx.args.flags.json !== true) printText(ctx.io, `Warning: ${result.warning}`);
  if (result.status === 'failed') {
    printError(ctx.io, `The arXiv poll failed: ${result.error ?? 'unknown error'}`);
    return 1;
  }
  return 0;
}
