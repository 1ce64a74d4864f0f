import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.ts';
import { addWatch } from '../../src/watches/add-watch.ts';
import { removeWatch } from '../../src/watches/remove-watch.ts';
import { seedPapers } from '../search/seed-papers.ts';
import { backends, storePerTest } from '../support/both-backends.ts';
import { testDeps } from '../support/test-deps.ts';

// The watch rules (watches/add-watch.ts, remove-watch.ts) over the store's watch methods, on both
// backends: insertWatch's duplicate and limit answers, listWatches' numbering, deleteWatch,
// countMatches for the preview, watchesVersion.

const alice = { platform: 'discord', id: 'U1' };
const bob = { platform: 'discord', id: 'U2' };
const aliceOnSlack = { platform: 'slack', id: 'U1' };

async function userError(fn: () => Promise<unknown>): Promise<UserError> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof UserError) return err;
    throw err;
  }
  throw new Error('expected a UserError');
}

describe.each(backends)('watch rules on $name', (backend) => {
  const store = storePerTest(backend);
  const depsWith = (options: { env?: Record<string, string>; now?: string } = {}) => testDeps({ ...options, store: store() });

  describe('addWatch', () => {
    it('saves the query as typed (trimmed) with its canonical key', async () => {
      const deps = depsWith();
      const { watch } = await addWatch(deps, alice, '  Diffusion  models ');
      expect(watch).toMatchObject({ platform: 'discord', userId: 'U1', query: 'Diffusion  models', queryKey: 'diffusion models' });
      expect(watch.createdAt).toBe(deps.clock.now());
    });

    it('refuses the same query again, however spaced, cased or ordered', async () => {
      const deps = depsWith();
      await addWatch(deps, alice, 'Diffusion  models');
      const err = await userError(() => addWatch(deps, alice, 'models DIFFUSION'));
      expect(err.code).toBe('watch_duplicate');
      expect(err.message).toContain('number 1');
      expect(await deps.store.listWatches(alice)).toHaveLength(1);
    });

    it('lets another user, or the same id on another platform, watch the same query', async () => {
      const deps = depsWith();
      await addWatch(deps, alice, 'diffusion');
      await addWatch(deps, bob, 'diffusion');
      await addWatch(deps, aliceOnSlack, 'diffusion');
      expect(await deps.store.countRows('watches')).toBe(3);
    });

    it('stops at MAX_WATCHES_PER_USER and says the limit', async () => {
      const deps = depsWith({ env: { MAX_WATCHES_PER_USER: '3' } });
      for (const word of ['a1', 'b2', 'c3']) await addWatch(deps, alice, word);
      const err = await userError(() => addWatch(deps, alice, 'd4'));
      expect(err.code).toBe('watch_limit');
      expect(err.message).toContain('3');
      expect(await deps.store.listWatches(alice)).toHaveLength(3);
      await expect(addWatch(deps, bob, 'd4')).resolves.toBeDefined();
    });

    it.each(['', '   ', '***', '"" ()', '-survey', 'since:2026-01-01', 'min:5', '-a since:2026-01-01 min:3'])('refuses %j as bad_query', async (text) => {
      const deps = depsWith();
      expect((await userError(() => addWatch(deps, alice, text))).code).toBe('bad_query');
      expect(await deps.store.countRows('watches')).toBe(0);
    });

    it.each(['author:"Jane Doe"', 'org:deepmind', 'diffusion -survey', '"state space" OR mamba'])('accepts %j', async (text) => {
      const deps = depsWith();
      expect((await addWatch(deps, alice, text)).watch.query).toBe(text);
    });

    it('refuses an over-long watch', async () => {
      const deps = depsWith();
      expect((await userError(() => addWatch(deps, alice, 'word '.repeat(200)))).code).toBe('bad_query');
    });

    it('previews how many papers of the last 30 feed days it would have matched', async () => {
      const deps = depsWith({ now: '2026-09-01T10:00:00Z' });
      await seedPapers(deps.store, [
        { title: 'Diffusion today', feedDate: '2026-09-01' },
        { title: 'Diffusion 29 days ago', feedDate: '2026-08-03' },
        { title: 'Diffusion 30 days ago', feedDate: '2026-08-02' },
        { title: 'Something else', feedDate: '2026-09-01' },
      ]);
      expect((await addWatch(deps, alice, 'diffusion')).previewCount).toBe(2);
      expect((await addWatch(deps, alice, 'nothing-like-it')).previewCount).toBe(0);
    });
  });

  describe('listWatches / removeWatch', () => {
    async function threeWatches() {
      const deps = depsWith();
      const rows = [];
      for (const text of ['diffusion -survey', 'author:"Jane Doe"', 'mamba']) {
        rows.push((await addWatch(deps, alice, text)).watch);
        deps.clock.advance(1000);
      }
      await addWatch(deps, bob, 'mamba');
      return { deps, rows };
    }

    it('lists a user\'s watches oldest first, and only theirs', async () => {
      const { deps } = await threeWatches();
      expect((await deps.store.listWatches(alice)).map((w) => w.query)).toEqual(['diffusion -survey', 'author:"Jane Doe"', 'mamba']);
      expect((await deps.store.listWatches(bob)).map((w) => w.query)).toEqual(['mamba']);
    });

    it('removes by list number', async () => {
      const { deps } = await threeWatches();
      expect((await removeWatch(deps, alice, '2')).query).toBe('author:"Jane Doe"');
      expect((await deps.store.listWatches(alice)).map((w) => w.query)).toEqual(['diffusion -survey', 'mamba']);
    });

    it('reads a number as a list position only, never as a watch id', async () => {
      const { deps, rows } = await threeWatches();
      const third = rows[2];
      if (!third) throw new Error('no watch');
      // Ids and list numbers both start at 1: shrink the list so the id is past its end.
      await removeWatch(deps, alice, '1');
      await removeWatch(deps, alice, '1');
      expect(third.id).toBeGreaterThan(1);
      const err = await userError(() => removeWatch(deps, alice, String(third.id)));
      expect(err.code).toBe('not_found');
      expect(err.message).toBe(`You have no watch ${third.id} (you have 1).`);
      expect((await deps.store.listWatches(alice)).map((w) => w.id)).toEqual([third.id]);
    });

    it('says how many watches there are for a number past the list, or that there are none', async () => {
      const { deps } = await threeWatches();
      expect((await userError(() => removeWatch(deps, alice, '26'))).message).toBe('You have no watch 26 (you have 3).');
      expect((await userError(() => removeWatch(deps, alice, '#0'))).message).toBe('You have no watch 0 (you have 3).');
      const carol = { platform: 'discord', id: 'U3' };
      expect((await userError(() => removeWatch(deps, carol, '1'))).message).toBe('You have no watches.');
      expect((await userError(() => removeWatch(deps, carol, 'diffusion'))).message).toBe('You have no watches.');
      expect(await deps.store.countRows('watches')).toBe(4);
    });

    it('removes a watch whose query is a number by its text when no list position has that number', async () => {
      const deps = depsWith();
      await addWatch(deps, alice, 'diffusion');
      await addWatch(deps, alice, '2024');
      expect((await removeWatch(deps, alice, '2024')).query).toBe('2024');
      expect((await deps.store.listWatches(alice)).map((w) => w.query)).toEqual(['diffusion']);
    });

    it('removes exactly the watch with a given id (a Remove button), only for its owner', async () => {
      const { deps, rows } = await threeWatches();
      const [first, second] = rows;
      if (!first || !second) throw new Error('no watch');
      // The list changed since the button was drawn: the id still names the same watch.
      await removeWatch(deps, alice, '1');
      expect((await deps.store.deleteWatch(bob, second.id, deps.clock.now()))).toBeUndefined();
      expect((await deps.store.deleteWatch(alice, second.id, deps.clock.now()))?.query).toBe('author:"Jane Doe"');
      expect((await deps.store.deleteWatch(alice, second.id, deps.clock.now()))).toBeUndefined();
      expect((await deps.store.listWatches(alice)).map((w) => w.query)).toEqual(['mamba']);
    });

    it('removes by exact query text or by a query with the same meaning', async () => {
      const { deps } = await threeWatches();
      expect((await removeWatch(deps, alice, '  DIFFUSION   -survey ')).query).toBe('diffusion -survey');
      expect((await removeWatch(deps, alice, 'AUTHOR:"jane  doe"')).query).toBe('author:"Jane Doe"');
      expect((await deps.store.listWatches(alice)).map((w) => w.query)).toEqual(['mamba']);
    });

    it('says not_found for an unknown ref, and never touches another user\'s watch', async () => {
      const { deps } = await threeWatches();
      for (const ref of ['9', '0', 'transformers', '']) expect((await userError(() => removeWatch(deps, alice, ref))).code).toBe('not_found');
      const bobsWatch = (await deps.store.listWatches(bob))[0];
      expect((await userError(() => removeWatch(deps, alice, `${bobsWatch?.id ?? 0}`))).code).toBe('not_found');
      expect(await deps.store.countRows('watches')).toBe(4);
    });
  });

  describe('store.watchesVersion', () => {
    it('changes with every insert and delete, also when a removed newest watch is replaced', async () => {
      const deps = depsWith();
      const seen = [await deps.store.watchesVersion()];
      await addWatch(deps, alice, 'diffusion');
      seen.push(await deps.store.watchesVersion());
      await removeWatch(deps, alice, 'diffusion');
      seen.push(await deps.store.watchesVersion());
      // Same count and (possibly) same max id as before the delete: the version still moves.
      await addWatch(deps, alice, 'mamba');
      seen.push(await deps.store.watchesVersion());
      await userError(() => addWatch(deps, alice, 'MAMBA'));
      seen.push(await deps.store.watchesVersion());
      expect(new Set(seen.slice(0, 4)).size).toBe(4);
      // A refused watch writes nothing.
      expect(seen[4]).toBe(seen[3]);
    });
  });
});
