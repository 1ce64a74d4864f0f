import { and, desc, eq, inArray, lte, notInArray, sql } from 'drizzle-orm';
import type { Message } from '../../messages/message.ts';
import { parseStoredMessage } from '../../messages/stored-message.ts';
import { deliveryValues } from '../row-values.ts';
import type { DeliveryCounts, DeliveryRow, DeliveryState, NewDelivery } from '../store.ts';
import type { PgTx } from './papers.ts';
import type { PgDb } from './pg-db.ts';
import { pgText } from './pg-text.ts';
import { deliveries } from './schema.ts';

// The durable outbox, as on SQLite (../sqlite/outbox.ts): pending → sending → sent | failed
// ('skipped' = recorded, nothing to send). 'sending' commits BEFORE the Sender is called. Several
// replicas may run a delivery worker at once (two can believe they lead for a moment), so a claim
// locks its rows with FOR UPDATE SKIP LOCKED: no two workers ever get the same row.

type DbOrTx = PgDb | PgTx;

/** Inserts the row unless its idempotency key exists. Returns the row's id and whether it is new. */
export async function enqueue(db: DbOrTx, row: NewDelivery): Promise<{ id: number; created: boolean }> {
  const [inserted] = await db
    .insert(deliveries)
    .values(deliveryValues(row))
    .onConflictDoNothing({ target: deliveries.idempotencyKey })
    .returning({ id: deliveries.id });
  if (inserted) return { id: inserted.id, created: true };
  // A conflicting insert waited for the other transaction to commit, so this statement sees its row.
  const [existing] = await db.select({ id: deliveries.id }).from(deliveries).where(eq(deliveries.idempotencyKey, row.idempotencyKey));
  if (!existing) throw new Error(`delivery ${row.idempotencyKey} neither inserted nor found`);
  return { id: existing.id, created: false };
}

/**
 * Marks up to `limit` due rows 'sending' (attempts + 1) in one transaction and returns them,
 * oldest due first. Only the oldest unfinished row of each target is eligible (one message per
 * target at a time, in order; a target in backoff holds its later rows back). A row another
 * worker has locked is skipped; its target's later rows stay ineligible, since the locked head
 * is still unfinished in this snapshot.
 */
export async function claimDue(db: PgDb, now: number, options: { limit: number; platforms: string[] }): Promise<DeliveryRow[]> {
  if (options.limit <= 0 || options.platforms.length === 0) return [];
  return db.transaction(async (tx) => {
    const headOfTarget = sql`${deliveries.id} = (
      SELECT min(d2.id) FROM deliveries d2
      WHERE d2.platform = ${deliveries.platform} AND d2.target_kind = ${deliveries.targetKind}
        AND d2.target_id = ${deliveries.targetId} AND d2.state IN ('pending', 'sending'))`;
    const candidates = await tx
      .select({ id: deliveries.id })
      .from(deliveries)
      .where(and(eq(deliveries.state, 'pending'), lte(deliveries.nextAttemptAt, now), inArray(deliveries.platform, options.platforms), headOfTarget))
      .orderBy(deliveries.nextAttemptAt, deliveries.id)
      .limit(options.limit)
      .for('update', { skipLocked: true });
    if (candidates.length === 0) return [];
    const claimed = await tx
      .update(deliveries)
      .set({ state: 'sending', attempts: sql`${deliveries.attempts} + 1` })
      .where(and(inArray(deliveries.id, candidates.map((row) => row.id)), eq(deliveries.state, 'pending')))
      .returning();
    return claimed.sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.id - b.id);
  });
}

export async function markSent(db: PgDb, id: number, messageId: string, now: number): Promise<void> {
  await db.update(deliveries).set({ state: 'sent', messageId, sentAt: now, lastError: null }).where(eq(deliveries.id, id));
}

/** Final: no more attempts. */
export async function markFailed(db: PgDb, id: number, error: string): Promise<void> {
  await db.update(deliveries).set({ state: 'failed', lastError: pgText(error).slice(0, 1000) }).where(eq(deliveries.id, id));
}

/**
 * Back to 'pending', due at `nextAttemptAt`. `refundAttempt` when the try was not the message's
 * fault (the platform's sending is suspended, or a crash interrupted it).
 */
export async function reschedule(db: PgDb, id: number, nextAttemptAt: number, error: string | null, options: { refundAttempt?: boolean } = {}): Promise<void> {
  await db
    .update(deliveries)
    .set({
      state: 'pending',
      nextAttemptAt,
      lastError: error === null ? null : pgText(error).slice(0, 1000),
      ...(options.refundAttempt ? { attempts: sql`greatest(${deliveries.attempts} - 1, 0)` } : {}),
    })
    .where(eq(deliveries.id, id));
}

/** Fails every pending row of a target the platform refuses (channel gone): they cannot succeed. */
export async function failPendingForTarget(db: PgDb, target: Pick<DeliveryRow, 'platform' | 'targetKind' | 'targetId'>, error: string): Promise<number> {
  const failed = await db
    .update(deliveries)
    .set({ state: 'failed', lastError: pgText(error) })
    .where(
      and(
        eq(deliveries.platform, target.platform),
        eq(deliveries.targetKind, target.targetKind),
        eq(deliveries.targetId, target.targetId),
        eq(deliveries.state, 'pending'),
      ),
    )
    .returning({ id: deliveries.id });
  return failed.length;
}

/** Rows left 'sending' (a crash mid-send), except those this process is sending right now. */
export async function listStuckSending(db: PgDb, inFlightIds: number[] = []): Promise<DeliveryRow[]> {
  return db
    .select()
    .from(deliveries)
    .where(and(eq(deliveries.state, 'sending'), notInArray(deliveries.id, inFlightIds)))
    .orderBy(deliveries.id);
}

const states: readonly string[] = ['pending', 'sending', 'sent', 'failed', 'skipped'] satisfies DeliveryState[];
function isDeliveryState(state: string): state is DeliveryState {
  return states.includes(state);
}

/** Rows per state, optionally for one platform (`status`: queued / failed deliveries). */
export async function deliveryCounts(db: PgDb, platform?: string): Promise<DeliveryCounts> {
  const counts: DeliveryCounts = { pending: 0, sending: 0, sent: 0, failed: 0, skipped: 0 };
  const rows = await db
    .select({ state: deliveries.state, n: sql<number>`count(*)`.mapWith(Number) })
    .from(deliveries)
    .where(platform ? eq(deliveries.platform, platform) : undefined)
    .groupBy(deliveries.state);
  for (const row of rows) {
    if (isDeliveryState(row.state)) counts[row.state] = row.n;
  }
  return counts;
}

export async function getDelivery(db: PgDb, id: number): Promise<DeliveryRow | undefined> {
  const [row] = await db.select().from(deliveries).where(eq(deliveries.id, id));
  return row;
}

/** The latest digest rows of a channel, newest first (`status`: last post, or "no papers on …"). */
export async function recentDigestDeliveries(db: PgDb, platform: string, channelId: string, limit = 5): Promise<DeliveryRow[]> {
  return db
    .select()
    .from(deliveries)
    .where(and(eq(deliveries.platform, platform), eq(deliveries.targetId, channelId), eq(deliveries.kind, 'digest')))
    .orderBy(desc(deliveries.id))
    .limit(limit);
}

/** A user's latest alert DMs that reached the platform, newest first; a payload that no longer parses is skipped. */
export async function recentAlertDeliveries(db: PgDb, platform: string, userId: string, limit: number): Promise<Array<{ sentAt: number; message: Message }>> {
  const rows = await db
    .select()
    .from(deliveries)
    .where(and(eq(deliveries.platform, platform), eq(deliveries.targetKind, 'user'), eq(deliveries.targetId, userId), eq(deliveries.kind, 'alert'), eq(deliveries.state, 'sent')))
    .orderBy(desc(deliveries.id))
    .limit(limit);
  return rows.flatMap((row) => {
    try {
      return [{ sentAt: row.sentAt ?? row.createdAt, message: parseStoredMessage(row.payload) }];
    } catch {
      return [];
    }
  });
}
