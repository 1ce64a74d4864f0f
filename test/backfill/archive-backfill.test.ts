import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { archiveRange, MAX_ATTEMPTS, runArchiveBackfill } from '../../src/backfill/archive-backfill.ts';
import { addDays } from '../../src/clock.ts';
import { planIngestAlerts } from '../../src/alerts/plan-alerts.ts';
import { ingestDay } from '../../src/feed/ingest.ts';
import { parseQuery } from '../../src/search/parse-query.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { addWatch } from '../../src/watches/add-watch.ts';
import { alice, general, run } from '../commands/harness.ts';
import { generateArchive } from '../support/archive-days.ts';
import { hfItems, startFakeHf, type FakeHf } from '../support/fake-hf.ts';
import { testDeps, type TestDeps } from '../support/test-deps.ts';

// The archive backfill against a fake Hugging Face serving three years of days.

const NOW = '2026-06-01T10:00:00Z';
const TODAY = '2026-06-01';
const FROM = '2023-06-01';
const noWait = async () => {};

let hf: FakeHf;
let dir: string | undefined;

beforeEach(async () => {
  hf = await startFakeHf();
});

afterEach(async () => {
  await hf.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function depsFor(env: Record<string, string> = {}, store?: ReturnType<typeof openSqliteStore>): TestDeps {
  return testDeps({ env: { HF_BASE_URL: hf.url, BACKFILL_FROM: FROM, HF_MAX_REQUESTS_PER_MINUTE: '100000', COMMAND_RATE_LIMIT: '1000', ...env }, now: NOW, store });
}

function serve(archive: ReturnType<typeof generateArchive>): void {
  for (const [day, items] of archive.items) hf.setDay(day, items);
}

const statusField = async (deps: TestDeps, name: string) => (await run(deps, 'status', {}, { user: alice, channel: general })).fields?.find((f) => f.name === name)?.value;

describe('archive backfill', () => {
  it('fetches three years newest first, silently, resumes without fetching a stored day twice, and shows its progress', async () => {
    const deps = depsFor();
    const range = archiveRange(deps);
    expect(range).toEqual({ from: FROM, to: addDays(TODAY, -2) });
    if (!range) return;
    const archive = generateArchive(FROM, TODAY);
    serve(archive);
    // A regular ingest of today and yesterday, and a watch every archive paper matches.
    await addWatch(deps, { platform: 'discord', id: 'U-alice' }, 'diffusion');
    const regular = [await ingestDay(deps, addDays(TODAY, -1), 'cron'), await ingestDay(deps, TODAY, 'cron')];
    await planIngestAlerts(deps, 'cron', regular, ['discord']);
    const deliveriesBefore = await deps.store.deliveryCounts();
    const regularRequests = hf.requests.length;

    // First run: stopped after 300 days (the bot stopping).
    const controller = new AbortController();
    const first = await runArchiveBackfill(deps, {
      ...range,
      platforms: ['discord'],
      signal: controller.signal,
      onDay: (progress) => {
        if (progress.fetched === 300) controller.abort();
      },
    });
    expect(first.status).toBe('stopped');
    expect(first.results).toHaveLength(300);
    const fetched = hf.requests.slice(regularRequests).map((r) => r.date ?? '');
    // Newest first: the day before yesterday, then back one day at a time.
    expect(fetched[0]).toBe(addDays(TODAY, -2));
    expect(fetched).toEqual([...fetched].sort().reverse());
    expect(await statusField(deps, 'Archive')).toBe('300 of 1,095 days (27 %), about a minute left');

    // A restart: the rest, and nothing stored is fetched again.
    const second = await runArchiveBackfill(deps, { ...range, platforms: ['discord'] });
    expect(second.status).toBe('complete');
    expect(second.progress).toMatchObject({ total: 1095, done: 1095, failedDays: [] });
    const byDate = new Map<string, number>();
    for (const request of hf.requests) byDate.set(request.date ?? '', (byDate.get(request.date ?? '') ?? 0) + 1);
    for (const day of archive.days) expect(byDate.get(day), day).toBe(1);

    // Silent: no DM, no alerted paper, nothing left for alert planning.
    expect(await deps.store.deliveryCounts()).toEqual(deliveriesBefore);
    expect(await deps.store.unplannedPaperIds(10)).toEqual([]);
    const alerted = Number(deps.db.$client.prepare('SELECT count(*) FROM alerted_papers').pluck().get());
    expect(alerted).toBe(regular.reduce((sum, r) => sum + r.inserted.length, 0));

    // 2023 is searchable; status says complete.
    const found = await deps.store.searchPapers(parseQuery('"archive paper 0 of 2023-06-01"'), { limit: 5, offset: 0, now: deps.clock.now() });
    expect(found.results.map((r) => r.paper.arxivId)).toEqual(['2306.10000']);
    // The range's papers: today's and yesterday's (the regular ingest) are after it.
    const inRange = [...archive.items].filter(([day]) => day <= range.to).reduce((sum, [, items]) => sum + items.length, 0);
    expect(inRange).toBeLessThan(archive.papers);
    expect(await statusField(deps, 'Archive')).toBe(`complete (${inRange.toLocaleString('en-US')} papers listed ${FROM} to ${range.to})`);
  }, 180_000);

  it('records a malformed day as failed, retries it a bounded number of times, lists it, and keeps going', async () => {
    const deps = depsFor();
    const from = '2026-05-01';
    const to = '2026-05-20';
    const archive = generateArchive(from, to);
    serve(archive);
    const bad = '2026-05-12';
    hf.setDay(bad, { fault: 'body', body: '{"error":"not a list"}' });
    const outcome = await runArchiveBackfill(deps, { from, to, platforms: [], sleep: noWait, fetch: { retries: 0 } });
    expect(outcome.status).toBe('complete');
    expect(outcome.progress).toMatchObject({ total: 20, done: 19, failedDays: [bad] });
    expect(hf.requestsFor(bad)).toHaveLength(MAX_ATTEMPTS);
    expect((await deps.store.archiveDays(from, to)).failed).toEqual([{ feedDate: bad, attempts: MAX_ATTEMPTS }]);

    // The next start leaves the day alone; an operator's run tries it again.
    await runArchiveBackfill(deps, { from, to, platforms: [], sleep: noWait, fetch: { retries: 0 } });
    expect(hf.requestsFor(bad)).toHaveLength(MAX_ATTEMPTS);
    hf.setDay(bad, hfItems(4, '2605'));
    const retried = await runArchiveBackfill(deps, { from, to, platforms: [], sleep: noWait, retryGivenUp: true });
    expect(retried.progress).toMatchObject({ done: 20, failedDays: [] });
    expect(hf.requestsFor(bad)).toHaveLength(MAX_ATTEMPTS + 1);
  });

  it('shows failed days in status once the rest is complete', async () => {
    const deps = depsFor({ BACKFILL_FROM: '2026-05-20' });
    hf.setDay('2026-05-25', { fault: 'status', status: 404 });
    const outcome = await runArchiveBackfill(deps, { from: '2026-05-20', to: addDays(TODAY, -2), platforms: [], sleep: noWait });
    expect(outcome.progress.failedDays).toEqual(['2026-05-25']);
    expect(await statusField(deps, 'Archive')).toBe(`complete (0 papers listed 2026-05-20 to ${addDays(TODAY, -2)}); 1 day failed: 2026-05-25 (\`paperboy backfill\` retries them)`);
  });

  it('stops with one error line on a locked database and keeps every day it stored', async () => {
    dir = mkdtempSync(join(tmpdir(), 'paperboy-backfill-lock-'));
    const path = join(dir, 'paperboy.db');
    const store = openSqliteStore(path);
    const deps = depsFor({}, store);
    const from = '2026-05-01';
    const to = '2026-05-20';
    serve(generateArchive(from, to));
    const other = new Database(path);
    try {
      const outcome = await runArchiveBackfill(deps, {
        from,
        to,
        platforms: [],
        onDay: (progress) => {
          // Another writer takes the database and keeps it (busy_timeout runs out).
          if (progress.fetched === 3) other.exec('BEGIN EXCLUSIVE');
        },
      });
      expect(outcome.status).toBe('store_failed');
      expect(outcome.error).toMatch(/locked|busy/i);
    } finally {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
    }
    const errors = deps.logLines().filter((line) => line.module === 'backfill' && line.level === 50);
    expect(errors).toHaveLength(1);
    expect(String(errors[0]?.msg)).toMatch(/^archive backfill stopped: the database refused a write/);
    const days = await deps.store.archiveDays(from, to);
    expect(days.done).toEqual(['2026-05-18', '2026-05-19', '2026-05-20']);
    expect(await deps.store.countPapersListed(from, to)).toBe(3 * 3);
    await store.close();
  }, 20_000);
});
