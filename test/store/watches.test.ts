import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.ts';
import { addWatch, countActiveWatches, listWatches, removeWatch, removeWatchById } from '../../src/store/sqlite/watches.ts';
import { testDeps } from '../support/test-deps.ts';
import { seedPapers } from '../search/seed-papers.ts';

const alice = { platform: 'discord', id: 'U1' };
const bob = { platform: 'discord', id: 'U2' };
const aliceOnSlack = { platform: 'slack', id: 'U1' };

function userError(fn: () => unknown): UserError {
  try {
    fn();
  } catch (err) {
    if (err instanceof UserError) return err;
    throw err;
  }
  throw new Error('expected a UserError');
}

describe('addWatch', () => {
  it('saves the query as typed (trimmed) with its canonical key', () => {
    const deps = testDeps();
    const { watch } = addWatch(deps, alice, '  Diffusion  models ');
    expect(watch).toMatchObject({ platform: 'discord', userId: 'U1', query: 'Diffusion  models', queryKey: 'diffusion models' });
    expect(watch.createdAt).toBe(deps.clock.now().getTime());
  });

  it('refuses the same query again, however spaced, cased or ordered', () => {
    const deps = testDeps();
    addWatch(deps, alice, 'Diffusion  models');
    const err = userError(() => addWatch(deps, alice, 'models DIFFUSION'));
    expect(err.code).toBe('watch_duplicate');
    expect(err.message).toContain('number 1');
    expect(listWatches(deps.db, alice)).toHaveLength(1);
  });

  it('lets another user, or the same id on another platform, watch the same query', () => {
    const deps = testDeps();
    addWatch(deps, alice, 'diffusion');
    addWatch(deps, bob, 'diffusion');
    addWatch(deps, aliceOnSlack, 'diffusion');
    expect(countActiveWatches(deps.db)).toBe(3);
  });

  it('stops at MAX_WATCHES_PER_USER and says the limit', () => {
    const deps = testDeps({ env: { MAX_WATCHES_PER_USER: '3' } });
    for (const word of ['a1', 'b2', 'c3']) addWatch(deps, alice, word);
    const err = userError(() => addWatch(deps, alice, 'd4'));
    expect(err.code).toBe('watch_limit');
    expect(err.message).toContain('3');
    expect(listWatches(deps.db, alice)).toHaveLength(3);
    expect(() => addWatch(deps, bob, 'd4')).not.toThrow();
  });

  it.each(['', '   ', '***', '"" ()', '-survey', 'since:2026-01-01', 'min:5', '-a since:2026-01-01 min:3'])('refuses %j as bad_query', (text) => {
    const deps = testDeps();
    expect(userError(() => addWatch(deps, alice, text)).code).toBe('bad_query');
    expect(countActiveWatches(deps.db)).toBe(0);
  });

  it.each(['author:"Jane Doe"', 'org:deepmind', 'diffusion -survey', '"state space" OR mamba'])('accepts %j', (text) => {
    const deps = testDeps();
    expect(addWatch(deps, alice, text).watch.query).toBe(text);
  });

  it('refuses an over-long watch', () => {
    const deps = testDeps();
    expect(userError(() => addWatch(deps, alice, 'word '.repeat(200))).code).toBe('bad_query');
  });

  it('previews how many papers of the last 30 feed days it would have matched', () => {
    const deps = testDeps({ now: '2026-09-01T10:00:00Z' });
    seedPapers(deps.db, [
      { title: 'Diffusion today', feedDate: '2026-09-01' },
      { title: 'Diffusion 29 days ago', feedDate: '2026-08-03' },
      { title: 'Diffusion 30 days ago', feedDate: '2026-08-02' },
      { title: 'Something else', feedDate: '2026-09-01' },
    ]);
    expect(addWatch(deps, alice, 'diffusion').previewCount).toBe(2);
    expect(addWatch(deps, alice, 'nothing-like-it').previewCount).toBe(0);
  });
});

describe('listWatches / removeWatch', () => {
  function threeWatches() {
    const deps = testDeps();
    const rows = ['diffusion -survey', 'author:"Jane Doe"', 'mamba'].map((text) => {
      const row = addWatch(deps, alice, text).watch;
      deps.clock.advance(1000);
      return row;
    });
    addWatch(deps, bob, 'mamba');
    return { deps, rows };
  }

  it('lists a user\'s watches oldest first, and only theirs', () => {
    const { deps } = threeWatches();
    expect(listWatches(deps.db, alice).map((w) => w.query)).toEqual(['diffusion -survey', 'author:"Jane Doe"', 'mamba']);
    expect(listWatches(deps.db, bob).map((w) => w.query)).toEqual(['mamba']);
  });

  it('removes by list number', () => {
    const { deps } = threeWatches();
    expect(removeWatch(deps.db, alice, '2').query).toBe('author:"Jane Doe"');
    expect(listWatches(deps.db, alice).map((w) => w.query)).toEqual(['diffusion -survey', 'mamba']);
  });

  it('reads a number as a list position only, never as a watch id', () => {
    const { deps, rows } = threeWatches();
    const third = rows[2];
    if (!third) throw new Error('no watch');
    // Ids and list numbers both start at 1: shrink the list so the id is past its end.
    removeWatch(deps.db, alice, '1');
    removeWatch(deps.db, alice, '1');
    expect(third.id).toBeGreaterThan(1);
    const err = userError(() => removeWatch(deps.db, alice, String(third.id)));
    expect(err.code).toBe('not_found');
    expect(err.message).toBe(`You have no watch ${third.id} (you have 1).`);
    expect(listWatches(deps.db, alice).map((w) => w.id)).toEqual([third.id]);
  });

  it('says how many watches there are for a number past the list, or that there are none', () => {
    const { deps } = threeWatches();
    expect(userError(() => removeWatch(deps.db, alice, '26')).message).toBe('You have no watch 26 (you have 3).');
    expect(userError(() => removeWatch(deps.db, alice, '#0')).message).toBe('You have no watch 0 (you have 3).');
    const carol = { platform: 'discord', id: 'U3' };
    expect(userError(() => removeWatch(deps.db, carol, '1')).message).toBe('You have no watches.');
    expect(userError(() => removeWatch(deps.db, carol, 'diffusion')).message).toBe('You have no watches.');
    expect(countActiveWatches(deps.db)).toBe(4);
  });

  it('removes a watch whose query is a number by its text when no list position has that number', () => {
    const deps = testDeps();
    addWatch(deps, alice, 'diffusion');
    addWatch(deps, alice, '2024');
    expect(removeWatch(deps.db, alice, '2024').query).toBe('2024');
    expect(listWatches(deps.db, alice).map((w) => w.query)).toEqual(['diffusion']);
  });

  it('removes exactly the watch with a given id (a Remove button), only for its owner', () => {
    const { deps, rows } = threeWatches();
    const [first, second] = rows;
    if (!first || !second) throw new Error('no watch');
    // The list changed since the button was drawn: the id still names the same watch.
    removeWatch(deps.db, alice, '1');
    expect(removeWatchById(deps.db, bob, second.id)).toBeUndefined();
    expect(removeWatchById(deps.db, alice, second.id)?.query).toBe('author:"Jane Doe"');
    expect(removeWatchById(deps.db, alice, second.id)).toBeUndefined();
    expect(listWatches(deps.db, alice).map((w) => w.query)).toEqual(['mamba']);
  });

  it('removes by exact query text or by a query with the same meaning', () => {
    const { deps } = threeWatches();
    expect(removeWatch(deps.db, alice, '  DIFFUSION   -survey ').query).toBe('diffusion -survey');
    expect(removeWatch(deps.db, alice, 'AUTHOR:"jane  doe"').query).toBe('author:"Jane Doe"');
    expect(listWatches(deps.db, alice).map((w) => w.query)).toEqual(['mamba']);
  });

  it('says not_found for an unknown ref, and never touches another user\'s watch', () => {
    const { deps } = threeWatches();
    for (const ref of ['9', '0', 'transformers', '']) expect(userError(() => removeWatch(deps.db, alice, ref)).code).toBe('not_found');
    const bobsWatch = listWatches(deps.db, bob)[0];
    expect(userError(() => removeWatch(deps.db, alice, `${bobsWatch?.id ?? 0}`)).code).toBe('not_found');
    expect(countActiveWatches(deps.db)).toBe(4);
  });
});
