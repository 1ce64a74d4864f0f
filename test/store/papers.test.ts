import { describe, expect, it } from 'vitest';
import { toPaperCard } from '../../src/messages/paper-card.ts';
import { aPaper } from '../support/builders.ts';
import { backends, storePerTest } from '../support/both-backends.ts';

// Papers and feed days, on both backends: upsertPapers, getPaperByArxivId, getPapersByIds,
// listPapersForDay, latestFeedDayWithPapers.

const t0 = Date.parse('2026-09-01T10:00:00Z');
const at = (iso: string) => Date.parse(iso);

describe.each(backends)('papers on $name', (backend) => {
  const store = storePerTest(backend);

  describe('upsertPapers', () => {
    it('inserts new papers with ascending ids, in feed order', async () => {
      const a = aPaper({ arxivId: '2609.00001', upvotes: 1 });
      const b = aPaper({ arxivId: '2609.00002', upvotes: 1 });
      const { inserted, updated } = await store().upsertPapers('2026-09-01', [a, b], t0);
      expect({ inserted, updated }).toEqual({ inserted: [1, 2], updated: 0 });
      expect((await store().getPapersByIds(inserted)).map((p) => p.arxivId)).toEqual(['2609.00001', '2609.00002']);
      // Equal upvotes: the day lists them in the order the feed gave.
      const day = await store().listPapersForDay('2026-09-01', { limit: 10, offset: 0, sort: 'upvotes' });
      expect(day.papers.map((p) => p.arxivId)).toEqual(['2609.00001', '2609.00002']);
    });

    it('refreshes counts on a known paper, keeps first_seen_at, never erases a known value with a missing one', async () => {
      const paper = aPaper({ arxivId: '2609.00003', upvotes: 3, abstract: 'Has an abstract.', githubRepo: 'https://github.com/a/b', githubStars: 9, aiSummary: 'Summary.' });
      await store().upsertPapers('2026-09-01', [paper], t0);
      const again = await store().upsertPapers('2026-09-01', [{ ...paper, abstract: '', upvotes: 40, githubStars: null, aiSummary: null, numComments: 2 }], t0 + 60_000);
      expect(again).toEqual({ inserted: [], updated: 1 });
      const row = await store().getPaperByArxivId('2609.00003');
      expect(row).toMatchObject({ abstract: 'Has an abstract.', upvotes: 40, githubStars: 9, aiSummary: 'Summary.', numComments: 2, firstSeenAt: t0, updatedAt: t0 + 60_000 });
      expect(row).not.toHaveProperty('searchVector');
      expect(await store().countRows('papers')).toBe(1);
    });

    it('stores 0 stars as 0 and unknown stars as null', async () => {
      await store().upsertPapers('2026-09-01', [aPaper({ arxivId: '2609.00004', githubStars: 0 }), aPaper({ arxivId: '2609.00005' })], t0);
      expect((await store().getPaperByArxivId('2609.00004'))?.githubStars).toBe(0);
      expect((await store().getPaperByArxivId('2609.00005'))?.githubStars).toBeNull();
      expect(await store().getPaperByArxivId('2609.99999')).toBeUndefined();
    });

    it('counts a paper repeated in one batch once as inserted', async () => {
      const paper = aPaper({ arxivId: '2609.00006' });
      const { inserted, updated } = await store().upsertPapers('2026-09-01', [paper, { ...paper, upvotes: 7 }], t0);
      expect(inserted).toHaveLength(1);
      expect(updated).toBe(1);
      expect(await store().countRows('papers')).toBe(1);
      expect((await store().getPaperByArxivId('2609.00006'))?.upvotes).toBe(7);
    });

    it('keeps latest_feed_date at the latest day even when an older day is ingested after it', async () => {
      const paper = aPaper({ arxivId: '2609.00007' });
      await store().upsertPapers('2026-09-02', [paper], t0);
      await store().upsertPapers('2026-09-01', [paper], t0 + 1);
      expect((await store().getPaperByArxivId('2609.00007'))?.latestFeedDate).toBe('2026-09-02');
      await store().upsertPapers('2026-09-03', [paper], t0 + 2);
      expect((await store().getPaperByArxivId('2609.00007'))?.latestFeedDate).toBe('2026-09-03');
    });

    it('stores text as given: quotes, accents, emoji and SQL-looking titles round-trip', async () => {
      const title = `Schölkopf's "Kernels" — 😀 ; DROP TABLE papers; -- 中文 \\ %_`;
      await store().upsertPapers('2026-09-01', [aPaper({ arxivId: '2609.00008', title, authors: ['Bernhard Schölkopf', 'O\'Brien'] })], t0);
      expect(await store().getPaperByArxivId('2609.00008')).toMatchObject({ title, authors: JSON.stringify(['Bernhard Schölkopf', "O'Brien"]) });
      expect(await store().countRows('papers')).toBe(1);
    });
  });

  describe('listPapersForDay', () => {
    const seed = async () => {
      const day1 = [
        aPaper({ arxivId: '2609.00011', upvotes: 5, publishedAt: at('2026-08-29T00:00:00Z') }),
        aPaper({ arxivId: '2609.00012', upvotes: 9, publishedAt: null }),
        aPaper({ arxivId: '2609.00013', upvotes: 5, publishedAt: at('2026-08-31T00:00:00Z') }),
        aPaper({ arxivId: '2609.00014', upvotes: 1, publishedAt: at('2026-08-30T00:00:00Z') }),
      ];
      await store().upsertPapers('2026-09-01', day1, t0);
      // 2609.00014 is listed again the next day, with a paper of its own.
      await store().upsertPapers('2026-09-02', [day1[3] ?? aPaper(), aPaper({ arxivId: '2609.00021', upvotes: 2 })], t0);
    };

    it('sorts by upvotes, ties by feed position, and pages with a total', async () => {
      await seed();
      const first = await store().listPapersForDay('2026-09-01', { limit: 3, offset: 0, sort: 'upvotes' });
      expect(first.total).toBe(4);
      expect(first.papers.map((p) => p.arxivId)).toEqual(['2609.00012', '2609.00011', '2609.00013']);
      const second = await store().listPapersForDay('2026-09-01', { limit: 3, offset: 3, sort: 'upvotes' });
      expect(second).toMatchObject({ total: 4 });
      expect(second.papers.map((p) => p.arxivId)).toEqual(['2609.00014']);
      expect(await store().listPapersForDay('2026-09-01', { limit: 3, offset: 10, sort: 'upvotes' })).toEqual({ total: 4, papers: [] });
      expect(await store().listPapersForDay('2026-08-01', { limit: 3, offset: 0, sort: 'upvotes' })).toEqual({ total: 0, papers: [] });
    });

    it("sorts 'new' by arXiv publication time, unknown last", async () => {
      await seed();
      const { papers } = await store().listPapersForDay('2026-09-01', { limit: 10, offset: 0, sort: 'new' });
      expect(papers.map((p) => p.arxivId)).toEqual(['2609.00013', '2609.00014', '2609.00011', '2609.00012']);
    });

    it('lists a paper on every day it appeared', async () => {
      await seed();
      const next = await store().listPapersForDay('2026-09-02', { limit: 10, offset: 0, sort: 'upvotes' });
      expect(next.total).toBe(2);
      expect(next.papers.map((p) => p.arxivId)).toEqual(['2609.00021', '2609.00014']);
    });

    it('finds the latest day with papers on or before a day', async () => {
      expect(await store().latestFeedDayWithPapers('2026-09-05')).toBeNull();
      await seed();
      expect(await store().latestFeedDayWithPapers('2026-09-05')).toBe('2026-09-02');
      expect(await store().latestFeedDayWithPapers('2026-09-01')).toBe('2026-09-01');
      expect(await store().latestFeedDayWithPapers('2026-08-31')).toBeNull();
    });
  });

  describe('getPapersByIds', () => {
    it('returns rows in the order asked, leaving out unknown ids, across chunks', async () => {
      const { inserted } = await store().upsertPapers('2026-09-01', Array.from({ length: 600 }, (_, i) => aPaper({ arxivId: `2609.${String(30000 + i)}` })), t0);
      const ids = [...inserted].reverse();
      const rows = await store().getPapersByIds([...ids, 999_999]);
      expect(rows).toHaveLength(600);
      expect(rows[0]?.arxivId).toBe('2609.30599');
      expect(rows.map((r) => r.id)).toEqual(ids);
      expect(await store().getPapersByIds([])).toEqual([]);
      expect((await store().getPapersByIds([2, 99_999, 1])).map((p) => p.id)).toEqual([2, 1]);
    });
  });

  describe('rows as messages use them', () => {
    it('builds a card: links, the HF thumbnail fallback and the abstract first two sentences', async () => {
      await store().upsertPapers('2026-09-01', [aPaper({ arxivId: '2609.00031', abstract: 'One. Two? Three! Four.', authors: ['A B', 'C D'] })], t0);
      const row = await store().getPaperByArxivId('2609.00031');
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
      await store().upsertPapers(
        '2026-09-01',
        [aPaper({ arxivId: '2609.00032', aiSummary: 'AI says so.', aiKeywords: ['x'], githubRepo: 'https://github.com/a/b', thumbnail: 'https://t/x.png' })],
        t0,
      );
      const row = await store().getPaperByArxivId('2609.00032');
      if (!row) throw new Error('row missing');
      const card = toPaperCard(row, { full: true });
      expect(card).toMatchObject({ summary: 'AI says so.', keywords: ['x'], github: { url: 'https://github.com/a/b', stars: null }, thumbnailUrl: 'https://t/x.png' });
      expect(card.abstract).toBe('We study things. The results are good.');
    });
  });
});

describe('a paper row reads the same on both backends', () => {
  const [sqlite, postgres] = backends.map((backend) => storePerTest(backend));

  it('every fact set, every fact missing: one equal object', async () => {
    const full = aPaper({ arxivId: '2609.09999', organization: 'Allen AI', numComments: 4, githubRepo: 'https://github.com/a/b', githubStars: 7, aiKeywords: ['x'], aiSummary: 's', projectPage: 'https://p', thumbnail: 'https://t' });
    const bare = aPaper({ arxivId: '2609.09998', authors: [], publishedAt: null });
    for (const store of [sqlite, postgres]) await store?.().upsertPapers('2026-09-01', [full, bare], 1_788_000_000_000);
    for (const id of ['2609.09999', '2609.09998']) {
      const row = await postgres?.().getPaperByArxivId(id);
      expect(row).toBeDefined();
      expect(row).toEqual(await sqlite?.().getPaperByArxivId(id));
    }
  });
});
