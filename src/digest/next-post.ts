import type { DigestRow } from '../store/store.ts';
import { nextDigestAt, scheduledFeedDay } from './local-time.ts';

export type NextPost =
  /** Its feed day is already due: the next tick posts it, once that day is ingested. */
  | { due: true; feedDay: string }
  | { due: false; at: Date; feedDay: string };

/** A digest time can cover the watermark's day again for up to two days after a zone change west. */
const MAX_LOOKAHEAD_DAYS = 5;

/**
 * When the scheduler next posts this digest (`dueDigests` rule): the first scheduled time whose
 * covered feed day is after the watermark (`lastFeedDate`). A scheduled time whose day was already
 * posted (the time moved later on the day of a post, or the zone moved west) posts nothing, so
 * the next local time is not always the next post.
 */
export function nextPost(digest: Pick<DigestRow, 'time' | 'timezone' | 'lastFeedDate'>, now: Date): NextPost {
  const after = (day: string) => digest.lastFeedDate === null || day > digest.lastFeedDate;
  const current = scheduledFeedDay(digest.time, digest.timezone, now);
  if (after(current)) return { due: true, feedDay: current };
  let at = nextDigestAt(digest.time, digest.timezone, now);
  for (let step = 0; step < MAX_LOOKAHEAD_DAYS && !after(scheduledFeedDay(digest.time, digest.timezone, at)); step += 1) {
    at = nextDigestAt(digest.time, digest.timezone, at);
  }
  return { due: false, at, feedDay: scheduledFeedDay(digest.time, digest.timezone, at) };
}
