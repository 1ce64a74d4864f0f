import { PermanentError, TransientError, type PermanentReason } from '../../src/errors.ts';
import type { Message } from '../../src/messages/message.ts';
import type { DeliveryRef, Platform, Sender, SendTarget } from '../../src/platform.ts';

/** What the next send does. `wait` holds the send until `release()` is called, then succeeds. */
export type SendOutcome =
  | { kind: 'ok' }
  | { kind: 'transient'; retryAfterMs?: number }
  | { kind: 'permanent'; reason: PermanentReason }
  | { kind: 'auth' }
  | { kind: 'wait' };

export type RecordedSend = { target: SendTarget; message: Message; delivery: DeliveryRef; messageId: string };
export type RecordedAttempt = { target: SendTarget; delivery: DeliveryRef; outcome: SendOutcome['kind'] };

export type RecordingSender = Sender & {
  /** Messages the "platform" accepted, in order. */
  sent: RecordedSend[];
  /** Every call to send, including failures. */
  attempts: RecordedAttempt[];
  /** Queue outcomes for the next sends, in order (after the queue: ok). */
  script(...outcomes: SendOutcome[]): void;
  /** Queue outcomes for sends to one target id (take precedence over the shared queue). */
  scriptFor(targetId: string, ...outcomes: SendOutcome[]): void;
  /** Lets every held (`wait`) send finish. */
  release(): void;
  /** Simulates a crash after the platform got the message: findSent will report it. */
  seedDelivered(key: string, messageId: string): void;
  /** Highest number of sends in progress at once, overall and to any one target. */
  maxConcurrent(): { overall: number; perTarget: number };
  findSentCalls: DeliveryRef[];
  /** The next `n` findSent calls throw a TransientError (platform unreachable). */
  failFindSent(n: number): void;
};

/**
 * A Sender for tests of the outbox worker: records what it was asked to send and fails on script.
 * `findSent: true` gives it a findSent() (Slack-like); without it, it is Discord-like (idempotent send).
 */
export function createRecordingSender(platform: Platform = 'console', options: { findSent?: boolean } = {}): RecordingSender {
  const sent: RecordedSend[] = [];
  const attempts: RecordedAttempt[] = [];
  const shared: SendOutcome[] = [];
  const perTarget = new Map<string, SendOutcome[]>();
  const delivered = new Map<string, string>();
  const held: Array<() => void> = [];
  const findSentCalls: DeliveryRef[] = [];
  const active = new Map<string, number>();
  let activeOverall = 0;
  let maxOverall = 0;
  let maxPerTarget = 0;
  let counter = 0;
  let findSentFailures = 0;

  async function send(target: SendTarget, message: Message, delivery: DeliveryRef): Promise<{ messageId: string }> {
    const outcome = perTarget.get(target.id)?.shift() ?? shared.shift() ?? { kind: 'ok' };
    attempts.push({ target, delivery, outcome: outcome.kind });
    activeOverall += 1;
    active.set(target.id, (active.get(target.id) ?? 0) + 1);
    maxOverall = Math.max(maxOverall, activeOverall);
    maxPerTarget = Math.max(maxPerTarget, active.get(target.id) ?? 0);
    try {
      if (outcome.kind === 'wait') await new Promise<void>((resolve) => held.push(resolve));
      // Yield once so overlapping sends are really concurrent.
      await Promise.resolve();
      if (outcome.kind === 'transient') throw new TransientError('rate limited or unavailable', { retryAfterMs: outcome.retryAfterMs });
      if (outcome.kind === 'permanent') throw new PermanentError(`refused: ${outcome.reason}`, { reason: outcome.reason });
      if (outcome.kind === 'auth') throw new PermanentError('invalid token', { reason: 'auth' });
      counter += 1;
      const messageId = `${platform}-msg-${counter}`;
      sent.push({ target, message, delivery, messageId });
      delivered.set(delivery.key, messageId);
      return { messageId };
    } finally {
      activeOverall -= 1;
      active.set(target.id, (active.get(target.id) ?? 1) - 1);
    }
  }

  const sender: RecordingSender = {
    platform,
    send,
    sent,
    attempts,
    findSentCalls,
    script: (...outcomes) => shared.push(...outcomes),
    scriptFor: (targetId, ...outcomes) => perTarget.set(targetId, [...(perTarget.get(targetId) ?? []), ...outcomes]),
    release: () => held.splice(0).forEach((resolve) => resolve()),
    seedDelivered: (key, messageId) => delivered.set(key, messageId),
    maxConcurrent: () => ({ overall: maxOverall, perTarget: maxPerTarget }),
    failFindSent: (n) => {
      findSentFailures = n;
    },
  };
  if (options.findSent) {
    sender.findSent = async (_target, delivery) => {
      findSentCalls.push(delivery);
      if (findSentFailures > 0) {
        findSentFailures -= 1;
        throw new TransientError('history unavailable');
      }
      return delivered.get(delivery.key) ?? null;
    };
  }
  return sender;
}
