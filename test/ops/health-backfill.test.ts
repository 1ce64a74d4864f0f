import { describe, expect, it } from 'vitest';
import { startHealthServer } from '../../src/ops/health-server.ts';
import { createMetrics } from '../../src/ops/metrics.ts';
import { testDeps } from '../support/test-deps.ts';

// A backfill of old days (`paperboy ingest --from/--to`) must not make a dead cron look healthy.

function recordRun(deps: ReturnType<typeof testDeps>, trigger: string, finishedAt: number) {
  deps.db.$client
    .prepare("INSERT INTO ingest_runs (feed_date, status, trigger, started_at, finished_at) VALUES ('2024-10-25', 'ok', ?, ?, ?)")
    .run(trigger, finishedAt - 1000, finishedAt);
}

describe('/healthz and backfills', () => {
  it('judges freshness by the regular ingest only', async () => {
    const deps = testDeps({ now: '2026-09-01T10:00:00Z' });
    const now = deps.clock.now();
    recordRun(deps, 'cron', now - 3 * 60 * 60_000);
    recordRun(deps, 'backfill', now - 60_000);
    const state = { ready: true, startedAt: now - 24 * 60 * 60_000, role: 'leader' as const };
    const health = await startHealthServer(deps, state, createMetrics(deps.store), { port: 0, host: '127.0.0.1' });
    try {
      const res = await fetch(`${health.url}/healthz`);
      expect(await res.json()).toMatchObject({ ingestFresh: false, lastIngestAt: new Date(now - 3 * 60 * 60_000).toISOString() });
      expect(res.status).toBe(503);
    } finally {
      await health.close();
    }
  });
});
