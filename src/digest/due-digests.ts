import { addDays, daysBetween } from '../clock.ts';
import type { DigestRow } from '../store/store.ts';
import { scheduledFeedDay } from './local-time.ts';

export type DueDigest = {
  digest: DigestRow;
  /** Feed days this post covers, oldest first: one normally, several after downtime. */
  feedDates: string[];
  /** Several days collapsed into one "while I was offline" post. */
  offline: boolean;
  /** Older missed days beyond `maxDays`, dropped (the watermark still moves past them). */
  dropped: string[];
};

/** A long outage posts at most this many days in its one catch-up post. */
const MAX_OFFLINE_DAYS = 7;

/**
 * Which channels must post now, and which feed day(s). Pure: decided from each row's watermark
 * (`lastFeedDate`, the last day already enqueued), so ticking every minute, or again after a
 * restart, finds nothing new until the next day is due.
 *
 * A digest is due when the feed day of its most recent scheduled time (see `scheduledFeedDay`:
 * local yesterday, never a UTC day still running), capped at `latestCompleteFeedDay`, is after
 * the watermark. All days between the watermark and that day go into ONE post.
 * Disabled and paused digests are never due. An arXiv digest (`source=arxiv`) is due once per
 * scheduled time, the day of which is its watermark; `source=all` follows the feed days.
 */
export function dueDigests(
  configs: DigestRow[],
  now: number,
  latestCompleteFeedDay: string | null,
  options: { maxDays?: number } = {},
): DueDigest[] {
  const maxDays = options.maxDays ?? MAX_OFFLINE_DAYS;
  const due: DueDigest[] = [];
  for (const digest of configs) {
    if (!digest.enabled || digest.pausedReason !== null) continue;
    const scheduled = scheduledFeedDay(digest.time, digest.timezone, now);
    // An arXiv digest waits for no Hugging Face day: each scheduled time (its slot, named like the
    // feed day it would cover) looks for an announcement not posted yet. Missed slots are one.
    if (digest.source === 'arxiv') {
      if (digest.lastFeedDate === null || digest.lastFeedDate < scheduled) due.push({ digest, feedDates: [scheduled], offline: false, dropped: [] });
      continue;
    }
    if (latestCompleteFeedDay === null) continue;
    const target = scheduled < latestCompleteFeedDay ? scheduled : latestCompleteFeedDay;
    if (digest.lastFeedDate !== null && digest.lastFeedDate >= target) continue;
    const days = digest.lastFeedDate === null ? [target] : daysBetween(addDays(digest.lastFeedDate, 1), target);
    const feedDates = days.slice(-maxDays);
    due.push({ digest, feedDates, offline: feedDates.length > 1, dropped: days.slice(0, days.length - feedDates.length) });
  }
  return due;
}
