import { sql } from 'drizzle-orm';
import { toFeedDate } from '../../clock.ts';
import { estimateMatches } from '../../search/estimate-matches.ts';
import { isEmptyQuery, type Query } from '../../search/parse-query.ts';
import { RANK_WINDOW, type SearchOptions, type SearchResult } from '../store.ts';
import { idArray, newestMatches, readIdRange, type IdRange } from './newest-matches.ts';
import { knownItems } from './known-items.ts';
import { getPapersByIds } from './papers.ts';
import { queryRows, type PgDb } from './pg-db.ts';
import { compileTsquery, relevanceOf, resolveTerms, type CompiledTsQuery, type ResolvedTerms } from './tsquery.ts';

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
// Bounded cost: only the RANK_WINDOW newest matches are ranked; older matches only set `capped`.
// They are found by newestMatches (newest-matches.ts), in one statement: the GIN index ANDs the
// query with id buckets, newest first, each probe as wide as all before it, until the window is
// full, so neither a common word (most of the table matches) nor a rare one (the table has to be
// walked to find it) reads many more rows than it keeps. GIN keeps no positions: a query with a
// phrase takes its candidates from the index of words and word pairs (migration 0013), which
// hands over about the phrase's matches alone, and tests the phrase on them; an author is tested
// by a filter. A search is five statements (its terms cut once, resolveTerms, and the id range,
// side by side; window; ranking; the page's rows), two to four more for a title-like query
// (known-items.ts). ts_rank reads nothing but the row's own vector (no corpus-wide IDF pass,
// unlike bm25), so every query can use it, with no selective/broad split. As on SQLite,
// org:/since:/min: filter the window.
//
// Known-item first and variants, as on SQLite (../sqlite/plan-search.ts): the papers whose title
// is close to a title-like query (known-items.ts) join the window, ranked by their tier before the
// score; a paper matching only a variant of the typed words has its relevance multiplied by
// VARIANT_WEIGHT.

/** ts_rank weights, in its order {D, C, B, A}: D unused, C authors, B abstract, A title. */
const RANK_WEIGHTS = '{0.1, 0.2, 0.3, 1.0}';
const POPULARITY = sql`(1.0 + 0.2 * ln(1.0 + greatest(p.upvotes, 0)::float8))`;
const freshness = (today: string) => sql`(0.5 + 0.5 * power(2.0::float8, -greatest(${today}::date - p.latest_feed_date::date, 0) / 90.0))`;

type Ranked = { id: number; score: number; total: number };
const paperCounts = new WeakMap<PgDb, { range: IdRange; count: number }>();

/**
 * Papers stored, for "searched N papers". count(*) reads the whole table (about 1 s at 1M papers),
 * so it runs once per handle; after that only papers outside the last counted id range are
 * counted: papers are never deleted, and every writer takes PAPERS_WRITE_LOCK and gives new papers
 * ids above the highest or, for a backfill, below the lowest (papers.ts, arxiv-backfill.ts).
 */
async function storedPaperCount(db: PgDb, range: IdRange): Promise<number> {
  const cached = paperCounts.get(db);
  if (cached && cached.range.lo === range.lo && cached.range.hi === range.hi) return cached.count;
  const known = cached && cached.range.lo !== null && cached.range.hi !== null ? { ...cached.range, count: cached.count } : null;
  const outside = known ? sql`WHERE id > ${known.hi}::int OR id < ${known.lo}::int` : sql``;
  const [row] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM papers ${outside}`);
  const count = (known?.count ?? 0) + (row?.n ?? 0);
  paperCounts.set(db, { range, count });
  return count;
}

/** The RANK_WINDOW + 1 newest matches (one more tells `capped`), newest first. */
async function window(db: PgDb, compiled: CompiledTsQuery, range: IdRange): Promise<number[]> {
  if (!compiled.tsquery) {
    return (await queryRows<{ id: number }>(db, sql`SELECT p.id FROM papers p ORDER BY p.id DESC LIMIT ${RANK_WINDOW + 1}`)).map((row) => row.id);
  }
  const filter = compiled.authors.length > 0 ? sql.join(compiled.authors, sql` AND `) : null;
  return newestMatches(db, { column: 'search_vector', match: compiled.tsquery, keys: compiled.keys, filter, limit: RANK_WINDOW + 1, range });
}

/** Ranked search over every stored paper. Never throws on user text: any string is a valid query. */
export async function searchPapers(db: PgDb, query: Query, options: SearchOptions): Promise<SearchResult> {
  const [resolved, range] = await Promise.all([resolveTerms(db, query), readIdRange(db)]);
  const compiled = compileTsquery(query, resolved);
  const searched = await storedPaperCount(db, range);
  const none: SearchResult = { total: 0, capped: false, results: [], searched };
  if (isEmptyQuery(query)) return none;
  const limit = Math.max(0, Math.floor(options.limit));
  const offset = Math.max(0, Math.floor(options.offset));
  if (compiled.positive && !hasLexemes(query, resolved)) return none;
  // Independent walks: on a pool they run side by side, on two connections.
  const [windowIds, known] = await Promise.all([window(db, compiled, range), compiled.match ? knownItems(db, query, range) : { ids: [], tiers: [] }]);
  const relevance = relevanceOf(query, compiled, RANK_WEIGHTS, resolved);
  const tier =
    known.tiers.length > 0 ? sql`(CASE p.id ${sql.join(known.tiers.map(({ id, tier: t }) => sql`WHEN ${id}::int THEN ${t}::int`), sql` `)} ELSE 0 END)` : sql`0`;
  const newest = sql`SELECT unnest(${idArray(windowIds.slice(0, RANK_WINDOW))}) AS id`;
  // Known items older than the window join it (UNION: a paper in both counts once). Each is looked
  // up by id (LATERAL … LIMIT 1): as one `id = ANY(…) AND match`, the planner can take the GIN
  // index for the match and read every paper holding the words (19,000 rows for a 3-word query).
  const knownIds = sql`SELECT k.id FROM unnest(${idArray(known.ids)}) AS k(id) CROSS JOIN LATERAL (SELECT 1 FROM papers p WHERE p.id = k.id AND ${compiled.match} LIMIT 1) AS m`;
  const candidates = known.ids.length > 0 && compiled.match ? sql`(${newest}) UNION (${knownIds})` : newest;
  const filters = compiled.filters.length > 0 ? sql.join(compiled.filters, sql` AND `) : sql`true`;
  // MATERIALIZED: the scores are computed once per candidate, before the window count; inlined, the
  // planner carried every row's vector through the WindowAgg and scored it above it, three to four
  // times slower for the same rows (measured at 100k papers, 1,000 candidates).
  const scored = sql`
    WITH c AS (${candidates}),
         s AS MATERIALIZED (SELECT p.id, ${tier} AS tier, (${relevance} * ${POPULARITY} * ${freshness(toFeedDate(options.now))})::float8 AS score
               FROM c JOIN papers p ON p.id = c.id WHERE ${filters})`;
  const ranked = await queryRows<Ranked>(
    db,
    sql`${scored} SELECT id, score, (count(*) OVER ())::int AS total FROM s ORDER BY tier DESC, score DESC, id DESC LIMIT ${Math.max(limit, 1)} OFFSET ${offset}`,
  );
  const first = ranked[0];
  // Past the last page (or no match) no row carries the figures.
  const total = first?.total ?? (await queryRows<{ total: number }>(db, sql`${scored} SELECT (SELECT count(*) FROM s)::int AS total`))[0]?.total ?? 0;
  const page = ranked.slice(0, limit);
  const rows = new Map((await getPapersByIds(db, page.map((r) => r.id))).map((row) => [row.id, row]));
  const results = page.flatMap(({ id, score }) => {
    const paper = rows.get(id);
    return paper ? [{ paper, score: Math.round(score * 1000) / 1000 }] : [];
  });
  const capped = windowIds.length > RANK_WINDOW;
  const oldest = windowIds[RANK_WINDOW];
  const estimate = capped && oldest !== undefined ? { estimatedMatches: estimateMatches(RANK_WINDOW, oldest, { min: range.lo ?? oldest, max: range.hi ?? oldest }) } : {};
  return { total, capped, results, searched, ...estimate };
}

/**
 * False when the parser finds no word to index in the query's positive terms (PostgreSQL's parser
 * skips some tokens the query parser kept): the tsquery is empty and matches nothing, so the table
 * is not searched to find that out. `&&` and `||` drop an empty side, so the positive part is
 * empty exactly when every positive term's tsquery is.
 */
function hasLexemes(query: Query, resolved: ResolvedTerms): boolean {
  return [...query.groups.flat().map((t) => t.text), ...query.authors].some((text) => (resolved.get(text)?.tsquery ?? '') !== '');
}
