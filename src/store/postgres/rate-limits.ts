import { desc, gte } from 'drizzle-orm';
import type { RateLimitWait } from '../store.ts';
import type { PgDb } from './pg-db.ts';
import { pgText } from './pg-text.ts';
import { rateLimitEvents } from './schema.ts';

/** Records one rate-limit wait (for `/papers status` and the metrics gauge). */
export async function recordRateLimitWait(db: PgDb, wait: { source: string; route?: string | null; waitMs: number; at: number }): Promise<void> {
  await db.insert(rateLimitEvents).values({ source: wait.source, route: wait.route == null ? null : pgText(wait.route), waitMs: Math.max(0, Math.round(wait.waitMs)), at: wait.at });
}

/** Waits recorded at or after `sinceMs`, newest first, at most `limit` (uses the `at` index). */
export async function recentRateLimitWaits(db: PgDb, sinceMs: number, limit = 100): Promise<RateLimitWait[]> {
  return db
    .select({ source: rateLimitEvents.source, route: rateLimitEvents.route, waitMs: rateLimitEvents.waitMs, at: rateLimitEvents.at })
    .from(rateLimitEvents)
    .where(gte(rateLimitEvents.at, sinceMs))
    .orderBy(desc(rateLimitEvents.at), desc(rateLimitEvents.id))
    .limit(limit);
}
