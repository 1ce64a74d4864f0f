import type { webApi } from '@slack/bolt';
import { PermanentError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import { deliveryMetadata, type DeliveryMetadata } from './delivery-metadata.ts';
import { slackErrorCode } from './map-slack-error.ts';
import { withoutImages, type SlackPart } from './render-blocks.ts';

/** Posts one part of a delivery to a channel (in a thread when `threadTs`); returns its ts. */
type PostPart = (channel: string, part: SlackPart, meta: DeliveryMetadata, threadTs?: string) => Promise<string>;

/**
 * chat.postMessage for the outbox, paced per channel. When Slack cannot fetch a thumbnail
 * (`invalid_blocks`) the part is posted once more without images. Errors are Slack's, unmapped.
 */
export function createPostPart(client: webApi.WebClient, paced: <T>(channel: string, call: () => Promise<T>) => Promise<T>, log: Logger): PostPart {
  async function postOnce(channel: string, part: SlackPart, meta: DeliveryMetadata, threadTs?: string): Promise<string> {
    const result = await paced(channel, () => client.chat.postMessage({
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
    }));
    if (!result.ts) throw new PermanentError('chat.postMessage answered without a message ts', { reason: 'rejected' });
    return result.ts;
  }

  return async (channel, part, meta, threadTs) => {
    try {
      return await postOnce(channel, part, meta, threadTs);
    } catch (err) {
      const plain = slackErrorCode(err) === 'invalid_blocks' ? withoutImages(part) : null;
      if (!plain) throw err;
      log.warn({ key: meta.key, part: meta.part }, 'Slack refused the blocks (an image it could not fetch?); posting without thumbnails');
      return postOnce(channel, plain, meta, threadTs);
    }
  };
}
