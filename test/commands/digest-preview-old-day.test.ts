import { describe, expect, it } from 'vitest';
import { commandDeps, run } from './harness.ts';

// `digest preview 2013-09-01` (a slip for 2023): no ingest can fetch a day before Daily Papers
// started, so the preview says that instead of suggesting one.

describe('digest preview of a day before Daily Papers', () => {
  it('names the first day of Daily Papers and suggests no ingest', async () => {
    const reply = await run(commandDeps(), 'digest preview', { date: '2013-09-01' }, { isAdmin: true });
    expect(reply.papers).toEqual([]);
    expect(reply.text).toMatch(/2013-09-01 is before 2023-05-04, the first day of Daily Papers: it has no papers\.$/);
    expect(reply.text).not.toMatch(/paperboy ingest/);
  });
});
