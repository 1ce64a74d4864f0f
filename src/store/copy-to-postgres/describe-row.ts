import type Database from 'better-sqlite3';

// A row named as the people who use paperboy know it (a paper by its arXiv id, a watch by its
// user and query), for the message that refuses a target: never a bare internal id such as
// `papers id=-4`, which says nothing to whoever runs the copy.

type Row = Record<string, unknown>;

const text = (value: unknown) => String(value);

/** What one row of each table is, given its key and identity columns; a table not listed here is named by its own words. */
const described: Record<string, (row: Row, arxiv: (paperId: unknown) => string) => string> = {
  papers: (row) => `paper arXiv ${text(row.arxiv_id)}`,
  watches: (row) => `a watch \`${text(row.query_key)}\` of ${text(row.platform)} user ${text(row.user_id)}`,
  users: (row) => `${text(row.platform)} user ${text(row.user_id)}`,
  channel_digests: (row) => `the digest of ${text(row.platform)} channel ${text(row.channel_id)}`,
  deliveries: (row) => `a message in the outbox (${text(row.idempotency_key)})`,
  ingest_runs: (row) => `a feed fetch of ${text(row.feed_date)}`,
  rate_limit_events: (row) => `a rate-limit wait on ${text(row.source)}`,
  meta: (row) => `the setting ${text(row.key)}`,
  paper_days: (row, arxiv) => `${arxiv(row.paper_id)} on the feed of ${text(row.feed_date)}`,
  saved_papers: (row, arxiv) => `${arxiv(row.paper_id)} saved by ${text(row.platform)} user ${text(row.user_id)}`,
  alerted_papers: (row, arxiv) => `an alert about ${arxiv(row.paper_id)} to ${text(row.platform)} user ${text(row.user_id)}`,
  artifact_alerts: (row, arxiv) => `an alert about code or models of ${arxiv(row.paper_id)} to ${text(row.platform)} user ${text(row.user_id)}`,
  arxiv_listings: (row, arxiv) => `${arxiv(row.paper_id)} in arXiv's announcement of ${text(row.announcement)}`,
  upvote_snapshots: (row, arxiv) => `an upvote count of ${arxiv(row.paper_id)}`,
};

/**
 * `paper arXiv 2410.17243`, `a watch \`diffusion\` of discord user 42`. `source` names a paper the
 * row refers to by its arXiv id: papers are checked first, so a paper id the target shares with
 * the source is the same paper.
 */
export function describeRow(source: Database.Database, table: string, row: Row): string {
  const arxiv = (paperId: unknown) => {
    const id = source.prepare('SELECT arxiv_id FROM papers WHERE id = ?').pluck().get(paperId);
    return typeof id === 'string' ? `paper arXiv ${id}` : 'a paper the source does not have';
  };
  return described[table]?.(row, arxiv) ?? `a row of ${table.replaceAll('_', ' ')}`;
}
