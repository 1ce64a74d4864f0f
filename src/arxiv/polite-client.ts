import type { Deps } from '../deps.ts';
import { classify, PermanentError, TransientError } from '../errors.ts';
import { serverWaitMs } from '../feed/http-get.ts';
import { layerLog } from '../log.ts';

// Every request paperboy makes to arXiv goes through here. arXiv's terms of use ask for at most one
// request every 3 seconds from a client, one connection at a time, and a User-Agent that says who
// is asking. The gate is process-wide (one module-level instance): the RSS poll, a single-paper
// lookup and a backfill queue behind each other. Tests pass their own gate with a shorter spacing.

export const ARXIV_SPACING_MS = 3_000;
const ARXIV_USER_AGENT = 'paperboy/0.1 (self-hosted research-paper bot for Discord and Slack; arXiv RSS + API reader)';

export type ArxivGate = {
  /**
   * Runs `work` when every earlier request has finished and `spacingMs` has passed since the last
   * one finished: measured from the end, so however slow a request was to arrive, arXiv never sees
   * two closer than `spacingMs`.
   */
  run<T>(work: () => Promise<T>): Promise<T>;
};

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createArxivGate(options: { spacingMs: number; now?: () => number; sleep?: (ms: number) => Promise<void> }): ArxivGate {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  let chain: Promise<unknown> = Promise.resolve();
  let lastEnd = Number.NEGATIVE_INFINITY;
  return {
    run<T>(work: () => Promise<T>): Promise<T> {
      const turn = chain.then(async () => {
        const wait = lastEnd + options.spacingMs - now();
        if (wait > 0) await sleep(wait);
        try {
          return await work();
        } finally {
          lastEnd = now();
        }
      });
      chain = turn.catch(() => undefined);
      return turn;
    },
  };
}

/** The one gate of this process. */
const processArxivGate = createArxivGate({ spacingMs: ARXIV_SPACING_MS });

type ArxivResponse = { status: number; contentType: string | null; body: string };

type ArxivGetOptions = {
  gate?: ArxivGate;
  /** Per request, headers and body together (a stalled connection ends here). */
  timeoutMs: number;
  /** Extra attempts after 429/503 (waiting what Retry-After says), other 5xx and network errors. */
  retries?: number;
  /** A Retry-After longer than this is not waited out: the poll fails and the next one retries. */
  maxRetryAfterMs?: number;
  sleep?: (ms: number) => Promise<void>;
};

const describe = (err: unknown) => (err instanceof Error ? (err.name === 'TimeoutError' ? 'timed out (stalled connection)' : err.message) : String(err));

/**
 * GETs `url` from arXiv through the gate and returns status and body as they are (callers decide
 * what a 400 means). Throws TransientError when arXiv could not be reached or kept refusing.
 */
export async function getFromArxiv(deps: Pick<Deps, 'fetch' | 'store' | 'clock' | 'log'>, url: string, options: ArxivGetOptions): Promise<ArxivResponse> {
  const gate = options.gate ?? processArxivGate;
  const sleep = options.sleep ?? realSleep;
  const retries = options.retries ?? 2;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 120_000;
  const log = layerLog(deps.log, 'arxiv-http');
  for (let attempt = 0; ; attempt += 1) {
    let response: ArxivResponse & { headers: Headers };
    try {
      response = await gate.run(async () => {
        const res = await deps.fetch(url, { headers: { 'user-agent': ARXIV_USER_AGENT }, signal: AbortSignal.timeout(options.timeoutMs) });
        return { status: res.status, contentType: res.headers.get('content-type'), headers: res.headers, body: await res.text() };
      });
    } catch (err) {
      if (classify(err) !== 'transient') throw new PermanentError(`GET ${url} cannot work: ${describe(err)}`, { cause: err });
      if (attempt >= retries) throw new TransientError(`GET ${url} failed after ${attempt + 1} attempts: ${describe(err)}`, { cause: err });
      log.warn({ url, attempt, reason: describe(err) }, 'arXiv request failed; retrying');
      continue;
    }
    const { status } = response;
    if (status === 429 || status === 503) {
      const waitMs = serverWaitMs(response.headers, deps.clock.now()) ?? ARXIV_SPACING_MS * 2 ** attempt;
      await deps.store.recordRateLimitWait({ source: 'arxiv', route: new URL(url).pathname, waitMs, at: deps.clock.now() });
      if (attempt >= retries || waitMs > maxRetryAfterMs) {
        throw new TransientError(`GET ${url}: arXiv asked us to wait (HTTP ${status}, retry in ${Math.ceil(waitMs / 1000)} s)`, { retryAfterMs: waitMs });
      }
      log.warn({ url, attempt, status, waitMs }, 'arXiv asked us to wait');
      await sleep(waitMs);
      continue;
    }
    if (status >= 500) {
      if (attempt >= retries) throw new TransientError(`GET ${url} failed after ${attempt + 1} attempts: HTTP ${status}`);
      continue;
    }
    return { status, contentType: response.contentType, body: response.body };
  }
}
