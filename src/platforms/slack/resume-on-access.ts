import type { App } from '@slack/bolt';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { resumeTarget } from '../../store/sqlite/digests.ts';

const MemberJoined = z.looseObject({ user: z.string(), channel: z.string() });
const ChannelEvent = z.looseObject({ channel: z.string() });

/**
 * Paused digests (not_in_channel, is_archived…) resume when access returns: the bot is invited
 * to the channel (member_joined_channel for the bot user) or the channel is unarchived. If access
 * is still missing, the next post pauses the digest again.
 */
export function resumeDigestsOnAccess(app: App, deps: Pick<Deps, 'db' | 'clock' | 'log'>, botUserId: string): void {
  const log = deps.log.child({ module: 'slack', platform: 'slack' });
  const resume = (channelId: string, why: string) => {
    if (resumeTarget(deps.db, 'slack', channelId, deps.clock.now())) log.info({ channelId, why }, 'resumed paused digest');
  };
  app.event('member_joined_channel', async ({ event }) => {
    const parsed = MemberJoined.safeParse(event);
    if (parsed.success && parsed.data.user === botUserId) resume(parsed.data.channel, 'bot invited to the channel');
  });
  app.event('channel_unarchive', async ({ event }) => {
    const parsed = ChannelEvent.safeParse(event);
    if (parsed.success) resume(parsed.data.channel, 'channel unarchived');
  });
}
