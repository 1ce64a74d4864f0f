import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { postgresServerReachable, useTwoConnections } from '../support/postgres-test-db.ts';
import type { Store } from '../../src/store/store.ts';
import { backends } from '../support/both-backends.ts';

const T0 = Date.parse('2026-09-01T08:00:00Z');
const ann = { platform: 'discord', id: 'U1' };
const bob = { platform: 'slack', id: 'U1' };
const w = (query: string) => ({ query, queryKey: query.toLowerCase() });

describe.each(backends)('watches on $name', ({ open }) => {
  let store: Store;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, close } = await open());
  }, 120_000);
  afterAll(async () => close?.());

  it('inserts up to the limit, refuses a duplicate key or a full list with the user’s watches, and bumps the version', async () => {
    expect(await store.watchesVersion()).toBe('0');
    const first = await store.insertWatch(ann, w('Diffusion'), 2, T0);
    expect(first).toMatchObject({ ok: true, watch: { platform: 'discord', userId: 'U1', query: 'Diffusion', queryKey: 'diffusion', createdAt: T0 } });
    expect(await store.watchesVersion()).toBe('1');
    const dup = await store.insertWatch(ann, { query: 'diffusion', queryKey: 'diffusion' }, 2, T0 + 1);
    expect(dup).toMatchObject({ ok: false, reason: 'duplicate', mine: [{ query: 'Diffusion' }] });
    expect((await store.insertWatch(ann, w('RLHF'), 2, T0 + 2)).ok).toBe(true);
    const full = await store.insertWatch(ann, w('agents'), 2, T0 + 3);
    expect(full).toMatchObject({ ok: false, reason: 'limit' });
    expect(full.ok ? [] : full.mine.map((row) => row.query)).toEqual(['Diffusion', 'RLHF']);
    // The same user id on another platform is another user.
    expect((await store.insertWatch(bob, w('agents'), 2, T0 - 5)).ok).toBe(true);
    expect(await store.watchesVersion()).toBe('3');
  });

  it('lists a user’s watches oldest first, and every watch by platform, user, age', async () => {
    expect((await store.listWatches(ann)).map((row) => row.query)).toEqual(['Diffusion', 'RLHF']);
    expect((await store.listWatches({ platform: 'discord', id: 'nobody' }))).toEqual([]);
    expect(await store.listAllWatches()).toEqual([
      { platform: 'discord', userId: ann.id, queries: ['Diffusion', 'RLHF'] },
      { platform: 'slack', userId: bob.id, queries: ['agents'] },
    ]);
  });

  it('deletes only the owner’s watch, and bumps the version only when a row went', async () => {
    const [diffusion] = await store.listWatches(ann);
    expect(await store.deleteWatch(bob, diffusion?.id ?? 0, T0 + 10)).toBeUndefined();
    expect(await store.watchesVersion()).toBe('3');
    expect(await store.deleteWatch(ann, diffusion?.id ?? 0, T0 + 10)).toMatchObject({ query: 'Diffusion' });
    expect(await store.deleteWatch(ann, diffusion?.id ?? 0, T0 + 11)).toBeUndefined();
    expect(await store.watchesVersion()).toBe('4');
    // A freed place can be taken again.
    expect((await store.insertWatch(ann, w('agents'), 2, T0 + 12)).ok).toBe(true);
    expect((await store.listWatches(ann)).map((row) => row.query)).toEqual(['RLHF', 'agents']);
  });
});

const server = await postgresServerReachable();
if (!server) console.info('watches: concurrent inserts need the PostgreSQL server (PGlite has one connection); skipped');

describe.skipIf(!server)('watch inserts on the PostgreSQL server, from several connections', () => {
  const connections = useTwoConnections(6);

  it('never lets concurrent inserts of one user pass the limit, and counts every one in the version', async () => {
    const a = createPostgresStore(connections.first().db);
    const b = createPostgresStore(connections.second());
    for (let round = 0; round < 5; round += 1) {
      const user = { platform: 'discord', id: `race${round}` };
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? a : b).insertWatch(user, w(`q${i}`), 3, T0 + i)));
      expect(results.filter((result) => result.ok)).toHaveLength(3);
      expect(results.filter((result) => !result.ok && result.reason === 'limit')).toHaveLength(9);
      expect(await a.listWatches(user)).toHaveLength(3);
    }
    expect(await b.watchesVersion()).toBe('15');
  }, 60_000);

  it('lets different users insert side by side', async () => {
    const a = createPostgresStore(connections.first().db);
    const b = createPostgresStore(connections.second());
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? a : b).insertWatch({ platform: 'slack', id: `U${i}` }, w('same'), 1, T0)));
    expect(results.every((result) => result.ok)).toBe(true);
    expect(await a.watchesVersion()).toBe('23');
  });
});
