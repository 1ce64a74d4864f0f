import type { CommandUser } from '../../../commands/define-command.ts';
import { dispatchWithOutcome, turnPage, type DispatchOutcome } from '../../../commands/dispatch.ts';
import { renderPlainText, type Message } from '../../messages/message.ts';
import { flagValue, UsageError } from './cli-args.ts';
import type { CliContext } from './cli-context.ts';
import { messageJson, paperJson } from './cli-json.ts';
import { printError, printJson, printText } from './console-io.ts';
import { consoleChannel, consoleUser } from './console-repl.ts';

// The CLI's read and watch commands: each is one call to the same dispatcher the chat platforms
// use, then printed as text or `--json`.

export async function cliSearch(ctx: CliContext): Promise<number> {
  const query = ctx.args.positionals.join(' ').trim();
  if (!query) throw new UsageError('search needs a query, e.g. paperboy search diffusion -survey');
  const reply = await dispatch(ctx, 'search', { query, limit: flagValue(ctx.args, 'limit') ?? '10' });
  if (typeof reply === 'number') return reply;
  return print(ctx, reply, () => reply.papers.map(paperJson));
}

/** Without --limit, every paper of the day (all pages); with it, the first N. */
export async function cliToday(ctx: CliContext): Promise<number> {
  if (ctx.args.positionals.length > 0) throw new UsageError(`today takes no arguments (got ${ctx.args.positionals.join(' ')})`);
  const limit = flagValue(ctx.args, 'limit');
  const first = await dispatch(ctx, 'today', { limit: limit ?? '25', sort: flagValue(ctx.args, 'sort') });
  if (typeof first === 'number') return first;
  const papers = [...first.papers];
  for (let paging = first.paging; paging && !limit && paging.page + 1 < paging.pageCount; ) {
    const next = await turnPage(ctx.deps, { cursor: paging.cursor, page: paging.page + 1, user: consoleUser, channel: consoleChannel });
    if (next.kind === 'error') {
      printError(ctx.io, next.text);
      return 1;
    }
    papers.push(...next.papers);
    paging = next.paging;
  }
  const all: Message = { ...first, papers };
  return print(ctx, all, () => papers.map(paperJson));
}

export async function cliPaper(ctx: CliContext): Promise<number> {
  const [id, ...extra] = ctx.args.positionals;
  if (!id || extra.length > 0) throw new UsageError('paper needs exactly one arXiv id or URL, e.g. paperboy paper 2410.17243');
  const reply = await dispatch(ctx, 'paper', { id });
  if (typeof reply === 'number') return reply;
  const card = reply.papers[0];
  return print(ctx, reply, () => (card ? paperJson(card) : null));
}

const platforms = new Set(['console', 'discord', 'slack']);

/** `watch add|list|remove --user <id> [--platform discord|slack|console] …`: manage someone's watches. */
export async function cliWatch(ctx: CliContext): Promise<number> {
  const [action, ...words] = ctx.args.positionals;
  const id = flagValue(ctx.args, 'user');
  if (!id) throw new UsageError('watch needs --user <id> (the chat user id whose watches to manage)');
  const platform = flagValue(ctx.args, 'platform') ?? 'console';
  if (platform !== 'console' && platform !== 'discord' && platform !== 'slack') {
    throw new UsageError(`--platform must be one of ${[...platforms].join(', ')}`);
  }
  const user: CommandUser = { platform, id };
  const text = words.join(' ').trim();
  let reply: Message | number;
  if (action === 'add') reply = await dispatch(ctx, 'watch', { query: text || undefined }, user);
  else if (action === 'list') reply = await dispatch(ctx, 'watches', {}, user);
  else if (action === 'remove') reply = await dispatch(ctx, 'unwatch', { watch: text || undefined }, user);
  else throw new UsageError('watch needs add, list or remove, e.g. paperboy watch add --user U123 "state space"');
  if (typeof reply === 'number') return reply;
  return print(ctx, reply, () => messageJson(reply));
}

/** `digest preview [YYYY-MM-DD | --date D]` for the console channel. */
export async function cliDigest(ctx: CliContext): Promise<number> {
  const [action, day, ...extra] = ctx.args.positionals;
  if (action !== 'preview' || extra.length > 0) throw new UsageError('digest supports: preview [YYYY-MM-DD] [--json]');
  const flag = flagValue(ctx.args, 'date');
  if (day !== undefined && flag !== undefined) throw new UsageError('give the date once: digest preview YYYY-MM-DD or --date YYYY-MM-DD');
  const reply = await dispatch(ctx, 'digest preview', { date: day ?? flag });
  if (typeof reply === 'number') return reply;
  return print(ctx, reply, () => messageJson(reply));
}

/** The reply, or the exit code after printing its error (2 for usage problems, 1 otherwise). */
async function dispatch(ctx: CliContext, name: string, rawOptions: Record<string, string | undefined>, user = consoleUser): Promise<Message | number> {
  const outcome = await dispatchWithOutcome(ctx.deps, { name, rawOptions, user, channel: consoleChannel, isAdmin: true });
  if (outcome.ok) return outcome.message;
  printError(ctx.io, outcome.message.text);
  return exitCodeFor(outcome);
}

export function exitCodeFor(outcome: DispatchOutcome): number {
  if (outcome.ok) return 0;
  // 2: the call is wrong (a bad option value: id, date, query); 1: it was right but failed (README, CLI).
  return outcome.kind === 'user' && ['bad_option', 'bad_query', 'bad_date', 'bad_paper_id', 'unknown_command'].includes(outcome.code) ? 2 : 1;
}

function print(ctx: CliContext, reply: Message, json: () => unknown): number {
  if (ctx.args.flags.json === true) printJson(ctx.io, json());
  // No buttons in a terminal: the page footer would only confuse.
  else printText(ctx.io, renderPlainText({ ...reply, paging: undefined }));
  return 0;
}
