import pg from 'pg';
import type { LeaderLock } from '../leader-lock.ts';

/**
 * First key of the leader advisory lock; the second is a hash of the schema, so installs in
 * different schemas of one database (tests, side-by-side installs) each elect their own leader.
 */
export const LEADER_LOCK_KEY = 0x70626c64; // 'pbld'

/** A held lock's connection that does not answer within this is treated as lost. */
const CHECK_TIMEOUT_MS = 5_000;

/**
 * The leader lock on PostgreSQL: a session-level `pg_try_advisory_lock` on a dedicated
 * connection (a pg.Client, never a pool member: a pool would hand the session, and its lock, to
 * other work). The server releases the lock when that session ends, so a killed leader frees it
 * at once; a leader whose connection errors or ends hears of it through `onLost`.
 */
export function createPostgresLeaderLock(connection: pg.ClientConfig): LeaderLock {
  const listeners: Array<(reason: string) => void> = [];
  let client: pg.Client | null = null;
  let held = false;
  let closed = false;

  /** Forgets the connection (ending it releases the lock server-side) and tells listeners if it held the lock. */
  function drop(current: pg.Client, reason: string): void {
    if (client !== current) return;
    client = null;
    current.end().catch(() => undefined);
    if (!held) return;
    held = false;
    for (const listener of listeners) listener(reason);
  }

  async function connect(): Promise<pg.Client> {
    const fresh = new pg.Client({ ...connection, keepAlive: true, keepAliveInitialDelayMillis: 5_000, query_timeout: CHECK_TIMEOUT_MS });
    // Without an 'error' listener a terminated idle connection would crash the process.
    fresh.on('error', (err) => drop(fresh, `lock connection failed: ${err.message}`));
    fresh.on('end', () => drop(fresh, 'lock connection ended'));
    try {
      await fresh.connect();
      // The server notices a vanished leader machine (no FIN ever comes) within ~10 s, not hours.
      await fresh.query('SET tcp_keepalives_idle = 4; SET tcp_keepalives_interval = 2; SET tcp_keepalives_count = 3');
    } catch (err) {
      await fresh.end().catch(() => undefined);
      throw err;
    }
    return fresh;
  }

  return {
    async tryAcquire() {
      if (closed) return false;
      if (client && held) {
        const current = client;
        try {
          await current.query('SELECT 1');
          return true;
        } catch (err) {
          drop(current, `lock connection stopped answering: ${err instanceof Error ? err.message : String(err)}`);
          return false;
        }
      }
      if (!client) {
        const fresh = await connect();
        if (closed) {
          await fresh.end();
          return false;
        }
        client = fresh;
      }
      const current = client;
      try {
        const result = await current.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, hashtext(current_schema())) AS locked', [LEADER_LOCK_KEY]);
        held = result.rows[0]?.locked === true && client === current;
        return held;
      } catch (err) {
        drop(current, 'lock attempt failed');
        throw err;
      }
    },
    onLost(listener) {
      listeners.push(listener);
    },
    async close() {
      closed = true;
      const current = client;
      client = null;
      held = false;
      // Ending the session releases the lock: the next replica takes over at its next attempt.
      await current?.end().catch(() => undefined);
    },
  };
}
