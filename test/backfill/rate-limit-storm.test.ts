import { afterEach, describe, expect, it } from 'vitest';
import { addDays } from '../../src/clock.ts';
import { foregroundReserve } from '../../src/feed/hf-budget.ts';
import { createScheduler, type Scheduler } from '../../src/scheduler.ts';
import { generateArchive } from '../support/archive-days.ts';
import { busiestWindow } from '../support/busiest-window.ts';
import { startFakeHf, type FakeHf } from '../support/fake-hf.ts';
import { testDeps } from '../support/test-deps.ts';
import { sleep, until } from '../support/wait.ts';

// A 429 storm during the archive backfill: the cron ingest still runs when it is due (it never
// waits for the backfill), the backfill waits as Hugging Face asks, and the whole process never
// sends more than HF_MAX_REQUESTS_PER_MINUTE requests in any minute.

const TODAY = '2026-06-01';
const LIMIT = 30;
let hf: FakeHf | undefined;
let scheduler: Scheduler | undefined;

afterEach(async () => {
  await scheduler?.stop();
  await hf?.close();
});

describe('a 429 storm during the backfill', () => {
  it('the cron ingest runs at once, the backfill waits, and no minute sees more than the configured requests', async () => {
    const fake = await startFakeHf();
    hf = fake;
    const from = '2026-03-01';
    const archive = generateArchive(from, TODAY);
    const newest = addDays(TODAY, -2);
    for (const [day, items] of archive.items) {
      // The three newest backfill days are rate limited once each (HF's RateLimit header: wait 2 s).
      const stormy = day <= newest && day > addDays(newest, -3);
      fake.setDay(day, stormy ? { fault: 'ratelimit-header', items, t: 2, times: 1 } : items);
    }
    // 2026-05-30 is a Saturday: make sure the storm's first day answers with a 429 even so.
    fake.setDay(newest, { fault: 'ratelimit-header', items: [], t: 2, times: 1 });
    const deps = testDeps({
      env: { HF_BASE_URL: fake.url, BACKFILL_FROM: from, HF_MAX_REQUESTS_PER_MINUTE: String(LIMIT), INGEST_CRON: '0 0 1 1 *', CATCH_UP_DAYS: '2' },
      now: `${TODAY}T10:00:00Z`,
    });
    const running = createScheduler(deps, { senders: [], platforms: [] });
    scheduler = running;
    const isBackfill = (date: string | null) => date !== null && date <= newest;
    const backfillCount = () => fake.requests.filter((r) => isBackfill(r.date)).length;

    await running.start();
    await until(() => backfillCount() >= 1, 'the first rate-limited backfill request', { timeoutMs: 30_000, stepMs: 10 });
    const duringStorm = backfillCount();
    // The cron run, due now: it does not wait for the backfill's pause.
    const cron = await running.runIngestNow();
    expect(cron.map((r) => r.status)).toEqual([expect.stringMatching(/^(ok|empty)$/), 'ok']);
    expect(backfillCount()).toBe(duringStorm);

    // The backfill goes on after the pause, until it has used its share of the minute.
    const share = LIMIT - foregroundReserve(LIMIT);
    await until(() => fake.requests.length >= share, 'the backfill to use its share of the budget', { timeoutMs: 30_000, stepMs: 10 });
    await sleep(1500);
    const stalled = fake.requests.length;
    expect(stalled).toBeLessThanOrEqual(LIMIT);
    // Another cron run still finds its requests free at once.
    const later = await running.runIngestNow();
    expect(later.map((r) => r.status)).toEqual([expect.stringMatching(/^(ok|empty)$/), 'ok']);

    expect(busiestWindow(fake.requests.map((r) => r.at))).toBeLessThanOrEqual(LIMIT);
    // The rate-limited days were waited out, not failed.
    const waits = await deps.store.recentRateLimitWaits(0, 100);
    expect(waits.length).toBeGreaterThanOrEqual(1);
    expect((await deps.store.archiveDays(from, newest)).failed).toEqual([]);
  }, 60_000);
});
