import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/ops/metrics.ts';
import { startHealthServer, type HealthState } from '../../src/ops/health-server.ts';
import { testDeps } from '../support/test-deps.ts';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

function recordIngest(deps: ReturnType<typeof testDeps>, status: string, finishedAt: number) {
  deps.db.$client
    .prepare("INSERT INTO ingest_runs (feed_date, status, started_at, finished_at) VALUES ('2026-09-01', ?, ?, ?)")
    .run(status, finishedAt - 1000, finishedAt);
}

async function start(deps: ReturnType<typeof testDeps>, ready = true) {
  const state: HealthState = { ready, startedAt: deps.clock.now(), role: 'leader' };
  const health = await startHealthServer(deps, state, createMetrics(deps.store), { port: 0, host: '127.0.0.1' });
  closers.push(health.close);
  return { ...health, state };
}

describe('health server', () => {
  it('allows the last ingest two periods of INGEST_CRON', async () => {
    for (const [cron, seconds] of [['*/30 * * * *', 60 * 60], ['0 * * * *', 2 * 60 * 60]] as const) {
      const health = await start(testDeps({ env: { INGEST_CRON: cron } }));
      expect(await (await fetch(`${health.url}/healthz`)).json()).toMatchObject({ maxIngestAgeSeconds: seconds });
    }
  });

  it('is 503 until ready, then 200 while the last ingest is fresh', async () => {
    const deps = testDeps({ now: '2026-09-01T10:00:00Z' });
    const health = await start(deps, false);
    expect((await fetch(`${health.url}/healthz`)).status).toBe(503);
    health.state.ready = true;
    recordIngest(deps, 'ok', deps.clock.now() - 10 * 60_000);
    const res = await fetch(`${health.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, ready: true, role: 'leader', ingestFresh: true });
  });

  it('reports whether this replica leads', async () => {
    const deps = testDeps({ now: '2026-09-01T10:00:00Z' });
    recordIngest(deps, 'ok', deps.clock.now() - 10 * 60_000);
    const health = await start(deps);
    health.state.role = 'follower';
    const res = await fetch(`${health.url}/healthz`);
    // A follower is healthy: it answers commands, and the shared ingest is fresh.
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, role: 'follower' });
  });

  it('turns 503 when the last good ingest is older than two cron periods', async () => {
    const deps = testDeps({ now: '2026-09-01T10:00:00Z' });
    recordIngest(deps, 'ok', deps.clock.now() - 10 * 60_000);
    const health = await start(deps);
    expect((await fetch(`${health.url}/healthz`)).status).toBe(200);
    deps.clock.advance(61 * 60_000);
    recordIngest(deps, 'failed', deps.clock.now());
    const res = await fetch(`${health.url}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ ingestFresh: false });
  });

  it('serves Prometheus metrics from the database', async () => {
    const deps = testDeps();
    recordIngest(deps, 'ok', deps.clock.now());
    recordIngest(deps, 'failed', deps.clock.now());
    deps.db.$client
      .prepare(
        "INSERT INTO deliveries (platform, target_kind, target_id, kind, idempotency_key, payload, state, next_attempt_at, created_at) VALUES ('slack', 'channel', 'C1', 'digest', 'k1', '{}', 'sent', 0, 0)",
      )
      .run();
    deps.db.$client.prepare("INSERT INTO rate_limit_events (source, wait_ms, at) VALUES ('discord', 1500, 0)").run();
    const health = await start(deps);
    const text = await (await fetch(`${health.url}/metrics`)).text();
    expect(text).toMatch(/paperboy_papers_stored\{app="paperboy"\} 0/);
    expect(text).toMatch(/paperboy_ingest_runs\{status="failed",app="paperboy"\} 1/);
    expect(text).toMatch(/paperboy_deliveries\{state="sent",platform="slack",app="paperboy"\} 1/);
    expect(text).toMatch(/paperboy_rate_limit_wait_seconds\{source="discord",app="paperboy"\} 1.5/);
    expect(text).toContain('paperboy_command_duration_seconds');
  });

  it('answers 404 for other paths', async () => {
    const health = await start(testDeps());
    expect((await fetch(`${health.url}/nope`)).status).toBe(404);
  });
});
