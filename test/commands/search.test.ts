import { describe, expect, it } from 'vitest';
import { turnPage } from '../../commands/dispatch.ts';
import { looserQueries } from '../../commands/looser-query.ts';
import { parseQuery } from '../../src/search/parse-query.ts';
import { RANK_WINDOW } from '../../src/store/store.ts';
import { aPaper } from '../support/builders.ts';
import { alice, commandDeps, general, run, seed } from './harness.ts';

async function corpus() {
  const deps = commandDeps();
  await seed(deps, '2026-08-31', [
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
    await seed(deps, '2026-08-31', Array.from({ length: RANK_WINDOW + 50 }, (_, i) => aPaper({ title: `Transformers study ${i}` })));
    const reply = await run(deps, 'search', { query: 'transformers' });
    expect(reply.title).toBe(`Search: transformers (${RANK_WINDOW}+ papers of 1,050 searched)`);
    expect(reply.text).toBe(
      'Ranked the 1,000 newest of about 1,050 matches (and older papers whose title has every word); add words or `since:` to narrow.',
    );
  });

  it('goes straight to the paper for an arXiv id or link typed into search', async () => {
    const deps = await corpus();
    for (const typed of ['2608.00004', '2608.00004v2', 'arXiv:2608.00004', 'https://arxiv.org/abs/2608.00004', 'https://huggingface.co/papers/2608.00004', '<https://arxiv.org/pdf/2608.00004v1>']) {
      const reply = await run(deps, 'search', { query: typed });
      expect(reply).toMatchObject({ kind: 'paper', visibility: 'public', title: 'Protein folding at scale' });
      expect(reply.papers.map((p) => p.id)).toEqual(['2608.00004']);
    }
    // Not stored: looked up on demand, as /papers paper does (Hugging Face is unreachable here).
    const missing = await run(deps, 'search', { query: 'https://arxiv.org/abs/2608.09999' });
    expect(missing).toMatchObject({ kind: 'error', visibility: 'private' });
    expect(missing.text).toBe('I could not reach Hugging Face to look up 2608.09999. Please try again in a minute.');
    // Not an id: searched as words.
    expect((await run(deps, 'search', { query: '2608.00004 protein' })).kind).toBe('text');
    expect((await run(deps, 'search', { query: 'https://example.com/abs/2608.00004' })).kind).toBe('text');
  });

  it('finds a paper by its exact title, in any case, with a word missing', async () => {
    const deps = await corpus();
    expect((await run(deps, 'search', { query: 'PROTEIN FOLDING AT SCALE' })).papers[0]?.id).toBe('2608.00004');
    expect((await run(deps, 'search', { query: 'diffusion models video generation' })).papers[0]?.id).toBe('2608.00001');
  });

  it('ranks matches with scores and honours exclusions', async () => {
    const reply = await run(await corpus(), 'search', { query: 'diffusion -survey' });
    expect(reply).toMatchObject({ kind: 'list', visibility: 'public', title: 'Search: diffusion -survey (2 papers of 4 searched)' });
    expect(reply.text).toBe('');
    expect(reply.papers.map((p) => p.id)).toEqual(['2608.00001', '2608.00003']);
    for (const card of reply.papers) expect(typeof card.score).toBe('number');
    expect(reply.footer).toMatch(/^Understood as: /);
  });

  it('pages through results with a cursor', async () => {
    const deps = await corpus();
    const first = await run(deps, 'search', { query: 'diffusion', limit: '2' });
    expect(first.paging).toMatchObject({ page: 0, pageCount: 2, total: 3 });
    const second = await turnPage(deps, { cursor: first.paging?.cursor ?? '', page: 1, user: alice, channel: general });
    expect(second.papers).toHaveLength(1);
    const all = [...first.papers, ...second.papers].map((p) => p.id);
    expect(new Set(all)).toEqual(new Set(['2608.00001', '2608.00002', '2608.00003']));
  });

  it('suggests a looser query that finds something when nothing matches', async () => {
    const deps = await corpus();
    const filtered = await run(deps, 'search', { query: 'diffusion min:500' });
    expect(filtered).toMatchObject({ kind: 'text', visibility: 'private' });
    expect(filtered.text).toBe('No stored papers match `diffusion min:500`. Try a looser query, without the filters and exclusions: `diffusion` finds 3 papers.');

    const tooManyWords = await run(deps, 'search', { query: 'protein folding quantum' });
    expect(tooManyWords.text).toMatch(/with fewer words: `protein folding` finds 1 paper\./);

    // The generic hint names only what the query has: no filters here, so none to drop.
    const nothing = await run(deps, 'search', { query: 'xylophone' });
    expect(nothing.text).toBe('No stored papers match `xylophone`. Try other words, or join alternatives with OR (`a OR b`).');
    const excluded = await run(deps, 'search', { query: 'xylophone marimba -survey since:2026-01-01' });
    expect(excluded.text).toMatch(/Try a looser query: drop the filters \(since:\) and the exclusions \(-word\), use fewer words, or join alternatives with OR\.$/);
  });

  it('does not suggest OR to a query that already has it, and says which parts it ignored', async () => {
    const deps = await corpus();
    const reply = await run(deps, 'search', { query: 'naïve OR 日本語 OR 🤖' });
    expect(reply.text).toBe('No stored papers match `naïve OR 日本語 OR 🤖`. Try other words.');
    expect(reply.footer).toBe('Understood as: (naïve or 日本語); ignored 🤖 (no letters or digits).');
    const two = await run(deps, 'search', { query: 'xylophone marimba OR glockenspiel' });
    expect(two.text).toMatch(/Try a looser query: use fewer words\.$/);
    const found = await run(deps, 'search', { query: 'protein 🤖' });
    expect(found.footer).toBe('Understood as: protein; ignored 🤖 (no letters or digits). Ranked by relevance, upvotes and recency.');
  });

  it('reads an upper-case AND as the implicit conjunction, never as a search word', async () => {
    const deps = await corpus();
    const reply = await run(deps, 'search', { query: 'video AND diffusion' });
    expect(reply.title).toBe('Search: video AND diffusion (1 paper of 4 searched)');
    expect(reply.footer).toMatch(/^Understood as: video and diffusion\./);
    for (const query of ['AND', 'AND AND']) {
      const lone = await run(deps, 'search', { query });
      expect(lone).toMatchObject({ kind: 'error', visibility: 'private' });
      expect(lone.text).toMatch(/^Nothing to search for in `AND/);
    }
  });
});

describe('/papers search: malformed filters, empty queries, control characters', () => {
  it.each([
    ['min:-1', '`min:-1` is malformed: min: takes a whole number of upvotes from 0 to 1,000,000, like min:10. To search for the text itself, quote it: "min:-1".'],
    [
      'min:99999999999999999999',
      '`min:99999999999999999999` is too large: min: takes a whole number of upvotes from 0 to 1,000,000, like min:10. To search for the text itself, quote it: "min:99999999999999999999".',
    ],
    ['diffusion since:2026-1-5', '`since:2026-1-5` is malformed: since: takes a feed day as YYYY-MM-DD; did you mean since:2026-01-05? To search for the text itself, quote it: "since:2026-1-5".'],
    ['since:yesterday', '`since:yesterday` is malformed: since: takes a feed day as YYYY-MM-DD, like since:2026-08-01. To search for the text itself, quote it: "since:yesterday".'],
    ['diffusion author:', '`author:` is malformed: author: takes a name, like author:"Jane Doe". To search for the text itself, quote it: "author:".'],
  ])('calls %j malformed and says the right form', async (query, problem) => {
    const reply = await run(await corpus(), 'search', { query });
    expect(reply).toMatchObject({ kind: 'error', visibility: 'private' });
    expect(reply.text).toBe(problem);
    expect(reply.text).not.toMatch(/finds \d+ paper/);
  });

  it('refuses a filter on one side of OR instead of quietly searching for both (`cat:cs.CL OR retrieval`)', async () => {
    const reply = await run(await corpus(), 'search', { query: 'cat:cs.CL OR retrieval' });
    expect(reply).toMatchObject({ kind: 'error', visibility: 'private' });
    expect(reply.text).toBe(
      '`cat:cs.CL` is next to OR, but OR only joins words and "phrases": a filter always narrows the whole query, so it cannot be one side of an "either". Drop the OR to require both, or use one search for each side.',
    );
  });

  it('searches a quoted filter-like text as a phrase', async () => {
    const reply = await run(await corpus(), 'search', { query: '"min:-1"' });
    expect(reply.kind).not.toBe('error');
  });

  it.each(['-', '*', '"" ()', '\u202E'])('tells an empty query %j that it has nothing to search for', async (query) => {
    const reply = await run(await corpus(), 'search', { query });
    expect(reply).toMatchObject({ kind: 'error', visibility: 'private' });
    // An invisible character is stripped before the check: no empty backticks, a request for a query.
    expect(reply.text).toMatch(/^Nothing to search for(?: in `.+`|: give a query): use words, a "phrase", author:"Name" or org:name, e\.g\. `diffusion -survey`\.$/);
    expect(reply.text).not.toMatch(/drop filters/);
  });

  it.each(['-diffusion', '-diffusion -"video generation"'])('asks %j, which only excludes, for something to search for', async (query) => {
    const reply = await run(await corpus(), 'search', { query });
    expect(reply).toMatchObject({ kind: 'error', visibility: 'private' });
    expect(reply.text).toBe(`\`${query}\` only says what to leave out: add a word, a "phrase" or a filter to search for, e.g. \`video ${query}\` or \`since:2026-08-25 ${query}\`.`);
  });

  it('searches exclusions next to a filter: every other paper it lets through', async () => {
    const reply = await run(await corpus(), 'search', { query: '-diffusion since:2026-08-31' });
    expect(reply.papers.map((p) => p.id)).toEqual(['2608.00004']);
  });

  it('strips control and bidi characters from the query it echoes', async () => {
    const deps = await corpus();
    const found = await run(deps, 'search', { query: 'video\n\u202Ediffusion\u0007' });
    expect(found.title).toBe('Search: video diffusion (1 paper of 4 searched)');
    const missed = await run(deps, 'search', { query: 'xylo\u202Ephone\r\nEVIL' });
    expect(missed.title).toBe('Search: xylophone EVIL (0 papers of 4 searched)');
    expect(missed.text).toMatch(/^No stored papers match `xylophone EVIL`\./);
    for (const text of [found.title, found.footer, missed.title, missed.text, missed.footer]) expect(text).not.toMatch(/[\p{Cc}\p{Cf}]/u);
  });

  it('refuses a watch with a malformed filter and strips control characters from a saved one', async () => {
    const deps = await corpus();
    const bad = await run(deps, 'watch', { query: 'diffusion min:lots' });
    expect(bad.kind).toBe('error');
    expect(bad.text).toMatch(/^`min:lots` is malformed: min: takes a whole number of upvotes/);
    const saved = await run(deps, 'watch', { query: 'state\u202E space\n-survey' });
    expect(saved.title).toBe('Watching: state space -survey');
    const listed = await run(deps, 'watches');
    expect(listed.text).toBe('1. state space -survey  (since 2026-09-01)');
    const removed = await run(deps, 'unwatch', { watch: 'state space\u200F -survey' });
    expect(removed.text).toMatch(/^Removed the watch `state space -survey`/);
  });

  it('echoes option values without control characters', async () => {
    const reply = await run(commandDeps(), 'search', { query: 'x', limit: '9\u202E9\n' });
    expect(reply.kind).toBe('error');
    expect(reply.text).toContain('(you gave `99`)');
    expect(reply.text).not.toMatch(/\p{Cf}/u);
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
