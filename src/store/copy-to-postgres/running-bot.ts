import type Database from 'better-sqlite3';
import { hostname } from 'node:os';
import { z } from 'zod';
import { processExists } from '../../process-exists.ts';

// A bot running on the SQLite file being copied writes a heartbeat row into its `replicas` table
// every few seconds (src/replicas/heartbeat.ts) and deletes it when it stops cleanly. A row as fresh
// as a live replica's is a bot still writing, whose rows after the snapshot the copy would miss.
// A bot killed in the last half minute leaves such a row too, so the signal can be stale: the
// caller offers an override. On this host the process itself is asked, which settles it.

const Beat = z.object({ host: z.string(), pid: z.number(), last_seen_at: z.number() });
type RunningBot = { host: string; pid: number; secondsAgo: number };

/**
 * The bot that seems to run on `source` at `now`, or null. `aliveWithinMs`: how fresh a live
 * replica's heartbeat is (REPLICA_DEAD_AFTER_MS; the caller passes it, the store sits below replicas/).
 */
export function runningBot(source: Database.Database, now: number, aliveWithinMs: number): RunningBot | null {
  const query = source.prepare('SELECT host, pid, last_seen_at FROM replicas WHERE last_seen_at >= ? ORDER BY last_seen_at DESC');
  const rows = z.array(Beat).parse(query.all(now - aliveWithinMs));
  const here = hostname();
  const alive = rows.find((row) => row.host !== here || processExists(row.pid));
  return alive ? { host: alive.host, pid: alive.pid, secondsAgo: Math.max(0, Math.round((now - alive.last_seen_at) / 1000)) } : null;
}
