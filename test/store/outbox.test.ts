import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textMessage } from '../../src/messages/message.ts';
import { createPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import type { NewDelivery } from '../../src/store/store.ts';
import { postgresServerReachable, useTwoConnections } from '../support/postgres-test-db.ts';
import type { Store } from '../../src/store/store.ts';
import { backends, storePerTest } from '../support/both-backends.ts';

const T0 = Date.parse('2026-09-01T08:00:00Z');
const row = (over: Partial<NewDelivery> & { idempotencyKey: string }): NewDelivery => ({
  platform: 'discord',
  targetKind: 'channel',
  targetId: 'C1',
  kind: 'digest',
  message: textMessage(over.idempotencyKey),
  now: T0,
  ...over,
});

describe.each(backends)('outbox on $name', ({ open }) => {
  let store: Store;
  let close: () => Promise<void>;
  // Ids as enqueue returned them (a key enqueued twice may use up an id on either backend).
  const id: Record<string, number> = {};
  const put = async (over: Partial<NewDelivery> & { idempotencyKey: string }) => {
    const result = await store.enqueue(row(over));
    id[over.idempotencyKey] = result.id;
    return result;
  };
  const ids = (rows: Array<{ id: number }>) => rows.map((r) => Object.keys(id).find((key) => id[key] === r.id));
  beforeAll(async () => {
    ({ store, close } = await open());
  }, 120_000);
  afterAll(async () => close?.());

  it('enqueues once per idempotency key', async () => {
    const first = await put({ idempotencyKey: 'c1-a' });
    expect(first.created).toBe(true);
    expect(await store.enqueue(row({ idempotencyKey: 'c1-a', now: T0 + 5 }))).toEqual({ id: first.id, created: false });
    expect((await put({ idempotencyKey: 'c1-skipped', state: 'skipped' })).created).toBe(true);
    expect(await store.getDelivery(first.id)).toMatchObject({ state: 'pending', attempts: 0, nextAttemptAt: T0, createdAt: T0, payload: JSON.stringify(textMessage('c1-a')) });
    expect(await store.getDelivery(9999)).toBeUndefined();
  });

  it('claims only the oldest unfinished row of each target, due ones, on the given platforms, sorted', async () => {
    await put({ idempotencyKey: 'c1-b', now: T0 + 1 }); // behind c1-a
    await put({ idempotencyKey: 'c2-a', targetId: 'C2', now: T0 - 10 });
    await put({ idempotencyKey: 'later', targetId: 'C3', now: T0 + 60_000 }); // not due
    await put({ idempotencyKey: 'slack', platform: 'slack', targetId: 'C9' }); // another platform
    await put({ idempotencyKey: 'u1', targetKind: 'user', targetId: 'C1', kind: 'alert' }); // a user, not channel C1
    expect(await store.claimDue(T0, { limit: 10, platforms: [] })).toEqual([]);
    expect(await store.claimDue(T0, { limit: 0, platforms: ['discord'] })).toEqual([]);
    const claimed = await store.claimDue(T0, { limit: 10, platforms: ['discord'] });
    expect(ids(claimed)).toEqual(['c2-a', 'c1-a', 'u1']);
    expect(claimed.map((r) => [r.state, r.attempts])).toEqual([
      ['sending', 1],
      ['sending', 1],
      ['sending', 1],
    ]);
    // While c1-a is sending, c1-b waits behind it.
    expect(await store.claimDue(T0 + 1, { limit: 10, platforms: ['discord'] })).toEqual([]);
    expect(ids(await store.listStuckSending())).toEqual(['c1-a', 'c2-a', 'u1']);
    expect(ids(await store.listStuckSending([id['c1-a'] ?? 0, id.u1 ?? 0]))).toEqual(['c2-a']);
  });

  it('marks sent, fails, reschedules with and without a refund, and fails a target', async () => {
    const c1a = id['c1-a'] ?? 0;
    const c2a = id['c2-a'] ?? 0;
    await store.markSent(c1a, 'M1', T0 + 100);
    expect(await store.getDelivery(c1a)).toMatchObject({ state: 'sent', messageId: 'M1', sentAt: T0 + 100, lastError: null });
    await store.reschedule(c2a, T0 + 500, 'x'.repeat(1500));
    const c2 = await store.getDelivery(c2a);
    expect(c2).toMatchObject({ state: 'pending', attempts: 1, nextAttemptAt: T0 + 500 });
    expect(c2?.lastError).toHaveLength(1000);
    const again = await store.claimDue(T0 + 500, { limit: 10, platforms: ['discord'] });
    expect(ids(again)).toEqual(['c1-b', 'c2-a']);
    expect(again.map((r) => r.attempts)).toEqual([1, 2]);
    for (let i = 0; i < 3; i += 1) await store.reschedule(c2a, T0 + 600, null, { refundAttempt: true });
    expect(await store.getDelivery(c2a)).toMatchObject({ state: 'pending', attempts: 0, lastError: null });
    await store.markFailed(id['c1-b'] ?? 0, 'gone');
    expect(await store.getDelivery(id['c1-b'] ?? 0)).toMatchObject({ state: 'failed', lastError: 'gone' });
    await put({ idempotencyKey: 'c2-b', targetId: 'C2' });
    expect(await store.failPendingForTarget({ platform: 'discord', targetKind: 'channel', targetId: 'C2' }, 'Missing Access')).toBe(2);
    expect(await store.failPendingForTarget({ platform: 'discord', targetKind: 'channel', targetId: 'C2' }, 'Missing Access')).toBe(0);
    expect(await store.getDelivery(id['c2-b'] ?? 0)).toMatchObject({ state: 'failed', lastError: 'Missing Access' });
  });

  it('counts by state, lists a channel’s digests and a user’s sent alerts', async () => {
    // pending: later, slack; sending: u1; sent: c1-a; failed: c1-b, c2-a, c2-b; skipped: c1-skipped
    expect(await store.deliveryCounts()).toEqual({ pending: 2, sending: 1, sent: 1, failed: 3, skipped: 1 });
    expect(await store.deliveryCounts('slack')).toEqual({ pending: 1, sending: 0, sent: 0, failed: 0, skipped: 0 });
    expect(ids(await store.recentDigestDeliveries('discord', 'C1'))).toEqual(['c1-b', 'c1-skipped', 'c1-a']);
    expect(ids(await store.recentDigestDeliveries('discord', 'C1', 2))).toEqual(['c1-b', 'c1-skipped']);
    await store.markSent(id.u1 ?? 0, 'D7', T0 + 700);
    await put({ idempotencyKey: 'u1-2', targetKind: 'user', targetId: 'C1', kind: 'alert', message: textMessage('second') });
    expect(ids(await store.claimDue(T0 + 1_000, { limit: 10, platforms: ['discord'] }))).toEqual(['u1-2']);
    await store.markSent(id['u1-2'] ?? 0, 'D9', T0 + 900);
    expect(await store.recentAlertDeliveries('discord', 'C1', 5)).toEqual([
      { sentAt: T0 + 900, message: textMessage('second') },
      { sentAt: T0 + 700, message: textMessage('u1') },
    ]);
    expect(await store.recentAlertDeliveries('discord', 'C1', 1)).toHaveLength(1);
  });
});

describe.each(backends)('outbox claims on $name, each test on an empty store', (backend) => {
  const store = storePerTest(backend);

  it('holds a target’s later rows while its head row backs off, and claims it again when due', async () => {
    const a1 = (await store().enqueue(row({ idempotencyKey: 'a1' }))).id;
    await store().enqueue(row({ idempotencyKey: 'a2' }));
    await store().claimDue(T0, { limit: 10, platforms: ['discord'] });
    await store().reschedule(a1, T0 + 5_000, '429');
    expect(await store().claimDue(T0 + 1_000, { limit: 10, platforms: ['discord'] })).toEqual([]);
    expect((await store().claimDue(T0 + 5_000, { limit: 10, platforms: ['discord'] })).map((r) => [r.id, r.attempts])).toEqual([[a1, 2]]);
  });

  it('claims at most `limit` rows, oldest first', async () => {
    for (let i = 0; i < 5; i += 1) await store().enqueue(row({ targetId: `C${i}`, idempotencyKey: `k${i}`, now: T0 - 10 + i }));
    const claimed = await store().claimDue(T0, { limit: 2, platforms: ['discord'] });
    expect(claimed.map((r) => r.targetId)).toEqual(['C0', 'C1']);
    expect((await store().claimDue(T0, { limit: 10, platforms: ['discord', 'slack'] })).map((r) => r.targetId)).toEqual(['C2', 'C3', 'C4']);
    expect(await store().deliveryCounts('discord')).toEqual({ pending: 0, sending: 5, sent: 0, failed: 0, skipped: 0 });
  });
});

const server = await postgresServerReachable();
if (!server) console.info('outbox: concurrent claims need the PostgreSQL server (PGlite has one connection); skipped');

describe.skipIf(!server)('outbox claims on the PostgreSQL server, from several connections', () => {
  const connections = useTwoConnections(4);

  it('never gives the same row to two concurrent claimers', async () => {
    const a = createPostgresStore(connections.first().db);
    const b = createPostgresStore(connections.second());
    // 300 rows over 100 targets: three per target, so heads move as rows are sent.
    for (let i = 0; i < 300; i += 1) await a.enqueue(row({ idempotencyKey: `k${i}`, targetId: `C${i % 100}`, now: T0 + i }));
    const seen = new Map<number, string>();
    const duplicates: number[] = [];
    const sendingTargets = new Set<string>();
    const targetClashes: string[] = [];
    const worker = async (name: string, store: typeof a) => {
      for (;;) {
        const rows = await store.claimDue(T0 + 1_000, { limit: 7, platforms: ['discord'] });
        if (rows.length === 0) {
          if ((await store.deliveryCounts()).pending === 0) return;
          continue;
        }
        for (const r of rows) {
          if (seen.has(r.id)) duplicates.push(r.id);
          seen.set(r.id, name);
          if (sendingTargets.has(r.targetId)) targetClashes.push(r.targetId);
          sendingTargets.add(r.targetId);
        }
        for (const r of rows) {
          sendingTargets.delete(r.targetId);
          await store.markSent(r.id, `m${r.id}`, T0 + 2_000);
        }
      }
    };
    await Promise.all([worker('a1', a), worker('b1', b), worker('a2', a), worker('b2', b)]);
    expect(duplicates).toEqual([]);
    expect(targetClashes).toEqual([]);
    expect(seen.size).toBe(300);
    expect(new Set(seen.values()).size).toBeGreaterThan(1);
    expect(await a.deliveryCounts()).toEqual({ pending: 0, sending: 0, sent: 300, failed: 0, skipped: 0 });
  }, 60_000);

  it('skips a row another transaction holds, without waiting, and keeps its target’s later rows back', async () => {
    const store = createPostgresStore(connections.first().db);
    const held = await store.enqueue(row({ idempotencyKey: 'held', targetId: 'H' }));
    await store.enqueue(row({ idempotencyKey: 'held-next', targetId: 'H' }));
    const free = await store.enqueue(row({ idempotencyKey: 'free', targetId: 'F' }));
    const client = new pg.Client({ connectionString: connections.first().url, options: `-c search_path=${connections.first().schema}` });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT id FROM deliveries WHERE id = $1 FOR UPDATE', [held.id]);
      const claimed = await store.claimDue(T0, { limit: 10, platforms: ['discord'] });
      expect(claimed.map((r) => r.id)).toEqual([free.id]);
      await client.query('ROLLBACK');
    } finally {
      await client.end();
    }
    expect((await store.claimDue(T0, { limit: 10, platforms: ['discord'] })).map((r) => r.id)).toEqual([held.id]);
  });
});
