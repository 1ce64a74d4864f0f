import { describe, expect, it } from 'vitest';
import { createTestStore } from '../support/test-db.ts';

// Store.recordRateLimitWait / recentRateLimitWaits: written by the feed client (and the platform adapters), read by /papers status.
describe('rate-limit waits', () => {
  it('returns waits since a time, newest first, bounded by limit', async () => {
    const store = createTestStore();
    await store.recordRateLimitWait({ source: 'hf', route: '/api/daily_papers', waitMs: 1_000, at: 100 });
    await store.recordRateLimitWait({ source: 'discord', route: 'POST /channels/:id/messages', waitMs: 250.4, at: 300 });
    await store.recordRateLimitWait({ source: 'slack', waitMs: 3_000, at: 200 });
    expect(await store.recentRateLimitWaits(150)).toEqual([
      { source: 'discord', route: 'POST /channels/:id/messages', waitMs: 250, at: 300 },
      { source: 'slack', route: null, waitMs: 3_000, at: 200 },
    ]);
    expect((await store.recentRateLimitWaits(0, 1)).map((w) => w.source)).toEqual(['discord']);
    expect(await store.recentRateLimitWaits(301)).toEqual([]);
  });
});
