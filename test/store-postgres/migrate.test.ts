import { readdirSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsFolder } from '../../src/store/postgres/migrate.ts';
import { openPostgres } from '../../src/store/postgres/open-postgres.ts';
import { adminQuery, createPostgresTestDb, newSchemaName, postgresServerReachable, TEST_POSTGRES_URL, type PgTestDb } from '../support/postgres-test-db.ts';
import { queryRows } from '../../src/store/postgres/pg-db.ts';
import { sql } from 'drizzle-orm';

const migrationFiles = readdirSync(migrationsFolder).filter((name) => name.endsWith('.sql'));
const server = await postgresServerReachable();

describe('PostgreSQL migrations', () => {
  let handle: PgTestDb;
  beforeAll(async () => {
    handle = await createPostgresTestDb();
  }, 120_000);
  afterAll(async () => handle?.close());

  it('creates every table in the test schema, with the generated tsvectors and their GIN indexes', async () => {
    const tables = await queryRows<{ name: string }>(
      handle.db,
      sql`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ${handle.schema} ORDER BY 1`,
    );
    expect(tables.map((t) => t.name)).toEqual([
      '__drizzle_migrations', 'alerted_papers', 'artifact_alerts', 'arxiv_backfill_days', 'arxiv_listings', 'arxiv_polls', 'channel_digests', 'command_hits', 'deferred_indexes', 'deliveries',
      'followup_items', 'ingest_runs', 'meta', 'page_cursors', 'paper_days', 'papers', 'rate_limit_events', 'replicas', 'saved_papers', 'upvote_snapshots',
      'users', 'watch_forms', 'watches',
    ]);
    const indexes = await queryRows<{ def: string }>(
      handle.db,
      sql`SELECT indexdef AS def FROM pg_indexes WHERE schemaname = ${handle.schema} AND indexname IN ('papers_search_vector_idx', 'papers_title_vector_idx') ORDER BY indexname`,
    );
    expect(indexes.map((index) => index.def.replace(/^.* USING /, ''))).toEqual(['gin (search_vector)', 'gin (title_vector)']);
    await handle.db.execute(
      sql`INSERT INTO papers (arxiv_id, title, abstract, authors, latest_feed_date, first_seen_at, updated_at)
          VALUES ('2410.00001', 'Rigorous Models', 'An abstract about diffusion', '["Jane Doe"]', '2024-10-25', 1, 1)`,
    );
    const [row] = await queryRows<{ id: number; v: string; t: string }>(handle.db, sql`SELECT id, search_vector::text AS v, title_vector::text AS t FROM papers`);
    // Paper 1's id buckets (`|a` = id >> 8 … `|d` = id >> 17) close both vectors.
    expect(row?.id).toBe(1);
    expect(row?.v).toBe("'about':6B 'abstract':5B 'an':4B 'diffus':7B 'doe':10C 'jane':9C 'model':2A 'rigor':1A '|':3,8 '|a0' '|b0' '|c0' '|d0'");
    expect(row?.t).toBe("'model':2 'rigor':1 '|':3 '|a0' '|b0' '|c0' '|d0'");
  });

  it('records each migration once', async () => {
    const rows = await queryRows<{ n: number }>(handle.db, sql`SELECT count(*)::int AS n FROM __drizzle_migrations`);
    expect(rows[0]?.n).toBe(migrationFiles.length);
  });
});

describe.skipIf(!server)('PostgreSQL migrations by replicas starting together (server only: PGlite is one process)', () => {
  const schema = newSchemaName();
  beforeAll(() => adminQuery(`CREATE SCHEMA ${schema}`));
  afterAll(() => adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));

  it('four concurrent openPostgres on a fresh schema all succeed and apply each migration once', async () => {
    const dbs = await Promise.all([1, 2, 3, 4].map(() => openPostgres(TEST_POSTGRES_URL, { searchPath: schema, max: 2 })));
    try {
      const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await client.connect();
      const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.__drizzle_migrations`);
      await client.end();
      expect(rows[0]?.n).toBe(migrationFiles.length);
      // A later start finds nothing to do.
      const again = await openPostgres(TEST_POSTGRES_URL, { searchPath: schema, max: 1 });
      await again.$client.end();
    } finally {
      await Promise.all(dbs.map((db) => db.$client.end()));
    }
  });
});
