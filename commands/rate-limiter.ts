import type { Store } from '../src/store/store.ts';

// Per-user command budget: at most `limit` commands in any sliding `windowMs`. The hits live in
// the database (command_hits), so a user whose commands reach two replicas meets one limit.

export type RateLimiter = {
  /** Records a command at `now` (epoch ms) if the user still has budget; else says when it frees up. */
  take(key: string, now: number): Promise<{ ok: true } | { ok: false; retryInMs: number }>;
};

/** Hits of users idle for a whole window are deleted at most this often, by each replica. */
const PRUNE_EVERY_MS = 60_000;

export function createRateLimiter(store: Pick<Store, 'takeCommandSlot' | 'pruneCommandHits'>, limit: number, windowMs = 60_000): RateLimiter {
  let prunedAt: number | null = null;
  return {
    async take(key, now) {
      if (prunedAt === null || now - prunedAt >= PRUNE_EVERY_MS) {
        prunedAt = now;
        await store.pruneCommandHits(now - windowMs);
      }
      const slot = await store.takeCommandSlot(key, now, { limit, windowMs });
      if (slot.taken) return { ok: true };
      return { ok: false, retryInMs: Math.max(1000, slot.oldestAt + windowMs - now) };
    },
  };
}
