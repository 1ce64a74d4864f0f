import { describe, expect, it } from 'vitest';
import { turnPage } from '../../commands/dispatch.ts';
import { looserQueries } from '../../commands/looser-query.ts';
import { parseQuery } from '../../src/search/parse-query.ts';
import { RANK_WINDOW } from '../../src/search/plan-search.ts';
import { aPaper } from '../support/builders.ts';
import { alice, commandDeps, general, run, seed } from './harness.ts';

function corpus() {
  const deps = commandDeps();
  seed(deps, '2026-08-31', [
    aPaper({ arxivId: '2608.00001', title: 'Diffusion models for video generation', abstract: 'We generate video with diffusion.', upvotes: 40 }),
    aPaper({ arxivId: '2608.00002', title: 'A survey of diffusion models', abstract: 'We survey the field.', upvotes: 90 }),
    aPaper({ arxivId: '2608.00003', title: 'Graph neural networks', abstract: 'Message passing, with a note on diffusion.', upvotes: 5 }),
    aPaper({ arxivId: '2608.00004', title: 'Protein folding at scale', abstract: 'Structure prediction.', upvotes: 70, authors: ['Jane Doe'] }),
  ]);
  return deps;
}

describe('/papers search', () => {
  it('says "N+" when more papers match than the ranking window holds', async () => {
    const deps = commandDeps();
    seed(deps, '2026-08-31', Array.from({ length: RANK_WINDOW + 50 }, (_, i) => aPaper({ title: `Transformers study ${i}` })));
    const reply = await run(deps, 'search', { query: 'transformers' });
    expect(reply.title).toBe(`Search: transformers (${RANK_WINDOW}+ papers; the newest are ranked)`);
  });

  it('ranks matches with scores and honours exclusions', async () => {
    const reply = await run(corpus(), 'search', { query: 'diffusion -survey' });
    expect(reply).toMatchObject({ kind: 'list', visibility: 'public', title: 'Search: diffusion -survey (2 papers)' });
    expect(reply.papers.map((p) => p.id)).toEqual(['2608.00001', '2608.00003']);
    for (const card of reply.papers) expect(typeof card.score).toBe('number');
    expect(reply.footer).toMatch(/^Understood as: /);
  });

  it('pages through results with a cursor', async () => {
    const deps = corpus();
    const first = await run(deps, 'search', { query: 'diffusion', limit: '2' });
    expect(first.paging).toMatchObject({ page: 0, pageCount: 2, total: 3 });
    const second = await turnPage(deps, { cursor: first.paging?.cursor ?? '', page: 1, user: alice, channel: general });
    expect(second.papers).toHaveLength(1);
    const all = [...first.papers, ...second.papers].map((p) => p.id);
    expect(new Set(all)).toEqual(new Set(['2608.00001', '2608.00002', '2608.00003']));
  });

  it('suggests a looser query that finds something when nothing matches', async () => {
    const deps = corpus();
    const filtered = await run(deps, 'search', { query: 'diffusion min:500' });
    expect(filtered).toMatchObject({ kind: 'text', visibility: 'private' });
    expect(filtered.text).toBe('No stored papers match `diffusion min:500`. Try a looser query, without the filters and exclusions: `diffusion` finds 3 papers.');

    const tooManyWords = await run(deps, 'search', { query: 'protein folding quantum' });
    expect(tooManyWords.text).toMatch(/with fewer words: `protein folding` finds 1 paper\./);

    const nothing = await run(deps, 'search', { query: 'xylophone' });
    expect(nothing.text).toMatch(/Try a looser query: drop filters .* fewer words, or join alternatives with OR\./);
  });
});

describe('looserQueries', () => {
  it('writes candidates back in the query language', () => {
    const candidates = looserQueries(parseQuery('"state space" mamba -survey author:"Jane Doe" min:5'));
    expect(candidates.map((c) => c.text)).toEqual(['"state space" mamba', '"state space"', '"state space" OR mamba']);
  });

  it('drops one filter at a time when there are no words', () => {
    const candidates = looserQueries(parseQuery('author:"Jane Doe" since:2026-01-01'));
    expect(candidates.map((c) => c.text)).toEqual(['since:2026-01-01', 'author:"Jane Doe"']);
  });
});
