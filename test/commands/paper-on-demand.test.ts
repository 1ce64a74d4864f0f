import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NO_FEED_DAY } from '../../src/store/store.ts';
import { readFixture, startFakeHf, type FakeHf } from '../support/fake-hf.ts';
import { aPaper } from '../support/builders.ts';
import { startFakeArxiv, type FakeArxiv } from '../support/fake-arxiv.ts';
import { commandDeps, run, seed } from './harness.ts';

// `/papers paper` for a paper no feed day brought: fetched from GET /api/papers/{id}, or from
// the arXiv API (`id_list`) when Hugging Face has no page for it.

let hf: FakeHf;
beforeEach(async () => {
  hf = await startFakeHf();
});
afterEach(async () => hf.close());

const FIXTURE_ID = '2407.13168';

describe('/papers paper on demand', () => {
  it('fetches an unknown paper, stores it without a feed day and says it is not listed', async () => {
    const deps = commandDeps({ HF_BASE_URL: hf.url });
    await seed(deps, '2026-08-31', [aPaper({ arxivId: '2608.00001', title: 'Listed today' })]);
    hf.setPaper(FIXTURE_ID, readFixture('paper-page-dataprops-paper-2407.13168.json') as Record<string, unknown>);
    const reply = await run(deps, 'paper', { id: `https://huggingface.co/papers/${FIXTURE_ID}` });
    expect(reply).toMatchObject({ kind: 'paper', visibility: 'public', text: 'Not listed in Daily Papers: fetched from Hugging Face on request.' });
    expect(reply.title).toMatch(/^SciCode/);
    expect(reply.papers[0]).toMatchObject({ id: FIXTURE_ID, feedDate: null, url: `https://huggingface.co/papers/${FIXTURE_ID}`, upvotes: 17 });
    expect(reply.papers[0]?.arxivOnly).toBeUndefined();
    expect(reply.papers[0]?.authors.length).toBe(30);

    const row = await deps.store.getPaperByArxivId(FIXTURE_ID);
    expect(row?.latestFeedDate).toBe(NO_FEED_DAY);
    expect(Number(deps.db.$client.prepare('SELECT count(*) FROM paper_days WHERE paper_id = ?').pluck().get(row?.id))).toBe(0);
    // Not news: today's list, alert planning and digests never see it; search does.
    const today = await run(deps, 'today');
    expect(today.papers.map((p) => p.id)).toEqual(['2608.00001']);
    expect(await deps.store.unplannedPaperIds(10)).not.toContain(row?.id);
    const search = await run(deps, 'search', { query: 'SciCode' });
    expect(search.papers.map((p) => p.id)).toEqual([FIXTURE_ID]);

    // The second time it is read from the store.
    const again = await run(deps, 'paper', { id: FIXTURE_ID });
    expect(again.text).toBe('Not listed in Daily Papers: fetched from Hugging Face on request.');
    expect(hf.requests.filter((r) => r.path === `/api/papers/${FIXTURE_ID}`)).toHaveLength(1);
  });

  it('404 and arXiv unreachable: Hugging Face has no page for it, with the arXiv link; nothing stored', async () => {
    const deps = commandDeps({ HF_BASE_URL: hf.url });
    const reply = await run(deps, 'paper', { id: '1706.03762' });
    expect(reply).toMatchObject({ kind: 'error', text: 'Hugging Face has no page for 1706.03762, and arXiv did not answer: https://arxiv.org/abs/1706.03762' });
    expect(await deps.store.countRows('papers')).toBe(0);
  });

  describe('falling back to the arXiv API when Hugging Face has no page', () => {
    let arxiv: FakeArxiv;
    beforeEach(async () => {
      arxiv = await startFakeArxiv();
      arxiv.setApi('1605.08386', readFileSync(new URL('../fixtures/arxiv/api-idlist-1605.08386.xml', import.meta.url), 'utf8'));
    });
    afterEach(async () => arxiv.close());

    it('stores the arXiv paper without a feed day, with its categories, and says where it came from', async () => {
      const deps = commandDeps({ HF_BASE_URL: hf.url, ARXIV_API_URL: arxiv.apiUrl });
      const reply = await run(deps, 'paper', { id: 'https://arxiv.org/abs/1605.08386v1' });
      expect(reply).toMatchObject({ kind: 'paper', title: 'Heat-bath random walks with Markov bases', text: 'Not listed in Daily Papers: fetched from arXiv on request.' });
      expect(reply.papers[0]).toMatchObject({ url: 'https://arxiv.org/abs/1605.08386', arxivOnly: true });
      expect(await deps.store.getPaperByArxivId('1605.08386')).toMatchObject({
        latestFeedDate: NO_FEED_DAY,
        categories: '["math.CO","math.ST"]',
        listedOnHf: false,
        listedOnArxiv: false,
        upvotes: 0,
      });
      expect(hf.requests.filter((r) => r.path === '/api/papers/1605.08386')).toHaveLength(1);
      expect(arxiv.requests.filter((r) => r.path === '/api/query')).toHaveLength(1);
      // Read from the store the second time: no request to either.
      expect((await run(deps, 'paper', { id: '1605.08386' })).text).toBe('Not listed in Daily Papers: fetched from arXiv on request.');
      expect(arxiv.requests.filter((r) => r.path === '/api/query')).toHaveLength(1);
      expect((await run(deps, 'search', { query: 'markov bases' })).papers.map((p) => p.id)).toEqual(['1605.08386']);
    });

    it('neither knows the id: says so, nothing stored', async () => {
      const deps = commandDeps({ HF_BASE_URL: hf.url, ARXIV_API_URL: arxiv.apiUrl });
      const reply = await run(deps, 'paper', { id: '2609.99999' });
      expect(reply).toMatchObject({ kind: 'error', text: 'Neither Hugging Face nor arXiv knows 2609.99999: check the id (https://arxiv.org/abs/2609.99999).' });
      expect(await deps.store.countRows('papers')).toBe(0);
    });
  });

  it.each([
    ['a 503', { fault: 'status', status: 503 } as const],
    ['an HTML page', { fault: 'html' } as const],
    ['a reset connection', { fault: 'reset' } as const],
  ])('Hugging Face answering %s: try again in a minute, nothing stored, no stack trace', async (_name, fault) => {
    const deps = commandDeps({ HF_BASE_URL: hf.url });
    hf.setPaperFault('1706.03762', fault);
    const reply = await run(deps, 'paper', { id: 'arxiv.org/abs/1706.03762v7' });
    expect(reply).toMatchObject({ kind: 'error', text: 'I could not reach Hugging Face to look up 1706.03762. Please try again in a minute.' });
    expect(await deps.store.countRows('papers')).toBe(0);
  });

  it('a paper whose id is not the one asked for is refused, not stored', async () => {
    const deps = commandDeps({ HF_BASE_URL: hf.url });
    hf.setPaper('2401.00001', readFixture('paper-page-dataprops-paper-2407.13168.json') as Record<string, unknown>);
    const reply = await run(deps, 'paper', { id: '2401.00001' });
    expect(reply.kind).toBe('error');
    expect(await deps.store.countRows('papers')).toBe(0);
  });
});
