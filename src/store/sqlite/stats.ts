import { sql } from 'drizzle-orm';
import type { Db } from './open-db.ts';

// Aggregate read-only figures for /metrics and /healthz. Cheap at 1M papers: every query is an
// index scan or a count over small tables (deliveries and ingest runs are pruned by nobody but stay small).

export function countRows(db: Db, table: 'papers' | 'watches' | 'channel_digests'): number {
  const row = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM ${sql.identifier(table)}`);
  return row?.n ?? 0;
}

export function deliveriesByStateAndPlatform(db: Db): Array<{ platform: string; state: string; n: number }> {
  return db.all<{ platform: string; state: string; n: number }>(
    sql`SELECT platform, state, count(*) AS n FROM deliveries GROUP BY platform, state`,
  );
}

export function ingestRunsByStatus(db: Db): Array<{ status: string; n: number }> {
  return db.all<{ status: string; n: number }>(sql`SELECT status, count(*) AS n FROM ingest_runs GROUP BY status`);
}

export function rateLimitWaitsBySource(db: Db): Array<{ source: string; n: number; ms: number }> {
  return db.all<{ source: string; n: number; ms: number }>(
    sql`SELECT source, count(*) AS n, coalesce(sum(wait_ms), 0) AS ms FROM rate_limit_events GROUP BY source`,
  );
}

/**
 * Finish time (epoch ms) of the latest regular ingest run (cron, start-up, plain CLI) that
 * succeeded (`ok` or `empty`), or null. A backfill says nothing about whether the cron works.
 */
export function lastRegularIngestAt(db: Db): number | null {
  const row = db.get<{ at: number | null }>(
    sql`SELECT max(finished_at) AS at FROM ingest_runs WHERE status IN ('ok', 'empty') AND trigger <> 'backfill'`,
  );
  return row?.at ?? null;
}

/** Page count × page size of the SQLite file: the database size in bytes. */
export function databaseBytes(db: Db): number {
  const pages = Number(db.$client.pragma('page_count', { simple: true }));
  const size = Number(db.$client.pragma('page_size', { simple: true }));
  return pages * size;
}
