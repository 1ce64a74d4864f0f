/**
 * About how many papers match a broad query, from the id of its (window + 1)-th newest match:
 * window + 1 matches among the ids from there to the newest, that share extrapolated to every id.
 * Ids grow with insertion, so this assumes older papers match as often as newer ones; it is
 * shown as "about", and costs two index lookups where counting would read every match.
 */
export function estimateMatches(window: number, oldestInWindow: number, ids: { min: number; max: number }): number {
  const share = (window + 1) / Math.max(1, ids.max - oldestInWindow + 1);
  return Math.max(window + 1, Math.round(share * (ids.max - ids.min + 1)));
}
