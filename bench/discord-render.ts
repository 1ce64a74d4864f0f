import type { Message } from '../src/messages/message.ts';

/** The Discord adapter's reply renderer (Message → message payload with embeds). */
export function renderDiscordReply(_message: Message): unknown {
  throw new Error('the Discord renderer has not landed yet');
}
