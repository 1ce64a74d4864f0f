import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { addDays, toFeedDate } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { startBot, type RunningBot } from '../../src/main.ts';
import { textMessage } from '../../src/messages/message.ts';
import { openPostgres } from '../../src/store/postgres/open-postgres.ts';
import { createPostgresStore, type PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { LEADER_LOCK_KEY } from '../../src/store/postgres/leader-lock.ts';
import { addWatch } from '../../src/watches/add-watch.ts';
import { captureStream } from '../support/capture.ts';
import { hfItem, startFakeHf, type FakeHf } from '../support/fake-hf.ts';
import { adminQuery, newSchemaName, postgresServerReachable, schemaUrl, TEST_POSTGRES_URL } from '../support/postgres-test-db.ts';
import { testDeps } from '../support/test-deps.ts';
import { until } from '../support/wait.ts';

// Two bots (startBot, as `paperboy start` runs it) on one PostgreSQL schema, in one process: only
// the leader ingests and delivers; when its lock connection is cut, the follower takes over
// and does. Needs the server (several connections); without it, skipped with one line.

const serverUp = await postgresServerReachable();
if (!serverUp) console.log('leader duty tests skipped: they need a PostgreSQL server (several connections); PGlite has one');

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startReplica(env: Record<string, string>) {
  const out = captureStream();
  const logs = captureStream();
  const config = loadConfig(env);
  const bot: RunningBot = await startBot(config, { stdout: out.stream, stdin: new PassThrough(), log: createLogger(config, logs.stream) });
  cleanups.push(() => bot.stop());
  return { bot, out: out.text, logs: logs.text };
}

async function terminateLockHolder(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(
      `SELECT pg_terminate_backend(pid) FROM pg_locks
        WHERE locktype = 'advisory' AND granted AND classid = $1::bigint::oid AND objsubid = 2
          AND objid = (hashtext($2)::bigint & 4294967295)::oid`,
      [LEADER_LOCK_KEY, schema],
    );
  } finally {
    await client.end();
  }
}

const consolePost = (key: string, text: string, now: number) => ({
  platform: 'console',
  targetKind: 'channel' as const,
  targetId: 'console',
  kind: 'digest' as const,
  idempotencyKey: key,
  message: textMessage(text),
  now,
});

describe('one SQLite process', () => {
  it('always leads, and its heartbeat row says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-sole-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const hf = await startFakeHf();
    cleanups.push(() => hf.close());
    const { bot } = await startReplica({ DATABASE_PATH: join(dir, 'paperboy.db'), HF_BASE_URL: hf.url, INGEST_CRON: '0 0 1 1 *' });
    expect(bot.role()).toBe('leader');
    await bot.catchUp;
    expect(hf.requests.length).toBeGreaterThan(0);
    expect(await bot.deps.store.listReplicas(Date.now() - 30_000)).toMatchObject([{ role: 'leader', pid: process.pid }]);
  });
});

describe.skipIf(!serverUp)('leader duties with two replicas', () => {
  let hf: FakeHf;
  let shared: PostgresStore;

  it('only the leader ingests and delivers; after its connection is cut the follower does', async () => {
    const schema = newSchemaName();
    await adminQuery(`CREATE SCHEMA ${schema}`);
    cleanups.push(() => adminQuery(`DROP SCHEMA ${schema} CASCADE`));
    const today = toFeedDate(Date.now());
    hf = await startFakeHf({
      [addDays(today, -1)]: [hfItem({ id: '2609.00001', title: 'Diffusion transformers for video', upvotes: 30 })],
      [today]: [],
    });
    cleanups.push(() => hf.close());
    const db = await openPostgres(TEST_POSTGRES_URL, { searchPath: schema, max: 2 });
    shared = createPostgresStore(db, () => db.$client.end());
    cleanups.push(() => shared.close());
    await addWatch({ ...testDeps(), store: shared }, { platform: 'console', id: 'console' }, 'diffusion');

    const env = { DATABASE_URL: schemaUrl(schema), HF_BASE_URL: hf.url, INGEST_CRON: '0 0 1 1 *', LOG_LEVEL: 'debug' };
    const a = await startReplica(env);
    expect(a.bot.role()).toBe('leader');
    await a.bot.catchUp;
    await until(() => a.out().includes('Alert for user console'), 'the leader delivers the alert');
    const fetchedByLeader = hf.requests.length;
    expect(fetchedByLeader).toBeGreaterThan(0);

    const b = await startReplica(env);
    expect(b.bot.role()).toBe('follower');
    await b.bot.catchUp;
    await shared.enqueue(consolePost('k-first', 'first post while a leads', Date.now()));
    await until(() => a.out().includes('first post while a leads'), 'the leader delivers the post');
    // The follower fetched nothing and sent nothing.
    expect(hf.requests.length).toBe(fetchedByLeader);
    expect(b.out()).not.toContain('Alert for user console');
    expect(b.out()).not.toContain('first post while a leads');
    expect(b.logs()).not.toContain('became the leader');
    // Both replicas beat; one row says leader.
    const rows = await shared.listReplicas(Date.now() - 30_000);
    expect(rows.map((row) => row.role).sort()).toEqual(['follower', 'leader']);

    await terminateLockHolder(schema);
    await until(() => b.bot.role() === 'leader', 'the follower takes over');
    expect(a.bot.role()).toBe('follower');
    // The new leader's catch-up ingests (yesterday and today again) …
    await until(() => hf.requests.length > fetchedByLeader, 'the new leader ingests');
    await b.bot.catchUp;
    // … and its worker delivers; the old leader's has stopped.
    await shared.enqueue(consolePost('k-second', 'second post after the takeover', Date.now()));
    await until(() => b.out().includes('second post after the takeover'), 'the new leader delivers');
    expect(a.out()).not.toContain('second post after the takeover');
    // The rows follow (each replica beats when its role changes): still one leader.
    expect((await shared.listReplicas(Date.now() - 30_000)).filter((row) => row.role === 'leader')).toHaveLength(1);
    // The alert was sent once, by the first leader.
    expect(a.out().split('Alert for user console').length - 1 + b.out().split('Alert for user console').length - 1).toBe(1);
  }, 60_000);
});
