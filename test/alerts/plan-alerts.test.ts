import { describe, expect, it } from 'vitest';
import { ALERT_SHOWN_PAPERS } from '../../src/alerts/build-alert.ts';
import { planAlerts } from '../../src/alerts/plan-alerts.ts';
import { parseStoredMessage } from '../../src/messages/stored-message.ts';
import { createScheduler } from '../../src/scheduler.ts';
import { alertedPapers, deliveries } from '../../src/store/sqlite/schema.ts';
import { addWatch } from '../../src/watches/add-watch.ts';
import { aPaper } from '../support/builders.ts';
import { hfItem, startFakeHf } from '../support/fake-hf.ts';
import { testDeps, type TestDeps } from '../support/test-deps.ts';

const ada = { platform: 'discord', id: 'U-ada' } as const;
const bob = { platform: 'discord', id: 'U-bob' } as const;

async function insert(deps: TestDeps, titles: string[]): Promise<number[]> {
  return (await deps.store.upsertPapers('2026-08-31', titles.map((title) => aPaper({ title })), deps.clock.now())).inserted;
}

function alertRows(deps: TestDeps) {
  return deps.db.select().from(deliveries).orderBy(deliveries.id).all();
}

describe('planAlerts', () => {
  it('queues one DM per user listing each newly matched paper once, with watch and terms', async () => {
    const deps = testDeps();
    await addWatch(deps, ada, 'diffusion');
    await addWatch(deps, ada, 'video');
    await addWatch(deps, bob, 'graph');
    const [both, videoOnly, graph] = await insert(deps, ['Diffusion models for video', 'Video games as benchmarks', 'Graph neural networks']);
    const plan = await planAlerts(deps, 1, [both ?? 0, videoOnly ?? 0, graph ?? 0], ['discord']);
    expect(plan).toMatchObject({ deliveries: 2, papers: 3 });
    const rows = alertRows(deps);
    expect(rows.map((r) => [r.idempotencyKey, r.targetKind, r.kind, r.state]).sort()).toEqual([
      ['alert:discord:U-ada:1', 'user', 'alert', 'pending'],
      ['alert:discord:U-bob:1', 'user', 'alert', 'pending'],
    ]);
    const adaRow = rows.find((r) => r.targetId === 'U-ada');
    const msg = adaRow && parseStoredMessage(adaRow.payload);
    expect(msg?.papers.map((p) => p.title)).toEqual(['Diffusion models for video', 'Video games as benchmarks']);
    expect(msg?.papers[0]?.match?.watch).toMatch(/diffusion|video/);
    expect(msg?.papers[0]?.match?.terms.length).toBeGreaterThan(0);
    expect(msg?.papers[1]?.match).toMatchObject({ watch: 'video' });
    expect(deps.db.select().from(alertedPapers).all()).toHaveLength(3);
  });

  it('shows the first papers one DM holds, counts them all, and records every one as alerted', async () => {
    const deps = testDeps();
    await addWatch(deps, ada, 'diffusion');
    const titles = Array.from({ length: ALERT_SHOWN_PAPERS + 3 }, (_, i) => `Diffusion study ${i + 1}`);
    const ids = await insert(deps, titles);
    // Given out of order: the DM still shows the papers in feed order.
    const plan = await planAlerts(deps, 1, [...ids].reverse(), ['discord']);
    expect(plan).toMatchObject({ deliveries: 1, papers: titles.length });
    const row = alertRows(deps)[0];
    const msg = row && parseStoredMessage(row.payload);
    // One watch matched them all: it is named, though the DM shows only the first papers.
    expect(msg?.title).toBe(`${titles.length} new papers for your watch “diffusion”`);
    expect(msg?.papers.map((p) => p.title)).toEqual(titles.slice(0, ALERT_SHOWN_PAPERS));
    expect(msg?.text).toContain(`The first ${ALERT_SHOWN_PAPERS} are below; /papers search finds the other 3.`);
    expect(deps.db.select().from(alertedPapers).all()).toHaveLength(titles.length);
  });

  it('never alerts a paper twice: planning the same run again, or under a new run id, adds nothing', async () => {
    const deps = testDeps();
    await addWatch(deps, ada, 'diffusion');
    const ids = await insert(deps, ['Diffusion one', 'Diffusion two']);
    await planAlerts(deps, 7, ids, ['discord']);
    expect(await planAlerts(deps, 7, ids, ['discord'])).toMatchObject({ deliveries: 0, papers: 0 });
    expect(await planAlerts(deps, 8, ids, ['discord'])).toMatchObject({ deliveries: 0, papers: 0 });
    expect(alertRows(deps)).toHaveLength(1);
    expect(deps.db.select().from(alertedPapers).all()).toHaveLength(2);
  });

  it('skips users whose DMs are closed (keeping their watches) and platforms not running', async () => {
    const deps = testDeps();
    await addWatch(deps, ada, 'diffusion');
    await addWatch(deps, bob, 'diffusion');
    await addWatch(deps, { platform: 'slack', id: 'U-sam' }, 'diffusion');
    await addWatch(deps, { platform: 'console', id: 'me' }, 'diffusion');
    await deps.store.markDmClosed(bob, 1);
    const ids = await insert(deps, ['Diffusion again']);
    const plan = await planAlerts(deps, 3, ids, ['discord', 'console']);
    expect(plan).toMatchObject({ deliveries: 2, skippedDmClosed: 1 });
    expect(alertRows(deps).map((r) => r.idempotencyKey).sort()).toEqual(['alert:console:me:3', 'alert:discord:U-ada:3']);
    expect(await deps.store.listWatches(bob)).toHaveLength(1);
  });

  it('does nothing without new papers or matches', async () => {
    const deps = testDeps();
    await addWatch(deps, ada, 'diffusion');
    expect((await planAlerts(deps, 1, [], ['discord'])).deliveries).toBe(0);
    expect((await planAlerts(deps, 1, await insert(deps, ['Unrelated topic']), ['discord'])).deliveries).toBe(0);
    expect(alertRows(deps)).toEqual([]);
  });

  it('the ingest job alerts new papers once; re-fetching the day alerts nothing', async () => {
    const hf = await startFakeHf();
    try {
      const deps = testDeps({ now: '2026-09-01T10:00:00Z', env: { HF_BASE_URL: hf.url } });
      await addWatch(deps, ada, 'diffusion');
      const first = [hfItem({ title: 'Diffusion at scale' }), hfItem({ title: 'Unrelated' })];
      hf.setDay('2026-09-01', first);
      const scheduler = createScheduler(deps, { senders: [], platforms: ['discord'], ingest: { fetch: { retries: 0 } } });
      await scheduler.runIngestNow();
      // Later the same day: the same two papers (refreshed) and a new one.
      hf.setDay('2026-09-01', [...first, hfItem({ title: 'More diffusion' })]);
      await scheduler.runIngestNow();
      const rows = alertRows(deps);
      expect(rows).toHaveLength(2);
      expect(rows.map((r) => parseStoredMessage(r.payload).papers.map((p) => p.title))).toEqual([['Diffusion at scale'], ['More diffusion']]);
    } finally {
      await hf.close();
    }
  });
});
