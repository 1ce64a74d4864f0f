import type { Deps } from '../deps.ts';
import { UserError } from '../errors.ts';
import type { ChannelRef, DigestRow } from '../store/store.ts';
import { DEFAULT_TOP, type DigestOptions } from './digest-options.ts';
import { lastFeedDayOfKey } from './enqueue-digest.ts';
import { scheduledFeedDay } from './local-time.ts';
import { timeZoneName } from './time-zone-name.ts';

/** `9:00` → `09:00` (the schema accepted H:MM). */
function paddedTime(time: string): string {
  const [hours = '0', minutes = '00'] = time.split(':');
  return `${hours.padStart(2, '0')}:${minutes}`;
}

/**
 * Creates or updates the channel's digest from options `digestOptions` validated (admins only;
 * the caller checks). Options not given keep their value; a first `set` takes the config's time
 * and zone and the top 5. Setting a digest also re-enables a disabled one and resumes a paused
 * one; it then starts at the feed day its most recent scheduled time already covered, so it never
 * posts old days: the first post is at the next due time. `source=arxiv` or `all` without an
 * arXiv source (ARXIV_CATEGORIES empty) is a UserError.
 */
export async function setDigest(deps: Pick<Deps, 'config' | 'store' | 'clock'>, channel: ChannelRef, userId: string, options: DigestOptions): Promise<DigestRow> {
  if (options.source !== undefined && options.source !== 'hf' && deps.config.ARXIV_CATEGORIES.length === 0) {
    // A digest that could never post its arXiv part is refused rather than saved.
    throw new UserError(
      'bad_option',
      `source=${options.source} needs the arXiv source, which is off on this server: the operator sets ARXIV_CATEGORIES (e.g. cs.CL,cs.LG) to read arXiv listings. Use source=hf meanwhile.`,
    );
  }
  const now = deps.clock.now();
  const timezone = options.timezone === undefined ? undefined : (timeZoneName(options.timezone) ?? options.timezone);
  return deps.store.saveDigest({
    channel,
    userId,
    patch: {
      ...(options.time === undefined ? {} : { time: paddedTime(options.time) }),
      ...(timezone === undefined ? {} : { timezone }),
      ...(options.top === undefined ? {} : { top: options.top }),
      ...(options.min_upvotes === undefined ? {} : { minUpvotes: options.min_upvotes }),
      ...(options.query === undefined ? {} : { query: options.query }),
      ...(options.post_when_empty === undefined ? {} : { postWhenEmpty: options.post_when_empty }),
      ...(options.sort === undefined ? {} : { sort: options.sort }),
      ...(options.followups === undefined ? {} : { followups: options.followups }),
      ...(options.source === undefined ? {} : { source: options.source }),
    },
    defaults: {
      time: deps.config.DEFAULT_DIGEST_TIME,
      timezone: timeZoneName(deps.config.DEFAULT_TIMEZONE) ?? deps.config.DEFAULT_TIMEZONE,
      top: DEFAULT_TOP,
      minUpvotes: 0,
      query: '',
      postWhenEmpty: false,
    },
    startFeedDay: (time, zone) => scheduledFeedDay(time, zone, now),
    postedFeedDay: lastFeedDayOfKey,
    now,
  });
}
