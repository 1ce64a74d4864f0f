import type { RespondFn } from '@slack/bolt';
import type { Message } from '../../messages/message.ts';
import { renderBlocks } from './render-blocks.ts';

/**
 * Answers through the interaction's response_url (valid 30 minutes, at most 5 uses): exactly one
 * use per reply, so the reply is rendered to fit one message. Private messages are ephemeral;
 * public ones are posted in the channel. `replace` swaps the message the button was on.
 */
export async function respondMessage(respond: RespondFn, msg: Message, options: { replace: boolean }): Promise<void> {
  const [part] = renderBlocks(msg, { mode: 'single' });
  if (!part) return;
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
