import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';
import { aPaper } from '../support/builders.ts';
import { createPostgresTestDb, type PgTestDb } from '../support/postgres-test-db.ts';

// The part of the Store the PostgreSQL backend implements so far, run on both backends: the same
// calls must give the same rows.

type Part = Store;
const backends: Array<{ name: string; open(): Promise<{ store: Part; close(): Promise<void> }> }> = [
  {
    name: 'sqlite',
    async open() {
      const store = openSqliteStore(':memory:');
      return { store, close: () => store.close() };
    },
  },
  {
    name: 'postgres',
    async open() {
      const handle: PgTestDb = await createPostgresTestDb();
      return { store: createPostgresStore(handle.db), close: () => handle.close() };
    },
  },
];

const at = (iso: string) => Date.parse(iso);

describe.each(backends)('papers and ingest runs on $name', ({ open }) => {
  let store: Part;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, close } = await open());
  }, 120_000);
  afterAll(async () => close?.());

  it('inserts new papers with ascending ids and refreshes known ones without erasing facts', async () => {
    const first = aPaper({ arxivId: '2609.00001', title: 'First', abstract: 'Has an abstract.', githubStars: 5, upvotes: 3, publishedAt: null });
    const second = aPaper({ arxivId: '2609.00002', title: 'Second', upvotes: 9 });
    const day1 = await store.upsertPapers('2026-09-01', [first, second], at('2026-09-01T06:00:00Z'));
    expect(day1).toEqual({ inserted: [1, 2], updated: 0 });
    // Listed again a day later, with fewer facts: upvotes move, the abstract and stars stay.
    const again = { ...first, abstract: '', githubStars: null, upvotes: 12 };
    const day2 = await store.upsertPapers('2026-09-02', [again], at('2026-09-02T06:00:00Z'));
    expect(day2).toEqual({ inserted: [], updated: 1 });
    // A catch-up of an older day never moves the latest feed day back.
    await store.upsertPapers('2026-08-31', [again], at('2026-09-02T07:00:00Z'));
    const row = await store.getPaperByArxivId('2609.00001');
    expect(row).toMatchObject({ id: 1, title: 'First', abstract: 'Has an abstract.', githubStars: 5, upvotes: 12, latestFeedDate: '2026-09-02', firstSeenAt: at('2026-09-01T06:00:00Z') });
    expect(row).not.toHaveProperty('searchVector');
    expect((await store.getPapersByIds([2, 99, 1])).map((p) => p.id)).toEqual([2, 1]);
  });

  it('lists a day by upvotes or by arXiv date (unknown dates last), and finds the latest day with papers', async () => {
    const byUpvotes = await store.listPapersForDay('2026-09-01', { limit: 10, offset: 0, sort: 'upvotes' });
    expect({ total: byUpvotes.total, ids: byUpvotes.papers.map((p) => p.arxivId) }).toEqual({ total: 2, ids: ['2609.00001', '2609.00002'] });
    const byDate = await store.listPapersForDay('2026-09-01', { limit: 10, offset: 0, sort: 'new' });
    expect(byDate.papers.map((p) => p.arxivId)).toEqual(['2609.00002', '2609.00001']);
    expect(await store.latestFeedDayWithPapers('2026-09-05')).toBe('2026-09-02');
    expect(await store.latestFeedDayWithPapers('2026-08-30')).toBe(null);
  });

  it('runs an ingest: running, then ok with its papers in one unit; a failure is recorded', async () => {
    expect(await store.feedDayFetched('2026-09-03')).toBe(false);
    const runId = await store.startIngestRun('2026-09-03', 'cron', at('2026-09-03T00:30:00Z'));
    const result = await store.finishIngestRun({
      runId,
      feedDate: '2026-09-03',
      papers: [aPaper({ arxivId: '2609.00003' })],
      skipped: 0,
      silent: false,
      now: at('2026-09-03T00:31:00Z'),
    });
    expect(result).toEqual({ status: 'ok', inserted: [3], updated: 0 });
    expect(await store.feedDayFetched('2026-09-03')).toBe(true);
    expect(await store.lastSuccessfulIngest()).toEqual({ feedDate: '2026-09-03', finishedAt: at('2026-09-03T00:31:00Z') });
    const failing = await store.startIngestRun('2026-09-04', 'cron', at('2026-09-04T00:30:00Z'));
    await store.failIngestRun(failing, 'HTTP 500', at('2026-09-04T00:31:00Z'), { fetched: 0 });
    expect(await store.feedDayFetched('2026-09-04')).toBe(false);
    expect(await store.latestSuccessfulFeedDay()).toBe('2026-09-03');
  });

  it('a silent backfill passes the alert watermark only when nothing else awaits alerts', async () => {
    // Papers 1–3 await planning: a backfill's papers stay above the watermark.
    const first = await store.startIngestRun('2026-08-01', 'backfill', at('2026-09-05T00:00:00Z'));
    const kept = await store.finishIngestRun({ runId: first, feedDate: '2026-08-01', papers: [aPaper()], skipped: 0, silent: true, now: at('2026-09-05T00:01:00Z') });
    expect(await store.alertWatermark()).toBe(0);
    expect(await store.unplannedPaperIds(10)).toEqual([1, 2, 3, ...kept.inserted]);
    // Planning catches up; the next backfill passes the watermark at once.
    await store.advanceAlertWatermark(Math.max(...kept.inserted), at('2026-09-05T00:02:00Z'));
    await store.advanceAlertWatermark(1, at('2026-09-05T00:02:00Z'));
    const second = await store.startIngestRun('2026-08-02', 'backfill', at('2026-09-05T00:03:00Z'));
    const passed = await store.finishIngestRun({ runId: second, feedDate: '2026-08-02', papers: [aPaper(), aPaper()], skipped: 0, silent: true, now: at('2026-09-05T00:04:00Z') });
    expect(await store.alertWatermark()).toBe(Math.max(...passed.inserted));
    expect(await store.unplannedPaperIds(10)).toEqual([]);
  });

  it('keeps meta values', async () => {
    expect(await store.getMeta('k')).toBe(null);
    await store.setMeta('k', 'v1', 1);
    await store.setMeta('k', 'v2', 2);
    expect(await store.getMeta('k')).toBe('v2');
  });
});

describe('rows read the same on both backends', () => {
  let pg: PgTestDb;
  beforeAll(async () => {
    pg = await createPostgresTestDb();
  }, 120_000);
  afterAll(async () => pg?.close());

  it('a paper with every fact set is one equal object', async () => {
    const sqlite = openSqliteStore(':memory:');
    const postgres = createPostgresStore(pg.db);
    const paper = aPaper({ arxivId: '2609.09999', organization: 'Allen AI', numComments: 4, githubRepo: 'https://github.com/a/b', githubStars: 7, aiKeywords: ['x'], aiSummary: 's', projectPage: 'https://p', thumbnail: 'https://t' });
    await sqlite.upsertPapers('2026-09-01', [paper], 1_788_000_000_000);
    await postgres.upsertPapers('2026-09-01', [paper], 1_788_000_000_000);
    expect(await postgres.getPaperByArxivId('2609.09999')).toEqual(await sqlite.getPaperByArxivId('2609.09999'));
    await sqlite.close();
  });
});
