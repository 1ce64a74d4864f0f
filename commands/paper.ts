import { z } from 'zod';
import { UserError } from '../src/errors.ts';
import { parseArxivId, readArxivId, type ArxivIdReading } from '../src/feed/arxiv-id.ts';
import { message } from '../src/messages/message.ts';
import { toPaperCard } from '../src/messages/paper-card.ts';
import { defineCommand } from './define-command.ts';

const acceptedForms =
  'Use an arXiv id like 2410.17243 (a version such as 2410.17243v2 is fine), an old-style id like astro-ph/0601001, ' +
  'or a link to arxiv.org/abs/…, arxiv.org/pdf/… or huggingface.co/papers/… (hf.co/papers/… too).';

/** Why the input was refused, quoting it without control characters (newlines, RLO). */
function refusal(input: string, reading: Exclude<ArxivIdReading, { ok: true }>): string {
  if (reading.reason === 'too_long') return `That is too long for an arXiv id or link (${input.length} characters). ${acceptedForms}`;
  if (reading.reason === 'other_host') return `\`${quote(reading.host)}\` is not arxiv.org or huggingface.co. ${acceptedForms}`;
  return `\`${quote(input)}\` is not an arXiv id. ${acceptedForms}`;
}

function quote(text: string): string {
  const clean = text.replace(/[\p{Cc}\p{Cf}]/gu, '').trim();
  return clean.length > 60 ? `${clean.slice(0, 59)}…` : clean;
}

export const paper = defineCommand({
  name: 'paper',
  description: 'One paper in full: abstract, authors, links, upvotes',
  options: z.object({
    id: z.string().trim().min(1).max(300).describe('arXiv id or URL (arxiv.org or huggingface.co/papers)'),
  }),
  rest: 'id',
  examples: ['paper 2410.17243', 'paper https://huggingface.co/papers/2410.17243'],
  autocomplete: {
    async id({ deps, partial }) {
      // Typing a URL or a versioned id should still find the paper.
      const prefix = parseArxivId(partial) ?? partial.trim();
      return (await deps.store.listRecentPapers({ limit: 25, prefix: prefix || undefined })).map((row) => ({
        name: `${row.arxivId} · ${row.title}`,
        value: row.arxivId,
      }));
    },
  },
  async run({ options, deps }) {
    const reading = readArxivId(options.id);
    if (!reading.ok) throw new UserError('bad_paper_id', refusal(options.id, reading));
    const arxivId = reading.id;
    const row = await deps.store.getPaperByArxivId(arxivId);
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
