/** First retry waits up to 2 s; the window doubles per attempt. */
const BACKOFF_BASE_MS = 2_000;
/** No wait is longer than 10 minutes. */
const BACKOFF_CAP_MS = 10 * 60_000;
/** After this many tries a delivery is marked failed (about 4 minutes of waiting at most before the cap). */
export const MAX_ATTEMPTS = 8;

/**
 * Delay before the next try after `attempts` tries: "full jitter" (uniform in [0, window]),
 * which spreads a burst of failures instead of retrying them in lockstep.
 */
function backoffDelay(attempts: number, random: () => number = Math.random): number {
  const window = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(random() * window);
}

/**
 * When to try again: the platform's Retry-After when it gave one (never earlier), else backoff.
 * A floor of 250 ms keeps a zero jitter draw from becoming a hot loop.
 */
export function nextAttemptDelay(attempts: number, retryAfterMs: number | undefined, random: () => number = Math.random): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0) return Math.max(retryAfterMs, 250);
  return Math.max(backoffDelay(attempts, random), 250);
}
