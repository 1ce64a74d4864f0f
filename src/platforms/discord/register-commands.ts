import { createHash } from 'node:crypto';
import { DiscordAPIError, OAuth2Scopes, PermissionFlagsBits, REST, Routes } from 'discord.js';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Deps } from '../../deps.ts';
import { commandsPayload, type CommandsPayload } from './commands-payload.ts';

// Registering /papers with Discord: `paperboy register-commands [--guild ID]` does it on demand;
// at start-up the bot does it only when the definitions changed since the last global
// registration (a hash in the `meta` table), because Discord rate-limits command updates.

/** meta key of the hash of the last globally registered payload. */
export const COMMANDS_HASH_KEY = 'discord_commands_hash';

/**
 * The permissions the bot needs in a channel: see it, post, embed links (paper cards), post in
 * threads, and start a public thread on its digest post (follow-ups). Nothing else: no mentions,
 * no reading messages, no management.
 */
export const BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePublicThreads;

const Registered = z.array(z.object({ id: z.string(), name: z.string() }));

/** A REST client for one-off calls (the CLI); the running bot passes its client's instead. */
function createRest(config: Config): REST {
  if (!config.DISCORD_TOKEN) throw new Error('DISCORD_TOKEN is not set');
  return new REST({ api: config.DISCORD_API_URL }).setToken(config.DISCORD_TOKEN);
}

function applicationIdOf(config: Config): string {
  if (!config.DISCORD_APPLICATION_ID) throw new Error('DISCORD_APPLICATION_ID is not set');
  return config.DISCORD_APPLICATION_ID;
}

function commandsHash(applicationId: string, payload: CommandsPayload): string {
  return createHash('sha256').update(applicationId).update('\n').update(JSON.stringify(payload)).digest('hex');
}

/**
 * PUTs /papers globally (every server, up to an hour to show) or in one guild (at once). Replaces
 * whatever the application had. Resolves with the registered command names. Throws the REST error.
 */
export async function registerCommands(deps: Pick<Deps, 'config' | 'store' | 'clock' | 'log'>, options: { guildId?: string; rest?: REST } = {}): Promise<string[]> {
  const applicationId = applicationIdOf(deps.config);
  const rest = options.rest ?? createRest(deps.config);
  const scope = options.guildId ? 'guild' : 'global';
  const payload = commandsPayload(scope);
  const route = options.guildId ? Routes.applicationGuildCommands(applicationId, options.guildId) : Routes.applicationCommands(applicationId);
  const registered = Registered.parse(await rest.put(route, { body: payload }));
  if (scope === 'global') {
    await deps.store.setMeta(COMMANDS_HASH_KEY, commandsHash(applicationId, payload), deps.clock.now());
  }
  deps.log.info({ module: 'discord', scope, guildId: options.guildId, commands: registered.map((c) => c.name) }, 'registered slash commands');
  return registered.map((command) => command.name);
}

/**
 * What a refused registration means and what to do, in one line; null for anything else. Discord's
 * own text ("401: Unauthorized") names neither the variable to fix nor the next step.
 */
export function explainRegistrationError(err: unknown, config: Config, guildId?: string): string | null {
  if (!(err instanceof DiscordAPIError)) return null;
  const said = `${err.status} ${err.message.replace(/^\d+: /, '')}`;
  if (err.status === 401) return `Discord refused DISCORD_TOKEN (${said}): copy the bot token again (Developer Portal → Bot → Reset Token); nothing was registered.`;
  if (err.status === 403 && guildId) {
    return `Discord refused access to server ${guildId} (${said}): add the bot there with the link from paperboy invite-url (it grants applications.commands), or check the id; nothing was registered.`;
  }
  if (err.status === 403 || err.status === 404) {
    return `Discord refused application ${config.DISCORD_APPLICATION_ID ?? ''} for this token (${said}): DISCORD_APPLICATION_ID must be the Application ID of the bot whose token is DISCORD_TOKEN; nothing was registered.`;
  }
  return `Discord refused the commands (${said}); nothing was registered.`;
}

/** Registers globally when the payload differs from the last registration; true when it did. */
export async function registerIfChanged(deps: Pick<Deps, 'config' | 'store' | 'clock' | 'log'>, rest?: REST): Promise<boolean> {
  const applicationId = applicationIdOf(deps.config);
  const wanted = commandsHash(applicationId, commandsPayload('global'));
  if ((await deps.store.getMeta(COMMANDS_HASH_KEY)) === wanted) return false;
  await registerCommands(deps, { rest });
  return true;
}

/** The OAuth2 link that adds the bot (and its commands) to a server with exactly BOT_PERMISSIONS. */
export function inviteUrl(config: Pick<Config, 'DISCORD_APPLICATION_ID'>): string {
  if (!config.DISCORD_APPLICATION_ID) throw new Error('DISCORD_APPLICATION_ID is not set');
  const params = new URLSearchParams({
    client_id: config.DISCORD_APPLICATION_ID,
    scope: [OAuth2Scopes.Bot, OAuth2Scopes.ApplicationsCommands].join(' '),
    permissions: BOT_PERMISSIONS.toString(),
    integration_type: '0',
  });
  return `https://discord.com/oauth2/authorize?${params.toString()}`;
}
