import type { Config } from '../config.ts';

// Every request this process sends to Hugging Face (the cron ingest, commands, the archive
// backfill) takes a slot from one budget: at most HF_MAX_REQUESTS_PER_MINUTE request starts in
// any 60-second window. Two priorities share it:
// - 'foreground' (the regular ingest, commands) is served first and may use the whole budget;
// - 'background' (the archive backfill) waits while any foreground request waits, stays out of the
//   last `reserve` slots of the window so that a foreground request finds one free at once, and
//   stays paused while Hugging Face asked us to wait (429, RateLimit t=).

export type HfPriority = 'foreground' | 'background';

export type RequestBudget = {
  /** Resolves when a request may start now (its slot is taken); rejects with `signal`'s reason once it is aborted. */
  acquire(priority: HfPriority, signal?: AbortSignal): Promise<void>;
  /** Hugging Face asked for a pause (429): background requests hold off until then. */
  pauseBackground(untilMs: number): void;
  /** Requests started in the last minute (status, tests). */
  inLastMinute(): number;
};

export const WINDOW_MS = 60_000;

type BudgetOptions = {
  perMinute: number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
};

/** setTimeout as a promise that rejects with the signal's reason when aborted. */
export function sleepUnlessAborted(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Slots a background request leaves free in every window, for the cron ingest and commands. */
export function foregroundReserve(perMinute: number): number {
  return perMinute <= 1 ? 0 : Math.max(1, Math.ceil(perMinute / 6));
}

export function createRequestBudget(options: BudgetOptions): RequestBudget {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? sleepUnlessAborted;
  const limit = options.perMinute;
  const backgroundLimit = limit - foregroundReserve(limit);
  /** Start times of the requests in the current window, oldest first. */
  const starts: number[] = [];
  let foregroundWaiting = 0;
  let pausedUntil = 0;

  const prune = (at: number) => {
    while (starts.length > 0 && (starts[0] ?? 0) <= at - WINDOW_MS) starts.shift();
  };
  /** Milliseconds until a slot under `cap` frees up (0: free now). */
  const waitFor = (cap: number, at: number): number => {
    prune(at);
    if (starts.length < cap) return 0;
    const oldest = starts[starts.length - cap] ?? at;
    return Math.max(1, oldest + WINDOW_MS - at);
  };

  return {
    async acquire(priority, signal) {
      signal?.throwIfAborted();
      if (priority === 'foreground') {
        foregroundWaiting += 1;
        try {
          for (let wait = waitFor(limit, now()); wait > 0; wait = waitFor(limit, now())) await sleep(wait, signal);
          starts.push(now());
        } finally {
          foregroundWaiting -= 1;
        }
        return;
      }
      for (;;) {
        const at = now();
        const wait = Math.max(pausedUntil - at, waitFor(backgroundLimit, at), foregroundWaiting > 0 ? 50 : 0);
        if (wait <= 0) break;
        await sleep(wait, signal);
      }
      starts.push(now());
    },
    pauseBackground(untilMs) {
      pausedUntil = Math.max(pausedUntil, untilMs);
    },
    inLastMinute() {
      prune(now());
      return starts.length;
    },
  };
}

// One budget per configuration: the bot and the CLI each load the configuration once, so this is
// one budget per process; tests that build their own configuration get their own budget.
const budgets = new WeakMap<Config, RequestBudget>();

/** The process's Hugging Face request budget. */
export function hfBudget(config: Config): RequestBudget {
  let budget = budgets.get(config);
  if (!budget) {
    budget = createRequestBudget({ perMinute: config.HF_MAX_REQUESTS_PER_MINUTE });
    budgets.set(config, budget);
  }
  return budget;
}
