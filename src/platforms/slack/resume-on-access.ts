import type { App } from '@slack/bolt';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { scheduledFeedDay } from '../../digest/local-time.ts';

const MemberJoined = z.looseObject({ user: z.string(), channel: z.string() });
const ChannelEvent = z.looseObject({ channel: z.string() });

/**
 * Paused digests (not_in_channel, is_archived…) resume when access returns: the bot is invited
 * to the channel (member_joined_channel for the bot user) or the channel is unarchived. If access
 * is still missing, the next post pauses the digest again.
 */
export function resumeDigestsOnAccess(app: App, deps: Pick<Deps, 'store' | 'clock' | 'log'>, botUserId: string): void {
  const log = deps.log.child({ module: 'slack', platform: 'slack' });
  const resume = async (channelId: string, why: string) => {
    const now = deps.clock.now();
    try {
      // A resumed digest starts at the feed day its latest scheduled time covered: missed days are not posted.
      const resumed = await deps.store.resumeTarget('slack', channelId, (time, zone) => scheduledFeedDay(time, zone, now), now);
      if (resumed) log.info({ channelId, why }, 'resumed paused digest');
    } catch (err) {
      // The digest stays paused; the next invite or unarchive tries again.
      log.error({ err, channelId, why }, 'could not resume a paused digest');
    }
  };
  app.event('member_joined_channel', async ({ event }) => {
    const parsed = MemberJoined.safeParse(event);
    if (parsed.success && parsed.data.user === botUserId) await resume(parsed.data.channel, 'bot invited to the channel');
  });
  app.event('channel_unarchive', async ({ event }) => {
    const parsed = ChannelEvent.safeParse(event);
    if (parsed.success) await resume(parsed.data.channel, 'channel unarchived');
  });
}
