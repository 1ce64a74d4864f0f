import { chmodSync, closeSync, existsSync, openSync, statSync, unlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from '../../config.ts';
import { flagValue, UsageError } from './cli-args.ts';
import type { CliContext } from './cli-context.ts';
import { printError, printText, type ConsoleIo } from './console-io.ts';

/** `backup <file>`: a consistent copy of the live database (SQLite online backup; safe while the bot runs). */
export async function cliBackup(ctx: CliContext): Promise<number> {
  const [file, ...extra] = ctx.args.positionals;
  if (!file || extra.length > 0) throw new UsageError('backup needs one target file, e.g. paperboy backup ./paperboy-backup.db');
  const target = resolve(file);
  if (existsSync(target) && ctx.args.flags.force !== true) {
    printError(ctx.io, `${target} already exists; pass --force to overwrite it.`);
    return 1;
  }
  // The copy holds the same private data as the database: create it 0600 before a byte is
  // written (and again after, whatever the umask did).
  if (existsSync(target)) unlinkSync(target);
  closeSync(openSync(target, 'w', 0o600));
  chmodSync(target, 0o600);
  await ctx.deps.db.$client.backup(target);
  chmodSync(target, 0o600);
  printText(ctx.io, `Backed up the database to ${target} (${Math.round(statSync(target).size / 1024)} KiB).`);
  return 0;
}

/** `register-commands [--guild ID]`: create or update the /papers command on Discord. */
export async function cliRegisterCommands(ctx: CliContext): Promise<number> {
  if (!ctx.deps.config.DISCORD_TOKEN || !ctx.deps.config.DISCORD_APPLICATION_ID) {
    printError(ctx.io, 'register-commands needs DISCORD_TOKEN and DISCORD_APPLICATION_ID (in .env or the environment).');
    return 1;
  }
  const discord = await loadDiscordAdmin(ctx.io);
  if (!discord) return 1;
  const guildId = flagValue(ctx.args, 'guild');
  const names = await discord.registerCommands(ctx.deps, { guildId });
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

// Loaded on demand: the rest of the CLI works without the Discord adapter's code.
async function loadDiscordAdmin(io: ConsoleIo) {
  try {
    return await import('../discord/register-commands.ts');
  } catch (err) {
    printError(io, `the Discord adapter could not be loaded (src/platforms/discord/register-commands.ts): ${err instanceof Error ? err.message : String(err)}`);
    return null;
  }
}
