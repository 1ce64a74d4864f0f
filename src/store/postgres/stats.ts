import { sql } from 'drizzle-orm';
import { queryRows, type PgDb } from './pg-db.ts';

// Aggregate read-only figures for /metrics and /healthz, as on SQLite (../sqlite/stats.ts).
// node-postgres returns count(*) and sums of bigint as strings, so each figure goes through Number.

export async function countRows(db: PgDb, table: 'papers' | 'watches' | 'channel_digests'): Promise<number> {
  const [row] = await queryRows<{ n: string | number }>(db, sql`SELECT count(*) AS n FROM ${sql.identifier(table)}`);
  return Number(row?.n ?? 0);
}

export async function deliveriesByStateAndPlatform(db: PgDb): Promise<Array<{ platform: string; state: string; n: number }>> {
  const rows = await queryRows<{ platform: string; state: string; n: string | number }>(db, sql`SELECT platform, state, count(*) AS n FROM deliveries GROUP BY platform, state`);
  return rows.map((row) => ({ platform: row.platform, state: row.state, n: Number(row.n) }));
}

export async function ingestRunsByStatus(db: PgDb): Promise<Array<{ status: string; n: number }>> {
  const rows = await queryRows<{ status: string; n: string | number }>(db, sql`SELECT status, count(*) AS n FROM ingest_runs GROUP BY status`);
  return rows.map((row) => ({ status: row.status, n: Number(row.n) }));
}

export async function rateLimitWaitsBySource(db: PgDb): Promise<Array<{ source: string; n: number; ms: number }>> {
  const rows = await queryRows<{ source: string; n: string | number; ms: string | number }>(
    db,
    sql`SELECT source, count(*) AS n, coalesce(sum(wait_ms), 0) AS ms FROM rate_limit_events GROUP BY source`,
  );
  return rows.map((row) => ({ source: row.source, n: Number(row.n), ms: Number(row.ms) }));
}

/** Finish time of the latest successful regular (not backfill) ingest run, or null. */
export async function lastRegularIngestAt(db: PgDb): Promise<number | null> {
  const [row] = await queryRows<{ at: string | number | null }>(
    db,
    sql`SELECT max(finished_at) AS at FROM ingest_runs WHERE status IN ('ok', 'empty') AND trigger <> 'backfill'`,
  );
  return row?.at == null ? null : Number(row.at);
}

/** Bytes of this install's tables, their indexes and TOAST: the schema on the search path, not the whole server. */
export async function databaseBytes(db: PgDb): Promise<number> {
  const [row] = await queryRows<{ bytes: string | number | null }>(
    db,
    sql`SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) AS bytes
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'm')`,
  );
  return Number(row?.bytes ?? 0);
}
