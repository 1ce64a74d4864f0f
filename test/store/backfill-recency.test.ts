import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../src/search/parse-query.ts';
import { RANK_WINDOW } from '../../src/store/store.ts';
import { aPaper } from '../support/builders.ts';
import { backends, storePerTest } from '../support/both-backends.ts';

// A broad query ranks the RANK_WINDOW newest matches, by id. The archive backfill stores years of
// older days AFTER the recent ones: their papers must go below the recent ones in that order, or a
// broad search would rank 2023 and hide this week's papers (and `since:` would find nothing).

const now = Date.parse('2026-12-01T12:00:00Z');

describe.each(backends)('a backfill after the recent days, on $name', (backend) => {
  const store = storePerTest(backend);

  it('keeps the recent papers in the window of a broad query, and since: finds them', async () => {
    const run = await store().startIngestRun('2026-12-01', 'cron', now);
    await store().finishIngestRun({ runId: run, feedDate: '2026-12-01', papers: [aPaper({ arxivId: '2612.00001', title: 'Diffusion this week' })], skipped: 0, silent: false, now: now });
    // Older days, newest first, as the archive backfill stores them: more matches than the window.
    const perDay = 60;
    for (let day = 0; day * perDay <= RANK_WINDOW; day += 1) {
      const feedDate = new Date(Date.UTC(2026, 10, 20 - day)).toISOString().slice(0, 10);
      const papers = Array.from({ length: perDay }, (_, i) => aPaper({ arxivId: `2611.${String(day * perDay + i + 10_000).padStart(5, '0')}`, title: `Diffusion study ${day}-${i}` }));
      const backfill = await store().startIngestRun(feedDate, 'backfill', now);
      await store().finishIngestRun({ runId: backfill, feedDate, papers, skipped: 0, silent: true, now: now });
    }
    const broad = await store().searchPapers(parseQuery('diffusion'), { limit: 100, offset: 0, now });
    expect(broad.capped).toBe(true);
    expect(broad.results.map((r) => r.paper.arxivId)).toContain('2612.00001');
    const narrowed = await store().searchPapers(parseQuery('diffusion since:2026-11-25'), { limit: 10, offset: 0, now });
    expect(narrowed.results.map((r) => r.paper.arxivId)).toEqual(['2612.00001']);
    // And the backfill alerted nobody.
    expect(await store().unplannedPaperIds(10)).toEqual([1]);
  }, 120_000);
});
