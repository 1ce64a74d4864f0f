import { describe, expect, it } from 'vitest';
import { ignoredParts, isEmptyQuery, malformedFilters, MAX_TERMS, parseQuery, type Query, type Term } from '../../src/search/parse-query.ts';
import { queryKey } from '../../src/search/query-key.ts';
import { literalQuery } from '../../src/search/variants.ts';

const w = (text: string): Term => ({ kind: 'word', text });
const p = (text: string): Term => ({ kind: 'phrase', text });
const q = (partial: Partial<Query>): Query => ({ groups: [], exclude: [], authors: [], orgs: [], ...partial });

describe('parseQuery', () => {
  const cases: Array<[string, Query]> = [
    ['diffusion models', q({ groups: [[w('diffusion')], [w('models')]] })],
    ['  Diffusion   MODELS ', q({ groups: [[w('Diffusion')], [w('MODELS')]] })],
    ['"state space model"', q({ groups: [[p('state space model')]] })],
    ['"diffusion"', q({ groups: [[w('diffusion')]] })],
    ['"  state   space "', q({ groups: [[p('state space')]] })],
    ['diffusion OR flow', q({ groups: [[w('diffusion'), w('flow')]] })],
    ['a b OR c d', q({ groups: [[w('a')], [w('b'), w('c')], [w('d')]] })],
    ['a OR b OR "c d"', q({ groups: [[w('a'), w('b'), p('c d')]] })],
    ['a or b', q({ groups: [[w('a')], [w('or')], [w('b')]] })],
    ['OR a', q({ groups: [[w('a')]] })],
    ['a OR', q({ groups: [[w('a')]] })],
    ['a OR OR b', q({ groups: [[w('a'), w('b')]] })],
    ['OR', q({})],
    // Upper-case AND is the implicit conjunction spelled out; lower-case `and` is a word.
    ['video AND diffusion', q({ groups: [[w('video')], [w('diffusion')]] })],
    ['AND', q({})],
    ['AND video AND', q({ groups: [[w('video')]] })],
    ['a AND b OR c', q({ groups: [[w('a')], [w('b'), w('c')]] })],
    ['video and diffusion', q({ groups: [[w('video')], [w('and')], [w('diffusion')]] })],
    ['"AND" video', q({ groups: [[w('AND')], [w('video')]] })],
    ['min:1000000', q({ minUpvotes: 1_000_000 })],
    ['min:1000001', q({ groups: [[w('min')], [w('1000001')]] })],
    ['a OR -b', q({ groups: [[w('a')]], exclude: [w('b')] })],
    ['a OR author:doe b', q({ groups: [[w('a')], [w('b')]], authors: ['doe'] })],
    ['diffusion -survey', q({ groups: [[w('diffusion')]], exclude: [w('survey')] })],
    ['diffusion -"literature review"', q({ groups: [[w('diffusion')]], exclude: [p('literature review')] })],
    ['-survey', q({ exclude: [w('survey')] })],
    ['--survey', q({ exclude: [w('survey')] })],
    ['diffusion - models', q({ groups: [[w('diffusion')], [w('models')]] })],
    ['state-of-the-art', q({ groups: [[w('state-of-the-art')]] })],
    ['author:"Jane Doe"', q({ authors: ['Jane Doe'] })],
    ['AUTHOR:Doe', q({ authors: ['Doe'] })],
    ['Author:"  Jane   Doe "', q({ authors: ['Jane Doe'] })],
    ['org:DeepMind', q({ orgs: ['DeepMind'] })],
    ['ORG:"Allen AI"', q({ orgs: ['Allen AI'] })],
    ['since:2026-01-31', q({ since: '2026-01-31' })],
    ['SINCE:2026-01-31 since:2026-03-01', q({ since: '2026-03-01' })],
    ['since:2026-02-30', q({ groups: [[w('since')], [w('2026-02-30')]] })],
    ['since:yesterday', q({ groups: [[w('since')], [w('yesterday')]] })],
    ['min:10', q({ minUpvotes: 10 })],
    ['Min:10 min:3', q({ minUpvotes: 10 })],
    ['min:-5', q({ groups: [[w('min')], [w('5')]] })],
    ['min:lots', q({ groups: [[w('min')], [w('lots')]] })],
    ['author:', q({ groups: [[w('author')]] })],
    ['author:"', q({ groups: [[w('author')]] })],
    ['author:"Jane Doe', q({ groups: [[w('author')], [w('Jane')], [w('Doe')]] })],
    ['"unbalanced phrase', q({ groups: [[w('unbalanced')], [w('phrase')]] })],
    ['a "b c" "d', q({ groups: [[w('a')], [p('b c')], [w('d')]] })],
    ['foo"bar baz"qux', q({ groups: [[w('foo')], [p('bar baz')], [w('qux')]] })],
    ['title:foo', q({ groups: [[w('title:foo')]] })],
    ['NEAR(a b)', q({ groups: [[w('NEAR(a')], [w('b')]] })],
    ['(diffusion) * ^ : -', q({ groups: [[w('diffusion')]] })],
    ['gpt-4* ^boost', q({ groups: [[w('gpt-4')], [w('boost')]] })],
    ['"" "   " "!!!"', q({})],
    ['🚀 ✨ diffusion 🚀', q({ groups: [[w('diffusion')]] })],
    ['naïve 深度学习', q({ groups: [[w('naïve')], [w('深度学习')]] })],
    ['a\u0000b\tc\nd', q({ groups: [[w('a')], [w('b')], [w('c')], [w('d')]] })],
    ['', q({})],
    ['   ', q({})],
    ['diffusion author:"Jane Doe" org:mit since:2026-01-01 min:5 -survey', q({ groups: [[w('diffusion')]], exclude: [w('survey')], authors: ['Jane Doe'], orgs: ['mit'], since: '2026-01-01', minUpvotes: 5 })],
  ];

  it.each(cases)('parses %j', (text, expected) => {
    expect(literalQuery(parseQuery(text))).toEqual(expected);
  });

  it('caps the number of terms of a huge paste', () => {
    const query = parseQuery(Array.from({ length: 5000 }, (_, i) => `w${i}`).join(' '));
    expect(query.groups).toHaveLength(MAX_TERMS);
    expect(query.groups[0]).toEqual([w('w0')]);
  });

  it('accepts a 10 kB string of syntax debris without throwing', () => {
    const junk = '"(-*:^ NEAR( OR author:" '.repeat(400);
    expect(() => parseQuery(junk)).not.toThrow();
  });

  it.each<[string, Query]>([
    ['“flow matching” diffusion', q({ groups: [[p('flow matching')], [w('diffusion')]] })],
    ['diffusion OR “flow matching” -“literature review”', q({ groups: [[w('diffusion'), p('flow matching')]], exclude: [p('literature review')] })],
    ['author:“Jane Doe” org:„Allen AI“', q({ authors: ['Jane Doe'], orgs: ['Allen AI'] })],
    ['‘flow matching’ -‘survey paper’', q({ groups: [[p('flow matching')]], exclude: [p('survey paper')] })],
    ['« flow matching »', q({ groups: [[p('flow matching')]] })],
    // ’ is also the apostrophe: only a ‘…’ pair around words is a quote.
    ['don’t stop', q({ groups: [[w('don’t')], [w('stop')]] })],
    ['‘don’t stop’ now', q({ groups: [[p('don’t stop')], [w('now')]] })],
  ])('reads curly quotes %j as quotes', (text, expected) => {
    expect(literalQuery(parseQuery(text))).toEqual(expected);
  });

  it('reads accents typed as combining marks as the letters papers store (NFC)', () => {
    expect(literalQuery(parseQuery('re\u0301sume\u0301 "nai\u0308ve bayes"'))).toEqual(q({ groups: [[w('résumé')], [p('naïve bayes')]] }));
  });

  it('lists the filters whose value does not parse, as typed', () => {
    expect(malformedFilters('diffusion min:-1 since:2026-1-5 author: org:mit since:2026-01-05')).toEqual([
      { key: 'min', value: '-1' },
      { key: 'since', value: '2026-1-5' },
      { key: 'author', value: '' },
    ]);
    expect(malformedFilters('min:99999999999999999999')).toEqual([{ key: 'min', value: '99999999999999999999' }]);
    expect(malformedFilters('"min:-1" -since:x title:foo')).toEqual([]);
  });

  it('gives the same key to `a AND b` as to `b a`', () => {
    expect(queryKey(parseQuery('video AND diffusion'))).toBe(queryKey(parseQuery('Diffusion video')));
  });

  it('lists the parts it ignores because they have no letter or digit', () => {
    expect(ignoredParts('naïve OR 日本語 OR 🤖')).toEqual(['🤖']);
    expect(ignoredParts('diffusion, "🤖 🦾" -*** & models')).toEqual(['"🤖 🦾"', '-***', '&']);
    expect(ignoredParts('diffusion AND models OR "state space"')).toEqual([]);
  });

  it('tells an empty query from one with only filters or exclusions', () => {
    expect(isEmptyQuery(parseQuery('*** ()'))).toBe(true);
    expect(isEmptyQuery(parseQuery('min:3'))).toBe(false);
    expect(isEmptyQuery(parseQuery('-survey'))).toBe(false);
  });
});
