import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArxivGate } from '../../src/arxiv/polite-client.ts';
import { createScheduler } from '../../src/scheduler.ts';
import { addWatch } from '../../src/watches/add-watch.ts';
import { startFakeArxiv, type FakeArxiv } from '../support/fake-arxiv.ts';
import { testDeps } from '../support/test-deps.ts';

// The arXiv poll in the scheduler: on ARXIV_CRON in UTC when ARXIV_CATEGORIES is set, queued with
// the ingests, and followed by watch alerts.

let arxiv: FakeArxiv;
beforeAll(async () => {
  arxiv = await startFakeArxiv();
});
afterAll(() => arxiv.close());

describe('the scheduler and arXiv', () => {
  it('schedules no arXiv poll when ARXIV_CATEGORIES is empty', async () => {
    const scheduler = createScheduler(testDeps({ env: { CATCH_UP_DAYS: '0' } }), { senders: [], platforms: ['console'] });
    await scheduler.start();
    expect(scheduler.tasks().arxiv).toBeNull();
    await scheduler.stop();
  });

  it('polls on ARXIV_CRON in UTC, and runArxivNow polls and alerts', async () => {
    const deps = testDeps({ env: { CATCH_UP_DAYS: '0', ARXIV_CATEGORIES: 'cs.CL', ARXIV_CRON: '5 */2 * * *', ARXIV_RSS_URL: arxiv.rssUrl } });
    await addWatch(deps, { platform: 'console', id: 'ada' }, 'retrieval');
    const scheduler = createScheduler(deps, { senders: [], platforms: ['console'], arxiv: { gate: createArxivGate({ spacingMs: 5 }) } });
    await scheduler.start();
    const runs = scheduler.tasks().arxiv?.getNextRuns(3) ?? [];
    expect(runs).toHaveLength(3);
    for (const run of runs) {
      expect(run.getUTCMinutes()).toBe(5);
      expect(run.getUTCHours() % 2).toBe(0);
    }
    arxiv.setFeed({ date: '2026-09-01', items: [{ id: '2609.00001', type: 'new', title: 'Retrieval everywhere' }] });
    const result = await scheduler.runArxivNow();
    expect(result.status).toBe('ok');
    expect(deps.db.$client.prepare("SELECT target_id AS user FROM deliveries WHERE kind = 'alert'").all()).toEqual([{ user: 'ada' }]);
    await scheduler.stop();
    expect(scheduler.tasks().arxiv).toBeNull();
  });
});
