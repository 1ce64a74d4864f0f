import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type PgDb } from './pg-db.ts';

// The newest papers matching a full-text query, the way FTS5 walks its postings backwards and
// stops. A GIN index cannot return ids in order: `ORDER BY id DESC LIMIT n` either reads every
// match (a common word: most of the table) or walks the primary key testing each row's vector
// (a rare word: the whole table). So every vector also holds its id's buckets (`|a<id >> 8>` …
// `|d<id >> 17>`, migration 0006_search_buckets), and the query is ANDed with the 8 newest buckets
// of one level: GIN scans the smaller side and skips through the other, so the work is bounded by
// the buckets' ids or by the query's matches, whichever is fewer. Levels widen by 8 until `limit`
// matches are found or the buckets cover every paper.
//
// A condition GIN cannot answer alone (a phrase needs word positions, an author the vector's
// authors part) is tested on the candidates GIN finds, newest first, a chunk at a time, stopping
// at `limit`: a candidate is read once however many levels it takes.

const LEVELS = [
  { prefix: 'a', shift: 8 },
  { prefix: 'b', shift: 11 },
  { prefix: 'c', shift: 14 },
  { prefix: 'd', shift: 17 },
] as const;
const BUCKETS_PER_LEVEL = 8;

export type NewestMatchesQuery = {
  column: 'search_vector' | 'title_vector';
  /** A tsquery every match satisfies: words only, so the index answers it without reading vectors. */
  candidates: SQL;
  /** What a candidate must also satisfy, on papers aliased `p`; null when `candidates` is the whole query. */
  condition: SQL | null;
  limit: number;
  /** The smallest and largest stored ids, when the caller has read them already. */
  range?: IdRange;
};

export type IdRange = { lo: number | null; hi: number | null };

async function readIdRange(db: PgDb): Promise<IdRange> {
  const [range] = await queryRows<IdRange>(db, sql`SELECT (SELECT min(id) FROM papers) AS lo, (SELECT max(id) FROM papers) AS hi`);
  return range ?? { lo: null, hi: null };
}

/** Ids as one bound array parameter (they come from the database: integers only). */
export const idArray = (ids: number[]): SQL => sql`${`{${ids.join(',')}}`}::int[]`;

/** The ids of the `limit` newest matching papers, newest first (all of them when fewer match). */
export async function newestMatches(db: PgDb, query: NewestMatchesQuery): Promise<number[]> {
  const range = query.range ?? (await readIdRange(db));
  if (range.lo === null || range.hi === null) return [];
  const vector = sql.raw(`p.${query.column}`);
  const found: number[] = [];
  // Candidates with ids at or above this one have been tested already.
  let testedFrom = Number.POSITIVE_INFINITY;
  for (const level of [...LEVELS, null]) {
    const top = level ? range.hi >> level.shift : 0;
    const lowest = level ? (top - BUCKETS_PER_LEVEL + 1) * 2 ** level.shift : range.lo;
    // The buckets would cover every paper: the query alone, once.
    const everything = lowest <= range.lo;
    const buckets = level && !everything ? Array.from({ length: BUCKETS_PER_LEVEL }, (_, i) => `'|${level.prefix}${top - i}'`).join(' | ') : null;
    const tsquery = buckets ? sql`(${query.candidates} && ${buckets}::tsquery)` : query.candidates;
    const bounds = everything ? sql`true` : sql`p.id >= ${lowest}::int`;
    // `p.id + 0`: ordering by the bare id would let the planner walk the primary key instead.
    if (query.condition === null) {
      const rows = await queryRows<{ id: number }>(db, sql`SELECT p.id FROM papers p WHERE ${vector} @@ ${tsquery} AND ${bounds} ORDER BY p.id + 0 DESC LIMIT ${query.limit}`);
      if (rows.length >= query.limit || everything) return rows.map((row) => row.id);
      continue;
    }
    const below = Number.isFinite(testedFrom) ? sql`p.id < ${testedFrom}::int` : sql`true`;
    const candidates = (await queryRows<{ id: number }>(db, sql`SELECT p.id FROM papers p WHERE ${vector} @@ ${tsquery} AND ${bounds} AND ${below} ORDER BY p.id + 0 DESC`)).map((row) => row.id);
    for (let i = 0; i < candidates.length && found.length < query.limit; ) {
      const size = Math.min(5000, Math.max(200, 2 * (query.limit - found.length)));
      const chunk = candidates.slice(i, i + size);
      i += size;
      const rows = await queryRows<{ id: number }>(db, sql`SELECT p.id FROM papers p WHERE p.id = ANY(${idArray(chunk)}) AND ${query.condition}`);
      found.push(...rows.map((row) => row.id).sort((a, b) => b - a));
    }
    if (found.length >= query.limit || everything) return found.slice(0, query.limit);
    testedFrom = lowest;
  }
  return found.slice(0, query.limit);
}
