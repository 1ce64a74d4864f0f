import { asc, eq, gte, lt } from 'drizzle-orm';
import type { ReplicaRow } from '../store.ts';
import type { PgDb } from './pg-db.ts';
import { replicas } from './schema.ts';

// Heartbeat rows of running replicas (src/replicas/heartbeat.ts decides how often and for how long).

export async function recordHeartbeat(db: PgDb, beat: ReplicaRow, pruneBefore: number): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .insert(replicas)
      .values(beat)
      .onConflictDoUpdate({ target: replicas.id, set: { host: beat.host, pid: beat.pid, role: beat.role, lastSeenAt: beat.lastSeenAt } });
    await tx.delete(replicas).where(lt(replicas.lastSeenAt, pruneBefore));
  });
}

export async function listReplicas(db: PgDb, aliveSince: number): Promise<ReplicaRow[]> {
  return db.select().from(replicas).where(gte(replicas.lastSeenAt, aliveSince)).orderBy(asc(replicas.startedAt), asc(replicas.id));
}

export async function removeReplica(db: PgDb, id: string): Promise<void> {
  await db.delete(replicas).where(eq(replicas.id, id));
}
