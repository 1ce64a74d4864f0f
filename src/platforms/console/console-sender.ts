import { renderPlainText } from '../../messages/message.ts';
import type { Sender } from '../../platform.ts';
import type { TextSink } from './console-io.ts';

/** The channel and user everything is addressed to when no chat platform is configured. */
export const CONSOLE_ID = 'console';

/**
 * Prints digests and alerts as readable text. Writing to a stream cannot half-fail the way a
 * network send can, so `send` is idempotent enough and there is no `findSent`.
 */
export function createConsoleSender(out: TextSink = process.stdout): Sender {
  return {
    platform: 'console',
    async send(target, message, delivery) {
      const what = message.kind === 'alert' ? 'Alert' : message.kind === 'digest' ? 'Digest' : 'Message';
      const to = target.kind === 'user' ? `user ${target.id}` : `#${target.id}`;
      const rule = '─'.repeat(8);
      out.write(`\n${rule} ${what} for ${to} ${rule}\n${renderPlainText(message)}\n`);
      return { messageId: `console:${delivery.key}` };
    },
  };
}
