import { z } from 'zod';
import { parseArxivId } from '../src/papers/arxiv-id.ts';
import { message, textMessage } from '../src/messages/message.ts';
import { toPaperCard } from '../src/messages/paper-card.ts';
import { similarPapers } from '../src/similar/similar-papers.ts';
import { defineCommand } from './define-command.ts';
import { findOrFetchPaper, paperIdOf } from './paper.ts';

export const similar = defineCommand({
  name: 'similar',
  description: 'Papers like one paper: its most distinctive words, searched with the normal ranking',
  options: z.object({
    id: z.string().trim().min(1).max(300).describe('arXiv id or URL (arxiv.org or huggingface.co/papers)'),
    limit: z.number().int().min(1).max(10).default(5).describe('How many papers (1-10)'),
  }),
  rest: 'id',
  restIsWhole: (text) => parseArxivId(text) !== null,
  examples: ['similar 2410.17243', 'similar https://huggingface.co/papers/2410.17243 limit=10'],
  autocomplete: {
    async id({ deps, partial }) {
      const prefix = parseArxivId(partial) ?? partial.trim();
      return (await deps.store.listRecentPapers({ limit: 25, prefix: prefix || undefined })).map((row) => ({ name: `${row.arxivId} · ${row.title}`, value: row.arxivId }));
    },
  },
  async run({ options, deps }) {
    // An unknown id is looked up as `/papers paper` looks it up (fetched on demand, or refused the same way).
    const paper = await findOrFetchPaper(deps, paperIdOf(options.id));
    const { terms, results } = await similarPapers(deps.store, paper, { limit: options.limit, now: deps.clock.now() });
    if (results.length === 0) {
      return textMessage(`No stored paper shares the distinctive words of ${paper.arxivId} (${paper.title}).`, 'private');
    }
    return message({
      kind: 'list',
      visibility: 'public',
      title: `Papers like ${paper.arxivId}: ${paper.title}`,
      titleUrl: toPaperCard(paper).url,
      text: `Its most distinctive words: ${terms.map((term) => term.word).join(', ')}.`,
      papers: results.map(({ paper: other, score, shared }) => ({ ...toPaperCard(other), score, note: `Shares: ${shared.join(', ')}` })),
      footer: 'Words weighted by tf-idf over every stored paper (title words count triple), ranked by relevance, upvotes and recency.',
    });
  },
});
