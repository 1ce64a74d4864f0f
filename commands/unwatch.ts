import { z } from 'zod';
import { message } from '../src/messages/message.ts';
import { removeWatch } from '../src/watches/remove-watch.ts';
import { defineCommand } from './define-command.ts';
import { stripControls } from './strip-controls.ts';

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
    async watch({ deps, user, partial }) {
      const needle = partial.trim().toLowerCase();
      return (await deps.store.listWatches({ platform: user.platform, id: user.id }))
        .map((row, i) => ({ name: `${i + 1}. ${stripControls(row.query)}`, value: choiceValue(row.query, i + 1) }))
        .filter((choice) => needle === '' || choice.name.toLowerCase().includes(needle));
    },
  },
  async run({ options, deps, user }) {
    const removed = await removeWatch(deps, { platform: user.platform, id: user.id }, stripControls(options.watch));
    const left = (await deps.store.listWatches({ platform: user.platform, id: user.id })).length;
    return message({
      kind: 'text',
      visibility: 'private',
      text: `Removed the watch \`${stripControls(removed.query)}\`. You have ${left} ${left === 1 ? 'watch' : 'watches'} left.`,
    });
  },
});

/**
 * The query itself names the watch however the list changes before the command is sent (a
 * duplicate query is refused, so it is unambiguous). A query that reads as a number, or is longer
 * than Discord's 100-character choice value, falls back to its list number.
 */
function choiceValue(query: string, number: number): string {
  return query.length <= 100 && !/^#?\d+[.)]?$/.test(query.trim()) ? query : String(number);
}
