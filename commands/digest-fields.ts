import type { DigestRow } from '../src/store/digests.ts';
import { nextDigestAt } from '../src/digest/local-time.ts';
import { formatLocal } from './format-local.ts';

/** The `Next post` line: when the channel's clock next shows its digest time. */
export function nextPostText(digest: DigestRow, now: Date): string {
  if (!digest.enabled) return 'off (`/papers digest set` turns it back on)';
  if (digest.pausedReason !== null) return `paused: ${pausedText(digest.pausedReason)}`;
  return formatLocal(nextDigestAt(digest.time, digest.timezone, now), digest.timezone, now);
}

/** Key/value rows describing a channel's digest, for `digest set` and `digest show`. */
export function digestFields(digest: DigestRow, now: Date): Array<{ name: string; value: string }> {
  return [
    { name: 'Time', value: `${digest.time} ${digest.timezone}` },
    { name: 'Papers', value: `top ${digest.top}${digest.minUpvotes > 0 ? `, at least ${digest.minUpvotes} upvotes` : ''}` },
    { name: 'Query', value: digest.query === '' ? 'every paper' : digest.query },
    { name: 'Empty days', value: digest.postWhenEmpty ? 'post a short note' : 'stay quiet' },
    { name: 'Next post', value: nextPostText(digest, now) },
    { name: 'Last day posted', value: digest.lastFeedDate ?? 'none yet' },
  ];
}

function pausedText(reason: string): string {
  if (reason === 'channel_gone') return 'the channel is gone or I was removed from it';
  if (reason === 'missing_access') return 'I lost access to this channel; give it back and run `/papers digest set`';
  return reason;
}
