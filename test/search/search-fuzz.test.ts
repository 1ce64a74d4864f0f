import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseQuery } from '../../src/search/parse-query.ts';
import type { SearchOptions } from '../../src/store/store.ts';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { createTestStore } from '../support/test-db.ts';
import { seedPapers } from './seed-papers.ts';

// Any user text is a valid query: never an SQLite/FTS5 error, always an array of results.

const now = Date.parse('2026-09-01T10:00:00Z');

const nasty = [
  '',
  ' ',
  '"',
  '""',
  '"""',
  '-',
  '--',
  '- -',
  '-""',
  'OR',
  'OR OR',
  'a OR',
  'OR a',
  'AND',
  'NOT',
  'a AND',
  'NOT a',
  'NEAR(',
  'NEAR(a b, 2)',
  'NEAR("a" "b")',
  '*',
  'diffu*',
  '^diffusion',
  ':',
  'title:diffusion',
  '{title abstract}: diffusion',
  '(',
  ')',
  '(a OR b',
  'a) (b',
  'author:',
  'author:""',
  'author:"',
  'org:',
  'org:%',
  'org:_',
  "org:'",
  'since:',
  'since:9999-99-99',
  'since:2026-02-29',
  'min:',
  'min:99999999999999999999',
  'min:1e9',
  "'; DROP TABLE papers; --",
  'papers_fts MATCH',
  '\u0000',
  'a\u0000b',
  '\u200b\u200d\ufeff',
  '🚀',
  '👩‍👩‍👧‍👦 diffusion',
  '\ud800',
  'x\udfffy',
  'naïve café',
  'nai\u0308ve',
  '深度学习',
  'العربية',
  '𞤀𞤁',
  '\\',
  '\\"',
  '"a""b"',
  'a"b"c"d',
  '%',
  '_',
  '$1 ?1 :name @x',
  'diffusion '.repeat(1000),
  '"('.repeat(2500),
  'x'.repeat(10_000),
  '-a '.repeat(2000),
  'a OR '.repeat(2000),
  'author:"x" '.repeat(1000),
];

const syntaxPiece = fc.constantFrom(
  '"', '(', ')', 'NEAR(', 'NEAR', '*', '^', ':', '-', ' ', ' OR ', 'OR', 'AND', 'NOT', '{', '}', ',', '+',
  'author:', 'org:', 'since:', 'min:', 'since:2026-01-01', 'min:3', 'title:', 'authors:',
  'diffusion', 'model', 'state space', 'Rigorous', 'jane doe', '🚀', '✨', 'naïve', '深度', '\u0000', '\n', '\t', '\u0301', '\ud83d',
);
const fuzzText = fc.array(fc.oneof(syntaxPiece, fc.string({ unit: 'binary', maxLength: 6 }), fc.string({ unit: 'grapheme', maxLength: 6 })), { maxLength: 12 }).map((parts) => parts.join(''));

describe('searchPapers with hostile input', () => {
  let store: SqliteStore;
  // Each time through the parser, as every caller does: the text is the user's, untouched.
  const searchPapers = (text: string, options: SearchOptions) => store.searchPapers(parseQuery(text), options);
  const countMatches = (text: string, sinceFeedDate: string) => store.countMatches(parseQuery(text), sinceFeedDate);
  const matchedTerms = (paperId: number, text: string) => store.matchedTerms(paperId, parseQuery(text));

  beforeAll(async () => {
    store = createTestStore();
    await seedPapers(store, [
      { title: 'Rigorous diffusion models', abstract: 'State space and "quoted" words; NEAR(x) * ^ : - OR.', authors: ['Jane Doe'] },
      { title: 'Naïve café 深度学习 🚀', abstract: 'Emoji ✨ and diacritics.', organization: '100% _real_ lab' },
    ]);
  });

  it.each(nasty.map((text) => [text.length > 40 ? `${text.slice(0, 40)}… (${text.length} chars)` : text, text]))('survives %j', async (_label, text) => {
    const result = await searchPapers(text, { limit: 5, offset: 0, now });
    expect(Array.isArray(result.results)).toBe(true);
    expect(result.total).toBeGreaterThanOrEqual(result.results.length);
    expect(await countMatches(text, '2026-01-01')).toBeGreaterThanOrEqual(0);
    expect(Array.isArray(await matchedTerms(1, text))).toBe(true);
  });

  it('treats % and _ in org: literally, not as LIKE wildcards', async () => {
    expect((await searchPapers('org:100%', { limit: 5, offset: 0, now })).total).toBe(1);
    expect((await searchPapers('org:"% _real_"', { limit: 5, offset: 0, now })).total).toBe(1);
    expect((await searchPapers('org:1%0', { limit: 5, offset: 0, now })).total).toBe(0);
    expect((await searchPapers('org:_eal', { limit: 5, offset: 0, now })).total).toBe(0);
  });

  it('finds text typed with FTS5 syntax characters as plain words', async () => {
    expect((await searchPapers('NEAR(x)', { limit: 5, offset: 0, now })).total).toBe(1);
    expect((await searchPapers('"quoted" OR', { limit: 5, offset: 0, now })).total).toBe(1);
    expect((await searchPapers('naive cafe', { limit: 5, offset: 0, now })).total).toBe(1);
  });

  it('never throws and always returns an array, for 5,000 random strings', async () => {
    await fc.assert(
      fc.asyncProperty(fuzzText, async (text) => {
        parseQuery(text);
        const result = await searchPapers(text, { limit: 3, offset: 0, now });
        return Array.isArray(result.results) && result.total >= result.results.length && (await countMatches(text, '2026-01-01')) >= 0;
      }),
      { numRuns: 5_000 },
    );
    // 5,000 searches and counts: a few seconds idle, about 20 s on a loaded 2-core machine.
  }, 60_000);

  it('never throws for long random strings (up to 10 kB)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(syntaxPiece, fc.string({ unit: 'binary', maxLength: 50 })), { minLength: 200, maxLength: 1500 }), async (parts) => {
        const text = parts.join('').slice(0, 10_240);
        return Array.isArray((await searchPapers(text, { limit: 3, offset: 0, now })).results);
      }),
      { numRuns: 60 },
    );
  });
});
