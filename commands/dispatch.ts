import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Deps } from '../src/deps.ts';
import { classify, UserError, type UserErrorCode } from '../src/errors.ts';
import type { Logger } from '../src/log.ts';
import { errorMessage, type Message } from '../src/messages/message.ts';
import { PAGE_CURSOR_MAX_AGE_MS, type Store } from '../src/store/store.ts';
import { chatSyntax, type CommandSyntax } from './command-syntax.ts';
import type { Choice, CommandChannel, CommandDefinition, CommandUser } from './define-command.ts';
import { commands, findCommand } from './index.ts';
import { createRateLimiter, type RateLimiter } from './rate-limiter.ts';
import { stripControls } from './strip-controls.ts';
import { validateOptions } from './validate-options.ts';

// The command boundary: every platform (Discord, Slack, console, CLI) calls these three
// functions, which never throw. UserError becomes a private reply; anything else is logged with
// a short ref the user can quote, and the reply says only that something went wrong.

type DispatchRequest = {
  /** `search`, `digest set`… (case and extra spaces do not matter). */
  name: string;
  /** Typed values from Discord, text from Slack/CLI; coerced and validated here. */
  rawOptions: Record<string, unknown>;
  user: CommandUser;
  channel: CommandChannel;
  isAdmin: boolean;
  /** How hints and usage lines write commands; chat (`/papers …`) unless the CLI says otherwise. */
  syntax?: CommandSyntax;
};

export type DispatchOutcome =
  | { ok: true; message: Message }
  | { ok: false; message: Message; kind: 'user'; code: UserErrorCode }
  | { ok: false; message: Message; kind: 'internal'; ref: string };

export async function dispatchCommand(deps: Deps, request: DispatchRequest): Promise<Message> {
  return (await dispatchWithOutcome(deps, request)).message;
}

/** dispatchCommand, also saying how it ended (the CLI maps this to exit codes). */
export async function dispatchWithOutcome(deps: Deps, request: DispatchRequest): Promise<DispatchOutcome> {
  const log = interactionLog(deps, request.user, request.name);
  return measure(deps, log, request.user, request.name, async () => {
    const definition = findCommand(request.name);
    if (!definition) throw unknownCommand(request.name);
    await takeRateBudget(deps, request.user, request.channel);
    // Platforms may show admin commands to everyone (Slack always does): the check is here.
    if (definition.adminOnly && !request.isAdmin) throw notAdmin(request.channel);
    const options = validateOptions(definition, request.rawOptions, request.syntax);
    return runDefinition({ ...deps, log }, definition, options, request);
  });
}

/** Re-runs the list behind `cursor` for another page. Stale or foreign cursors get a private note. */
export async function turnPage(
  deps: Deps,
  request: { cursor: string; page: number; user: CommandUser; channel: CommandChannel; syntax?: CommandSyntax },
): Promise<Message> {
  const log = interactionLog(deps, request.user, 'page');
  const outcome = await measure(deps, log, request.user, 'page', async () => {
    const stale = new UserError('stale_page', 'This list has expired. Run the command again for a fresh one.');
    const cursor = await deps.store.loadPageCursor(request.cursor);
    if (!cursor) throw stale;
    if (cursor.platform !== request.user.platform || cursor.userId !== request.user.id) {
      const own = (request.syntax ?? chatSyntax).command(cursor.command);
      throw new UserError('stale_page', `These buttons page through someone else's list. Run \`${own}\` to get your own.`);
    }
    if (deps.clock.now() - cursor.createdAt > PAGE_CURSOR_MAX_AGE_MS) throw stale;
    const definition = findCommand(cursor.command);
    const parsed = definition?.options.safeParse(cursor.options);
    if (!definition || !parsed?.success) throw stale;
    await takeRateBudget(deps, request.user, request.channel);
    const page = Number.isSafeInteger(request.page) && request.page > 0 ? request.page : 0;
    const withPage = { name: cursor.command, rawOptions: cursor.options, user: request.user, channel: request.channel, isAdmin: false, syntax: request.syntax };
    return runDefinition({ ...deps, log: log.child({ command: cursor.command }) }, definition, parsed.data, withPage, { page, cursor: cursor.id });
  });
  return outcome.message;
}

/** Choices for the focused option (at most 25, names and values at most 100 characters). Never throws. */
export async function autocomplete(
  deps: Deps,
  request: { name: string; option: string; partial: string; user: CommandUser; channel: CommandChannel },
): Promise<Choice[]> {
  try {
    const definition = findCommand(request.name);
    const provider = definition?.autocomplete ? (definition.autocomplete as Record<string, AutocompleteFn | undefined>)[request.option] : undefined;
    if (!provider) return [];
    const choices = await provider({ deps, user: request.user, channel: request.channel, partial: request.partial.slice(0, 200) });
    return choices.slice(0, 25).map((choice) => ({ name: clip(choice.name, 100), value: clip(choice.value, 100) }));
  } catch (err) {
    deps.log.warn({ err, command: request.name, option: request.option }, 'autocomplete failed');
    return [];
  }
}

type AutocompleteFn = NonNullable<CommandDefinition['autocomplete']>[string];

async function runDefinition(
  deps: Deps,
  definition: CommandDefinition,
  options: Record<string, unknown>,
  request: DispatchRequest,
  paging?: { page: number; cursor: string },
): Promise<Message> {
  const syntax = request.syntax ?? chatSyntax;
  let reply = await definition.run({ options, deps, user: request.user, channel: request.channel, isAdmin: request.isAdmin, page: paging?.page, syntax });
  if (definition.personal) reply = { ...reply, visibility: 'private' };
  if (reply.paging) {
    const { paging: replyPaging, ...rest } = reply;
    // One page needs no buttons, and no cursor row.
    if (replyPaging.pageCount <= 1) return rest;
    const cursor =
      paging?.cursor ??
      (await deps.store.savePageCursor({ platform: request.user.platform, userId: request.user.id, command: definition.name, options }, deps.clock.now()));
    reply = { ...rest, paging: { ...replyPaging, cursor } };
  }
  return reply;
}

async function measure(
  deps: Deps,
  log: Logger,
  user: CommandUser,
  command: string,
  work: () => Promise<Message>,
): Promise<DispatchOutcome> {
  const started = performance.now();
  // Metric labels only from known names: user text must not mint new time series.
  const label = findCommand(command)?.name ?? (command === 'page' ? 'page' : 'unknown');
  let outcome: DispatchOutcome;
  try {
    outcome = { ok: true, message: await work() };
  } catch (err) {
    outcome = failure(log, err);
    deps.metrics?.commandErrors.inc({ platform: user.platform, command: label, kind: classify(err) });
  }
  deps.metrics?.commandLatency.observe({ platform: user.platform, command: label }, (performance.now() - started) / 1000);
  return { ...outcome, message: await appendDmNotice(deps, log, user, outcome.message) };
}

function failure(log: Logger, err: unknown): DispatchOutcome {
  if (err instanceof UserError) {
    log.debug({ code: err.code }, 'command refused');
    return { ok: false, kind: 'user', code: err.code, message: errorMessage(err.message) };
  }
  const ref = randomBytes(2).toString('hex');
  log.error({ err, ref }, 'command failed');
  return { ok: false, kind: 'internal', ref, message: errorMessage(`Something went wrong (ref ${ref}). It has been logged; please try again in a moment.`) };
}

/** Owed once after a DM was refused: the user may not know their alerts are not arriving. */
async function appendDmNotice(deps: Deps, log: Logger, user: CommandUser, reply: Message): Promise<Message> {
  if (user.platform === 'console') return reply;
  try {
    const owed = await deps.store.takeDmClosedNotice(user);
    // Any command shows the user is around: alerts are tried again (a still-closed DM marks them again).
    await deps.store.clearDmClosed(user);
    if (!owed) return reply;
  } catch (err) {
    log.warn({ err }, 'could not read the DM notice state');
    return reply;
  }
  const notice =
    'Note: I could not send you a direct message with your watch alerts, because your DMs are closed to me. ' +
    'Allow direct messages from this app (server privacy settings on Discord, the app’s Messages tab on Slack) to get them again.';
  return { ...reply, footer: reply.footer ? `${reply.footer}\n${notice}` : notice };
}

function interactionLog(deps: Deps, user: CommandUser, command: string): Logger {
  return deps.log.child({ module: 'commands', platform: user.platform, command, userId: user.id });
}

// One limiter per store (the budget itself is in the database, shared by every replica; the
// limiter only paces pruning). A WeakMap keeps it off module-level shared state.
const limiters = new WeakMap<Store, RateLimiter>();

async function takeRateBudget(deps: Deps, user: CommandUser, channel: CommandChannel): Promise<void> {
  // The console and CLI are the operator at the machine: no budget.
  if (channel.platform === 'console') return;
  let limiter = limiters.get(deps.store);
  if (!limiter) {
    limiter = createRateLimiter(deps.store, deps.config.COMMAND_RATE_LIMIT);
    limiters.set(deps.store, limiter);
  }
  const verdict = await limiter.take(`${user.platform}:${user.id}`, deps.clock.now());
  if (!verdict.ok) {
    const seconds = Math.ceil(verdict.retryInMs / 1000);
    throw new UserError(
      'rate_limited',
      `You are sending commands faster than I can take them (${deps.config.COMMAND_RATE_LIMIT} a minute). Try again in ${seconds} s.`,
    );
  }
}

function unknownCommand(name: string): UserError {
  const names = commands.map((command) => command.name).join(', ');
  return new UserError('unknown_command', `Unknown command \`${clip(stripControls(name), 40)}\`. Commands: ${names}. \`/papers help\` shows how to use them.`);
}

function notAdmin(channel: CommandChannel): UserError {
  const who = channel.platform === 'slack' ? 'workspace admins' : channel.platform === 'discord' ? 'members with Manage Server' : 'admins';
  return new UserError('not_admin', `Only ${who} can change or inspect this channel's digest.`);
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
