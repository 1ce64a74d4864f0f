import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type PgDb } from './pg-db.ts';

// The newest papers matching a full-text query, the way FTS5 walks its postings backwards and
// stops. A GIN index cannot return ids in order: `ORDER BY id DESC LIMIT n` either reads every
// match (a common word: most of the table) or walks the primary key testing each row's vector
// (a rare word: the whole table). So every vector also holds its id's buckets (`|a<id >> 8>` …
// `|d<id >> 17>`, migration 0010_search_buckets), and the query is ANDed with one bucket at a
// time, newest first: GIN scans the smaller side and skips through the other, so a probe costs
// the bucket's ids or the query's matches, whichever is fewer. The buckets are disjoint and cover
// every stored id; each probe is `growth` to twice `growth` times as large as all before it
// together (`bucketProbes`, PROBE_GROWTH), so a query stops within 1 + 2 × growth times the ids it
// needed, small buckets for a common word, large ones for a rare one.
//
// One statement: a LATERAL subquery probes the buckets in order and the outer LIMIT stops the
// nested loop at `limit` rows, so the buckets past the one that fills the window are never read.
// It is planned once, however many buckets it probes. A phrase (GIN keeps no positions) is tested
// on each bucket's candidates by the index scan's recheck, an author's place in the vector by a
// filter, in the same scan. The query and the bucket are one tsquery: as two conditions, the
// query's own would read its whole posting lists again for every bucket.

const LEVELS = [
  { prefix: 'a', shift: 8 },
  { prefix: 'b', shift: 11 },
  { prefix: 'c', shift: 14 },
  { prefix: 'd', shift: 17 },
] as const;

/**
 * How many ids a probe covers at least, as a share of all the probes before it (bucketProbes).
 * The probe that fills the window reads every match in it, so a common word's window reads about
 * g / ln(1 + g) times the rows it keeps on average (1.23 at 0.5, 1.44 at 1) and at most 1 + 2g
 * times, for more probes (18 instead of 11 over 1M ids). Each probe is an index scan that costs what the
 * query's words cost (GIN skips through their posting lists), so a walk that finds few matches
 * and reads every probe pays for more of them. At 100k papers, in server CPU: the window of a
 * common word 15 → 10 ms, of a word found once 0.9 → 1.1 ms; the title walk of `find in-context`
 * (26 titles) 5.1 → 6.1 ms. So the search window, which mostly fills, takes the finer probes, and
 * the known-item title walks, which mostly find few, keep probes as wide as all before them.
 */
export const PROBE_GROWTH = { window: 0.5, sparse: 1 } as const;

type NewestMatchesQuery = {
  column: 'search_vector' | 'title_vector';
  /** The tsquery every match satisfies (the index finds its candidates, and tests phrases on them). */
  match: SQL;
  /**
   * For a query with phrases (search_vector only): what paperboy_search_keys must hold for a
   * match (CompiledTsQuery.keys). The search keys index then finds the candidates, and `match` is
   * a filter on them.
   */
  keys?: SQL | null;
  /** What a match must also satisfy that the index cannot tell, on papers aliased `p`; null if nothing. */
  filter: SQL | null;
  limit: number;
  /** Each probe's width as a share of all before it (PROBE_GROWTH): `window` when the window mostly fills. */
  growth: number;
  /** The smallest and largest stored ids, when the caller has read them already. */
  range?: IdRange;
};

export type IdRange = { lo: number | null; hi: number | null };

/** The smallest and largest stored ids (nulls when there is no paper). */
export async function readIdRange(db: PgDb): Promise<IdRange> {
  const [range] = await queryRows<IdRange>(db, sql`SELECT (SELECT min(id) FROM papers) AS lo, (SELECT max(id) FROM papers) AS hi`);
  return range ?? { lo: null, hi: null };
}

/** Ids as one bound array parameter (they come from the database: integers only). */
export const idArray = (ids: number[]): SQL => sql`${`{${ids.join(',')}}`}::int[]`;

// Probes hold only bucket lexemes (letters, digits, `|`, `-`), quotes and spaces: safe inside an array literal's double quotes.
const textArray = (items: string[]): string => `{${items.map((item) => `"${item}"`).join(',')}}`;

/**
 * The probes covering ids `lo`…`hi`, newest first, each a tsquery OR of disjoint buckets: the
 * finest bucket holding `hi`, then below it each time the coarsest bucket that ends there and is no
 * larger than `growth` × the ids of all probes before; a probe takes buckets until it covers
 * that many, so it covers at most twice that (fitting it exactly would take many finer buckets).
 */
export function bucketProbes(lo: number, hi: number, growth: number): string[] {
  const finest = LEVELS[0];
  const probes: string[] = [];
  let probe: string[] = [];
  let top = hi;
  let before = 0;
  while (top >= lo) {
    const widest = Math.max(growth * before, 2 ** finest.shift);
    const { prefix, shift } = LEVELS.findLast(({ shift }) => (top + 1) % 2 ** shift === 0 && 2 ** shift <= widest) ?? finest;
    // The bucket of `top` (paperboy_id_buckets' `id >> shift`, a floor also below zero).
    const bucket = Math.floor(top / 2 ** shift);
    probe.push(`'|${prefix}${bucket}'`);
    top = bucket * 2 ** shift - 1;
    if (hi - top - before >= Math.max(growth * before, 2 ** finest.shift)) {
      probes.push(probe.join(' | '));
      probe = [];
      before = hi - top;
    }
  }
  if (probe.length > 0) probes.push(probe.join(' | '));
  return probes;
}

/** The ids of the `limit` newest matching papers, newest first (all of them when fewer match). */
export async function newestMatches(db: PgDb, query: NewestMatchesQuery): Promise<number[]> {
  return (await newestMatchRows<{ id: number }>(db, query, null)).map((row) => row.id);
}

/**
 * The `limit` newest matching papers, newest first, each with `columns` (a select list on papers
 * aliased `p`, or null for the id alone), computed while the row is read to find the match.
 */
export async function newestMatchRows<T extends { id: number }>(db: PgDb, query: NewestMatchesQuery, columns: SQL | null): Promise<T[]> {
  const range = query.range ?? (await readIdRange(db));
  if (range.lo === null || range.hi === null || query.limit < 1) return [];
  const vector = sql.raw(`p.${query.column}`);
  const filter = query.filter === null ? sql`` : sql` AND ${query.filter}`;
  // ts_match_vq is `@@` in a form the planner does not take to search_vector's index.
  const candidates = query.keys
    ? sql`paperboy_search_keys(${vector}) @@ (${query.keys} && b.buckets::tsquery) AND ts_match_vq(${vector}, ${query.match})`
    : sql`${vector} @@ (${query.match} && b.buckets::tsquery)`;
  const select = columns === null ? sql`p.id` : sql`p.id, ${columns}`;
  // `OFFSET 0` computes the columns as each candidate is read, and the probe's sort carries them
  // alone. Without it the planner puts costly columns (a score) above the sort, to compute them
  // only for the rows the LIMIT keeps, and the sort then carries every candidate's whole vector
  // for them: twice the cost of scoring every candidate. It also keeps the planner from walking
  // the primary key for the ORDER BY.
  return queryRows<T>(
    db,
    sql`SELECT w.* FROM unnest(${textArray(bucketProbes(range.lo, range.hi, query.growth))}::text[]) AS b(buckets)
        CROSS JOIN LATERAL (SELECT c.* FROM (SELECT ${select} FROM papers p WHERE ${candidates}${filter} OFFSET 0) AS c
                            ORDER BY c.id DESC LIMIT ${query.limit}) AS w
        LIMIT ${query.limit}`,
  );
}
