import { and, asc, eq, gte, inArray } from 'drizzle-orm';
import { artifactRows, BASELINE, candidatesOf, QUEUING } from '../artifact-alert-rows.ts';
import type { AlertedPaperArtifacts, ArtifactAlertBatch } from '../store.ts';
import { userDm } from '../row-values.ts';
import type { Db } from './open-db.ts';
import { enqueue } from './outbox.ts';
import { alertedPapers, artifactAlerts } from './schema.ts';

// Artifact alerts' persistence (src/alerts/plan-artifact-alerts.ts holds the rules).

export function artifactAlertCandidates(db: Db, alertedSince: number): AlertedPaperArtifacts[] {
  const alerted = db
    .select()
    .from(alertedPapers)
    .where(gte(alertedPapers.alertedAt, alertedSince))
    .orderBy(asc(alertedPapers.alertedAt), asc(alertedPapers.paperId))
    .all();
  if (alerted.length === 0) return [];
  const recent = db.select({ id: alertedPapers.paperId }).from(alertedPapers).where(gte(alertedPapers.alertedAt, alertedSince));
  const known = db.select().from(artifactAlerts).where(inArray(artifactAlerts.paperId, recent)).all();
  return candidatesOf(alerted, known);
}

/**
 * One unit. The told rows are inserted first (a row the user has already is left alone): the rows
 * that went in are exactly what the DM tells, so a second recording, or a crash and a new pass,
 * never tells a kind twice.
 */
export function recordArtifactAlerts(db: Db, batch: ArtifactAlertBatch): { deliveries: number; items: number } {
  const counts = { deliveries: 0, items: 0 };
  db.transaction(
    (tx) => {
      for (const dm of batch.dms) {
        if (dm.baseline.length > 0) tx.insert(artifactAlerts).values(artifactRows(dm.user, dm.baseline, BASELINE, batch.now)).onConflictDoNothing().run();
        if (dm.items.length === 0) continue;
        const fresh = tx
          .insert(artifactAlerts)
          .values(artifactRows(dm.user, dm.items, QUEUING, batch.now))
          .onConflictDoNothing()
          .returning({ paperId: artifactAlerts.paperId, kind: artifactAlerts.kind })
          .all();
        if (fresh.length === 0) continue;
        const delivery = enqueue(tx, userDm(dm.user, 'artifacts', dm.idempotencyKey, dm.message(fresh), batch.now));
        tx.update(artifactAlerts)
          .set({ deliveryId: delivery.id })
          .where(and(eq(artifactAlerts.platform, dm.user.platform), eq(artifactAlerts.userId, dm.user.id), eq(artifactAlerts.deliveryId, QUEUING)))
          .run();
        if (delivery.created) counts.deliveries += 1;
        counts.items += fresh.length;
      }
    },
    { behavior: 'immediate' },
  );
  return counts;
}
