import type { PaperRow, UpvoteSnapshot } from '../store/store.ts';
import { WINDOW_HOURS, windowMs, type TrendingWindow } from './windows.ts';

// Upvote velocity, the one formula of trending, `today sort:rising` and a digest's `sort=rising`
// (README "Trending"). For a paper and a window of W hours ending now:
//   gain     = upvotes now − upvotes at the window's start (baseline)
//   observed = hours from max(window start, the paper's start) to now, at least 1
//   score    = (gain / observed) × 2^(−age / W)
// The baseline is the newest snapshot at or before the window's start; a paper that appeared
// inside the window starts from 0 (its upvotes were all gained in it); a paper older than the
// window with no snapshot before it (stored by a backfill, or history pruned) starts from its
// first snapshot in the window, so upvotes we never saw it gain do not count. A paper's start is
// its first sighting or its feed day, whichever is earlier; its age is measured from there.

const HOUR_MS = 60 * 60 * 1000;

export type TrendingScore = { paperId: number; gain: number; perHour: number; score: number };

/** The paper's start: when we first saw it, or midnight (UTC) of its latest feed day if earlier (a backfilled old day). */
function startOf(paper: Pick<PaperRow, 'firstSeenAt' | 'latestFeedDate'>): number {
  const feedDay = Date.parse(`${paper.latestFeedDate}T00:00:00Z`);
  return Number.isFinite(feedDay) ? Math.min(paper.firstSeenAt, feedDay) : paper.firstSeenAt;
}

/** One paper's velocity from its snapshots (oldest first), or null when it gained nothing. */
function trendingScore(
  paper: Pick<PaperRow, 'id' | 'firstSeenAt' | 'latestFeedDate'>,
  history: UpvoteSnapshot[],
  window: TrendingWindow,
  now: number,
): TrendingScore | null {
  const last = history[history.length - 1];
  if (!last) return null;
  const from = now - windowMs(window);
  const start = startOf(paper);
  const before = [...history].reverse().find((snapshot) => snapshot.at <= from);
  const firstInside = history.find((snapshot) => snapshot.at > from);
  const baseline = before ? before.upvotes : start >= from ? 0 : (firstInside?.upvotes ?? last.upvotes);
  const gain = last.upvotes - baseline;
  if (gain <= 0) return null;
  const observedHours = Math.max(1, (now - Math.max(from, start)) / HOUR_MS);
  const perHour = gain / observedHours;
  const ageHours = Math.max(0, (now - start) / HOUR_MS);
  return { paperId: paper.id, gain, perHour, score: perHour * 2 ** (-ageHours / WINDOW_HOURS[window]) };
}

/** Papers that gained upvotes in the window, fastest first (ties: more gained, then newer paper). */
export function rankTrending(
  papers: Array<Pick<PaperRow, 'id' | 'firstSeenAt' | 'latestFeedDate'>>,
  history: UpvoteSnapshot[],
  window: TrendingWindow,
  now: number,
): TrendingScore[] {
  const byPaper = new Map<number, UpvoteSnapshot[]>();
  for (const snapshot of history) {
    const list = byPaper.get(snapshot.paperId) ?? [];
    list.push(snapshot);
    byPaper.set(snapshot.paperId, list);
  }
  const scores: TrendingScore[] = [];
  for (const paper of papers) {
    const score = trendingScore(paper, byPaper.get(paper.id) ?? [], window, now);
    if (score) scores.push(score);
  }
  return scores.sort((a, b) => b.score - a.score || b.gain - a.gain || b.paperId - a.paperId);
}
