import type { Deps } from '../src/deps.ts';
import { lastFeedDayOfKey } from '../src/digest/enqueue-digest.ts';
import { nextDigestAt } from '../src/digest/local-time.ts';
import type { DigestRow } from '../src/store/store.ts';
import { formatLocal } from './format-local.ts';

/** The `Next post` line: when the channel's clock next shows its digest time. */
export function nextPostText(digest: DigestRow, now: Date): string {
  if (!digest.enabled) return 'off (`/papers digest set` turns it back on)';
  if (digest.pausedReason !== null) return `paused: ${pausedText(digest.pausedReason)}`;
  return formatLocal(nextDigestAt(digest.time, digest.timezone, now), digest.timezone, now);
}

/**
 * The `Last day posted` line, from the outbox: the digest's watermark cannot say, since a new
 * digest starts it at the last day it would have covered, before anything was posted.
 */
async function lastPostText(deps: Pick<Deps, 'store'>, digest: DigestRow): Promise<string> {
  const post = await deps.store.latestDigestPost(digest.platform, digest.channelId);
  const day = post && lastFeedDayOfKey(post.idempotencyKey);
  if (!post || !day) return 'not posted yet';
  return post.state === 'sent' ? day : `${day} is queued, not posted yet`;
}

/** Key/value rows describing a channel's digest, for `digest set` and `digest show`. */
export async function digestFields(deps: Pick<Deps, 'store' | 'clock'>, digest: DigestRow): Promise<Array<{ name: string; value: string }>> {
  const now = deps.clock.now();
  const lastPost = await lastPostText(deps, digest);
  return [
    { name: 'Time', value: `${digest.time} ${digest.timezone}` },
    { name: 'Papers', value: `top ${digest.top}${digest.minUpvotes > 0 ? `, at least ${digest.minUpvotes} upvotes` : ''}` },
    { name: 'Query', value: digest.query === '' ? 'every paper' : digest.query },
    { name: 'Empty days', value: digest.postWhenEmpty ? 'post a short note' : 'stay quiet' },
    { name: 'Next post', value: nextPostText(digest, now) },
    { name: 'Last day posted', value: lastPost },
  ];
}

function pausedText(reason: string): string {
  if (reason === 'channel_gone') return 'the channel is gone or I was removed from it';
  if (reason === 'missing_access') return 'I lost access to this channel; give it back and run `/papers digest set`';
  return reason;
}
