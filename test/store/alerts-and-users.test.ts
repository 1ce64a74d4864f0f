import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textMessage } from '../../src/messages/message.ts';
import { createPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { PAGE_CURSOR_MAX_AGE_MS, type AlertBatch, type UserRef } from '../../src/store/store.ts';
import { aPaper } from '../support/builders.ts';
import { postgresServerReachable, useTwoConnections } from '../support/postgres-test-db.ts';
import type { Store } from '../../src/store/store.ts';
import { backends } from '../support/both-backends.ts';

const T0 = Date.parse('2026-09-01T08:00:00Z');
const ann: UserRef = { platform: 'discord', id: 'U1' };
const bob: UserRef = { platform: 'slack', id: 'U2' };
const dm = (user: UserRef, paperIds: number[], key: string): AlertBatch['dms'][number] => ({
  user,
  paperIds,
  idempotencyKey: key,
  message: (fresh) => textMessage(`papers ${fresh.join(',')}`),
});
const sorted = <T extends { platform: string; userId: string; paperId: number }>(rows: T[]) =>
  [...rows].sort((a, b) => a.paperId - b.paperId || a.platform.localeCompare(b.platform) || a.userId.localeCompare(b.userId));

describe.each(backends)('alerts, users and small state on $name', ({ open }) => {
  let store: Store;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, close } = await open());
    await store.upsertPapers('2026-09-01', [1, 2, 3, 4].map((n) => aPaper({ arxivId: `2609.0000${n}` })), T0);
  }, 120_000);
  afterAll(async () => close?.());

  it('records DMs with their alerted papers and moves the watermark, in one unit', async () => {
    const counts = await store.recordAlerts({ throughPaperId: 2, dms: [dm(ann, [1, 2, 2], 'alert:discord:U1:1'), dm(bob, [2], 'alert:slack:U2:1')], now: T0 });
    expect(counts).toEqual({ deliveries: 2, papers: 3 });
    expect(await store.alertWatermark()).toBe(2);
    expect(await store.unplannedPaperIds(10)).toEqual([3, 4]);
    expect(sorted(await store.alertedAmong([2, 3]))).toEqual([
      { platform: 'discord', userId: 'U1', paperId: 2 },
      { platform: 'slack', userId: 'U2', paperId: 2 },
    ]);
    expect(await store.alertedAmong([])).toEqual([]);
    const [sent] = await store.claimDue(T0, { limit: 1, platforms: ['discord'] });
    expect(sent).toMatchObject({ kind: 'alert', targetKind: 'user', targetId: 'U1', idempotencyKey: 'alert:discord:U1:1', payload: JSON.stringify(textMessage('papers 1,2')) });
  });

  it('is idempotent on a re-run, drops papers already alerted, and never moves the watermark back', async () => {
    const batch: AlertBatch = { throughPaperId: 2, dms: [dm(ann, [1, 2], 'alert:discord:U1:1'), dm(bob, [2], 'alert:slack:U2:1')], now: T0 + 1 };
    expect(await store.recordAlerts(batch)).toEqual({ deliveries: 0, papers: 0 });
    // A later run: paper 2 is old news to ann, so her DM names paper 3 only; nobody else new.
    const later = await store.recordAlerts({ throughPaperId: 3, dms: [dm(ann, [2, 3], 'alert:discord:U1:2'), dm(bob, [], 'alert:slack:U2:2')], now: T0 + 2 });
    expect(later).toEqual({ deliveries: 1, papers: 1 });
    expect(await store.deliveryCounts()).toMatchObject({ pending: 2, sending: 1 });
    await store.recordAlerts({ throughPaperId: 1, dms: [], now: T0 + 3 });
    await store.advanceAlertWatermark(2, T0 + 4);
    expect(await store.alertWatermark()).toBe(3);
    await store.advanceAlertWatermark(4, T0 + 5);
    expect(await store.alertWatermark()).toBe(4);
    expect(await store.unplannedPaperIds(10)).toEqual([]);
  });

  it('marks closed DMs, owes the notice exactly once, and clears the mark', async () => {
    expect(await store.isDmClosed(ann)).toBe(false);
    expect(await store.takeDmClosedNotice(ann)).toBe(false);
    await store.markDmClosed(ann, T0);
    await store.markDmClosed({ platform: 'discord', id: 'U3' }, T0);
    await store.markDmClosed(bob, T0);
    expect(await store.isDmClosed(ann)).toBe(true);
    expect(await store.listDmClosedUsers('discord')).toEqual(new Set(['U1', 'U3']));
    expect(await store.takeDmClosedNotice(ann)).toBe(true);
    expect(await store.takeDmClosedNotice(ann)).toBe(false);
    expect(await store.isDmClosed(ann)).toBe(false);
    await store.clearDmClosed(bob);
    expect(await store.isDmClosed(bob)).toBe(false);
    // The notice is still owed to bob: clearing the mark does not consume it.
    expect(await store.takeDmClosedNotice(bob)).toBe(true);
    await store.markDmClosed(ann, T0 + 1);
    expect(await store.isDmClosed(ann)).toBe(true);
    expect(await store.listDmClosedUsers('slack')).toEqual(new Set());
  });

  it('keeps meta, page cursors (pruning stale ones) and rate-limit waits', async () => {
    expect(await store.getMeta('commands_hash')).toBeNull();
    await store.setMeta('commands_hash', 'abc', T0);
    await store.setMeta('commands_hash', 'def', T0 + 1);
    expect(await store.getMeta('commands_hash')).toBe('def');

    const old = await store.savePageCursor({ platform: 'discord', userId: 'U1', command: 'search', options: { query: 'old' } }, T0);
    expect(old).toMatch(/^[\w-]{12}$/);
    expect(await store.loadPageCursor(old)).toEqual({ id: old, platform: 'discord', userId: 'U1', command: 'search', options: { query: 'old' }, createdAt: T0 });
    const fresh = await store.savePageCursor({ platform: 'slack', userId: 'U2', command: 'list', options: { page: 2, sort: 'new' } }, T0 + PAGE_CURSOR_MAX_AGE_MS + 1);
    expect(await store.loadPageCursor(old)).toBeUndefined();
    expect(await store.loadPageCursor(fresh)).toMatchObject({ command: 'list', options: { page: 2, sort: 'new' } });
    expect(await store.loadPageCursor('nope')).toBeUndefined();

    await store.recordRateLimitWait({ source: 'discord', route: '/channels/1/messages', waitMs: 1200.6, at: T0 });
    await store.recordRateLimitWait({ source: 'hf', waitMs: -5, at: T0 + 10 });
    await store.recordRateLimitWait({ source: 'slack', route: null, waitMs: 30, at: T0 + 10 });
    expect(await store.recentRateLimitWaits(T0)).toEqual([
      { source: 'slack', route: null, waitMs: 30, at: T0 + 10 },
      { source: 'hf', route: null, waitMs: 0, at: T0 + 10 },
      { source: 'discord', route: '/channels/1/messages', waitMs: 1201, at: T0 },
    ]);
    expect(await store.recentRateLimitWaits(T0 + 1, 1)).toEqual([{ source: 'slack', route: null, waitMs: 30, at: T0 + 10 }]);
  });
});

const server = await postgresServerReachable();
if (!server) console.info('alerts: concurrent recordAlerts need the PostgreSQL server (PGlite has one connection); skipped');

describe.skipIf(!server)('alerts on the PostgreSQL server, from several connections', () => {
  const connections = useTwoConnections(4);

  it('records one DM per user when two workers record the same batch at once, and the watermark ends at the highest target', async () => {
    const a = createPostgresStore(connections.first().db);
    const b = createPostgresStore(connections.second());
    await a.upsertPapers('2026-09-01', Array.from({ length: 6 }, (_, n) => aPaper({ arxivId: `2609.1000${n}` })), T0);
    const batch = (through: number): AlertBatch => ({ throughPaperId: through, dms: [dm(ann, [1, 2, 3], 'alert:discord:U1:7'), dm(bob, [3, 4], 'alert:slack:U2:7')], now: T0 });
    const results = await Promise.all([a.recordAlerts(batch(6)), b.recordAlerts(batch(5)), a.recordAlerts(batch(4)), b.recordAlerts(batch(6))]);
    expect(results.reduce((sum, r) => sum + r.deliveries, 0)).toBe(2);
    expect(results.reduce((sum, r) => sum + r.papers, 0)).toBe(5);
    expect(await a.deliveryCounts()).toMatchObject({ pending: 2 });
    expect(await a.alertedAmong([1, 2, 3, 4, 5, 6])).toHaveLength(5);
    expect(await a.alertWatermark()).toBe(6);
  });
});
