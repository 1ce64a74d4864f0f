import type { webApi } from '@slack/bolt';
import type { Deps } from '../../deps.ts';
import { PermanentError, TransientError } from '../../errors.ts';
import type { Message } from '../../messages/message.ts';
import type { DeliveryRef, Sender, SendTarget } from '../../platform.ts';
import { mapSlackError, slackErrorCode } from './map-slack-error.ts';
import { renderBlocks, type SlackPart } from './render-blocks.ts';
import { createPacer } from '../../delivery/pacer.ts';
import { createPostPart } from './slack-post.ts';
import { asMember } from './slack-join.ts';
import { findHeadInChannel, partsInThread } from './slack-reconcile.ts';

type SlackSenderHooks = {
  /** Called once when Slack refuses the token (the adapter stops itself). */
  onAuthFailure(err: PermanentError): void;
};

/** How far a split message got in this process, so a retry resumes instead of repeating the head. */
type Progress = { channel: string; headTs: string; posted: number };

/**
 * The gap between one post's answer and the next post to that channel: Slack allows ~1 message/s
 * per channel, and a post reaches Slack before its answer comes back, so 10 ms of margin is enough.
 */
const SLACK_CHANNEL_INTERVAL_MS = 1_010;

/**
 * The Slack side of the outbox. Digests go to channels, alerts to DMs (conversations.open),
 * follow-ups to the thread of their digest message. A message too big for one post is split:
 * the first part in the channel, the rest as replies in its thread (a follow-up's parts all go to
 * the digest's thread). Every part carries the delivery key in its metadata
 * (delivery-metadata.ts), which is how an interrupted delivery is found again (slack-reconcile.ts).
 * `channelIntervalMs` is for tests of what the pacing does not change, which need not wait 1 s a post.
 */
export function createSlackSender(deps: Deps, client: webApi.WebClient, hooks: SlackSenderHooks, channelIntervalMs = SLACK_CHANNEL_INTERVAL_MS): Sender {
  const log = deps.log.child({ module: 'slack' });
  const dmChannels = new Map<string, string>();
  const progress = new Map<string, Progress>();
  // chat.postMessage allows about one message per second per channel: space them, not 429s.
  const post = createPostPart(client, createPacer(channelIntervalMs), log);
  let authFailed = false;

  /** Maps a failure for the outbox, and reports a refused token once. */
  function failure(err: unknown, target: SendTarget, hint = ''): TransientError | PermanentError {
    const mapped = mapSlackError(err, target.kind, hint);
    if (mapped instanceof PermanentError && mapped.reason === 'auth' && !authFailed) {
      authFailed = true;
      hooks.onAuthFailure(mapped);
    }
    return mapped;
  }

  async function channelOf(target: SendTarget): Promise<string> {
    if (target.kind === 'channel') return target.id;
    const known = dmChannels.get(target.id);
    if (known) return known;
    let opened: webApi.ConversationsOpenResponse;
    try {
      opened = await client.conversations.open({ users: target.id });
    } catch (err) {
      throw failure(err, target);
    }
    const id = opened.channel?.id;
    if (!id) throw new PermanentError(`conversations.open gave no channel for ${target.id}`, { reason: 'dm_closed' });
    dmChannels.set(target.id, id);
    return id;
  }

  /** Posts the head; on not_in_channel joins the (public) channel once and posts again (slack-join.ts). */
  async function postHead(target: SendTarget, channel: string, part: SlackPart, meta: { key: string; part: number; parts: number }): Promise<string> {
    const result = await asMember(client, log, channel, target.kind === 'channel', () => post(channel, part, meta));
    if (result.outcome === 'done') return result.value;
    if (result.outcome === 'failed') throw failure(result.error, target, result.joined ? inviteHint(channel) : '');
    // A private channel, or a workspace that forbids joining: only an invitation helps.
    const code = slackErrorCode(result.error);
    log.warn({ channel, error: code ?? String(result.error) }, 'could not join the channel');
    const mapped = mapSlackError(result.error, 'channel');
    if (mapped instanceof PermanentError && mapped.reason === 'rejected') {
      throw new PermanentError(`Slack refused: not_in_channel, and joining failed (${code ?? 'unknown'}). ${inviteHint(channel)}`, { cause: result.error, reason: 'missing_access' });
    }
    throw failure(result.error, target, inviteHint(channel));
  }

  /** Posts the parts after `state.posted` of a delivery in `threadTs`, recording progress so a transient failure resumes there. */
  async function postRest(target: SendTarget, parts: SlackPart[], delivery: DeliveryRef, state: Progress, threadTs: string): Promise<void> {
    for (let i = state.posted; i < parts.length; i += 1) {
      const part = parts[i];
      if (!part) break;
      try {
        const ts = await post(state.channel, part, { key: delivery.key, part: i + 1, parts: parts.length }, threadTs);
        if (i === 0) state.headTs = ts;
      } catch (err) {
        const mapped = failure(err, target);
        // Transient: the retry resumes here. Permanent: the delivery is over, forget it.
        if (!(mapped instanceof TransientError)) progress.delete(delivery.key);
        throw mapped;
      }
      state.posted = i + 1;
    }
  }

  /**
   * A follow-up, in the digest message's thread (`parentId` is the digest's `channel:ts`). The
   * thread is read first: it tells whether the digest message still exists (Slack would post a
   * reply to a deleted message at the channel's root) and which parts an earlier attempt posted.
   */
  async function sendFollowup(target: SendTarget, parentId: string, parts: SlackPart[], delivery: DeliveryRef): Promise<{ messageId: string }> {
    const threadTs = parentId.slice(parentId.indexOf(':') + 1);
    let found: Awaited<ReturnType<typeof partsInThread>>;
    try {
      found = await partsInThread(client, target.id, threadTs, delivery.key);
    } catch (err) {
      throw failure(err, target);
    }
    if (found === null) throw new PermanentError(`the digest message ${parentId} of a follow-up is gone`, { reason: 'thread_gone' });
    const present = new Set(found.map((meta) => meta.part));
    const state: Progress = { channel: target.id, headTs: found.find((meta) => meta.part === 1)?.ts ?? '', posted: 0 };
    while (state.posted < parts.length && present.has(state.posted + 1)) state.posted += 1;
    await postRest(target, parts, delivery, state, threadTs);
    return { messageId: `${target.id}:${state.headTs}` };
  }

  async function send(target: SendTarget, message: Message, delivery: DeliveryRef): Promise<{ messageId: string }> {
    const parts = renderBlocks(message, { mode: 'parts' });
    const [head] = parts;
    if (!head) throw new PermanentError('nothing to send', { reason: 'rejected_message' });
    if (target.thread) return sendFollowup(target, target.thread.parentId, parts, delivery);
    let state = progress.get(delivery.key);
    if (!state) {
      const channel = await channelOf(target);
      state = { channel, headTs: await postHead(target, channel, head, { key: delivery.key, part: 1, parts: parts.length }), posted: 1 };
      progress.set(delivery.key, state);
    }
    await postRest(target, parts, delivery, state, state.headTs);
    progress.delete(delivery.key);
    return { messageId: `${state.channel}:${state.headTs}` };
  }

  /**
   * The message id if the whole delivery reached Slack before a crash, else null. A split message
   * whose head arrived but not every thread reply answers null too, with its progress recorded:
   * the retry posts only the missing replies under that head, never the head again. A follow-up
   * answers null: resending it reads its thread first and posts only what is missing.
   */
  async function findSent(target: SendTarget, delivery: DeliveryRef): Promise<string | null> {
    if (target.thread) return null;
    const channel = await channelOf(target);
    let head: Awaited<ReturnType<typeof findHeadInChannel>>;
    try {
      head = await findHeadInChannel(client, log, channel, delivery.key, target.kind === 'channel');
    } catch (err) {
      throw failure(err, target);
    }
    if (!head) return null;
    if (head.parts > 1) {
      let found: Awaited<ReturnType<typeof partsInThread>>;
      try {
        found = await partsInThread(client, channel, head.ts, delivery.key);
      } catch (err) {
        throw failure(err, target);
      }
      const present = new Set((found ?? []).map((meta) => meta.part));
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
