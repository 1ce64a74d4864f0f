import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aPaper } from '../support/builders.ts';
import type { Store } from '../../src/store/store.ts';
import { backends } from '../support/both-backends.ts';

// Autocomplete for `/papers paper`: both backends must offer the same papers for what a user types.

const at = (iso: string) => Date.parse(iso);

describe.each(backends)('listRecentPapers on $name', ({ open }) => {
  let store: Store;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, close } = await open());
    await store.upsertPapers('2026-09-01', [
      aPaper({ arxivId: '2609.00001', title: 'Rigorous Diffusion Models', abstract: 'About transformers.', upvotes: 5 }),
      aPaper({ arxivId: '2609.00012', title: 'Transformers as Graph Learners', upvotes: 9 }),
      aPaper({ arxivId: 'hep-th/0601001', title: 'Strings Revisited', upvotes: 1 }),
    ], at('2026-09-01T06:00:00Z'));
    await store.upsertPapers('2026-09-02', [aPaper({ arxivId: '2609.00100', title: 'Diffusion for Text: LLMs at Scale', upvotes: 2 })], at('2026-09-02T06:00:00Z'));
  }, 120_000);
  afterAll(async () => close?.());

  const ids = async (prefix: string | undefined, limit = 10) => (await store.listRecentPapers({ limit, prefix })).map((p) => p.arxivId);

  it('lists the newest papers, then by upvotes', async () => {
    expect(await ids(undefined)).toEqual(['2609.00100', '2609.00012', '2609.00001', 'hep-th/0601001']);
    expect(await ids('   ', 2)).toEqual(['2609.00100', '2609.00012']);
  });

  it('finds an exact arXiv id, or every id with a prefix, newest id first', async () => {
    expect(await ids('2609.00012')).toEqual(['2609.00012']);
    expect(await ids('https://arxiv.org/abs/2609.00001v2')).toEqual(['2609.00001']);
    expect(await ids('2609.0')).toEqual(['2609.00100', '2609.00012', '2609.00001']);
    expect(await ids('2609.000')).toEqual(['2609.00012', '2609.00001']);
    expect(await ids('2609.0001')).toEqual(['2609.00012']);
    expect(await ids('hep-th/06')).toEqual(['hep-th/0601001']);
    expect(await ids('2701.')).toEqual([]);
  });

  it('matches title words, stemmed, the last one as a prefix, never the abstract', async () => {
    expect(await ids('diffusion')).toEqual(['2609.00100', '2609.00001']);
    expect(await ids('diff')).toEqual(['2609.00100', '2609.00001']);
    expect(await ids('model diff')).toEqual(['2609.00001']);
    expect(await ids('llm')).toEqual(['2609.00100']);
    expect(await ids('transformers')).toEqual(['2609.00012']);
    expect(await ids('graph LEARN')).toEqual(['2609.00012']);
    expect(await ids('as gra')).toEqual(['2609.00012']);
    expect(await ids('rigorous')).toEqual(['2609.00001']);
    expect(await ids('sca')).toEqual(['2609.00100']);
    expect(await ids('quantum')).toEqual([]);
    expect(await ids('!!! :* & |')).toEqual([]);
    expect(await ids("rigor' OR 1=1 --")).toEqual([]);
  });

  it.each(['"', 'AND (', '*', 'title:', "'; DROP TABLE papers; --", 'NEAR(a b)', 'a:* | !b', '\\', '%_', 'é', '\u0000'])('never throws on search syntax in user text: %j', async (prefix) => {
    await expect(store.listRecentPapers({ limit: 5, prefix })).resolves.toBeInstanceOf(Array);
    expect(await store.countRows('papers')).toBe(4);
  });
});
