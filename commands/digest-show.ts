import { z } from 'zod';
import { message } from '../src/messages/message.ts';
import { defineCommand } from './define-command.ts';
import { digestFields } from './digest-fields.ts';

export const digestShow = defineCommand({
  name: 'digest show',
  description: "Show this channel's digest settings",
  options: z.object({}),
  adminOnly: true,
  examples: ['digest show'],
  async run({ deps, channel }) {
    const digest = await deps.store.getDigest(channel.platform, channel.id);
    if (!digest) {
      return message({
        kind: 'text',
        visibility: 'private',
        text: 'This channel has no digest. Set one up with `/papers digest set time=09:00 timezone=Europe/Berlin top=10`.',
      });
    }
    const state = !digest.enabled ? ' (off)' : digest.pausedReason !== null ? ' (paused)' : '';
    return message({
      kind: 'text',
      visibility: 'private',
      title: `Daily digest for this channel${state}`,
      text: '',
      fields: await digestFields(deps, digest),
    });
  },
});
