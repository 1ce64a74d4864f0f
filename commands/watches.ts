import { z } from 'zod';
import { toFeedDate } from '../src/clock.ts';
import { message } from '../src/messages/message.ts';
import { defineCommand } from './define-command.ts';
import { stripControls } from './strip-controls.ts';

export const watches = defineCommand({
  name: 'watches',
  description: 'List your watches',
  options: z.object({}),
  personal: true,
  examples: ['watches'],
  async run({ deps, user, syntax }) {
    const rows = await deps.store.listWatches({ platform: user.platform, id: user.id });
    if (rows.length === 0) {
      return message({
        kind: 'text',
        visibility: 'private',
        text: `You have no watches. Add one with \`${syntax.command('watch', '<query>')}\`, e.g. \`${syntax.command('watch', '"state space model" -survey')}\`.`,
      });
    }
    const lines = rows.map((row, i) => `${i + 1}. ${stripControls(row.query)}  (since ${toFeedDate(row.createdAt)}${row.artifacts ? '' : ', artifacts: no'})`);
    const limit = deps.config.MAX_WATCHES_PER_USER;
    // The limit may have been lowered after these were saved: they all still run.
    const over = rows.length > limit;
    const removeHint =
      `Remove one with \`${syntax.command('unwatch', '<number>')}\`. ` +
      `Code and models released for alerted papers come once, except for watches marked artifacts: no (\`${syntax.command('watch', '<query> artifacts:no')}\`).`;
    return message({
      kind: 'list',
      visibility: 'private',
      title: over ? `Your watches (${rows.length}; the limit is ${limit})` : `Your watches (${rows.length} of ${limit})`,
      text: lines.join('\n'),
      footer: over ? `Above the limit of ${limit}: remove ${rows.length - limit + 1} to add one. ${removeHint}` : removeHint,
    });
  },
});
