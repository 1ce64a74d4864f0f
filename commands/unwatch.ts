import { z } from 'zod';
import { message } from '../src/messages/message.ts';
import { listWatches, removeWatch } from '../src/store/watches.ts';
import { defineCommand } from './define-command.ts';

export const unwatch = defineCommand({
  name: 'unwatch',
  description: 'Remove one of your watches',
  options: z.object({
    watch: z.string().trim().min(1).max(300).describe('The watch: its number in /papers watches, or its query'),
  }),
  rest: 'watch',
  personal: true,
  examples: ['unwatch 2', 'unwatch diffusion -survey'],
  autocomplete: {
    watch({ deps, user, partial }) {
      const needle = partial.trim().toLowerCase();
      return listWatches(deps.db, { platform: user.platform, id: user.id })
        .map((row, i) => ({ name: `${i + 1}. ${row.query}`, value: row.query, number: String(i + 1) }))
        .filter((choice) => needle === '' || choice.name.toLowerCase().includes(needle))
        .map(({ name, number }) => ({ name, value: number }));
    },
  },
  run({ options, deps, user }) {
    const removed = removeWatch(deps.db, { platform: user.platform, id: user.id }, options.watch);
    const left = listWatches(deps.db, { platform: user.platform, id: user.id }).length;
    return message({
      kind: 'text',
      visibility: 'private',
      text: `Removed the watch \`${removed.query}\`. You have ${left} ${left === 1 ? 'watch' : 'watches'} left.`,
    });
  },
});
