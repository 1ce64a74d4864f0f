import { describe, expect, it } from 'vitest';
import { toPaperCard } from '../../src/messages/paper-card.ts';
import { aPaper } from '../support/builders.ts';
import { createTestStore } from '../support/test-db.ts';

const t0 = Date.parse('2026-09-01T10:00:00Z');

describe('upsertPapers', () => {
  it('inserts new papers, returns their ids, records the day with positions', async () => {
    const store = createTestStore();
    const a = aPaper({ arxivId: '2609.00001' });
    const b = aPaper({ arxivId: '2609.00002' });
    const { inserted, updated } = await store.upsertPapers('2026-09-01', [a, b], t0);
    expect(updated).toBe(0);
    expect(inserted).toHaveLength(2);
    expect((await store.getPapersByIds(inserted)).map((p) => p.arxivId)).toEqual(['2609.00001', '2609.00002']);
    const days = store.db.$client.prepare('SELECT feed_date, position FROM paper_days ORDER BY position').all();
    expect(days).toEqual([
      { feed_date: '2026-09-01', position: 0 },
      { feed_date: '2026-09-01', position: 1 },
    ]);
  });

  it('refreshes counts on a known paper, keeps first_seen_at, never erases a known value with a missing one', async () => {
    const store = createTestStore();
    const paper = aPaper({ arxivId: '2609.00003', upvotes: 3, githubRepo: 'https://github.com/a/b', githubStars: 9, aiSummary: 'Summary.' });
    await store.upsertPapers('2026-09-01', [paper], t0);
    const again = await store.upsertPapers('2026-09-01', [{ ...paper, upvotes: 40, githubStars: null, aiSummary: null, numComments: 2 }], t0 + 60_000);
    expect(again).toEqual({ inserted: [], updated: 1 });
    const row = await store.getPaperByArxivId('2609.00003');
    expect(row).toMatchObject({ upvotes: 40, githubStars: 9, aiSummary: 'Summary.', numComments: 2, firstSeenAt: t0, updatedAt: t0 + 60_000 });
    expect(await store.countRows('papers')).toBe(1);
  });

  it('stores 0 stars as 0 and unknown stars as null', async () => {
    const store = createTestStore();
    await store.upsertPapers('2026-09-01', [aPaper({ arxivId: '2609.00004', githubStars: 0 }), aPaper({ arxivId: '2609.00005' })], t0);
    expect((await store.getPaperByArxivId('2609.00004'))?.githubStars).toBe(0);
    expect((await store.getPaperByArxivId('2609.00005'))?.githubStars).toBeNull();
  });

  it('counts a paper repeated in one batch once as inserted', async () => {
    const store = createTestStore();
    const paper = aPaper({ arxivId: '2609.00006' });
    const { inserted, updated } = await store.upsertPapers('2026-09-01', [paper, { ...paper, upvotes: 7 }], t0);
    expect(inserted).toHaveLength(1);
    expect(updated).toBe(1);
    expect(await store.countRows('papers')).toBe(1);
  });

  it('keeps latest_feed_date at the latest day even when an older day is ingested after it', async () => {
    const store = createTestStore();
    const paper = aPaper({ arxivId: '2609.00007' });
    await store.upsertPapers('2026-09-02', [paper], t0);
    await store.upsertPapers('2026-09-01', [paper], t0 + 1);
    expect((await store.getPaperByArxivId('2609.00007'))?.latestFeedDate).toBe('2026-09-02');
    await store.upsertPapers('2026-09-03', [paper], t0 + 2);
    expect((await store.getPaperByArxivId('2609.00007'))?.latestFeedDate).toBe('2026-09-03');
  });
});

describe('listPapersForDay', () => {
  async function seed() {
    const store = createTestStore();
    const day1 = [
      aPaper({ arxivId: '2609.00011', upvotes: 5, publishedAt: Date.parse('2026-08-29T00:00:00Z') }),
      aPaper({ arxivId: '2609.00012', upvotes: 9, publishedAt: null }),
      aPaper({ arxivId: '2609.00013', upvotes: 5, publishedAt: Date.parse('2026-08-31T00:00:00Z') }),
      aPaper({ arxivId: '2609.00014', upvotes: 1, publishedAt: Date.parse('2026-08-30T00:00:00Z') }),
    ];
    await store.upsertPapers('2026-09-01', day1, t0);
    // 2609.00014 is listed again the next day, with a paper of its own.
    await store.upsertPapers('2026-09-02', [day1[3] ?? aPaper(), aPaper({ arxivId: '2609.00021', upvotes: 2 })], t0);
    return store;
  }

  it('sorts by upvotes, ties by feed position, and pages with a total', async () => {
    const store = await seed();
    const first = await store.listPapersForDay('2026-09-01', { limit: 3, offset: 0, sort: 'upvotes' });
    expect(first.total).toBe(4);
    expect(first.papers.map((p) => p.arxivId)).toEqual(['2609.00012', '2609.00011', '2609.00013']);
    const second = await store.listPapersForDay('2026-09-01', { limit: 3, offset: 3, sort: 'upvotes' });
    expect(second.papers.map((p) => p.arxivId)).toEqual(['2609.00014']);
  });

  it("sorts 'new' by arXiv publication time, unknown last", async () => {
    const store = await seed();
    const { papers } = await store.listPapersForDay('2026-09-01', { limit: 10, offset: 0, sort: 'new' });
    expect(papers.map((p) => p.arxivId)).toEqual(['2609.00013', '2609.00014', '2609.00011', '2609.00012']);
  });

  it('lists a paper on every day it appeared', async () => {
    const store = await seed();
    const next = await store.listPapersForDay('2026-09-02', { limit: 10, offset: 0, sort: 'upvotes' });
    expect(next.total).toBe(2);
    expect(next.papers.map((p) => p.arxivId)).toEqual(['2609.00021', '2609.00014']);
  });

  it('finds the latest day with papers on or before a day', async () => {
    const store = await seed();
    expect(await store.latestFeedDayWithPapers('2026-09-05')).toBe('2026-09-02');
    expect(await store.latestFeedDayWithPapers('2026-09-01')).toBe('2026-09-01');
    expect(await store.latestFeedDayWithPapers('2026-08-31')).toBeNull();
  });
});

describe('getPapersByIds', () => {
  it('returns rows in the order asked, leaving out unknown ids, across chunks', async () => {
    const store = createTestStore();
    const { inserted } = await store.upsertPapers('2026-09-01', Array.from({ length: 600 }, (_, i) => aPaper({ arxivId: `2609.${String(30000 + i)}` })), t0);
    const ids = [...inserted].reverse();
    const rows = await store.getPapersByIds([...ids, 999_999]);
    expect(rows).toHaveLength(600);
    expect(rows[0]?.arxivId).toBe('2609.30599');
    expect(await store.getPapersByIds([])).toEqual([]);
  });
});

describe('listRecentPapers', () => {
  async function seed() {
    const store = createTestStore();
    await store.upsertPapers('2026-08-30', [aPaper({ arxivId: '2608.11111', title: 'Old diffusion transformers', upvotes: 50 })], t0);
    await store.upsertPapers(
      '2026-09-01',
      [
        aPaper({ arxivId: '2609.22222', title: 'Diffusion models for rigorous proofs', upvotes: 3 }),
        aPaper({ arxivId: '2609.22233', title: 'Scaling laws of everything', upvotes: 8 }),
      ],
      t0,
    );
    return store;
  }

  it('lists the newest feed day first, by upvotes', async () => {
    expect((await (await seed()).listRecentPapers({ limit: 10 })).map((p) => p.arxivId)).toEqual(['2609.22233', '2609.22222', '2608.11111']);
  });

  it('matches an arXiv id prefix, a full id and a pasted URL', async () => {
    const store = await seed();
    expect((await store.listRecentPapers({ limit: 10, prefix: '2609.222' })).map((p) => p.arxivId)).toEqual(['2609.22233', '2609.22222']);
    expect((await store.listRecentPapers({ limit: 10, prefix: '2608.11111' })).map((p) => p.arxivId)).toEqual(['2608.11111']);
    expect((await store.listRecentPapers({ limit: 10, prefix: 'https://arxiv.org/abs/2609.22222v2' })).map((p) => p.arxivId)).toEqual(['2609.22222']);
  });

  it('matches title words, the last one as a prefix (stemmed)', async () => {
    const store = await seed();
    expect((await store.listRecentPapers({ limit: 10, prefix: 'diffusion' })).map((p) => p.arxivId)).toEqual(['2609.22222', '2608.11111']);
    expect((await store.listRecentPapers({ limit: 10, prefix: 'diffusion rigo' })).map((p) => p.arxivId)).toEqual(['2609.22222']);
  });

  it.each(['"', 'AND (', '*', 'title:', "'; DROP TABLE papers; --", 'NEAR(a b)'])('never throws on FTS syntax in user text: %s', async (prefix) => {
    await expect((await seed()).listRecentPapers({ limit: 5, prefix })).resolves.toBeInstanceOf(Array);
  });
});

describe('toPaperCard', () => {
  it('builds links, falls back to the HF thumbnail and the abstract first two sentences', async () => {
    const store = createTestStore();
    await store.upsertPapers('2026-09-01', [aPaper({ arxivId: '2609.00031', abstract: 'One. Two? Three! Four.', authors: ['A B', 'C D'] })], t0);
    const row = await store.getPaperByArxivId('2609.00031');
    if (!row) throw new Error('row missing');
    const card = toPaperCard(row);
    expect(card).toMatchObject({
      id: '2609.00031',
      url: 'https://huggingface.co/papers/2609.00031',
      arxivUrl: 'https://arxiv.org/abs/2609.00031',
      pdfUrl: 'https://arxiv.org/pdf/2609.00031',
      thumbnailUrl: 'https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2609.00031.png',
      authors: ['A B', 'C D'],
      summary: 'One. Two?',
      github: null,
      comments: null,
      feedDate: '2026-09-01',
      publishedAt: '2026-08-30T00:00:00.000Z',
    });
    expect(card.abstract).toBeUndefined();
  });

  it('prefers the AI summary; full adds abstract and keywords; unknown stars stay null', async () => {
    const store = createTestStore();
    await store.upsertPapers(
      '2026-09-01',
      [aPaper({ arxivId: '2609.00032', aiSummary: 'AI says so.', aiKeywords: ['x'], githubRepo: 'https://github.com/a/b', thumbnail: 'https://t/x.png' })],
      t0,
    );
    const row = await store.getPaperByArxivId('2609.00032');
    if (!row) throw new Error('row missing');
    const card = toPaperCard(row, { full: true });
    expect(card).toMatchObject({ summary: 'AI says so.', keywords: ['x'], github: { url: 'https://github.com/a/b', stars: null }, thumbnailUrl: 'https://t/x.png' });
    expect(card.abstract).toBe('We study things. The results are good.');
  });
});
