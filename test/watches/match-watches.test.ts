import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../src/search/parse-query.ts';
import { alertedPapers } from '../../src/store/sqlite/schema.ts';
import { addWatch } from '../../src/watches/add-watch.ts';
import { matchWatches, type UserMatches } from '../../src/watches/match-watches.ts';
import { removeWatch } from '../../src/watches/remove-watch.ts';
import { seedPapers } from '../search/seed-papers.ts';
import { testDeps } from '../support/test-deps.ts';
import { insertRawWatch } from './raw-watch.ts';

const alice = { platform: 'discord', id: 'A' };
const bob = { platform: 'discord', id: 'B' };
const carol = { platform: 'slack', id: 'C' };

async function setup() {
  const deps = testDeps({ now: '2026-09-01T10:00:00Z' });
  // Stored before the run: never alerted by it, even when they match.
  await seedPapers(deps.store, [{ title: 'Old diffusion paper', feedDate: '2026-08-20' }]);
  return deps;
}

const paperIdsOf = (result: UserMatches[], userId: string) => result.find((u) => u.userId === userId)?.matches.map((m) => m.paperId) ?? [];

describe('matchWatches', () => {
  it('gives each user the new papers matching their watches, with the words as spelled', async () => {
    const deps = await setup();
    await addWatch(deps, alice, 'rigor');
    await addWatch(deps, bob, '"state space"');
    const [rigorous, ssm, other] = await seedPapers(deps.store, [
      { title: 'Rigorous evaluation', abstract: 'Plain.' },
      { title: 'Selective State-Space layers', abstract: 'Plain.' },
      { title: 'Space of states', abstract: 'Plain.' },
    ]);
    const result = await matchWatches(deps.store, [rigorous ?? 0, ssm ?? 0, other ?? 0]);
    expect(result).toEqual([
      { platform: 'discord', userId: 'A', paperIds: [rigorous], matches: [{ paperId: rigorous, watchQuery: 'rigor', terms: ['rigorous'] }], watchesMatched: 1 },
      { platform: 'discord', userId: 'B', paperIds: [ssm], matches: [{ paperId: ssm, watchQuery: '"state space"', terms: ['state-space'] }], watchesMatched: 1 },
    ]);
  });

  it('sends a paper once per user, credited to their first matching watch', async () => {
    const deps = await setup();
    await addWatch(deps, alice, 'agents');
    deps.clock.advance(1000);
    await addWatch(deps, alice, 'diffusion');
    deps.clock.advance(1000);
    await addWatch(deps, alice, 'diffusion agents');
    const [both, onlyDiffusion] = await seedPapers(deps.store, [{ title: 'Diffusion agents' }, { title: 'Diffusion alone' }]);
    const [user] = await matchWatches(deps.store, [both ?? 0, onlyDiffusion ?? 0]);
    expect(user?.watchesMatched).toBe(3);
    expect(user?.matches.map((m) => [m.paperId, m.watchQuery, m.terms])).toEqual([
      [both, 'agents', ['agents']],
      [onlyDiffusion, 'diffusion', ['diffusion']],
    ]);
  });

  it('never returns a paper already alerted to that user', async () => {
    const deps = await setup();
    await addWatch(deps, alice, 'diffusion');
    await addWatch(deps, bob, 'diffusion');
    const [paper] = await seedPapers(deps.store, [{ title: 'Diffusion again' }]);
    deps.db.insert(alertedPapers).values({ platform: 'discord', userId: 'A', paperId: paper ?? 0, alertedAt: 1 }).run();
    const result = await matchWatches(deps.store, [paper ?? 0]);
    expect(result.map((u) => u.userId)).toEqual(['B']);
  });

  it('respects exclusions, OR, authors, org, since and min', async () => {
    const deps = await setup();
    const watchesByUser: Array<[string, string]> = [
      ['u-excl', 'diffusion -survey'],
      ['u-or', 'mamba OR "state space"'],
      ['u-author', 'author:"jane doe"'],
      ['u-org', 'org:csail robots'],
      ['u-since', 'diffusion since:2026-09-01'],
      ['u-min', 'diffusion min:10'],
    ];
    for (const [id, text] of watchesByUser) await addWatch(deps, { platform: 'discord', id }, text);
    const [survey, plain, mamba, jane, maryJane, robots, yesterday] = await seedPapers(deps.store, [
      { title: 'A survey of diffusion', upvotes: 50, feedDate: '2026-09-01' },
      { title: 'Diffusion done right', upvotes: 3, feedDate: '2026-09-01' },
      { title: 'Mamba layers' },
      { title: 'Graphs', authors: ['Jane Doe'] },
      // "Mary Jane", "Doe Smith": FTS5 sees "jane doe" adjacent across two names, and so do we.
      { title: 'Trees', authors: ['Mary Jane', 'Doe Smith'] },
      { title: 'Robots that grasp', organization: 'MIT CSAIL' },
      { title: 'Diffusion yesterday', upvotes: 12, feedDate: '2026-08-31' },
    ]);
    const ids = [survey, plain, mamba, jane, maryJane, robots, yesterday].map((id) => id ?? 0);
    const result = await matchWatches(deps.store, ids);
    expect(paperIdsOf(result, 'u-excl')).toEqual([plain, yesterday]);
    expect(paperIdsOf(result, 'u-or')).toEqual([mamba]);
    expect(paperIdsOf(result, 'u-author')).toEqual([jane, maryJane]);
    expect(paperIdsOf(result, 'u-org')).toEqual([robots]);
    expect(paperIdsOf(result, 'u-since')).toEqual([survey, plain]);
    expect(paperIdsOf(result, 'u-min')).toEqual([survey, yesterday]);
  });

  it('sees watches added or removed since the last run (the index cache is invalidated)', async () => {
    const deps = await setup();
    const [first] = await seedPapers(deps.store, [{ title: 'Kernels' }]);
    expect(await matchWatches(deps.store, [first ?? 0])).toEqual([]);
    await addWatch(deps, carol, 'kernels');
    expect(paperIdsOf(await matchWatches(deps.store, [first ?? 0]), 'C')).toEqual([first]);
    await removeWatch(deps, carol, 'kernels');
    await addWatch(deps, carol, 'graphs');
    expect(await matchWatches(deps.store, [first ?? 0])).toEqual([]);
  });

  it('orders users by platform then id, and papers as given', async () => {
    const deps = await setup();
    await addWatch(deps, carol, 'kernels');
    await addWatch(deps, bob, 'kernels');
    await addWatch(deps, alice, 'kernels');
    const [a, b] = await seedPapers(deps.store, [{ title: 'Kernels one' }, { title: 'Kernels two' }]);
    const result = await matchWatches(deps.store, [b ?? 0, a ?? 0]);
    expect(result.map((u) => `${u.platform}:${u.userId}`)).toEqual(['discord:A', 'discord:B', 'slack:C']);
    expect(result[0]?.matches.map((m) => m.paperId)).toEqual([b, a]);
  });

  it('builds matches with words for the first `shown` papers only, and lists every matched paper id', async () => {
    const deps = await setup();
    await addWatch(deps, alice, 'kernels');
    const ids = await seedPapers(deps.store, [{ title: 'Kernels one' }, { title: 'Kernels two' }, { title: 'Kernels three' }]);
    const [user] = await matchWatches(deps.store, ids, { shown: 2 });
    expect(user?.paperIds).toEqual(ids);
    expect(user?.matches.map((m) => [m.paperId, m.terms])).toEqual([
      [ids[0], ['kernels']],
      [ids[1], ['kernels']],
    ]);
  });

  it('ignores unknown paper ids and works with no watches or no papers', async () => {
    const deps = await setup();
    expect(await matchWatches(deps.store, [])).toEqual([]);
    expect(await matchWatches(deps.store, [999])).toEqual([]);
    await addWatch(deps, alice, 'kernels');
    expect(await matchWatches(deps.store, [999])).toEqual([]);
  });

  it('skips a watch row whose query means nothing (not writable through addWatch)', async () => {
    const deps = await setup();
    insertRawWatch(deps.store, 'A', '***');
    const [paper] = await seedPapers(deps.store, [{ title: 'Anything' }]);
    expect(await matchWatches(deps.store, [paper ?? 0])).toEqual([]);
  });

  it('shows the same matched words as FTS5 highlight() would', async () => {
    const deps = await setup();
    const queries = ['rigor', '"state space" models', 'author:"Jane Doe" graphs', 'naive OR rigor', 'GPT-4 -survey'];
    for (const [i, text] of queries.entries()) await addWatch(deps, { platform: 'discord', id: `u${i}` }, text);
    const [paper] = await seedPapers(deps.store, [
      { title: 'Rigorous State-Space Models for Graphs', abstract: 'A naïve baseline, then GPT-4 results.', authors: ['Jane Doe'] },
    ]);
    const result = await matchWatches(deps.store, [paper ?? 0]);
    expect(result).toHaveLength(queries.length);
    for (const user of result) {
      const match = user.matches[0];
      expect(match?.terms.slice().sort()).toEqual((await deps.store.matchedTerms(paper ?? 0, parseQuery(match?.watchQuery ?? ''))).sort());
    }
    expect(result.map((u) => u.matches[0]?.terms)).toEqual([['rigorous'], ['state-space', 'models'], ['graphs', 'jane doe'], ['naïve', 'rigorous'], ['gpt-4']]);
  });

  it('asks FTS5 highlight() for the words when its own word split disagrees (a lone accent)', async () => {
    const deps = await setup();
    await addWatch(deps, alice, 'tests');
    // "\u0301" alone is no token for FTS5 but a word for a naive split: positions would be off by one.
    const [paper] = await seedPapers(deps.store, [{ title: 'Careful \u0301 Tests', abstract: 'Plain.' }]);
    expect((await matchWatches(deps.store, [paper ?? 0]))[0]?.matches[0]?.terms).toEqual(['tests']);
  });
});
