import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuery } from '../../src/search/parse-query.ts';
import { aPaper } from '../support/builders.ts';
import { backends, type OpenedStore } from '../support/both-backends.ts';

// A paper found only through a variant (`LLM` → "large language model") ranks below one matching
// the words as typed, also when an exclusion drops newer papers matching them as typed: those
// must not decide which of the remaining papers count as typed matches.

const now = Date.parse('2026-09-10T00:00:00Z');

describe.each(backends)('variant weight with an exclusion on $name', (backend) => {
  let opened: OpenedStore;

  beforeAll(async () => {
    opened = await backend.open();
    // Same day, same upvotes: only the variant weight and then the newer id order them.
    await opened.store.upsertPapers(
      '2026-09-01',
      [
        aPaper({ arxivId: '2609.00500', title: 'LLM agents for bilby tracking', abstract: 'Agents.' }),
        aPaper({ arxivId: '2609.00501', title: 'Large language model agents for bilby tracking', abstract: 'Agents.' }),
        aPaper({ arxivId: '2609.00502', title: 'LLM agents for bilby tracking: a survey', abstract: 'Agents.' }),
        aPaper({ arxivId: '2609.00503', title: 'A survey of LLM bilby trackers', abstract: 'Agents.' }),
      ],
      0,
    );
  }, 120_000);
  afterAll(async () => opened?.close());

  it('ranks the typed match above the newer variant-only match', async () => {
    const result = await opened.store.searchPapers(parseQuery('LLM bilby -survey'), { limit: 10, offset: 0, now });
    expect(result.results.map((r) => r.paper.arxivId)).toEqual(['2609.00500', '2609.00501']);
  });
});
