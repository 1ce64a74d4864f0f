import { digestPreview } from '../../../commands/digest-preview.ts';
import { previewDigestData } from '../../../commands/digest-preview-data.ts';
import { dispatchWithOutcome, turnPage, type DispatchOutcome } from '../../../commands/dispatch.ts';
import { findCommand } from '../../../commands/index.ts';
import { isStrayOption, strayOptionProblem } from '../../../commands/stray-option.ts';
import { stripControls } from '../../../commands/strip-controls.ts';
import { renderPlainText, type Message } from '../../messages/message.ts';
import { flagValue, UsageError } from './cli-args.ts';
import type { CliContext } from './cli-context.ts';
import { digestPreviewJson, paperJson, watchJson, type PaperJson } from './cli-json.ts';
import { chatPageSize, cliLimit, moreHint } from './cli-pages.ts';
import { cliCommandName, cliSyntax } from './cli-syntax.ts';
import { cliUser } from './cli-user.ts';
import { printError, printJson, printText } from './console-io.ts';
import { consoleChannel, consoleUser } from './console-repl.ts';

// The CLI's read and watch commands: each is one call to the same dispatcher the chat platforms
// use (with the CLI's command syntax for hints), then printed as text or `--json`.

const SEARCH_DEFAULT_LIMIT = 10;

export async function cliSearch(ctx: CliContext): Promise<number> {
  const query = freeText(ctx.args.positionals, 'search', ctx.args.literal);
  if (!query) throw new UsageError('search needs a query, e.g. paperboy search diffusion -survey');
  const wanted = cliLimit(ctx.args) ?? SEARCH_DEFAULT_LIMIT;
  const list = await collectPapers(ctx, 'search', { query }, wanted);
  if (typeof list === 'number') return list;
  return print(ctx, withHint(list.reply, moreHint(list.reply.papers.length, list.total, false)), () => list.reply.papers.map(paperJson));
}

/** Without --limit, every paper of the day (all pages); with it, the first N. */
export async function cliToday(ctx: CliContext): Promise<number> {
  if (ctx.args.positionals.length > 0) throw new UsageError(`today takes no arguments (got ${shown(ctx.args.positionals)})`);
  const limit = cliLimit(ctx.args);
  const list = await collectPapers(ctx, 'today', { sort: flagValue(ctx.args, 'sort'), source: flagValue(ctx.args, 'source') }, limit ?? Number.POSITIVE_INFINITY);
  if (typeof list === 'number') return list;
  const hint = limit === undefined ? undefined : moreHint(list.reply.papers.length, list.total, true);
  return print(ctx, withHint(list.reply, hint), () => list.reply.papers.map(paperJson));
}

export async function cliPaper(ctx: CliContext): Promise<number> {
  const [id, ...extra] = ctx.args.positionals;
  if (!id || extra.length > 0) throw new UsageError('paper needs exactly one arXiv id or URL, e.g. paperboy paper 2410.17243');
  const reply = await dispatch(ctx, 'paper', { id });
  if (typeof reply === 'number') return reply;
  const card = reply.papers[0];
  return print(ctx, reply, () => (card ? paperJson(card) : null));
}

/**
 * `watch add|list|remove --user <id> [--platform discord|slack|console] …`: manage someone's
 * watches. `--json` prints watch records ({ number, query, since, artifacts }), read back from the store.
 */
export async function cliWatch(ctx: CliContext): Promise<number> {
  const [action, ...words] = ctx.args.positionals;
  const user = cliUser(ctx.args, 'watch');
  const mine = () => ctx.deps.store.listWatches(user);
  const before = await mine();
  if (action === 'add') {
    const reply = await dispatch(ctx, 'watch', { query: freeText(words, 'watch', ctx.args.literal) || undefined, artifacts: flagValue(ctx.args, 'artifacts') }, user);
    if (typeof reply === 'number') return reply;
    const after = await mine();
    // The watch added, or the one whose artifacts setting it changed (a watch one has already).
    const number = after.findIndex((row) => !before.some((old) => old.id === row.id && old.artifacts === row.artifacts)) + 1;
    const added = after[number - 1];
    return print(ctx, reply, () => (added ? watchJson(added, number) : null));
  }
  if (action === 'list') {
    if (words.length > 0) throw new UsageError(`watch list takes no arguments (got ${shown(words)})`);
    const reply = await dispatch(ctx, 'watches', {}, user);
    if (typeof reply === 'number') return reply;
    const rows = await mine();
    return print(ctx, reply, () => rows.map((row, i) => watchJson(row, i + 1)));
  }
  if (action === 'remove') {
    const reply = await dispatch(ctx, 'unwatch', { watch: freeText(words, 'unwatch', ctx.args.literal) || undefined }, user);
    if (typeof reply === 'number') return reply;
    const left = await mine();
    const number = before.findIndex((row) => !left.some((kept) => kept.id === row.id)) + 1;
    const removed = before[number - 1];
    return print(ctx, reply, () => (removed ? watchJson(removed, number) : null));
  }
  throw new UsageError(`watch needs add, list or remove, e.g. paperboy watch add --user ${user.id} "state space"`);
}

const TRENDING_DEFAULT_LIMIT = 10;

/** `trending [--window day|week|month] [--limit N]`: the ranking `/papers trending` shows. */
export async function cliTrending(ctx: CliContext): Promise<number> {
  if (ctx.args.positionals.length > 0) throw new UsageError(`trending takes no arguments (got ${shown(ctx.args.positionals)})`);
  const wanted = cliLimit(ctx.args) ?? TRENDING_DEFAULT_LIMIT;
  const list = await collectPapers(ctx, 'trending', { window: flagValue(ctx.args, 'window') }, wanted);
  if (typeof list === 'number') return list;
  return print(ctx, withHint(list.reply, moreHint(list.reply.papers.length, list.total, false)), () => list.reply.papers.map(trendingJson));
}

/** `similar <arXiv id or URL> [--limit N]`. */
export async function cliSimilar(ctx: CliContext): Promise<number> {
  const [id, ...extra] = ctx.args.positionals;
  if (!id || extra.length > 0) throw new UsageError('similar needs exactly one arXiv id or URL, e.g. paperboy similar 2410.17243');
  const limit = cliLimit(ctx.args);
  const reply = await dispatch(ctx, 'similar', { id, limit: limit === undefined ? undefined : String(limit) });
  if (typeof reply === 'number') return reply;
  return print(ctx, reply, () => reply.papers.map(trendingJson));
}

/** `saved --user <id> [--platform p] [--format list|bibtex]`: a user's reading list; bibtex prints the bare file. */
export async function cliSaved(ctx: CliContext): Promise<number> {
  if (ctx.args.positionals.length > 0) throw new UsageError(`saved takes no arguments (got ${shown(ctx.args.positionals)})`);
  const user = cliUser(ctx.args, 'saved');
  const format = flagValue(ctx.args, 'format');
  if (format === 'bibtex') {
    const reply = await dispatch(ctx, 'saved', { format }, user);
    if (typeof reply === 'number') return reply;
    if (ctx.args.flags.json === true) printJson(ctx.io, { bibtex: reply.code ?? '' });
    // The file alone, so `paperboy saved --user U --format bibtex > papers.bib` is a BibTeX file;
    // an empty list leaves it empty and says so on stderr.
    else if (reply.code) printText(ctx.io, reply.code.trimEnd());
    else printError(ctx.io, renderPlainText(reply));
    return 0;
  }
  const list = await collectPapers(ctx, 'saved', { format }, Number.POSITIVE_INFINITY, user);
  if (typeof list === 'number') return list;
  return print(ctx, list.reply, () => list.reply.papers.map(paperJson));
}

/** A card as paperJson, with the line trending and similar add (gain, shared words). */
function trendingJson(card: Message['papers'][number]): PaperJson & { note?: string } {
  return card.note === undefined ? paperJson(card) : { ...paperJson(card), note: card.note };
}

/** `digest preview [YYYY-MM-DD | --date D]` for the console channel. */
export async function cliDigest(ctx: CliContext): Promise<number> {
  const [action, day, ...extra] = ctx.args.positionals;
  if (action !== 'preview' || extra.length > 0) throw new UsageError('digest supports: preview [YYYY-MM-DD] [--json]');
  const flag = flagValue(ctx.args, 'date');
  if (day !== undefined && flag !== undefined) throw new UsageError('give the date once: digest preview YYYY-MM-DD or --date YYYY-MM-DD');
  const reply = await dispatch(ctx, 'digest preview', { date: day ?? flag });
  if (typeof reply === 'number') return reply;
  if (ctx.args.flags.json !== true) return print(ctx, reply, () => null);
  // The dispatcher validated the date (and refused a future one); --json wants the data, not the message.
  const { date } = digestPreview.options.parse({ date: day ?? flag });
  printJson(ctx.io, digestPreviewJson(await previewDigestData(ctx.deps, consoleChannel, date)));
  return 0;
}

/** The reply, or the exit code after printing its error (2 for usage problems, 1 otherwise). */
async function dispatch(ctx: CliContext, name: string, rawOptions: Record<string, string | undefined>, user = consoleUser): Promise<Message | number> {
  const outcome = await dispatchWithOutcome(ctx.deps, { name, rawOptions, user, channel: consoleChannel, isAdmin: true, syntax: cliSyntax(user) });
  if (outcome.ok) return outcome.message;
  printError(ctx.io, outcome.message.text);
  return exitCodeFor(outcome);
}

function exitCodeFor(outcome: DispatchOutcome): number {
  if (outcome.ok) return 0;
  // 2: the call is wrong (a bad option value: id, date, query); 1: it was right but failed (README, CLI).
  return outcome.kind === 'user' && ['bad_option', 'bad_query', 'bad_date', 'bad_paper_id', 'unknown_command'].includes(outcome.code) ? 2 : 1;
}

/**
 * Up to `wanted` papers of a list command, turning its chat pages (the CLI may show more than one
 * page holds), with the list's total. Or the exit code after printing an error.
 */
async function collectPapers(
  ctx: CliContext,
  name: string,
  rawOptions: Record<string, string | undefined>,
  wanted: number,
  user = consoleUser,
): Promise<{ reply: Message; total: number } | number> {
  const pageSize = Math.min(wanted, chatPageSize(name));
  const first = await dispatch(ctx, name, { ...rawOptions, limit: String(pageSize) }, user);
  if (typeof first === 'number') return first;
  const papers = [...first.papers];
  for (let paging = first.paging; paging && papers.length < wanted && paging.page + 1 < paging.pageCount; ) {
    const next = await turnPage(ctx.deps, { cursor: paging.cursor, page: paging.page + 1, user, channel: consoleChannel, syntax: cliSyntax(user) });
    if (next.kind === 'error') {
      printError(ctx.io, next.text);
      return 1;
    }
    papers.push(...next.papers);
    paging = next.paging;
  }
  return { reply: { ...first, papers: papers.slice(0, wanted) }, total: first.paging?.total ?? first.papers.length };
}

/**
 * The query words of `search`/`watch add`/`watch remove`; `limit=3` among them was meant as an
 * option, unless it is among the `literal` last words, typed after `--`.
 */
function freeText(words: string[], name: string, literal: number): string {
  const stray = words.slice(0, Math.max(0, words.length - literal)).find(isStrayOption);
  const definition = findCommand(name);
  if (stray && definition) {
    const syntax = cliSyntax(consoleUser);
    const problem = strayOptionProblem({ command: cliCommandName(name), word: stray, options: syntax.optionList(definition), rest: definition.rest ?? 'query', syntax });
    // cli.ts follows a usage error with ". Usage: …".
    throw new UsageError(problem.replace(/\.$/, ''));
  }
  return words.join(' ').trim();
}

/** Arguments echoed in an error: one short line without control characters. */
function shown(words: string[]): string {
  const text = stripControls(words.join(' '));
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

function withHint(reply: Message, hint: string | undefined): Message {
  if (!hint) return reply;
  return { ...reply, footer: reply.footer ? `${reply.footer}\n${hint}` : hint };
}

function print(ctx: CliContext, reply: Message, json: () => unknown): number {
  if (ctx.args.flags.json === true) printJson(ctx.io, json());
  // No buttons in a terminal: the page footer would only confuse.
  else printText(ctx.io, renderPlainText({ ...reply, paging: undefined }));
  return 0;
}
