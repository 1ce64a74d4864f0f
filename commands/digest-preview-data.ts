import { addDays } from '../src/clock.ts';
import { ARCHIVE_START } from '../src/config.ts';
import type { Deps } from '../src/deps.ts';
import { DEFAULT_TOP } from '../src/digest/digest-options.ts';
import { selectAnnouncement, selectCombined } from '../src/digest/select-announcement.ts';
import { selectDigest, type DigestSelection } from '../src/digest/select-digest.ts';
import { UserError } from '../src/errors.ts';
import type { DigestRow } from '../src/store/store.ts';
import type { CommandChannel } from './define-command.ts';

// What `digest preview` found, before it becomes a chat message (digest-preview.ts) or the CLI's
// `--json` object: the channel's digest (or the defaults), the day, the notes and the selection.

export type DigestPreviewData = {
  digest: DigestRow;
  /** False: the channel has no digest and the preview shows the defaults `digest set` would take. */
  saved: boolean;
  feedDates: string[];
  /** Said before the preview itself (defaults used, another day picked, the day still running). */
  notes: string[];
  /** Set when the day has no papers because it was never fetched or is still running: nothing to judge. */
  unavailable?: string;
  selection: DigestSelection;
  /** The arXiv announcement previewed (`source=arxiv` or `all`), when one is stored. */
  announcement?: string;
};

/** Throws UserError 'bad_option' for a future day. */
export async function previewDigestData(deps: Deps, channel: CommandChannel, date: string | undefined): Promise<DigestPreviewData> {
  const saved = await deps.store.getDigest(channel.platform, channel.id);
  const digest = saved ?? unsavedDigest(deps, channel);
  const today = deps.clock.today();
  const yesterday = addDays(today, -1);
  if (date !== undefined && date > today) {
    throw new UserError('bad_option', `${date} is in the future: its papers are not listed yet. Preview a past feed day, like ${yesterday} (yesterday, UTC).`);
  }
  if (digest.source === 'arxiv') return previewAnnouncement(deps, channel, digest, saved !== undefined, date);
  // Without a date, preview yesterday (the day the latest post covered); if that day is empty,
  // the latest day with papers is more useful for tuning filters (and the note says so).
  const day = date ?? (await deps.store.latestFeedDayWithPapers(yesterday)) ?? yesterday;
  const notes: string[] = [];
  if (!saved) notes.push(noDigestNote(channel));
  if (!date && day !== yesterday) notes.push(`Yesterday (${yesterday}) has no papers; previewing ${day}, the latest day with papers.`);
  let selection: DigestSelection;
  let announcement: string | undefined;
  if (digest.source === 'all') {
    // The latest announcement, posted already or not: the preview shows what such a post holds.
    // None while the source is off: the post would hold none (enqueue-digest.ts).
    const arxivOn = deps.config.ARXIV_CATEGORIES.length > 0;
    announcement = arxivOn ? ((await deps.store.arxivPollState()).lastStored?.announcement ?? undefined) : undefined;
    selection = (await selectCombined(deps.store, digest, [day], announcement ?? null, deps.clock.now())).selection;
    if (announcement) notes.push(`With arXiv's latest announcement (${announcement}) after the feed day's papers.`);
    else if (arxivOn) notes.push('No arXiv announcement is stored yet: Daily Papers only.');
  } else {
    selection = await selectDigest(deps.store, digest, [day], deps.clock.now());
  }
  const base = { digest, saved: saved !== undefined, feedDates: [day], notes, selection, ...(announcement ? { announcement } : {}) };
  // No papers stored is not "the feed was empty" when the day is still running or was never fetched.
  if (selection.dayTotal === 0 && (day === today || !(await deps.store.feedDayFetched(day)))) {
    const unavailable =
      day === today
        ? `Today's feed day (${today}) has no papers yet: it is not over, and its digest posts tomorrow.`
        : day < ARCHIVE_START
          ? `${day} is before ${ARCHIVE_START}, the first day of Daily Papers: it has no papers.`
          : `No papers are stored for ${day}: that day was never fetched from Hugging Face (the operator can run \`paperboy ingest --date ${day}\`).`;
    return { ...base, unavailable };
  }
  if (day === today) notes.push(`Today's feed day (${today}) is not over yet: these are its papers so far, and its digest posts tomorrow.`);
  return base;
}

/**
 * An arXiv digest's preview: the announcement of `date`, or the latest stored (posted already or
 * not), through the digest's own selection.
 */
async function previewAnnouncement(deps: Deps, channel: CommandChannel, digest: DigestRow, saved: boolean, date: string | undefined): Promise<DigestPreviewData> {
  const notes = saved ? [] : [noDigestNote(channel)];
  const empty: DigestSelection = { included: [], excluded: [], dayTotal: 0 };
  // Announcements stored before the source was turned off are never posted (enqueue-digest.ts).
  if (deps.config.ARXIV_CATEGORIES.length === 0) {
    return { digest, saved, feedDates: [], notes, selection: empty, unavailable: 'The arXiv source is off on this server (ARXIV_CATEGORIES is empty): an arXiv digest has nothing to post.' };
  }
  const latest = (await deps.store.arxivPollState()).lastStored?.announcement ?? undefined;
  const announcement = date ?? latest;
  if (announcement === undefined) {
    const unavailable = 'No arXiv announcement is stored yet: the next poll (ARXIV_CRON) stores one; the operator can poll now with `paperboy ingest --source arxiv`.';
    return { digest, saved, feedDates: [], notes, selection: empty, unavailable };
  }
  const selection = await selectAnnouncement(deps.store, digest, announcement);
  const base = { digest, saved, feedDates: [], notes, selection, announcement };
  if (selection.dayTotal === 0 && announcement !== latest) {
    return { ...base, unavailable: `No arXiv announcement of ${announcement} is stored (arXiv announces Monday to Friday, and the poll reads the latest one${latest ? `: ${latest}` : ''}).` };
  }
  return base;
}

/** Whether the digest would post anything for the previewed day (its papers, or the empty-day note). */
export function previewWouldPost(data: DigestPreviewData): boolean {
  if (data.unavailable !== undefined) return false;
  return data.selection.included.length > 0 || data.digest.postWhenEmpty;
}

function noDigestNote(channel: CommandChannel): string {
  // The console channel (the `paperboy` CLI and its prompt) has no chat admin to tell "this channel".
  if (channel.platform === 'console') return 'The console channel has no digest (set one with /papers digest set at the prompt of `paperboy start` or `npm start`): previewing the defaults.';
  return 'This channel has no digest yet: previewing the defaults.';
}

/** The digest `digest set` with no options would create: what a preview shows before setup. */
function unsavedDigest(deps: Deps, channel: CommandChannel): DigestRow {
  const now = deps.clock.now();
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
    sort: 'upvotes',
    followups: true,
    enabled: true,
    pausedReason: null,
    pausedAt: null,
    lastFeedDate: null,
    source: 'hf',
    lastAnnouncement: null,
    updatedBy: null,
    createdAt: now,
    updatedAt: now,
  };
}
