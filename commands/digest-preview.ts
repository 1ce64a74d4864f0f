import { z } from 'zod';
import { addDays, isFeedDate } from '../src/clock.ts';
import { buildDigestPreview } from '../src/digest/build-digest.ts';
import { formatFeedDay } from '../src/digest/format-day.ts';
import { selectDigest } from '../src/digest/select-digest.ts';
import { UserError } from '../src/errors.ts';
import { message } from '../src/messages/message.ts';
import { DEFAULT_TOP } from '../src/digest/digest-options.ts';
import type { DigestRow } from '../src/store/store.ts';
import type { CommandChannel } from './define-command.ts';
import { defineCommand } from './define-command.ts';
import type { Deps } from '../src/deps.ts';

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
    const saved = await deps.store.getDigest(channel.platform, channel.id);
    const digest = saved ?? unsavedDigest(deps, channel);
    const today = deps.clock.today();
    const yesterday = addDays(today, -1);
    if (options.date !== undefined && options.date > today) {
      throw new UserError('bad_option', `${options.date} is in the future: its papers are not listed yet. Preview a past feed day, like ${yesterday} (yesterday, UTC).`);
    }
    // Without a date, preview yesterday (the day the latest post covered); if that day is empty,
    // the latest day with papers is more useful for tuning filters (and the note says so).
    const day = options.date ?? (await deps.store.latestFeedDayWithPapers(yesterday)) ?? yesterday;
    const notes: string[] = [];
    if (!saved) notes.push('This channel has no digest yet: previewing the defaults.');
    if (!options.date && day !== yesterday) notes.push(`Yesterday (${yesterday}) has no papers; previewing ${day}, the latest day with papers.`);
    const selection = await selectDigest(deps.store, digest, [day]);
    // No papers stored is not "the feed was empty" when the day is still running or was never fetched.
    if (selection.dayTotal === 0 && (day === today || !(await deps.store.feedDayFetched(day)))) {
      const why =
        day === today
          ? `Today's feed day (${today}) has no papers yet: it is not over, and its digest posts tomorrow.`
          : `No papers are stored for ${day}: that day was never fetched from Hugging Face (the operator can run \`paperboy ingest --date ${day}\`).`;
      return message({ kind: 'text', visibility: 'private', title: `Digest preview — ${formatFeedDay(day)}`, text: [...notes, why].join('\n') });
    }
    if (day === today) notes.push(`Today's feed day (${today}) is not over yet: these are its papers so far, and its digest posts tomorrow.`);
    const preview = buildDigestPreview(digest, selection, { feedDates: [day] });
    return { ...preview, visibility: 'private', text: [...notes, preview.text].filter(Boolean).join('\n') };
  },
});

/** The digest `digest set` with no options would create: what a preview shows before setup. */
function unsavedDigest(deps: Deps, channel: CommandChannel): DigestRow {
  const now = deps.clock.now().getTime();
  return {
    platform: channel.platform,
    channelId: channel.id,
    workspaceId: channel.workspaceId ?? null,
    time: deps.config.DEFAULT_DIGEST_TIME,
    timezone: deps.config.DEFAULT_TIMEZONE,
    top: DEFAULT_TOP,
    minUpvotes: 0,
    query: '',
    postWhenEmpty: false,
    enabled: true,
    pausedReason: null,
    pausedAt: null,
    lastFeedDate: null,
    updatedBy: null,
    createdAt: now,
    updatedAt: now,
  };
}
