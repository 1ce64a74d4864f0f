import { describe, expect, it } from 'vitest';
import { createPacer, createRateWindow } from '../../src/delivery/pacer.ts';

describe('createPacer', () => {
  it('runs calls of one key one at a time, each an interval after the previous one finished, and other keys at once', async () => {
    const paced = createPacer(50);
    const started = Date.now();
    const spans: Record<string, Array<[number, number]>> = { a: [], b: [] };
    // Each call takes 30 ms, as a request waiting for its answer.
    const call = (key: string) => async () => {
      const from = Date.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 30));
      spans[key]?.push([from, Date.now() - started]);
      return key;
    };
    const results = await Promise.all([paced('a', call('a')), paced('a', call('a')), paced('a', call('a')), paced('b', call('b'))]);
    expect(results).toEqual(['a', 'a', 'a', 'b']);
    const a = spans.a ?? [];
    // The second started at least 50 ms after the first finished, the third after the second.
    for (let i = 1; i < a.length; i += 1) expect((a[i]?.[0] ?? 0) - (a[i - 1]?.[1] ?? 0)).toBeGreaterThanOrEqual(48);
    expect(spans.b?.[0]?.[0]).toBeLessThan(30);
  });

  it('keeps the gap after a call that failed, and passes its error on', async () => {
    const paced = createPacer(50);
    const failed = paced('a', () => Promise.reject(new Error('429')));
    await expect(failed).rejects.toThrow('429');
    const failedAt = Date.now();
    const nextAt = await paced('a', async () => Date.now());
    expect(nextAt - failedAt).toBeGreaterThanOrEqual(48);
  });
});

describe('createRateWindow', () => {
  it('lets at most `limit` calls through in any window, spaced, in call order, from the first call', async () => {
    const paced = createRateWindow({ limit: 3, windowMs: 300, spacingMs: 20 });
    const started = Date.now();
    const order: number[] = [];
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: 7 }, (_, i) =>
        paced(async () => {
          order.push(i);
          times.push(Date.now() - started);
        }),
      ),
    );
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6]);
    for (let i = 1; i < times.length; i += 1) expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(19);
    // Any three consecutive calls: the fourth waits until the first left the window.
    for (let i = 3; i < times.length; i += 1) expect((times[i] ?? 0) - (times[i - 3] ?? 0)).toBeGreaterThanOrEqual(299);
  });

  it('counts the window from when a call finished: a request that left late cannot meet the next window', async () => {
    const paced = createRateWindow({ limit: 2, windowMs: 100, spacingMs: 0 });
    const started = Date.now();
    const ends: number[] = [];
    const starts: number[] = [];
    // The first call's answer takes 150 ms (it may have reached the platform any time before).
    const call = (ms: number) => async () => {
      starts.push(Date.now() - started);
      await new Promise((resolve) => setTimeout(resolve, ms));
      ends.push(Date.now() - started);
      return ms;
    };
    expect(await Promise.all([paced(call(150)), paced(call(0)), paced(call(0))])).toEqual([150, 0, 0]);
    // The third waits for the first's answer (≈150 ms) plus the window, not its start plus the window.
    expect(starts[2] ?? 0).toBeGreaterThanOrEqual(248);
    expect(ends.length).toBe(3);
  });

  it('passes a failed call’s error on and still counts it', async () => {
    const paced = createRateWindow({ limit: 1, windowMs: 60, spacingMs: 0 });
    await expect(paced(() => Promise.reject(new Error('429')))).rejects.toThrow('429');
    const failedAt = Date.now();
    const nextAt = await paced(async () => Date.now());
    expect(nextAt - failedAt).toBeGreaterThanOrEqual(58);
  });
});

describe('createPacer after a slow answer', () => {
  it('counts the gap from when the previous call finished, not from when it was let through', async () => {
    const paced = createPacer(50);
    let firstDone = 0;
    // A post whose answer takes 120 ms (a busy process, a slow socket): it may have reached the
    // platform at any time before that, so the next one waits 50 ms after the answer.
    const first = paced('a', async () => {
      await new Promise((resolve) => setTimeout(resolve, 120));
      firstDone = Date.now();
    });
    const secondAt = await paced('a', async () => Date.now());
    await first;
    expect(secondAt - firstDone).toBeGreaterThanOrEqual(48);
  });
});
