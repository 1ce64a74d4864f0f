import { asc, eq, gte, lt } from 'drizzle-orm';
import type { ReplicaRow } from '../store.ts';
import type { Db } from './open-db.ts';
import { replicas } from './schema.ts';

// Heartbeat rows of running replicas (src/replicas/heartbeat.ts decides how often and for how long).

export function recordHeartbeat(db: Db, beat: ReplicaRow, pruneBefore: number): void {
  db.transaction((tx) => {
    tx.insert(replicas)
      .values(beat)
      .onConflictDoUpdate({ target: replicas.id, set: { host: beat.host, pid: beat.pid, role: beat.role, lastSeenAt: beat.lastSeenAt } })
      .run();
    tx.delete(replicas).where(lt(replicas.lastSeenAt, pruneBefore)).run();
  });
}

export function listReplicas(db: Db, aliveSince: number): ReplicaRow[] {
  return db.select().from(replicas).where(gte(replicas.lastSeenAt, aliveSince)).orderBy(asc(replicas.startedAt), asc(replicas.id)).all();
}

export function removeReplica(db: Db, id: string): void {
  db.delete(replicas).where(eq(replicas.id, id)).run();
}
