import { describe, expect, it } from 'vitest';
import { textMessage } from '../../src/messages/message.ts';
import { parseStoredMessage } from '../../src/messages/stored-message.ts';
import type { NewDelivery } from '../../src/store/store.ts';
import { createTestStore } from '../support/test-db.ts';

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
  it('enqueue is idempotent on the key: the second call returns the first row', async () => {
    const store = createTestStore();
    const first = await store.enqueue(row());
    const second = await store.enqueue(row({ message: textMessage('different') }));
    expect(first.created).toBe(true);
    expect(second).toEqual({ id: first.id, created: false });
    const stored = await store.getDelivery(first.id);
    expect(stored && parseStoredMessage(stored.payload).text).toBe('hello');
    expect(await store.deliveryCounts()).toMatchObject({ pending: 1 });
  });

  it('claims due rows, marking them sending with one more attempt', async () => {
    const store = createTestStore();
    const { id } = await store.enqueue(row());
    await store.enqueue(row({ targetId: 'C2', idempotencyKey: 'k2', now: T0 + 60_000 }));
    const claimed = await store.claimDue(T0, { limit: 10, platforms: ['discord'] });
    expect(claimed.map((r) => [r.id, r.state, r.attempts])).toEqual([[id, 'sending', 1]]);
    expect(await store.claimDue(T0, { limit: 10, platforms: ['discord'] })).toEqual([]);
    expect((await store.listStuckSending()).map((r) => r.id)).toEqual([id]);
    expect(await store.listStuckSending([id])).toEqual([]);
  });

  it('gives each target one row at a time, oldest first, and skips platforms not asked for', async () => {
    const store = createTestStore();
    const a1 = (await store.enqueue(row({ idempotencyKey: 'a1' }))).id;
    const a2 = (await store.enqueue(row({ idempotencyKey: 'a2' }))).id;
    const b1 = (await store.enqueue(row({ targetId: 'C2', idempotencyKey: 'b1' }))).id;
    await store.enqueue(row({ platform: 'slack', idempotencyKey: 's1' }));
    expect((await store.claimDue(T0, { limit: 10, platforms: ['discord'] })).map((r) => r.id)).toEqual([a1, b1]);
    // a2 waits while a1 is sending.
    expect(await store.claimDue(T0, { limit: 10, platforms: ['discord'] })).toEqual([]);
    await store.markSent(a1, 'm1', T0);
    expect((await store.claimDue(T0, { limit: 10, platforms: ['discord'] })).map((r) => r.id)).toEqual([a2]);
  });

  it('a target whose head row is backing off holds its later rows too', async () => {
    const store = createTestStore();
    const a1 = (await store.enqueue(row({ idempotencyKey: 'a1' }))).id;
    await store.enqueue(row({ idempotencyKey: 'a2' }));
    await store.claimDue(T0, { limit: 10, platforms: ['discord'] });
    await store.reschedule(a1, T0 + 5_000, '429');
    expect(await store.claimDue(T0 + 1_000, { limit: 10, platforms: ['discord'] })).toEqual([]);
    expect((await store.claimDue(T0 + 5_000, { limit: 10, platforms: ['discord'] })).map((r) => [r.id, r.attempts])).toEqual([[a1, 2]]);
  });

  it('respects the limit', async () => {
    const store = createTestStore();
    for (let i = 0; i < 5; i += 1) await store.enqueue(row({ targetId: `C${i}`, idempotencyKey: `k${i}` }));
    expect(await store.claimDue(T0, { limit: 2, platforms: ['discord'] })).toHaveLength(2);
  });

  it('records sent and failed states, counted per state and platform', async () => {
    const store = createTestStore();
    const sent = (await store.enqueue(row({ idempotencyKey: 'x1', targetId: 'A' }))).id;
    const failed = (await store.enqueue(row({ idempotencyKey: 'x2', targetId: 'B' }))).id;
    await store.enqueue(row({ idempotencyKey: 'x3', state: 'skipped' }));
    await store.enqueue(row({ idempotencyKey: 'x4', platform: 'slack' }));
    await store.markSent(sent, 'msg-1', T0 + 5);
    await store.markFailed(failed, 'nope');
    expect(await store.getDelivery(sent)).toMatchObject({ state: 'sent', messageId: 'msg-1', sentAt: T0 + 5 });
    expect(await store.getDelivery(failed)).toMatchObject({ state: 'failed', lastError: 'nope' });
    expect(await store.deliveryCounts()).toEqual({ pending: 1, sending: 0, sent: 1, failed: 1, skipped: 1 });
    expect(await store.deliveryCounts('discord')).toEqual({ pending: 0, sending: 0, sent: 1, failed: 1, skipped: 1 });
    expect((await store.recentDigestDeliveries('discord', 'C1')).map((r) => r.state)).toEqual(['skipped']);
  });
});
