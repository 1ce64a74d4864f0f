import { readFileSync } from 'node:fs';
import type pg from 'pg';

// Server CPU time of a pool's backends, for A/B timings on a shared, loaded machine: wall time
// there is mostly waiting for a core, while the backends' own CPU time (the first field of
// /proc/<pid>/schedstat, in ns) is what the statements cost. Needs the server on this machine.
// The pool closes idle connections and opens new ones: each backend is learnt when it connects
// (or at the start, by holding `max` connections at once), and one that ended keeps its last figure.

export async function backendCpu(pool: pg.Pool, max: number): Promise<() => number> {
  const last = new Map<number, number>();
  const read = (pid: number) => {
    try {
      last.set(pid, Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]));
    } catch {
      // The backend ended: its CPU time is what was last read.
    }
  };
  const learn = async (client: pg.PoolClient | pg.Client) => {
    const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
    if (pid !== undefined) read(pid);
  };
  pool.on('connect', (client) => void learn(client).catch(() => undefined));
  const clients = await Promise.all(Array.from({ length: max }, () => pool.connect()));
  try {
    for (const client of clients) await learn(client);
  } finally {
    for (const client of clients) client.release();
  }
  /** Total CPU ms of the pool's backends so far. */
  return () => {
    for (const pid of last.keys()) read(pid);
    return [...last.values()].reduce((sum, ns) => sum + ns, 0) / 1e6;
  };
}
