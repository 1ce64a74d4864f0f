import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../commands/rate-limiter.ts';
import { pageWindow } from '../../commands/page-window.ts';

describe('createRateLimiter', () => {
  it('allows `limit` commands per sliding minute, per key', () => {
    const limiter = createRateLimiter(3);
    const t0 = 1_000_000;
    expect([0, 1, 2].map((i) => limiter.take('a', t0 + i * 1000).ok)).toEqual([true, true, true]);
    const refused = limiter.take('a', t0 + 10_000);
    expect(refused).toEqual({ ok: false, retryInMs: 50_000 });
    expect(limiter.take('b', t0 + 10_000).ok).toBe(true);
    // The first hit leaves the window after 60 s.
    expect(limiter.take('a', t0 + 60_001).ok).toBe(true);
  });
});

describe('pageWindow', () => {
  it('clamps pages to the ones that exist', () => {
    expect(pageWindow(12, 5, 0)).toEqual({ page: 0, pageCount: 3, offset: 0 });
    expect(pageWindow(12, 5, 2)).toEqual({ page: 2, pageCount: 3, offset: 10 });
    expect(pageWindow(12, 5, 9)).toEqual({ page: 2, pageCount: 3, offset: 10 });
    expect(pageWindow(12, 5, -4)).toEqual({ page: 0, pageCount: 3, offset: 0 });
    expect(pageWindow(0, 5, 1)).toEqual({ page: 0, pageCount: 1, offset: 0 });
  });
});
