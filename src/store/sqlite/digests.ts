import { and, desc, eq, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import { digestValues, laterFeedDay, reschedules } from '../row-values.ts';
import type { ChannelRef, DigestRow, DigestWrite, NewDelivery, PauseReason } from '../store.ts';
import type { Db } from './open-db.ts';
import { enqueue, type Tx } from './outbox.ts';
import { channelDigests, deliveries, ingestRuns } from './schema.ts';

type StartFeedDay = DigestWrite['startFeedDay'];

/**
 * Creates or updates the channel's digest in one unit (the caller validated the patch and checked
 * admin rights). Fields not in the patch keep their value. Setting a digest also re-enables a
 * disabled one and resumes a paused one, and then its watermark starts at `startFeedDay` (never
 * moving back: no day is posted twice).
 */
export function saveDigest(db: Db, write: DigestWrite): DigestRow {
  const { channel, now } = write;
  return db.transaction(
    (tx) => {
      const existing = tx
        .select()
        .from(channelDigests)
        .where(and(eq(channelDigests.platform, channel.platform), eq(channelDigests.channelId, channel.id)))
        .get();
      const postKeys = reschedules(write, existing) ? digestPostKeys(tx, channel.platform, channel.id) : [];
      const values = digestValues(write, existing, postKeys);
      return tx
        .insert(channelDigests)
        .values({ platform: channel.platform, channelId: channel.id, createdAt: now, ...values })
        .onConflictDoUpdate({ target: [channelDigests.platform, channelDigests.channelId], set: values })
        .returning()
        .get();
    },
    // Immediate: two admins saving at once serialise instead of failing with SQLITE_BUSY mid-way.
    { behavior: 'immediate' },
  );
}

/** The channel's digest posts that were sent or are on their way (skipped and failed ones posted nothing). */
const digestPosts = (platform: string, channelId: string) =>
  and(eq(deliveries.platform, platform), eq(deliveries.targetId, channelId), eq(deliveries.kind, 'digest'), inArray(deliveries.state, ['sent', 'pending', 'sending']));

/** Outbox keys of the channel's digest posts. */
function digestPostKeys(tx: Tx, platform: string, channelId: string): string[] {
  return tx.select({ key: deliveries.idempotencyKey }).from(deliveries).where(digestPosts(platform, channelId)).all().map((row) => row.key);
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

/** `digest off` keeps the row, so `digest set` brings back the same config. Undefined: no digest. */
export function disableDigest(db: Db, channel: ChannelRef, userId: string, now: number): { row: DigestRow; wasEnabled: boolean } | undefined {
  return db.transaction((tx) => {
    const where = and(eq(channelDigests.platform, channel.platform), eq(channelDigests.channelId, channel.id));
    const existing = tx.select().from(channelDigests).where(where).get();
    if (!existing) return undefined;
    if (!existing.enabled) return { row: existing, wasEnabled: false };
    const row = tx.update(channelDigests).set({ enabled: false, updatedBy: userId, updatedAt: now }).where(where).returning().get();
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
    .where(digestPosts(platform, channelId))
    .orderBy(desc(deliveries.id))
    .limit(1)
    .get();
  return row && { idempotencyKey: row.idempotencyKey, state: row.state === 'sent' ? 'sent' : 'queued' };
}

/** The platform refused us (channel gone, access lost): stop posting, keep the config. False if no digest. */
export function pauseTarget(db: Db, platform: string, channelId: string, reason: PauseReason, now: number): boolean {
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
export function resumeTarget(db: Db, platform: string, channelId: string, startFeedDay: StartFeedDay, now: number): boolean {
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
        lastFeedDate: laterFeedDay(row.lastFeedDate, startFeedDay(row.time, row.timezone)),
        updatedAt: now,
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
export function resumeWorkspace(db: Db, platform: string, workspaceId: string, startFeedDay: StartFeedDay, now: number): string[] {
  const paused = db
    .select({ channelId: channelDigests.channelId })
    .from(channelDigests)
    .where(and(eq(channelDigests.platform, platform), eq(channelDigests.workspaceId, workspaceId), isNotNull(channelDigests.pausedReason)))
    .all();
  return paused.filter((row) => resumeTarget(db, platform, row.channelId, startFeedDay, now)).map((row) => row.channelId);
}

/** The announcement watermark never moves back (YYYY-MM-DD strings compare as dates). */
const laterAnnouncement = (announcement: string) =>
  sql`CASE WHEN ${channelDigests.lastAnnouncement} IS NULL OR ${channelDigests.lastAnnouncement} < ${announcement} THEN ${announcement} ELSE ${channelDigests.lastAnnouncement} END`;

/** Moves the watermark forward to `feedDate` (and the announcement's, when given); false when another tick already got there. */
function advanceWatermark(tx: Tx, platform: string, channelId: string, feedDate: string, announcement: string | undefined): boolean {
  const rows = tx
    .update(channelDigests)
    .set({ lastFeedDate: feedDate, ...(announcement === undefined ? {} : { lastAnnouncement: laterAnnouncement(announcement) }) })
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
 * The digest's outbox row and its watermark move in one unit, and the watermark only moves
 * forward: a repeated tick (or a restart) can never queue the same day twice. False: queued nothing.
 */
export function enqueueDigest(db: Db, delivery: NewDelivery, feedDate: string, announcement?: string): boolean {
  return db.transaction(
    (tx) => {
      if (!advanceWatermark(tx, delivery.platform, delivery.targetId, feedDate, announcement)) return false;
      enqueue(tx, delivery);
      return true;
    },
    { behavior: 'immediate' },
  );
}

/**
 * The latest feed day that is over (before UTC today) AND was ingested successfully by a run
 * that started after the day ended, so its list is final. Digests wait for it: after downtime or
 * an HF outage they post once the data is there, never a half-filled day. Null if none.
 */
export function latestCompleteFeedDay(db: Db, today: string): string | null {
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
