import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { planIngestAlerts } from '../../src/alerts/plan-alerts.ts';
import { enqueueDigest } from '../../src/digest/enqueue-digest.ts';
import { setDigest } from '../../src/digest/set-digest.ts';
import { ingestDay } from '../../src/feed/ingest.ts';
import { copyTables } from '../../src/store/copy-to-postgres/copy-tables.ts';
import { openPostgres } from '../../src/store/postgres/open-postgres.ts';
import { createPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { migrationsFolder } from '../../src/store/sqlite/open-db.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { addWatch } from '../../src/watches/add-watch.ts';
import { hfItems, readFixture, startFakeHf, type FakeHf } from '../support/fake-hf.ts';
import { adminQuery, newSchemaName, postgresServerReachable, schemaUrl, TEST_POSTGRES_URL } from '../support/postgres-test-db.ts';
import { runCli, spawnCli } from '../support/run-cli.ts';
import { testDeps } from '../support/test-deps.ts';

// `paperboy migrate-to-postgres --from <SQLite file>`: a real SQLite install (built through the
// store: ingest, watches, alerts, a digest, sent and pending deliveries) copied into a PostgreSQL
// schema of its own: the same rows, the same search results; a second run changes nothing; a run
// killed half-way is completed by the next; and everything it must refuse, it refuses.

const server = await postgresServerReachable();
if (!server) console.warn('migrate-to-postgres.test.ts: no PostgreSQL server at', TEST_POSTGRES_URL, '— skipped (CI sets REQUIRE_POSTGRES=1)');

const FEED_DAY = '2024-10-25';
const NOW = '2024-10-26T09:00:00Z';

let dir: string;
let hf: FakeHf;
const schemas: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-migrate-'));
  hf = await startFakeHf({ [FEED_DAY]: readFixture('daily_papers-2024-10-25.json') as unknown[], '2024-10-24': hfItems(5, '2409') });
});
afterAll(async () => {
  await hf.close();
  for (const schema of schemas) await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  rmSync(dir, { recursive: true, force: true });
});

async function newTarget(): Promise<{ schema: string; url: string }> {
  const schema = newSchemaName();
  schemas.push(schema);
  await adminQuery(`CREATE SCHEMA ${schema}`);
  return { schema, url: schemaUrl(schema) };
}

const cli = (args: string[], env: Record<string, string>, timeoutMs = 60_000) =>
  runCli(args, { env: { LOG_LEVEL: 'warn', HF_BASE_URL: hf.url, DATABASE_PATH: join(dir, 'unused.db'), ...env }, cwd: dir, timeoutMs });

const migrateCli = (from: string, url: string | undefined, extra: string[] = []) =>
  cli(['migrate-to-postgres', '--from', from, ...extra], url === undefined ? {} : { DATABASE_URL: url });

const Summary = z.object({
  verified: z.boolean(),
  tables: z.array(z.object({ table: z.string(), source: z.number(), target: z.number(), copied: z.number() })),
});

/** A lived-in install: watches, a fetched day that alerted them, a digest queued, one DM sent, the rest pending. */
async function buildInstall(path: string): Promise<void> {
  const store = openSqliteStore(path);
  try {
    const deps = testDeps({ store, env: { HF_BASE_URL: hf.url }, now: NOW });
    const now = deps.clock.now();
    for (const [id, query] of [
      ['ada', 'hallucinations'],
      ['bob', 'language models'],
      ['cyd', 'editing'],
    ] as const) {
      await addWatch(deps, { platform: 'discord', id }, query);
    }
    const day = await ingestDay(deps, FEED_DAY, 'cron');
    expect(day.status).toBe('ok');
    const alerts = await planIngestAlerts(deps, 'cron', [day], ['discord']);
    expect(alerts.deliveries).toBeGreaterThan(1);
    // Set the day before, so the fetched day is the digest's next post.
    const earlier = testDeps({ store, now: '2024-10-24T12:00:00Z' });
    const digest = await setDigest(earlier, { platform: 'slack', id: 'C1', workspaceId: 'T1' }, 'U1', { top: 3 });
    expect(await enqueueDigest(deps, { digest, feedDates: [FEED_DAY], offline: false, dropped: [] }, deps.clock.now())).toBe('queued');
    const [first] = await store.claimDue(now, { limit: 1, platforms: ['discord'] });
    if (!first) throw new Error('nothing to claim');
    await store.markSent(first.id, 'm-1', now);
    await store.markDmClosed({ platform: 'discord', id: 'cyd' }, now);
    await store.savePageCursor({ platform: 'discord', userId: 'ada', command: 'search', options: { query: 'diffusion' } }, now);
    await store.recordRateLimitWait({ source: 'discord', route: '/channels/:id/messages', waitMs: 1200, at: now });
    const failed = await store.startIngestRun('2024-10-26', 'cron', now);
    await store.failIngestRun(failed, 'HTTP 500', now);
  } finally {
    await store.close();
  }
}

const text = (value: unknown) => (value === null ? null : typeof value === 'boolean' ? (value ? '1' : '0') : String(value));

/** Every copied table, every row, in key order, values as text (PostgreSQL's bigints arrive as strings). */
function sqliteRows(path: string): Record<string, Array<Array<string | null>>> {
  const sqlite = new Database(path, { readonly: true });
  try {
    return Object.fromEntries(
      copyTables().map((table) => [
        table.name,
        sqlite
          .prepare(`SELECT ${table.columns.join(', ')} FROM ${table.name} ORDER BY ${table.key.join(', ')}`)
          .raw()
          .all()
          .map((row) => (row as unknown[]).map(text)),
      ]),
    );
  } finally {
    sqlite.close();
  }
}

async function postgresRows(url: string): Promise<Record<string, Array<Array<string | null>>>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const out: Record<string, Array<Array<string | null>>> = {};
    for (const table of copyTables()) {
      // Text keys sort as SQLite sorts them (bytewise), not by the server's locale.
      const types = await client.query<{ column_name: string; data_type: string }>(
        'SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1',
        [table.name],
      );
      const isText = new Set(types.rows.filter((row) => row.data_type === 'text').map((row) => row.column_name));
      const order = table.key.map((column) => (isText.has(column) ? `${column} COLLATE "C"` : column)).join(', ');
      const result = await client.query({ text: `SELECT ${table.columns.join(', ')} FROM ${table.name} ORDER BY ${order}`, rowMode: 'array' });
      out[table.name] = result.rows.map((row: unknown[]) => row.map(text));
    }
    return out;
  } finally {
    await client.end();
  }
}

const SEARCH_INDEXES = ['papers_search_keys_idx', 'papers_search_vector_idx', 'papers_title_vector_idx'];

async function namesOf(url: string, query: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ name: string }>(query)).rows.map((row) => row.name);
  } finally {
    await client.end();
  }
}

const papersGinIndexes = (url: string) =>
  namesOf(url, "SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'papers' AND indexdef LIKE '% USING gin %' ORDER BY 1");
const deferredIndexNames = (url: string) => namesOf(url, 'SELECT name FROM deferred_indexes ORDER BY 1');

async function searchIds(query: string, env: Record<string, string>): Promise<string[]> {
  const result = await cli(['search', query, '--json'], env);
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as Array<{ id: string }>).map((paper) => paper.id);
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe.runIf(server)('migrate-to-postgres copies a SQLite install', { timeout: 180_000 }, () => {
  const source = () => join(dir, 'install.db');
  let target: { schema: string; url: string };
  beforeAll(async () => {
    await buildInstall(source());
    target = await newTarget();
  });

  it('copies every table with its ids, verifies the counts, and leaves the source as it was', async () => {
    expect(copyTables().map((table) => table.name).sort()).toEqual(
      ['alerted_papers', 'artifact_alerts', 'arxiv_backfill_days', 'arxiv_listings', 'arxiv_polls', 'channel_digests', 'deliveries', 'followup_items', 'ingest_runs', 'meta', 'page_cursors', 'paper_days', 'papers', 'rate_limit_events', 'saved_papers', 'upvote_snapshots', 'users', 'watches'].sort(),
    );
    const before = sha(source());
    const result = await migrateCli(source(), target.url, ['--json']);
    expect(result.code, result.stderr).toBe(0);
    const summary = Summary.parse(JSON.parse(result.stdout));
    expect(summary.verified).toBe(true);
    const byTable = Object.fromEntries(summary.tables.map((table) => [table.table, table]));
    expect(byTable.papers).toEqual({ table: 'papers', source: 29, target: 29, copied: 29 });
    for (const table of ['watches', 'alerted_papers', 'deliveries', 'channel_digests', 'users', 'page_cursors', 'rate_limit_events', 'meta', 'ingest_runs']) {
      expect(byTable[table]?.source, table).toBeGreaterThan(0);
    }
    expect(result.stderr).toContain('papers: 29/29 rows');
    expect(await postgresRows(target.url)).toEqual(sqliteRows(source()));
    expect(sha(source())).toBe(before);
    // The pending outbox rows and the watermarks came along.
    const rows = await postgresRows(target.url);
    expect(rows.deliveries?.some((row) => row.includes('pending'))).toBe(true);
    expect(rows.deliveries?.some((row) => row.includes('sent'))).toBe(true);
    // Settled as after a restore: the search indexes' pending lists merged, the tables analyzed.
    const client = new pg.Client({ connectionString: target.url });
    await client.connect();
    try {
      const pending = await client.query<{ n: string }>(
        "SELECT gin_clean_pending_list('papers_search_vector_idx'::regclass) + gin_clean_pending_list('papers_title_vector_idx'::regclass) AS n",
      );
      expect(Number(pending.rows[0]?.n)).toBe(0);
      const analyzed = await client.query<{ n: string }>(
        "SELECT count(*) AS n FROM pg_stat_user_tables WHERE schemaname = current_schema() AND relname = 'papers' AND last_analyze IS NOT NULL AND last_vacuum IS NOT NULL",
      );
      expect(Number(analyzed.rows[0]?.n)).toBe(1);
    } finally {
      await client.end();
    }
  });

  it('a second run copies nothing and changes nothing', async () => {
    const before = await postgresRows(target.url);
    const result = await migrateCli(source(), target.url, ['--json']);
    expect(result.code, result.stderr).toBe(0);
    const summary = Summary.parse(JSON.parse(result.stdout));
    expect(summary.verified).toBe(true);
    expect(summary.tables.every((table) => table.copied === 0)).toBe(true);
    expect(await postgresRows(target.url)).toEqual(before);
  });

  it('names the target by host, database and schema, never the password', async () => {
    const withPassword = new URL(target.url);
    withPassword.password = 'hunter2-secret';
    const result = await migrateCli(source(), withPassword.toString());
    expect(result.code, result.stderr).toBe(0);
    const where = `postgres://${withPassword.host}${withPassword.pathname}, schema ${target.schema}`;
    expect(result.stderr).toContain(`Copying ${source()} into ${where}\n`);
    expect(result.stdout).toContain(`Copied ${source()} into ${where}:`);
    expect(result.stdout + result.stderr).not.toContain('hunter2');
  });

  it('refuses a source a bot is running on (a fresh heartbeat), unless --bot-stopped; a stale or dead one is no bot', async () => {
    const path = join(dir, 'running.db');
    copyFileSync(source(), path);
    const beat = async (row: { host: string; pid: number; agoMs: number }) => {
      const store = openSqliteStore(path);
      try {
        const at = Date.now() - row.agoMs;
        await store.recordHeartbeat({ id: `${row.host}:${row.pid}:abc123`, host: row.host, pid: row.pid, role: 'leader', startedAt: at, lastSeenAt: at }, 0);
      } finally {
        await store.close();
      }
    };
    // A process of this host that has exited, and a heartbeat of another host's older than a live one's.
    const exited = spawnSync(process.execPath, ['-e', '']).pid;
    await beat({ host: hostname(), pid: exited, agoMs: 0 });
    await beat({ host: 'other-host', pid: 4242, agoMs: 120_000 });
    const copy = await newTarget();
    const stopped = await migrateCli(path, copy.url);
    expect(stopped.code, stopped.stderr).toBe(0);

    await beat({ host: 'other-host', pid: 4242, agoMs: 0 });
    const before = await postgresRows(copy.url);
    const refused = await migrateCli(path, copy.url);
    expect(refused.code).toBe(1);
    expect(refused.stderr.replace(/heartbeat is \d+ s old/, 'heartbeat is N s old')).toBe(
      `paperboy: --from ${path}: a paperboy bot is running on it (its heartbeat is N s old, pid 4242 on other-host): stop it first, ` +
        'or what it writes after the copy starts is lost; nothing was copied. If it is stopped (killed less than 30 s ago), pass --bot-stopped.\n',
    );
    expect(await postgresRows(copy.url)).toEqual(before);
    const forced = await migrateCli(path, copy.url, ['--bot-stopped']);
    expect(forced.code, forced.stderr).toBe(0);
  });

  it('searches the copy as PostgreSQL searches the same day fetched directly, and finds what SQLite found', async () => {
    // The tsvector is generated, so the copy is indexed as a native install is: same results, same order.
    const native = await newTarget();
    const ingest = await cli(['ingest', '--date', FEED_DAY], { DATABASE_URL: native.url });
    expect(ingest.code, ingest.stderr).toBe(0);
    // Searching saves a page cursor: search a copy of the source, which stays as it was.
    copyFileSync(source(), join(dir, 'install-searched.db'));
    for (const query of ['hallucinations', '"language models"', 'author:li reasoning', 'editing -"language models"']) {
      const onCopy = await searchIds(query, { DATABASE_URL: target.url });
      expect(onCopy.length, query).toBeGreaterThan(0);
      expect(onCopy, query).toEqual(await searchIds(query, { DATABASE_URL: native.url }));
      // Each engine ranks with its own relevance measure: under a page of matches, the same papers.
      const onSqlite = await searchIds(query, { DATABASE_PATH: join(dir, 'install-searched.db') });
      if (onSqlite.length < 10) expect([...onCopy].sort(), query).toEqual([...onSqlite].sort());
    }
  });

  it('new rows on PostgreSQL take ids after the copied ones', async () => {
    const db = await openPostgres(TEST_POSTGRES_URL, { searchPath: target.schema, max: 1 });
    const store = createPostgresStore(db, () => db.$client.end());
    try {
      const copied = sqliteRows(source());
      const maxId = (table: string) => Math.max(...(copied[table] ?? []).map((row) => Number(row[0])));
      const watch = await store.insertWatch({ platform: 'discord', id: 'dan' }, { query: 'diffusion', queryKey: 'diffusion' }, 10, 1);
      expect(watch.ok && watch.watch.id).toBe(maxId('watches') + 1);
      const run = await store.startIngestRun('2024-10-27', 'cron', 1);
      expect(run).toBe(maxId('ingest_runs') + 1);
    } finally {
      await store.close();
    }
    // Written there since the copy: a rerun refuses, naming the row as its user knows it.
    const rerun = await migrateCli(source(), target.url);
    expect(rerun.code).toBe(1);
    expect(rerun.stderr).toContain("paperboy: the target already holds data that is not this source's (it has a feed fetch of 2024-10-27, which the source does not)");
  });

  it("refuses a target that holds another install's data, and writes nothing into it", async () => {
    const other = await newTarget();
    const ingest = await cli(['ingest', '--date', '2024-10-24'], { DATABASE_URL: other.url });
    expect(ingest.code, ingest.stderr).toBe(0);
    const before = await postgresRows(other.url);
    const result = await migrateCli(source(), other.url);
    expect(result.code).toBe(1);
    // In the terms of whoever runs it: the papers by their arXiv ids, never a row id.
    expect(result.stderr).toMatch(/\npaperboy: the target already holds data that is not this source's \(it has paper arXiv 2409\.10000 where the source has paper arXiv 2410\.\d{5}\)/);
    expect(result.stderr).not.toContain('id=');
    expect(result.stderr).toContain('nothing was copied');
    expect(await postgresRows(other.url)).toEqual(before);
  });
});

describe.runIf(server)('migrate-to-postgres killed half-way', { timeout: 240_000 }, () => {
  const PAPERS = 30_000;
  const source = () => join(dir, 'big.db');
  beforeAll(() => {
    const store = openSqliteStore(source());
    const sqlite = store.db.$client;
    const paper = sqlite.prepare(
      "INSERT INTO papers (arxiv_id, title, abstract, authors, upvotes, latest_feed_date, first_seen_at, updated_at) VALUES (?, ?, ?, '[\"Ada Lovelace\"]', ?, '2024-10-25', 1, 1)",
    );
    const day = sqlite.prepare("INSERT INTO paper_days (paper_id, feed_date, seen_at) VALUES (?, '2024-10-25', 1)");
    sqlite.transaction(() => {
      for (let i = 1; i <= PAPERS; i += 1) {
        paper.run(`2410.${String(i).padStart(5, '0')}`, `Sparse attention study ${i}`, `We study sparse attention in model ${i} with a long abstract about transformers and kernels.`, i % 50);
        day.run(i);
      }
    })();
    sqlite.close();
  });

  /**
   * Starts a copy into a new schema and stops it with `signal` once it has written some papers;
   * their count. SIGINT (Ctrl-C) exits 130 saying how to finish; SIGKILL just ends it.
   */
  async function killedCopy(signal: 'SIGKILL' | 'SIGINT' = 'SIGKILL'): Promise<{ url: string; partial: number }> {
    const target = await newTarget();
    const child = spawnCli(['migrate-to-postgres', '--from', source()], { env: { DATABASE_URL: target.url, DATABASE_PATH: join(dir, 'unused.db'), LOG_LEVEL: 'warn' }, cwd: dir });
    child.stdin.end();
    let stderr = '';
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no progress line: ${stderr}`)), 60_000);
      let sent = false;
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8');
        if (!sent && /papers: \d+\/30000 rows/.test(stderr)) {
          sent = true;
          clearTimeout(timer);
          child.kill(signal);
          resolve();
        }
      });
    });
    if (signal === 'SIGKILL') expect(await exited).toEqual({ code: null, signal: 'SIGKILL' });
    else {
      expect(await exited).toEqual({ code: 130, signal: null });
      expect(stderr).toContain('interrupted: what was copied stays; run migrate-to-postgres again to finish the copy.');
    }
    // Statements the copy had in flight still commit on the server after the kill: read the
    // count once it has stopped moving.
    let partial = -1;
    for (let tries = 0; tries < 40; tries += 1) {
      const count = (await postgresRows(target.url)).papers?.length ?? 0;
      if (count === partial) break;
      partial = count;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(PAPERS);
    // Filled without the papers' search indexes, whose definitions wait to be built.
    expect(await papersGinIndexes(target.url)).toEqual([]);
    expect(await deferredIndexNames(target.url)).toEqual(SEARCH_INDEXES);
    return { url: target.url, partial };
  }

  it('a rerun completes the copy, builds the search indexes it deferred, counts verified, and the copy is searchable', async () => {
    const { url, partial } = await killedCopy();
    const rerun = await migrateCli(source(), url, ['--json']);
    expect(rerun.code, rerun.stderr).toBe(0);
    const summary = Summary.parse(JSON.parse(rerun.stdout));
    expect(summary.verified).toBe(true);
    const papers = summary.tables.find((table) => table.table === 'papers');
    expect(papers).toEqual({ table: 'papers', source: PAPERS, target: PAPERS, copied: PAPERS - partial });
    expect(summary.tables.find((table) => table.table === 'paper_days')?.target).toBe(PAPERS);
    expect(await postgresRows(url)).toEqual(sqliteRows(source()));
    for (const name of SEARCH_INDEXES) expect(rerun.stderr).toContain(`building index ${name}`);
    expect(await papersGinIndexes(url)).toEqual(SEARCH_INDEXES);
    expect(await deferredIndexNames(url)).toEqual([]);
    const found = await cli(['search', 'sparse attention kernels', '--json', '--limit', '1'], { DATABASE_URL: url });
    expect(found.code, found.stderr).toBe(0);
    expect(JSON.parse(found.stdout)).toHaveLength(1);
  });

  it('a command on a copy stopped by Ctrl-C builds the search indexes it had deferred, saying so, and the copy still resumes', async () => {
    const { url, partial } = await killedCopy('SIGINT');
    // Opening the target for the copy leaves them to the copy, which drops them to fill the table.
    const forCopy = await openPostgres(url, { deferredIndexes: { build: false } });
    await forCopy.$client.end();
    expect(await deferredIndexNames(url)).toEqual(SEARCH_INDEXES);
    const found = await cli(['search', 'sparse attention kernels', '--json', '--limit', '1'], { DATABASE_URL: url });
    expect(found.code, found.stderr).toBe(0);
    expect(JSON.parse(found.stdout)).toHaveLength(1);
    for (const name of SEARCH_INDEXES) expect(found.stderr).toContain(`"index":"${name}"`);
    expect(found.stderr).toContain('building a search index a killed migrate-to-postgres left unbuilt');
    expect(await papersGinIndexes(url)).toEqual(SEARCH_INDEXES);
    expect(await deferredIndexNames(url)).toEqual([]);
    // The search saved its Next cursor in the target; the copy drops it and goes on.
    const rerun = await migrateCli(source(), url, ['--json']);
    expect(rerun.code, rerun.stderr).toBe(0);
    const summary = Summary.parse(JSON.parse(rerun.stdout));
    expect(summary.verified).toBe(true);
    expect(summary.tables.find((table) => table.table === 'papers')).toEqual({ table: 'papers', source: PAPERS, target: PAPERS, copied: PAPERS - partial });
    expect(await postgresRows(url)).toEqual(sqliteRows(source()));
    expect(await papersGinIndexes(url)).toEqual(SEARCH_INDEXES);
    expect(await deferredIndexNames(url)).toEqual([]);
  });
});

describe('migrate-to-postgres refuses', { timeout: 60_000 }, () => {
  const url = schemaUrl('pb_never_created');

  it('without DATABASE_URL, and creates no SQLite file', async () => {
    writeFileSync(join(dir, 'some.db'), '');
    const result = await migrateCli(join(dir, 'some.db'), undefined);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('paperboy: migrate-to-postgres copies into PostgreSQL: set DATABASE_URL to the target, e.g. DATABASE_URL=postgres://paperboy@db:5432/paperboy.');
    expect(existsSync(join(dir, 'unused.db'))).toBe(false);
  });

  it('without --from (a usage error), or with arguments it does not take', async () => {
    const missing = await cli(['migrate-to-postgres'], { DATABASE_URL: url });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('migrate-to-postgres needs --from');
    const stray = await cli(['migrate-to-postgres', 'data.db'], { DATABASE_URL: url });
    expect(stray.code).toBe(2);
  });

  it('a --from that does not exist, is a directory, is not SQLite, is empty or is another application’s; none is created or written', async () => {
    const cases: Array<[string, () => void, string]> = [
      [join(dir, 'nope', 'paperboy.db'), () => undefined, 'no such file'],
      [join(dir, 'a-directory'), () => mkdirSync(join(dir, 'a-directory')), 'is a directory'],
      [join(dir, 'notes.txt'), () => writeFileSync(join(dir, 'notes.txt'), 'not a database at all, just some text that is long enough'.repeat(20)), 'is not a readable SQLite database'],
      [join(dir, 'empty.db'), () => writeFileSync(join(dir, 'empty.db'), ''), 'is an empty database'],
      [
        join(dir, 'other-app.db'),
        () => {
          const other = new Database(join(dir, 'other-app.db'));
          other.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)');
          other.close();
        },
        "is not a paperboy database (tables invoices, and no paperboy migrations)",
      ],
    ];
    for (const [path, make, message] of cases) {
      make();
      const before = existsSync(path) && !path.endsWith('a-directory') ? sha(path) : null;
      const result = await migrateCli(path, url);
      expect(result.code, path).toBe(1);
      expect(result.stderr, path).toContain(`paperboy: --from ${path}`);
      expect(result.stderr, path).toContain(message);
      if (before === null) expect(existsSync(path) && !path.endsWith('a-directory'), path).toBe(false);
      else expect(sha(path), path).toBe(before);
    }
  });

  it('a database at an older schema: says how to upgrade it, and leaves it as it was', async () => {
    const Journal = z.object({ entries: z.array(z.object({ tag: z.string() }).loose()) }).loose();
    const journal = Journal.parse(JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')));
    const folder = join(dir, 'first-migration');
    mkdirSync(join(folder, 'meta'), { recursive: true });
    const first = journal.entries.slice(0, 1);
    for (const entry of first) copyFileSync(join(migrationsFolder, `${entry.tag}.sql`), join(folder, `${entry.tag}.sql`));
    writeFileSync(join(folder, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries: first }));
    const path = join(dir, 'old.db');
    const sqlite = new Database(path);
    migrate(drizzle(sqlite), { migrationsFolder: folder });
    sqlite.close();
    const before = sha(path);
    const result = await migrateCli(path, url);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`paperboy: --from ${path} was written by an older paperboy (schema 1 of ${journal.entries.length}): upgrade it first`);
    expect(result.stderr).toContain('DATABASE_URL= DATABASE_PATH=<that file> paperboy today');
    expect(sha(path)).toBe(before);
  });
});
