import { sql, type SQL } from 'drizzle-orm';
import { toFeedDate } from '../../clock.ts';
import { estimateMatches } from '../../search/estimate-matches.ts';
import { isEmptyQuery, type Query } from '../../search/parse-query.ts';
import { RANK_WINDOW, type SearchOptions, type SearchResult } from '../store.ts';
import { idArray, newestMatchRows, PROBE_GROWTH, readIdRange, type IdRange } from './newest-matches.ts';
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
// They are found in one statement (newest-matches.ts): the GIN index ANDs the
// query with id buckets, newest first, each probe as wide as all before it, until the window is
// full, so neither a common word (most of the table matches) nor a rare one (the table has to be
// walked to find it) reads many more rows than it keeps. GIN keeps no positions: a query with a
// phrase takes its candidates from the index of words and word pairs (migration 0013), which
// hands over about the phrase's matches alone, and tests the phrase on them; an author is tested
// by a filter. Each window paper is scored as it is read to find it (reading the thousand again
// by id to rank them cost as much as finding them), and sorted here. A search is four statements
// (its terms cut once, resolveTerms, and the id range, side by side; the scored window; the
// page's rows), two to five more for a title-like query (known-items.ts, and the known items
// older than the window). ts_rank reads nothing but the row's own vector (no corpus-wide IDF pass,
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

/** A window paper: its score, and whether it passes the query's filters (org, since, min, …). */
type Scored = { id: number; score: number; kept: boolean };

/**
 * The RANK_WINDOW + 1 newest matches (one more tells `capped`), newest first, scored as they are
 * read to find them: reading them again by id to rank them cost as much as finding them.
 */
async function window(db: PgDb, compiled: CompiledTsQuery, range: IdRange, columns: SQL): Promise<Scored[]> {
  if (!compiled.tsquery) return queryRows<Scored>(db, sql`SELECT p.id, ${columns} FROM papers p ORDER BY p.id DESC LIMIT ${RANK_WINDOW + 1}`);
  const filter = compiled.authors.length > 0 ? sql.join(compiled.authors, sql` AND `) : null;
  return newestMatchRows<Scored>(db, { column: 'search_vector', match: compiled.tsquery, keys: compiled.keys, filter, limit: RANK_WINDOW + 1, growth: PROBE_GROWTH.window, range }, columns);
}

/**
 * Known items older than the window, scored; each is looked up by id (LATERAL … LIMIT 1): as one
 * `id = ANY(…) AND match`, the planner can take the GIN index for the match and read every paper
 * holding the words (19,000 rows for a 3-word query).
 */
async function olderKnownItems(db: PgDb, compiled: CompiledTsQuery, ids: number[], columns: SQL): Promise<Scored[]> {
  if (ids.length === 0 || !compiled.match) return [];
  return queryRows<Scored>(
    db,
    sql`SELECT m.* FROM unnest(${idArray(ids)}) AS k(id) CROSS JOIN LATERAL (SELECT p.id, ${columns} FROM papers p WHERE p.id = k.id AND ${compiled.match} LIMIT 1) AS m`,
  );
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
  const relevance = relevanceOf(query, compiled, RANK_WEIGHTS, resolved);
  const filters = compiled.filters.length > 0 ? sql.join(compiled.filters, sql` AND `) : sql`true`;
  const columns = sql`(${relevance} * ${POPULARITY} * ${freshness(toFeedDate(options.now))})::float8 AS score, (${filters}) AS kept`;
  // Independent walks: on a pool they run side by side, on two connections.
  const [windowRows, known] = await Promise.all([window(db, compiled, range, columns), compiled.match ? knownItems(db, query, range) : { ids: [], tiers: [] }]);
  const newest = windowRows.slice(0, RANK_WINDOW);
  const inWindow = new Set(newest.map((row) => row.id));
  // Known items older than the window join it (a paper in both counts once).
  const older = await olderKnownItems(db, compiled, known.ids.filter((id) => !inWindow.has(id)), columns);
  const tiers = new Map(known.tiers.map(({ id, tier }) => [id, tier]));
  const tierOf = (id: number) => tiers.get(id) ?? 0;
  // As SQLite orders them: tier, then score, then the newest first.
  const ranked = [...newest, ...older].filter((row) => row.kept).sort((a, b) => tierOf(b.id) - tierOf(a.id) || b.score - a.score || b.id - a.id);
  const page = ranked.slice(offset, offset + limit);
  const rows = new Map((await getPapersByIds(db, page.map((r) => r.id))).map((row) => [row.id, row]));
  const results = page.flatMap(({ id, score }) => {
    const paper = rows.get(id);
    return paper ? [{ paper, score: Math.round(score * 1000) / 1000 }] : [];
  });
  const capped = windowRows.length > RANK_WINDOW;
  const oldest = windowRows[RANK_WINDOW]?.id;
  const estimate = capped && oldest !== undefined ? { estimatedMatches: estimateMatches(RANK_WINDOW, oldest, { min: range.lo ?? oldest, max: range.hi ?? oldest }) } : {};
  return { total: ranked.length, capped, results, searched, ...estimate };
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
