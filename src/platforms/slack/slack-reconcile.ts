import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import type { Logger } from '../../log.ts';
import { readDeliveryMetadata, type DeliveryMetadata } from './delivery-metadata.ts';
import { slackErrorCode } from './map-slack-error.ts';
import { asMember } from './slack-join.ts';

// What Slack already has of a delivery, read back from its metadata (delivery-metadata.ts):
// the start-up reconciliation of rows a crash left 'sending', and the check a follow-up makes
// before posting in a thread.

/** Messages looked at when checking whether an interrupted delivery arrived (newest first). */
const HISTORY_PAGE = 200;
const HISTORY_PAGES = 3;
const REPLIES_LIMIT = 200;

const Subtype = z.looseObject({ subtype: z.string().optional() });

type Found = DeliveryMetadata & { ts: string };

/** The head (part 1) of delivery `key` among the channel's recent messages, or null. */
async function findHead(client: webApi.WebClient, channel: string, key: string): Promise<Found | null> {
  let cursor: string | undefined;
  for (let page = 0; page < HISTORY_PAGES; page += 1) {
    const history = await client.conversations.history({ channel, include_all_metadata: true, limit: HISTORY_PAGE, ...(cursor ? { cursor } : {}) });
    for (const entry of history.messages ?? []) {
      const meta = readDeliveryMetadata(entry);
      if (meta && meta.key === key && meta.part === 1) return meta;
    }
    cursor = history.response_metadata?.next_cursor || undefined;
    if (!history.has_more || !cursor) return null;
  }
  return null;
}

/**
 * The head of delivery `key` in the channel's history. Reading history needs membership
 * (chat:write.public posts without it): on not_in_channel the bot joins a public channel once;
 * where it cannot (a private channel) the post cannot have arrived either: null. Other errors
 * are thrown, unmapped.
 */
export async function findHeadInChannel(client: webApi.WebClient, log: Logger, channel: string, key: string, isChannel: boolean): Promise<Found | null> {
  const result = await asMember(client, log, channel, isChannel, () => findHead(client, channel, key));
  if (result.outcome === 'done') return result.value;
  if (result.outcome === 'failed') throw result.error;
  log.warn({ channel, error: slackErrorCode(result.error) ?? String(result.error) }, 'cannot read the channel to check an interrupted delivery');
  return null;
}

/**
 * The parts of delivery `key` found in the thread of `threadTs`; null when the thread's parent
 * message is gone (deleted). Errors other than thread_not_found are thrown, unmapped.
 */
export async function partsInThread(client: webApi.WebClient, channel: string, threadTs: string, key: string): Promise<Found[] | null> {
  let replies: webApi.ConversationsRepliesResponse;
  try {
    replies = await client.conversations.replies({ channel, ts: threadTs, include_all_metadata: true, limit: REPLIES_LIMIT });
  } catch (err) {
    if (slackErrorCode(err) === 'thread_not_found') return null;
    throw err;
  }
  const [parent] = replies.messages ?? [];
  // A deleted parent that still has replies stays as a tombstone.
  if (!parent || parent.ts !== threadTs || Subtype.safeParse(parent).data?.subtype === 'tombstone') return null;
  return (replies.messages ?? []).map(readDeliveryMetadata).filter((meta): meta is Found => meta !== null && meta.key === key);
}
