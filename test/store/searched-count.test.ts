import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../src/search/parse-query.ts';
import { aPaper } from '../support/builders.ts';
import { backends, storePerTest } from '../support/both-backends.ts';

// "Searched N papers" follows every write: new papers of a later day (ids above every stored one)
// and a backfilled older day (ids below every stored one). PostgreSQL counts only the papers
// outside the range it last counted (a full count reads the whole table), so both ends matter.

const now = Date.parse('2026-09-01T10:00:00Z');
const day = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => aPaper({ arxivId: `${prefix}.${String(i).padStart(5, '0')}`, title: `Paper ${prefix} ${i}` }));

describe.each(backends)('searched papers on $name', (backend) => {
  const store = storePerTest(backend);
  const searched = async () => (await store().searchPapers(parseQuery('paper'), { limit: 5, offset: 0, now })).searched;

  it('counts new days, backfilled days and re-listed papers once each', async () => {
    expect(await searched()).toBe(0);
    await store().upsertPapers('2026-08-20', day('2608', 3), now);
    expect(await searched()).toBe(3);
    await store().upsertPapers('2026-08-21', day('2609', 4), now);
    expect(await searched()).toBe(7);
    // A backfilled older day: its papers go below every stored id.
    await store().upsertPapers('2026-01-05', day('2601', 2), now);
    expect(await searched()).toBe(9);
    // Listed again on a later day: no new paper.
    await store().upsertPapers('2026-08-22', day('2609', 4), now);
    expect(await searched()).toBe(9);
  });
});
