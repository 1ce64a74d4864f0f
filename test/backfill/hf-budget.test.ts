import { describe, expect, it } from 'vitest';
import { createRequestBudget, foregroundReserve, WINDOW_MS } from '../../src/feed/hf-budget.ts';
import { busiestWindow } from '../support/busiest-window.ts';

// The process-wide Hugging Face request budget, on a manual clock: sleeping advances it.

function manualBudget(perMinute: number) {
  let now = 0;
  const starts: Array<{ at: number; who: string }> = [];
  const budget = createRequestBudget({
    perMinute,
    now: () => now,
    sleep: async (ms) => {
      // Let other waiters run first, then move time.
      await new Promise<void>((resolve) => setImmediate(resolve));
      now += ms;
    },
  });
  const take = async (priority: 'foreground' | 'background', who: string) => {
    await budget.acquire(priority);
    starts.push({ at: now, who });
  };
  return { budget, starts, take, clock: () => now, advance: (ms: number) => (now += ms) };
}

describe('HF request budget', () => {
  it('never starts more than the limit in any minute, whatever the priority', async () => {
    const { starts, take } = manualBudget(10);
    for (let i = 0; i < 35; i += 1) await take(i % 3 === 0 ? 'foreground' : 'background', `r${i}`);
    expect(busiestWindow(starts.map((s) => s.at))).toBeLessThanOrEqual(10);
  });

  it('keeps a reserve of each window free of background requests, for the cron ingest and commands', async () => {
    const { starts, take } = manualBudget(12);
    const reserve = foregroundReserve(12);
    expect(reserve).toBe(2);
    for (let i = 0; i < 10; i += 1) await take('background', `b${i}`);
    // The backfill filled its share: a command still starts at once.
    await take('foreground', 'command');
    expect(starts.at(-1)).toEqual({ at: 0, who: 'command' });
    // And the next background request waits for the window to move.
    await take('background', 'b10');
    expect(starts.at(-1)?.at).toBeGreaterThanOrEqual(WINDOW_MS);
  });

  it('serves a waiting foreground request before background ones', async () => {
    const { starts, take } = manualBudget(2);
    await take('foreground', 'f0');
    await take('foreground', 'f1');
    // Both wait for the window; the background one asked first.
    const background = take('background', 'b');
    const foreground = take('foreground', 'f2');
    await Promise.all([background, foreground]);
    expect(starts.map((s) => s.who)).toEqual(['f0', 'f1', 'f2', 'b']);
  });

  it('pauses background requests while Hugging Face asked to wait; foreground ones go on', async () => {
    const { budget, starts, take, clock } = manualBudget(100);
    budget.pauseBackground(clock() + 30_000);
    await take('foreground', 'cron');
    await take('background', 'backfill');
    expect(starts).toEqual([
      { at: 0, who: 'cron' },
      { at: 30_000, who: 'backfill' },
    ]);
  });

  it('gives up a wait when its signal is aborted', async () => {
    const budget = createRequestBudget({ perMinute: 1 });
    await budget.acquire('background');
    const controller = new AbortController();
    const waiting = budget.acquire('background', controller.signal);
    controller.abort(new Error('stopping'));
    await expect(waiting).rejects.toThrow('stopping');
  });
});
