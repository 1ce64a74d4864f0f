import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textMessage } from '../../src/messages/message.ts';
import { aPaper } from '../support/builders.ts';
import type { Store } from '../../src/store/store.ts';
import { backends } from '../support/both-backends.ts';

const at = (iso: string) => Date.parse(iso);
const byKeys = <T extends Record<string, unknown>>(rows: T[]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe.each(backends)('ingest history and figures on $name', ({ open }) => {
  let store: Store;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, close } = await open());
  }, 120_000);
  afterAll(async () => close?.());

  const run = async (day: string, trigger: string, startIso: string, outcome: 'papers' | 'empty' | 'failed') => {
    const id = await store.startIngestRun(day, trigger, at(startIso));
    const now = at(startIso) + 60_000;
    if (outcome === 'failed') return store.failIngestRun(id, `HF 503 on ${day}`, now);
    const papers = outcome === 'papers' ? [aPaper({ arxivId: `26${day.slice(5, 7)}.${day.slice(8)}001` })] : [];
    await store.finishIngestRun({ runId: id, feedDate: day, papers, skipped: 0, silent: trigger === 'backfill', now });
  };

  it('answers with nothing before any run', async () => {
    expect(await store.lastRegularIngest()).toBeNull();
    expect(await store.lastRegularIngestAt()).toBeNull();
    expect(await store.lastFailedIngest()).toBeNull();
    expect(await store.backfillSummary()).toBeNull();
    expect(await store.recentEmptyFeedDays('2026-01-01')).toEqual([]);
    expect(await store.countRows('papers')).toBe(0);
    expect(await store.ingestRunsByStatus()).toEqual([]);
  });

  it('tells regular runs from backfills, and finds empty days that hold no papers', async () => {
    await run('2026-09-01', 'cron', '2026-09-02T01:00:00Z', 'papers');
    await run('2026-09-02', 'cron', '2026-09-03T01:00:00Z', 'failed');
    await run('2026-09-05', 'cron', '2026-09-06T01:00:00Z', 'empty');
    await run('2026-09-06', 'cron', '2026-09-07T01:00:00Z', 'empty');
    await run('2026-09-06', 'cron', '2026-09-07T02:00:00Z', 'papers');
    await run('2026-09-06', 'cron', '2026-09-07T03:00:00Z', 'empty'); // papers stay: not an empty day
    await run('2026-08-10', 'backfill', '2026-09-08T01:00:00Z', 'papers');
    await run('2026-08-11', 'backfill', '2026-09-08T02:00:00Z', 'empty');
    await run('2026-08-12', 'backfill', '2026-09-08T03:00:00Z', 'failed');
    await run('2026-08-13', 'backfill', '2026-09-08T04:00:00Z', 'failed');
    await run('2026-08-13', 'cron', '2026-09-08T05:00:00Z', 'papers');
    await run('2026-08-14', 'backfill', '2026-09-08T06:00:00Z', 'failed');

    expect(await store.lastRegularIngest()).toEqual({ feedDate: '2026-08-13', finishedAt: at('2026-09-08T05:01:00Z') });
    expect(await store.lastRegularIngestAt()).toBe(at('2026-09-08T05:01:00Z'));
    expect(await store.lastFailedIngest()).toEqual({ feedDate: '2026-09-02', at: at('2026-09-03T01:01:00Z'), error: 'HF 503 on 2026-09-02' });
    expect(await store.backfillSummary()).toEqual({ days: 2, first: '2026-08-10', last: '2026-08-11', lastFinishedAt: at('2026-09-08T06:01:00Z'), failedDays: ['2026-08-12', '2026-08-14'] });
    expect(await store.recentEmptyFeedDays('2026-08-01')).toEqual(['2026-08-11', '2026-09-05']);
    expect(await store.recentEmptyFeedDays('2026-09-06')).toEqual([]);
  });

  it('counts rows, runs, deliveries and rate-limit waits, and sizes the database', async () => {
    expect(await store.countRows('papers')).toBe(4);
    expect(await store.countRows('watches')).toBe(0);
    expect(await store.countRows('channel_digests')).toBe(0);
    expect(byKeys(await store.ingestRunsByStatus())).toEqual(byKeys([
      { status: 'ok', n: 4 },
      { status: 'empty', n: 4 },
      { status: 'failed', n: 4 },
    ]));
    const msg = { targetKind: 'user' as const, targetId: 'U1', kind: 'alert' as const, message: textMessage('x'), now: 0 };
    await store.enqueue({ ...msg, platform: 'discord', idempotencyKey: 'a' });
    await store.enqueue({ ...msg, platform: 'discord', idempotencyKey: 'b', state: 'skipped' });
    await store.enqueue({ ...msg, platform: 'slack', idempotencyKey: 'c' });
    expect(byKeys(await store.deliveriesByStateAndPlatform())).toEqual(byKeys([
      { platform: 'discord', state: 'pending', n: 1 },
      { platform: 'discord', state: 'skipped', n: 1 },
      { platform: 'slack', state: 'pending', n: 1 },
    ]));
    expect(await store.rateLimitWaitsBySource()).toEqual([]);
    await store.recordRateLimitWait({ source: 'discord', waitMs: 100, at: 1 });
    await store.recordRateLimitWait({ source: 'discord', waitMs: 250, at: 2 });
    await store.recordRateLimitWait({ source: 'hf', waitMs: 3000, at: 3 });
    expect(byKeys(await store.rateLimitWaitsBySource())).toEqual(byKeys([
      { source: 'discord', n: 2, ms: 350 },
      { source: 'hf', n: 1, ms: 3000 },
    ]));
    expect(await store.databaseBytes()).toBeGreaterThan(0);
  });
});
