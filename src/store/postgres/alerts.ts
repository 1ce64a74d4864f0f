import { inArray } from 'drizzle-orm';
import { alertedByUser, userKey, type AlertedPair } from '../alerted-by-user.ts';
import type { AlertBatch } from '../store.ts';
import { userDm } from '../row-values.ts';
import { advanceAlertWatermark } from './alert-watermark.ts';
import { enqueue } from './outbox.ts';
import type { PgDb } from './pg-db.ts';
import { alertedPapers } from './schema.ts';

/**
 * Who was already alerted to any of `paperIds`: the one query behind both the matcher's early drop
 * (Store.alertedAmong) and recordAlerts' check inside its transaction.
 */
export async function alertedAmong(db: Pick<PgDb, 'select'>, paperIds: number[]): Promise<AlertedPair[]> {
  if (paperIds.length === 0) return [];
  return db
    .select({ platform: alertedPapers.platform, userId: alertedPapers.userId, paperId: alertedPapers.paperId })
    .from(alertedPapers)
    .where(inArray(alertedPapers.paperId, paperIds));
}

/**
 * One transaction: the watermark moves, and each DM row is written with its alerted_papers rows.
 * Papers already alerted to a user are dropped inside it, so a paper is never alerted twice to a
 * user, even when the same batch is recorded again after a crash (the idempotency key dedupes the
 * DM; a concurrent twin waits on the key's index entry, then finds the row).
 */
export async function recordAlerts(db: PgDb, batch: AlertBatch): Promise<{ deliveries: number; papers: number }> {
  return db.transaction(async (tx) => {
    const counts = { deliveries: 0, papers: 0 };
    // The watermark's row lock comes first: a concurrent twin waits here, then reads what this one wrote.
    await advanceAlertWatermark(tx, batch.throughPaperId, batch.now);
    // One read for every DM of the batch.
    const done = alertedByUser(await alertedAmong(tx, [...new Set(batch.dms.flatMap((dm) => dm.paperIds))]));
    for (const dm of batch.dms) {
      const before = done.get(userKey(dm.user.platform, dm.user.id));
      const fresh = [...new Set(dm.paperIds)].filter((id) => !before?.has(id));
      if (fresh.length === 0) continue;
      const delivery = await enqueue(tx, userDm(dm.user, 'alert', dm.idempotencyKey, dm.message(fresh), batch.now));
      await tx
        .insert(alertedPapers)
        .values(fresh.map((paperId) => ({ platform: dm.user.platform, userId: dm.user.id, paperId, deliveryId: delivery.id, alertedAt: batch.now })))
        .onConflictDoNothing();
      if (delivery.created) counts.deliveries += 1;
      counts.papers += fresh.length;
    }
    return counts;
  });
}
