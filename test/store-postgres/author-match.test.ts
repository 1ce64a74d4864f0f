import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuery } from '../../src/search/parse-query.ts';
import { paperIdsMatching } from '../../src/store/postgres/match-papers.ts';
import { queryRows } from '../../src/store/postgres/pg-db.ts';
import { searchPapers } from '../../src/store/postgres/search.ts';
import { createPostgresTestDb, type PgTestDb } from '../support/postgres-test-db.ts';

// `author:"…"` matches the name in the authors part only (weight C of search_vector), as a phrase.
// The search tests each word on weight-C positions (tsquery `'ada':C <-> 'lovelac':C`), built from
// the resolved term in JavaScript and from the unresolved one in SQL (digests, watch previews);
// both must find exactly what `ts_filter(search_vector, '{c}') @@ phrase` finds, the definition
// they replaced: the name in a title or an abstract, or its words split over two fields or in
// another order, is no match, and a quote in a name is no syntax.

const names = ['Ada Lovelace', "Mary O'Brien", "O'Brien", 'Lovelace', 'Ada', 'Lovelace Ada', 'Grace Hopper', 'nobody here'];

describe('author: on PostgreSQL', () => {
  let pg: PgTestDb;
  beforeAll(async () => {
    pg = await createPostgresTestDb();
    // 400 papers, each with the names in one place or another, newest last.
    await pg.db.execute(sql`
      INSERT INTO papers (arxiv_id, title, abstract, authors, latest_feed_date, first_seen_at, updated_at)
      SELECT '2608.' || lpad(n::text, 5, '0'),
             CASE n % 5 WHEN 0 THEN 'On Ada Lovelace' WHEN 1 THEN 'Notes of Mary O''Brien' ELSE 'A study ' || n END,
             CASE n % 7 WHEN 0 THEN 'Work by Ada Lovelace and Grace Hopper.' ELSE 'We study things.' END,
             CASE n % 4 WHEN 0 THEN '["Ada Lovelace", "Alan Turing"]' WHEN 1 THEN '["Lovelace Ada"]'
                        WHEN 2 THEN '["Mary O''Brien", "Ada"]' ELSE '["Ada Smith", "Lovelace Jones"]' END,
             '2026-08-01', 0, 0
      FROM generate_series(1, 400) AS n`);
  }, 120_000);
  afterAll(async () => pg?.close());

  /** The papers with the name in their authors part, by the replaced definition, newest first. */
  const byAuthor = async (name: string) =>
    (
      await queryRows<{ id: number }>(
        pg.db,
        sql`SELECT id FROM papers WHERE ts_filter(search_vector, '{c}') @@ phraseto_tsquery('paperboy_english', paperboy_fts_text(${name})) ORDER BY id DESC`,
      )
    ).map((row) => row.id);

  it.each(names)('search finds exactly the papers by %s', async (name) => {
    const expected = await byAuthor(name);
    const result = await searchPapers(pg.db, parseQuery(`author:"${name}"`), { limit: 1000, offset: 0, now: Date.parse('2026-09-01T00:00:00Z') });
    expect(result.results.map((r) => r.paper.id).sort((a, b) => b - a)).toEqual(expected);
  });

  it.each(names)('digests and watches (terms not resolved) find exactly the papers by %s', async (name) => {
    const all = (await queryRows<{ id: number }>(pg.db, sql`SELECT id FROM papers`)).map((row) => row.id);
    const found = await paperIdsMatching(pg.db, parseQuery(`author:"${name}"`), all);
    expect([...found].sort((a, b) => b - a)).toEqual(await byAuthor(name));
  });

  it('is not vacuous: names in titles and abstracts, in other orders and over two authors are there', async () => {
    const counts = await Promise.all(names.map(byAuthor));
    expect(counts.map((ids) => ids.length)).toEqual([100, 100, 100, 300, 400, 100, 0, 0]);
    const [anywhere] = await queryRows<{ n: number }>(pg.db, sql`SELECT count(*)::int AS n FROM papers WHERE search_vector @@ phraseto_tsquery('paperboy_english', 'Ada Lovelace')`);
    expect(anywhere?.n).toBeGreaterThan(100);
  });
});
