import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArxivItem } from '../../src/papers/arxiv-paper.ts';
import { parseQuery } from '../../src/search/parse-query.ts';
import type { Store } from '../../src/store/store.ts';
import { aPaper } from '../support/builders.ts';
import { backends } from '../support/both-backends.ts';

// arXiv announcements in the store, the same on both backends: one row per paper across sources
// and versions, new/cross add, replace revises, and the cat:/source: filters of the query language.

const item = (overrides: Partial<ArxivItem> & Pick<ArxivItem, 'arxivId' | 'announceType'>): ArxivItem => ({
  version: 1,
  title: `Paper ${overrides.arxivId}`,
  abstract: 'We study retrieval for language models.',
  authors: ['Ada Lovelace'],
  categories: ['cs.CL'],
  publishedAt: null,
  ...overrides,
});

const write = (announcement: string, items: ArxivItem[], now = 1000) => ({ announcement, categories: 'cs.cl,cs.lg', items, skipped: 0, warning: null, trigger: 'cron', now });

describe.each(backends)('arXiv listings on $name', ({ open }) => {
  let store: Store;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, close } = await open());
  }, 120_000);
  afterAll(async () => close?.());

  it('inserts new and cross-listed papers once, with their categories (primary first) and arXiv as source', async () => {
    const result = await store.storeArxivAnnouncement(
      write('2026-09-01', [
        item({ arxivId: '2609.10001', announceType: 'new', categories: ['cs.CL', 'cs.LG'], version: 1 }),
        item({ arxivId: '2609.10002', announceType: 'cross', categories: ['stat.ML', 'cs.CL'] }),
        item({ arxivId: '2608.00001', announceType: 'replace', version: 3 }),
      ]),
    );
    expect(result.inserted).toHaveLength(2);
    expect(result.revisionsSkipped).toBe(1);
    const paper = await store.getPaperByArxivId('2609.10001');
    expect(paper).toMatchObject({ categories: '["cs.CL","cs.LG"]', listedOnHf: false, listedOnArxiv: true, arxivVersion: 1, latestFeedDate: '2026-09-01', upvotes: 0 });
    // A revision of a paper never stored is not stored (it would be news to nobody, and never alerts).
    expect(await store.getPaperByArxivId('2608.00001')).toBeUndefined();
    const listed = await store.listArxivAnnouncement('2026-09-01', { limit: 10, offset: 0 });
    expect(listed.total).toBe(2);
    expect(listed.papers.map((p) => p.arxivId)).toEqual(['2609.10001', '2609.10002']);
    expect(await store.arxivAnnouncementStored('2026-09-01', 'cs.cl,cs.lg')).toBe(true);
    // Other categories asked for: the same date is another announcement to store.
    expect(await store.arxivAnnouncementStored('2026-09-01', 'cs.cl,cs.ir')).toBe(false);
    expect(await store.arxivAnnouncementStored('2026-09-02', 'cs.cl,cs.lg')).toBe(false);
  });

  it('revises title, abstract, authors and version on replace, adds a category on cross, and keeps one row', async () => {
    const result = await store.storeArxivAnnouncement(
      write('2026-09-02', [
        item({ arxivId: '2609.10001', announceType: 'replace', version: 2, title: 'Revised title', abstract: 'Revised abstract.', authors: ['Ada Lovelace', 'Grace Hopper'], categories: ['cs.CL', 'cs.LG'] }),
        item({ arxivId: '2609.10002', announceType: 'cross', categories: ['stat.ML', 'cs.CL', 'cs.IR'] }),
      ], 2000),
    );
    expect(result).toMatchObject({ inserted: [], updated: 2, revisionsSkipped: 0 });
    const revised = await store.getPaperByArxivId('2609.10001');
    expect(revised).toMatchObject({ title: 'Revised title', abstract: 'Revised abstract.', authors: '["Ada Lovelace","Grace Hopper"]', arxivVersion: 2, latestFeedDate: '2026-09-01' });
    expect((await store.getPaperByArxivId('2609.10002'))?.categories).toBe('["stat.ML","cs.CL","cs.IR"]');
    // The announcement's list holds the cross-listing, not the revision.
    const listed = await store.listArxivAnnouncement('2026-09-02', { limit: 10, offset: 0 });
    expect(listed.papers.map((p) => p.arxivId)).toEqual(['2609.10002']);
    // An older version arriving late never rolls the text back.
    await store.storeArxivAnnouncement(write('2026-09-03', [item({ arxivId: '2609.10001', announceType: 'replace', version: 1, title: 'Old title' })], 3000));
    expect(await store.getPaperByArxivId('2609.10001')).toMatchObject({ title: 'Revised title', arxivVersion: 2 });
  });

  it('is the same paper when Hugging Face lists it later: upvotes and HF fields gained, categories kept', async () => {
    const hf = await store.upsertPapers('2026-09-04', [aPaper({ arxivId: '2609.10001', title: 'HF title', upvotes: 42, githubRepo: 'https://github.com/x/y' })], 4000);
    expect(hf.inserted).toEqual([]);
    const paper = await store.getPaperByArxivId('2609.10001');
    expect(paper).toMatchObject({ upvotes: 42, githubRepo: 'https://github.com/x/y', categories: '["cs.CL","cs.LG"]', listedOnHf: true, listedOnArxiv: true, latestFeedDate: '2026-09-04' });
    // And a Hugging Face paper arXiv lists later gains arXiv and its categories.
    await store.upsertPapers('2026-09-04', [aPaper({ arxivId: '2609.20001', title: 'Only on HF first', upvotes: 7 })], 4000);
    expect((await store.getPaperByArxivId('2609.20001'))?.listedOnArxiv).toBe(false);
    await store.storeArxivAnnouncement(write('2026-09-05', [item({ arxivId: '2609.20001', announceType: 'new', categories: ['cs.IR'] })], 5000));
    expect(await store.getPaperByArxivId('2609.20001')).toMatchObject({ upvotes: 7, categories: '["cs.IR"]', listedOnHf: true, listedOnArxiv: true, title: 'Only on HF first' });
  });

  it('filters search and digests by cat: (category or whole archive, any case) and source:', async () => {
    const ids = async (text: string) =>
      (await store.searchPapers(parseQuery(text), { limit: 50, offset: 0, now: Date.parse('2026-09-06T00:00:00Z') })).results.map((r) => r.paper.arxivId).sort();
    expect(await ids('cat:cs.CL')).toEqual(['2609.10001', '2609.10002']);
    expect(await ids('cat:CS.lg')).toEqual(['2609.10001']);
    expect(await ids('cat:cs')).toEqual(['2609.10001', '2609.10002', '2609.20001']);
    expect(await ids('cat:stat')).toEqual(['2609.10002']);
    // `cat:cs.C` is no category: it must not match cs.CL by prefix.
    expect(await ids('cat:cs.C')).toEqual([]);
    expect(await ids('source:arxiv')).toEqual(['2609.10001', '2609.10002', '2609.20001']);
    expect(await ids('source:hf source:arxiv')).toEqual(['2609.10001', '2609.20001']);
    expect(await ids('retrieval cat:cs.IR')).toEqual(['2609.10002']);
    const all = [(await store.getPaperByArxivId('2609.10001'))?.id ?? 0, (await store.getPaperByArxivId('2609.10002'))?.id ?? 0];
    expect([...(await store.paperIdsMatching(parseQuery('source:hf'), all))]).toEqual([all[0]]);
  });

  it('records failed and empty polls; the state reads the latest announcement stored', async () => {
    await store.recordArxivPoll({ status: 'empty', announcement: '2026-09-07', categories: 'cs.cl,cs.lg', warning: 'no announcement today (arXiv holiday?)', error: null, trigger: 'cron', fetched: 0, skipped: 0, at: 7000 });
    await store.recordArxivPoll({ status: 'failed', announcement: null, categories: 'cs.cl,cs.lg', warning: null, error: 'not XML', trigger: 'cron', fetched: 0, skipped: 0, at: 8000 });
    const state = await store.arxivPollState();
    expect(state.lastPoll).toMatchObject({ status: 'failed', error: 'not XML', at: 8000 });
    expect(state.lastStored).toMatchObject({ status: 'ok', announcement: '2026-09-05', inserted: 0, updated: 1 });
    expect(await store.arxivAnnouncementStored('2026-09-07', 'cs.cl,cs.lg')).toBe(false);
  });

  it('a revision changes only text and version; a listing keeps a Daily Papers paper on its feed day', async () => {
    await store.upsertPapers('2026-09-06', [aPaper({ arxivId: '2609.30001', title: 'On HF', upvotes: 3 })], 6000);
    await store.storeArxivAnnouncement(write('2026-09-07', [item({ arxivId: '2609.30001', announceType: 'replace', version: 2, title: 'On HF, revised', categories: ['math.OC'] })], 7000));
    expect(await store.getPaperByArxivId('2609.30001')).toMatchObject({ title: 'On HF, revised', arxivVersion: 2, categories: '[]', listedOnArxiv: false, latestFeedDate: '2026-09-06' });
    await store.storeArxivAnnouncement(write('2026-09-08', [item({ arxivId: '2609.30001', announceType: 'cross', version: 2, categories: ['cs.IR'] })], 8000));
    expect(await store.getPaperByArxivId('2609.30001')).toMatchObject({ categories: '["cs.IR"]', listedOnArxiv: true, latestFeedDate: '2026-09-06' });
  });
});
