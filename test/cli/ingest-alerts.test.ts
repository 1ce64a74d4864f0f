import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/clock.ts';
import { dispatchCommand } from '../../commands/dispatch.ts';
import { ingestDay } from '../../src/feed/ingest.ts';
import { createScheduler } from '../../src/scheduler.ts';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { addWatch } from '../../src/watches/add-watch.ts';
import { hfItem, startFakeHf, type FakeHf } from '../support/fake-hf.ts';
import { runCli, startCliProcess } from '../support/run-cli.ts';
import { testDeps } from '../support/test-deps.ts';

// `paperboy ingest` (no dates) is the cron run by hand: it queues the same alert DMs the
// scheduler's ingest job would, for the bot to send. A backfill stores history and alerts nobody.

const today = new Date().toISOString().slice(0, 10);
const yesterday = addDays(today, -1);
const users = [
  { id: 'ada', query: 'diffusion' },
  { id: 'bob', query: 'reasoning' },
  { id: 'cyd', query: 'hallucinations' },
];

let hf: FakeHf;
let dir: string;
const dbPath = () => join(dir, 'cli.db');
const env = () => ({ DATABASE_PATH: dbPath(), HF_BASE_URL: hf.url, LOG_LEVEL: 'warn' });

async function withStore<T>(path: string, use: (store: SqliteStore) => T | Promise<T>): Promise<T> {
  const store = openSqliteStore(path);
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

async function addWatches(path: string): Promise<void> {
  await withStore(path, async (store) => {
    const deps = testDeps({ store, now: new Date().toISOString() });
    for (const user of users) await addWatch(deps, { platform: 'console', id: user.id }, user.query);
  });
}

/** The alert rows as a user would tell them apart: who, what (timestamps left out). */
function alertRows(store: SqliteStore) {
  return store.db.$client
    .prepare("SELECT platform, target_kind, target_id, idempotency_key, payload, state FROM deliveries WHERE kind = 'alert' ORDER BY target_id")
    .all();
}

beforeAll(async () => {
  hf = await startFakeHf({
    [yesterday]: [hfItem({ title: 'Diffusion models for proteins' }), hfItem({ title: 'Graph neural networks' })],
    [today]: [hfItem({ title: 'Chain-of-thought reasoning at scale' }), hfItem({ title: 'Diffusion reasoning hybrids' }), hfItem({ title: 'Sorting algorithms' })],
    // History: each of these matches a watch but must never be DMed.
    '2024-10-24': [hfItem({ title: 'Old diffusion survey' })],
    '2024-10-25': [hfItem({ title: 'Old reasoning benchmark' })],
    '2024-01-01': [hfItem({ title: 'Hallucinations in 1990' })],
  });
  dir = mkdtempSync(join(tmpdir(), 'paperboy-ingest-alerts-'));
});

afterAll(async () => {
  await hf.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('paperboy ingest and watch alerts', { timeout: 90_000 }, () => {
  it('a plain ingest queues the alert DMs the cron run would; backfills queue none; the bot sends each once', async () => {
    // The cron run, in process, on its own database with the same watches and feed.
    const cronPath = join(dir, 'cron.db');
    await addWatches(cronPath);
    const cronRows = await withStore(cronPath, async (store) => {
      const deps = testDeps({ store, now: new Date().toISOString(), env: { HF_BASE_URL: hf.url } });
      const scheduler = createScheduler(deps, { senders: [], platforms: ['console'], ingest: { fetch: { retries: 0 } } });
      await scheduler.runIngestNow();
      return alertRows(store);
    });
    expect(cronRows.map((row) => (row as { target_id: string }).target_id)).toEqual(['ada', 'bob']);

    // The same through the CLI.
    await addWatches(dbPath());
    const plain = await runCli(['ingest'], { env: env(), cwd: dir });
    expect(plain.stderr).toBe('');
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('Queued 2 alert DMs');
    expect(await withStore(dbPath(), alertRows)).toEqual(cronRows);

    // Backfills: papers stored, no alert queued, watermark past them (the bot never alerts them).
    const range = await runCli(['ingest', '--from', '2024-10-24', '--to', '2024-10-25'], { env: env(), cwd: dir });
    expect(range.code).toBe(0);
    expect(range.stdout).toMatch(/backfill.*no alert/i);
    const single = await runCli(['ingest', '--date', '2024-01-01'], { env: env(), cwd: dir });
    expect(single.code).toBe(0);
    expect(single.stdout).toMatch(/backfill.*no alert/i);
    await withStore(dbPath(), async (store) => {
      expect(alertRows(store)).toEqual(cronRows);
      const newest = store.db.$client.prepare('SELECT max(id) FROM papers').pluck().get();
      expect(await store.alertWatermark()).toBe(newest);
      // What /papers status tells apart: the regular ingest and backfills.
      const triggers = store.db.$client.prepare('SELECT feed_date, trigger FROM ingest_runs ORDER BY id').all();
      expect(triggers).toEqual([
        { feed_date: yesterday, trigger: 'cli' },
        { feed_date: today, trigger: 'cli' },
        { feed_date: '2024-10-24', trigger: 'backfill' },
        { feed_date: '2024-10-25', trigger: 'backfill' },
        { feed_date: '2024-01-01', trigger: 'backfill' },
      ]);
    });
    // `/papers status` on that database: the regular ingest's day, the backfill on its own line.
    await withStore(dbPath(), async (store) => {
      const deps = testDeps({ store, now: new Date().toISOString() });
      const channel = { platform: 'console', id: 'console', isDm: false } as const;
      const reply = await dispatchCommand(deps, { name: 'status', rawOptions: {}, user: { platform: 'console', id: 'ada' }, channel, isAdmin: false });
      const fields = Object.fromEntries(reply.fields.map((field) => [field.name, field.value]));
      expect(fields['Last successful ingest']).toMatch(new RegExp(`^feed day ${today}, finished `));
      expect(fields.Backfill).toMatch(/^3 days between 2024-01-01 and 2024-10-25, last run finished /);
    });

    // The bot starts (console), its worker sends each queued DM, its catch-up ingest adds none.
    const bot = startCliProcess(['start'], { cwd: dir, env: { ...env(), LOG_LEVEL: 'info', INGEST_CRON: '0 0 1 1 *' } });
    try {
      await bot.waitForOutput(/Alert for user ada/);
      await bot.waitForOutput(/Alert for user bob/);
      await bot.waitForOutput(new RegExp(`"feedDate":"${today}"[^\\n]*"msg":"ingested feed day"`));
    } finally {
      bot.child.kill('SIGTERM');
      await bot.exited;
    }
    const out = bot.stdout();
    expect(out.match(/Alert for user ada/g)).toHaveLength(1);
    expect(out.match(/Alert for user bob/g)).toHaveLength(1);
    expect(out).not.toMatch(/Alert for user cyd|Old diffusion survey|Old reasoning benchmark|Hallucinations in 1990/);
    await withStore(dbPath(), (store) => {
      const rows = alertRows(store) as Array<{ state: string }>;
      expect(rows.map((row) => row.state)).toEqual(['sent', 'sent']);
    });
  });

  it('--date of yesterday is the cron run by hand: it queues alerts', async () => {
    const path = join(dir, 'dates.db');
    await addWatches(path);
    const dated = await runCli(['ingest', '--date', yesterday], { env: { ...env(), DATABASE_PATH: path }, cwd: dir });
    expect(dated.code).toBe(0);
    expect(dated.stdout).toContain('Queued 1 alert DM');
    await withStore(path, (store) => expect((alertRows(store) as Array<{ target_id: string }>).map((row) => row.target_id)).toEqual(['ada']));
  });

  it('an empty --date (an unset shell variable) is refused, not run as the cron with its alerts', async () => {
    const path = join(dir, 'empty-date.db');
    const requests = hf.requests.length;
    const result = await runCli(['ingest', '--date', ''], { env: { ...env(), DATABASE_PATH: path }, cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--date needs a date');
    expect(hf.requests).toHaveLength(requests);
  });

  it('a backfill alerts papers an earlier regular ingest left unplanned (a crash), and none of its own', async () => {
    const path = join(dir, 'crash.db');
    await addWatches(path);
    // The cron stored yesterday, then the process died before planning its alerts.
    await withStore(path, async (store) => {
      await ingestDay(testDeps({ store, now: new Date().toISOString(), env: { HF_BASE_URL: hf.url } }), yesterday, 'cron');
    });
    const result = await runCli(['ingest', '--from', '2024-10-24', '--to', '2024-10-25'], { env: { ...env(), DATABASE_PATH: path }, cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('queued 1 alert DM for papers an earlier ingest had not alerted yet');
    await withStore(path, async (store) => {
      const rows = alertRows(store) as Array<{ target_id: string; payload: string }>;
      expect(rows.map((row) => row.target_id)).toEqual(['ada']);
      expect(rows[0]?.payload).toContain('Diffusion models for proteins');
      expect(rows[0]?.payload).not.toContain('Old diffusion survey');
      expect(await store.alertWatermark()).toBe(store.db.$client.prepare('SELECT max(id) FROM papers').pluck().get());
    });
  });
});
