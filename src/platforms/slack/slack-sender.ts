import type { webApi } from '@slack/bolt';
import type { Deps } from '../../deps.ts';
import { PermanentError, TransientError } from '../../errors.ts';
import type { Message } from '../../messages/message.ts';
import type { DeliveryRef, Sender, SendTarget } from '../types.ts';
import { deliveryMetadata, readDeliveryMetadata } from './delivery-metadata.ts';
import { mapSlackError, slackErrorCode } from './map-slack-error.ts';
import { renderBlocks, withoutImages, type SlackPart } from './render-blocks.ts';
import { createPacer } from '../../delivery/pacer.ts';

export type SlackSenderHooks = {
  /** Called once when Slack refuses the token (the adapter stops itself). */
  onAuthFailure(err: PermanentError): void;
};

/** How far a split message got in this process, so a retry resumes instead of repeating the head. */
type Progress = { channel: string; headTs: string; posted: number };

/** Messages looked at when checking whether an interrupted delivery arrived (newest first). */
const HISTORY_PAGE = 200;
const HISTORY_PAGES = 3;

/**
 * The Slack side of the outbox. Digests go to channels, alerts to DMs (conversations.open).
 * A message too big for one post is split: the first part in the channel, the rest as replies in
 * its thread. Every part carries the delivery key in its metadata (see delivery-metadata.ts).
 */
/** Delivery posts to one channel at most this often: Slack allows ~1 message/s per channel, and 50 ms of margin absorbs network jitter between two posts. */
export const SLACK_CHANNEL_INTERVAL_MS = 1_050;

export function createSlackSender(deps: Deps, client: webApi.WebClient, hooks: SlackSenderHooks): Sender {
  const log = deps.log.child({ module: 'slack' });
  const dmChannels = new Map<string, string>();
  const progress = new Map<string, Progress>();
  // chat.postMessage allows about one message per second per channel: space them, not 429s.
  const pace = createPacer(SLACK_CHANNEL_INTERVAL_MS);
  let authFailed = false;

  /** Maps a failure and reports a refused token once. */
  function fail(err: unknown, target: SendTarget, hint = ''): never {
    const mapped = mapSlackError(err, target.kind, hint);
    if (mapped instanceof PermanentError && mapped.reason === 'auth' && !authFailed) {
      authFailed = true;
      hooks.onAuthFailure(mapped);
    }
    throw mapped;
  }

  async function channelOf(target: SendTarget): Promise<string> {
    if (target.kind === 'channel') return target.id;
    const known = dmChannels.get(target.id);
    if (known) return known;
    let id: string | undefined;
    try {
      const opened = await client.conversations.open({ users: target.id });
      id = opened.channel?.id;
    } catch (err) {
      fail(err, target);
    }
    if (!id) throw new PermanentError(`conversations.open gave no channel for ${target.id}`, { reason: 'dm_closed' });
    dmChannels.set(target.id, id);
    return id;
  }

  /** Posts one part; when Slack cannot fetch a thumbnail (`invalid_blocks`), once more without images. */
  async function post(channel: string, part: SlackPart, meta: { key: string; part: number; parts: number }, threadTs?: string): Promise<string> {
    try {
      return await postOnce(channel, part, meta, threadTs);
    } catch (err) {
      const plain = slackErrorCode(err) === 'invalid_blocks' ? withoutImages(part) : null;
      if (!plain) throw err;
      log.warn({ key: meta.key, part: meta.part }, 'Slack refused the blocks (an image it could not fetch?); posting without thumbnails');
      return postOnce(channel, plain, meta, threadTs);
    }
  }

  async function postOnce(channel: string, part: SlackPart, meta: { key: string; part: number; parts: number }, threadTs?: string): Promise<string> {
    await pace(channel);
    const result = await client.chat.postMessage({
      channel,
      text: part.text,
      blocks: part.blocks,
      // Links to papers would unfurl into big previews, many per digest.
      unfurl_links: false,
      unfurl_media: false,
      // Never turn "@name" or "#channel" in feed text into mentions.
      link_names: false,
      metadata: deliveryMetadata(meta),
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
    if (!result.ts) throw new PermanentError('chat.postMessage answered without a message ts', { reason: 'rejected' });
    return result.ts;
  }

  /** Posts the head; on not_in_channel joins the (public) channel once and posts again. */
  async function postHead(target: SendTarget, channel: string, part: SlackPart, meta: { key: string; part: number; parts: number }): Promise<string> {
    try {
      return await post(channel, part, meta);
    } catch (err) {
      if (target.kind !== 'channel' || slackErrorCode(err) !== 'not_in_channel') fail(err, target);
    }
    try {
      await client.conversations.join({ channel });
      log.info({ channel }, 'joined the channel to post its digest');
    } catch (err) {
      const code = slackErrorCode(err);
      log.warn({ channel, error: code ?? String(err) }, 'could not join the channel');
      const mapped = mapSlackError(err, 'channel');
      // A private channel (or a workspace that forbids joining): the bot has to be invited.
      if (mapped instanceof PermanentError && mapped.reason === 'rejected') {
        throw new PermanentError(`Slack refused: not_in_channel, and joining failed (${code ?? 'unknown'}). ${inviteHint(channel)}`, { cause: err, reason: 'missing_access' });
      }
      fail(err, target, inviteHint(channel));
    }
    try {
      return await post(channel, part, meta);
    } catch (err) {
      fail(err, target, inviteHint(channel));
    }
  }

  async function send(target: SendTarget, message: Message, delivery: DeliveryRef): Promise<{ messageId: string }> {
    const parts = renderBlocks(message, { mode: 'parts' });
    const meta = (i: number) => ({ key: delivery.key, part: i + 1, parts: parts.length });
    let state = progress.get(delivery.key);
    if (!state) {
      const channel = await channelOf(target);
      const [head] = parts;
      if (!head) throw new PermanentError('nothing to send', { reason: 'rejected_message' });
      state = { channel, headTs: await postHead(target, channel, head, meta(0)), posted: 1 };
      progress.set(delivery.key, state);
    }
    for (let i = state.posted; i < parts.length; i += 1) {
      const part = parts[i];
      if (!part) break;
      try {
        await post(state.channel, part, meta(i), state.headTs);
      } catch (err) {
        // Transient: the retry resumes here. Permanent: the delivery is over, forget it.
        if (!(mapSlackError(err, target.kind) instanceof TransientError)) progress.delete(delivery.key);
        fail(err, target);
      }
      state.posted = i + 1;
    }
    progress.delete(delivery.key);
    return { messageId: `${state.channel}:${state.headTs}` };
  }

  /** Our messages in the channel's recent history, by delivery key. */
  async function findHead(channel: string, key: string) {
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

  async function readHistory(target: SendTarget, channel: string, key: string) {
    try {
      return await findHead(channel, key);
    } catch (err) {
      if (target.kind !== 'channel' || slackErrorCode(err) !== 'not_in_channel') fail(err, target);
    }
    // chat:write.public posts without being a member, but history needs membership.
    try {
      await client.conversations.join({ channel });
    } catch (err) {
      // Not a member and cannot join (a private channel): then the post cannot have arrived either.
      log.warn({ channel, error: slackErrorCode(err) ?? String(err) }, 'cannot read the channel to check an interrupted delivery');
      return null;
    }
    return findHead(channel, key);
  }

  /**
   * The message id if the delivery reached Slack before a crash, else null. A split message
   * whose head arrived is completed here (the missing thread replies are posted), so the outbox
   * can mark it sent without posting the head again.
   */
  async function findSent(target: SendTarget, delivery: DeliveryRef): Promise<string | null> {
    const channel = await channelOf(target);
    const head = await readHistory(target, channel, delivery.key);
    if (!head) return null;
    if (head.parts > 1) {
      let replies: webApi.ConversationsRepliesResponse;
      try {
        replies = await client.conversations.replies({ channel, ts: head.ts, include_all_metadata: true, limit: 200 });
      } catch (err) {
        fail(err, target);
      }
      const present = new Set((replies.messages ?? []).map(readDeliveryMetadata).filter((m) => m?.key === delivery.key).map((m) => m?.part));
      const missing = Array.from({ length: head.parts - 1 }, (_, i) => i + 2).filter((part) => !present.has(part));
      if (missing.length > 0) {
        log.warn({ key: delivery.key, channel, missing }, 'interrupted delivery arrived in part; the rest is sent when it is retried');
        progress.set(delivery.key, { channel, headTs: head.ts, posted: Math.min(...missing) - 1 });
        return null;
      }
    }
    return `${channel}:${head.ts}`;
  }

  return { platform: 'slack', send, findSent };
}

function inviteHint(channel: string): string {
  return `Invite the bot to channel ${channel} (type /invite @paperboy in it), then run /papers digest set there to resume the digest.`;
}
