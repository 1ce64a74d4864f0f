import { describe, expect, it } from 'vitest';
import { backends, storePerTest } from '../support/both-backends.ts';
import { aPaper } from '../support/builders.ts';
import type { Store } from '../../src/store/store.ts';
import { trendingPapers } from '../../src/trending/trending-papers.ts';
import { snapshotUpvotes } from '../../src/trending/snapshot-upvotes.ts';

// A fixed upvote history, written as ingest writes it (papers, then a snapshot of the day), and
// the order trending gives it. Now is 2026-09-08 12:00 UTC.

const at = (iso: string) => Date.parse(iso);
const now = at('2026-09-08T12:00:00Z');

/** [feed day, arXiv id, [[time, upvotes]…]]: each step is one ingest run of that day. */
const history: Array<[string, string, Array<[string, number]>]> = [
  // Old and popular, barely moving: +2 this week.
  ['2026-08-20', '2608.00001', [['2026-08-20T06:00:00Z', 300], ['2026-09-06T06:00:00Z', 302]]],
  // Yesterday's paper, 0 → 60 in a day: the fastest.
  ['2026-09-07', '2609.00007', [['2026-09-07T06:00:00Z', 0], ['2026-09-07T18:00:00Z', 30], ['2026-09-08T06:00:00Z', 60]]],
  // Five days old: 60 in five and a half days, slower and older.
  ['2026-09-03', '2609.00003', [['2026-09-03T06:00:00Z', 10], ['2026-09-05T06:00:00Z', 40], ['2026-09-08T06:00:00Z', 60]]],
  // Stored by a backfill this morning with 500 upvotes: none gained while we watched.
  ['2026-06-01', '2606.00001', [['2026-09-08T06:00:00Z', 500]]],
  // Today's paper with 12 upvotes after six hours.
  ['2026-09-08', '2609.00008', [['2026-09-08T06:00:00Z', 12]]],
];

async function writeHistory(store: Store): Promise<void> {
  const steps = history.flatMap(([day, arxivId, points]) => points.map(([iso, upvotes]) => ({ day, arxivId, iso, upvotes })));
  steps.sort((a, b) => a.iso.localeCompare(b.iso));
  for (const step of steps) {
    // A backfilled paper was first seen this morning although its day is in June.
    await store.upsertPapers(step.day, [aPaper({ arxivId: step.arxivId, upvotes: step.upvotes })], at(step.iso));
    await snapshotUpvotes(store, step.day, at(step.iso));
  }
}

describe.each(backends)('trending on $name', (backend) => {
  const store = storePerTest(backend, writeHistory);
  const ranking = async (window: 'day' | 'week' | 'month') => (await trendingPapers(store(), window, now)).map(({ paper, trend }) => [paper.arxivId, trend.gain]);

  it('ranks a week by upvote velocity, damped for age', async () => {
    expect(await ranking('week')).toEqual([
      ['2609.00007', 60],
      ['2609.00008', 12],
      // Appeared inside the week: every upvote it has was gained in it, over more hours.
      ['2609.00003', 60],
      ['2608.00001', 2],
    ]);
  });

  it('counts only the day’s gains in the day window', async () => {
    // The baseline is the newest snapshot at or before the window's start (yesterday 12:00):
    // 2609.00007 had 0 at 06:00, 2609.00003 had 40 on 09-05.
    expect(await ranking('day')).toEqual([
      ['2609.00007', 60],
      ['2609.00008', 12],
      ['2609.00003', 20],
    ]);
  });

  it('never counts a backfilled paper’s old upvotes as a gain', async () => {
    expect((await ranking('month')).map(([id]) => id)).not.toContain('2606.00001');
  });
});
