import { describe, expect, it } from 'vitest';
import {
  countPapers,
  getPaperByArxivId,
  getPapersByIds,
  latestFeedDayWithPapers,
  listPapersForDay,
  listRecentPapers,
  toPaperCard,
  upsertPapers,
} from '../../src/store/sqlite/papers.ts';
import { aPaper } from '../support/builders.ts';
import { createTestDb } from '../support/test-db.ts';

const t0 = Date.parse('2026-09-01T10:00:00Z');

describe('upsertPapers', () => {
  it('inserts new papers, returns their ids, records the day with positions', () => {
    const db = createTestDb();
    const a = aPaper({ arxivId: '2609.00001' });
    const b = aPaper({ arxivId: '2609.00002' });
    const { inserted, updated } = upsertPapers(db, '2026-09-01', [a, b], t0);
    expect(updated).toBe(0);
    expect(inserted).toHaveLength(2);
    expect(getPapersByIds(db, inserted).map((p) => p.arxivId)).toEqual(['2609.00001', '2609.00002']);
    const days = db.$client.prepare('SELECT feed_date, position FROM paper_days ORDER BY position').all();
    expect(days).toEqual([
      { feed_date: '2026-09-01', position: 0 },
      { feed_date: '2026-09-01', position: 1 },
    ]);
  });

  it('refreshes counts on a known paper, keeps first_seen_at, never erases a known value with a missing one', () => {
    const db = createTestDb();
    const paper = aPaper({ arxivId: '2609.00003', upvotes: 3, githubRepo: 'https://github.com/a/b', githubStars: 9, aiSummary: 'Summary.' });
    upsertPapers(db, '2026-09-01', [paper], t0);
    const again = upsertPapers(db, '2026-09-01', [{ ...paper, upvotes: 40, githubStars: null, aiSummary: null, numComments: 2 }], t0 + 60_000);
    expect(again).toEqual({ inserted: [], updated: 1 });
    const row = getPaperByArxivId(db, '2609.00003');
    expect(row).toMatchObject({ upvotes: 40, githubStars: 9, aiSummary: 'Summary.', numComments: 2, firstSeenAt: t0, updatedAt: t0 + 60_000 });
    expect(countPapers(db)).toBe(1);
  });

  it('stores 0 stars as 0 and unknown stars as null', () => {
    const db = createTestDb();
    upsertPapers(db, '2026-09-01', [aPaper({ arxivId: '2609.00004', githubStars: 0 }), aPaper({ arxivId: '2609.00005' })], t0);
    expect(getPaperByArxivId(db, '2609.00004')?.githubStars).toBe(0);
    expect(getPaperByArxivId(db, '2609.00005')?.githubStars).toBeNull();
  });

  it('counts a paper repeated in one batch once as inserted', () => {
    const db = createTestDb();
    const paper = aPaper({ arxivId: '2609.00006' });
    const { inserted, updated } = upsertPapers(db, '2026-09-01', [paper, { ...paper, upvotes: 7 }], t0);
    expect(inserted).toHaveLength(1);
    expect(updated).toBe(1);
    expect(countPapers(db)).toBe(1);
  });

  it('keeps latest_feed_date at the latest day even when an older day is ingested after it', () => {
    const db = createTestDb();
    const paper = aPaper({ arxivId: '2609.00007' });
    upsertPapers(db, '2026-09-02', [paper], t0);
    upsertPapers(db, '2026-09-01', [paper], t0 + 1);
    expect(getPaperByArxivId(db, '2609.00007')?.latestFeedDate).toBe('2026-09-02');
    upsertPapers(db, '2026-09-03', [paper], t0 + 2);
    expect(getPaperByArxivId(db, '2609.00007')?.latestFeedDate).toBe('2026-09-03');
  });
});

describe('listPapersForDay', () => {
  function seed() {
    const db = createTestDb();
    const day1 = [
      aPaper({ arxivId: '2609.00011', upvotes: 5, publishedAt: Date.parse('2026-08-29T00:00:00Z') }),
      aPaper({ arxivId: '2609.00012', upvotes: 9, publishedAt: null }),
      aPaper({ arxivId: '2609.00013', upvotes: 5, publishedAt: Date.parse('2026-08-31T00:00:00Z') }),
      aPaper({ arxivId: '2609.00014', upvotes: 1, publishedAt: Date.parse('2026-08-30T00:00:00Z') }),
    ];
    upsertPapers(db, '2026-09-01', day1, t0);
    // 2609.00014 is listed again the next day, with a paper of its own.
    upsertPapers(db, '2026-09-02', [day1[3] ?? aPaper(), aPaper({ arxivId: '2609.00021', upvotes: 2 })], t0);
    return db;
  }

  it('sorts by upvotes, ties by feed position, and pages with a total', () => {
    const db = seed();
    const first = listPapersForDay(db, '2026-09-01', { limit: 3, offset: 0, sort: 'upvotes' });
    expect(first.total).toBe(4);
    expect(first.papers.map((p) => p.arxivId)).toEqual(['2609.00012', '2609.00011', '2609.00013']);
    const second = listPapersForDay(db, '2026-09-01', { limit: 3, offset: 3, sort: 'upvotes' });
    expect(second.papers.map((p) => p.arxivId)).toEqual(['2609.00014']);
  });

  it("sorts 'new' by arXiv publication time, unknown last", () => {
    const db = seed();
    const { papers } = listPapersForDay(db, '2026-09-01', { limit: 10, offset: 0, sort: 'new' });
    expect(papers.map((p) => p.arxivId)).toEqual(['2609.00013', '2609.00014', '2609.00011', '2609.00012']);
  });

  it('lists a paper on every day it appeared', () => {
    const db = seed();
    const next = listPapersForDay(db, '2026-09-02', { limit: 10, offset: 0, sort: 'upvotes' });
    expect(next.total).toBe(2);
    expect(next.papers.map((p) => p.arxivId)).toEqual(['2609.00021', '2609.00014']);
  });

  it('finds the latest day with papers on or before a day', () => {
    const db = seed();
    expect(latestFeedDayWithPapers(db, '2026-09-05')).toBe('2026-09-02');
    expect(latestFeedDayWithPapers(db, '2026-09-01')).toBe('2026-09-01');
    expect(latestFeedDayWithPapers(db, '2026-08-31')).toBeNull();
  });
});

describe('getPapersByIds', () => {
  it('returns rows in the order asked, leaving out unknown ids, across chunks', () => {
    const db = createTestDb();
    const { inserted } = upsertPapers(db, '2026-09-01', Array.from({ length: 600 }, (_, i) => aPaper({ arxivId: `2609.${String(30000 + i)}` })), t0);
    const ids = [...inserted].reverse();
    const rows = getPapersByIds(db, [...ids, 999_999]);
    expect(rows).toHaveLength(600);
    expect(rows[0]?.arxivId).toBe('2609.30599');
    expect(getPapersByIds(db, [])).toEqual([]);
  });
});

describe('listRecentPapers', () => {
  function seed() {
    const db = createTestDb();
    upsertPapers(db, '2026-08-30', [aPaper({ arxivId: '2608.11111', title: 'Old diffusion transformers', upvotes: 50 })], t0);
    upsertPapers(
      db,
      '2026-09-01',
      [
        aPaper({ arxivId: '2609.22222', title: 'Diffusion models for rigorous proofs', upvotes: 3 }),
        aPaper({ arxivId: '2609.22233', title: 'Scaling laws of everything', upvotes: 8 }),
      ],
      t0,
    );
    return db;
  }

  it('lists the newest feed day first, by upvotes', () => {
    expect(listRecentPapers(seed(), { limit: 10 }).map((p) => p.arxivId)).toEqual(['2609.22233', '2609.22222', '2608.11111']);
  });

  it('matches an arXiv id prefix, a full id and a pasted URL', () => {
    const db = seed();
    expect(listRecentPapers(db, { limit: 10, prefix: '2609.222' }).map((p) => p.arxivId)).toEqual(['2609.22233', '2609.22222']);
    expect(listRecentPapers(db, { limit: 10, prefix: '2608.11111' }).map((p) => p.arxivId)).toEqual(['2608.11111']);
    expect(listRecentPapers(db, { limit: 10, prefix: 'https://arxiv.org/abs/2609.22222v2' }).map((p) => p.arxivId)).toEqual(['2609.22222']);
  });

  it('matches title words, the last one as a prefix (stemmed)', () => {
    const db = seed();
    expect(listRecentPapers(db, { limit: 10, prefix: 'diffusion' }).map((p) => p.arxivId)).toEqual(['2609.22222', '2608.11111']);
    expect(listRecentPapers(db, { limit: 10, prefix: 'diffusion rigo' }).map((p) => p.arxivId)).toEqual(['2609.22222']);
  });

  it.each(['"', 'AND (', '*', 'title:', "'; DROP TABLE papers; --", 'NEAR(a b)'])('never throws on FTS syntax in user text: %s', (prefix) => {
    expect(() => listRecentPapers(seed(), { limit: 5, prefix })).not.toThrow();
  });
});

describe('toPaperCard', () => {
  it('builds links, falls back to the HF thumbnail and the abstract first two sentences', () => {
    const db = createTestDb();
    upsertPapers(db, '2026-09-01', [aPaper({ arxivId: '2609.00031', abstract: 'One. Two? Three! Four.', authors: ['A B', 'C D'] })], t0);
    const row = getPaperByArxivId(db, '2609.00031');
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

  it('prefers the AI summary; full adds abstract and keywords; unknown stars stay null', () => {
    const db = createTestDb();
    upsertPapers(
      db,
      '2026-09-01',
      [aPaper({ arxivId: '2609.00032', aiSummary: 'AI says so.', aiKeywords: ['x'], githubRepo: 'https://github.com/a/b', thumbnail: 'https://t/x.png' })],
      t0,
    );
    const row = getPaperByArxivId(db, '2609.00032');
    if (!row) throw new Error('row missing');
    const card = toPaperCard(row, { full: true });
    expect(card).toMatchObject({ summary: 'AI says so.', keywords: ['x'], github: { url: 'https://github.com/a/b', stars: null }, thumbnailUrl: 'https://t/x.png' });
    expect(card.abstract).toBe('We study things. The results are good.');
  });
});
