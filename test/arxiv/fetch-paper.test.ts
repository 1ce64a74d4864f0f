import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchArxivPaper } from '../../src/arxiv/fetch-paper.ts';
import { ArxivApiError } from '../../src/arxiv/parse-atom.ts';
import { createArxivGate } from '../../src/arxiv/polite-client.ts';
import { startFakeArxiv, type FakeArxiv } from '../support/fake-arxiv.ts';
import { testDeps } from '../support/test-deps.ts';

// One paper from the arXiv API (`id_list`), for the `/papers paper` fallback; the fake answers
// with the recorded API bodies.

const fixture = (name: string) => readFileSync(new URL(`../fixtures/arxiv/${name}`, import.meta.url), 'utf8');

let arxiv: FakeArxiv;
beforeAll(async () => {
  arxiv = await startFakeArxiv();
  arxiv.setApi('1605.08386', fixture('api-idlist-1605.08386.xml'));
  arxiv.setApi('astro-ph/0601001', fixture('api-idlist-oldstyle-astro-ph-0601001.xml'));
  arxiv.setApi('abc', fixture('api-idlist-abc-error-400.xml'), 400);
});
afterAll(() => arxiv.close());

const gate = () => createArxivGate({ spacingMs: 5 });
const deps = () => testDeps({ env: { ARXIV_API_URL: arxiv.apiUrl } });

describe('fetchArxivPaper', () => {
  it('asks the API for one id and reads the paper', async () => {
    const paper = await fetchArxivPaper(deps(), '1605.08386', { gate: gate() });
    expect(paper).toMatchObject({ arxivId: '1605.08386', title: 'Heat-bath random walks with Markov bases', categories: ['math.CO', 'math.ST'] });
    const request = arxiv.requests.at(-1);
    expect(request?.path).toBe('/api/query');
    expect(new URLSearchParams(request?.search).get('id_list')).toBe('1605.08386');
    expect(request?.userAgent).toMatch(/^paperboy\//);
  });

  it('reads old-style ids', async () => {
    expect((await fetchArxivPaper(deps(), 'astro-ph/0601001', { gate: gate() }))?.arxivId).toBe('astro-ph/0601001');
  });

  it('is null for an id arXiv does not know, and ArxivApiError for one it refuses', async () => {
    expect(await fetchArxivPaper(deps(), '2609.99999', { gate: gate() })).toBeNull();
    await expect(fetchArxivPaper(deps(), 'abc', { gate: gate() })).rejects.toThrow(ArxivApiError);
  });
});
