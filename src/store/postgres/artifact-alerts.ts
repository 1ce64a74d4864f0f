import { and, asc, eq, gte, inArray } from 'drizzle-orm';
import { artifactRows, BASELINE, candidatesOf, QUEUING } from '../artifact-alert-rows.ts';
import type { AlertedPaperArtifacts, ArtifactAlertBatch } from '../store.ts';
import { userDm } from '../row-values.ts';
import { enqueue } from './outbox.ts';
import type { PgDb } from './pg-db.ts';
import { alertedPapers, artifactAlerts } from './schema.ts';

// As on SQLite (../sqlite/artifact-alerts.ts). Two replicas recording at once: the second insert
// of a (user, paper, kind) waits for the first unit and then inserts nothing, so it tells nothing.

export async function artifactAlertCandidates(db: PgDb, alertedSince: number): Promise<AlertedPaperArtifacts[]> {
  const alerted = await db
    .select()
    .from(alertedPapers)
    .where(gte(alertedPapers.alertedAt, alertedSince))
    .orderBy(asc(alertedPapers.alertedAt), asc(alertedPapers.paperId));
  if (alerted.length === 0) return [];
  const recent = db.select({ id: alertedPapers.paperId }).from(alertedPapers).where(gte(alertedPapers.alertedAt, alertedSince));
  const known = await db.select().from(artifactAlerts).where(inArray(artifactAlerts.paperId, recent));
  return candidatesOf(alerted, known);
}

export async function recordArtifactAlerts(db: PgDb, batch: ArtifactAlertBatch): Promise<{ deliveries: number; items: number }> {
  return db.transaction(async (tx) => {
    const counts = { deliveries: 0, items: 0 };
    for (const dm of batch.dms) {
      if (dm.baseline.length > 0) await tx.insert(artifactAlerts).values(artifactRows(dm.user, dm.baseline, BASELINE, batch.now)).onConflictDoNothing();
      if (dm.items.length === 0) continue;
      const fresh = await tx
        .insert(artifactAlerts)
        .values(artifactRows(dm.user, dm.items, QUEUING, batch.now))
        .onConflictDoNothing()
        .returning({ paperId: artifactAlerts.paperId, kind: artifactAlerts.kind });
      if (fresh.length === 0) continue;
      const delivery = await enqueue(tx, userDm(dm.user, 'artifacts', dm.idempotencyKey, dm.message(fresh), batch.now));
      await tx
        .update(artifactAlerts)
        .set({ deliveryId: delivery.id })
        .where(and(eq(artifactAlerts.platform, dm.user.platform), eq(artifactAlerts.userId, dm.user.id), eq(artifactAlerts.deliveryId, QUEUING)));
      if (delivery.created) counts.deliveries += 1;
      counts.items += fresh.length;
    }
    return counts;
  });
}
