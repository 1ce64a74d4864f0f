import { describe, expect, it } from 'vitest';
import {
  claimDue,
  deliveryCounts,
  deliveryMessage,
  enqueue,
  getDelivery,
  listStuckSending,
  markFailed,
  markSent,
  recentDigestDeliveries,
  reschedule,
  type NewDelivery,
} from '../../src/store/sqlite/outbox.ts';
import { textMessage } from '../../src/messages/message.ts';
import { createTestDb } from '../support/test-db.ts';

const T0 = Date.parse('2026-09-01T10:00:00Z');

function row(overrides: Partial<NewDelivery> = {}): NewDelivery {
  return {
    platform: 'discord',
    targetKind: 'channel',
    targetId: 'C1',
    kind: 'digest',
    idempotencyKey: 'digest:discord:C1:2026-08-31',
    message: textMessage('hello'),
    now: T0,
    ...overrides,
  };
}

describe('outbox', () => {
  it('enqueue is idempotent on the key: the second call returns the first row', () => {
    const db = createTestDb();
    const first = enqueue(db, row());
    const second = enqueue(db, row({ message: textMessage('different') }));
    expect(first.created).toBe(true);
    expect(second).toEqual({ id: first.id, created: false });
    const stored = getDelivery(db, first.id);
    expect(stored && deliveryMessage(stored).text).toBe('hello');
    expect(deliveryCounts(db)).toMatchObject({ pending: 1 });
  });

  it('claims due rows, marking them sending with one more attempt', () => {
    const db = createTestDb();
    const { id } = enqueue(db, row());
    enqueue(db, row({ targetId: 'C2', idempotencyKey: 'k2', now: T0 + 60_000 }));
    const claimed = claimDue(db, T0, { limit: 10, platforms: ['discord'] });
    expect(claimed.map((r) => [r.id, r.state, r.attempts])).toEqual([[id, 'sending', 1]]);
    expect(claimDue(db, T0, { limit: 10, platforms: ['discord'] })).toEqual([]);
    expect(listStuckSending(db).map((r) => r.id)).toEqual([id]);
    expect(listStuckSending(db, [id])).toEqual([]);
  });

  it('gives each target one row at a time, oldest first, and skips platforms not asked for', () => {
    const db = createTestDb();
    const a1 = enqueue(db, row({ idempotencyKey: 'a1' })).id;
    const a2 = enqueue(db, row({ idempotencyKey: 'a2' })).id;
    const b1 = enqueue(db, row({ targetId: 'C2', idempotencyKey: 'b1' })).id;
    enqueue(db, row({ platform: 'slack', idempotencyKey: 's1' }));
    expect(claimDue(db, T0, { limit: 10, platforms: ['discord'] }).map((r) => r.id)).toEqual([a1, b1]);
    // a2 waits while a1 is sending.
    expect(claimDue(db, T0, { limit: 10, platforms: ['discord'] })).toEqual([]);
    markSent(db, a1, 'm1', T0);
    expect(claimDue(db, T0, { limit: 10, platforms: ['discord'] }).map((r) => r.id)).toEqual([a2]);
  });

  it('a target whose head row is backing off holds its later rows too', () => {
    const db = createTestDb();
    const a1 = enqueue(db, row({ idempotencyKey: 'a1' })).id;
    enqueue(db, row({ idempotencyKey: 'a2' }));
    claimDue(db, T0, { limit: 10, platforms: ['discord'] });
    reschedule(db, a1, T0 + 5_000, '429');
    expect(claimDue(db, T0 + 1_000, { limit: 10, platforms: ['discord'] })).toEqual([]);
    expect(claimDue(db, T0 + 5_000, { limit: 10, platforms: ['discord'] }).map((r) => [r.id, r.attempts])).toEqual([[a1, 2]]);
  });

  it('respects the limit', () => {
    const db = createTestDb();
    for (let i = 0; i < 5; i += 1) enqueue(db, row({ targetId: `C${i}`, idempotencyKey: `k${i}` }));
    expect(claimDue(db, T0, { limit: 2, platforms: ['discord'] })).toHaveLength(2);
  });

  it('records sent and failed states, counted per state and platform', () => {
    const db = createTestDb();
    const sent = enqueue(db, row({ idempotencyKey: 'x1', targetId: 'A' })).id;
    const failed = enqueue(db, row({ idempotencyKey: 'x2', targetId: 'B' })).id;
    enqueue(db, row({ idempotencyKey: 'x3', state: 'skipped' }));
    enqueue(db, row({ idempotencyKey: 'x4', platform: 'slack' }));
    markSent(db, sent, 'msg-1', T0 + 5);
    markFailed(db, failed, 'nope');
    expect(getDelivery(db, sent)).toMatchObject({ state: 'sent', messageId: 'msg-1', sentAt: T0 + 5 });
    expect(getDelivery(db, failed)).toMatchObject({ state: 'failed', lastError: 'nope' });
    expect(deliveryCounts(db)).toEqual({ pending: 1, sending: 0, sent: 1, failed: 1, skipped: 1 });
    expect(deliveryCounts(db, 'discord')).toEqual({ pending: 0, sending: 0, sent: 1, failed: 1, skipped: 1 });
    expect(recentDigestDeliveries(db, 'discord', 'C1').map((r) => r.state)).toEqual(['skipped']);
  });
});
