import { describe, expect, it } from 'vitest';
import { createPacer, createRateWindow } from '../../src/delivery/pacer.ts';

describe('createPacer', () => {
  it('spaces calls with the same key and lets other keys through at once', async () => {
    const pace = createPacer(50);
    const started = Date.now();
    const times: Record<string, number[]> = { a: [], b: [] };
    await Promise.all([
      ...[0, 1, 2].map(async () => {
        await pace('a');
        times.a?.push(Date.now() - started);
      }),
      pace('b').then(() => times.b?.push(Date.now() - started)),
    ]);
    const a = (times.a ?? []).sort((x, y) => x - y);
    // Three calls on one key: the second and third waited at least one and two intervals.
    expect(a[1]).toBeGreaterThanOrEqual(45);
    expect(a[2]).toBeGreaterThanOrEqual(95);
    expect(times.b?.[0]).toBeLessThan(45);
  });
});

describe('createRateWindow', () => {
  it('lets at most `limit` calls through in any window, spaced, in call order, from the first call', async () => {
    const acquire = createRateWindow({ limit: 3, windowMs: 300, spacingMs: 20 });
    const started = Date.now();
    const order: number[] = [];
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: 7 }, async (_, i) => {
        await acquire();
        order.push(i);
        times.push(Date.now() - started);
      }),
    );
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6]);
    for (let i = 1; i < times.length; i += 1) expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(19);
    // Any three consecutive releases: the fourth waits until the first left the window.
    for (let i = 3; i < times.length; i += 1) expect((times[i] ?? 0) - (times[i - 3] ?? 0)).toBeGreaterThanOrEqual(299);
  });
});

describe('createPacer after a late timer', () => {
  it('counts the gap from when a call was let through, not from when it was planned', async () => {
    const pace = createPacer(50);
    await pace('a');
    const second = pace('a').then(() => Date.now());
    // A busy process: the second call's timer fires ~120 ms late instead of after 50 ms.
    const blockedUntil = Date.now() + 120;
    while (Date.now() < blockedUntil) {
      // busy
    }
    const secondAt = await second;
    await pace('a');
    // Planned slots would have let the third call out at once (its slot, 100 ms, had passed).
    expect(Date.now() - secondAt).toBeGreaterThanOrEqual(49);
  });
});
