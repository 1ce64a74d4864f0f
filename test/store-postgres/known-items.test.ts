import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuery } from '../../src/search/parse-query.ts';
import { searchPapers } from '../../src/store/postgres/search.ts';
import { createPostgresTestDb, type PgTestDb } from '../support/postgres-test-db.ts';

// Known items whose words are in hundreds of titles (more than KNOWN_ITEM_LIMIT): the title that
// is the query, or with one word more, or ending with it, still comes first, though it is older
// than the whole window. The wombat titles have more than a thousand newer look-alikes ending with
// the query's last word (the one walk cannot see them all, so its kinds need their own probes), and
// so have the otter titles; the quokka titles have a hundred (the walk sees every one).

const now = Date.parse('2026-09-01T00:00:00Z');
const search = (db: PgTestDb, text: string) => searchPapers(db.db, parseQuery(text), { limit: 5, offset: 0, now });

const insertTitles = (db: PgTestDb, titles: string) =>
  db.db.execute(
    sql.raw(`INSERT INTO papers (arxiv_id, title, abstract, upvotes, latest_feed_date, first_seen_at, updated_at)
             SELECT '26' || lpad((n + (SELECT count(*) FROM papers))::text, 8, '0'), t, 'Field notes.', 0, '2026-08-01', 0, 0
             FROM (${titles}) AS s(n, t) ORDER BY n`),
  );

describe('PostgreSQL known items of common title words', () => {
  let pg: PgTestDb;
  beforeAll(async () => {
    pg = await createPostgresTestDb();
    // The oldest papers are the known items.
    await insertTitles(
      pg,
      `VALUES (1, 'Wombat burrow survey'), (2, 'Wombat burrow survey revisited'), (3, 'A global wombat burrow survey'),
              (4, 'Quokka nest census revisited'), (5, 'A small quokka nest census'),
              (6, 'Otter dam report revisited'), (7, 'A new otter dam report')`,
    );
    // Newer titles holding every word, not close to the query: the last word elsewhere, or at the
    // end without the rest of the query before it.
    await insertTitles(pg, `SELECT n, 'Survey ' || n || ' of burrow depth by wombat' FROM generate_series(1, 300) AS n`);
    await insertTitles(pg, `SELECT n, 'On wombat ' || n || ' burrow and survey' FROM generate_series(1, 1100) AS n`);
    await insertTitles(pg, `SELECT n, 'Census ' || n || ' of nest sites by quokka' FROM generate_series(1, 300) AS n`);
    await insertTitles(pg, `SELECT n, 'On quokka ' || n || ' nest and census' FROM generate_series(1, 100) AS n`);
    await insertTitles(pg, `SELECT n, 'Report ' || n || ' of dam sites by otter' FROM generate_series(1, 300) AS n`);
    await insertTitles(pg, `SELECT n, 'On otter ' || n || ' dam and report' FROM generate_series(1, 1100) AS n`);
  }, 120_000);
  afterAll(async () => pg?.close());

  it('puts the title that is the query first, found by its own probe past a thousand look-alikes', async () => {
    const result = await search(pg, 'wombat burrow survey');
    expect(result.results[0]?.paper.title).toBe('Wombat burrow survey');
    // With an exact title, the other close titles are not known items (as on SQLite).
    expect(result.results.map((r) => r.paper.title)).not.toContain('Wombat burrow survey revisited');
  });

  it('without an exact title, puts the one-word-more title, then the one ending with the query, first', async () => {
    const result = await search(pg, 'quokka nest census');
    expect(result.results.slice(0, 2).map((r) => r.paper.title)).toEqual(['Quokka nest census revisited', 'A small quokka nest census']);
  });

  it('finds the one-word-more and ending titles by their own probes past a thousand look-alikes', async () => {
    const result = await search(pg, 'otter dam report');
    expect(result.results.slice(0, 2).map((r) => r.paper.title)).toEqual(['Otter dam report revisited', 'A new otter dam report']);
  });
});
