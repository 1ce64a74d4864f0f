import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { readFixture, startFakeHf, type FakeHf } from '../support/fake-hf.ts';
import { adminQuery, newSchemaName, postgresServerReachable, schemaUrl, TEST_POSTGRES_URL } from '../support/postgres-test-db.ts';
import { runCli } from '../support/run-cli.ts';

// DATABASE_URL selects PostgreSQL for the CLI (and `start`, which opens the store the same way):
// the same commands work on it, and what only makes sense for SQLite says so in one line.

const server = await postgresServerReachable();
if (!server) console.warn('database-url.test.ts: no PostgreSQL server at', TEST_POSTGRES_URL, '— the CLI-on-PostgreSQL tests are skipped (CI sets REQUIRE_POSTGRES=1)');

let dir: string;
let hf: FakeHf;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-dburl-'));
  hf = await startFakeHf({ '2024-10-25': readFixture('daily_papers-2024-10-25.json') as unknown[] });
});
afterAll(async () => {
  await hf.close();
  rmSync(dir, { recursive: true, force: true });
});

const cli = (args: string[], env: Record<string, string>) =>
  runCli(args, { env: { LOG_LEVEL: 'warn', HF_BASE_URL: hf.url, DATABASE_PATH: join(dir, 'unused.db'), ...env }, cwd: dir, timeoutMs: 40_000 });

describe.runIf(server)('the CLI with DATABASE_URL', { timeout: 120_000 }, () => {
  const schema = newSchemaName();
  const url = schemaUrl(schema);
  beforeAll(() => adminQuery(`CREATE SCHEMA ${schema}`));
  afterAll(() => adminQuery(`DROP SCHEMA ${schema} CASCADE`));

  it('migrates an empty schema, ingests into PostgreSQL and searches it; SQLite is never created', async () => {
    const ingest = await cli(['ingest', '--date', '2024-10-25'], { DATABASE_URL: url });
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(ingest.stdout).toContain('29 papers, 29 new');
    const search = await cli(['search', 'consistency models', '--json'], { DATABASE_URL: url });
    expect(search.code, search.stderr).toBe(0);
    const papers = JSON.parse(search.stdout) as Array<{ id: string }>;
    expect(papers.map((paper) => paper.id)).toContain('2410.18958');
    const again = await cli(['ingest', '--date', '2024-10-25'], { DATABASE_URL: url });
    expect(again.stdout).toContain('29 papers, 0 new, 29 updated');
    const unused = await cli(['backup', join(dir, 'copy.db')], { DATABASE_URL: url });
    expect(unused.code).toBe(1);
    expect(unused.stderr.trim()).toBe('paperboy: backup copies a SQLite database; this install uses PostgreSQL (DATABASE_URL): back it up with pg_dump.');
    expect(existsSync(join(dir, 'unused.db'))).toBe(false);
  });
});

describe('a DATABASE_URL that cannot be used', { timeout: 60_000 }, () => {
  it('not a PostgreSQL URL: one configuration line, and the password is never shown', async () => {
    const result = await cli(['today'], { DATABASE_URL: 'mysql://admin:hunter2@db/paperboy' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('DATABASE_URL must be a PostgreSQL URL starting postgres:// or postgresql://');
    expect(result.stderr).not.toContain('hunter2');
  });

  it('no server listening: one line naming DATABASE_URL without the password, exit 1', async () => {
    const result = await cli(['today'], { DATABASE_URL: 'postgres://admin:hunter2@127.0.0.1:1/paperboy' });
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toEqual(['paperboy: DATABASE_URL=postgres://127.0.0.1:1/paperboy: cannot open the database (connect ECONNREFUSED 127.0.0.1:1).']);
  });
});

describe('DATABASE_URL with spaces around it', () => {
  it('is read without them', () => {
    expect(loadConfig({ DATABASE_URL: '  postgres://u@127.0.0.1:5432/test \n' }).DATABASE_URL).toBe('postgres://u@127.0.0.1:5432/test');
  });
});
