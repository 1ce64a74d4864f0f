import { describe, expect, it } from 'vitest';
import { aPaper } from '../support/builders.ts';
import { backends, sharedStore } from '../support/both-backends.ts';

// Ingest runs on both backends: startIngestRun, finishIngestRun (with a silent backfill and the
// alert watermark), failIngestRun, feedDayFetched, lastSuccessfulIngest, latestSuccessfulFeedDay.

const at = (iso: string) => Date.parse(iso);

describe.each(backends)('ingest runs on $name', (backend) => {
  // Papers 1 and 2, stored without a run.
  const store = sharedStore(backend, (s) => s.upsertPapers('2026-09-01', [aPaper(), aPaper()], at('2026-09-01T06:00:00Z')));

  it('runs an ingest: running, then ok with its papers in one unit; a failure is recorded', async () => {
    expect(await store().feedDayFetched('2026-09-03')).toBe(false);
    const runId = await store().startIngestRun('2026-09-03', 'cron', at('2026-09-03T00:30:00Z'));
    const result = await store().finishIngestRun({
      runId,
      feedDate: '2026-09-03',
      papers: [aPaper({ arxivId: '2609.00003' })],
      skipped: 0,
      silent: false,
      now: at('2026-09-03T00:31:00Z'),
    });
    expect(result).toEqual({ status: 'ok', inserted: [3], updated: 0 });
    expect(await store().feedDayFetched('2026-09-03')).toBe(true);
    expect(await store().lastSuccessfulIngest()).toEqual({ feedDate: '2026-09-03', finishedAt: at('2026-09-03T00:31:00Z') });
    const failing = await store().startIngestRun('2026-09-04', 'cron', at('2026-09-04T00:30:00Z'));
    await store().failIngestRun(failing, 'HTTP 500', at('2026-09-04T00:31:00Z'), { fetched: 0 });
    expect(await store().feedDayFetched('2026-09-04')).toBe(false);
    expect(await store().latestSuccessfulFeedDay()).toBe('2026-09-03');
  });

  it('a silent backfill of an older day goes below every stored paper, never to alert planning', async () => {
    // Papers 1–3 await planning; 2026-08-01 is older than the newest stored feed day (2026-09-03).
    const older = await store().startIngestRun('2026-08-01', 'backfill', at('2026-09-05T00:00:00Z'));
    const below = await store().finishIngestRun({ runId: older, feedDate: '2026-08-01', papers: [aPaper(), aPaper()], skipped: 0, silent: true, now: at('2026-09-05T00:01:00Z') });
    expect(below.inserted).toEqual([-1, 0]);
    // An even older day goes below that one, in feed order.
    const oldest = await store().startIngestRun('2026-07-31', 'backfill', at('2026-09-05T00:01:30Z'));
    const lower = await store().finishIngestRun({ runId: oldest, feedDate: '2026-07-31', papers: [aPaper(), aPaper()], skipped: 0, silent: true, now: at('2026-09-05T00:01:40Z') });
    expect(lower.inserted).toEqual([-3, -2]);
    expect(await store().alertWatermark()).toBe(0);
    expect(await store().unplannedPaperIds(10)).toEqual([1, 2, 3]);
  });

  it('a silent backfill of a day as new as any passes the alert watermark only when nothing else awaits alerts', async () => {
    // Papers 1–3 await planning: a backfill's papers stay above the watermark.
    const first = await store().startIngestRun('2026-09-03', 'backfill', at('2026-09-05T00:02:00Z'));
    const kept = await store().finishIngestRun({ runId: first, feedDate: '2026-09-03', papers: [aPaper()], skipped: 0, silent: true, now: at('2026-09-05T00:02:10Z') });
    expect(kept.inserted).toEqual([4]);
    expect(await store().alertWatermark()).toBe(0);
    expect(await store().unplannedPaperIds(10)).toEqual([1, 2, 3, 4]);
    // Planning catches up; the next backfill passes the watermark at once.
    await store().advanceAlertWatermark(4, at('2026-09-05T00:02:20Z'));
    const second = await store().startIngestRun('2026-09-04', 'backfill', at('2026-09-05T00:03:00Z'));
    const passed = await store().finishIngestRun({ runId: second, feedDate: '2026-09-04', papers: [aPaper(), aPaper()], skipped: 0, silent: true, now: at('2026-09-05T00:04:00Z') });
    expect(passed.inserted).toEqual([5, 6]);
    expect(await store().alertWatermark()).toBe(6);
    expect(await store().unplannedPaperIds(10)).toEqual([]);
  });

  it('marks a run still running after an hour failed when the same day starts again, and an empty day is fetched', async () => {
    await store().startIngestRun('2026-09-06', 'cron', at('2026-09-06T00:00:00Z'));
    const recent = await store().startIngestRun('2026-09-06', 'cron', at('2026-09-06T00:50:00Z'));
    expect(await store().lastFailedIngest()).toMatchObject({ feedDate: '2026-09-04' });
    const fresh = await store().startIngestRun('2026-09-06', 'manual', at('2026-09-06T01:40:00Z'));
    expect(fresh).toBeGreaterThan(recent);
    // The run of 00:00 was killed (over an hour ago); the run of 00:50 may still be working.
    expect(await store().lastFailedIngest()).toEqual({ feedDate: '2026-09-06', at: at('2026-09-06T01:40:00Z'), error: expect.stringContaining('interrupted') });
    const result = await store().finishIngestRun({ runId: fresh, feedDate: '2026-09-06', papers: [], skipped: 2, silent: false, now: at('2026-09-06T01:41:00Z') });
    expect(result).toEqual({ status: 'empty', inserted: [], updated: 0 });
    expect(await store().feedDayFetched('2026-09-06')).toBe(true);
    expect(await store().lastSuccessfulIngest()).toEqual({ feedDate: '2026-09-06', finishedAt: at('2026-09-06T01:41:00Z') });
    expect(await store().ingestRunsByStatus()).toContainEqual({ status: 'running', n: 1 });
  });
});
