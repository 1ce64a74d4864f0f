/**
 * Spaces calls at least `intervalMs` apart per key, so a sender stays under a platform's rate
 * limit instead of bursting into it and waiting out 429s (Slack: about 1 message/s per channel).
 * The gap counts from when a call was let through, not from when it was planned: a timer that
 * fires late (a busy process) must not let the next call out early, or two posts reach the
 * platform closer than allowed. In memory: after a restart the first call goes at once.
 */
export function createPacer(intervalMs: number, now: () => number = Date.now) {
  const free = new Map<string, number>();
  return async function pace(key = ''): Promise<void> {
    // Bounded: each pass sleeps until the key is free; callers woken together go one per pass.
    for (let pass = 0; pass < 1_000; pass += 1) {
      const at = now();
      const slot = free.get(key) ?? 0;
      if (slot <= at) break;
      await new Promise((resolve) => setTimeout(resolve, slot - at));
    }
    const at = now();
    free.set(key, at + intervalMs);
    if (free.size > 10_000) {
      for (const [k, until] of free) if (until <= at) free.delete(k);
    }
  };
}

/**
 * At most `limit` calls in any `windowMs` (a sliding window, as Discord counts its global limit),
 * at least `spacingMs` apart. Times are taken when a call is let through, not when it was planned,
 * so a late timer or a slow first request never lets two windows' worth out together. Callers are
 * let through one at a time, in call order.
 */
export function createRateWindow(options: { limit: number; windowMs: number; spacingMs: number }, now: () => number = Date.now) {
  const { limit, windowMs, spacingMs } = options;
  // The last `limit` release times, oldest first.
  const released: number[] = [];
  let tail: Promise<void> = Promise.resolve();
  const earliest = () => {
    const last = released.at(-1);
    const oldest = released.length >= limit ? released[released.length - limit] : undefined;
    return Math.max(last === undefined ? 0 : last + spacingMs, oldest === undefined ? 0 : oldest + windowMs);
  };
  const release = async () => {
    // Bounded: each pass sleeps until `earliest`, and timers never fire early by more than a tick.
    for (let pass = 0; pass < 100 && now() < earliest(); pass += 1) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, earliest() - now())));
    }
    released.push(now());
    if (released.length > limit) released.shift();
  };
  return function acquire(): Promise<void> {
    tail = tail.then(release);
    return tail;
  };
}
