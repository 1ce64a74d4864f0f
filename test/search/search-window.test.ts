import { beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/clock.ts';
import { BM25_DF_LIMIT, RANK_WINDOW } from '../../src/store/sqlite/plan-search.ts';
import { countMatches, searchPapers } from '../../src/store/sqlite/search-papers.ts';
import type { Db } from '../../src/store/sqlite/open-db.ts';
import { upsertPapers } from '../../src/store/sqlite/papers.ts';
import { aPaper } from '../support/builders.ts';
import { createTestDb } from '../support/test-db.ts';

// A term in more papers than BM25_DF_LIMIT switches ranking to the broad-query relevance (title
// share, no bm25 IDF pass), and only the RANK_WINDOW newest matches are ranked.

const now = new Date('2026-09-01T10:00:00Z');
const perDay = 100;
const days = Math.ceil((BM25_DF_LIMIT + 300) / perDay);
const firstDay = addDays('2026-08-31', -(days - 1));

describe('search over a broad term', () => {
  let db: Db;

  beforeAll(() => {
    db = createTestDb();
    for (let d = 0; d < days; d += 1) {
      const feedDate = addDays(firstDay, d);
      const papers = Array.from({ length: perDay }, (_, i) =>
        // Two papers a day carry the word in the title, the rest in the abstract only.
        i < 2
          ? aPaper({ title: `Transformers day ${d} number ${i}`, abstract: 'Plain text.', upvotes: 1 })
          : aPaper({ title: `Paper day ${d} number ${i}`, abstract: 'We train a transformer.', upvotes: 1 }),
      );
      upsertPapers(db, feedDate, papers, Date.parse(`${feedDate}T06:00:00Z`));
    }
  });

  it('ranks only the newest window of matches and says there are more', () => {
    const result = searchPapers(db, 'transformer', { limit: 5, offset: 0, now });
    expect(result.capped).toBe(true);
    expect(result.total).toBe(RANK_WINDOW);
  });

  it('still ranks title hits first, newest first', () => {
    const result = searchPapers(db, 'transformer', { limit: 4, offset: 0, now });
    expect(result.results.map((r) => r.paper.title)).toEqual([
      `Transformers day ${days - 1} number 1`,
      `Transformers day ${days - 1} number 0`,
      `Transformers day ${days - 2} number 1`,
      `Transformers day ${days - 2} number 0`,
    ]);
  });

  it('filters within the window', () => {
    const result = searchPapers(db, `transformer since:${addDays('2026-08-31', -1)}`, { limit: 5, offset: 0, now });
    expect(result.total).toBe(2 * perDay);
    expect(searchPapers(db, 'transformer -train', { limit: 5, offset: 0, now }).results[0]?.paper.title).toMatch(/^Transformers day/);
  });

  it('counts the preview exactly, however broad the term', () => {
    expect(countMatches(db, 'transformer', { sinceFeedDate: addDays('2026-08-31', -2) })).toBe(3 * perDay);
    expect(countMatches(db, '-transformer', { sinceFeedDate: addDays('2026-08-31', -2) })).toBe(0);
  });

  it('finds an old paper through a selective query: the window is per query, not per corpus', () => {
    const result = searchPapers(db, '"day 3 number 1"', { limit: 5, offset: 0, now });
    expect(result).toMatchObject({ total: 1, capped: false });
    expect(result.results.map((r) => r.paper.title)).toEqual(['Transformers day 3 number 1']);
  });
});
