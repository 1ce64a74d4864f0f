import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Config } from '../../config.ts';
import { describeFsError } from '../../store/sqlite/db-path.ts';
import { printablePath, resolveBackupTarget } from './backup-target.ts';
import { flagValue, UsageError } from './cli-args.ts';
import type { CliContext } from './cli-context.ts';
import { printError, printText, type ConsoleIo } from './console-io.ts';

/**
 * `backup <file>`: a consistent copy of the live database (SQLite online backup; safe while the
 * bot runs). The copy is written to a temp file beside the target and renamed over it only once
 * complete, so a failed copy never costs the previous one.
 */
export async function cliBackup(ctx: CliContext): Promise<number> {
  const [file, ...extra] = ctx.args.positionals;
  if (!file || extra.length > 0) throw new UsageError('backup needs one target file, e.g. paperboy backup ./paperboy-backup.db');
  if (ctx.deps.store.dialect === 'postgres') {
    printError(ctx.io, 'backup copies a SQLite database; this install uses PostgreSQL (DATABASE_URL): back it up with pg_dump.');
    return 1;
  }
  const target = resolveBackupTarget(file, ctx.deps.config.DATABASE_PATH, ctx.args.flags.force === true);
  if (!target.ok) {
    printError(ctx.io, target.problem);
    return target.exitCode;
  }
  const temp = join(dirname(target.path), `.${basename(target.path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    // The copy holds the same private data as the database: create it 0600 before a byte is
    // written (and again after, whatever the umask did).
    closeSync(openSync(temp, 'wx', 0o600));
    chmodSync(temp, 0o600);
    await ctx.deps.store.backup(temp);
    chmodSync(temp, 0o600);
    // The copy can take a while: a program may have opened the target, or a FIFO taken its place.
    const still = resolveBackupTarget(file, ctx.deps.config.DATABASE_PATH, true);
    if (!still.ok || still.path !== target.path) {
      rmSync(temp, { force: true });
      printError(ctx.io, still.ok ? `${printablePath(target.path)} changed during the backup; nothing was replaced.` : `${still.problem} Nothing was replaced.`);
      return still.ok ? 1 : still.exitCode;
    }
    renameSync(temp, target.path);
  } catch (err) {
    rmSync(temp, { force: true });
    printError(ctx.io, `could not write the backup to ${printablePath(target.path)} (${describeFsError(err)}); nothing was replaced.`);
    return 1;
  }
  printText(ctx.io, `Backed up the database to ${printablePath(target.path)} (${Math.round(statSync(target.path).size / 1024)} KiB).`);
  return 0;
}

/** `register-commands [--guild ID]`: create or update the /papers command on Discord. */
export async function cliRegisterCommands(ctx: CliContext): Promise<number> {
  const guildId = flagValue(ctx.args, 'guild');
  // A Discord id is a snowflake: 17-20 digits (Discord's "Snowflakes" reference).
  if (guildId !== undefined && !/^\d{17,20}$/.test(guildId)) {
    throw new UsageError(`--guild must be a Discord server id (17-20 digits), got '${guildId.replace(/[\p{Cc}\p{Cf}]/gu, '').slice(0, 40)}'`);
  }
  if (!ctx.deps.config.DISCORD_TOKEN || !ctx.deps.config.DISCORD_APPLICATION_ID) {
    printError(ctx.io, 'register-commands needs DISCORD_TOKEN and DISCORD_APPLICATION_ID (in .env or the environment).');
    return 1;
  }
  const discord = await loadDiscordAdmin(ctx.io);
  if (!discord) return 1;
  let names: string[];
  try {
    names = await discord.registerCommands(ctx.deps, { guildId });
  } catch (err) {
    const unreachable = networkFailure(err);
    const refused = discord.explainRegistrationError(err, ctx.deps.config, guildId);
    if (!unreachable && !refused) throw err;
    printError(ctx.io, refused ?? `could not reach Discord at ${ctx.deps.config.DISCORD_API_URL} (${unreachable}): check the network or DISCORD_API_URL; nothing was registered.`);
    return 1;
  }
  const where = guildId ? `in guild ${guildId} (available at once)` : 'globally (may take up to an hour to show everywhere)';
  printText(ctx.io, `Registered ${names.map((name) => `/${name}`).join(', ')} ${where}.`);
  return 0;
}

/** `invite-url`: the OAuth2 link that adds the bot to a server with the permissions it needs. */
export async function cliInviteUrl(config: Config, io: ConsoleIo): Promise<number> {
  if (!config.DISCORD_APPLICATION_ID) {
    printError(io, 'invite-url needs DISCORD_APPLICATION_ID (in .env or the environment).');
    return 1;
  }
  const discord = await loadDiscordAdmin(io);
  if (!discord) return 1;
  printText(io, discord.inviteUrl(config));
  return 0;
}

// A request that never got an answer: no such host, nothing listening, no route, cut off.
const unreachableCodes = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

/** The code of a network failure somewhere in `err`'s cause chain ("timed out" for an abort), or null. */
function networkFailure(err: unknown): string | null {
  let cause = err;
  for (let depth = 0; typeof cause === 'object' && cause !== null && depth < 5; depth += 1) {
    const code = 'code' in cause ? cause.code : undefined;
    if (typeof code === 'string' && (unreachableCodes.has(code) || code.startsWith('UND_ERR_'))) return code;
    if (cause instanceof Error && (cause.name === 'AbortError' || cause.name === 'TimeoutError')) return 'timed out';
    cause = 'cause' in cause ? cause.cause : undefined;
  }
  return null;
}

// Loaded on demand: the rest of the CLI works without the Discord adapter's code.
async function loadDiscordAdmin(io: ConsoleIo) {
  try {
    return await import('../discord/register-commands.ts');
  } catch (err) {
    printError(io, `the Discord adapter could not be loaded (src/platforms/discord/register-commands.ts): ${err instanceof Error ? err.message : String(err)}`);
    return null;
  }
}
