import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../src/search/parse-query.ts';
import { aPaper } from '../support/builders.ts';
import { backends, sharedStore } from '../support/both-backends.ts';

// A small store (a team's first weeks) where the searched words are in most papers: FTS5's bm25
// gives a word in half the papers or more an IDF at its floor (1e-6), so relevance used to be ~0
// for every paper, the popular abstract-only mentions outranked the titles, and the reply showed
// score 0. And terms typed in compatibility forms (fullwidth letters, ligatures), which the
// index does not store: they also find their NFKC form.

const now = Date.parse('2026-09-10T00:00:00Z');
const titles = {
  llm: 'Scaling laws for LLM pretraining',
  llms: 'LLMs can reason about marsupials',
  spelled: 'A survey of large language models',
  known: 'Language models for agents',
  ligature: 'Eﬃcient ﬁne-tuning of wombats',
  plain: 'Fast fine-tuning of wombats',
};

describe.each(backends)('search where the words are common, on $name', (backend) => {
  const store = sharedStore(backend, (s) =>
    s.upsertPapers('2026-09-01', [
      ...Object.values(titles).map((title) => aPaper({ title, abstract: 'We study language models for agents.', upvotes: 2 })),
      // Newer and far more popular, with the words in the abstract only.
      ...Array.from({ length: 20 }, (_, i) => aPaper({ title: `Study ${i} of burrows`, abstract: 'An LLM and language models for agents.', upvotes: 400 })),
    ], 0),
  );
  const search = (text: string, limit = 5) => store().searchPapers(parseQuery(text), { limit, offset: 0, now });

  it('ranks the papers with LLM or LLMs in the title first, with scores above 0', async () => {
    const result = await search('LLM', 30);
    expect(result.total).toBe(23);
    const firstTwo = (found: typeof result) => found.results.slice(0, 2).map((r) => r.paper.title).sort();
    expect(firstTwo(result)).toEqual([titles.llms, titles.llm]);
    for (const { score } of result.results) expect(score).toBeGreaterThan(0);
    expect(firstTwo(await search('LLMs'))).toEqual([titles.llms, titles.llm]);
  });

  it('gives a known item made of common words a score above 0', async () => {
    const [first] = (await search('language models for agents')).results;
    expect(first?.paper.title).toBe(titles.known);
    expect(first?.score).toBeGreaterThan(0);
  });

  it('finds the ordinary spelling of fullwidth letters and ligatures, and the ligature as typed', async () => {
    expect((await search('ｌｌｍｓ ｓｃａｌｉｎｇ')).results.map((r) => r.paper.title)).toEqual([titles.llm]);
    expect((await search('ＭＡＲＳＵＰＩＡＬＳ')).results.map((r) => r.paper.title)).toEqual([titles.llms]);
    // The typed form first: the paper spells it so; the NFKC form finds the other.
    expect((await search('ﬁne-tuning wombats')).results.map((r) => r.paper.title)).toEqual([titles.ligature, titles.plain]);
    expect((await search('fine-tuning wombats')).results.map((r) => r.paper.title)).toEqual([titles.plain]);
  });
});
