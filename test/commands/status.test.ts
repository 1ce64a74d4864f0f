import { describe, expect, it } from 'vitest';
import { textMessage } from '../../src/messages/message.ts';
import { aPaper } from '../support/builders.ts';
import { commandDeps, run, seed } from './harness.ts';

const at = (iso: string) => Date.parse(iso);

function ingestRun(deps: ReturnType<typeof commandDeps>, feedDate: string, status: string, finishedIso: string, error: string | null = null, trigger = 'cron') {
  deps.db.$client
    .prepare('INSERT INTO ingest_runs (feed_date, status, trigger, started_at, finished_at, error) VALUES (?, ?, ?, ?, ?, ?)')
    .run(feedDate, status, trigger, at(finishedIso) - 1000, at(finishedIso), error);
}

function fieldsOf(reply: { fields: Array<{ name: string; value: string }> }) {
  return Object.fromEntries(reply.fields.map((f) => [f.name, f.value]));
}

describe('/papers status', () => {
  it('reports ingest, digest, deliveries, watches, rate limits and papers', async () => {
    const deps = commandDeps();
    await seed(deps, '2026-09-01', [aPaper(), aPaper(), aPaper()]);
    ingestRun(deps, '2026-08-29', 'empty', '2026-08-30T00:30:00Z');
    ingestRun(deps, '2026-08-31', 'ok', '2026-09-01T09:30:00Z');
    ingestRun(deps, '2026-09-01', 'failed', '2026-09-01T09:50:00Z', 'HTTP 503 from the feed');
    await run(deps, 'digest set', { time: '11:00', timezone: 'Europe/Berlin' }, { isAdmin: true });
    await run(deps, 'watch', { query: 'diffusion' });
    const now = deps.clock.now();
    await deps.store.enqueue({ platform: 'discord', targetKind: 'user', targetId: 'U1', kind: 'alert', idempotencyKey: 'a1', message: textMessage('x'), now });
    await deps.store.enqueue({ platform: 'discord', targetKind: 'user', targetId: 'U2', kind: 'alert', idempotencyKey: 'a2', message: textMessage('x'), now });
    deps.db.$client.prepare("UPDATE deliveries SET state = 'failed' WHERE idempotency_key = 'a2'").run();
    await deps.store.recordRateLimitWait({ source: 'hf', waitMs: 2000, at: now - 3_600_000 });
    await deps.store.recordRateLimitWait({ source: 'discord', waitMs: 500, at: now - 60_000 });
    await deps.store.recordRateLimitWait({ source: 'hf', waitMs: 9000, at: now - 3 * 86_400_000 });

    const reply = await run(deps, 'status');
    expect(reply).toMatchObject({ kind: 'status', visibility: 'public' });
    expect(fieldsOf(reply)).toEqual({
      'Last successful ingest': 'feed day 2026-08-31, finished 2026-09-01 09:30 UTC (30 min ago)',
      'Last failed ingest': 'feed day 2026-09-01 at 2026-09-01 09:50 UTC: HTTP 503 from the feed',
      'Empty feed days (last 7)': '2026-08-29',
      'Papers stored': '3',
      // 10:00 UTC is 12:00 in Berlin: 11:00 comes tomorrow.
      'Next digest here': '2026-09-02 11:00 GMT+2 (in 23 h), for feed day 2026-09-01',
      Deliveries: '1 queued, 1 failed',
      'Active watches': '1',
      'Rate-limit waits (24 h)': '2 (discord 1, hf 1), 3 s asked for in total',
      Replicas: 'none running',
    });
  });

  it('counts the live replicas and names the leader', async () => {
    const deps = commandDeps();
    const now = deps.clock.now();
    const beat = (id: string, host: string, pid: number, role: string, secondsAgo: number) =>
      deps.store.recordHeartbeat({ id, host, pid, role, startedAt: now - 3_600_000, lastSeenAt: now - secondsAgo * 1000 }, 0);
    await beat('b', 'host-b', 12, 'follower', 2);
    await beat('c', 'host-c', 13, 'follower', 29);
    // Killed 40 s ago: dead, though it led.
    await beat('old', 'host-z', 99, 'leader', 40);
    expect(fieldsOf(await run(deps, 'status')).Replicas).toBe('2 alive; no leader right now (a follower takes over within 15 s)');
    await beat('a', 'host-a', 4711, 'leader', 1);
    expect(fieldsOf(await run(deps, 'status')).Replicas).toBe('3 alive; leader host-a (pid 4711)');
  });

  it('works on an empty database', async () => {
    const reply = await run(commandDeps(), 'status');
    expect(fieldsOf(reply)).toEqual({
      'Last successful ingest': 'never',
      'Empty feed days (last 7)': 'none',
      'Papers stored': '0',
      'Next digest here': 'no digest in this channel',
      Deliveries: '0 queued, 0 failed',
      'Active watches': '0',
      'Rate-limit waits (24 h)': 'none',
      Replicas: 'none running',
    });
  });

  it('hides a failure that a later success made up for', async () => {
    const deps = commandDeps();
    ingestRun(deps, '2026-09-01', 'failed', '2026-09-01T09:00:00Z', 'timeout');
    ingestRun(deps, '2026-09-01', 'ok', '2026-09-01T09:30:00Z');
    expect(fieldsOf(await run(deps, 'status'))['Last failed ingest']).toBeUndefined();
  });

  it('shows the regular ingest, not a later backfill of an old day, and the backfill on its own line', async () => {
    const deps = commandDeps();
    ingestRun(deps, '2026-09-01', 'ok', '2026-09-01T09:30:00Z');
    // `paperboy ingest --date 2024-01-01`, after the cron run.
    ingestRun(deps, '2024-01-01', 'ok', '2026-09-01T09:50:00Z', null, 'backfill');
    const fields = fieldsOf(await run(deps, 'status'));
    expect(fields['Last successful ingest']).toBe('feed day 2026-09-01, finished 2026-09-01 09:30 UTC (30 min ago)');
    expect(fields.Backfill).toBe('1 day (2024-01-01), last run finished 2026-09-01 09:50 UTC (10 min ago)');
  });

  it('summarises several backfilled days and names the ones that failed; a failed backfill is not the ingest failing', async () => {
    const deps = commandDeps();
    ingestRun(deps, '2026-09-01', 'ok', '2026-09-01T09:00:00Z');
    ingestRun(deps, '2024-10-23', 'ok', '2026-09-01T09:10:00Z', null, 'backfill');
    ingestRun(deps, '2024-10-24', 'empty', '2026-09-01T09:11:00Z', null, 'backfill');
    ingestRun(deps, '2024-10-25', 'failed', '2026-09-01T09:12:00Z', 'HTTP 500', 'backfill');
    ingestRun(deps, '2023-01-02', 'ok', '2026-09-01T09:13:00Z', null, 'backfill');
    // Stored before; a later re-run failing does not lose the day.
    ingestRun(deps, '2024-10-23', 'failed', '2026-09-01T09:13:00Z', 'timeout', 'backfill');
    const fields = fieldsOf(await run(deps, 'status'));
    expect(fields['Last failed ingest']).toBeUndefined();
    expect(fields.Backfill).toBe(
      '3 days between 2023-01-02 and 2024-10-24, last run finished 2026-09-01 09:13 UTC (47 min ago); 1 day failed: 2024-10-25 (run `paperboy ingest --date 2024-10-25` again)',
    );
  });

  it('says when only backfills ran (the regular ingest never did)', async () => {
    const deps = commandDeps();
    ingestRun(deps, '2024-10-24', 'ok', '2026-09-01T09:10:00Z', null, 'backfill');
    ingestRun(deps, '2024-10-25', 'ok', '2026-09-01T09:11:00Z', null, 'backfill');
    const fields = fieldsOf(await run(deps, 'status'));
    expect(fields['Last successful ingest']).toBe('never');
    expect(fields.Backfill).toBe('2 days (2024-10-24 to 2024-10-25), last run finished 2026-09-01 09:11 UTC (49 min ago)');
  });
  it('never lists a day with stored papers as empty, even after a re-fetch returned []', async () => {
    const deps = commandDeps();
    await seed(deps, '2026-08-30', [aPaper(), aPaper()]);
    ingestRun(deps, '2026-08-30', 'ok', '2026-08-31T00:30:00Z');
    ingestRun(deps, '2026-08-30', 'empty', '2026-08-31T06:30:00Z');
    ingestRun(deps, '2026-08-29', 'empty', '2026-08-30T00:30:00Z');
    // Today (2026-09-01) is still being listed: empty so far is not an empty day.
    ingestRun(deps, '2026-09-01', 'empty', '2026-09-01T09:30:00Z');
    expect(fieldsOf(await run(deps, 'status'))['Empty feed days (last 7)']).toBe('2026-08-29');
  });
});
