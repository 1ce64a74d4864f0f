import { Events, type Client } from 'discord.js';
import type { Deps } from '../../deps.ts';
import { scheduledFeedDay } from '../../digest/local-time.ts';

/**
 * Paused digests (channel unreachable, permissions lost) resume when access may be back: the bot
 * is added to the server again (GUILD_CREATE), a role's permissions change (GUILD_ROLE_UPDATE), or
 * the channel's overwrites change (CHANNEL_UPDATE). All three arrive with the Guilds intent. If
 * access is still missing, the next post pauses the digest again.
 */
export function resumeDigestsOnAccess(deps: Pick<Deps, 'store' | 'clock' | 'log'>, client: Client): void {
  const log = deps.log.child({ module: 'discord', platform: 'discord' });
  // A resumed digest starts at the feed day its latest scheduled time covered: missed days are not posted.
  const startFeedDayAt = (now: number) => (time: string, zone: string) => scheduledFeedDay(time, zone, now);
  const resumeGuild = async (guildId: string, why: string) => {
    const now = deps.clock.now();
    const channels = await deps.store.resumeWorkspace('discord', guildId, startFeedDayAt(now), now);
    if (channels.length > 0) log.info({ guildId, channels, why }, 'resumed paused digests');
  };
  const resumeChannel = async (channelId: string, why: string) => {
    const now = deps.clock.now();
    if (await deps.store.resumeTarget('discord', channelId, startFeedDayAt(now), now)) {
      log.info({ channelId, why }, 'resumed paused digests');
    }
  };
  // discord.js does not await listeners: a failed resume is logged here, never an unhandled
  // rejection. The digest stays paused and the next access change tries again.
  const run = (work: Promise<void>, context: Record<string, string>) => {
    work.catch((err: unknown) => log.error({ err, ...context }, 'could not resume paused digests'));
  };
  client.on(Events.GuildCreate, (guild) => run(resumeGuild(guild.id, 'added to server'), { guildId: guild.id }));
  client.on(Events.GuildRoleUpdate, (_old, role) => run(resumeGuild(role.guild.id, 'role permissions changed'), { guildId: role.guild.id }));
  client.on(Events.ChannelUpdate, (_old, channel) => run(resumeChannel(channel.id, 'channel permissions changed'), { channelId: channel.id }));
}
