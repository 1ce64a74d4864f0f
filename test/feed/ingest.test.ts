import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.ts';
import type { FetchOptions } from '../../src/feed/hf-daily.ts';
import { daysToCatchUp, ingestDay, ingestRange, lastSuccessfulIngest } from '../../src/feed/ingest.ts';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { hfItem, hfItems, readFixture, startFakeHf, type FakeDay, type FakeHf } from '../support/fake-hf.ts';
import { testDeps } from '../support/test-deps.ts';

let fake: FakeHf;
beforeAll(async () => {
  fake = await startFakeHf();
});
afterAll(() => fake.close());

const fetch: FetchOptions = { sleep: async () => undefined, backoffBaseMs: 1 };
const depsFor = () => testDeps({ env: { HF_BASE_URL: fake.url }, now: '2026-09-01T10:00:00Z' });

function fixtureList(): unknown[] {
  const body = readFixture('daily_papers-2024-10-25.json');
  if (!Array.isArray(body)) throw new Error('fixture is not a list');
  return body;
}

function count(db: SqliteStore['db'], table: 'papers' | 'paper_days' | 'ingest_runs'): number {
  const row = db.$client.prepare(`SELECT count(*) AS n FROM ${table}`).get();
  return typeof row === 'object' && row !== null && 'n' in row ? Number(row.n) : -1;
}

function runs(db: SqliteStore['db']) {
  return db.$client.prepare('SELECT feed_date, status, fetched, inserted, updated, skipped, error, finished_at FROM ingest_runs ORDER BY id').all();
}

function ftsIds(db: SqliteStore['db'], match: string): number[] {
  return db.$client
    .prepare('SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?')
    .pluck()
    .all(match)
    .map((id) => Number(id));
}

describe('ingestDay', () => {
  it('stores a full day and records an ok run with its counts', async () => {
    const deps = depsFor();
    fake.setDay('2024-10-25', fixtureList());
    const result = await ingestDay(deps, '2024-10-25', 'cli', { fetch });
    expect(result).toMatchObject({ feedDate: '2024-10-25', status: 'ok', fetched: 29, updated: 0, skipped: 0 });
    expect(result.inserted).toHaveLength(29);
    expect(count(deps.db, 'papers')).toBe(29);
    expect(runs(deps.db)).toEqual([
      { feed_date: '2024-10-25', status: 'ok', fetched: 29, inserted: 29, updated: 0, skipped: 0, error: null, finished_at: deps.clock.now() },
    ]);
    expect((await deps.store.getPaperByArxivId('2410.17243'))?.latestFeedDate).toBe('2024-10-25');
  });

  it('is idempotent: a second ingest adds no rows, refreshes upvotes, keeps first_seen_at and moves updated_at', async () => {
    const deps = depsFor();
    fake.setDay('2024-10-25', fixtureList());
    await ingestDay(deps, '2024-10-25', 'cron', { fetch });
    const before = await deps.store.getPaperByArxivId('2410.17243');

    const refreshed = fixtureList().map((item, i) => (i === 0 ? { ...Object(item), paper: { ...Object(Object(item).paper), upvotes: 99 } } : item));
    fake.setDay('2024-10-25', refreshed);
    deps.clock.advance(30 * 60_000);
    const second = await ingestDay(deps, '2024-10-25', 'cron', { fetch });

    expect(second).toMatchObject({ status: 'ok', inserted: [], updated: 29 });
    expect(count(deps.db, 'papers')).toBe(29);
    expect(count(deps.db, 'paper_days')).toBe(29);
    const after = await deps.store.getPaperByArxivId('2410.17243');
    expect(after?.upvotes).toBe(99);
    expect(after?.firstSeenAt).toBe(before?.firstSeenAt);
    expect(after?.updatedAt).toBe((before?.updatedAt ?? 0) + 30 * 60_000);
    expect({ ...after, upvotes: 0, updatedAt: 0 }).toEqual({ ...before, upvotes: 0, updatedAt: 0 });
  });

  it('keeps full-text search in step with a changed title', async () => {
    const deps = depsFor();
    const date = '2026-08-03';
    fake.setDay(date, [hfItem({ id: '2608.00001', title: 'Quantum croissants' })]);
    const first = await ingestDay(deps, date, 'cron', { fetch });
    const [id] = first.inserted;
    expect(ftsIds(deps.db, 'croissants')).toEqual([id]);

    fake.setDay(date, [hfItem({ id: '2608.00001', title: 'Quantum baguettes' })]);
    await ingestDay(deps, date, 'cron', { fetch });
    expect(ftsIds(deps.db, 'baguettes')).toEqual([id]);
    expect(ftsIds(deps.db, 'croissants')).toEqual([]);
    expect(ftsIds(deps.db, 'quantum')).toEqual([id]);
  });

  it('returns inserted ids only for papers seen for the first time, and a paper can sit on two days', async () => {
    const deps = depsFor();
    fake.setDay('2026-08-04', [hfItem({ id: '2608.00010' }), hfItem({ id: '2608.00011' })]);
    fake.setDay('2026-08-05', [hfItem({ id: '2608.00011' }), hfItem({ id: '2608.00012' })]);
    await ingestDay(deps, '2026-08-04', 'cron', { fetch });
    const next = await ingestDay(deps, '2026-08-05', 'cron', { fetch });
    expect(next.inserted).toEqual([(await deps.store.getPaperByArxivId('2608.00012'))?.id]);
    expect(next.updated).toBe(1);
    expect((await deps.store.getPaperByArxivId('2608.00011'))?.latestFeedDate).toBe('2026-08-05');
    expect((await deps.store.listPapersForDay('2026-08-04', { limit: 10, offset: 0, sort: 'upvotes' })).total).toBe(2);
    expect((await deps.store.listPapersForDay('2026-08-05', { limit: 10, offset: 0, sort: 'upvotes' })).total).toBe(2);
  });

  it('deletes nothing when a day shrinks on re-fetch', async () => {
    const deps = depsFor();
    const date = '2026-08-06';
    fake.setDay(date, hfItems(5, '2608'));
    await ingestDay(deps, date, 'cron', { fetch });
    fake.setDay(date, hfItems(2, '2608'));
    const second = await ingestDay(deps, date, 'cron', { fetch });
    expect(second).toMatchObject({ status: 'ok', fetched: 2, inserted: [], updated: 2 });
    expect(count(deps.db, 'papers')).toBe(5);
    expect((await deps.store.listPapersForDay(date, { limit: 10, offset: 0, sort: 'upvotes' })).total).toBe(5);
  });

  it("records an empty day ([]) as 'empty', not an error", async () => {
    const deps = depsFor();
    fake.setDay('2026-08-08', []);
    const result = await ingestDay(deps, '2026-08-08', 'cron', { fetch });
    expect(result).toMatchObject({ status: 'empty', fetched: 0, inserted: [] });
    expect(result.error).toBeUndefined();
    expect(runs(deps.db)).toMatchObject([{ status: 'empty', error: null }]);
  });

  const failures: Array<[string, FakeDay, string]> = [
    ['5xx on every attempt', { fault: 'error-then-ok', items: [], times: 99 }, 'HTTP 500'],
    ['an HTML page with 200', { fault: 'html' }, 'did not return JSON'],
    ['an object instead of a list', { fault: 'body', body: '{"error":"x"}' }, 'instead of a list'],
  ];
  it.each(failures)("returns 'failed' (never throws) on %s and records the error", async (_name, fault, text) => {
    const deps = depsFor();
    const date = '2026-08-10';
    fake.setDay(date, fault);
    const result = await ingestDay(deps, date, 'cron', { fetch });
    expect(result.status).toBe('failed');
    expect(result.error).toContain(text);
    expect(runs(deps.db)).toMatchObject([{ status: 'failed' }]);
    expect(String(runs(deps.db)[0] && Object(runs(deps.db)[0]).error)).toContain(text);
    expect(count(deps.db, 'papers')).toBe(0);
  });

  it("marks a day whose items are all malformed as 'failed', not 'empty'", async () => {
    const deps = depsFor();
    fake.setDay('2026-08-11', [{ paper: { id: 2608.1 } }, 'junk']);
    const result = await ingestDay(deps, '2026-08-11', 'cron', { fetch });
    expect(result).toMatchObject({ status: 'failed', skipped: 2 });
    expect(await lastSuccessfulIngest(deps.store)).toBeNull();
  });

  it('throws UserError for a date HF refuses (400) and records the run as failed', async () => {
    const deps = depsFor();
    fake.setDay('2026-08-12', { fault: 'status', status: 400 });
    await expect(ingestDay(deps, '2026-08-12', 'cli', { fetch })).rejects.toBeInstanceOf(UserError);
    expect(runs(deps.db)).toMatchObject([{ status: 'failed' }]);
  });

  it('records the 429 wait it sat out', async () => {
    const deps = depsFor();
    fake.setDay('2026-08-13', { fault: 'ratelimit-header', t: 2, items: hfItems(1, '2609') });
    const result = await ingestDay(deps, '2026-08-13', 'cron', { fetch });
    expect(result.status).toBe('ok');
    expect(await deps.store.recentRateLimitWaits(0)).toMatchObject([{ source: 'hf', waitMs: 2_000 }]);
  });

  it("never leaves a day 'ok' without its papers: a failure mid-transaction rolls back both", async () => {
    const deps = depsFor();
    const date = '2026-08-14';
    fake.setDay(date, hfItems(10, '2610'));
    // The 6th paper_days row fails, as a full disk or a kill would, after 5 papers were written.
    deps.db.$client.exec(`CREATE TEMP TRIGGER boom BEFORE INSERT ON paper_days WHEN NEW.position = 5 BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;`);
    const result = await ingestDay(deps, date, 'cron', { fetch });
    expect(result).toMatchObject({ status: 'failed', fetched: 10, inserted: [] });
    expect(count(deps.db, 'papers')).toBe(0);
    expect(count(deps.db, 'paper_days')).toBe(0);
    expect(runs(deps.db)).toMatchObject([{ status: 'failed', error: 'disk I/O error' }]);

    deps.db.$client.exec('DROP TRIGGER boom');
    const retry = await ingestDay(deps, date, 'cron', { fetch });
    expect(retry).toMatchObject({ status: 'ok', fetched: 10 });
    expect(retry.inserted).toHaveLength(10);
  });

  it('marks a run left running by a killed process as interrupted once it is an hour old', async () => {
    const deps = depsFor();
    const date = '2026-08-15';
    const now = deps.clock.now();
    deps.db.$client.prepare("INSERT INTO ingest_runs (feed_date, status, started_at) VALUES (?, 'running', ?), (?, 'running', ?)").run(date, now - 2 * 3_600_000, date, now - 60_000);
    fake.setDay(date, []);
    await ingestDay(deps, date, 'cron', { fetch });
    expect(runs(deps.db).map((r) => Object(r).status)).toEqual(['failed', 'running', 'empty']);
  });

  it('refuses a malformed date before recording anything', async () => {
    const deps = depsFor();
    await expect(ingestDay(deps, 'yesterday', 'cli', { fetch })).rejects.toMatchObject({ code: 'bad_date' });
    expect(count(deps.db, 'ingest_runs')).toBe(0);
  });
});

describe('ingestRange', () => {
  it('ingests every day oldest first and reports progress', async () => {
    const deps = depsFor();
    fake.setDay('2026-08-20', hfItems(2, '2611'));
    fake.setDay('2026-08-21', []);
    fake.setDay('2026-08-22', hfItems(1, '2612'));
    const progress: Array<[number, number, string]> = [];
    const results = await ingestRange(deps, '2026-08-20', '2026-08-22', (done, total, r) => {
      progress.push([done, total, r.status]);
    }, { fetch });
    expect(results.map((r) => [r.feedDate, r.status])).toEqual([
      ['2026-08-20', 'ok'],
      ['2026-08-21', 'empty'],
      ['2026-08-22', 'ok'],
    ]);
    expect(progress).toEqual([
      [1, 3, 'ok'],
      [2, 3, 'empty'],
      [3, 3, 'ok'],
    ]);
    expect(runs(deps.db).map((r) => Object(r).status)).toEqual(['ok', 'empty', 'ok']);
  });

  it.each([
    ['2026-08-22', '2026-08-20', 'after'],
    ['2026-08-31', '2026-09-02', 'future'],
    // A future start is named as such, not as a range the wrong way round.
    ['2026-09-05', '2026-09-01', '2026-09-05 is in the future'],
    ['2026-13-01', '2026-08-20', 'not a date'],
    ['2010-01-01', '2026-08-20', 'too long'],
  ])('refuses %s → %s (%s) with bad_date', async (from, to, text) => {
    const err = await ingestRange(depsFor(), from, to, undefined, { fetch }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err instanceof UserError ? err.code : '').toBe('bad_date');
    expect(String(err)).toContain(text);
  });
});

describe('lastSuccessfulIngest and daysToCatchUp', () => {
  function withRuns(rows: Array<[string, string]>) {
    const deps = depsFor();
    const insert = deps.db.$client.prepare('INSERT INTO ingest_runs (feed_date, status, started_at, finished_at) VALUES (?, ?, ?, ?)');
    rows.forEach(([day, status], i) => insert.run(day, status, 1000 + i, status === 'running' ? null : 2000 + i));
    return deps.store;
  }

  it('reports the latest successful run (ok or empty), ignoring failed and running ones', async () => {
    expect(await lastSuccessfulIngest(withRuns([]))).toBeNull();
    const store = withRuns([
      ['2026-08-29', 'ok'],
      ['2026-08-30', 'empty'],
      ['2026-08-31', 'failed'],
      ['2026-09-01', 'running'],
    ]);
    expect(await lastSuccessfulIngest(store)).toEqual({ feedDate: '2026-08-30', finishedAt: 2001 });
  });

  it('never ingested: yesterday and today', async () => {
    expect(await daysToCatchUp(withRuns([]), '2026-09-01', 7)).toEqual(['2026-08-31', '2026-09-01']);
  });

  it('from the last successful day (included) to today', async () => {
    const store = withRuns([
      ['2026-08-28', 'ok'],
      ['2026-08-29', 'empty'],
      ['2026-08-30', 'failed'],
    ]);
    expect(await daysToCatchUp(store, '2026-09-01', 7)).toEqual(['2026-08-29', '2026-08-30', '2026-08-31', '2026-09-01']);
  });

  it('always includes yesterday, even when today was already ingested', async () => {
    expect(await daysToCatchUp(withRuns([['2026-09-01', 'ok']]), '2026-09-01', 7)).toEqual(['2026-08-31', '2026-09-01']);
  });

  it('is bounded to the most recent maxDays days', async () => {
    const store = withRuns([['2026-07-01', 'ok']]);
    expect(await daysToCatchUp(store, '2026-09-01', 3)).toEqual(['2026-08-30', '2026-08-31', '2026-09-01']);
    expect(await daysToCatchUp(store, '2026-09-01', 1)).toEqual(['2026-09-01']);
    expect(await daysToCatchUp(store, '2026-09-01', 0)).toEqual([]);
  });
});
