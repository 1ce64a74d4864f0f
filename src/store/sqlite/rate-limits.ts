import { desc, gte } from 'drizzle-orm';
import type { RateLimitWait } from '../store.ts';
import type { Db } from './open-db.ts';
import { rateLimitEvents } from './schema.ts';

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
