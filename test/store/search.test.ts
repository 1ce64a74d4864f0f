import { describe, expect, it } from 'vitest';
import type { FeedPaper } from '../../src/papers/feed-paper.ts';
import { parseQuery } from '../../src/search/parse-query.ts';
import { seedNamedPapers } from '../search/seed-papers.ts';
import { backends, sharedStore } from '../support/both-backends.ts';

// Full text through the Store, on both backends: searchPapers (matching, filters, ranking shape,
// paging), countMatches (watch previews) and paperIdsMatching (a digest's query). Finer points of
// ranking against real papers: test/store-postgres/search-agrees-with-sqlite.test.ts.

const now = Date.parse('2026-09-01T10:00:00Z');
const neutral = 'Some neutral abstract text about experiments.';
const papers = {
  rigorous: { title: 'Rigorous evaluation of agents', abstract: neutral },
  ssm: { title: 'Selective state space layers', abstract: neutral },
  survey: { title: 'A survey of diffusion', abstract: 'We review diffusion models.', upvotes: 3 },
  old: { title: 'Old diffusion result', abstract: 'diffusion diffusion', feedDate: '2025-01-02' },
  popular: { title: 'Popular diffusion result', abstract: 'diffusion diffusion', upvotes: 500 },
  jane: { title: 'Graph networks', abstract: neutral, authors: ['Jane Doe', 'Bob Smith'], organization: 'MIT CSAIL' },
  kernels: { title: 'Kernel methods revisited', abstract: 'Support vector machines, again.', authors: ['Bernhard Schölkopf'] },
  cafe: { title: 'Naïve Bayes in the café', abstract: 'Über-simple classifiers.', authors: ['José Núñez'] },
  plain: { title: 'Naive Bayes at the cafe', abstract: 'Uber-simple classifiers.', authors: ['Jose Nunez'] },
} satisfies Record<string, Partial<FeedPaper> & { feedDate?: string }>;
type Name = keyof typeof papers;

describe.each(backends)('full text on $name', (backend) => {
  let ids: { id(name: Name): number } = { id: () => -1 };
  const store = sharedStore(backend, async (s) => {
    ids = await seedNamedPapers(s, papers);
  });
  const names = (found: Iterable<number>) => {
    const set = new Set(found);
    return (Object.keys(papers) as Name[]).filter((name) => set.has(ids.id(name)));
  };
  const search = async (text: string, limit = 20, offset = 0) => store().searchPapers(parseQuery(text), { limit, offset, now });
  const found = async (text: string) => names((await search(text)).results.map((r) => r.paper.id));
  const matching = async (text: string) => names(await store().paperIdsMatching(parseQuery(text), Object.keys(papers).map((name) => ids.id(name as Name))));

  it('matches stemmed words and phrases, and excludes', async () => {
    expect(await found('rigor')).toEqual(['rigorous']);
    expect(await found('"state space"')).toEqual(['ssm']);
    expect(await found('"space state"')).toEqual([]);
    expect((await found('diffusion -survey')).sort()).toEqual(['old', 'popular']);
    expect((await found('graph OR kernel')).sort()).toEqual(['jane', 'kernels']);
  });

  it('filters by author, organisation, feed day and upvotes', async () => {
    expect(await found('author:"jane doe"')).toEqual(['jane']);
    expect(await found('org:csail')).toEqual(['jane']);
    expect(await found('diffusion since:2026-01-01')).not.toContain('old');
    expect(await found('min:100')).toEqual(['popular']);
  });

  it('ranks by relevance × popularity × freshness, with scores that fall, and pages with a total', async () => {
    const all = await search('diffusion');
    expect(all).toMatchObject({ total: 3, capped: false });
    expect(all.results[0]?.paper.id).toBe(ids.id('popular'));
    expect(all.results.at(-1)?.paper.id).toBe(ids.id('old'));
    const scores = all.results.map((r) => r.score);
    expect(scores.every((score, i) => score > 0 && (i === 0 || score <= (scores[i - 1] ?? 0)))).toBe(true);
    const second = await search('diffusion', 1, 1);
    expect(second.total).toBe(3);
    expect(second.results.map((r) => r.paper.id)).toEqual([all.results[1]?.paper.id]);
    expect(await search('diffusion', 5, 10)).toEqual({ total: 3, capped: false, searched: 9, results: [] });
    expect(await search('nothingmatchesthis')).toEqual({ total: 0, capped: false, searched: 9, results: [] });
  });

  it('counts matches from a feed day on, for watch previews', async () => {
    expect(await store().countMatches(parseQuery('diffusion'), '2026-01-01')).toBe(2);
    expect(await store().countMatches(parseQuery('diffusion'), '2025-01-01')).toBe(3);
    expect(await store().countMatches(parseQuery('diffusion'), '2027-01-01')).toBe(0);
  });

  it('tells which of given papers match a digest query', async () => {
    expect((await matching('diffusion min:3')).sort()).toEqual(['popular', 'survey']);
    expect(await store().paperIdsMatching(parseQuery('diffusion'), [])).toEqual(new Set());
    expect(await store().paperIdsMatching(parseQuery('diffusion'), [ids.id('rigorous')])).toEqual(new Set());
  });

  // SQLite's FTS5 unicode61 tokenizer folds diacritics: a user who types plain letters finds the
  // accented name, and the other way round. PostgreSQL folds the same letters
  // (migrations/postgres/0005_fold_accents.sql).
  const accentCases: Array<[string, Name[]]> = [
    ['author:Scholkopf', ['kernels']],
    ['Scholkopf', ['kernels']],
    ['naive bayes', ['cafe', 'plain']],
    ['naïve bayes', ['cafe', 'plain']],
    ['cafe', ['cafe', 'plain']],
    ['café', ['cafe', 'plain']],
    ['author:"Jose Nunez"', ['cafe', 'plain']],
    ['author:"José Núñez"', ['cafe', 'plain']],
  ];
  it.each(accentCases)('folds accents: %s', async (text, expected) => {
    expect((await found(text)).sort()).toEqual(expected);
    expect((await matching(text)).sort()).toEqual(expected);
    expect(await store().countMatches(parseQuery(text), '2000-01-01')).toBe(expected.length);
  });

  it('finds an accented name spelt as the paper spells it', async () => {
    expect(await found('author:Schölkopf')).toEqual(['kernels']);
    expect(await found('Schölkopf')).toEqual(['kernels']);
  });

  it.each(['"', "'", '\\', 'a:*', '!x', '(a | b)', '<->', 'author:"', 'since:nope', 'é', '😀', 'OR OR', 'NEAR(a b)'])('never throws on %j', async (text) => {
    const result = await search(text);
    expect(result.total).toBeGreaterThanOrEqual(result.results.length);
    await store().countMatches(parseQuery(text), '2000-01-01');
    await store().paperIdsMatching(parseQuery(text), [ids.id('rigorous')]);
  });
});
