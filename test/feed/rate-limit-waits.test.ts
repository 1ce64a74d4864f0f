import { describe, expect, it } from 'vitest';
import { recentRateLimitWaits, recordRateLimitWait } from '../../src/store/sqlite/rate-limits.ts';
import { createTestDb } from '../support/test-db.ts';

// src/store/rate-limits.ts: written by the feed client (and the platform adapters), read by /papers status.
describe('rate-limit waits', () => {
  it('returns waits since a time, newest first, bounded by limit', () => {
    const db = createTestDb();
    recordRateLimitWait(db, { source: 'hf', route: '/api/daily_papers', waitMs: 1_000, at: 100 });
    recordRateLimitWait(db, { source: 'discord', route: 'POST /channels/:id/messages', waitMs: 250.4, at: 300 });
    recordRateLimitWait(db, { source: 'slack', waitMs: 3_000, at: 200 });
    expect(recentRateLimitWaits(db, 150)).toEqual([
      { source: 'discord', route: 'POST /channels/:id/messages', waitMs: 250, at: 300 },
      { source: 'slack', route: null, waitMs: 3_000, at: 200 },
    ]);
    expect(recentRateLimitWaits(db, 0, 1).map((w) => w.source)).toEqual(['discord']);
    expect(recentRateLimitWaits(db, 301)).toEqual([]);
  });
});
