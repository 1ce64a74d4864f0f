import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuery } from '../../src/search/parse-query.ts';
import { RANK_WINDOW } from '../../src/store/store.ts';
import { aPaper } from '../support/builders.ts';
import { backends, type OpenedStore } from '../support/both-backends.ts';

// Issue "search finds the paper you mean": spelling and form variants, abbreviations, and
// known-item search, on both backends through the one parser.

const now = Date.parse('2026-09-10T00:00:00Z');

const SPELLINGS: Array<[string, string]> = [
  ['optimisation', 'optimization'],
  ['modelling', 'modeling'],
  ['behaviour', 'behavior'],
  ['rigour', 'rigor'],
  ['generalisation', 'generalization'],
  ['colour', 'color'],
  ['labelled', 'labeled'],
  ['centre', 'center'],
  ['analyse', 'analyze'],
  ['catalogue', 'catalog'],
  ['tokenisation', 'tokenization'],
  ['regularised', 'regularized'],
];

const FORMS = ['self-supervised', 'self supervised', 'selfsupervised'];

describe.each(backends)('search variants on $name', (backend) => {
  let opened: OpenedStore;
  const search = (text: string, limit = 10) => opened.store.searchPapers(parseQuery(text), { limit, offset: 0, now });
  const arxivIds = async (text: string, limit = 10) => (await search(text, limit)).results.map((r) => r.paper.arxivId);

  beforeAll(async () => {
    opened = await backend.open();
    const papers = [
      ...SPELLINGS.flatMap(([british, american], i) => [
        aPaper({ arxivId: `2609.0${String(i * 2 + 100).padStart(4, '0')}`, title: `Quokka ${british} study`, abstract: 'Marsupials.' }),
        aPaper({ arxivId: `2609.0${String(i * 2 + 101).padStart(4, '0')}`, title: `Quokka ${american} study`, abstract: 'Marsupials.' }),
      ]),
      ...FORMS.map((form, i) => aPaper({ arxivId: `2609.00${300 + i}`, title: `Wombat ${form} representations`, abstract: 'Burrows.' })),
      aPaper({ arxivId: '2609.00400', title: 'LLM agents for numbat tracking', abstract: 'Agents.' }),
      aPaper({ arxivId: '2609.00401', title: 'Large language model agents for numbat tracking', abstract: 'Agents.' }),
      aPaper({ arxivId: '2609.00402', title: 'Reinforcement learning for echidna foraging', abstract: 'Policies.' }),
    ];
    await opened.store.upsertPapers('2026-09-01', papers, 0);
  }, 120_000);
  afterAll(async () => opened?.close());

  it.each(SPELLINGS)('%s and %s find each other', async (british, american) => {
    const expected = (await arxivIds(`quokka ${british}`)).sort();
    expect(expected).toHaveLength(2);
    expect((await arxivIds(`quokka ${american}`)).sort()).toEqual(expected);
    expect((await arxivIds(`"quokka ${american} study"`)).sort()).toEqual(expected);
  });

  it.each(FORMS)('%s finds the hyphenated, spaced and joined forms', async (form) => {
    expect((await arxivIds(`wombat ${form}`)).sort()).toEqual(['2609.00300', '2609.00301', '2609.00302']);
  });

  it('an abbreviation finds its expansion and the other way round, the literal match first', async () => {
    expect(await arxivIds('LLM numbat')).toEqual(['2609.00400', '2609.00401']);
    expect(await arxivIds('LLMs numbat')).toEqual(['2609.00400', '2609.00401']);
    expect(await arxivIds('large language models numbat')).toEqual(['2609.00401', '2609.00400']);
    expect(await arxivIds('RL echidna')).toEqual(['2609.00402']);
  });

  it('digest filters and watch previews fold the same way', async () => {
    const optimisation = await Promise.all(['2609.00100', '2609.00101', '2609.00102'].map((id) => opened.store.getPaperByArxivId(id)));
    const [british, american, other] = optimisation.map((row) => row?.id ?? -1);
    expect(await opened.store.paperIdsMatching(parseQuery('optimisation'), [british ?? -1, american ?? -1, other ?? -1])).toEqual(new Set([british, american]));
    expect(await opened.store.countMatches(parseQuery('behavior quokka'), '2026-08-01')).toBe(2);
    const numbats = await Promise.all(['2609.00400', '2609.00401', '2609.00402'].map(async (id) => (await opened.store.getPaperByArxivId(id))?.id ?? -1));
    expect(await opened.store.paperIdsMatching(parseQuery('LLM numbat'), numbats)).toEqual(new Set(numbats.slice(0, 2)));
  });

  it('tokenises British and American spellings to the same index terms (the watch matcher reads these)', async () => {
    const [british, american] = await opened.store.tokenize([{ title: 'Optimisation of colour modelling' }, { title: 'optimization of color modeling' }]);
    expect(british?.title).toEqual(american?.title);
  });
});

describe.each(backends)('known-item search on $name', (backend) => {
  let opened: OpenedStore;
  const search = (text: string, limit = 5) => opened.store.searchPapers(parseQuery(text), { limit, offset: 0, now });
  const title = 'Sparse attention makes protein language models fold faster';

  beforeAll(async () => {
    opened = await backend.open();
    // The paper everyone means, stored first (the oldest), then many newer papers using the same
    // words in other orders and with more words: more matches than the ranking window holds.
    await opened.store.upsertPapers('2025-01-06', [aPaper({ arxivId: '2501.00001', title, abstract: 'We fold proteins.', authors: ['Grace Hopper'], upvotes: 0 })], 0);
    const words = title.toLowerCase().split(' ');
    const newer = Array.from({ length: RANK_WINDOW + 200 }, (_, i) => {
      const rotated = [...words.slice((i % 7) + 1), ...words.slice(0, (i % 7) + 1)];
      return aPaper({ arxivId: `2608.${String(10000 + i)}`, title: `${rotated.join(' ')} ${i % 3 === 0 ? 'again' : ''}`.trim(), abstract: `${title} revisited.`, upvotes: 50 });
    });
    for (let i = 0; i < newer.length; i += 300) await opened.store.upsertPapers('2026-09-01', newer.slice(i, i + 300), 0);
  }, 300_000);
  afterAll(async () => opened?.close());

  it('the exact title finds the old paper first, though it is outside the window of the newest matches', async () => {
    const result = await search(title);
    expect(result.capped).toBe(true);
    expect(result.results[0]?.paper.arxivId).toBe('2501.00001');
    expect(result.searched).toBe(RANK_WINDOW + 201);
    expect(result.estimatedMatches).toBeGreaterThan(RANK_WINDOW);
  });

  it('the title with one word missing, or in other case and punctuation, still finds it first', async () => {
    expect((await search('sparse attention makes protein models fold faster')).results[0]?.paper.arxivId).toBe('2501.00001');
    expect((await search('SPARSE ATTENTION: MAKES PROTEIN-LANGUAGE MODELS FOLD FASTER!')).results[0]?.paper.arxivId).toBe('2501.00001');
  });

  it('an old known item still has to pass the exclusions and authors', async () => {
    const excluded = await search(`${title} -"we fold"`, RANK_WINDOW);
    expect(excluded.capped).toBe(true);
    expect(excluded.results.map((r) => r.paper.arxivId)).not.toContain('2501.00001');
    const author = await search(`${title} author:lovelace`, RANK_WINDOW);
    expect(author.capped).toBe(true);
    expect(author.results.map((r) => r.paper.arxivId)).not.toContain('2501.00001');
    expect((await search(`${title} author:hopper`)).results[0]?.paper.arxivId).toBe('2501.00001');
  });

  it('a topic query of the same words still ranks the newest window', async () => {
    const result = await search('protein models');
    expect(result.capped).toBe(true);
    expect(result.results[0]?.paper.arxivId).not.toBe('2501.00001');
  });
});
