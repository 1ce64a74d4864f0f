import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { processExists } from '../../src/process-exists.ts';
import { TEST_POSTGRES_URL } from './postgres-test-db.ts';

// Vitest globalSetup: the prefix of this run's PostgreSQL test schemas. A worker keeps the emptied
// schemas of one file for its next files (postgres-test-db.ts: migrating one costs ~1 s, emptying
// one ~20 ms), so they outlive the file; they are dropped here when the run ends. The prefix names
// the run's process: a run that was killed before its end left its schemas, and the next run drops
// them (those of runs still going, of this checkout or another, are kept).

declare module 'vitest' {
  export interface ProvidedContext {
    /** Starts the name of every schema createPostgresTestDb makes in this run. */
    postgresSchemaPrefix: string;
  }
}

const RUN_SCHEMA = /^pb_test_(\d+)_[0-9a-f]+_/;

/** Drops the schemas of `prefix` (this run's), or with null those of every run whose process is gone. */
async function dropSchemas(prefix: string | null): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 3_000 });
  // No server (PGlite stood in): nothing was made there.
  if (!(await client.connect().then(() => true, () => false))) return;
  try {
    const rows = (await client.query<{ nspname: string; name: string }>(`SELECT nspname, quote_ident(nspname) AS name FROM pg_namespace WHERE starts_with(nspname, 'pb_test_')`)).rows;
    const left = rows.filter(({ nspname }) => {
      if (prefix !== null) return nspname.startsWith(prefix);
      const owner = RUN_SCHEMA.exec(nspname)?.[1];
      return owner !== undefined && !processExists(Number(owner));
    });
    if (left.length > 0) await client.query(`DROP SCHEMA ${left.map((row) => row.name).join(', ')} CASCADE`);
  } finally {
    await client.end();
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await dropSchemas(null);
  const prefix = `pb_test_${process.pid}_${randomBytes(3).toString('hex')}_`;
  project.provide('postgresSchemaPrefix', prefix);
  return () => dropSchemas(prefix);
}
