import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { ReplicaRow, Store } from '../../src/store/store.ts';
import { postgresServerReachable, useTwoConnections } from '../support/postgres-test-db.ts';
import { backends } from '../support/both-backends.ts';

const T0 = Date.parse('2026-09-01T08:00:00Z');
const beat = (id: string, over: Partial<ReplicaRow> = {}): ReplicaRow => ({ id, host: `host-${id}`, pid: 100, role: 'follower', startedAt: T0, lastSeenAt: T0, ...over });
const window = { limit: 3, windowMs: 60_000 };

describe.each(backends)('replica heartbeats and the command budget on $name', ({ open }) => {
  let store: Store;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, close } = await open());
  }, 120_000);
  afterAll(async () => close?.());

  it('upserts heartbeats, lists the live ones oldest first, prunes and removes', async () => {
    await store.recordHeartbeat(beat('b', { startedAt: T0 + 5, role: 'leader' }), 0);
    await store.recordHeartbeat(beat('a'), 0);
    await store.recordHeartbeat(beat('old', { startedAt: T0 - 99_000, lastSeenAt: T0 - 40_000 }), 0);
    expect((await store.listReplicas(T0 - 30_000)).map((r) => r.id)).toEqual(['a', 'b']);
    expect((await store.listReplicas(T0 - 60_000)).map((r) => r.id)).toEqual(['old', 'a', 'b']);
    // A beat refreshes role and last seen, keeps the start time; the dead row is pruned in the same unit.
    await store.recordHeartbeat(beat('a', { role: 'leader', startedAt: T0 + 999, lastSeenAt: T0 + 5_000 }), T0 - 30_000);
    expect(await store.listReplicas(0)).toEqual([
      { id: 'a', host: 'host-a', pid: 100, role: 'leader', startedAt: T0, lastSeenAt: T0 + 5_000 },
      { id: 'b', host: 'host-b', pid: 100, role: 'leader', startedAt: T0 + 5, lastSeenAt: T0 },
    ]);
    await store.removeReplica('b');
    await store.removeReplica('never');
    expect((await store.listReplicas(0)).map((r) => r.id)).toEqual(['a']);
  });

  it('takes `limit` slots per sliding window and key, then names the oldest hit', async () => {
    const take = (key: string, at: number) => store.takeCommandSlot(key, at, window);
    expect(await take('discord:U1', T0)).toEqual({ taken: true });
    expect(await take('discord:U1', T0 + 1_000)).toEqual({ taken: true });
    expect(await take('discord:U1', T0 + 2_000)).toEqual({ taken: true });
    expect(await take('discord:U1', T0 + 10_000)).toEqual({ taken: false, oldestAt: T0 });
    // A refusal is not a hit: the budget frees as the first hits leave the window.
    expect(await take('slack:U1', T0 + 10_000)).toEqual({ taken: true });
    expect(await take('discord:U1', T0 + 60_000)).toEqual({ taken: true });
    expect(await take('discord:U1', T0 + 60_500)).toEqual({ taken: false, oldestAt: T0 + 1_000 });
  });

  it('prunes the hits at or before a time, for every user', async () => {
    await store.takeCommandSlot('discord:idle', T0 + 100_000, window);
    for (const at of [150_000, 151_000, 152_000]) await store.takeCommandSlot('discord:busy', T0 + at, window);
    // The 5 hits of the test above and the idle user's: every row at or before the cut.
    expect(await store.pruneCommandHits(T0 + 100_000)).toBe(6);
    expect(await store.pruneCommandHits(T0 + 100_000)).toBe(0);
    expect(await store.takeCommandSlot('discord:busy', T0 + 153_000, window)).toEqual({ taken: false, oldestAt: T0 + 150_000 });
  });
});

describe('one command budget through two SQLite connections on one file', () => {
  it('never lets a user past the limit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-budget-'));
    const a = openSqliteStore(join(dir, 'paperboy.db'));
    const b = openSqliteStore(join(dir, 'paperboy.db'));
    try {
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).takeCommandSlot('discord:U1', T0 + i, window)));
      expect(results.filter((r) => r.taken)).toHaveLength(3);
    } finally {
      await a.close();
      await b.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const server = await postgresServerReachable();
if (!server) console.info('command budget and page cursors across pools need the PostgreSQL server (PGlite has one connection); skipped');

describe.skipIf(!server)('one command budget and one page cursor through two PostgreSQL pools', () => {
  const connections = useTwoConnections(4);

  it('never lets a user past the limit when commands race on two replicas', async () => {
    const a = createPostgresStore(connections.first().db);
    const b = createPostgresStore(connections.second());
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).takeCommandSlot('discord:U1', T0 + i, window)));
    expect(results.filter((r) => r.taken)).toHaveLength(3);
    expect(await a.takeCommandSlot('discord:U2', T0, window)).toEqual({ taken: true });
    expect(await b.takeCommandSlot('discord:U1', T0 + 30_000, window)).toEqual({ taken: false, oldestAt: T0 });
  });

  it('reads a page cursor saved by the other replica', async () => {
    const a = createPostgresStore(connections.first().db);
    const b = createPostgresStore(connections.second());
    const id = await a.savePageCursor({ platform: 'slack', userId: 'U7', command: 'search', options: { query: 'diffusion', page: 1 } }, T0);
    expect(await b.loadPageCursor(id)).toEqual({ id, platform: 'slack', userId: 'U7', command: 'search', options: { query: 'diffusion', page: 1 }, createdAt: T0 });
  });
});
