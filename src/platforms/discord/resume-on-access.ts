import { Events, type Client } from 'discord.js';
import type { Deps } from '../../deps.ts';
import { resumeTarget, resumeWorkspace } from '../../store/sqlite/digests.ts';

/**
 * Paused digests (channel unreachable, permissions lost) resume when access may be back: the bot
 * is added to the server again (GUILD_CREATE), a role's permissions change (GUILD_ROLE_UPDATE), or
 * the channel's overwrites change (CHANNEL_UPDATE). All three arrive with the Guilds intent. If
 * access is still missing, the next post pauses the digest again.
 */
export function resumeDigestsOnAccess(deps: Pick<Deps, 'db' | 'clock' | 'log'>, client: Client): void {
  const log = deps.log.child({ module: 'discord', platform: 'discord' });
  const resumeGuild = (guildId: string, why: string) => {
    const channels = resumeWorkspace(deps.db, 'discord', guildId, deps.clock.now());
    if (channels.length > 0) log.info({ guildId, channels, why }, 'resumed paused digests');
  };
  client.on(Events.GuildCreate, (guild) => resumeGuild(guild.id, 'added to server'));
  client.on(Events.GuildRoleUpdate, (_old, role) => resumeGuild(role.guild.id, 'role permissions changed'));
  client.on(Events.ChannelUpdate, (_old, channel) => {
    if (resumeTarget(deps.db, 'discord', channel.id, deps.clock.now())) {
      log.info({ channelId: channel.id, why: 'channel permissions changed' }, 'resumed paused digests');
    }
  });
}
