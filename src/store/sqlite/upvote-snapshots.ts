import type { UpvoteSnapshot } from '../store.ts';
import type { Db } from './open-db.ts';

// Upvote history for trending (src/trending/): a row only when a paper's upvotes changed since its
// previous snapshot, so a quiet paper costs one row however often the feed is read.

/** Snapshots the day's changed papers and prunes old snapshots, in one transaction. */
export function recordUpvoteSnapshots(db: Db, feedDate: string, now: number, pruneBefore: number): number {
  const sqlite = db.$client;
  return sqlite.transaction(() => {
    const written = sqlite
      .prepare(
        `INSERT OR IGNORE INTO upvote_snapshots (paper_id, at, upvotes)
         SELECT p.id, ?, p.upvotes FROM papers p JOIN paper_days d ON d.paper_id = p.id AND d.feed_date = ?
         WHERE p.upvotes IS NOT (SELECT s.upvotes FROM upvote_snapshots s WHERE s.paper_id = p.id ORDER BY s.at DESC LIMIT 1)`,
      )
      .run(now, feedDate).changes;
    // Each paper keeps its newest snapshot before the cut: the baseline of the longest window.
    sqlite
      .prepare(
        `DELETE FROM upvote_snapshots WHERE at < ? AND at < (
           SELECT max(b.at) FROM upvote_snapshots b WHERE b.paper_id = upvote_snapshots.paper_id AND b.at < ?)`,
      )
      .run(pruneBefore, pruneBefore);
    return written;
  })();
}

/** Papers with a snapshot after `since` (or among `paperIds`): their snapshots from the newest at or before `since` on, oldest first. */
export function upvoteHistory(db: Db, since: number, paperIds?: number[]): UpvoteSnapshot[] {
  const sqlite = db.$client;
  const papers = paperIds ? 'SELECT value AS paper_id FROM json_each(@paper_ids)' : 'SELECT DISTINCT paper_id FROM upvote_snapshots WHERE at > @since';
  return sqlite
    .prepare<{ since: number; paper_ids?: string }, UpvoteSnapshot>(
      `WITH candidates AS (${papers})
       SELECT s.paper_id AS paperId, s.at, s.upvotes FROM upvote_snapshots s JOIN candidates c ON c.paper_id = s.paper_id
       WHERE s.at >= coalesce((SELECT max(b.at) FROM upvote_snapshots b WHERE b.paper_id = s.paper_id AND b.at <= @since), 0)
       ORDER BY s.paper_id, s.at`,
    )
    .all(paperIds ? { since, paper_ids: JSON.stringify(paperIds) } : { since });
}
