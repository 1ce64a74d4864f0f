import { toFeedDate } from '../../clock.ts';
import type { Db } from './open-db.ts';
import type { SearchOptions, SearchResult } from '../store.ts';
import { getPapersByIds } from './papers.ts';
import { compileQuery, type SqlParams } from './fts5-query.ts';
import { isEmptyQuery, type Query } from '../../search/parse-query.ts';
import { planSearch } from './plan-search.ts';
import { searchStatement } from './search-statements.ts';

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

// Scored in JavaScript over the plan's candidates (a thousand at most): as one SQL statement
// (candidates as JSON objects, the formula and the title test per row, a window count) it cost
// 3–8 ms a query, most of the ranking; reading the four columns it needs costs a fraction of that.
const popularity = (upvotes: number) => 1 + 0.2 * Math.log(1 + Math.max(upvotes, 0));
const DAY_MS = 86_400_000;
/** Feed days are YYYY-MM-DD: their difference in whole days, as julianday() gives it. */
const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS;
const freshness = (ageDays: number) => 0.5 + 0.5 * Math.pow(2, -Math.max(ageDays, 0) / 90);

type RankRow = { id: number; title: string; upvotes: number; day: string };
const paperCounts = new WeakMap<Db['$client'], { newest: number | null; count: number }>();

/**
 * Papers stored, for "searched N papers". count(*) reads a whole index (tens of ms at a million
 * papers), so it is cached per connection until the newest id changes (papers are only added).
 */
function storedPaperCount(db: Db): number {
  const sqlite = db.$client;
  const newest = searchStatement<[], { id: number | null }>(db, 'SELECT max(id) AS id FROM papers').get()?.id ?? null;
  const cached = paperCounts.get(sqlite);
  if (cached && cached.newest === newest) return cached.count;
  const count = searchStatement<[], Count>(db, 'SELECT count(*) AS n FROM papers').get()?.n ?? 0;
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
  // The candidates passing the filters, scored; known items (tier > 0) first, then the score.
  const rows = searchStatement<SqlParams, RankRow>(
    db,
    `SELECT p.id AS id, p.title AS title, p.upvotes AS upvotes, p.latest_feed_date AS day FROM papers p WHERE p.id IN (SELECT value FROM json_each(@candidate_ids)) AND ${plan.where}`,
  ).all({ ...plan.params, candidate_ids: JSON.stringify(plan.candidates.map((c) => c.id)) });
  const candidates = new Map(plan.candidates.map((c) => [c.id, c]));
  const today = dayNumber(toFeedDate(options.now));
  // A window's thousand rows fall on a few dozen feed days: each day's freshness is worked out once.
  const freshnessOf = new Map<string, number>();
  const fresh = (day: string) => {
    let value = freshnessOf.get(day);
    if (value === undefined) {
      value = freshness(today - dayNumber(day));
      freshnessOf.set(day, value);
    }
    return value;
  };
  const ranked = rows
    .map((row) => {
      const candidate = candidates.get(row.id);
      const score = (candidate?.rel ?? 0) * (plan.titleWeight?.(row.title) ?? 1) * popularity(row.upvotes) * fresh(row.day);
      return { id: row.id, tier: candidate?.tier ?? 0, score: Number.isFinite(score) ? score : 0 };
    })
    .sort((a, b) => b.tier - a.tier || b.score - a.score || b.id - a.id);
  const total = ranked.length;
  const page = ranked.slice(offset, offset + limit);
  const papers = new Map(getPapersByIds(db, page.map((r) => r.id)).map((row) => [row.id, row]));
  const results = page.flatMap(({ id, score }) => {
    const paper = papers.get(id);
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
  const minId = searchStatement<{ since: string }, { id: number | null }>(db, 'SELECT min(id) AS id FROM papers WHERE latest_feed_date >= @since').get({ since })?.id;
  if (minId === null || minId === undefined) return 0;
  // The papers to look at have ids ≥ minId: at most that many newest excluded rows matter.
  const newest = searchStatement<{ min_id: number }, Count>(db, 'SELECT count(*) AS n FROM papers WHERE id >= @min_id').get({ min_id: minId })?.n ?? 0;
  const compiled = compileQuery({ ...query, since }, { newest });
  const count =
    compiled.match === null
      ? searchStatement<SqlParams, Count>(db, `SELECT count(*) AS n FROM papers p WHERE p.id >= @min_id AND ${compiled.where}`).get({ ...compiled.params, min_id: minId })
      : searchStatement<SqlParams, Count>(
          db,
          `SELECT count(*) AS n FROM (SELECT rowid AS id FROM papers_fts WHERE papers_fts MATCH @match ORDER BY rowid DESC LIMIT @newest) c JOIN papers p ON p.id = c.id WHERE p.id >= @min_id AND ${compiled.where}`,
        ).get({ ...compiled.params, match: compiled.match, newest, min_id: minId });
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
  const ids = searchStatement<SqlParams, number>(db, `SELECT p.id FROM papers p WHERE p.id IN (SELECT value FROM json_each(@ids)) AND (${compiled.where})${fts}`)
    .pluck()
    .all({ ...compiled.params, ids: JSON.stringify(paperIds), ...(compiled.match === null ? {} : { match: compiled.match }) });
  return new Set(ids);
}
