import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FeedPaper } from '../../src/papers/feed-paper.ts';
import { parseQuery } from '../../src/search/parse-query.ts';
import { matchWatches } from '../../src/watches/match-watches.ts';
import { aPaper } from '../support/builders.ts';
import { createTestStore } from '../support/test-db.ts';
import { insertRawWatch } from './raw-watch.ts';

// The in-memory matcher must agree with FTS5: for random watch queries over a small vocabulary
// (stems, phrases, OR, exclusions, authors, org, since, min, syntax debris), the papers a watch gets
// are exactly the new papers searchPapers finds for the same text.

const now = Date.parse('2026-09-01T10:00:00Z');
const words = ['alpha', 'beta', 'gamma', 'rigorous', 'rigor', 'models', 'model', 'state', 'space', 'naïve', 'naive', 'Jane', 'the', 'gpt-4'];
const authorNames = ['Jane Doe', 'John Roe', 'Mary Jane', 'Doe Smith'];
const orgs = ['MIT CSAIL', 'Allen AI', 'mit-ibm'];
const days = ['2026-08-30', '2026-08-31', '2026-09-01'];

const text = (min: number, max: number) => fc.array(fc.constantFrom(...words), { minLength: min, maxLength: max }).map((w) => w.join(' '));
const paper = fc.record({
  title: text(1, 4),
  abstract: text(0, 8),
  authors: fc.subarray(authorNames),
  organization: fc.option(fc.constantFrom(...orgs), { nil: null }),
  upvotes: fc.integer({ min: 0, max: 20 }),
  feedDate: fc.constantFrom(...days),
});

const word = fc.constantFrom(...words, 'RIGOR', 'Models', 'zeta');
const queryPart = fc.oneof(
  { weight: 5, arbitrary: word },
  { weight: 2, arbitrary: fc.tuple(word, word).map(([a, b]) => `"${a} ${b}"`) },
  { weight: 2, arbitrary: fc.tuple(word, word).map(([a, b]) => `${a} OR ${b}`) },
  { weight: 2, arbitrary: word.map((w) => `-${w}`) },
  { weight: 1, arbitrary: fc.tuple(word, word).map(([a, b]) => `-"${a} ${b}"`) },
  { weight: 1, arbitrary: fc.constantFrom('author:"Jane Doe"', 'author:doe', 'author:"mary jane"', 'AUTHOR:Roe', 'author:"jane doe smith"') },
  { weight: 1, arbitrary: fc.constantFrom('org:mit', 'org:"allen ai"', 'ORG:csail', 'org:ibm') },
  { weight: 1, arbitrary: fc.constantFrom(...days.map((d) => `since:${d}`), 'since:2026-13-01') },
  { weight: 1, arbitrary: fc.constantFrom('min:0', 'min:5', 'min:15') },
  { weight: 1, arbitrary: fc.constantFrom('OR', '"', '-', '(', 'NEAR(', '*', '🚀') },
);
const watchQuery = fc.array(queryPart, { minLength: 1, maxLength: 4 }).map((parts) => parts.join(' '));

describe('matchWatches agrees with searchPapers', () => {
  it('for random papers and random watch queries', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(paper, { minLength: 1, maxLength: 6 }), fc.array(paper, { minLength: 1, maxLength: 10 }), fc.array(watchQuery, { minLength: 1, maxLength: 8 }), async (oldPapers, newPapers, queries) => {
        const store = createTestStore();
        const save = async (list: Array<Partial<FeedPaper> & { feedDate: string }>) => {
          const ids: number[] = [];
          for (const { feedDate, ...fields } of list) ids.push(...(await store.upsertPapers(feedDate, [aPaper(fields)], Date.parse(`${feedDate}T06:00:00Z`))).inserted);
          return ids;
        };
        await save(oldPapers);
        const newIds = await save(newPapers);
        // One user per watch, so per-user deduplication does not hide anything.
        queries.forEach((query, i) => insertRawWatch(store, `u${i}`, query));
        const matched = await matchWatches(store, newIds);
        for (const [i, query] of queries.entries()) {
          const expected = (await store.searchPapers(parseQuery(query), { limit: 1000, offset: 0, now })).results
            .map((r) => r.paper.id)
            .filter((id) => newIds.includes(id))
            .sort((a, b) => a - b);
          const got = (matched.find((u) => u.userId === `u${i}`)?.matches.map((m) => m.paperId) ?? []).sort((a, b) => a - b);
          expect({ query, got }).toEqual({ query, got: expected });
        }
        await store.close();
      }),
      { numRuns: 200 },
    );
    // 200 stores, each with its papers, watches and index: ~10 s on a quiet 2-core machine.
  }, 60_000);
});
