import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseQuery } from '../../src/search/parse-query.ts';
import { INTERRUPTED_RUN, NO_FEED_DAY } from '../../src/store/store.ts';
import { aPaper } from '../support/builders.ts';
import type { Store } from '../../src/store/store.ts';
import { backends } from '../support/both-backends.ts';

// The archive backfill's store methods and papers stored on demand, on both backends.

const now = Date.parse('2026-09-01T10:00:00Z');

describe.each(backends)('archive and unlisted papers on $name', ({ open }) => {
  let store: Store;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ store, close } = await open());
  }, 120_000);
  afterEach(async () => close?.());

  async function ingest(feedDate: string, papers: ReturnType<typeof aPaper>[], trigger: string, silent: boolean) {
    const runId = await store.startIngestRun(feedDate, trigger, now);
    return store.finishIngestRun({ runId, feedDate, papers, skipped: 0, silent, now });
  }

  it('the backfill path (silent) leaves the same papers and feed days as the per-day path', async () => {
    const shared = aPaper({ arxivId: '2608.00003', title: 'On two days', abstract: 'Listed twice.', githubStars: 4 });
    const dayOne = [aPaper({ arxivId: '2608.00001', title: 'One' }), aPaper({ arxivId: '2608.00002', title: 'Two', githubStars: null }), shared];
    const dayTwo = [{ ...shared, abstract: '', githubStars: null, upvotes: 9 }, aPaper({ arxivId: '2608.00004', title: 'Four' })];
    const viaDaily = [await ingest('2026-08-01', dayOne, 'cron', false), await ingest('2026-08-02', dayTwo, 'cron', false)];
    const daily = await Promise.all(['2026-08-01', '2026-08-02'].map((day) => store.listPapersForDay(day, { limit: 10, offset: 0, sort: 'upvotes' })));
    const dailyRows = await store.getPapersByIds([1, 2, 3, 4]);
    await close();

    ({ store, close } = await open());
    const viaBackfill = [await ingest('2026-08-01', dayOne, 'backfill', true), await ingest('2026-08-02', dayTwo, 'backfill', true)];
    expect(viaBackfill.map((r) => [r.inserted, r.updated])).toEqual(viaDaily.map((r) => [r.inserted, r.updated]));
    expect(viaBackfill[0]?.inserted).toEqual([1, 2, 3]);
    const backfilled = await Promise.all(['2026-08-01', '2026-08-02'].map((day) => store.listPapersForDay(day, { limit: 10, offset: 0, sort: 'upvotes' })));
    expect(backfilled).toEqual(daily);
    expect(await store.getPapersByIds([1, 2, 3, 4])).toEqual(dailyRows);
    const onTwoDays = dailyRows.find((row) => row.arxivId === '2608.00003');
    expect(onTwoDays).toMatchObject({ latestFeedDate: '2026-08-02', abstract: 'Listed twice.', githubStars: 4, upvotes: 9 });
    // Silent: the watermark passed them.
    expect(await store.unplannedPaperIds(10)).toEqual([]);
  });

  it('the backfill path writes a day longer than one multi-row statement in feed order', async () => {
    const day = Array.from({ length: 1_500 }, (_, i) => aPaper({ arxivId: `2607.${String(10000 + i)}`, title: `Paper ${i}` }));
    const result = await ingest('2026-07-01', day, 'backfill', true);
    expect(result.inserted).toEqual(Array.from({ length: 1_500 }, (_, i) => i + 1));
    const listed = await store.listPapersForDay('2026-07-01', { limit: 3, offset: 1_497, sort: 'new' });
    expect(listed.total).toBe(1_500);
    expect((await store.getPapersByIds([1, 1_500])).map((row) => row.arxivId)).toEqual(['2607.10000', '2607.11499']);
  });

  it('archiveDays lists stored days and counts the failed attempts of days never stored, interrupted runs aside', async () => {
    await ingest('2026-08-01', [aPaper()], 'backfill', true);
    await ingest('2026-08-02', [], 'cron', false);
    for (const error of ['HTTP 503', 'HTTP 503', INTERRUPTED_RUN]) {
      await store.failIngestRun(await store.startIngestRun('2026-08-03', 'backfill', now), error, now);
    }
    // A day a backfill failed on and a later run stored is not failed.
    await store.failIngestRun(await store.startIngestRun('2026-08-04', 'backfill', now), 'HTTP 500', now);
    await ingest('2026-08-04', [aPaper()], 'backfill', true);
    // Outside the range.
    await store.failIngestRun(await store.startIngestRun('2026-09-01', 'backfill', now), 'HTTP 500', now);
    expect(await store.archiveDays('2026-08-01', '2026-08-31')).toEqual({
      done: ['2026-08-01', '2026-08-02', '2026-08-04'],
      failed: [{ feedDate: '2026-08-03', attempts: 2 }],
    });
    expect(await store.countPapersListed('2026-08-02', '2026-08-31')).toBe(1);
    expect(await store.countPapersListed('2026-08-01', '2026-08-31')).toBe(2);
    expect(await store.countPapersListed('2026-08-02', '2026-08-03')).toBe(0);
    // A paper listed in the range and again after it still counts; one listed only after it does not.
    const later = aPaper({ arxivId: '2609.00077' });
    await ingest('2026-09-02', [later, aPaper({ arxivId: '2609.00078' })], 'cron', false);
    await ingest('2026-09-03', [later], 'cron', false);
    expect(await store.countPapersListed('2026-09-01', '2026-09-02')).toBe(2);
    expect(await store.countPapersListed('2026-09-03', '2026-09-03')).toBe(1);
  });

  it('stores a paper fetched on demand without a feed day: searchable, never planned for alerts, in no day', async () => {
    await ingest('2026-08-31', [aPaper({ arxivId: '2608.00010', title: 'Listed paper' })], 'cron', false);
    const row = await store.storeUnlistedPaper(aPaper({ arxivId: '1706.03762', title: 'Attention is all you need', abstract: 'The dominant sequence transduction models.' }), now);
    expect(row).toMatchObject({ arxivId: '1706.03762', latestFeedDate: NO_FEED_DAY, title: 'Attention is all you need', listedOnHf: false, listedOnArxiv: false });
    const bySource = (source: string) => store.searchPapers(parseQuery(`attention source:${source}`), { limit: 5, offset: 0, now });
    expect((await bySource('hf')).total).toBe(0);
    // Stored once: a second call returns the same row.
    expect((await store.storeUnlistedPaper(aPaper({ arxivId: '1706.03762', title: 'Changed' }), now + 1)).id).toBe(row.id);
    expect(await store.unplannedPaperIds(10)).toEqual([1]);
    expect(await store.latestFeedDayWithPapers('2026-09-01')).toBe('2026-08-31');
    expect((await store.listPapersForDay(NO_FEED_DAY, { limit: 10, offset: 0, sort: 'upvotes' })).total).toBe(0);
    expect(await store.countPapersListed('2000-01-01', '2026-12-31')).toBe(1);
    const found = await store.searchPapers(parseQuery('attention'), { limit: 5, offset: 0, now });
    expect(found.results.map((r) => r.paper.arxivId)).toEqual(['1706.03762']);
    expect(await store.countMatches(parseQuery('attention'), '2026-08-01')).toBe(0);
    // Listed later by the feed: it joins that day like any paper.
    await ingest('2026-09-01', [aPaper({ arxivId: '1706.03762', title: 'Attention is all you need' })], 'cron', false);
    expect(await store.getPaperByArxivId('1706.03762')).toMatchObject({ latestFeedDate: '2026-09-01', listedOnHf: true });
    expect((await bySource('hf')).total).toBe(1);
  });
});
