import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { addDays, toFeedDate } from '../../src/clock.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { generateArchive } from '../support/archive-days.ts';
import { crashSeed, seededRandom } from '../support/crash-random.ts';
import { startFakeHf, type FakeHf } from '../support/fake-hf.ts';
import { runCli, startCliProcess } from '../support/run-cli.ts';
import { sleep } from '../support/wait.ts';

// The bot (`paperboy start`, console) killed with SIGKILL five times during the archive backfill,
// then started again: it resumes where it stopped, never fetches a day it had stored, and never
// queues a DM or a digest for the history it stores.

const SEED = crashSeed(20261201);
const Run = z.object({ feedDate: z.string(), status: z.string(), id: z.number() });

const today = toFeedDate(Date.now());
const from = addDays(today, -400);
let hf: FakeHf;
let dir: string;
let env: Record<string, string>;
const children: Array<ReturnType<typeof startCliProcess>> = [];

beforeAll(async () => {
  hf = await startFakeHf();
  for (const [day, items] of generateArchive(from, today).items) hf.setDay(day, items);
  dir = mkdtempSync(join(tmpdir(), 'paperboy-backfill-kill-'));
  env = { DATABASE_PATH: join(dir, 'paperboy.db'), HF_BASE_URL: hf.url, LOG_LEVEL: 'warn', BACKFILL_FROM: from, HF_MAX_REQUESTS_PER_MINUTE: '100000', INGEST_CRON: '0 0 1 1 *' };
});

afterAll(async () => {
  for (const bot of children) if (bot.child.exitCode === null && bot.child.signalCode === null) bot.child.kill('SIGKILL');
  await hf?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Requests for days the backfill owns (not yesterday or today, which the catch-up fetches). */
const backfillRequests = () => hf.requests.filter((r) => r.date !== null && r.date <= addDays(today, -2));

function readRuns() {
  const store = openSqliteStore(env.DATABASE_PATH ?? '');
  try {
    const runs = z.array(Run).parse(store.db.$client.prepare('SELECT id, feed_date AS feedDate, status FROM ingest_runs ORDER BY id').all());
    const digests = Number(store.db.$client.prepare("SELECT count(*) FROM deliveries WHERE kind = 'digest'").pluck().get());
    // The feed days of every paper a DM alerted (the regular ingest's days only).
    const alertedDays = z
      .array(z.string())
      .parse(store.db.$client.prepare('SELECT DISTINCT d.feed_date FROM alerted_papers a JOIN paper_days d ON d.paper_id = a.paper_id ORDER BY 1').pluck().all());
    return { runs, digests, alertedDays };
  } finally {
    void store.close();
  }
}

describe('kill -9 during the archive backfill', () => {
  it('resumes after five kills; no stored day is fetched again; history never queues a DM or a digest', async () => {
    const random = seededRandom(SEED);
    // A watch every archive paper matches: it may alert the regular ingest's papers, never history.
    expect((await runCli(['watch', 'add', '--user', 'console', 'diffusion'], { env, cwd: dir })).code).toBe(0);

    for (let kill = 0; kill < 5; kill += 1) {
      const before = backfillRequests().length;
      const bot = startCliProcess(['start'], { env, cwd: dir });
      children.push(bot);
      const target = before + random.int(20, 60);
      const deadline = Date.now() + 60_000;
      while (backfillRequests().length < target && Date.now() < deadline && bot.child.exitCode === null) await sleep(2);
      bot.child.kill('SIGKILL');
      await bot.exited;
      expect(bot.child.signalCode, `kill ${kill + 1}: ${bot.stderr()}`).toBe('SIGKILL');
    }
    const killed = readRuns();
    expect(killed.runs.some((r) => r.status === 'ok' || r.status === 'empty')).toBe(true);

    // The sixth start finishes the archive.
    const bot = startCliProcess(['start'], { env, cwd: dir });
    children.push(bot);
    const days = 399;
    const deadline = Date.now() + 120_000;
    for (;;) {
      const done = new Set(readRuns().runs.filter((r) => r.feedDate <= addDays(today, -2) && (r.status === 'ok' || r.status === 'empty')).map((r) => r.feedDate));
      if (done.size === days || Date.now() > deadline) break;
      await sleep(200);
    }
    bot.child.kill('SIGTERM');
    await bot.exited;

    const { runs, digests, alertedDays } = readRuns();
    const byDay = new Map<string, Array<z.infer<typeof Run>>>();
    for (const run of runs) byDay.set(run.feedDate, [...(byDay.get(run.feedDate) ?? []), run]);
    for (let day = from; day <= addDays(today, -2); day = addDays(day, 1)) {
      const dayRuns = byDay.get(day) ?? [];
      const stored = dayRuns.filter((r) => r.status === 'ok' || r.status === 'empty');
      // Stored exactly once, by its last run: nothing fetched it after it was stored.
      expect(stored.map((r) => r.id), day).toEqual([dayRuns.at(-1)?.id]);
      // One request a run at most (one page a day): a kill can only cost the day in flight.
      expect(hf.requestsFor(day).length, day).toBeLessThanOrEqual(dayRuns.length);
    }
    expect(digests).toBe(0);
    // The catch-up's days (yesterday, today) alert the watch; no backfilled day ever does.
    expect(alertedDays.every((day) => day >= addDays(today, -1))).toBe(true);
    expect(alertedDays.length).toBeGreaterThan(0);
  }, 300_000);
});
