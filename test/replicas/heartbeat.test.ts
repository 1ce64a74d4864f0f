import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { liveReplicas, REPLICA_DEAD_AFTER_MS, startHeartbeat } from '../../src/replicas/heartbeat.ts';
import type { Role } from '../../src/replicas/leadership.ts';
import { testDeps } from '../support/test-deps.ts';
import { until } from '../support/wait.ts';

describe('heartbeat', () => {
  it('writes this replica’s row at start, on demand and on its timer, and deletes it at stop', async () => {
    const deps = testDeps({ now: '2026-09-01T10:00:00Z' });
    let role: Role = 'follower';
    const heartbeat = await startHeartbeat(deps, () => role, { everyMs: 20 });
    const started = deps.clock.now();
    expect(await deps.store.listReplicas(0)).toEqual([{ id: heartbeat.id, host: hostname(), pid: process.pid, role: 'follower', startedAt: started, lastSeenAt: started }]);
    expect(heartbeat.id).toMatch(new RegExp(`^${hostname()}:${process.pid}:[0-9a-f]{6}$`));

    role = 'leader';
    deps.clock.advance(1_000);
    await heartbeat.beat();
    expect(await liveReplicas(deps.store, deps.clock.now())).toMatchObject({ alive: [{ role: 'leader', lastSeenAt: started + 1_000 }], leader: { id: heartbeat.id } });

    // The timer beats too.
    deps.clock.advance(1_000);
    await until(async () => (await deps.store.listReplicas(started + 2_000)).length > 0, 'a beat of the timer', { timeoutMs: 5_000, stepMs: 10 });
    expect((await deps.store.listReplicas(started + 2_000)).length).toBe(1);

    await heartbeat.stop();
    expect(await deps.store.listReplicas(0)).toEqual([]);
  });

  it('counts a replica dead once its row is older than the limit', async () => {
    const deps = testDeps({ now: '2026-09-01T10:00:00Z' });
    const heartbeat = await startHeartbeat(deps, () => 'leader', { everyMs: 60_000 });
    const now = deps.clock.now();
    expect((await liveReplicas(deps.store, now + REPLICA_DEAD_AFTER_MS)).alive).toHaveLength(1);
    expect(await liveReplicas(deps.store, now + REPLICA_DEAD_AFTER_MS + 1)).toEqual({ alive: [], leader: undefined });
    await heartbeat.stop();
  });

  it('logs and carries on when the database refuses a beat', async () => {
    const deps = testDeps();
    const heartbeat = await startHeartbeat(deps, () => 'follower', { everyMs: 60_000 });
    deps.db.$client.exec('DROP TABLE replicas');
    await heartbeat.beat();
    await heartbeat.stop();
    const warnings = deps.logLines().filter((line) => line.module === 'replicas').map((line) => line.msg);
    expect(warnings).toEqual(['could not record the heartbeat', 'could not delete the heartbeat row']);
  });
});
