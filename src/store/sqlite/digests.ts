import { and, desc, eq, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import { toFeedDate } from '../../clock.ts';
import type { Deps } from '../../deps.ts';
import { scheduledFeedDay } from '../../digest/local-time.ts';
import { timeZoneName } from '../../digest/time-zone-name.ts';
import { UserError } from '../../errors.ts';
import { compileQuery } from './fts5-query.ts';
import type { Query } from '../../search/parse-query.ts';
import type { Platform } from '../../platforms/types.ts';
import type { Db } from './open-db.ts';
import { channelDigests, deliveries, ingestRuns } from './schema.ts';

export type DigestRow = typeof channelDigests.$inferSelect;
export type DigestChannel = { platform: Platform; id: string; workspaceId?: string };
export type DigestUser = { platform: Platform; id: string };

/** Only the fields given change; a first `set` fills the rest from config defaults (top 5). */
export type DigestPatch = {
  /** HH:MM (H:MM accepted), local to `timezone`. */
  time?: string;
  /** IANA name, stored as typed with its case fixed (`europe/kyiv` → `Europe/Kyiv`). */
  timezone?: string;
  /** 1–MAX_TOP papers. */
  top?: number;
  /** 0–MAX_MIN_UPVOTES. */
  minUpvotes?: number;
  /** Include/exclude terms in the query language; '' = every paper. */
  query?: string;
  postWhenEmpty?: boolean;
};

export const DEFAULT_TOP = 5;
export const MAX_TOP = 25;
/** The one bound on a digest's min_upvotes: the command schema, usage, Discord and the README use it. */
export const MAX_MIN_UPVOTES = 1_000_000;
const MAX_QUERY_LENGTH = 300;

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Throws UserError('bad_option') naming the option, with the value the user gave. */
function validatedPatch(patch: DigestPatch): DigestPatch {
  const out: DigestPatch = {};
  if (patch.time !== undefined) {
    const match = /^(\d{1,2}):(\d{2})$/.exec(patch.time.trim());
    const hours = Number(match?.[1]);
    const minutes = Number(match?.[2]);
    if (!match || hours > 23 || minutes > 59) {
      throw new UserError('bad_option', `time must be HH:MM on a 24-hour clock, like 09:00 or 17:30 (got "${patch.time}").`);
    }
    out.time = `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
  }
  if (patch.timezone !== undefined) {
    const zone = timeZoneName(patch.timezone);
    if (zone === null) {
      throw new UserError('bad_option', `timezone must be an IANA time zone like Europe/Berlin or America/New_York (got "${patch.timezone}").`);
    }
    out.timezone = zone;
  }
  if (patch.top !== undefined) {
    if (!Number.isInteger(patch.top) || patch.top < 1 || patch.top > MAX_TOP) {
      throw new UserError('bad_option', `top must be a whole number from 1 to ${MAX_TOP} (got ${patch.top}).`);
    }
    out.top = patch.top;
  }
  if (patch.minUpvotes !== undefined) {
    if (!Number.isInteger(patch.minUpvotes) || patch.minUpvotes < 0 || patch.minUpvotes > MAX_MIN_UPVOTES) {
      throw new UserError('bad_option', `min_upvotes must be a whole number from 0 to ${MAX_MIN_UPVOTES} (got ${patch.minUpvotes}).`);
    }
    out.minUpvotes = patch.minUpvotes;
  }
  if (patch.query !== undefined) {
    // Any text is a valid query (invalid syntax reads as plain words), so only the length is checked.
    const query = patch.query.trim();
    if (query.length > MAX_QUERY_LENGTH) {
      throw new UserError('bad_option', `query is too long (${query.length} characters, at most ${MAX_QUERY_LENGTH}).`);
    }
    out.query = query;
  }
  if (patch.postWhenEmpty !== undefined) out.postWhenEmpty = patch.postWhenEmpty;
  return out;
}

function later(a: string | null, b: string): string {
  return a !== null && a > b ? a : b;
}

/**
 * Creates or updates the channel's digest (admins only; the caller checks). Fields not in `patch`
 * keep their value. Setting a digest also re-enables a disabled one and resumes a paused one.
 *
 * Watermark: a new (or re-enabled, or resumed) digest starts at the feed day its most recent
 * scheduled time already covered, so it never posts old days: the first post is at the next due
 * time. An existing watermark never moves back (no day is posted twice).
 * Throws UserError('bad_option').
 */
export function setDigest(deps: Pick<Deps, 'config' | 'db' | 'clock'>, channel: DigestChannel, user: DigestUser, patch: DigestPatch): DigestRow {
  const valid = validatedPatch(patch);
  const now = deps.clock.now();
  return deps.db.transaction(
    (tx) => {
      const existing = tx
        .select()
        .from(channelDigests)
        .where(and(eq(channelDigests.platform, channel.platform), eq(channelDigests.channelId, channel.id)))
        .get();
      const time = valid.time ?? existing?.time ?? deps.config.DEFAULT_DIGEST_TIME;
      const timezone = valid.timezone ?? existing?.timezone ?? timeZoneName(deps.config.DEFAULT_TIMEZONE) ?? deps.config.DEFAULT_TIMEZONE;
      const restarting = !existing || !existing.enabled || existing.pausedReason !== null;
      const lastFeedDate = restarting
        ? later(existing?.lastFeedDate ?? null, scheduledFeedDay(time, timezone, now))
        : existing.lastFeedDate;
      const values = {
        time,
        timezone,
        top: valid.top ?? existing?.top ?? DEFAULT_TOP,
        minUpvotes: valid.minUpvotes ?? existing?.minUpvotes ?? 0,
        query: valid.query ?? existing?.query ?? '',
        postWhenEmpty: valid.postWhenEmpty ?? existing?.postWhenEmpty ?? false,
        enabled: true,
        pausedReason: null,
        pausedAt: null,
        lastFeedDate,
        workspaceId: channel.workspaceId ?? existing?.workspaceId ?? null,
        updatedBy: user.id,
        updatedAt: now.getTime(),
      };
      return tx
        .insert(channelDigests)
        .values({ platform: channel.platform, channelId: channel.id, createdAt: now.getTime(), ...values })
        .onConflictDoUpdate({ target: [channelDigests.platform, channelDigests.channelId], set: values })
        .returning()
        .get();
    },
    { behavior: 'immediate' },
  );
}

export function getDigest(db: Db, platform: string, channelId: string): DigestRow | undefined {
  return db
    .select()
    .from(channelDigests)
    .where(and(eq(channelDigests.platform, platform), eq(channelDigests.channelId, channelId)))
    .get();
}

/** Every configured digest (enabled or not), oldest first. */
export function listDigests(db: Db): DigestRow[] {
  return db.select().from(channelDigests).orderBy(channelDigests.createdAt).all();
}

/**
 * `digest off`: stops posting but keeps the row, so `digest set` brings back the same config.
 * `wasEnabled` is false when it was off already (the row is then left as it was).
 * Throws UserError('not_found').
 */
export function disableDigest(deps: Pick<Deps, 'db' | 'clock'>, channel: DigestChannel, user: DigestUser): { row: DigestRow; wasEnabled: boolean } {
  return deps.db.transaction((tx) => {
    const where = and(eq(channelDigests.platform, channel.platform), eq(channelDigests.channelId, channel.id));
    const existing = tx.select().from(channelDigests).where(where).get();
    if (!existing) throw new UserError('not_found', 'This channel has no digest. Set one up with `/papers digest set`.');
    if (!existing.enabled) return { row: existing, wasEnabled: false };
    const row = tx.update(channelDigests).set({ enabled: false, updatedBy: user.id, updatedAt: deps.clock.now().getTime() }).where(where).returning().get();
    return { row: row ?? existing, wasEnabled: true };
  });
}

/**
 * The channel's latest digest that was sent or is on its way (`queued`), from the outbox; rows
 * recorded as `skipped` (an empty day, posted quietly as nothing) and failed ones do not count.
 * Undefined when the channel never got a digest: the watermark alone cannot tell, as a new digest
 * starts it at the last day it would have covered.
 */
export function latestDigestPost(db: Db, platform: string, channelId: string): { idempotencyKey: string; state: 'sent' | 'queued' } | undefined {
  const row = db
    .select({ idempotencyKey: deliveries.idempotencyKey, state: deliveries.state })
    .from(deliveries)
    .where(
      and(
        eq(deliveries.platform, platform),
        eq(deliveries.targetId, channelId),
        eq(deliveries.kind, 'digest'),
        inArray(deliveries.state, ['sent', 'pending', 'sending']),
      ),
    )
    .orderBy(desc(deliveries.id))
    .limit(1)
    .get();
  return row && { idempotencyKey: row.idempotencyKey, state: row.state === 'sent' ? 'sent' : 'queued' };
}

/** The platform refused us (channel gone, access lost): stop posting, keep the config. False if no digest. */
export function pauseTarget(db: Db, platform: string, channelId: string, reason: string, now: number): boolean {
  const rows = db
    .update(channelDigests)
    .set({ pausedReason: reason, pausedAt: now })
    .where(and(eq(channelDigests.platform, platform), eq(channelDigests.channelId, channelId)))
    .returning({ channelId: channelDigests.channelId })
    .all();
  return rows.length > 0;
}

/**
 * Access is back: posting resumes from the next due time (days missed while paused are not
 * posted, like a new digest). False when the channel was not paused.
 */
export function resumeTarget(db: Db, platform: string, channelId: string, now: Date): boolean {
  return db.transaction((tx) => {
    const row = tx
      .select()
      .from(channelDigests)
      .where(and(eq(channelDigests.platform, platform), eq(channelDigests.channelId, channelId)))
      .get();
    if (!row || row.pausedReason === null) return false;
    tx.update(channelDigests)
      .set({
        pausedReason: null,
        pausedAt: null,
        lastFeedDate: later(row.lastFeedDate, scheduledFeedDay(row.time, row.timezone, now)),
        updatedAt: now.getTime(),
      })
      .where(and(eq(channelDigests.platform, platform), eq(channelDigests.channelId, channelId)))
      .run();
    return true;
  });
}

/**
 * Access may be back for every paused digest of a workspace (the bot was added to the server
 * again, a role changed): resumes them all. A channel still out of reach pauses again on its
 * next post, with one failed row and one log line. Returns the resumed channel ids.
 */
export function resumeWorkspace(db: Db, platform: string, workspaceId: string, now: Date): string[] {
  const paused = db
    .select({ channelId: channelDigests.channelId })
    .from(channelDigests)
    .where(and(eq(channelDigests.platform, platform), eq(channelDigests.workspaceId, workspaceId), isNotNull(channelDigests.pausedReason)))
    .all();
  return paused.filter((row) => resumeTarget(db, platform, row.channelId, now)).map((row) => row.channelId);
}

/**
 * Moves the watermark forward to `feedDate` inside the caller's transaction. False when another
 * tick already got there: the caller must then enqueue nothing.
 */
export function advanceWatermark(tx: Tx, platform: string, channelId: string, feedDate: string): boolean {
  const rows = tx
    .update(channelDigests)
    .set({ lastFeedDate: feedDate })
    .where(
      and(
        eq(channelDigests.platform, platform),
        eq(channelDigests.channelId, channelId),
        or(isNull(channelDigests.lastFeedDate), lt(channelDigests.lastFeedDate, feedDate)),
      ),
    )
    .returning({ channelId: channelDigests.channelId })
    .all();
  return rows.length > 0;
}

/**
 * The latest feed day that is over (before UTC today) AND was ingested successfully by a run
 * that started after the day ended, so its list is final. Digests wait for it: after downtime or
 * an HF outage they post once the data is there, never a half-filled day. Null if none.
 */
export function latestCompleteFeedDay(db: Db, now: Date): string | null {
  const today = toFeedDate(now);
  const endOfDayMs = sql`(CAST(strftime('%s', ${ingestRuns.feedDate}) AS INTEGER) + 86400) * 1000`;
  const row = db
    .select({ day: sql<string | null>`max(${ingestRuns.feedDate})` })
    .from(ingestRuns)
    .where(
      and(
        sql`${ingestRuns.status} IN ('ok', 'empty')`,
        lt(ingestRuns.feedDate, today),
        sql`${ingestRuns.startedAt} >= ${endOfDayMs}`,
      ),
    )
    .get();
  return row?.day ?? null;
}

/** Whether an ingest run fetched `feedDate` successfully (an empty day counts): its list is stored. */
export function feedDayFetched(db: Db, feedDate: string): boolean {
  const row = db
    .select({ feedDate: ingestRuns.feedDate })
    .from(ingestRuns)
    .where(and(eq(ingestRuns.feedDate, feedDate), sql`${ingestRuns.status} IN ('ok', 'empty')`))
    .limit(1)
    .get();
  return row !== undefined;
}

/**
 * The ids among `paperIds` (a digest's day, a few hundred at most) that match `query`, through
 * the one query compiler. The FTS check runs per candidate (`rowid = p.id`), so a common word
 * never materialises its whole posting list.
 */
export function paperIdsMatching(db: Db, query: Query, paperIds: number[]): Set<number> {
  const compiled = compileQuery(query);
  const matched = new Set<number>();
  const fts = compiled.match === null ? '' : ' AND EXISTS (SELECT 1 FROM papers_fts WHERE papers_fts MATCH ? AND rowid = p.id)';
  // Chunked: one bound parameter per id.
  for (let i = 0; i < paperIds.length; i += 500) {
    const chunk = paperIds.slice(i, i + 500);
    const statement = db.$client
      .prepare(`SELECT p.id FROM papers p WHERE p.id IN (${chunk.map(() => '?').join(',')}) AND (${compiled.where})${fts}`)
      .pluck();
    const params = [...chunk, ...compiled.params, ...(compiled.match === null ? [] : [compiled.match])];
    for (const id of statement.all(...params)) if (typeof id === 'number') matched.add(id);
  }
  return matched;
}
