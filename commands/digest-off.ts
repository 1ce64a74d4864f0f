import { z } from 'zod';
import { UserError } from '../src/errors.ts';
import { message } from '../src/messages/message.ts';
import { defineCommand } from './define-command.ts';

export const digestOff = defineCommand({
  name: 'digest off',
  description: "Stop this channel's daily digest (settings are kept)",
  options: z.object({}),
  adminOnly: true,
  examples: ['digest off'],
  async run({ deps, user, channel }) {
    const disabled = await deps.store.disableDigest(channel, user.id, deps.clock.now());
    if (!disabled) throw new UserError('not_found', 'This channel has no digest. Set one up with `/papers digest set`.');
    if (!disabled.wasEnabled) {
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
