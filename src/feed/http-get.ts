import type { Deps } from '../deps.ts';
import { classify, classifyStatus, PermanentError, TransientError } from '../errors.ts';
import { layerLog } from '../log.ts';
import { INTERRUPTED_RUN } from '../store/store.ts';
import { sleepUnlessAborted, type HfPriority, type RequestBudget } from './hf-budget.ts';

export type GetJsonOptions = {
  /** rate_limit_events.source, e.g. 'hf'. */
  source: string;
  /** rate_limit_events.route; defaults to the URL's path. */
  route?: string;
  /** Per attempt, covering headers and body. */
  timeoutMs: number;
  /** Extra attempts after the first, on network errors, timeouts, 5xx and 429. */
  retries: number;
  headers?: Record<string, string>;
  /** Backoff before retry n is uniform in [0, min(maxMs, baseMs · 2^n)] ("full jitter"). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** A 429 asking for a longer wait is not waited out here: we give up and let the next run retry. */
  maxRateLimitWaitMs?: number;
  /** Every attempt takes a slot of this budget first (Hugging Face: hfBudget). */
  budget?: RequestBudget;
  /** Default 'foreground'; the archive backfill is 'background'. */
  priority?: HfPriority;
  /** Aborting ends every wait and the request in flight: getJson throws TransientError(INTERRUPTED_RUN). */
  signal?: AbortSignal;
  /** Injected so tests can run the retry paths without real waiting. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
};

/** A 4xx other than 408/425/429: retrying will not help. `status` lets callers map e.g. 400. */
export class HttpStatusError extends PermanentError {
  constructor(
    readonly status: number,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, { ...options, reason: `http_${status}` });
    this.name = 'HttpStatusError';
  }
}

/** Seconds the server asked us to wait: `Retry-After` (seconds or HTTP date) or `RateLimit: …;t=N`. */
export function serverWaitMs(headers: Headers, nowMs: number): number | null {
  const waits: number[] = [];
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) waits.push(Number(retryAfter) * 1000);
    else {
      const at = Date.parse(retryAfter);
      if (Number.isFinite(at)) waits.push(Math.max(0, at - nowMs));
    }
  }
  // HF: `RateLimit: "api";r=0;t=55` (IETF draft): t = seconds until the window resets.
  const t = /(?:^|;)\s*t=(\d+)/.exec(headers.get('ratelimit') ?? '');
  if (t?.[1]) waits.push(Number(t[1]) * 1000);
  return waits.length > 0 ? Math.max(...waits) : null;
}

function snippet(body: string): string {
  return body.replace(/\s+/g, ' ').trim().slice(0, 120);
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${err.name === 'TimeoutError' ? 'timed out' : err.message}${cause}`;
}

/**
 * GETs `url` and parses its JSON body. Retries network errors, timeouts, 5xx and 429 (honouring
 * Retry-After / RateLimit t=, recorded in rate_limit_events) up to `retries` times.
 * Throws TransientError (retries exhausted, body not JSON), HttpStatusError (other 4xx) or
 * PermanentError (a request that can never work, e.g. a malformed URL).
 */
export async function getJson(deps: Pick<Deps, 'fetch' | 'log' | 'store' | 'clock'>, url: string, options: GetJsonOptions): Promise<unknown> {
  const signal = options.signal;
  const sleep = options.sleep ?? ((ms: number) => sleepUnlessAborted(ms, signal));
  const pause = async (ms: number) => {
    try {
      await sleep(ms);
    } catch (err) {
      throw new TransientError(INTERRUPTED_RUN, { cause: err });
    }
  };
  const random = options.random ?? Math.random;
  const baseMs = options.backoffBaseMs ?? 500;
  const maxMs = options.backoffMaxMs ?? 30_000;
  const maxRateLimitWaitMs = options.maxRateLimitWaitMs ?? 60_000;
  const route = options.route ?? new URL(url).pathname;
  const log = layerLog(deps.log, 'http', { source: options.source });
  const backoff = (attempt: number) => Math.round(random() * Math.min(maxMs, baseMs * 2 ** attempt));

  for (let attempt = 0; ; attempt += 1) {
    const canRetry = attempt < options.retries;
    let status: number;
    let headers: Headers;
    let body: string;
    try {
      await options.budget?.acquire(options.priority ?? 'foreground', signal);
    } catch (err) {
      throw new TransientError(INTERRUPTED_RUN, { cause: err });
    }
    try {
      const timeout = AbortSignal.timeout(options.timeoutMs);
      const response = await deps.fetch(url, {
        headers: { accept: 'application/json', 'user-agent': 'paperboy', ...options.headers },
        signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
      });
      status = response.status;
      headers = response.headers;
      body = await response.text();
    } catch (err) {
      if (signal?.aborted) throw new TransientError(INTERRUPTED_RUN, { cause: err });
      if (classify(err) !== 'transient') throw new PermanentError(`GET ${url} cannot work: ${describe(err)}`, { cause: err });
      if (!canRetry) throw new TransientError(`GET ${url} failed after ${attempt + 1} attempts: ${describe(err)}`, { cause: err });
      const waitMs = backoff(attempt);
      log.warn({ url, attempt, waitMs, reason: describe(err) }, 'request failed; retrying');
      await pause(waitMs);
      continue;
    }

    if (status >= 200 && status < 300) {
      try {
        return JSON.parse(body);
      } catch (err) {
        // A 200 with an HTML error page or a truncated body: the next scheduled run will try again.
        throw new TransientError(`GET ${url} did not return JSON (${headers.get('content-type') ?? 'no content-type'}): "${snippet(body)}"`, {
          cause: err,
        });
      }
    }

    if (status === 429) {
      const waitMs = serverWaitMs(headers, deps.clock.now()) ?? backoff(attempt);
      await deps.store.recordRateLimitWait({ source: options.source, route, waitMs, at: deps.clock.now() });
      // The whole process is over the limit, not just this request: the backfill holds off too.
      options.budget?.pauseBackground(Date.now() + waitMs);
      if (!canRetry || waitMs > maxRateLimitWaitMs) {
        throw new TransientError(`GET ${url} was rate limited (HTTP 429, retry in ${Math.ceil(waitMs / 1000)} s)`, { retryAfterMs: waitMs });
      }
      log.warn({ url, attempt, waitMs }, 'rate limited; waiting');
      await pause(waitMs);
      continue;
    }

    if (classifyStatus(status) === 'transient') {
      if (!canRetry) throw new TransientError(`GET ${url} failed after ${attempt + 1} attempts: HTTP ${status} "${snippet(body)}"`);
      const waitMs = backoff(attempt);
      log.warn({ url, attempt, status, waitMs }, 'server error; retrying');
      await pause(waitMs);
      continue;
    }

    throw new HttpStatusError(status, `GET ${url} was refused: HTTP ${status} "${snippet(body)}"`);
  }
}
