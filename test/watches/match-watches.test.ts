import { describe, expect, it } from 'vitest';
import { alertedPapers } from '../../src/store/sqlite/schema.ts';
import { addWatch, removeWatch } from '../../src/store/sqlite/watches.ts';
import { matchedTerms } from '../../src/store/sqlite/matched-terms.ts';
import { matchWatches } from '../../src/watches/match-watches.ts';
import { seedPapers } from '../search/seed-papers.ts';
import { testDeps } from '../support/test-deps.ts';
import { insertRawWatch } from './raw-watch.ts';

const alice = { platform: 'discord', id: 'A' };
const bob = { platform: 'discord', id: 'B' };
const carol = { platform: 'slack', id: 'C' };

function setup() {
  const deps = testDeps({ now: '2026-09-01T10:00:00Z' });
  // Stored before the run: never alerted by it, even when they match.
  seedPapers(deps.db, [{ title: 'Old diffusion paper', feedDate: '2026-08-20' }]);
  return deps;
}

const paperIdsOf = (result: ReturnType<typeof matchWatches>, userId: string) => result.find((u) => u.userId === userId)?.matches.map((m) => m.paperId) ?? [];

describe('matchWatches', () => {
  it('gives each user the new papers matching their watches, with the words as spelled', () => {
    const deps = setup();
    addWatch(deps, alice, 'rigor');
    addWatch(deps, bob, '"state space"');
    const [rigorous, ssm, other] = seedPapers(deps.db, [
      { title: 'Rigorous evaluation', abstract: 'Plain.' },
      { title: 'Selective State-Space layers', abstract: 'Plain.' },
      { title: 'Space of states', abstract: 'Plain.' },
    ]);
    const result = matchWatches(deps.db, [rigorous ?? 0, ssm ?? 0, other ?? 0]);
    expect(result).toEqual([
      { platform: 'discord', userId: 'A', matches: [{ paperId: rigorous, watchId: 1, watchQuery: 'rigor', terms: ['rigorous'] }] },
      { platform: 'discord', userId: 'B', matches: [{ paperId: ssm, watchId: 2, watchQuery: '"state space"', terms: ['state-space'] }] },
    ]);
  });

  it('sends a paper once per user, credited to their first matching watch', () => {
    const deps = setup();
    addWatch(deps, alice, 'agents');
    deps.clock.advance(1000);
    addWatch(deps, alice, 'diffusion');
    deps.clock.advance(1000);
    addWatch(deps, alice, 'diffusion agents');
    const [both, onlyDiffusion] = seedPapers(deps.db, [{ title: 'Diffusion agents' }, { title: 'Diffusion alone' }]);
    const [user] = matchWatches(deps.db, [both ?? 0, onlyDiffusion ?? 0]);
    expect(user?.matches.map((m) => [m.paperId, m.watchQuery, m.terms])).toEqual([
      [both, 'agents', ['agents']],
      [onlyDiffusion, 'diffusion', ['diffusion']],
    ]);
  });

  it('never returns a paper already alerted to that user', () => {
    const deps = setup();
    addWatch(deps, alice, 'diffusion');
    addWatch(deps, bob, 'diffusion');
    const [paper] = seedPapers(deps.db, [{ title: 'Diffusion again' }]);
    deps.db.insert(alertedPapers).values({ platform: 'discord', userId: 'A', paperId: paper ?? 0, alertedAt: 1 }).run();
    const result = matchWatches(deps.db, [paper ?? 0]);
    expect(result.map((u) => u.userId)).toEqual(['B']);
  });

  it('respects exclusions, OR, authors, org, since and min', () => {
    const deps = setup();
    const watchesByUser: Array<[string, string]> = [
      ['u-excl', 'diffusion -survey'],
      ['u-or', 'mamba OR "state space"'],
      ['u-author', 'author:"jane doe"'],
      ['u-org', 'org:csail robots'],
      ['u-since', 'diffusion since:2026-09-01'],
      ['u-min', 'diffusion min:10'],
    ];
    for (const [id, text] of watchesByUser) addWatch(deps, { platform: 'discord', id }, text);
    const [survey, plain, mamba, jane, maryJane, robots, yesterday] = seedPapers(deps.db, [
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
    const result = matchWatches(deps.db, ids);
    expect(paperIdsOf(result, 'u-excl')).toEqual([plain, yesterday]);
    expect(paperIdsOf(result, 'u-or')).toEqual([mamba]);
    expect(paperIdsOf(result, 'u-author')).toEqual([jane, maryJane]);
    expect(paperIdsOf(result, 'u-org')).toEqual([robots]);
    expect(paperIdsOf(result, 'u-since')).toEqual([survey, plain]);
    expect(paperIdsOf(result, 'u-min')).toEqual([survey, yesterday]);
  });

  it('sees watches added or removed since the last run (the index cache is invalidated)', () => {
    const deps = setup();
    const [first] = seedPapers(deps.db, [{ title: 'Kernels' }]);
    expect(matchWatches(deps.db, [first ?? 0])).toEqual([]);
    addWatch(deps, carol, 'kernels');
    expect(paperIdsOf(matchWatches(deps.db, [first ?? 0]), 'C')).toEqual([first]);
    removeWatch(deps.db, carol, 'kernels');
    addWatch(deps, carol, 'graphs');
    expect(matchWatches(deps.db, [first ?? 0])).toEqual([]);
  });

  it('orders users by platform then id, and papers as given', () => {
    const deps = setup();
    addWatch(deps, carol, 'kernels');
    addWatch(deps, bob, 'kernels');
    addWatch(deps, alice, 'kernels');
    const [a, b] = seedPapers(deps.db, [{ title: 'Kernels one' }, { title: 'Kernels two' }]);
    const result = matchWatches(deps.db, [b ?? 0, a ?? 0]);
    expect(result.map((u) => `${u.platform}:${u.userId}`)).toEqual(['discord:A', 'discord:B', 'slack:C']);
    expect(result[0]?.matches.map((m) => m.paperId)).toEqual([b, a]);
  });

  it('ignores unknown paper ids and works with no watches or no papers', () => {
    const deps = setup();
    expect(matchWatches(deps.db, [])).toEqual([]);
    expect(matchWatches(deps.db, [999])).toEqual([]);
    addWatch(deps, alice, 'kernels');
    expect(matchWatches(deps.db, [999])).toEqual([]);
  });

  it('skips a watch row whose query means nothing (not writable through addWatch)', () => {
    const deps = setup();
    insertRawWatch(deps.db, 'A', '***');
    const [paper] = seedPapers(deps.db, [{ title: 'Anything' }]);
    expect(matchWatches(deps.db, [paper ?? 0])).toEqual([]);
  });

  it('shows the same matched words as FTS5 highlight() would', () => {
    const deps = setup();
    const queries = ['rigor', '"state space" models', 'author:"Jane Doe" graphs', 'naive OR rigor', 'GPT-4 -survey'];
    queries.forEach((text, i) => addWatch(deps, { platform: 'discord', id: `u${i}` }, text));
    const [paper] = seedPapers(deps.db, [
      { title: 'Rigorous State-Space Models for Graphs', abstract: 'A naïve baseline, then GPT-4 results.', authors: ['Jane Doe'] },
    ]);
    const result = matchWatches(deps.db, [paper ?? 0]);
    expect(result).toHaveLength(queries.length);
    for (const user of result) {
      const match = user.matches[0];
      expect(match?.terms.slice().sort()).toEqual(matchedTerms(deps.db, paper ?? 0, match?.watchQuery ?? '').sort());
    }
    expect(result.map((u) => u.matches[0]?.terms)).toEqual([['rigorous'], ['state-space', 'models'], ['graphs', 'jane doe'], ['naïve', 'rigorous'], ['gpt-4']]);
  });

  it('asks FTS5 highlight() for the words when its own word split disagrees (a lone accent)', () => {
    const deps = setup();
    addWatch(deps, alice, 'tests');
    // "\u0301" alone is no token for FTS5 but a word for a naive split: positions would be off by one.
    const [paper] = seedPapers(deps.db, [{ title: 'Careful \u0301 Tests', abstract: 'Plain.' }]);
    expect(matchWatches(deps.db, [paper ?? 0])[0]?.matches[0]?.terms).toEqual(['tests']);
  });
});
