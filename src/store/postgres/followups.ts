import { and, desc, eq, gte, inArray, isNotNull, ne } from 'drizzle-orm';
import { BASELINE, baselineRows, followupKey, freshItems, latestTold } from '../followup-rows.ts';
import type { FollowupThread, FollowupWrite } from '../store.ts';
import { enqueue } from './outbox.ts';
import type { PgDb } from './pg-db.ts';
import { deliveries, followupItems, ingestRuns } from './schema.ts';

// As on SQLite (../sqlite/followups.ts). recordFollowup locks the digest's outbox row first, so
// two replicas planning at once queue one follow-up, not two with the same number.

export async function followupThreads(db: PgDb, platform: string, channelId: string, sentSince: number): Promise<FollowupThread[]> {
  const posts = await db
    .select()
    .from(deliveries)
    .where(
      and(
        eq(deliveries.platform, platform),
        eq(deliveries.targetId, channelId),
        eq(deliveries.kind, 'digest'),
        eq(deliveries.state, 'sent'),
        isNotNull(deliveries.messageId),
        gte(deliveries.sentAt, sentSince),
      ),
    )
    .orderBy(desc(deliveries.id));
  if (posts.length === 0) return [];
  const rows = await db
    .select()
    .from(followupItems)
    .where(inArray(followupItems.digestKey, posts.map((post) => post.idempotencyKey)));
  return posts.map((digest) => {
    const mine = rows.filter((row) => row.digestKey === digest.idempotencyKey);
    return {
      digest,
      lastFollowupAt: latestTold(mine),
      told: mine.map((row) => ({ paperId: row.paperId, item: row.item })),
    };
  });
}

export async function recordFollowup(db: PgDb, write: FollowupWrite): Promise<{ deliveryId: number | null; items: number }> {
  return db.transaction(async (tx) => {
    await tx.select({ id: deliveries.id }).from(deliveries).where(eq(deliveries.idempotencyKey, write.digest.idempotencyKey)).for('update');
    if (write.baseline.length > 0) {
      await tx.insert(followupItems).values(baselineRows(write)).onConflictDoNothing();
    }
    const told = await tx.select().from(followupItems).where(eq(followupItems.digestKey, write.digest.idempotencyKey));
    const latest = latestTold(told);
    if (latest !== null && latest > write.quietSince) return { deliveryId: null, items: 0 };
    const fresh = freshItems(write.items, told);
    if (fresh.length === 0 || write.digest.messageId === null) return { deliveryId: null, items: 0 };
    const delivery = await enqueue(tx, {
      platform: write.digest.platform,
      targetKind: 'channel',
      targetId: write.digest.targetId,
      kind: 'followup',
      idempotencyKey: followupKey(write.digest.idempotencyKey, new Set(told.filter((row) => row.deliveryId !== BASELINE).map((row) => row.deliveryId)).size + 1),
      message: write.message(fresh),
      now: write.now,
      replyTo: { messageId: write.digest.messageId, threadName: write.threadName },
    });
    await tx
      .insert(followupItems)
      .values(fresh.map((item) => ({ digestKey: write.digest.idempotencyKey, ...item, deliveryId: delivery.id, at: write.now })))
      .onConflictDoNothing();
    return { deliveryId: delivery.id, items: fresh.length };
  });
}

export async function regularlyIngestedDays(db: PgDb, feedDates: string[]): Promise<Set<string>> {
  if (feedDates.length === 0) return new Set();
  const rows = await db
    .selectDistinct({ feedDate: ingestRuns.feedDate })
    .from(ingestRuns)
    .where(and(inArray(ingestRuns.feedDate, feedDates), inArray(ingestRuns.status, ['ok', 'empty']), ne(ingestRuns.trigger, 'backfill')));
  return new Set(rows.map((row) => row.feedDate));
}
