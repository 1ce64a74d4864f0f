/**
 * papers.latest_feed_date of a paper fetched on demand (`/papers paper`) that no feed day listed:
 * a valid date before every feed day, so it sorts last, never matches `since` filters or a
 * digest's day, and ranks as old. Not earlier: the recency factor 2^(-age/90) must stay a normal
 * double (PostgreSQL raises on underflow). Such papers have no paper_days row and are never alerted.
 */
export const NO_FEED_DAY = '1900-01-01';
