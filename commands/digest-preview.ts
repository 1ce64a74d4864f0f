import { z } from 'zod';
import { isFeedDate } from '../src/clock.ts';
import { buildDigestPreview } from '../src/digest/build-digest.ts';
import { formatFeedDay } from '../src/digest/format-day.ts';
import { message } from '../src/messages/message.ts';
import { defineCommand } from './define-command.ts';
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
      .describe('Feed day to preview (default: yesterday UTC)'),
  }),
  // `digest preview 2026-09-01`, as the README writes it; `date=2026-09-01` works too.
  rest: 'date',
  adminOnly: true,
  examples: ['digest preview', 'digest preview 2026-09-01'],
  async run({ options, deps, channel }) {
    const data = await previewDigestData(deps, channel, options.date);
    const [day = ''] = data.feedDates;
    if (data.unavailable !== undefined) {
      return message({ kind: 'text', visibility: 'private', title: `Digest preview — ${formatFeedDay(day)}`, text: [...data.notes, data.unavailable].join('\n') });
    }
    const preview = buildDigestPreview(data.digest, data.selection, { feedDates: data.feedDates });
    return { ...preview, visibility: 'private', text: [...data.notes, preview.text].filter(Boolean).join('\n') };
  },
});
