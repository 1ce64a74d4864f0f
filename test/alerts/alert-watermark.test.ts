import { describe, expect, it } from 'vitest';
import { planAlerts, planIngestAlerts, planPendingAlerts } from '../../src/alerts/plan-alerts.ts';
import { ingestDay } from '../../src/feed/ingest.ts';
import { deliveries } from '../../src/store/sqlite/schema.ts';
import { addWatch } from '../../src/watches/add-watch.ts';
import { aPaper } from '../support/builders.ts';
import { hfItem, startFakeHf } from '../support/fake-hf.ts';
import { testDeps, type TestDeps } from '../support/test-deps.ts';

const ada = { platform: 'discord', id: 'U-ada' } as const;

async function ingest(deps: TestDeps, titles: string[]): Promise<number[]> {
  return (await deps.store.upsertPapers('2026-08-31', titles.map((title) => aPaper({ title })), deps.clock.now())).inserted;
}
const alertCount = (deps: TestDeps) => deps.db.select().from(deliveries).all().length;

describe('alert watermark', () => {
  it('alerts papers whose ingest committed just before a crash, on the next run, once', async () => {
    const deps = testDeps();
    await addWatch(deps, ada, 'diffusion');
    // The ingest committed; the process died before alerts were planned.
    await ingest(deps, ['Diffusion for proteins']);
    expect(alertCount(deps)).toBe(0);
    // Next run (after restart): only papers past the watermark, including the orphaned one.
    expect(await planPendingAlerts(deps, 2, ['discord'])).toMatchObject({ deliveries: 1, papers: 1 });
    expect(await planPendingAlerts(deps, 3, ['discord'])).toMatchObject({ deliveries: 0, papers: 0 });
    expect(alertCount(deps)).toBe(1);
  });

  it('advances even when nothing matched, so a later watch never back-fills old papers', async () => {
    const deps = testDeps();
    const ids = await ingest(deps, ['Graph neural networks']);
    await planPendingAlerts(deps, 1, ['discord']);
    expect(await deps.store.alertWatermark()).toBe(Math.max(...ids));
    await addWatch(deps, ada, 'graph');
    expect((await planPendingAlerts(deps, 2, ['discord'])).deliveries).toBe(0);
    await ingest(deps, ['Graph transformers']);
    expect(await planPendingAlerts(deps, 3, ['discord'])).toMatchObject({ deliveries: 1, papers: 1 });
  });

  it('never moves backwards', async () => {
    const deps = testDeps();
    const ids = await ingest(deps, ['One', 'Two']);
    await planAlerts(deps, 1, [Math.max(...ids)], ['discord']);
    await planAlerts(deps, 1, [Math.min(...ids)], ['discord']);
    expect(await deps.store.alertWatermark()).toBe(Math.max(...ids));
  });
});

describe('backfills never alert (one rule for the cron, the CLI and any backfill job)', () => {
  it("a backfill's papers pass the watermark in the transaction that stores them: a bot planning right after alerts nothing", async () => {
    const hf = await startFakeHf({ '2024-10-25': [hfItem({ title: 'Old diffusion survey' })] });
    try {
      const deps = testDeps({ env: { HF_BASE_URL: hf.url } });
      await addWatch(deps, ada, 'diffusion');
      const run = await ingestDay(deps, '2024-10-25', 'backfill');
      // What a running bot's next ingest job does, before the backfill job got to plan anything.
      expect(await planPendingAlerts(deps, 99, ['discord'])).toMatchObject({ deliveries: 0, papers: 0 });
      expect(await deps.store.alertWatermark()).toBe(Math.max(...run.inserted));
      expect(await planIngestAlerts(deps, 'backfill', [run], ['discord'])).toMatchObject({ deliveries: 0 });
      expect(alertCount(deps)).toBe(0);
    } finally {
      await hf.close();
    }
  });

  it('a backfill still lets regular papers that await planning alert, and skips its own', async () => {
    const hf = await startFakeHf({ '2024-10-25': [hfItem({ title: 'Old diffusion survey' })] });
    try {
      const deps = testDeps({ env: { HF_BASE_URL: hf.url } });
      await addWatch(deps, ada, 'diffusion');
      // A regular ingest committed; its alerts were not planned yet (a crash, or the bot is mid-job).
      await ingest(deps, ['Diffusion for proteins']);
      const run = await ingestDay(deps, '2024-10-25', 'backfill');
      expect(await planIngestAlerts(deps, 'backfill', [run], ['discord'])).toMatchObject({ deliveries: 1, papers: 1 });
      const [row] = deps.db.select().from(deliveries).all();
      expect(row?.payload).toContain('Diffusion for proteins');
      expect(row?.payload).not.toContain('Old diffusion survey');
      expect(await planPendingAlerts(deps, 99, ['discord'])).toMatchObject({ deliveries: 0, papers: 0 });
    } finally {
      await hf.close();
    }
  });

  it('a backfill job that plans after each day keeps its later days out of reach of a running bot', async () => {
    const hf = await startFakeHf({ '2024-10-24': [hfItem({ title: 'Old diffusion survey' })], '2024-10-25': [hfItem({ title: 'Old diffusion benchmark' })] });
    try {
      const deps = testDeps({ env: { HF_BASE_URL: hf.url } });
      await addWatch(deps, ada, 'diffusion');
      await ingest(deps, ['Diffusion for proteins']);
      const first = await ingestDay(deps, '2024-10-24', 'backfill');
      expect(await planIngestAlerts(deps, 'backfill', [first], ['discord'])).toMatchObject({ deliveries: 1, papers: 1 });
      await ingestDay(deps, '2024-10-25', 'backfill');
      // The bot's next job, before the backfill planned its second day.
      expect(await planPendingAlerts(deps, 99, ['discord'])).toMatchObject({ deliveries: 0, papers: 0 });
      expect(alertCount(deps)).toBe(1);
    } finally {
      await hf.close();
    }
  });

  it('a regular job (cron, start-up, plain CLI ingest) alerts the papers it stored', async () => {
    const hf = await startFakeHf({ '2026-09-01': [hfItem({ title: 'New diffusion paper' })] });
    try {
      const deps = testDeps({ env: { HF_BASE_URL: hf.url } });
      await addWatch(deps, ada, 'diffusion');
      const run = await ingestDay(deps, '2026-09-01', 'cli');
      expect(await planIngestAlerts(deps, 'cli', [run], ['discord'])).toMatchObject({ deliveries: 1, papers: 1 });
    } finally {
      await hf.close();
    }
  });
});
