import { describe, expect, it } from 'vitest';
import { alertsWatches, manualIngestTrigger } from '../../src/feed/ingest.ts';

// `paperboy ingest`'s jobs: which fetch the news (their new papers alert watches) and which fetch
// history (never alert). The console adapter only parses the flags; the rule is the core's.
describe('manualIngestTrigger', () => {
  const today = '2026-12-02';

  it('the default job and --date today or yesterday are the news', () => {
    expect(manualIngestTrigger({ date: undefined, from: undefined }, today)).toBe('cli');
    expect(manualIngestTrigger({ date: today, from: undefined }, today)).toBe('cli');
    expect(manualIngestTrigger({ date: '2026-12-01', from: undefined }, today)).toBe('cli');
    expect(alertsWatches('cli')).toBe(true);
  });

  it('an older --date and any --from range are history, even a range of today alone', () => {
    expect(manualIngestTrigger({ date: '2026-11-30', from: undefined }, today)).toBe('backfill');
    expect(manualIngestTrigger({ date: undefined, from: today }, today)).toBe('backfill');
    expect(manualIngestTrigger({ date: undefined, from: '2024-01-01' }, today)).toBe('backfill');
    expect(alertsWatches('backfill')).toBe(false);
  });

  it('counts days across a month and a year end', () => {
    expect(manualIngestTrigger({ date: '2026-12-31', from: undefined }, '2027-01-01')).toBe('cli');
    expect(manualIngestTrigger({ date: '2026-12-30', from: undefined }, '2027-01-01')).toBe('backfill');
  });
});
