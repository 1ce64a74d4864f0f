import { z } from 'zod';
import { UserError } from '../src/errors.ts';
import { parseArxivId } from '../src/feed/arxiv-id.ts';
import { message } from '../src/messages/message.ts';
import { getPaperByArxivId, listRecentPapers, toPaperCard } from '../src/store/papers.ts';
import { defineCommand } from './define-command.ts';

const acceptedForms =
  'Use an arXiv id like 2410.17243 (a version such as 2410.17243v2 is fine), an old-style id like astro-ph/0601001, ' +
  'or a link to arxiv.org/abs/…, arxiv.org/pdf/… or huggingface.co/papers/….';

export const paper = defineCommand({
  name: 'paper',
  description: 'One paper in full: abstract, authors, links, upvotes',
  options: z.object({
    id: z.string().trim().min(1).max(300).describe('arXiv id or URL (arxiv.org or huggingface.co/papers)'),
  }),
  rest: 'id',
  examples: ['paper 2410.17243', 'paper https://huggingface.co/papers/2410.17243'],
  autocomplete: {
    id({ deps, partial }) {
      // Typing a URL or a versioned id should still find the paper.
      const prefix = parseArxivId(partial) ?? partial.trim();
      return listRecentPapers(deps.db, { limit: 25, prefix: prefix || undefined }).map((row) => ({
        name: `${row.arxivId} · ${row.title}`,
        value: row.arxivId,
      }));
    },
  },
  run({ options, deps }) {
    const arxivId = parseArxivId(options.id);
    if (!arxivId) throw new UserError('bad_paper_id', `\`${options.id.slice(0, 60)}\` is not an arXiv id. ${acceptedForms}`);
    const row = getPaperByArxivId(deps.db, arxivId);
    if (!row) {
      throw new UserError(
        'not_found',
        `I have not stored ${arxivId}: only papers that appeared in Hugging Face Daily Papers are kept. ` +
          `Its arXiv page: https://arxiv.org/abs/${arxivId}`,
      );
    }
    const card = toPaperCard(row, { full: true });
    return message({ kind: 'paper', visibility: 'public', title: card.title, titleUrl: card.url, text: '', papers: [card] });
  },
});
