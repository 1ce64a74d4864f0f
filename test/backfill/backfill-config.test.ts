import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addDays, toFeedDate } from '../../src/clock.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { runCli } from '../support/run-cli.ts';

// BACKFILL_FROM and HF_MAX_REQUESTS_PER_MINUTE: defaults, and a malformed value stops start-up
// with one message naming it.

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('backfill configuration', () => {
  it('defaults to the whole archive at 90 requests a minute; off turns it off', () => {
    expect(loadConfig({})).toMatchObject({ BACKFILL_FROM: '2023-05-04', HF_MAX_REQUESTS_PER_MINUTE: 90 });
    expect(loadConfig({ BACKFILL_FROM: 'off' }).BACKFILL_FROM).toBe('off');
    expect(loadConfig({ BACKFILL_FROM: ' OFF ' }).BACKFILL_FROM).toBe('off');
    expect(loadConfig({ BACKFILL_FROM: '2024-01-01', HF_MAX_REQUESTS_PER_MINUTE: '300' })).toMatchObject({ BACKFILL_FROM: '2024-01-01', HF_MAX_REQUESTS_PER_MINUTE: 300 });
  });

  it.each([
    ['yesterday', "BACKFILL_FROM must be a date from 2023-05-04 to today (YYYY-MM-DD) or off, got 'yesterday'"],
    ['2024-02-30', "BACKFILL_FROM must be a date from 2023-05-04 to today (YYYY-MM-DD) or off, got '2024-02-30'"],
    ['2023-05-03', "BACKFILL_FROM must be a date from 2023-05-04 to today (YYYY-MM-DD) or off: Daily Papers starts on 2023-05-04, got '2023-05-03'"],
  ])('refuses BACKFILL_FROM=%s', (value, message) => {
    expect(problems({ BACKFILL_FROM: value })).toEqual([message]);
  });

  it('refuses a BACKFILL_FROM in the future', () => {
    const tomorrow = addDays(toFeedDate(Date.now()), 1);
    expect(problems({ BACKFILL_FROM: tomorrow })).toEqual([`BACKFILL_FROM must be a date from 2023-05-04 to today (YYYY-MM-DD) or off: ${tomorrow} is in the future`]);
  });

  it.each(['0', '-5', '1.5', 'lots'])('refuses HF_MAX_REQUESTS_PER_MINUTE=%s', (value) => {
    expect(problems({ HF_MAX_REQUESTS_PER_MINUTE: value })).toEqual([`HF_MAX_REQUESTS_PER_MINUTE must be a whole number from 1 to 100000, got '${value}'`]);
  });

  it('a malformed BACKFILL_FROM stops `paperboy start` with one message naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-backfill-config-'));
    try {
      const result = await runCli(['start'], { env: { DATABASE_PATH: join(dir, 'paperboy.db'), BACKFILL_FROM: '2023-13-01' }, cwd: dir });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("BACKFILL_FROM must be a date from 2023-05-04 to today (YYYY-MM-DD) or off, got '2023-13-01'");
      expect(result.stderr.match(/BACKFILL_FROM/g)).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
