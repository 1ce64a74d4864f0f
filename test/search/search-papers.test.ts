import { beforeAll, describe, expect, it } from 'vitest';
import { parseQuery } from '../../src/search/parse-query.ts';
import type { SearchOptions } from '../../src/store/store.ts';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { createTestStore } from '../support/test-db.ts';
import { seedNamedPapers } from './seed-papers.ts';

const now = Date.parse('2026-09-01T10:00:00Z');
const neutral = 'Some neutral abstract text about experiments.';

describe('searchPapers on a small known corpus', () => {
  let store: SqliteStore;
  let ids: { id(name: string): number };
  const searchPapers = (text: string, options: SearchOptions) => store.searchPapers(parseQuery(text), options);
  const countMatches = (text: string, sinceFeedDate: string) => store.countMatches(parseQuery(text), sinceFeedDate);
  const matchedTerms = (paperId: number, text: string) => store.matchedTerms(paperId, parseQuery(text));
  const titles = async (text: string, limit = 20) => (await searchPapers(text, { limit, offset: 0, now })).results.map((r) => r.paper.title);

  beforeAll(async () => {
    store = createTestStore();
    ids = await seedNamedPapers(store, {
      rigorous: { title: 'Rigorous evaluation of agents', abstract: neutral },
      ssmPhrase: { title: 'Selective state space layers', abstract: neutral },
      ssmScattered: { title: 'Space of states in control', abstract: 'A state machine in latent space.' },
      survey: { title: 'A survey of diffusion', abstract: 'We review diffusion models.' },
      titleHit: { title: 'Tokenizer design matters', abstract: neutral },
      abstractHit: { title: 'Scaling laws', abstract: 'We revisit tokenizer choices for scaling.' },
      janeDoe: { title: 'Graph networks', abstract: neutral, authors: ['Jane Doe', 'Bob Smith'] },
      mitPaper: { title: 'Robot hands', abstract: neutral, organization: 'MIT CSAIL' },
      old: { title: 'Old diffusion result', abstract: 'diffusion diffusion', feedDate: '2025-01-02' },
      popular: { title: 'Popular diffusion result', abstract: 'diffusion diffusion', upvotes: 500 },
      flowPaper: { title: 'Flow matching at scale', abstract: neutral },
    });
  });

  it('stems: rigor finds "Rigorous"', async () => {
    expect(await titles('rigor')).toEqual(['Rigorous evaluation of agents']);
    expect(await titles('RIGOROUSLY')).toEqual(['Rigorous evaluation of agents']);
  });

  it('a phrase needs adjacent words; the same words unquoted do not', async () => {
    expect(await titles('"state space"')).toEqual(['Selective state space layers']);
    expect((await titles('state space')).sort()).toEqual(['Selective state space layers', 'Space of states in control']);
  });

  it('excludes words and phrases', async () => {
    expect(await titles('diffusion -survey')).not.toContain('A survey of diffusion');
    expect(await titles('diffusion -survey')).toContain('Old diffusion result');
    expect(await titles('diffusion -"review diffusion"')).not.toContain('A survey of diffusion');
  });

  it('a query of exclusions only matches everything else', async () => {
    const result = await searchPapers('-diffusion -tokenizer', { limit: 50, offset: 0, now });
    expect(result.total).toBe(6);
    expect(result.results.map((r) => r.paper.title)).not.toContain('A survey of diffusion');
  });

  it('filters by author, in full or by last name, in any case', async () => {
    expect(await titles('author:"Jane Doe"')).toEqual(['Graph networks']);
    expect(await titles('author:doe')).toEqual(['Graph networks']);
    expect(await titles('AUTHOR:"jane doe" graph')).toEqual(['Graph networks']);
    expect(await titles('author:"Doe Jane"')).toEqual([]);
  });

  it('filters by organisation, case-insensitively, as a substring', async () => {
    expect(await titles('org:mit')).toEqual(['Robot hands']);
    expect(await titles('org:"csail" robot')).toEqual(['Robot hands']);
    expect(await titles('org:stanford')).toEqual([]);
  });

  it('since: refers to the latest feed day, min: to upvotes', async () => {
    expect(await titles('diffusion since:2026-01-01')).not.toContain('Old diffusion result');
    expect(await titles('diffusion since:2024-12-31')).toContain('Old diffusion result');
    expect(await titles('diffusion min:100')).toEqual(['Popular diffusion result']);
    expect(await titles('min:100')).toEqual(['Popular diffusion result']);
  });

  it('OR matches either side', async () => {
    expect((await titles('flow OR tokenizer')).sort()).toEqual(['Flow matching at scale', 'Scaling laws', 'Tokenizer design matters']);
    expect((await titles('scaling flow OR tokenizer')).sort()).toEqual(['Flow matching at scale', 'Scaling laws']);
  });

  it('ranks a title hit above an abstract-only hit', async () => {
    expect(await titles('tokenizer')).toEqual(['Tokenizer design matters', 'Scaling laws']);
  });

  it('blends in upvotes and recency for equal text', async () => {
    expect(await titles('diffusion result')).toEqual(['Popular diffusion result', 'Old diffusion result']);
    const scores = (await searchPapers('diffusion result', { limit: 5, offset: 0, now })).results.map((r) => r.score);
    expect(scores[0]).toBeGreaterThan(scores[1] ?? Infinity);
  });

  it('pages with limit/offset and reports the total', async () => {
    const first = await searchPapers('diffusion', { limit: 2, offset: 0, now });
    const second = await searchPapers('diffusion', { limit: 2, offset: 2, now });
    expect(first.total).toBe(3);
    expect(second.total).toBe(3);
    expect(first.capped).toBe(false);
    expect([...first.results, ...second.results].map((r) => r.paper.id).sort()).toEqual([ids.id('survey'), ids.id('old'), ids.id('popular')].sort());
    expect(await searchPapers('diffusion', { limit: 2, offset: 10, now })).toEqual({ total: 3, capped: false, results: [], searched: 11 });
  });

  it('an empty or meaningless query finds nothing and runs no MATCH', async () => {
    expect(await searchPapers('', { limit: 5, offset: 0, now })).toEqual({ total: 0, capped: false, results: [], searched: 11 });
    expect((await searchPapers('*** () "" -', { limit: 5, offset: 0, now })).total).toBe(0);
  });

  it('counts matches since a feed day (the watch preview)', async () => {
    expect(await countMatches('diffusion', '2026-08-02')).toBe(2);
    expect(await countMatches('diffusion', '2024-01-01')).toBe(3);
    expect(await countMatches('diffusion since:2026-08-31', '2024-01-01')).toBe(2);
    expect(await countMatches('-diffusion', '2026-08-02')).toBe(8);
    expect(await countMatches('org:mit', '2026-08-02')).toBe(1);
    expect(await countMatches('diffusion', '2027-01-01')).toBe(0);
    expect(await countMatches('', '2024-01-01')).toBe(0);
  });

  it('matchedTerms returns the words as the paper spells them', async () => {
    expect(await matchedTerms(ids.id('rigorous'), 'rigor')).toEqual(['rigorous']);
    expect(await matchedTerms(ids.id('ssmPhrase'), '"state space" selective OR nothing')).toEqual(['selective', 'state space']);
    expect(await matchedTerms(ids.id('janeDoe'), 'author:"jane doe"')).toEqual(['jane doe']);
    expect(await matchedTerms(ids.id('janeDoe'), 'unrelated')).toEqual([]);
    expect(await matchedTerms(ids.id('janeDoe'), '-graph')).toEqual([]);
  });
});
