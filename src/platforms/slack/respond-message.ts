import type { RespondFn } from '@slack/bolt';
import type { Message } from '../../messages/message.ts';
import { renderBlocks, withoutImages, type SlackPart } from './render-blocks.ts';

/**
 * Answers through the interaction's response_url (valid 30 minutes, at most 5 uses): one use
 * per reply, so the reply is rendered to fit one message. Private messages are ephemeral; public
 * ones are posted in the channel. `replace` swaps the message the button was on. If Slack
 * refuses the reply (it could not fetch a thumbnail), it is sent once more without images: two
 * uses at most.
 */
export async function respondMessage(respond: RespondFn, msg: Message, options: { replace: boolean }): Promise<void> {
  const [part] = renderBlocks(msg, { mode: 'single' });
  if (!part) return;
  try {
    await respondWith(respond, msg, part, options);
  } catch (err) {
    const plain = withoutImages(part);
    if (!plain) throw err;
    await respondWith(respond, msg, plain, options);
  }
}

async function respondWith(respond: RespondFn, msg: Message, part: SlackPart, options: { replace: boolean }): Promise<void> {
  if (options.replace) {
    await respond({ replace_original: true, text: part.text, blocks: part.blocks });
    return;
  }
  await respond({
    response_type: msg.visibility === 'private' ? 'ephemeral' : 'in_channel',
    replace_original: false,
    text: part.text,
    blocks: part.blocks,
    unfurl_links: false,
    unfurl_media: false,
  });
}
