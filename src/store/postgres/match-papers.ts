import { sql } from 'drizzle-orm';
import { isEmptyQuery, type Query } from '../../search/parse-query.ts';
import { queryRows, type PgDb } from './pg-db.ts';
import { compileTsquery, whereOf } from './tsquery.ts';

/**
 * The ids among `paperIds` (a digest's day, a few hundred at most) that match `query`, through
 * the one query compiler. The full-text test runs on those rows only (primary-key lookups).
 */
export async function paperIdsMatching(db: PgDb, query: Query, paperIds: number[]): Promise<Set<number>> {
  const where = whereOf(compileTsquery(query));
  const matched = new Set<number>();
  for (let i = 0; i < paperIds.length; i += 1000) {
    const ids = sql.join(
      paperIds.slice(i, i + 1000).map((id) => sql`${id}`),
      sql`, `,
    );
    const rows = await queryRows<{ id: number }>(db, sql`SELECT p.id FROM papers p WHERE p.id IN (${ids}) AND ${where}`);
    for (const { id } of rows) matched.add(id);
  }
  return matched;
}

/**
 * Papers matching `query` whose latest feed day is on or after `sinceFeedDate` (the watch
 * preview, "would have matched N papers in the last 30 days"). Exact; the feed-day index bounds
 * the rows tested to those listed since that day.
 */
export async function countMatches(db: PgDb, query: Query, sinceFeedDate: string): Promise<number> {
  if (isEmptyQuery(query)) return 0;
  const since = query.since !== undefined && query.since > sinceFeedDate ? query.since : sinceFeedDate;
  const where = whereOf(compileTsquery({ ...query, since }));
  const [row] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM papers p WHERE p.latest_feed_date >= ${since} AND ${where}`);
  return row?.n ?? 0;
}
