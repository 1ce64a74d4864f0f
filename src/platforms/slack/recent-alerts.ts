import { recentAlertDeliveries } from '../../store/sqlite/outbox.ts';
import type { Message } from '../../messages/message.ts';
import type { Db } from '../../store/sqlite/open-db.ts';

export type RecentAlert = { sentAt: number; message: Message };

/** The user's latest alert DMs that reached Slack, newest first (App Home). */
export function recentAlerts(db: Db, userId: string, limit: number): RecentAlert[] {
  return recentAlertDeliveries(db, 'slack', userId, limit);
}
