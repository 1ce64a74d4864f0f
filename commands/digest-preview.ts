import { z } from 'zod';
import { isFeedDate } from '../src/clock.ts';
import { buildDigestPreview } from '../src/digest/build-digest.ts';
import { arxivListUrl } from '../src/digest/arxiv-list-url.ts';
import { formatFeedDay } from '../src/digest/format-day.ts';
import { message } from '../src/messages/message.ts';
import { defineCommand } from './define-command.ts';
import { sourceText } from './digest-fields.ts';
import { previewDigestData } from './digest-preview-data.ts';

export const digestPreview = defineCommand({
  name: 'digest preview',
  description: "What this channel's digest would post, and which papers it leaves out and why",
  options: z.object({
    date: z
      .string()
      .trim()
      // A bare date in Slack text keeps the quotes it was typed with (`digest preview "2026-09-01"`).
      .overwrite((text) => text.replace(/^["'](.*)["']$/, '$1').trim())
      .refine(isFeedDate, 'must be a feed day as YYYY-MM-DD, like 2026-09-01')
      .optional()
      .meta({ placeholder: 'YYYY-MM-DD' })
      .describe('Feed day to preview (default: yesterday UTC); an arXiv digest: announcement date'),
  }),
  // `digest preview 2026-09-01`, as the README writes it; `date=2026-09-01` works too.
  rest: 'date',
  adminOnly: true,
  examples: ['digest preview', 'digest preview 2026-09-01'],
  async run({ options, deps, channel }) {
    const data = await previewDigestData(deps, channel, options.date);
    const [day = ''] = data.feedDates;
    // Daily Papers is the default source and the preview's own title link; another source is said first.
    const source = data.digest.source === 'hf' ? [] : [`Source: ${sourceText(data.digest.source, deps.config.ARXIV_CATEGORIES)}.`];
    // An arXiv digest covers an announcement, not a feed day.
    const arxiv = data.digest.source === 'arxiv' && data.announcement !== undefined
      ? { covers: `the arXiv announcement of ${formatFeedDay(data.announcement)}`, titleUrl: arxivListUrl(data.digest.query, deps.config.ARXIV_CATEGORIES) }
      : {};
    if (data.unavailable !== undefined) {
      const title = data.digest.source === 'arxiv' ? 'Digest preview — arXiv' : `Digest preview — ${formatFeedDay(day)}`;
      return message({ kind: 'text', visibility: 'private', title, text: [...source, ...data.notes, data.unavailable].join('\n') });
    }
    const preview = buildDigestPreview(data.digest, data.selection, { feedDates: data.feedDates, ...arxiv });
    return { ...preview, visibility: 'private', text: [...source, ...data.notes, preview.text].filter(Boolean).join('\n') };
  },
});
