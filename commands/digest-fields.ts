import { addDays, toFeedDate } from '../src/clock.ts';
import type { Deps } from '../src/deps.ts';
import { announcementOfKey, lastFeedDayOfKey } from '../src/digest/enqueue-digest.ts';
import { nextPost } from '../src/digest/next-post.ts';
import type { DigestRow } from '../src/store/store.ts';
import { formatLocal } from './format-local.ts';

/**
 * The `Next post` line: when the scheduler posts next (not merely when the clock next shows the
 * digest time: a time whose feed day was already posted posts nothing), and which feed day.
 */
export async function nextPostText(deps: Pick<Deps, 'store'>, digest: DigestRow, now: number): Promise<string> {
  if (!digest.enabled) return 'off (`/papers digest set` turns it back on)';
  if (digest.pausedReason !== null) return `paused: ${pausedText(digest.pausedReason)}`;
  const next = nextPost(digest, now);
  if (digest.source === 'arxiv') {
    // Each scheduled time posts the latest announcement not posted yet, if any (no feed day to wait for).
    const when = next.due ? 'at the next minute' : formatLocal(next.at, digest.timezone, now);
    return `${when}, if arXiv announced since the last post`;
  }
  if (!next.due) return `${formatLocal(next.at, digest.timezone, now)}, for feed day ${next.feedDay}`;
  // The tick posts a due day only once an ingest that started after the day ended stored it.
  // (`dueDigests`: it posts up to the latest complete day, then the rest when it is ingested).
  const complete = await deps.store.latestCompleteFeedDay(toFeedDate(now));
  const upTo = complete !== null && complete < next.feedDay ? complete : next.feedDay;
  if (complete !== null && (digest.lastFeedDate === null || upTo > digest.lastFeedDate)) return `at the next minute, for feed day ${upTo}`;
  return `as soon as feed day ${digest.lastFeedDate === null ? next.feedDay : addDays(digest.lastFeedDate, 1)} is ingested`;
}

/**
 * The `Last day posted` line, from the outbox: the digest's watermark cannot say, since a new
 * digest starts it at the last day it would have covered, before anything was posted.
 */
async function lastPostText(deps: Pick<Deps, 'store'>, digest: DigestRow): Promise<string> {
  const post = await deps.store.latestDigestPost(digest.platform, digest.channelId);
  const announcement = post && announcementOfKey(post.idempotencyKey);
  const day = post && (announcement ? `arXiv announcement of ${announcement}` : lastFeedDayOfKey(post.idempotencyKey));
  if (!post || !day) return 'not posted yet';
  return post.state === 'sent' ? day : `${day} is queued, not posted yet`;
}

/** Key/value rows describing a channel's digest, for `digest set` and `digest show`. */
export async function digestFields(deps: Pick<Deps, 'store' | 'clock' | 'config'>, digest: DigestRow): Promise<Array<{ name: string; value: string }>> {
  const now = deps.clock.now();
  const lastPost = await lastPostText(deps, digest);
  return [
    { name: 'Source', value: sourceText(digest.source, deps.config.ARXIV_CATEGORIES) },
    { name: 'Time', value: `${digest.time} ${digest.timezone}` },
    { name: 'Papers', value: papersText(digest) },
    { name: 'Query', value: digest.query === '' ? 'every paper' : digest.query },
    { name: 'Empty days', value: digest.postWhenEmpty ? 'post a short note' : 'stay quiet' },
    { name: 'Follow-ups', value: followupsText(digest) },
    { name: 'Next post', value: await nextPostText(deps, digest, now) },
    { name: 'Last day posted', value: lastPost },
  ];
}

// An arXiv digest keeps min_upvotes, sort and followups (for a later source=hf or all), but they
// do not act on its posts: most new arXiv papers have no upvotes to filter, rank or follow.
function papersText(digest: DigestRow): string {
  if (digest.source === 'arxiv') {
    const unused = digest.minUpvotes > 0 || digest.sort === 'rising';
    return `top ${digest.top}${unused ? ' (min_upvotes and sort apply to Daily Papers only)' : ''}`;
  }
  return `top ${digest.top}${digest.minUpvotes > 0 ? `, at least ${digest.minUpvotes} upvotes` : ''}${digest.sort === 'rising' ? ', rising first' : ''}`;
}

function followupsText(digest: DigestRow): string {
  if (digest.source === 'arxiv') return "none: they follow Daily Papers' upvotes";
  return digest.followups ? "in the post's thread (late risers, code released)" : 'off';
}

function pausedText(reason: string): string {
  if (reason === 'channel_gone') return 'the channel is gone or I was removed from it';
  if (reason === 'missing_access') return 'I lost access to this channel; give it back and run `/papers digest set`';
  return reason;
}

/** The `Source` line; an arXiv source turned off since the digest was set says so. */
export function sourceText(source: string, categories: readonly string[]): string {
  if (source === 'hf') return 'Hugging Face Daily Papers';
  const arxiv = categories.length === 0 ? 'arXiv (off on this server: ARXIV_CATEGORIES is empty, so nothing from arXiv is posted)' : `the latest arXiv announcement in ${categories.join(', ')}`;
  return source === 'arxiv' ? arxiv : `Daily Papers first, then ${arxiv}`;
}
