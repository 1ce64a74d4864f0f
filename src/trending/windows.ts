// The trending windows users pick (`/papers trending window:…`) and how long upvote history is kept.

const HOUR_MS = 60 * 60 * 1000;

export const TRENDING_WINDOWS = ['day', 'week', 'month'] as const;
export type TrendingWindow = (typeof TRENDING_WINDOWS)[number];

export const WINDOW_HOURS: Record<TrendingWindow, number> = { day: 24, week: 7 * 24, month: 30 * 24 };

export function windowMs(window: TrendingWindow): number {
  return WINDOW_HOURS[window] * HOUR_MS;
}

/**
 * Snapshots older than this are pruned (each paper keeps its newest one before the cut as the
 * baseline): a day past the longest window, so a month's ranking always has its baseline.
 */
export const SNAPSHOT_RETENTION_MS = windowMs('month') + 24 * HOUR_MS;
