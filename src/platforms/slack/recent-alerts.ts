import { and, desc, eq } from 'drizzle-orm';
import { deliveryMessage } from '../../delivery/outbox.ts';
import type { Message } from '../../messages/message.ts';
import type { Db } from '../../store/open-db.ts';
import { deliveries } from '../../store/schema.ts';

export type RecentAlert = { sentAt: number; message: Message };

/**
 * The user's latest alert DMs that reached Slack, newest first (App Home). A row whose payload
 * no longer parses is skipped rather than breaking the whole view.
 */
export function recentAlerts(db: Db, userId: string, limit: number): RecentAlert[] {
  const rows = db
    .select()
    .from(deliveries)
    .where(and(eq(deliveries.platform, 'slack'), eq(deliveries.targetKind, 'user'), eq(deliveries.targetId, userId), eq(deliveries.kind, 'alert'), eq(deliveries.state, 'sent')))
    .orderBy(desc(deliveries.id))
    .limit(limit)
    .all();
  return rows.flatMap((row) => {
    try {
      return [{ sentAt: row.sentAt ?? row.createdAt, message: deliveryMessage(row) }];
    } catch {
      return [];
    }
  });
}
