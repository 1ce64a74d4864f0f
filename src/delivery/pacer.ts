/**
 * Spaces calls at least `intervalMs` apart per key, so a sender stays under a platform's rate
 * limit instead of bursting into it and waiting out 429s (Discord: 50 requests/s for the bot;
 * Slack: about 1 message/s per channel). In memory: after a restart the first call goes at once.
 */
export function createPacer(intervalMs: number, now: () => number = Date.now) {
  const next = new Map<string, number>();
  return async function pace(key = ''): Promise<void> {
    const at = now();
    const slot = Math.max(at, next.get(key) ?? 0);
    next.set(key, slot + intervalMs);
    if (next.size > 10_000) {
      for (const [k, free] of next) if (free <= at) next.delete(k);
    }
    if (slot > at) await new Promise((resolve) => setTimeout(resolve, slot - at));
  };
}
