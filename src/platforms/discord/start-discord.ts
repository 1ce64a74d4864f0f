import { once } from 'node:events';
import { Client, Events, GatewayIntentBits } from 'discord.js';
import type { Deps } from '../../deps.ts';
import type { Sender } from '../../platform.ts';
import { createDiscordSender } from './discord-sender.ts';
import { handleInteraction, type InteractionOptions } from './interactions.ts';
import { recordRestRateLimits } from './record-rate-limits.ts';
import { noMentions } from './reply-options.ts';
import { registerIfChanged } from './register-commands.ts';
import { resumeDigestsOnAccess } from './resume-on-access.ts';

export type StartDiscordOptions = InteractionOptions & {
  /** Register /papers at start-up when the definitions changed (default true). */
  register?: boolean;
  /** Give up waiting for the gateway's READY after this long (ms). */
  readyTimeoutMs?: number;
};

export type RunningDiscord = {
  sender: Sender;
  /** The logged-in client (status, tests); everything it needs is already wired. */
  client: Client<true>;
  stop(): Promise<void>;
};

/** Gateway close codes that refuse this process's shards, with what to change. */
const SHARD_REFUSALS: Record<number, string> = {
  4010: ' (close code 4010, Invalid shard: check DISCORD_SHARDS and DISCORD_SHARD_COUNT)',
  4011: ' (close code 4011, Sharding required: the bot is in too many servers for DISCORD_SHARD_COUNT shards; raise it, or unset it to use the count Discord recommends)',
};

/**
 * DISCORD_SHARDS of DISCORD_SHARD_COUNT; only the count: every shard here; neither: as many as
 * Discord recommends, all here (`auto`). Always explicit, so discord.js never reads the SHARDS and
 * SHARD_COUNT variables its own ShardingManager sets.
 */
function shardOptions(config: Deps['config']): { shards: number[] | 'auto'; shardCount?: number } {
  const count = config.DISCORD_SHARD_COUNT;
  if (count === undefined) return { shards: 'auto' };
  return { shards: config.DISCORD_SHARDS ?? Array.from({ length: count }, (_, id) => id), shardCount: count };
}

/**
 * Logs the bot in (Guilds intent only: interactions arrive without privileged intents, and DMs
 * are sent, never read), answers /papers, and returns the Sender for the outbox. Rejects when
 * the token is refused or the gateway does not become ready.
 */
export async function startDiscord(deps: Deps, options: StartDiscordOptions = {}): Promise<RunningDiscord> {
  const { config } = deps;
  const log = deps.log.child({ module: 'discord', platform: 'discord' });
  if (!config.DISCORD_TOKEN || !config.DISCORD_APPLICATION_ID) throw new Error('DISCORD_TOKEN and DISCORD_APPLICATION_ID are required');

  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    // Base without /v10: the library appends the version. Tests point it at a local fake.
    rest: { api: config.DISCORD_API_URL },
    // The default for every message discord.js sends for us; each payload also says it explicitly.
    allowedMentions: noMentions,
    ...shardOptions(config),
  });
  // Without an `error` listener an emitted error (a rejected handler, a socket failure) would
  // crash the process.
  client.on(Events.Error, (err) => log.error({ err }, 'discord client error'));
  client.on(Events.Warn, (message) => log.warn({ detail: message }, 'discord client warning'));
  let refusedWith: number | undefined;
  client.on(Events.ShardDisconnect, (event, shardId) => {
    if (!client.isReady()) refusedWith ??= event.code;
    log.warn({ code: event.code, shardId }, 'discord gateway disconnected');
  });
  recordRestRateLimits(deps, client.rest);
  resumeDigestsOnAccess(deps, client);
  client.on(Events.InteractionCreate, (interaction) => {
    // handleInteraction never rejects; the catch is for a bug in it, which must not crash the bot.
    handleInteraction(deps, interaction, options).catch((err: unknown) => log.error({ err }, 'interaction handler failed'));
  });

  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const ready = once(client, Events.ClientReady, { signal: AbortSignal.timeout(readyTimeoutMs) });
  // Observed here so a timeout after a failed login is not an unhandled rejection.
  ready.catch(() => undefined);
  try {
    await client.login(config.DISCORD_TOKEN);
    if (!client.isReady()) await ready;
  } catch (err) {
    await client.destroy();
    const hint = refusedWith === undefined ? '' : (SHARD_REFUSALS[refusedWith] ?? '');
    throw new Error(`Discord login failed: ${err instanceof Error ? err.message : String(err)}${hint}`, { cause: err });
  }
  if (!client.isReady()) {
    await client.destroy();
    throw new Error('Discord client is not ready after login');
  }
  const shards = client.ws.shards.map((shard) => shard.id);
  log.info({ user: client.user.tag, applicationId: config.DISCORD_APPLICATION_ID, shards, shardCount: client.options.shardCount }, 'discord ready');

  if (options.register !== false) {
    try {
      const registered = await registerIfChanged(deps, client.rest);
      if (!registered) log.debug('slash commands unchanged since the last registration');
    } catch (err) {
      // Existing registrations keep working; `paperboy register-commands` can retry by hand.
      log.error({ err }, 'could not register slash commands');
    }
  }

  return {
    sender: createDiscordSender(deps, client.rest),
    client,
    async stop() {
      client.removeAllListeners(Events.InteractionCreate);
      await client.destroy();
    },
  };
}
