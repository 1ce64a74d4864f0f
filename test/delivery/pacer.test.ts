import { describe, expect, it } from 'vitest';
import { createPacer } from '../../src/delivery/pacer.ts';

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
