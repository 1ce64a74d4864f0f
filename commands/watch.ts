import { z } from 'zod';
import { message } from '../src/messages/message.ts';
import { describeQueryText } from '../src/search/query-key.ts';
import { addWatch } from '../src/watches/add-watch.ts';
import { takeArtifactsWord } from '../src/watches/artifacts-word.ts';
import { parseArxivId } from '../src/papers/arxiv-id.ts';
import { checkQuery } from './check-query.ts';
import { defineCommand } from './define-command.ts';
import { stripControls } from './strip-controls.ts';
import { UserError } from '../src/errors.ts';

export const watch = defineCommand({
  name: 'watch',
  description: 'Get a DM when new papers match a query',
  options: z.object({
    query: z.string().trim().min(1).max(300).describe('What to watch, in the search query language'),
    artifacts: z.boolean().optional().describe('Also tell you once when an alerted paper gets code or models (default yes)'),
  }),
  rest: 'query',
  personal: true,
  examples: ['watch "state space model" -survey', 'watch author:"Jane Doe"', 'watch diffusion OR flow min:20', 'watch "world model" artifacts:no'],
  async run({ options, deps, user, syntax }) {
    const typed = takeArtifactsWord(stripControls(options.query));
    if (typed.artifacts !== undefined && options.artifacts !== undefined && typed.artifacts !== options.artifacts) {
      throw new UserError('bad_option', '`artifacts` is given twice, as yes and as no.');
    }
    const artifacts = options.artifacts ?? typed.artifacts;
    const query = typed.query;
    // Search shows the paper an id or link names; a watch would keep the link's words, which no
    // new paper holds, and never alert.
    const arxivId = parseArxivId(query);
    if (arxivId) {
      throw new UserError('bad_query', `\`${query.slice(0, 100)}\` names one paper, which a watch cannot wait for: see it with \`${syntax.command('paper', arxivId)}\`. A watch takes words, a "phrase", author:"Name" or org:name.`);
    }
    checkQuery(query, { today: deps.clock.today(), verb: 'watch', syntax });
    const { watch: saved, previewCount, changed } = await addWatch(deps, { platform: user.platform, id: user.id }, query, { artifacts });
    const all = await deps.store.listWatches({ platform: user.platform, id: user.id });
    const number = all.findIndex((row) => row.id === saved.id) + 1;
    if (changed) {
      return message({
        kind: 'text',
        visibility: 'private',
        title: `Watch ${number}: ${saved.query}`,
        text: saved.artifacts
          ? 'You already watch this. From now on you also hear once when one of its alerted papers gets code, a project page or models.'
          : 'You already watch this. You no longer hear about code or models released for its alerted papers; new papers still come.',
        footer: `See your watches with \`${syntax.command('watches')}\`.`,
      });
    }
    const papers = previewCount === 1 ? 'paper' : 'papers';
    return message({
      kind: 'text',
      visibility: 'private',
      title: `Watching: ${saved.query}`,
      text:
        `Over the last 30 days this watch would have matched ${previewCount} ${papers}. ` +
        'From now on you get one direct message per feed update listing the new papers that match; papers already stored are not sent. ' +
        (saved.artifacts
          ? 'When code, a project page or models appear for a paper it alerted you to (within 14 days), you hear once.'
          : 'Code and models released later for its papers are not sent (artifacts: no).'),
      fields: [
        { name: 'Understood as', value: describeQueryText(saved.query) },
        { name: 'Your watches', value: `${all.length} of ${deps.config.MAX_WATCHES_PER_USER} (this is number ${number})` },
      ],
      footer: `See them with \`${syntax.command('watches')}\`; remove one with \`${syntax.command('unwatch', '<number>')}\`.`,
    });
  },
});
