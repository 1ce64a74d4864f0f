import { z } from 'zod';
import { message } from '../src/messages/message.ts';
import { disableDigest } from '../src/store/sqlite/digests.ts';
import { defineCommand } from './define-command.ts';

export const digestOff = defineCommand({
  name: 'digest off',
  description: "Stop this channel's daily digest (settings are kept)",
  options: z.object({}),
  adminOnly: true,
  examples: ['digest off'],
  run({ deps, user, channel }) {
    const { wasEnabled } = disableDigest(deps, channel, user);
    if (!wasEnabled) {
      return message({
        kind: 'text',
        visibility: 'private',
        text: 'The daily digest of this channel is already off. Its settings are kept: `/papers digest set` turns it back on.',
      });
    }
    return message({
      kind: 'text',
      visibility: 'public',
      text: 'Daily digest turned off for this channel. Its settings are kept: `/papers digest set` turns it back on.',
    });
  },
});
