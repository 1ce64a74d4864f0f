import { sql } from 'drizzle-orm';
import type { UpvoteSnapshot } from '../store.ts';
import { queryRows, type PgDb } from './pg-db.ts';

// Upvote history for trending (src/trending/): a row only when a paper's upvotes changed since its
// previous snapshot, so a quiet paper costs one row however often the feed is read.

/** Snapshots the day's changed papers and prunes old snapshots, in one transaction. */
export async function recordUpvoteSnapshots(db: PgDb, feedDate: string, now: number, pruneBefore: number): Promise<number> {
  return db.transaction(async (tx) => {
    const written = await queryRows<{ paper_id: number }>(
      tx,
      sql`INSERT INTO upvote_snapshots (paper_id, at, upvotes)
          SELECT p.id, ${now}::bigint, p.upvotes FROM papers p JOIN paper_days d ON d.paper_id = p.id AND d.feed_date = ${feedDate}
          WHERE p.upvotes IS DISTINCT FROM (SELECT s.upvotes FROM upvote_snapshots s WHERE s.paper_id = p.id ORDER BY s.at DESC LIMIT 1)
          ON CONFLICT DO NOTHING
          RETURNING paper_id`,
    );
    // Each paper keeps its newest snapshot before the cut: the baseline of the longest window.
    await tx.execute(
      sql`DELETE FROM upvote_snapshots u WHERE u.at < ${pruneBefore}::bigint AND u.at < (
            SELECT max(b.at) FROM upvote_snapshots b WHERE b.paper_id = u.paper_id AND b.at < ${pruneBefore}::bigint)`,
    );
    return written.length;
  });
}

/** Papers with a snapshot after `since` (or among `paperIds`): their snapshots from the newest at or before `since` on, oldest first. */
export async function upvoteHistory(db: PgDb, since: number, paperIds?: number[]): Promise<UpvoteSnapshot[]> {
  const candidates = paperIds
    ? sql`SELECT unnest(${`{${paperIds.join(',')}}`}::int[]) AS paper_id`
    : sql`SELECT DISTINCT paper_id FROM upvote_snapshots WHERE at > ${since}::bigint`;
  const rows = await queryRows<{ paperId: number; at: string | number; upvotes: number }>(
    db,
    sql`WITH candidates AS (${candidates})
        SELECT s.paper_id AS "paperId", s.at, s.upvotes FROM upvote_snapshots s JOIN candidates c ON c.paper_id = s.paper_id
        WHERE s.at >= coalesce((SELECT max(b.at) FROM upvote_snapshots b WHERE b.paper_id = s.paper_id AND b.at <= ${since}::bigint), 0)
        ORDER BY s.paper_id, s.at`,
  );
  return rows.map((row) => ({ paperId: Number(row.paperId), at: Number(row.at), upvotes: Number(row.upvotes) }));
}
