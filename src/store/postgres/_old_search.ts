import { sql, type SQL } from 'drizzle-orm';
import { toFeedDate } from '../../clock.ts';
import { estimateMatches } from '../../search/estimate-matches.ts';
import { KNOWN_ITEM_LIMIT, knownItemTerms, titleTier } from '../../search/known-item.ts';
import { isEmptyQuery, type Query } from '../../search/parse-query.ts';
import { hasVariants, literalQuery, VARIANT_WEIGHT } from '../../search/variants.ts';
import { RANK_WINDOW, type SearchOptions, type SearchResult } from '../store.ts';
import { getPapersByIds } from './papers.ts';
import { queryRows, type PgDb } from './pg-db.ts';
import { tokenizeRows } from './tokenize-texts.ts';
import { compileTsquery, termTsquery } from './tsquery.ts';

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
//
// Known-item first and variants, as on SQLite (../sqlite/plan-search.ts): the papers whose title
// (the vector's weight-A part) holds every word of a title-like query join the window when at
// most KNOWN_ITEM_LIMIT do, ranked by their tier before the score; a paper matching only a
// variant of the typed words has its relevance multiplied by VARIANT_WEIGHT.

/** ts_rank weights, in its order {D, C, B, A}: D unused, C authors, B abstract, A title. */
const RANK_WEIGHTS = '{0.1, 0.2, 0.3, 1.0}';
const POPULARITY = sql`(1.0 + 0.2 * ln(1.0 + greatest(p.upvotes, 0)::float8))`;
const freshness = (today: string) => sql`(0.5 + 0.5 * power(2.0::float8, -greatest(${today}::date - p.latest_feed_date::date, 0) / 90.0))`;

type Ranked = { id: number; score: number; total: number; capped: boolean; oldest: number | null };
const paperCounts = new WeakMap<PgDb, { newest: number | null; count: number }>();

/** Papers stored, for "searched N papers": counted again only when the newest id changes. */
async function storedPaperCount(db: PgDb): Promise<number> {
  const [range] = await queryRows<{ newest: number | null }>(db, sql`SELECT max(id) AS newest FROM papers`);
  const newest = range?.newest ?? null;
  const cached = paperCounts.get(db);
  if (cached && cached.newest === newest) return cached.count;
  const [row] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM papers`);
  const count = row?.n ?? 0;
  paperCounts.set(db, { newest, count });
  return count;
}

/**
 * Title-like query: the papers whose title is close to it, with their tiers (as on SQLite). First
 * the titles (weight A) holding every word; when more than KNOWN_ITEM_LIMIT do, phrases anchored
 * at the title's end instead (the '|' lexeme paperboy_search_vector puts right after it): titles
 * ending with the query, and titles with one word more inside or at the end (`<2>`: one position
 * apart). The tiers come from the titles' own tokens.
 */
async function knownItems(db: PgDb, query: Query): Promise<{ ids: number[]; tiers: Array<{ id: number; tier: number }> }> {
  const terms = knownItemTerms(query);
  if (terms === null) return { ids: [], tiers: [] };
  const probe = (where: SQL) =>
    queryRows<{ id: number; title: string }>(db, sql`SELECT p.id, p.title FROM papers p WHERE ${where} ORDER BY p.id DESC LIMIT ${KNOWN_ITEM_LIMIT + 1}`);
  const all = sql`(${sql.join(terms.map(termTsquery), sql` && `)})`;
  let rows = await probe(sql`p.search_vector @@ ${all} AND ts_filter(p.search_vector, '{a}') @@ ${all}`);
  if (rows.length > KNOWN_ITEM_LIMIT) {
    const words = terms.join(' ').split(/[^\p{L}\p{N}]+/u).filter((word) => word !== '');
    const phrase = (part: string[]) => termTsquery(part.join(' '));
    const end = sql`$$'|'$$::tsquery`;
    const oneMore = [
      ...words.slice(1).map((_, k) => sql`tsquery_phrase(${phrase(words.slice(0, k + 1))}, tsquery_phrase(${phrase(words.slice(k + 1))}, ${end}), 2)`),
      sql`tsquery_phrase(${phrase(words)}, ${end}, 2)`,
    ];
    const found = new Map<number, { id: number; title: string }>();
    for (const match of [sql`tsquery_phrase(${phrase(words)}, ${end})`, sql`(${sql.join(oneMore, sql` || `)})`]) {
      const some = await probe(sql`p.search_vector @@ ${match}`);
      if (some.length <= KNOWN_ITEM_LIMIT) for (const row of some) found.set(row.id, row);
    }
    rows = [...found.values()];
  }
  if (rows.length === 0 || rows.length > KNOWN_ITEM_LIMIT * 2) return { ids: [], tiers: [] };
  const [typed, ...titles] = await tokenizeRows(db, [{ title: terms.join(' ') }, ...rows.map((row) => ({ title: row.title }))]);
  const tiers = rows.flatMap((row, i) => {
    const tier = titleTier(typed?.title ?? [], titles[i]?.title ?? []);
    return tier > 0 ? [{ id: row.id, tier }] : [];
  });
  return { ids: rows.map((row) => row.id), tiers };
}

/** Ranked search over every stored paper. Never throws on user text: any string is a valid query. */
export async function searchPapers(db: PgDb, query: Query, options: SearchOptions): Promise<SearchResult> {
  const searched = await storedPaperCount(db);
  const none: SearchResult = { total: 0, capped: false, results: [], searched };
  if (isEmptyQuery(query)) return none;
  const limit = Math.max(0, Math.floor(options.limit));
  const offset = Math.max(0, Math.floor(options.offset));
  const compiled = compileTsquery(query);
  if (compiled.positive && !(await hasLexemes(db, compiled.positive))) return none;
  // The window: one row more than RANK_WINDOW tells `capped`.
  const window = compiled.match
    ? sql`SELECT p.id FROM papers p WHERE ${compiled.match} ORDER BY p.id DESC LIMIT ${RANK_WINDOW + 1}`
    : sql`SELECT p.id FROM papers p ORDER BY p.id DESC LIMIT ${RANK_WINDOW + 1}`;
  const known = compiled.match ? await knownItems(db, query) : { ids: [], tiers: [] };
  const typed = hasVariants(query) ? compileTsquery(literalQuery(query)).positive : null;
  const rank = compiled.positive ? sql`ts_rank(${RANK_WEIGHTS}::float4[], p.search_vector, ${compiled.positive})` : sql`1.0`;
  const relevance = typed ? sql`${rank} * (CASE WHEN p.search_vector @@ ${typed} THEN 1.0 ELSE ${VARIANT_WEIGHT} END)` : rank;
  const tier =
    known.tiers.length > 0 ? sql`(CASE p.id ${sql.join(known.tiers.map(({ id, tier: t }) => sql`WHEN ${id}::int THEN ${t}::int`), sql` `)} ELSE 0 END)` : sql`0`;
  const newest = sql`SELECT id FROM w ORDER BY id DESC LIMIT ${RANK_WINDOW}`;
  // Known items older than the window join it (UNION: a paper in both counts once).
  const candidates =
    known.ids.length > 0 && compiled.match
      ? sql`(${newest}) UNION (SELECT p.id FROM papers p WHERE p.id IN (${sql.join(known.ids.map((id) => sql`${id}::int`), sql`, `)}) AND ${compiled.match})`
      : newest;
  const filters = compiled.filters.length > 0 ? sql.join(compiled.filters, sql` AND `) : sql`true`;
  const scored = sql`
    WITH w AS (${window}),
         c AS (${candidates}),
         s AS (SELECT p.id, ${tier} AS tier, (${relevance} * ${POPULARITY} * ${freshness(toFeedDate(options.now))})::float8 AS score
               FROM c JOIN papers p ON p.id = c.id WHERE ${filters})`;
  const capped = sql`((SELECT count(*) FROM w) > ${RANK_WINDOW})`;
  const oldest = sql`(SELECT min(id) FROM w)`;
  const ranked = await queryRows<Ranked>(
    db,
    sql`${scored} SELECT id, score, (count(*) OVER ())::int AS total, ${capped} AS capped, ${oldest} AS oldest FROM s ORDER BY tier DESC, score DESC, id DESC LIMIT ${Math.max(limit, 1)} OFFSET ${offset}`,
  );
  const first = ranked[0];
  // Past the last page (or no match) no row carries the figures.
  const totals =
    first ?? (await queryRows<Omit<Ranked, 'id' | 'score'>>(db, sql`${scored} SELECT (SELECT count(*) FROM s)::int AS total, ${capped} AS capped, ${oldest} AS oldest`))[0];
  const page = ranked.slice(0, limit);
  const rows = new Map((await getPapersByIds(db, page.map((r) => r.id))).map((row) => [row.id, row]));
  const results = page.flatMap(({ id, score }) => {
    const paper = rows.get(id);
    return paper ? [{ paper, score: Math.round(score * 1000) / 1000 }] : [];
  });
  const isCapped = totals?.capped ?? false;
  const estimate = isCapped && totals?.oldest != null ? { estimatedMatches: await estimateFromWindow(db, Number(totals.oldest)) } : {};
  return { total: totals?.total ?? 0, capped: isCapped, results, searched, ...estimate };
}

async function estimateFromWindow(db: PgDb, oldest: number): Promise<number> {
  const [range] = await queryRows<{ lo: number | null; hi: number | null }>(db, sql`SELECT (SELECT min(id) FROM papers) AS lo, (SELECT max(id) FROM papers) AS hi`);
  return estimateMatches(RANK_WINDOW, oldest, { min: range?.lo ?? oldest, max: range?.hi ?? oldest });
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
