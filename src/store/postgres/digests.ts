import { and, desc, eq, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import { digestValues, laterFeedDay, reschedules } from '../row-values.ts';
import type { ChannelRef, DigestRow, DigestWrite, NewDelivery, PauseReason } from '../store.ts';
import { enqueue } from './outbox.ts';
import type { PgTx } from './papers.ts';
import type { PgDb } from './pg-db.ts';
import { pgText, pgTextValues } from './pg-text.ts';
import { channelDigests, deliveries, ingestRuns } from './schema.ts';

// As on SQLite (../sqlite/digests.ts). Where SQLite serialises writers with BEGIN IMMEDIATE, each
// read-then-write here locks what it read: the channel's row (FOR UPDATE), or, for a digest that
// may not exist yet, a transaction-level advisory lock on platform + channel.

type StartFeedDay = DigestWrite['startFeedDay'];

/** First key of the per-channel digest lock; the second is a hash of platform and channel. */
const DIGEST_LOCK_KEY = 0x70626467; // 'pbdg'

const ofChannel = (platform: string, channelId: string) => and(eq(channelDigests.platform, platform), eq(channelDigests.channelId, channelId));

/**
 * Creates or updates the channel's digest in one transaction. Fields not in the patch keep their
 * value. Setting a digest also re-enables a disabled one and resumes a paused one, and then its
 * watermark starts at `startFeedDay` (never moving back: no day is posted twice).
 */
export async function saveDigest(db: PgDb, write: DigestWrite): Promise<DigestRow> {
  const { channel, now } = write;
  return db.transaction(async (tx) => {
    // Two admins saving at once (on two replicas) serialise, as on SQLite.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${DIGEST_LOCK_KEY}, hashtext(${`${channel.platform}:${channel.id}`}))`);
    const [existing] = await tx.select().from(channelDigests).where(ofChannel(channel.platform, channel.id));
    const postKeys = reschedules(write, existing) ? await digestPostKeys(tx, channel.platform, channel.id) : [];
    const values = pgTextValues(digestValues(write, existing, postKeys));
    const [row] = await tx
      .insert(channelDigests)
      .values({ platform: channel.platform, channelId: channel.id, createdAt: now, ...values })
      .onConflictDoUpdate({ target: [channelDigests.platform, channelDigests.channelId], set: values })
      .returning();
    if (!row) throw new Error('digest upsert returned no row');
    return row;
  });
}

/** The channel's digest posts that were sent or are on their way (skipped and failed ones posted nothing). */
const digestPosts = (platform: string, channelId: string) =>
  and(eq(deliveries.platform, platform), eq(deliveries.targetId, channelId), eq(deliveries.kind, 'digest'), inArray(deliveries.state, ['sent', 'pending', 'sending']));

/** Outbox keys of the channel's digest posts. */
async function digestPostKeys(tx: PgTx, platform: string, channelId: string): Promise<string[]> {
  const rows = await tx.select({ key: deliveries.idempotencyKey }).from(deliveries).where(digestPosts(platform, channelId));
  return rows.map((row) => row.key);
}

export async function getDigest(db: PgDb, platform: string, channelId: string): Promise<DigestRow | undefined> {
  const [row] = await db.select().from(channelDigests).where(ofChannel(platform, channelId));
  return row;
}

/** Every configured digest (enabled or not), oldest first. */
export async function listDigests(db: PgDb): Promise<DigestRow[]> {
  return db.select().from(channelDigests).orderBy(channelDigests.createdAt);
}

/** `digest off` keeps the row, so `digest set` brings back the same config. Undefined: no digest. */
export async function disableDigest(db: PgDb, channel: ChannelRef, userId: string, now: number): Promise<{ row: DigestRow; wasEnabled: boolean } | undefined> {
  return db.transaction(async (tx) => {
    const where = ofChannel(channel.platform, channel.id);
    const [existing] = await tx.select().from(channelDigests).where(where).for('update');
    if (!existing) return undefined;
    if (!existing.enabled) return { row: existing, wasEnabled: false };
    const [row] = await tx.update(channelDigests).set({ enabled: false, updatedBy: userId, updatedAt: now }).where(where).returning();
    return { row: row ?? existing, wasEnabled: true };
  });
}

/** The channel's latest digest that was sent or is on its way; skipped (empty) and failed ones do not count. */
export async function latestDigestPost(db: PgDb, platform: string, channelId: string): Promise<{ idempotencyKey: string; state: 'sent' | 'queued' } | undefined> {
  const [row] = await db
    .select({ idempotencyKey: deliveries.idempotencyKey, state: deliveries.state })
    .from(deliveries)
    .where(digestPosts(platform, channelId))
    .orderBy(desc(deliveries.id))
    .limit(1);
  return row && { idempotencyKey: row.idempotencyKey, state: row.state === 'sent' ? 'sent' : 'queued' };
}

/** The platform refused us (channel gone, access lost): stop posting, keep the config. False if no digest. */
export async function pauseTarget(db: PgDb, platform: string, channelId: string, reason: PauseReason, now: number): Promise<boolean> {
  const rows = await db.update(channelDigests).set({ pausedReason: reason, pausedAt: now }).where(ofChannel(platform, channelId)).returning({ channelId: channelDigests.channelId });
  return rows.length > 0;
}

async function resumeIn(tx: PgTx, platform: string, channelId: string, startFeedDay: StartFeedDay, now: number): Promise<boolean> {
  const [row] = await tx.select().from(channelDigests).where(ofChannel(platform, channelId)).for('update');
  if (!row || row.pausedReason === null) return false;
  await tx
    .update(channelDigests)
    .set({ pausedReason: null, pausedAt: null, lastFeedDate: laterFeedDay(row.lastFeedDate, startFeedDay(row.time, row.timezone)), updatedAt: now })
    .where(ofChannel(platform, channelId));
  return true;
}

/** Access is back: posting resumes from the next due time (days missed while paused are not posted). False when not paused. */
export async function resumeTarget(db: PgDb, platform: string, channelId: string, startFeedDay: StartFeedDay, now: number): Promise<boolean> {
  return db.transaction((tx) => resumeIn(tx, platform, channelId, startFeedDay, now));
}

/** Resumes every paused digest of a workspace, each in its own transaction, as on SQLite. Returns the resumed channel ids. */
export async function resumeWorkspace(db: PgDb, platform: string, workspaceId: string, startFeedDay: StartFeedDay, now: number): Promise<string[]> {
  const paused = await db
    .select({ channelId: channelDigests.channelId })
    .from(channelDigests)
    .where(and(eq(channelDigests.platform, platform), eq(channelDigests.workspaceId, workspaceId), isNotNull(channelDigests.pausedReason)))
    .orderBy(channelDigests.channelId);
  const resumed: string[] = [];
  for (const row of paused) {
    if (await resumeTarget(db, platform, row.channelId, startFeedDay, now)) resumed.push(row.channelId);
  }
  return resumed;
}

/** The announcement watermark never moves back (YYYY-MM-DD strings compare as dates). */
const laterAnnouncement = (announcement: string) =>
  sql`CASE WHEN ${channelDigests.lastAnnouncement} IS NULL OR ${channelDigests.lastAnnouncement} < ${announcement}::text THEN ${announcement}::text ELSE ${channelDigests.lastAnnouncement} END`;

/**
 * The digest's outbox row and its watermark move in one transaction, and the watermark only moves
 * forward: a concurrent tick waits for the row lock, re-checks the condition and moves nothing.
 */
export async function enqueueDigest(db: PgDb, delivery: NewDelivery, feedDate: string, announcement?: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const moved = await tx
      .update(channelDigests)
      .set({ lastFeedDate: feedDate, ...(announcement === undefined ? {} : { lastAnnouncement: laterAnnouncement(announcement) }) })
      .where(and(ofChannel(delivery.platform, delivery.targetId), or(isNull(channelDigests.lastFeedDate), lt(channelDigests.lastFeedDate, feedDate))))
      .returning({ channelId: channelDigests.channelId });
    if (moved.length === 0) return false;
    await enqueue(tx, delivery);
    return true;
  });
}

/**
 * The latest feed day before `today` ingested successfully by a run that started after the day
 * ended (UTC), so its list is final. Null if none.
 */
export async function latestCompleteFeedDay(db: PgDb, today: string): Promise<string | null> {
  const endOfDayMs = sql`((${ingestRuns.feedDate})::date - date '1970-01-01' + 1)::bigint * 86400000`;
  const [row] = await db
    .select({ day: sql<string | null>`max(${ingestRuns.feedDate})` })
    .from(ingestRuns)
    .where(and(inArray(ingestRuns.status, ['ok', 'empty']), lt(ingestRuns.feedDate, today), sql`${ingestRuns.startedAt} >= ${endOfDayMs}`));
  return row?.day ?? null;
}
