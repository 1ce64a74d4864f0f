import { and, desc, eq, gte, inArray, isNotNull, ne } from 'drizzle-orm';
import { BASELINE, baselineRows, followupKey, freshItems, latestTold } from '../followup-rows.ts';
import type { FollowupThread, FollowupWrite } from '../store.ts';
import type { Db } from './open-db.ts';
import { enqueue } from './outbox.ts';
import { deliveries, followupItems, ingestRuns } from './schema.ts';

// The follow-ups' persistence (src/followups/ holds the rules): which digest posts can still get
// one, what their threads were told, and the unit that queues a follow-up with its items.

export function followupThreads(db: Db, platform: string, channelId: string, sentSince: number): FollowupThread[] {
  const posts = db
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
    .orderBy(desc(deliveries.id))
    .all();
  if (posts.length === 0) return [];
  const rows = db
    .select()
    .from(followupItems)
    .where(inArray(followupItems.digestKey, posts.map((post) => post.idempotencyKey)))
    .all();
  return posts.map((digest) => {
    const mine = rows.filter((row) => row.digestKey === digest.idempotencyKey);
    return {
      digest,
      lastFollowupAt: latestTold(mine),
      told: mine.map((row) => ({ paperId: row.paperId, item: row.item })),
    };
  });
}

export function recordFollowup(db: Db, write: FollowupWrite): { deliveryId: number | null; items: number } {
  return db.transaction(
    (tx) => {
      if (write.baseline.length > 0) {
        tx.insert(followupItems).values(baselineRows(write)).onConflictDoNothing().run();
      }
      const told = tx.select().from(followupItems).where(eq(followupItems.digestKey, write.digest.idempotencyKey)).all();
      const latest = latestTold(told);
      if (latest !== null && latest > write.quietSince) return { deliveryId: null, items: 0 };
      const fresh = freshItems(write.items, told);
      if (fresh.length === 0 || write.digest.messageId === null) return { deliveryId: null, items: 0 };
      const delivery = enqueue(tx, {
        platform: write.digest.platform,
        targetKind: 'channel',
        targetId: write.digest.targetId,
        kind: 'followup',
        idempotencyKey: followupKey(write.digest.idempotencyKey, new Set(told.filter((row) => row.deliveryId !== BASELINE).map((row) => row.deliveryId)).size + 1),
        message: write.message(fresh),
        now: write.now,
        replyTo: { messageId: write.digest.messageId, threadName: write.threadName },
      });
      tx.insert(followupItems)
        .values(fresh.map((item) => ({ digestKey: write.digest.idempotencyKey, ...item, deliveryId: delivery.id, at: write.now })))
        .onConflictDoNothing()
        .run();
      return { deliveryId: delivery.id, items: fresh.length };
    },
    { behavior: 'immediate' },
  );
}

export function regularlyIngestedDays(db: Db, feedDates: string[]): Set<string> {
  if (feedDates.length === 0) return new Set();
  const rows = db
    .selectDistinct({ feedDate: ingestRuns.feedDate })
    .from(ingestRuns)
    .where(and(inArray(ingestRuns.feedDate, feedDates), inArray(ingestRuns.status, ['ok', 'empty']), ne(ingestRuns.trigger, 'backfill')))
    .all();
  return new Set(rows.map((row) => row.feedDate));
}
