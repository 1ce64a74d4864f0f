import { describe, expect, it } from 'vitest';
import { backends, storePerTest } from '../support/both-backends.ts';
import { aPaper } from '../support/builders.ts';

// Upvote snapshots (trending), the reading list, and document frequencies (similar), on both backends.

const at = (iso: string) => Date.parse(iso);
const alice = { platform: 'discord', id: 'U-alice' };
const bob = { platform: 'slack', id: 'U-alice' };

describe.each(backends)('upvote snapshots on $name', (backend) => {
  const store = storePerTest(backend);

  it('writes a snapshot only when the upvotes changed, and reads history from the baseline on', async () => {
    const day = '2026-09-01';
    const write = async (upvotes: number, iso: string) => {
      await store().upsertPapers(day, [aPaper({ arxivId: '2609.00001', upvotes }), aPaper({ arxivId: '2609.00002', upvotes: 3 })], at(iso));
      return store().recordUpvoteSnapshots(day, at(iso), 0);
    };
    expect(await write(1, '2026-09-01T06:00:00Z')).toBe(2);
    expect(await write(1, '2026-09-01T06:30:00Z')).toBe(0);
    expect(await write(5, '2026-09-01T07:00:00Z')).toBe(1);
    expect(await write(9, '2026-09-01T08:00:00Z')).toBe(1);
    const first = (await store().getPaperByArxivId('2609.00001'))?.id ?? -1;
    const second = (await store().getPaperByArxivId('2609.00002'))?.id ?? -1;
    // Since 07:30: the first paper from its 07:00 baseline on; the second changed before, so it is left out.
    expect(await store().upvoteHistory(at('2026-09-01T07:30:00Z'))).toEqual([
      { paperId: first, at: at('2026-09-01T07:00:00Z'), upvotes: 5 },
      { paperId: first, at: at('2026-09-01T08:00:00Z'), upvotes: 9 },
    ]);
    // Asked for by id: its baseline even without a later snapshot.
    expect(await store().upvoteHistory(at('2026-09-01T07:30:00Z'), [second])).toEqual([{ paperId: second, at: at('2026-09-01T06:00:00Z'), upvotes: 3 }]);
  });

  it('prunes snapshots before the cut but keeps each paper’s newest one before it', async () => {
    const day = '2026-09-01';
    for (const [upvotes, iso] of [[1, '2026-09-01T06:00:00Z'], [2, '2026-09-02T06:00:00Z'], [3, '2026-09-03T06:00:00Z']] as const) {
      await store().upsertPapers(day, [aPaper({ arxivId: '2609.00001', upvotes })], at(iso));
      await store().recordUpvoteSnapshots(day, at(iso), at('2026-09-02T12:00:00Z'));
    }
    const id = (await store().getPaperByArxivId('2609.00001'))?.id ?? -1;
    expect(await store().upvoteHistory(0, [id])).toEqual([
      { paperId: id, at: at('2026-09-02T06:00:00Z'), upvotes: 2 },
      { paperId: id, at: at('2026-09-03T06:00:00Z'), upvotes: 3 },
    ]);
  });
});

describe.each(backends)('reading list on $name', (backend) => {
  const store = storePerTest(backend);

  it('saves once, lists newest saved first per user and platform, and removes', async () => {
    const { inserted } = await store().upsertPapers('2026-09-01', [aPaper({ arxivId: '2609.00001' }), aPaper({ arxivId: '2609.00002' })], at('2026-09-01T06:00:00Z'));
    const [a = -1, b = -1] = inserted;
    expect(await store().savePaper(alice, a, 1)).toBe(true);
    expect(await store().savePaper(alice, a, 2)).toBe(false);
    expect(await store().savePaper(alice, b, 3)).toBe(true);
    expect(await store().savePaper(bob, b, 4)).toBe(true);
    const mine = await store().listSavedPapers(alice, { limit: 10, offset: 0 });
    expect(mine.total).toBe(2);
    expect(mine.papers.map((p) => p.arxivId)).toEqual(['2609.00002', '2609.00001']);
    expect((await store().listSavedPapers(alice, { limit: 1, offset: 1 })).papers.map((p) => p.arxivId)).toEqual(['2609.00001']);
    expect(await store().unsavePaper(alice, b)).toBe(true);
    expect(await store().unsavePaper(alice, b)).toBe(false);
    expect((await store().listSavedPapers(alice, { limit: 10, offset: 0 })).papers.map((p) => p.arxivId)).toEqual(['2609.00001']);
    expect((await store().listSavedPapers(bob, { limit: 10, offset: 0 })).total).toBe(1);
  });
});

describe.each(backends)('term document counts on $name', (backend) => {
  const store = storePerTest(backend);

  it('counts the papers holding each index term', async () => {
    await store().upsertPapers(
      '2026-09-01',
      [
        aPaper({ arxivId: '2609.00001', title: 'Diffusion models for video', abstract: 'Video diffusion.' }),
        aPaper({ arxivId: '2609.00002', title: 'Diffusion for text', abstract: 'Language.' }),
        aPaper({ arxivId: '2609.00003', title: 'Reward modeling', abstract: 'Preferences.' }),
      ],
      at('2026-09-01T06:00:00Z'),
    );
    const [tokens] = await store().tokenize([{ title: 'diffusion video reward zebra' }]);
    const terms = tokens?.title ?? [];
    expect(terms).toHaveLength(4);
    const { documents, counts } = await store().termDocumentCounts(terms);
    expect(documents).toBe(3);
    expect(terms.map((term) => counts.get(term))).toEqual([2, 1, 1, 0]);
  });
});
