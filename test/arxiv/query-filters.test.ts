import { describe, expect, it } from 'vitest';
import { checkQuery } from '../../commands/check-query.ts';
import { chatSyntax } from '../../commands/command-syntax.ts';
import { parseCommandText } from '../../commands/parse-command-text.ts';
import type { ArxivItem } from '../../src/papers/arxiv-paper.ts';
import { filtersBesideOr, isEmptyQuery, malformedFilters, parseQuery } from '../../src/search/parse-query.ts';
import { describeQuery, queryKey } from '../../src/search/query-key.ts';
import { addWatch } from '../../src/watches/add-watch.ts';
import { matchWatches } from '../../src/watches/match-watches.ts';
import { aPaper } from '../support/builders.ts';
import { testDeps } from '../support/test-deps.ts';

// cat: and source: in the one query language: parsed, canonical, described, refused when
// malformed, and matched by watches exactly as search filters them (test/store-postgres/arxiv-listings.test.ts).

describe('parseQuery cat: and source:', () => {
  it('reads categories, archives and sources next to words and other filters', () => {
    expect(parseQuery('retrieval cat:cs.CL CAT:stat source:ArXiv min:3')).toEqual({
      groups: [[{ kind: 'word', text: 'retrieval' }]],
      exclude: [],
      authors: [],
      orgs: [],
      minUpvotes: 3,
      categories: ['cs.CL', 'stat'],
      sources: ['arxiv'],
    });
    expect(parseQuery('cat:cs.CL cat:CS.cl source:hf source:hf')).toMatchObject({ categories: ['cs.CL'], sources: ['hf'] });
    expect(isEmptyQuery(parseQuery('cat:physics.atom-ph'))).toBe(false);
    // Queries without them are as before: no new keys.
    expect(parseQuery('diffusion')).toEqual({ groups: [[{ kind: 'word', text: 'diffusion' }]], exclude: [], authors: [], orgs: [] });
  });

  it('treats a malformed value as words and names it', () => {
    expect(parseQuery('source:github').sources).toBeUndefined();
    expect(malformedFilters('cat:cs..CL source:github cat:')).toEqual([
      { key: 'cat', value: 'cs..CL' },
      { key: 'source', value: 'github' },
      { key: 'cat', value: '' },
    ]);
    expect(() => checkQuery('retrieval source:github', { today: '2026-09-01', verb: 'search', syntax: chatSyntax })).toThrow(/`source:github` is malformed: source: takes hf or arxiv/);
    expect(() => checkQuery('cat:cs..CL', { today: '2026-09-01', verb: 'watch', syntax: chatSyntax })).toThrow(/cat: takes an arXiv category or archive, like cat:cs.CL or cat:cs/);
  });

  it('refuses a filter on one side of OR (it would quietly mean AND), on search, watch and digest filters', () => {
    expect(filtersBesideOr('cat:cs.CL OR retrieval')).toEqual(['cat:cs.CL']);
    expect(filtersBesideOr('retrieval OR source:arxiv rag')).toEqual(['source:arxiv']);
    expect(filtersBesideOr('rag OR retrieval author:"Jane Doe" OR x')).toEqual(['author:"Jane Doe"']);
    // OR between words, with a filter elsewhere, is fine; so is a quoted "cat:cs.CL" (a phrase).
    expect(filtersBesideOr('cat:cs.CL retrieval OR rag')).toEqual([]);
    expect(filtersBesideOr('"cat:cs.CL" OR retrieval')).toEqual([]);
    for (const verb of ['search', 'watch', 'filter'] as const) {
      expect(() => checkQuery('cat:cs.CL OR retrieval', { today: '2026-09-01', verb, syntax: chatSyntax })).toThrow(
        /^`cat:cs\.CL` is next to OR, but OR only joins words and "phrases": a filter always narrows the whole query/,
      );
    }
    expect(() => checkQuery('cat:cs.CL retrieval OR rag', { today: '2026-09-01', verb: 'search', syntax: chatSyntax })).not.toThrow();
  });

  it('gives one key to the same meaning, and describes it', () => {
    expect(queryKey(parseQuery('cat:CS.CL retrieval source:arxiv'))).toBe(queryKey(parseQuery('source:arxiv retrieval cat:cs.cl')));
    expect(queryKey(parseQuery('retrieval cat:cs.CL'))).not.toBe(queryKey(parseQuery('retrieval cat:cs')));
    expect(describeQuery(parseQuery('retrieval cat:cs.CL source:arxiv'))).toBe('retrieval; in arXiv cs.CL; listed on arXiv');
  });

  it('keeps cat: and source: in the query of search text, and as today options', () => {
    expect(parseCommandText('search retrieval cat:cs.CL source:arxiv')).toEqual({ name: 'search', rawOptions: { query: 'retrieval cat:cs.CL source:arxiv' } });
    expect(parseCommandText('today source=arxiv')).toEqual({ name: 'today', rawOptions: { source: 'arxiv' } });
    expect(parseCommandText('today arxiv')).toEqual({ name: 'today', rawOptions: { source: 'arxiv' } });
  });
});

describe('watches with cat: and source:', () => {
  const item = (arxivId: string, title: string, categories: string[]): ArxivItem => ({ arxivId, version: 1, title, abstract: '', authors: ['Ada'], categories, announceType: 'new', publishedAt: null });

  it('match the categories (or archive) and sources a paper has, like search', async () => {
    const d = testDeps();
    const watches: Record<string, string> = {
      cl: 'retrieval cat:cs.CL',
      archive: 'retrieval cat:cs',
      lg: 'retrieval cat:cs.LG',
      hf: 'retrieval source:hf',
      both: 'retrieval source:hf source:arxiv',
      arxiv: 'retrieval source:arxiv',
    };
    for (const [user, query] of Object.entries(watches)) await addWatch(d, { platform: 'console', id: user }, query);
    const { inserted } = await d.store.storeArxivAnnouncement({
      announcement: '2026-09-01',
      categories: 'cs.cl',
      items: [item('2609.00001', 'Retrieval for dialogue', ['cs.IR', 'cs.CL'])],
      skipped: 0,
      warning: null,
      trigger: 'cron',
      now: 1,
    });
    const hf = await d.store.upsertPapers('2026-09-01', [aPaper({ arxivId: '2609.00002', title: 'Retrieval at scale' })], 2);
    const matched = async (ids: number[]) => (await matchWatches(d.store, ids)).map((group) => group.userId).sort();
    expect(await matched(inserted)).toEqual(['archive', 'arxiv', 'cl']);
    expect(await matched(hf.inserted)).toEqual(['hf']);
    // The HF paper reaches arXiv too: now on both sources.
    await d.store.storeArxivAnnouncement({ announcement: '2026-09-02', categories: 'cs.cl', items: [item('2609.00002', 'Retrieval at scale', ['cs.LG'])], skipped: 0, warning: null, trigger: 'cron', now: 3 });
    expect(await matched(hf.inserted)).toEqual(['archive', 'arxiv', 'both', 'hf', 'lg']);
  });

  it('refuses a watch of filters only (a category would DM hundreds of papers a day)', async () => {
    await expect(addWatch(testDeps(), { platform: 'console', id: 'x' }, 'cat:cs.CL source:arxiv')).rejects.toThrow(/cat: and source: alone would match almost every new paper/);
  });
});
