import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../commands/rate-limiter.ts';
import { pageWindow } from '../../commands/page-window.ts';
import type { Store } from '../../src/store/store.ts';
import { backends } from '../support/both-backends.ts';

describe.each(backends)('createRateLimiter on $name', ({ open }) => {
  let store: Store;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, close } = await open());
  }, 120_000);
  afterAll(async () => close?.());

  it('allows `limit` commands per sliding minute, per key', async () => {
    const limiter = createRateLimiter(store, 3);
    const t0 = 1_000_000;
    const taken = [];
    for (const i of [0, 1, 2]) taken.push((await limiter.take('a', t0 + i * 1000)).ok);
    expect(taken).toEqual([true, true, true]);
    expect(await limiter.take('a', t0 + 10_000)).toEqual({ ok: false, retryInMs: 50_000 });
    expect((await limiter.take('b', t0 + 10_000)).ok).toBe(true);
    // The first hit leaves the window after 60 s.
    expect((await limiter.take('a', t0 + 60_001)).ok).toBe(true);
    // Full again (hits at +2 s, +60.001 s, +61.9 s); the +2 s one leaves in 50 ms, but the wait is never under a second.
    expect((await limiter.take('a', t0 + 61_900)).ok).toBe(true);
    expect(await limiter.take('a', t0 + 61_950)).toEqual({ ok: false, retryInMs: 1000 });
  });

  it('is one budget for two limiters on one database (two replicas)', async () => {
    const [first, second] = [createRateLimiter(store, 2), createRateLimiter(store, 2)];
    const t0 = 5_000_000;
    expect((await first.take('u', t0)).ok).toBe(true);
    expect((await second.take('u', t0 + 1)).ok).toBe(true);
    expect(await first.take('u', t0 + 2)).toEqual({ ok: false, retryInMs: 59_998 });
    expect(await second.take('u', t0 + 3)).toEqual({ ok: false, retryInMs: 59_997 });
  });

  it('prunes the hits of idle users', async () => {
    const limiter = createRateLimiter(store, 2);
    await limiter.take('idle', 9_000_000);
    // A later first call (this limiter prunes once a minute) deletes every hit older than a window.
    const later = createRateLimiter(store, 2);
    await later.take('other', 9_000_000 + 60_000);
    expect(await store.pruneCommandHits(9_000_000)).toBe(0);
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
