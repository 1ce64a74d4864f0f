import { sql, type SQL } from 'drizzle-orm';
import { toFeedDate } from '../../clock.ts';
import { isEmptyQuery, type Query } from '../../search/parse-query.ts';
import { RANK_WINDOW, type SearchOptions, type SearchResult } from '../store.ts';
import { getPapersByIds } from './papers.ts';
import { queryRows, type PgDb } from './pg-db.ts';
import { compileTsquery } from './tsquery.ts';

// Ranked search on PostgreSQL, the same shape as ../sqlite/search-papers.ts (docs/ranking.md):
//
//   score = relevance × popularity × freshness
//   relevance  = ts_rank({D 0.1, C 0.2, B 0.3, A 1.0}, search_vector, query)
//                title 1.0, abstract 0.3, authors 0.2: SQLite's bm25 weights 10/3/2, scaled;
//                1 for queries with only filters or exclusions.
//
// Why ts_rank, not ts_rank_cd: on the real feed of 2024-10-25 and 40 real queries, ranked next to
// SQLite's bm25, ts_rank (no normalisation) picks SQLite's first result for 29 and one of SQLite's
// top 3 for 38; ts_rank_cd agreed less whatever its normalisation (17–20 first results where
// ts_rank had 25, on the first 34 of those queries). The rest
// differ because bm25 weighs rare words up (IDF) and saturates repeats; see
// test/store-postgres/search-agrees-with-sqlite.test.ts, which holds those figures as a floor.
//   popularity = 1 + 0.2 · ln(1 + upvotes)
//   freshness  = 0.5 + 0.5 · 2^(−age_days / 90)
//
// Bounded cost: only the RANK_WINDOW newest matches are ranked (`ORDER BY id DESC LIMIT`, which
// PostgreSQL serves either from the GIN index or by walking the primary key backwards and testing
// each row, whichever it estimates cheaper); older matches only set `capped`. ts_rank reads
// nothing but the row's own vector (no corpus-wide IDF pass, unlike bm25), so every query can use
// it, with no selective/broad split. As on SQLite, org:/since:/min: filter the window.

/** ts_rank weights, in its order {D, C, B, A}: D unused, C authors, B abstract, A title. */
const RANK_WEIGHTS = '{0.1, 0.2, 0.3, 1.0}';
const POPULARITY = sql`(1.0 + 0.2 * ln(1.0 + greatest(p.upvotes, 0)::float8))`;
const freshness = (today: string) => sql`(0.5 + 0.5 * power(2.0::float8, -greatest(${today}::date - p.latest_feed_date::date, 0) / 90.0))`;

type Ranked = { id: number; score: number; total: number; capped: boolean };

/** Ranked search over every stored paper. Never throws on user text: any string is a valid query. */
export async function searchPapers(db: PgDb, query: Query, options: SearchOptions): Promise<SearchResult> {
  const none: SearchResult = { total: 0, capped: false, results: [] };
  if (isEmptyQuery(query)) return none;
  const limit = Math.max(0, Math.floor(options.limit));
  const offset = Math.max(0, Math.floor(options.offset));
  const compiled = compileTsquery(query);
  if (compiled.positive && !(await hasLexemes(db, compiled.positive))) return none;
  // The window: one row more than RANK_WINDOW tells `capped`.
  const window = compiled.match
    ? sql`SELECT p.id FROM papers p WHERE ${compiled.match} ORDER BY p.id DESC LIMIT ${RANK_WINDOW + 1}`
    : sql`SELECT p.id FROM papers p ORDER BY p.id DESC LIMIT ${RANK_WINDOW + 1}`;
  const relevance = compiled.positive ? sql`ts_rank(${RANK_WEIGHTS}::float4[], p.search_vector, ${compiled.positive})` : sql`1.0`;
  const filters = compiled.filters.length > 0 ? sql.join(compiled.filters, sql` AND `) : sql`true`;
  const scored = sql`
    WITH w AS (${window}),
         c AS (SELECT id FROM w ORDER BY id DESC LIMIT ${RANK_WINDOW}),
         s AS (SELECT p.id, (${relevance} * ${POPULARITY} * ${freshness(toFeedDate(options.now))})::float8 AS score
               FROM c JOIN papers p ON p.id = c.id WHERE ${filters})`;
  const capped = sql`((SELECT count(*) FROM w) > ${RANK_WINDOW})`;
  const ranked = await queryRows<Ranked>(
    db,
    sql`${scored} SELECT id, score, (count(*) OVER ())::int AS total, ${capped} AS capped FROM s ORDER BY score DESC, id DESC LIMIT ${Math.max(limit, 1)} OFFSET ${offset}`,
  );
  const first = ranked[0];
  // Past the last page (or no match) no row carries the figures.
  const totals = first ?? (await queryRows<Omit<Ranked, 'id' | 'score'>>(db, sql`${scored} SELECT (SELECT count(*) FROM s)::int AS total, ${capped} AS capped`))[0];
  const page = ranked.slice(0, limit);
  const rows = new Map((await getPapersByIds(db, page.map((r) => r.id))).map((row) => [row.id, row]));
  const results = page.flatMap(({ id, score }) => {
    const paper = rows.get(id);
    return paper ? [{ paper, score: Math.round(score * 1000) / 1000 }] : [];
  });
  return { total: totals?.total ?? 0, capped: totals?.capped ?? false, results };
}

/**
 * False when the parser finds no word to index in the query's terms (PostgreSQL's parser skips
 * some tokens the query parser kept): the tsquery is empty and matches nothing, so the table is
 * not walked to find that out.
 */
async function hasLexemes(db: PgDb, tsquery: SQL): Promise<boolean> {
  const [row] = await queryRows<{ n: number }>(db, sql`SELECT numnode(${tsquery}) AS n`);
  return (row?.n ?? 0) > 0;
}
