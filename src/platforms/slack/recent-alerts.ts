import type { Message } from '../../messages/message.ts';
import type { Store } from '../../store/store.ts';

export type RecentAlert = { sentAt: number; message: Message };

/** The user's latest alert DMs that reached Slack, newest first (App Home). */
export function recentAlerts(store: Store, userId: string, limit: number): Promise<RecentAlert[]> {
  return store.recentAlertDeliveries('slack', userId, limit);
}
