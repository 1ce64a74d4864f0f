import { addDays, toFeedDate } from '../clock.ts';
import type { Deps } from '../deps.ts';
import type { Message } from '../messages/message.ts';
import type { DigestRow } from '../store/store.ts';
import { arxivListUrl } from './arxiv-list-url.ts';
import { buildArxivDigest, buildCombinedDigest, buildNoAnnouncementNote } from './build-arxiv-digest.ts';
import { buildDigest } from './build-digest.ts';
import type { DueDigest } from './due-digests.ts';
import { selectAnnouncement, selectCombined } from './select-announcement.ts';
import { selectDigest } from './select-digest.ts';

type EnqueueOutcome = 'queued' | 'skipped_empty' | 'already_done';

// Outbox keys of digest posts (unique: enqueueing a key twice is a no-op). The last segment says
// what the post covers and never contains a colon, so keys of different shapes cannot collide:
//   digest:<platform>:<channel>:2026-09-01               a feed day (hf and all)
//   digest:<platform>:<channel>:2026-08-29..2026-09-01   feed days collapsed after downtime
//   digest:<platform>:<channel>:arxiv-2026-09-01         an arXiv announcement (arxiv)
//   digest:<platform>:<channel>:arxiv-none-2026-09-01    an arXiv digest's time with no new announcement

const keyPrefix = (digest: DigestRow) => `digest:${digest.platform}:${digest.channelId}`;

function feedDaysKey(digest: DigestRow, feedDates: string[]): string {
  const first = feedDates[0] ?? '';
  const last = feedDates[feedDates.length - 1] ?? '';
  return `${keyPrefix(digest)}:${first === last ? first : `${first}..${last}`}`;
}

/** The last feed day a feed-day key covers, or undefined for a key of another shape. */
export function lastFeedDayOfKey(key: string): string | undefined {
  return /^digest:.*(?::|\.\.)(\d{4}-\d{2}-\d{2})$/.exec(key)?.[1];
}

/** Every feed day a feed-day key covers (`…:2026-08-29..2026-08-31` → three days; 60 at most), [] for a key of another shape. */
export function feedDatesOfKey(key: string): string[] {
  const match = /:(\d{4}-\d{2}-\d{2})(?:\.\.(\d{4}-\d{2}-\d{2}))?$/.exec(key);
  if (!match?.[1] || !key.startsWith('digest:')) return [];
  const first = match[1];
  const last = match[2] ?? first;
  const days: string[] = [];
  for (let day = first; day <= last && days.length < 60; ) {
    days.push(day);
    day = addDays(day, 1);
  }
  return days;
}

/** The announcement an arXiv digest's key posted, or undefined for a key of another shape. */
export function announcementOfKey(key: string): string | undefined {
  return /^digest:.*:arxiv-(\d{4}-\d{2}-\d{2})$/.exec(key)?.[1];
}

/** An announcement older than this is never posted (the arXiv poll stopped, the source went off). */
const MAX_ANNOUNCEMENT_AGE_DAYS = 7;

/**
 * The announcement an arXiv or all digest posts next: the latest one stored, when the digest has
 * not posted it and it is recent. Only RSS polls store announcements: the API backfill adds
 * history, never an announcement, so it is never posted. None while the arXiv source is off
 * (ARXIV_CATEGORIES emptied after the digest was set): what was stored before is not posted.
 */
async function unpostedAnnouncement(deps: Pick<Deps, 'store' | 'config'>, digest: DigestRow, at: number): Promise<string | null> {
  if (deps.config.ARXIV_CATEGORIES.length === 0) return null;
  const { store } = deps;
  const latest = (await store.arxivPollState()).lastStored?.announcement ?? null;
  if (latest === null) return null;
  if (digest.lastAnnouncement !== null && latest <= digest.lastAnnouncement) return null;
  if (latest < addDays(toFeedDate(at), -MAX_ANNOUNCEMENT_AGE_DAYS)) return null;
  return latest;
}

/**
 * What one due digest records: its outbox key, the message, whether it is empty, the announcement
 * it holds; `quiet`: recorded as skipped even with post_when_empty (an arXiv digest while the
 * source is off: its empty-day note would blame arXiv's calendar).
 */
type PlannedPost = { key: string; message: Message; empty: boolean; papers: number; announcement?: string; quiet?: boolean };

async function planPost(deps: Pick<Deps, 'store' | 'config'>, due: DueDigest, at: number): Promise<PlannedPost> {
  const { digest, feedDates, offline } = due;
  const listUrl = arxivListUrl(digest.query, deps.config.ARXIV_CATEGORIES);
  if (digest.source === 'arxiv') {
    const announcement = await unpostedAnnouncement(deps, digest, at);
    if (announcement === null) {
      const slot = feedDates[feedDates.length - 1] ?? '';
      const quiet = deps.config.ARXIV_CATEGORIES.length === 0;
      return { key: `${keyPrefix(digest)}:arxiv-none-${slot}`, message: buildNoAnnouncementNote(digest.lastAnnouncement), empty: true, papers: 0, quiet };
    }
    const selection = await selectAnnouncement(deps.store, digest, announcement);
    const message = buildArxivDigest(digest, selection, { announcement, listUrl });
    return { key: `${keyPrefix(digest)}:arxiv-${announcement}`, message, empty: selection.included.length === 0, papers: selection.included.length, announcement };
  }
  if (digest.source === 'all') {
    const announcement = await unpostedAnnouncement(deps, digest, at);
    const combined = await selectCombined(deps.store, digest, feedDates, announcement, at);
    const message = buildCombinedDigest(digest, combined, { feedDates, offline, announcement, listUrl });
    const papers = combined.selection.included.length;
    return { key: feedDaysKey(digest, feedDates), message, empty: papers === 0, papers, ...(announcement === null ? {} : { announcement }) };
  }
  const selection = await selectDigest(deps.store, digest, feedDates, at);
  const message = buildDigest(digest, selection, { feedDates, offline });
  return { key: feedDaysKey(digest, feedDates), message, empty: selection.included.length === 0, papers: selection.included.length };
}

/**
 * Records one due digest: the outbox row and the watermark(s) move in ONE unit
 * (store.enqueueDigest), and the watermarks only move forward, so a repeated tick (or a restart)
 * can never post a day or an announcement twice. An empty selection is recorded as a 'skipped'
 * row (shown by `status`), or queued as a short note when the channel has post_when_empty.
 */
export async function enqueueDigest(deps: Pick<Deps, 'store' | 'log' | 'config'>, due: DueDigest, at: number): Promise<EnqueueOutcome> {
  const { digest, feedDates, offline } = due;
  const lastDay = feedDates[feedDates.length - 1];
  if (lastDay === undefined) return 'already_done';
  // Reads first, outside the unit: another tick can only race us to the watermark, and the
  // store's conditional watermark update detects that (nothing is queued then).
  const post = await planPost(deps, due, at);
  const skipped = post.empty && (!digest.postWhenEmpty || post.quiet === true);
  const queued = await deps.store.enqueueDigest(
    {
      platform: digest.platform,
      targetKind: 'channel',
      targetId: digest.channelId,
      kind: 'digest',
      idempotencyKey: post.key,
      message: post.message,
      now: at,
      state: skipped ? 'skipped' : 'pending',
    },
    lastDay,
    post.announcement,
  );
  const outcome: EnqueueOutcome = !queued ? 'already_done' : skipped ? 'skipped_empty' : 'queued';
  const log = deps.log.child({ module: 'digest' });
  const context = { platform: digest.platform, channelId: digest.channelId, source: digest.source, feedDates, announcement: post.announcement, offline, papers: post.papers };
  if (outcome === 'skipped_empty') log.info(context, 'digest had no papers to post; recorded as skipped');
  if (outcome === 'queued') log.info(context, 'digest queued');
  if (due.dropped.length > 0) log.warn({ ...context, dropped: due.dropped }, 'offline too long: older missed days are not posted');
  return outcome;
}
