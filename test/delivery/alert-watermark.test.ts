import { describe, expect, it } from 'vitest';
import { planAlerts, planPendingAlerts } from '../../src/delivery/plan-alerts.ts';
import { alertWatermark } from '../../src/store/alert-watermark.ts';
import { upsertPapers } from '../../src/store/papers.ts';
import { deliveries } from '../../src/store/schema.ts';
import { addWatch } from '../../src/store/watches.ts';
import { aPaper } from '../support/builders.ts';
import { testDeps, type TestDeps } from '../support/test-deps.ts';

const ada = { platform: 'discord', id: 'U-ada' } as const;

function ingest(deps: TestDeps, titles: string[]): number[] {
  return upsertPapers(deps.db, '2026-08-31', titles.map((title) => aPaper({ title })), deps.clock.now().getTime()).inserted;
}
const alertCount = (deps: TestDeps) => deps.db.select().from(deliveries).all().length;

describe('alert watermark', () => {
  it('alerts papers whose ingest committed just before a crash, on the next run, once', () => {
    const deps = testDeps();
    addWatch(deps, ada, 'diffusion');
    // The ingest committed; the process died before alerts were planned.
    ingest(deps, ['Diffusion for proteins']);
    expect(alertCount(deps)).toBe(0);
    // Next run (after restart): only papers past the watermark, including the orphaned one.
    expect(planPendingAlerts(deps, 2, ['discord'])).toMatchObject({ deliveries: 1, papers: 1 });
    expect(planPendingAlerts(deps, 3, ['discord'])).toMatchObject({ deliveries: 0, papers: 0 });
    expect(alertCount(deps)).toBe(1);
  });

  it('advances even when nothing matched, so a later watch never back-fills old papers', () => {
    const deps = testDeps();
    const ids = ingest(deps, ['Graph neural networks']);
    planPendingAlerts(deps, 1, ['discord']);
    expect(alertWatermark(deps.db)).toBe(Math.max(...ids));
    addWatch(deps, ada, 'graph');
    expect(planPendingAlerts(deps, 2, ['discord']).deliveries).toBe(0);
    ingest(deps, ['Graph transformers']);
    expect(planPendingAlerts(deps, 3, ['discord'])).toMatchObject({ deliveries: 1, papers: 1 });
  });

  it('never moves backwards', () => {
    const deps = testDeps();
    const ids = ingest(deps, ['One', 'Two']);
    planAlerts(deps, 1, [Math.max(...ids)], ['discord']);
    planAlerts(deps, 1, [Math.min(...ids)], ['discord']);
    expect(alertWatermark(deps.db)).toBe(Math.max(...ids));
  });
});
