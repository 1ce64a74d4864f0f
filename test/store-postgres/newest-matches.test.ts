import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuery } from '../../src/search/parse-query.ts';
import { newestMatches } from '../../src/store/postgres/newest-matches.ts';
import { queryRows } from '../../src/store/postgres/pg-db.ts';
import { compileTsquery, termTsquery } from '../../src/store/postgres/tsquery.ts';
import { createPostgresTestDb, type PgTestDb } from '../support/postgres-test-db.ts';

// newestMatches finds the newest matches through the id buckets, newest first. Whatever bucket a
// query stops at, and whether the index answers alone or phrases and authors are tested, it must
// return exactly what `ORDER BY id DESC LIMIT n` over every matching row returns. The ids are spread
// from below zero (backfills go below every stored paper) to far above, so queries stop at
// every level: 3,000 papers, 97 ids apart. A query with a phrase is also run through the search
// keys index (migration 0013), with the same expectation.

const queries = [
  'diffusion', // every paper: the newest buckets
  'quokka', // every third
  'diffusion quokka', // every third, two words
  'wombat', // every 7th
  'numbat', // every 1,000th: found only over every paper
  '"rare wombat"', // a phrase: every 50th, the words apart in every 7th
  '"diffusion study"', // a phrase in every title
  'author:"Ada Lovelace"', // the authors part: every 11th (the others have her name reversed)
  'quokka -wombat',
  'wombat OR numbat',
  'nothingness',
];

describe('newestMatches (PostgreSQL id buckets)', () => {
  let pg: PgTestDb;
  beforeAll(async () => {
    pg = await createPostgresTestDb();
    await pg.db.execute(sql`
      INSERT INTO papers (id, arxiv_id, title, abstract, authors, latest_feed_date, first_seen_at, updated_at)
      SELECT n * 97 - 150000, '2608.' || lpad(n::text, 5, '0'),
             'Diffusion study ' || n || CASE WHEN n % 50 = 0 THEN ' of a rare wombat' ELSE '' END,
             'We study diffusion.' || CASE WHEN n % 3 = 0 THEN ' A quokka.' ELSE '' END
               || CASE WHEN n % 7 = 0 THEN ' The wombat is rare.' ELSE '' END
               || CASE WHEN n % 1000 = 0 THEN ' A numbat.' ELSE '' END,
             CASE WHEN n % 11 = 0 THEN '["Ada Lovelace"]' ELSE '["Lovelace Ada"]' END,
             '2026-08-01', 0, 0
      FROM generate_series(1, 3000) AS n`);
  }, 120_000);
  afterAll(async () => pg?.close());

  it.each(queries)('gives exactly the newest matches: %s', async (text) => {
    const compiled = compileTsquery(parseQuery(text));
    if (!compiled.tsquery || !compiled.match) throw new Error('a query with words');
    const filter = compiled.authors.length > 0 ? sql.join(compiled.authors, sql` AND `) : null;
    expect(compiled.keys !== null).toBe(text.includes('"'));
    for (const limit of [1, 10, 201, 1001]) {
      const expected = await queryRows<{ id: number }>(pg.db, sql`SELECT p.id FROM papers p WHERE ${compiled.match} ORDER BY p.id DESC LIMIT ${limit}`);
      const found = await newestMatches(pg.db, { column: 'search_vector', match: compiled.tsquery, filter, limit });
      expect(found).toEqual(expected.map((row) => row.id));
      // Phrases through the search keys index (words and word pairs) find the same papers.
      if (compiled.keys) expect(await newestMatches(pg.db, { column: 'search_vector', match: compiled.tsquery, keys: compiled.keys, filter, limit })).toEqual(found);
    }
  });

  it('finds titles in the title vector alone', async () => {
    const titles = await newestMatches(pg.db, { column: 'title_vector', match: termTsquery('rare wombat'), filter: null, limit: 1001 });
    expect(titles).toHaveLength(60);
    expect(titles[0]).toBe(3000 * 97 - 150000);
    expect(titles).toEqual([...titles].sort((a, b) => b - a));
  });
});
