import { z } from 'zod';
import { addDays, isFeedDate } from '../src/clock.ts';
import { buildDigestPreview } from '../src/digest/build-digest.ts';
import { selectDigest } from '../src/digest/select-digest.ts';
import { DEFAULT_TOP, getDigest, type DigestRow } from '../src/store/digests.ts';
import { latestFeedDayWithPapers } from '../src/store/papers.ts';
import type { CommandChannel } from './define-command.ts';
import { defineCommand } from './define-command.ts';
import type { Deps } from '../src/deps.ts';

export const digestPreview = defineCommand({
  name: 'digest preview',
  description: "What this channel's digest would post, and which papers it leaves out and why",
  options: z.object({
    date: z.string().trim().refine(isFeedDate, 'must be a feed day as YYYY-MM-DD, like 2026-09-01').optional().meta({ placeholder: 'YYYY-MM-DD' }).describe('Feed day to preview (default: yesterday UTC)'),
  }),
  adminOnly: true,
  examples: ['digest preview', 'digest preview date=2026-09-01'],
  run({ options, deps, channel }) {
    const digest = getDigest(deps.db, channel.platform, channel.id) ?? unsavedDigest(deps, channel);
    const yesterday = addDays(deps.clock.today(), -1);
    // Without a date, preview the day the next post covers; if that day is empty, the latest
    // day with papers is more useful for tuning filters (and the note says so).
    const day = options.date ?? latestFeedDayWithPapers(deps.db, yesterday) ?? yesterday;
    const notes: string[] = [];
    if (!getDigest(deps.db, channel.platform, channel.id)) notes.push('This channel has no digest yet: previewing the defaults.');
    if (!options.date && day !== yesterday) notes.push(`Yesterday (${yesterday}) has no papers; previewing ${day}, the latest day with papers.`);
    const selection = selectDigest(deps.db, digest, [day]);
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
