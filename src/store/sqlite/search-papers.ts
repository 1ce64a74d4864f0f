import { toFeedDate } from '../../clock.ts';
import type { Db } from './open-db.ts';
import type { SearchOptions, SearchResult } from '../store.ts';
import { getPapersByIds } from './papers.ts';
import { compileQuery, type SqlParams } from './fts5-query.ts';
import { isEmptyQuery, type Query } from '../../search/parse-query.ts';
import { planSearch } from './plan-search.ts';

// Ranking (docs/ranking.md has the reasoning and the measurements; the README the formula):
//
//   score = relevance × popularity × freshness
//   relevance  = −bm25(papers_fts, 10.0, 3.0, 2.0)    title ≫ abstract > authors, when every phrase is
//                                                      selective; else 1 + 2 × (share of word groups in
//                                                      the title); 1 for filter-only queries (plan-search.ts)
//   popularity = 1 + 0.2 · ln(1 + upvotes)            0 ↑ → 1.0, 10 ↑ → 1.48, 100 ↑ → 1.92, 1000 ↑ → 2.38
//   freshness  = 0.5 + 0.5 · 2^(−age_days / 90)        age from the paper's latest feed day to today:
//                                                      today 1.0, 90 days 0.75, a year ≈ 0.53, floor 0.5
//
// A product, because bm25's scale changes from query to query (number and rarity of terms): a
// multiplicative boost orders the same way whatever that scale is; an additive one would not.

const POPULARITY = '(1.0 + 0.2 * ln(1.0 + max(p.upvotes, 0)))';
// @today = today's feed day; julianday() of two YYYY-MM-DD strings differs by whole days.
const FRESHNESS = '(0.5 + 0.5 * pow(2.0, -max(julianday(@today) - julianday(p.latest_feed_date), 0) / 90.0))';
// The plan's candidates, one JSON array of {id, rel, tier} bound as @candidates.
const CANDIDATES = "c AS (SELECT value ->> 'id' AS id, value ->> 'rel' AS rel, value ->> 'tier' AS tier FROM json_each(@candidates))";

type Ranked = { id: number; score: number; total: number };
const paperCounts = new WeakMap<Db['$client'], { newest: number | null; count: number }>();

/**
 * Papers stored, for "searched N papers". count(*) reads a whole index (tens of ms at a million
 * papers), so it is cached per connection until the newest id changes (papers are only added).
 */
export function storedPaperCount(db: Db): number {
  const sqlite = db.$client;
  const newest = sqlite.prepare<[], { id: number | null }>('SELECT max(id) AS id FROM papers').get()?.id ?? null;
  const cached = paperCounts.get(sqlite);
  if (cached && cached.newest === newest) return cached.count;
  const count = sqlite.prepare<[], Count>('SELECT count(*) AS n FROM papers').get()?.n ?? 0;
  paperCounts.set(sqlite, { newest, count });
  return count;
}
type Count = { n: number };

/** Ranked search over every stored paper. Never throws on user text: any string is a valid query. */
export function searchQuery(db: Db, query: Query, options: SearchOptions): SearchResult {
  const searched = storedPaperCount(db);
  if (isEmptyQuery(query)) return { total: 0, capped: false, results: [], searched };
  const limit = Math.max(0, Math.floor(options.limit));
  const offset = Math.max(0, Math.floor(options.offset));
  const plan = planSearch(db, query, searched);
  // bm25() was computed next to its MATCH, in the plan's walk; here the window function counts
  // every candidate passing the filters while the sort picks the page, in one pass. Known items
  // (tier > 0) come first, then the score.
  const from = `WITH ${CANDIDATES} SELECT %s FROM c JOIN papers p ON p.id = c.id WHERE ${plan.where}`;
  const params = { ...plan.params, candidates: JSON.stringify(plan.candidates), today: toFeedDate(options.now) };
  const scored = from.replace('%s', `p.id AS id, c.tier AS tier, ${plan.relevance} * ${POPULARITY} * ${FRESHNESS} AS score`);
  const ranked = db.$client
    .prepare<SqlParams, Ranked>(`SELECT id, score, count(*) OVER () AS total FROM (${scored}) ORDER BY tier DESC, score DESC, id DESC LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit: Math.max(limit, 1), offset });
  // Past the last page there is no row to carry the count.
  const total = ranked[0]?.total ?? (offset > 0 ? (db.$client.prepare<SqlParams, Count>(from.replace('%s', 'count(*) AS n')).get(params)?.n ?? 0) : 0);
  const page = ranked.slice(0, limit);
  const rows = new Map(getPapersByIds(db, page.map((r) => r.id)).map((row) => [row.id, row]));
  const results = page.flatMap(({ id, score }) => {
    const paper = rows.get(id);
    return paper ? [{ paper, score: Math.round(score * 1000) / 1000 }] : [];
  });
  return { total, capped: plan.capped, results, searched, ...(plan.estimatedMatches !== undefined ? { estimatedMatches: plan.estimatedMatches } : {}) };
}

/**
 * Papers matching `text` whose latest feed day is on or after `sinceFeedDate` (the watch preview:
 * "would have matched N papers in the last 30 days"). Exact, and cheap: every such paper has an id
 * at least the smallest id listed since that day, so only the newest `newest` matches can count
 * and FTS5 walks just those postings, backwards.
 */
export function countMatches(db: Db, query: Query, options: { sinceFeedDate: string }): number {
  if (isEmptyQuery(query)) return 0;
  const since = query.since !== undefined && query.since > options.sinceFeedDate ? query.since : options.sinceFeedDate;
  const sqlite = db.$client;
  const minId = sqlite.prepare<{ since: string }, { id: number | null }>('SELECT min(id) AS id FROM papers WHERE latest_feed_date >= @since').get({ since })?.id;
  if (minId === null || minId === undefined) return 0;
  // The papers to look at have ids ≥ minId: at most that many newest excluded rows matter.
  const newest = sqlite.prepare<{ min_id: number }, Count>('SELECT count(*) AS n FROM papers WHERE id >= @min_id').get({ min_id: minId })?.n ?? 0;
  const compiled = compileQuery({ ...query, since }, { newest });
  const count =
    compiled.match === null
      ? sqlite.prepare<SqlParams, Count>(`SELECT count(*) AS n FROM papers p WHERE p.id >= @min_id AND ${compiled.where}`).get({ ...compiled.params, min_id: minId })
      : sqlite
          .prepare<SqlParams, Count>(
            `SELECT count(*) AS n FROM (SELECT rowid AS id FROM papers_fts WHERE papers_fts MATCH @match ORDER BY rowid DESC LIMIT @newest) c JOIN papers p ON p.id = c.id WHERE p.id >= @min_id AND ${compiled.where}`,
          )
          .get({ ...compiled.params, match: compiled.match, newest, min_id: minId });
  return count?.n ?? 0;
}

/**
 * The ids among `paperIds` (a digest's day, a few hundred at most) that match `query`, through
 * the one query compiler. The FTS check runs per candidate (`rowid = p.id`), so a common word
 * never materialises its whole posting list.
 */
export function paperIdsMatching(db: Db, query: Query, paperIds: number[]): Set<number> {
  const compiled = compileQuery(query);
  const fts = compiled.match === null ? '' : ' AND EXISTS (SELECT 1 FROM papers_fts WHERE papers_fts MATCH @match AND rowid = p.id)';
  const ids = db.$client
    .prepare<SqlParams, number>(`SELECT p.id FROM papers p WHERE p.id IN (SELECT value FROM json_each(@ids)) AND (${compiled.where})${fts}`)
    .pluck()
    .all({ ...compiled.params, ids: JSON.stringify(paperIds), ...(compiled.match === null ? {} : { match: compiled.match }) });
  return new Set(ids);
}
