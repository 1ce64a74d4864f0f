import type { DigestRow } from '../store/store.ts';
import { nextDigestAt, offsetMinutes, scheduledFeedDay } from './local-time.ts';

type NextPost =
  /** Its feed day is already due: the next tick posts it, once that day is ingested. */
  | { due: true; feedDay: string }
  | { due: false; at: number; feedDay: string };

/** A digest time can cover the watermark's day again for up to two days after a zone change west. */
const MAX_LOOKAHEAD_DAYS = 5;

/**
 * When the scheduler next posts this digest (`dueDigests` rule): the first moment the covered feed
 * day passes the watermark (`lastFeedDate`). The covered day changes only when the local clock
 * reaches the digest time or when the zone's offset changes (a DST night can move a post by a day,
 * see scheduledFeedDay), so those instants are the candidates. A scheduled time whose day was
 * already posted (the time moved later on the day of a post, or the zone moved west) posts nothing,
 * so the next local time is not always the next post.
 */
export function nextPost(digest: Pick<DigestRow, 'time' | 'timezone' | 'lastFeedDate'>, now: number): NextPost {
  const after = (day: string) => digest.lastFeedDate === null || day > digest.lastFeedDate;
  const current = scheduledFeedDay(digest.time, digest.timezone, now);
  if (after(current)) return { due: true, feedDay: current };
  const candidates: number[] = [];
  for (let at = now, step = 0; step < MAX_LOOKAHEAD_DAYS; step += 1) {
    at = nextDigestAt(digest.time, digest.timezone, at);
    candidates.push(at);
  }
  const last = candidates.at(-1) ?? now;
  candidates.push(...offsetChanges(digest.timezone, now, last));
  candidates.sort((a, b) => a - b);
  const at = candidates.find((candidate) => after(scheduledFeedDay(digest.time, digest.timezone, candidate))) ?? last;
  return { due: false, at, feedDay: scheduledFeedDay(digest.time, digest.timezone, at) };
}

const HOUR = 60 * 60_000;

/** Instants in (from, to] at which the zone's UTC offset changes (to the minute): DST transitions. */
function offsetChanges(timeZone: string, from: number, to: number): number[] {
  const changes: number[] = [];
  // Offsets change at most once in a few hours: compare them every 6 h, then bisect to the minute.
  for (let start = from; start < to; start += 6 * HOUR) {
    let low = start;
    let high = Math.min(start + 6 * HOUR, to);
    const before = offsetMinutes(low, timeZone);
    if (offsetMinutes(high, timeZone) === before) continue;
    while (high - low > 60_000) {
      const middle = low + Math.floor((high - low) / 120_000) * 60_000;
      if (offsetMinutes(middle, timeZone) === before) low = middle;
      else high = middle;
    }
    changes.push(high);
  }
  return changes;
}
