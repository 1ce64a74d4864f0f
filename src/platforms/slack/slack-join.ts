import type { webApi } from '@slack/bolt';
import type { Logger } from '../../log.ts';
import { slackErrorCode } from './map-slack-error.ts';

// The one place the bot joins a Slack channel. chat:write.public lets it post in a public channel
// it is not in, but some calls still answer not_in_channel (reading history to reconcile, a
// workspace that requires membership): then it joins once and tries again. A private channel,
// or a workspace that forbids joining, needs an invitation: the join is refused.

/** How `attempt` went in a channel the bot may have had to join first. */
export type AsMember<T> =
  | { outcome: 'done'; value: T }
  /** `attempt` failed with `error` (Slack's, unmapped); `joined`: on its second try, after joining. */
  | { outcome: 'failed'; error: unknown; joined: boolean }
  /** `attempt` answered not_in_channel and Slack refused the join with `error`. */
  | { outcome: 'join-refused'; error: unknown };

const settle = <T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> =>
  promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

/** `attempt`; in a channel (`isChannel`), on not_in_channel: join `channel` once and run `attempt` again. */
export async function asMember<T>(client: webApi.WebClient, log: Logger, channel: string, isChannel: boolean, attempt: () => Promise<T>): Promise<AsMember<T>> {
  const first = await settle(attempt());
  if (first.ok) return { outcome: 'done', value: first.value };
  if (!isChannel || slackErrorCode(first.error) !== 'not_in_channel') return { outcome: 'failed', error: first.error, joined: false };
  const join = await settle(client.conversations.join({ channel }));
  if (!join.ok) return { outcome: 'join-refused', error: join.error };
  log.info({ channel }, 'joined the channel');
  const second = await settle(attempt());
  return second.ok ? { outcome: 'done', value: second.value } : { outcome: 'failed', error: second.error, joined: true };
}
