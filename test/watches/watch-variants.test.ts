import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../src/search/parse-query.ts';
import { matchWatches } from '../../src/watches/match-watches.ts';
import { aPaper } from '../support/builders.ts';
import { createTestStore } from '../support/test-db.ts';
import { insertRawWatch } from './raw-watch.ts';

// Watches fold spellings and expand variants exactly as search does (one parser, one tokenizer).

describe('watch matching with spelling and form variants', () => {
  it('a watch finds the other spelling, the other hyphen form and the abbreviation, as search does', async () => {
    const store = createTestStore();
    const papers = [
      aPaper({ title: 'Optimization of quokka habitats' }),
      aPaper({ title: 'Large language model agents for wombats' }),
      aPaper({ title: 'Selfsupervised numbat tracking' }),
      aPaper({ title: 'Echidna colour vision' }),
    ];
    const ids = (await store.upsertPapers('2026-09-01', papers, Date.parse('2026-09-01T06:00:00Z'))).inserted;
    const queries = ['optimisation quokka', 'LLM wombats', 'self-supervised numbat', 'color echidna', '"echidna color"'];
    queries.forEach((query, i) => insertRawWatch(store, `u${i}`, query));
    const matched = await matchWatches(store, ids);
    for (const [i, query] of queries.entries()) {
      const got = matched.find((user) => user.userId === `u${i}`)?.matches.map((m) => m.paperId) ?? [];
      const searched = (await store.searchPapers(parseQuery(query), { limit: 10, offset: 0, now: Date.parse('2026-09-02T00:00:00Z') })).results.map((r) => r.paper.id);
      expect({ query, got }).toEqual({ query, got: [ids[Math.min(i, 3)]] });
      expect(searched).toEqual(got);
    }
    // The matched words are spelled as the paper has them, through the fold.
    const terms = (i: number) => matched.find((user) => user.userId === `u${i}`)?.matches[0]?.terms;
    expect(terms(0)).toEqual(['optimization', 'quokka']);
    expect(terms(3)).toEqual(['colour', 'echidna']);
    expect(terms(4)).toEqual(['echidna colour']);
    expect(await store.matchedTerms(ids[3] ?? 0, parseQuery('color'))).toEqual(['colour']);
    await store.close();
  });
});
