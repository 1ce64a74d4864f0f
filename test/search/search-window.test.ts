import { beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/clock.ts';
import { parseQuery } from '../../src/search/parse-query.ts';
import { RANK_WINDOW, type SearchOptions } from '../../src/store/store.ts';
import { BM25_DF_LIMIT } from '../../src/store/sqlite/plan-search.ts';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { aPaper } from '../support/builders.ts';
import { createTestStore } from '../support/test-db.ts';

// A term in more papers than BM25_DF_LIMIT switches ranking to the broad-query relevance (title
// share, no bm25 IDF pass), and only the RANK_WINDOW newest matches are ranked.

const now = Date.parse('2026-09-01T10:00:00Z');
const perDay = 100;
const days = Math.ceil((BM25_DF_LIMIT + 300) / perDay);
const firstDay = addDays('2026-08-31', -(days - 1));

describe('search over a broad term', () => {
  let store: SqliteStore;
  const searchPapers = (text: string, options: SearchOptions) => store.searchPapers(parseQuery(text), options);
  const countMatches = (text: string, sinceFeedDate: string) => store.countMatches(parseQuery(text), sinceFeedDate);

  beforeAll(async () => {
    store = createTestStore();
    for (let d = 0; d < days; d += 1) {
      const feedDate = addDays(firstDay, d);
      const papers = Array.from({ length: perDay }, (_, i) =>
        // Two papers a day carry the word in the title, the rest in the abstract only.
        i < 2
          ? aPaper({ title: `Transformers day ${d} number ${i}`, abstract: 'Plain text.', upvotes: 1 })
          : aPaper({ title: `Paper day ${d} number ${i}`, abstract: 'We train a transformer.', upvotes: 1 }),
      );
      await store.upsertPapers(feedDate, papers, Date.parse(`${feedDate}T06:00:00Z`));
    }
  });

  it('ranks only the newest window of matches and says there are more', async () => {
    const result = await searchPapers('transformer', { limit: 5, offset: 0, now });
    expect(result.capped).toBe(true);
    expect(result.total).toBe(RANK_WINDOW);
  });

  it('still ranks title hits first, newest first', async () => {
    const result = await searchPapers('transformer', { limit: 4, offset: 0, now });
    expect(result.results.map((r) => r.paper.title)).toEqual([
      `Transformers day ${days - 1} number 1`,
      `Transformers day ${days - 1} number 0`,
      `Transformers day ${days - 2} number 1`,
      `Transformers day ${days - 2} number 0`,
    ]);
  });

  it('filters within the window', async () => {
    const result = await searchPapers(`transformer since:${addDays('2026-08-31', -1)}`, { limit: 5, offset: 0, now });
    expect(result.total).toBe(2 * perDay);
    expect((await searchPapers('transformer -train', { limit: 5, offset: 0, now })).results[0]?.paper.title).toMatch(/^Transformers day/);
  });

  it('counts the preview exactly, however broad the term', async () => {
    expect(await countMatches('transformer', addDays('2026-08-31', -2))).toBe(3 * perDay);
    expect(await countMatches('-transformer', addDays('2026-08-31', -2))).toBe(0);
  });

  it('finds an old paper through a selective query: the window is per query, not per corpus', async () => {
    const result = await searchPapers('"day 3 number 1"', { limit: 5, offset: 0, now });
    expect(result).toMatchObject({ total: 1, capped: false });
    expect(result.results.map((r) => r.paper.title)).toEqual(['Transformers day 3 number 1']);
  });
});
