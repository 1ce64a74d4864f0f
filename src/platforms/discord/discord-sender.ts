import { createHash } from 'node:crypto';
import { Routes, type REST, type RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import type { Message } from '../../messages/message.ts';
import type { DeliveryRef, Sender, SendTarget } from '../../platform.ts';
import { createRateWindow } from '../../delivery/pacer.ts';
import { MAX_NONCE } from './limits.ts';
import { mapDiscordError } from './map-discord-error.ts';
import { noMentions } from './reply-options.ts';
import { renderEmbeds } from './render-embeds.ts';
import { sendInThread, type DiscordPost } from './send-in-thread.ts';

// Digests (channel messages) and alerts (DMs) from the outbox. Sent through the client's REST
// instance, so interaction replies and deliveries share one view of Discord's rate limits, and
// 429s are waited out by @discordjs/rest itself.

const CreatedMessage = z.object({ id: z.string() });
const DmChannel = z.object({ id: z.string() });

/** DM channels remembered at most; a forgotten one is simply opened again (the call is idempotent). */
const MAX_DM_CHANNELS = 10_000;

/**
 * Same delivery, same nonce: with `enforce_nonce` Discord answers a repeated create (a retry after
 * a lost response, a restart mid-send) with the message it already made. A hash keeps any
 * idempotency key within the 25-character limit.
 */
function nonceFor(deliveryKey: string): string {
  return createHash('sha256').update(deliveryKey).digest('hex').slice(0, MAX_NONCE);
}

function messageBody(message: Message, delivery: DeliveryRef): RESTPostAPIChannelMessageJSONBody {
  const { embeds, components } = renderEmbeds(message);
  return { embeds, components, allowed_mentions: noMentions, nonce: nonceFor(delivery.key), enforce_nonce: true };
}

/**
 * Discord allows a bot 50 requests in any second. Deliveries stay under it: a request starts 1,010
 * ms after the answer to the one 50 requests before it (createRateWindow), at least 10 ms apart.
 */
const DELIVERY_RATE = { limit: 50, windowMs: 1010, spacingMs: 10 };

/** Throws TransientError or PermanentError (reasons: dm_closed, channel_gone, missing_access, auth, rejected, thread_gone, bad_response). */
export function createDiscordSender(deps: Pick<Deps, 'log'>, rest: REST): Sender {
  const log = deps.log.child({ module: 'discord', platform: 'discord' });
  const dmChannels = new Map<string, string>();
  // Paced from the very first request: @discordjs/rest counts its global limit in fixed windows
  // from its first request, so a burst at the end of one window and one at the start of the next
  // meet within a second and draw 429s. Every delivery request (DM channel and message) goes here.
  const paced = createRateWindow(DELIVERY_RATE);

  async function openDm(userId: string): Promise<string> {
    const known = dmChannels.get(userId);
    if (known) return known;
    const channel = DmChannel.parse(await paced(() => rest.post(Routes.userChannels(), { body: { recipient_id: userId } })));
    if (dmChannels.size >= MAX_DM_CHANNELS) dmChannels.clear();
    dmChannels.set(userId, channel.id);
    return channel.id;
  }

  /** A follow-up: in the digest message's thread (send-in-thread.ts). */
  async function sendFollowup(target: SendTarget, thread: NonNullable<SendTarget['thread']>, message: Message, delivery: DeliveryRef): Promise<{ messageId: string }> {
    const post: DiscordPost = (route, body) => paced(() => rest.post(route, { body }));
    try {
      return { messageId: await sendInThread(post, target, thread, messageBody(message, delivery), log) };
    } catch (err) {
      log.debug({ err, target, deliveryId: delivery.id }, 'discord follow-up failed');
      throw err;
    }
  }

  async function send(target: SendTarget, message: Message, delivery: DeliveryRef): Promise<{ messageId: string }> {
    if (target.thread) return sendFollowup(target, target.thread, message, delivery);
    try {
      const channelId = target.kind === 'user' ? await openDm(target.id) : target.id;
      const created = CreatedMessage.parse(await paced(() => rest.post(Routes.channelMessages(channelId), { body: messageBody(message, delivery) })));
      return { messageId: created.id };
    } catch (err) {
      if (target.kind === 'user') dmChannels.delete(target.id);
      const mapped = mapDiscordError(err, target);
      log.debug({ err, target, deliveryId: delivery.id, kind: mapped.name }, 'discord send failed');
      throw mapped;
    }
  }

  return { platform: 'discord', send };
}
