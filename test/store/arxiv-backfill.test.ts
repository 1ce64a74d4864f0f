import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArxivPaper } from '../../src/papers/arxiv-paper.ts';
import type { Store } from '../../src/store/store.ts';
import { aPaper } from '../support/builders.ts';
import { backends } from '../support/both-backends.ts';

// The arXiv API backfill's pages in the store, the same on both backends: history goes below
// every stored paper (never alerted, never ranked newest), known papers gain arXiv without losing
// their text, and a (category, day) is done only with its last page.

const paper = (arxivId: string, overrides: Partial<ArxivPaper> = {}): ArxivPaper => ({
  arxivId,
  version: 1,
  title: `History ${arxivId}`,
  abstract: 'We study retrieval.',
  authors: ['Ada Lovelace'],
  categories: ['cs.CL'],
  publishedAt: Date.parse('2026-08-03T10:00:00Z'),
  ...overrides,
});

describe.each(backends)('arXiv backfill pages on $name', ({ open }) => {
  let store: Store;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, close } = await open());
  }, 120_000);
  afterAll(async () => close?.());

  it('inserts history below every stored paper, dated by its submission day, and marks a day done only with its last page', async () => {
    const recent = await store.upsertPapers('2026-09-01', [aPaper({ arxivId: '2609.00001', title: 'On HF', upvotes: 9 })], 1000);
    const first = await store.storeArxivBackfillPage({ category: 'cs.cl', day: '2026-08-03', papers: [paper('2608.00001'), paper('2608.00002')], dayDone: false, now: 2000 });
    expect(first).toEqual({ inserted: 2, updated: 0 });
    expect(await store.arxivBackfilledDays('cs.cl', '2026-08-01', '2026-08-31')).toEqual([]);
    const last = await store.storeArxivBackfillPage({ category: 'cs.cl', day: '2026-08-03', papers: [paper('2608.00003'), paper('2608.00001')], dayDone: true, now: 3000 });
    expect(last).toEqual({ inserted: 1, updated: 1 });
    expect(await store.arxivBackfilledDays('cs.cl', '2026-08-01', '2026-08-31')).toEqual(['2026-08-03']);
    expect(await store.arxivBackfilledDays('cs.lg', '2026-08-01', '2026-08-31')).toEqual([]);
    expect(await store.arxivBackfilledDays('cs.cl', '2026-08-04', '2026-08-31')).toEqual([]);
    const stored = await Promise.all(['2608.00001', '2608.00002', '2608.00003'].map((id) => store.getPaperByArxivId(id)));
    const newest = recent.inserted[0] ?? 0;
    for (const row of stored) {
      expect(row).toMatchObject({ listedOnArxiv: true, listedOnHf: false, latestFeedDate: '2026-08-03', categories: '["cs.CL"]', arxivVersion: 1 });
      expect(row?.id).toBeLessThan(newest);
    }
    // Ids stay unique and below: the later page went below the first one.
    expect(new Set(stored.map((row) => row?.id)).size).toBe(3);
    expect(stored[2]?.id).toBeLessThan(stored[0]?.id ?? 0);
  });

  it('a known paper gains arXiv, the categories and a newer version, and keeps its text and feed day', async () => {
    await store.storeArxivBackfillPage({
      category: 'cs.lg',
      day: '2026-08-31',
      papers: [paper('2609.00001', { title: 'arXiv title', version: 3, categories: ['cs.LG', 'cs.CL'] }), paper('2608.00001', { version: null, categories: ['cs.LG'] })],
      dayDone: true,
      now: 4000,
    });
    expect(await store.getPaperByArxivId('2609.00001')).toMatchObject({ title: 'On HF', upvotes: 9, listedOnHf: true, listedOnArxiv: true, arxivVersion: 3, categories: '["cs.LG","cs.CL"]', latestFeedDate: '2026-09-01' });
    expect(await store.getPaperByArxivId('2608.00001')).toMatchObject({ arxivVersion: 1, categories: '["cs.CL","cs.LG"]' });
    expect(await store.arxivBackfilledDays('cs.lg', '2026-08-01', '2026-08-31')).toEqual(['2026-08-31']);
  });
});
