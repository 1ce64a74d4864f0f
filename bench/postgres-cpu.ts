import { readFileSync } from 'node:fs';
import type pg from 'pg';

// Server CPU time of a pool's backends, for A/B timings on a shared, loaded machine: wall time
// there is mostly waiting for a core, while the backends' own CPU time (the first field of
// /proc/<pid>/schedstat, in ns) is what the statements cost. Needs the server on this machine.

/** Reads the pool's backends (holding all `max` connections at once, so every one is listed). */
export async function backendCpu(pool: pg.Pool, max: number): Promise<() => number> {
  const clients = await Promise.all(Array.from({ length: max }, () => pool.connect()));
  const pids: number[] = [];
  try {
    for (const client of clients) pids.push((await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid ?? 0);
  } finally {
    for (const client of clients) client.release();
  }
  const cpuNs = (pid: number) => {
    try {
      return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      return 0;
    }
  };
  /** Total CPU ms of those backends so far. */
  return () => pids.reduce((sum, pid) => sum + cpuNs(pid), 0) / 1e6;
}
