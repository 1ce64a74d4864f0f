import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuery } from '../../src/search/parse-query.ts';
import { queryRows } from '../../src/store/postgres/pg-db.ts';
import { bucketProbes, newestMatches, PROBE_GROWTH } from '../../src/store/postgres/newest-matches.ts';
import { compileTsquery, resolveTerms, termTsquery } from '../../src/store/postgres/tsquery.ts';
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
    for (const [limit, growth] of [1, 10, 201, 1001].flatMap((n) => Object.values(PROBE_GROWTH).map((g) => [n, g] as const))) {
      const expected = await queryRows<{ id: number }>(pg.db, sql`SELECT p.id FROM papers p WHERE ${compiled.match} ORDER BY p.id DESC LIMIT ${limit}`);
      const found = await newestMatches(pg.db, { column: 'search_vector', match: compiled.tsquery, filter, limit, growth });
      expect(found).toEqual(expected.map((row) => row.id));
      // Phrases through the search keys index (words and word pairs) find the same papers.
      if (compiled.keys) expect(await newestMatches(pg.db, { column: 'search_vector', match: compiled.tsquery, keys: compiled.keys, filter, limit, growth })).toEqual(found);
      // So do the terms as search resolves them (a phrase's keys are its word pairs alone).
      const resolved = compileTsquery(parseQuery(text), await resolveTerms(pg.db, parseQuery(text)));
      if (!resolved.tsquery) throw new Error('a query with words');
      const resolvedFilter = resolved.authors.length > 0 ? sql.join(resolved.authors, sql` AND `) : null;
      expect(await newestMatches(pg.db, { column: 'search_vector', match: resolved.tsquery, keys: resolved.keys, filter: resolvedFilter, limit, growth })).toEqual(found);
    }
  });

  it.each(Object.values(PROBE_GROWTH))('probes every id once, newest first, each probe growth %s to twice that × as wide as those before it', (growth) => {
    const spans: Array<[number, number]> = [[1, 1_000_000], [-150_000, 141_000], [5, 5], [1, 300], [-3000, -1]];
    for (const [lo, hi] of spans) {
      const ids = bucketProbes(lo, hi, growth).map((probe) =>
        probe.split(' | ').map((bucket) => {
          const { level, n } = /^'\|(?<level>[a-d])(?<n>-?\d+)'$/.exec(bucket)?.groups ?? {};
          const shift = { a: 8, b: 11, c: 14, d: 17 }[level ?? ''] ?? NaN;
          return { from: Number(n) * 2 ** shift, to: (Number(n) + 1) * 2 ** shift - 1 };
        }),
      );
      // Contiguous from the bucket holding hi down to the one holding lo, no id twice.
      const flat = ids.flat();
      expect(flat[0]?.from).toBeLessThanOrEqual(hi);
      expect(flat[0]?.to).toBeGreaterThanOrEqual(hi);
      for (let i = 1; i < flat.length; i++) expect(flat[i]?.to).toBe((flat[i - 1]?.from ?? NaN) - 1);
      expect(flat.at(-1)?.from).toBeLessThanOrEqual(lo);
      expect(flat.at(-1)?.to).toBeGreaterThanOrEqual(lo);
      // Past the first, each probe covers at least `growth` × the ids of those before it (the
      // last one: what is left) and less than twice that plus one bucket of 256.
      const widths = ids.map((probe) => probe.reduce((sum, b) => sum + Math.min(b.to, hi) - b.from + 1, 0));
      let covered = widths[0] ?? 0;
      for (const [i, width] of widths.entries()) {
        if (i === 0) continue;
        expect(width).toBeLessThan(2 * growth * covered + 256);
        if (i < widths.length - 1) expect(width).toBeGreaterThanOrEqual(Math.max(growth * covered, 256));
        covered += width;
      }
    }
    // About log(1 + growth) of the span in probes: 18 over a million ids at 0.5, 11 at 1.
    expect(bucketProbes(1, 1_000_000, growth).length).toBeLessThanOrEqual(Math.ceil(Math.log(1_000_000 / 256) / Math.log(1 + growth)) + 2);
  });

  it('finds titles in the title vector alone', async () => {
    const titles = await newestMatches(pg.db, { column: 'title_vector', match: termTsquery('rare wombat'), filter: null, limit: 1001, growth: PROBE_GROWTH.sparse });
    expect(titles).toHaveLength(60);
    expect(titles[0]).toBe(3000 * 97 - 150000);
    expect(titles).toEqual([...titles].sort((a, b) => b - a));
  });
});
