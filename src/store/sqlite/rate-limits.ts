import { desc, gte } from 'drizzle-orm';
import type { Db } from './open-db.ts';
import { rateLimitEvents } from './schema.ts';

export type RateLimitWait = {
  /** Who made us wait: 'hf', 'discord', 'slack'. */
  source: string;
  /** The route or bucket, when known (e.g. '/api/daily_papers'). */
  route: string | null;
  waitMs: number;
  /** When the wait started, epoch ms. */
  at: number;
};

/** Records one rate-limit wait (for `/papers status` and the metrics gauge). */
export function recordRateLimitWait(db: Db, wait: { source: string; route?: string | null; waitMs: number; at: number }): void {
  db.insert(rateLimitEvents)
    .values({ source: wait.source, route: wait.route ?? null, waitMs: Math.max(0, Math.round(wait.waitMs)), at: wait.at })
    .run();
}

/** Waits recorded at or after `sinceMs`, newest first, at most `limit` (uses the `at` index). */
export function recentRateLimitWaits(db: Db, sinceMs: number, limit = 100): RateLimitWait[] {
  return db
    .select({ source: rateLimitEvents.source, route: rateLimitEvents.route, waitMs: rateLimitEvents.waitMs, at: rateLimitEvents.at })
    .from(rateLimitEvents)
    .where(gte(rateLimitEvents.at, sinceMs))
    .orderBy(desc(rateLimitEvents.at), desc(rateLimitEvents.id))
    .limit(limit)
    .all();
}
