import { and, desc, eq, inArray, lte, notInArray, sql } from 'drizzle-orm';
import type { Message } from '../../messages/message.ts';
import { parseStoredMessage } from '../../messages/stored-message.ts';
import { deliveryValues } from '../row-values.ts';
import type { DeliveryCounts, DeliveryRow, DeliveryState, NewDelivery } from '../store.ts';
import type { Db } from './open-db.ts';
import { deliveries } from './schema.ts';

// The durable outbox. A row exists before anything is sent; its state moves
// pending → sending → sent | failed ('skipped' = recorded, nothing to send: an empty digest day).
// 'sending' is written in a transaction BEFORE the Sender is called, so a crash leaves evidence
// that start-up reconciliation resolves (see send-pending.ts).

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
type DbOrTx = Db | Tx;

/** Inserts the row unless its idempotency key exists. Returns the row's id and whether it is new. */
export function enqueue(db: DbOrTx, row: NewDelivery): { id: number; created: boolean } {
  const inserted = db
    .insert(deliveries)
    .values(deliveryValues(row))
    .onConflictDoNothing({ target: deliveries.idempotencyKey })
    .returning({ id: deliveries.id })
    .get();
  if (inserted) return { id: inserted.id, created: true };
  const existing = db.select({ id: deliveries.id }).from(deliveries).where(eq(deliveries.idempotencyKey, row.idempotencyKey)).get();
  if (!existing) throw new Error(`delivery ${row.idempotencyKey} neither inserted nor found`);
  return { id: existing.id, created: false };
}

/**
 * Marks up to `limit` due rows 'sending' (attempts + 1) in one transaction and returns them.
 * Only the oldest unfinished row of each target is eligible, so a target gets one message at a
 * time, in order, and a target in backoff (429) holds its later rows back too.
 */
export function claimDue(
  db: Db,
  now: number,
  options: { limit: number; platforms: string[] },
): DeliveryRow[] {
  if (options.limit <= 0 || options.platforms.length === 0) return [];
  return db.transaction(
    (tx) => {
      const headOfTarget = sql`${deliveries.id} = (
        SELECT min(d2.id) FROM deliveries d2
        WHERE d2.platform = ${deliveries.platform} AND d2.target_kind = ${deliveries.targetKind}
          AND d2.target_id = ${deliveries.targetId} AND d2.state IN ('pending', 'sending'))`;
      const candidates = tx
        .select()
        .from(deliveries)
        .where(and(eq(deliveries.state, 'pending'), lte(deliveries.nextAttemptAt, now), inArray(deliveries.platform, options.platforms), headOfTarget))
        .orderBy(deliveries.nextAttemptAt, deliveries.id)
        .limit(options.limit)
        .all();
      if (candidates.length === 0) return [];
      return tx
        .update(deliveries)
        .set({ state: 'sending', attempts: sql`${deliveries.attempts} + 1` })
        .where(and(inArray(deliveries.id, candidates.map((row) => row.id)), eq(deliveries.state, 'pending')))
        .returning()
        .all()
        .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.id - b.id);
    },
    { behavior: 'immediate' },
  );
}

export function markSent(db: Db, id: number, messageId: string, now: number): void {
  db.update(deliveries).set({ state: 'sent', messageId, sentAt: now, lastError: null }).where(eq(deliveries.id, id)).run();
}

/** Final: no more attempts. */
export function markFailed(db: Db, id: number, error: string): void {
  db.update(deliveries).set({ state: 'failed', lastError: error.slice(0, 1000) }).where(eq(deliveries.id, id)).run();
}

/**
 * Back to 'pending', due at `nextAttemptAt`. `refundAttempt` when the try was not the message's
 * fault (the platform's sending is suspended, or a crash interrupted it).
 */
export function reschedule(db: Db, id: number, nextAttemptAt: number, error: string | null, options: { refundAttempt?: boolean } = {}): void {
  db.update(deliveries)
    .set({
      state: 'pending',
      nextAttemptAt,
      lastError: error?.slice(0, 1000) ?? null,
      ...(options.refundAttempt ? { attempts: sql`max(${deliveries.attempts} - 1, 0)` } : {}),
    })
    .where(eq(deliveries.id, id))
    .run();
}

/** Fails every pending row of a target the platform refuses (channel gone): they cannot succeed. */
export function failPendingForTarget(db: Db, target: Pick<DeliveryRow, 'platform' | 'targetKind' | 'targetId'>, error: string): number {
  return db
    .update(deliveries)
    .set({ state: 'failed', lastError: error })
    .where(
      and(
        eq(deliveries.platform, target.platform),
        eq(deliveries.targetKind, target.targetKind),
        eq(deliveries.targetId, target.targetId),
        eq(deliveries.state, 'pending'),
      ),
    )
    .run().changes;
}

/** Rows left 'sending' (a crash mid-send), except those this process is sending right now. */
export function listStuckSending(db: Db, inFlightIds: number[] = []): DeliveryRow[] {
  return db
    .select()
    .from(deliveries)
    .where(and(eq(deliveries.state, 'sending'), notInArray(deliveries.id, inFlightIds)))
    .orderBy(deliveries.id)
    .all();
}

const states: readonly string[] = ['pending', 'sending', 'sent', 'failed', 'skipped'] satisfies DeliveryState[];
function isDeliveryState(state: string): state is DeliveryState {
  return states.includes(state);
}

/** Rows per state, optionally for one platform (`status`: queued / failed deliveries). */
export function deliveryCounts(db: Db, platform?: string): DeliveryCounts {
  const counts: DeliveryCounts = { pending: 0, sending: 0, sent: 0, failed: 0, skipped: 0 };
  const rows = db
    .select({ state: deliveries.state, n: sql<number>`count(*)` })
    .from(deliveries)
    .where(platform ? eq(deliveries.platform, platform) : undefined)
    .groupBy(deliveries.state)
    .all();
  for (const row of rows) {
    if (isDeliveryState(row.state)) counts[row.state] = row.n;
  }
  return counts;
}

export function getDelivery(db: Db, id: number): DeliveryRow | undefined {
  return db.select().from(deliveries).where(eq(deliveries.id, id)).get();
}

/** The latest digest rows of a channel, newest first (`status`: last post, or "no papers on …"). */
export function recentDigestDeliveries(db: Db, platform: string, channelId: string, limit = 5): DeliveryRow[] {
  return db
    .select()
    .from(deliveries)
    .where(and(eq(deliveries.platform, platform), eq(deliveries.targetId, channelId), eq(deliveries.kind, 'digest')))
    .orderBy(desc(deliveries.id))
    .limit(limit)
    .all();
}

/**
 * A user's latest alert DMs that reached the platform, newest first (Slack App Home). A row whose
 * payload no longer parses is skipped rather than breaking the whole view.
 */
export function recentAlertDeliveries(db: Db, platform: string, userId: string, limit: number): Array<{ sentAt: number; message: Message }> {
  const rows = db
    .select()
    .from(deliveries)
    .where(and(eq(deliveries.platform, platform), eq(deliveries.targetKind, 'user'), eq(deliveries.targetId, userId), eq(deliveries.kind, 'alert'), eq(deliveries.state, 'sent')))
    .orderBy(desc(deliveries.id))
    .limit(limit)
    .all();
  return rows.flatMap((row) => {
    try {
      return [{ sentAt: row.sentAt ?? row.createdAt, message: parseStoredMessage(row.payload) }];
    } catch {
      return [];
    }
  });
}
