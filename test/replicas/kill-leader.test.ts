import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hfItems, startFakeHf } from '../support/fake-hf.ts';
import { adminQuery, newSchemaName, postgresServerReachable, schemaUrl } from '../support/postgres-test-db.ts';
import { logLines, startCliProcess } from '../support/run-cli.ts';

// Two `paperboy start` processes on one PostgreSQL schema; the leader is killed with SIGKILL (no
// shutdown code runs: only the server noticing its closed connection frees the lock). Needs the
// server; without it, skipped with one line.

const serverUp = await postgresServerReachable();
if (!serverUp) console.log('kill -9 takeover test skipped: it needs a PostgreSQL server (several processes)');

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.skipIf(!serverUp)('a killed leader process', () => {
  it('is replaced by the other replica within 15 s, which ingests', async () => {
    const schema = newSchemaName();
    await adminQuery(`CREATE SCHEMA ${schema}`);
    cleanups.push(() => adminQuery(`DROP SCHEMA ${schema} CASCADE`));
    const today = new Date().toISOString().slice(0, 10);
    const hf = await startFakeHf({ [today]: hfItems(3, '2609') });
    cleanups.push(() => hf.close());
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-replicas-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const env = { DATABASE_URL: schemaUrl(schema), HF_BASE_URL: hf.url, INGEST_CRON: '0 0 1 1 *', LOG_LEVEL: 'info' };
    const start = () => {
      const replica = startCliProcess(['start'], { cwd: dir, env });
      cleanups.push(async () => {
        if (replica.child.exitCode === null && replica.child.signalCode === null) replica.child.kill('SIGKILL');
        await replica.exited;
      });
      return replica;
    };
    const ingested = /"msg":"ingested feed day"/;

    const first = start();
    await first.waitForOutput(/"msg":"paperboy ready"/);
    expect(logLines(first.stdout()).find((line) => line.msg === 'paperboy ready')).toMatchObject({ role: 'leader' });
    await first.waitForOutput(ingested);
    const second = start();
    await second.waitForOutput(/"msg":"paperboy ready"/);
    expect(logLines(second.stdout()).find((line) => line.msg === 'paperboy ready')).toMatchObject({ role: 'follower' });

    const killedAt = Date.now();
    first.child.kill('SIGKILL');
    await first.exited;
    await second.waitForOutput(/"msg":"became the leader: starting the leader duties"/, 15_000);
    expect(Date.now() - killedAt).toBeLessThan(15_000);
    await second.waitForOutput(ingested);

    second.child.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
  }, 60_000);
});
