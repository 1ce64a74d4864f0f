/**
 * Runs calls one at a time per key, each starting at least `intervalMs` after the previous one
 * finished, so a sender stays under a platform's rate limit instead of bursting into it and
 * waiting out 429s (Slack: about 1 message/s per channel). The gap counts from the previous call's
 * answer, not from when it was let through: a post that left late (a busy process, a socket
 * still writing the one before) reached the platform before its answer came back, so the next one
 * can never reach it closer than `intervalMs` after it. In memory: after a restart the first call
 * goes at once.
 */
export function createPacer(intervalMs: number) {
  // Per key: settles when the key's last call has finished and its gap has passed.
  const free = new Map<string, Promise<void>>();
  return function paced<T>(key: string, call: () => Promise<T>): Promise<T> {
    const result = (free.get(key) ?? Promise.resolve()).then(call);
    const gap = result.then(settled, settled).then(() => new Promise<void>((resolve) => setTimeout(resolve, intervalMs)));
    free.set(key, gap);
    // An idle key is forgotten, so the map holds only keys with a call or a gap under way.
    void gap.then(() => {
      if (free.get(key) === gap) free.delete(key);
    });
    return result;
  };
}

const settled = () => undefined;

/**
 * At most `limit` calls in any `windowMs` (a sliding window, as Discord counts its global limit),
 * started at least `spacingMs` apart and one at a time in call order. A call starts only once the
 * call `limit` places before it has finished and `windowMs` has passed since: that call reached
 * the platform before its answer came back, so the two cannot reach it within one window however
 * late a request left (a busy process, the HTTP client's own queue). Timing from when calls were
 * let through instead drew 429s on a machine whose requests left late by more than the margin.
 */
export function createRateWindow(options: { limit: number; windowMs: number; spacingMs: number }, now: () => number = Date.now) {
  const { limit, windowMs, spacingMs } = options;
  // By call number: settles with the time the call's answer (or error) came back. Only the last
  // `limit` are kept.
  const finished = new Map<number, Promise<number>>();
  let calls = 0;
  let lastStart = Number.NEGATIVE_INFINITY;
  let tail: Promise<unknown> = Promise.resolve();
  const start = async (n: number) => {
    const before = finished.get(n - limit);
    finished.delete(n - limit);
    const windowFrom = before === undefined ? Number.NEGATIVE_INFINITY : (await before) + windowMs;
    // Bounded: each pass sleeps until the earliest allowed start, and timers never fire early by more than a tick.
    for (let pass = 0; pass < 100; pass += 1) {
      const earliest = Math.max(lastStart + spacingMs, windowFrom);
      if (now() >= earliest) break;
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, earliest - now())));
    }
    lastStart = now();
  };
  return function paced<T>(call: () => Promise<T>): Promise<T> {
    const n = calls;
    calls += 1;
    const turn = tail.then(() => start(n));
    tail = turn;
    const result = turn.then(call);
    finished.set(n, result.then(now, now));
    return result;
  };
}
