import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock } from '../clock.ts';
import type { Logger } from '../log.ts';
import type { ReplicaRow, Store } from '../store/store.ts';
import type { Role } from './leadership.ts';

// Each replica writes a heartbeat row every few seconds (and at once when its role changes), so
// `/papers status` on any replica can say how many are alive and which one leads. A row not
// refreshed for REPLICA_DEAD_AFTER_MS is a dead replica (killed, or cut off from the database); it
// stays in the table a while, then a heartbeat prunes it. A clean stop deletes its own row.

const HEARTBEAT_MS = 5_000;
export const REPLICA_DEAD_AFTER_MS = 30_000;
const PRUNE_AFTER_MS = 60 * 60_000;

export type Heartbeat = {
  /** This replica's row id: host, pid and a random suffix (a pid is reused after a restart). */
  id: string;
  /** Writes the row now (the role just changed); never rejects. */
  beat(): Promise<void>;
  /** Stops beating and deletes this replica's row. */
  stop(): Promise<void>;
};

export async function startHeartbeat(deps: { store: Store; clock: Clock; log: Logger }, role: () => Role, options: { everyMs?: number } = {}): Promise<Heartbeat> {
  const log = deps.log.child({ module: 'replicas' });
  const host = hostname();
  const id = `${host}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const startedAt = deps.clock.now();
  let beating: Promise<void> = Promise.resolve();
  let stopped = false;

  function beat(): Promise<void> {
    if (stopped) return beating;
    beating = beating.then(async () => {
      const now = deps.clock.now();
      const row: ReplicaRow = { id, host, pid: process.pid, role: role(), startedAt, lastSeenAt: now };
      try {
        await deps.store.recordHeartbeat(row, now - PRUNE_AFTER_MS);
      } catch (err) {
        // The database is away: status elsewhere shows this replica as dead until it is back.
        log.warn({ err }, 'could not record the heartbeat');
      }
    });
    return beating;
  }

  await beat();
  const timer = setInterval(() => void beat(), options.everyMs ?? HEARTBEAT_MS);
  return {
    id,
    beat,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await beating;
      await deps.store.removeReplica(id).catch((err: unknown) => log.warn({ err }, 'could not delete the heartbeat row'));
    },
  };
}

/** Replicas alive at `now`, and the leader among them (the latest to say so, should two briefly). */
export async function liveReplicas(store: Store, now: number): Promise<{ alive: ReplicaRow[]; leader: ReplicaRow | undefined }> {
  const alive = await store.listReplicas(now - REPLICA_DEAD_AFTER_MS);
  const leaders = alive.filter((row) => row.role === 'leader').sort((a, b) => b.lastSeenAt - a.lastSeenAt);
  return { alive, leader: leaders[0] };
}
