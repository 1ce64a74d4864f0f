import { alertedByUser, userKey, type AlertedPair } from '../alerted-by-user.ts';
import type { AlertBatch } from '../store.ts';
import { userDm } from '../row-values.ts';
import { advanceAlertWatermark } from './alert-watermark.ts';
import type { Db } from './open-db.ts';
import { enqueue } from './outbox.ts';
import { alertedPapers } from './schema.ts';

/**
 * Who was already alerted to any of `paperIds`: the one query behind both the matcher's early drop
 * (Store.alertedAmong) and recordAlerts' check inside its unit.
 */
export function alertedAmong(db: Db, paperIds: number[]): AlertedPair[] {
  if (paperIds.length === 0) return [];
  return db.$client
    .prepare<[string], AlertedPair>(
      'SELECT platform, user_id AS userId, paper_id AS paperId FROM alerted_papers WHERE paper_id IN (SELECT value FROM json_each(?))',
    )
    .all(JSON.stringify(paperIds));
}

/**
 * One unit: the watermark moves, and each DM row is written with its alerted_papers rows. Papers
 * already alerted to a user are dropped inside it, so a paper is never alerted twice to a user,
 * even when the same batch is recorded again after a crash (the idempotency key dedupes the DM).
 */
export function recordAlerts(db: Db, batch: AlertBatch): { deliveries: number; papers: number } {
  const counts = { deliveries: 0, papers: 0 };
  db.transaction(
    (tx) => {
      advanceAlertWatermark(tx, batch.throughPaperId, batch.now);
      // Same connection, inside the unit: one read for every DM of the batch.
      const done = alertedByUser(alertedAmong(db, [...new Set(batch.dms.flatMap((dm) => dm.paperIds))]));
      for (const dm of batch.dms) {
        const before = done.get(userKey(dm.user.platform, dm.user.id));
        const fresh = [...new Set(dm.paperIds)].filter((id) => !before?.has(id));
        if (fresh.length === 0) continue;
        const delivery = enqueue(tx, userDm(dm.user, 'alert', dm.idempotencyKey, dm.message(fresh), batch.now));
        tx.insert(alertedPapers)
          .values(fresh.map((paperId) => ({ platform: dm.user.platform, userId: dm.user.id, paperId, deliveryId: delivery.id, alertedAt: batch.now })))
          .onConflictDoNothing()
          .run();
        if (delivery.created) counts.deliveries += 1;
        counts.papers += fresh.length;
      }
    },
    { behavior: 'immediate' },
  );
  return counts;
}
