import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.ts';
import { ingestRange } from '../../src/feed/ingest.ts';
import { testDeps } from '../support/test-deps.ts';

// `paperboy ingest --date 2013-05-04` (a slip of the finger for 2023): Daily Papers starts on
// 2023-05-04, so no earlier day is fetched, or recorded as an empty feed day; as `backfill` does.

describe('ingestRange before Daily Papers started', () => {
  it.each([
    ['1970-01-01', '1970-01-01'],
    ['2023-05-03', '2023-05-05'],
  ])('refuses %s → %s with bad_date, naming the first day, and records nothing', async (from, to) => {
    const deps = testDeps({ now: '2026-09-01T10:00:00Z' });
    const err = await ingestRange(deps, from, to).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err instanceof UserError ? [err.code, err.message] : []).toEqual(['bad_date', `${from} is before 2023-05-04, the first day of Daily Papers: there is nothing to fetch.`]);
    expect(deps.db.$client.prepare('SELECT count(*) AS n FROM ingest_runs').get()).toEqual({ n: 0 });
  });
});
