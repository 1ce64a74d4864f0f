import { z } from 'zod';
import { message } from '../src/messages/message.ts';
import { describeQueryText } from '../src/search/query-key.ts';
import { addWatch } from '../src/watches/add-watch.ts';
import { checkQuery } from './check-query.ts';
import { defineCommand } from './define-command.ts';
import { stripControls } from './strip-controls.ts';

export const watch = defineCommand({
  name: 'watch',
  description: 'Get a DM when new papers match a query',
  options: z.object({
    query: z.string().trim().min(1).max(300).describe('What to watch, in the search query language'),
  }),
  rest: 'query',
  personal: true,
  examples: ['watch "state space model" -survey', 'watch author:"Jane Doe"', 'watch diffusion OR flow min:20'],
  async run({ options, deps, user, syntax }) {
    const query = stripControls(options.query);
    checkQuery(query, { today: deps.clock.today(), verb: 'watch', syntax });
    const { watch: saved, previewCount } = await addWatch(deps, { platform: user.platform, id: user.id }, query);
    const all = await deps.store.listWatches({ platform: user.platform, id: user.id });
    const number = all.findIndex((row) => row.id === saved.id) + 1;
    const papers = previewCount === 1 ? 'paper' : 'papers';
    return message({
      kind: 'text',
      visibility: 'private',
      title: `Watching: ${saved.query}`,
      text:
        `Over the last 30 days this watch would have matched ${previewCount} ${papers}. ` +
        'From now on you get one direct message per feed update listing the new papers that match; papers already stored are not sent.',
      fields: [
        { name: 'Understood as', value: describeQueryText(saved.query) },
        { name: 'Your watches', value: `${all.length} of ${deps.config.MAX_WATCHES_PER_USER} (this is number ${number})` },
      ],
      footer: `See them with \`${syntax.command('watches')}\`; remove one with \`${syntax.command('unwatch', '<number>')}\`.`,
    });
  },
});
