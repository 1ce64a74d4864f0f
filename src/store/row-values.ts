import type { SQL } from 'drizzle-orm';
import { z } from 'zod';
import { isRevision, type ArxivItem, type ArxivPaper } from '../papers/arxiv-paper.ts';
import type { FeedPaper } from '../papers/feed-paper.ts';
import type { Message } from '../messages/message.ts';
import type { DigestRow, DigestWrite, NewDelivery, PageCursor, PaperRow, UserRef } from './store.ts';

// Row values both backends write, derived in one place so SQLite and PostgreSQL store the same.

/**
 * The optional paper columns a feed item fills, as both backends store them (lists as JSON).
 * A value the feed omits on a later fetch is left out, so it never erases a known one.
 */
export function knownFacts(paper: FeedPaper): Partial<PaperRow> {
  const facts: Partial<PaperRow> = {};
  if (paper.abstract) facts.abstract = paper.abstract;
  if (paper.authors.length > 0) facts.authors = JSON.stringify(paper.authors);
  if (paper.organization !== null) facts.organization = paper.organization;
  if (paper.publishedAt !== null) facts.publishedAt = paper.publishedAt;
  if (paper.numComments !== null) facts.numComments = paper.numComments;
  if (paper.githubRepo !== null) facts.githubRepo = paper.githubRepo;
  if (paper.githubStars !== null) facts.githubStars = paper.githubStars;
  if (paper.projectPage !== null) facts.projectPage = paper.projectPage;
  if (paper.aiSummary !== null) facts.aiSummary = paper.aiSummary;
  if (paper.aiKeywords !== null) facts.aiKeywords = JSON.stringify(paper.aiKeywords);
  if (paper.thumbnail !== null) facts.thumbnail = paper.thumbnail;
  return facts;
}

/** A paper first seen in an arXiv announcement: listed by arXiv only, dated by the announcement. */
export function arxivPaperValues(item: ArxivItem, categories: string, announcement: string, now: number) {
  return {
    arxivId: item.arxivId,
    title: item.title,
    abstract: item.abstract,
    authors: JSON.stringify(item.authors),
    publishedAt: item.publishedAt,
    categories,
    listedOnHf: false,
    listedOnArxiv: true,
    arxivVersion: item.version,
    latestFeedDate: announcement,
    firstSeenAt: now,
    updatedAt: now,
  };
}

/** A paper the arXiv API backfill stores for the first time: listed by arXiv, dated by its submission day. */
export function arxivBackfillValues(paper: ArxivPaper, day: string, now: number) {
  return {
    arxivId: paper.arxivId,
    title: paper.title,
    abstract: paper.abstract,
    authors: JSON.stringify(paper.authors),
    publishedAt: paper.publishedAt,
    categories: JSON.stringify(paper.categories),
    listedOnHf: false,
    listedOnArxiv: true,
    arxivVersion: paper.version,
    latestFeedDate: day,
    firstSeenAt: now,
    updatedAt: now,
  };
}

/** The source columns of a paper fetched on request: listed by neither source; from the arXiv API, its categories and version. */
export function unlistedValues(arxiv?: { categories: string[]; version: number | null }) {
  return { listedOnHf: false, ...(arxiv ? { categories: JSON.stringify(arxiv.categories), arxivVersion: arxiv.version } : {}) };
}

/**
 * What an arXiv listing changes on a stored paper. A new or cross listing adds its categories
 * (`categories`, merged) and arXiv as a source, and dates a paper Daily Papers never listed
 * (`listingFeedDay`: the dialect's "the later of its day and the announcement's, unless Daily Papers
 * listed it"); a Daily Papers paper keeps its feed day. A revision changes only the text and the
 * version, and never to an older version.
 */
export function arxivListingChanges(item: ArxivItem, storedVersion: number | null, categories: string, listingFeedDay: SQL, now: number) {
  const newer = item.version === null || storedVersion === null || item.version >= storedVersion;
  const revision = isRevision(item.announceType);
  return {
    ...(item.version !== null && newer ? { arxivVersion: item.version } : {}),
    ...(revision && newer
      ? { title: item.title, ...(item.abstract ? { abstract: item.abstract } : {}), ...(item.authors.length > 0 ? { authors: JSON.stringify(item.authors) } : {}) }
      : {}),
    ...(revision ? {} : { categories, listedOnArxiv: true, latestFeedDate: listingFeedDay }),
    updatedAt: now,
  };
}

/** The later of two feed days: a digest watermark never moves back. */
export function laterFeedDay(a: string | null, b: string): string {
  return a !== null && a > b ? a : b;
}

/** The earlier of two feed days (null stays null: no watermark is made up). */
const earlierFeedDay = (a: string | null, b: string): string | null => (a === null || a < b ? a : b);

/** The last feed day the posts cover, or null. */
function lastPosted(write: DigestWrite, postKeys: string[]): string | null {
  let last: string | null = null;
  for (const key of postKeys) {
    const day = write.postedFeedDay(key);
    if (day !== undefined && (last === null || day > last)) last = day;
  }
  return last;
}

/** A digest that is on and not paused (a `set` of any other one restarts it). */
const isRunning = (digest: DigestRow) => digest.enabled && digest.pausedReason === null;

/** A new time or zone for a running digest: its watermark may move back (digestValues), so the store reads its posts. */
export function reschedules(write: DigestWrite, existing: DigestRow | undefined): boolean {
  if (!existing || !isRunning(existing)) return false;
  return (write.patch.time ?? existing.time) !== existing.time || (write.patch.timezone ?? existing.timezone) !== existing.timezone;
}

/**
 * The row a `digest set` writes, given the channel's current row (if any) and, when it
 * `reschedules`, the outbox keys of its posts (sent or on their way). Setting a digest re-enables a
 * disabled one and resumes a paused one; a (re)started digest's watermark moves to its start day, never back.
 * A new time or zone may move it back, never forward: to the start day the new schedule gives, or
 * the last day posted if later. (The watermark a `set` gave is not a post: moving 00:00 to 23:00 just after
 * midnight would otherwise skip the day tonight's 23:00 covers; a day posted is never posted again.)
 */
export function digestValues(write: DigestWrite, existing: DigestRow | undefined, postKeys: string[]) {
  const { channel, patch, defaults } = write;
  const time = patch.time ?? existing?.time ?? defaults.time;
  const timezone = patch.timezone ?? existing?.timezone ?? defaults.timezone;
  return {
    time,
    timezone,
    top: patch.top ?? existing?.top ?? defaults.top,
    minUpvotes: patch.minUpvotes ?? existing?.minUpvotes ?? defaults.minUpvotes,
    query: patch.query ?? existing?.query ?? defaults.query,
    postWhenEmpty: patch.postWhenEmpty ?? existing?.postWhenEmpty ?? defaults.postWhenEmpty,
    sort: patch.sort ?? existing?.sort ?? defaults.sort ?? 'upvotes',
    followups: patch.followups ?? existing?.followups ?? defaults.followups ?? true,
    source: patch.source ?? existing?.source ?? 'hf',
    enabled: true,
    pausedReason: null,
    pausedAt: null,
    lastFeedDate: !existing || !isRunning(existing)
      ? laterFeedDay(existing?.lastFeedDate ?? null, write.startFeedDay(time, timezone))
      : reschedules(write, existing)
        ? earlierFeedDay(existing.lastFeedDate, laterFeedDay(lastPosted(write, postKeys), write.startFeedDay(time, timezone)))
        : existing.lastFeedDate,
    workspaceId: channel.workspaceId ?? existing?.workspaceId ?? null,
    updatedBy: write.userId,
    updatedAt: write.now,
  };
}

/** An alert or artifact DM to one user, as both backends' alert units queue it. */
export function userDm(user: UserRef, kind: 'alert' | 'artifacts', idempotencyKey: string, message: Message, now: number): NewDelivery {
  return { platform: user.platform, targetKind: 'user', targetId: user.id, kind, idempotencyKey, message, now };
}

/** A new outbox row: due at once, the message stored as JSON. */
export function deliveryValues(row: NewDelivery) {
  return {
    platform: row.platform,
    targetKind: row.targetKind,
    targetId: row.targetId,
    kind: row.kind,
    idempotencyKey: row.idempotencyKey,
    payload: JSON.stringify(row.message),
    state: row.state ?? 'pending',
    nextAttemptAt: row.now,
    createdAt: row.now,
    replyTo: row.replyTo?.messageId ?? null,
    threadName: row.replyTo?.threadName ?? null,
  };
}

const StoredOptions = z.record(z.string(), z.unknown());

/** A cursor row as stored (options as JSON); undefined when its options no longer parse. */
export function readPageCursor(row: Omit<PageCursor, 'options'> & { options: string }): PageCursor | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(row.options);
  } catch {
    return undefined;
  }
  const options = StoredOptions.safeParse(parsed);
  return options.success ? { ...row, options: options.data } : undefined;
}
