import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { TEST_POSTGRES_URL } from './postgres-test-db.ts';

// Vitest globalSetup: the prefix of this run's PostgreSQL test schemas. A worker keeps the emptied
// schemas of one file for its next files (postgres-test-db.ts: migrating one costs ~1 s, emptying
// one ~20 ms), so they outlive the file; they are dropped here when the run ends.

declare module 'vitest' {
  export interface ProvidedContext {
    /** Starts the name of every schema createPostgresTestDb makes in this run. */
    postgresSchemaPrefix: string;
  }
}

export default function setup(project: TestProject): () => Promise<void> {
  const prefix = `pb_test_${randomBytes(3).toString('hex')}_`;
  project.provide('postgresSchemaPrefix', prefix);
  return async () => {
    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 3_000 });
    // No server (PGlite stood in): nothing was made there.
    if (!(await client.connect().then(() => true, () => false))) return;
    try {
      const left = await client.query<{ name: string }>(`SELECT quote_ident(nspname) AS name FROM pg_namespace WHERE starts_with(nspname, $1)`, [prefix]);
      if (left.rows.length > 0) await client.query(`DROP SCHEMA ${left.rows.map((row) => row.name).join(', ')} CASCADE`);
    } finally {
      await client.end();
    }
  };
}
