// Per-user command budget: at most `limit` commands in any sliding `windowMs`. In memory on
// purpose: a restart forgiving everyone is harmless, and the check stays off the database.

export type RateLimiter = {
  /** Records a command at `now` (epoch ms) if the user still has budget; else says when it frees up. */
  take(key: string, now: number): { ok: true } | { ok: false; retryInMs: number };
};

export function createRateLimiter(limit: number, windowMs = 60_000): RateLimiter {
  const hits = new Map<string, number[]>();
  return {
    take(key, now) {
      const recent = (hits.get(key) ?? []).filter((at) => at > now - windowMs);
      if (recent.length >= limit) {
        hits.set(key, recent);
        const oldest = recent[0] ?? now;
        return { ok: false, retryInMs: Math.max(1000, oldest + windowMs - now) };
      }
      recent.push(now);
      hits.set(key, recent);
      // Keep memory bounded on a busy server: drop users idle for a whole window.
      if (hits.size > 10_000) {
        for (const [user, times] of hits) if ((times.at(-1) ?? 0) <= now - windowMs) hits.delete(user);
      }
      return { ok: true };
    },
  };
}
