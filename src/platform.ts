import type { Message } from './messages/message.ts';

/** The chat surfaces paperboy speaks on; the console is the local CLI / REPL. */
export type Platform = 'discord' | 'slack' | 'console';

export type SendTarget = {
  platform: Platform;
  /** channel = a channel's digest; user = a DM (alerts). */
  kind: 'channel' | 'user';
  id: string;
  /**
   * A follow-up (src/followups/): posted in the thread of the channel message `parentId` (Discord:
   * a public thread named `name`, or a reply where threads are not allowed; Slack: thread_ts).
   */
  thread?: { parentId: string; name: string };
};

export type DeliveryRef = {
  /** deliveries.id */
  id: number;
  /** deliveries.idempotency_key: Discord derives its nonce from it, Slack puts it in message metadata. */
  key: string;
};

/**
 * One per platform, owned by its adapter, handed to the delivery worker. `send` throws
 * TransientError (retry later; `retryAfterMs` when the platform said) or PermanentError with a
 * `reason`: `dm_closed` (user refuses DMs), `channel_gone` / `missing_access` (pause the target),
 * `auth` (the platform's token is no longer valid: stop sending on that platform).
 */
export type Sender = {
  platform: Platform;
  send(target: SendTarget, message: Message, delivery: DeliveryRef): Promise<{ messageId: string }>;
  /**
   * After a crash a row may be left `sending`: returns the id of the message if the platform
   * already has it (Slack: metadata in conversations.history), else null. Senders whose `send`
   * is itself idempotent (Discord's enforce_nonce) may omit it.
   */
  findSent?(target: SendTarget, delivery: DeliveryRef): Promise<string | null>;
};
