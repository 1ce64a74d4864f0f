import { describe, expect, it } from 'vitest';
import { compileQuery } from '../../src/store/sqlite/fts5-query.ts';
import { parseQuery } from '../../src/search/parse-query.ts';
import { describeQuery, queryKey } from '../../src/search/query-key.ts';

describe('compileQuery', () => {
  const cases: Array<[string, string | null]> = [
    ['diffusion models', '"diffusion" AND "models"'],
    ['"state space"', '"state space"'],
    ['a b OR c', '"a" AND ("b" OR "c")'],
    ['diffusion -survey -"lit review"', '("diffusion") NOT ("survey" OR "lit review")'],
    ['author:"Jane Doe"', 'authors : "jane doe"'],
    ['graph author:doe', '"graph" AND authors : "doe"'],
    ['NEAR(a AND b) OR', '"near(a" AND "b"'],
    ['org:mit since:2026-01-01 min:3', null],
    ['', null],
  ];

  it.each(cases)('%j → MATCH %j', (text, match) => {
    expect(compileQuery(parseQuery(text)).match).toBe(match);
  });

  it('never puts user text in the SQL: filters are bound parameters', () => {
    const compiled = compileQuery(parseQuery(`org:"x') OR 1=1 --" since:2026-01-01 min:7`));
    expect(compiled.where).toBe('instr(lower(p.organization), @q_org_0) > 0 AND p.latest_feed_date >= @q_since AND p.upvotes >= @q_min_upvotes');
    expect(compiled.params).toEqual({ q_org_0: "x') or 1=1 --", q_since: '2026-01-01', q_min_upvotes: 7 });
  });

  it('doubles a double quote inside a term', () => {
    expect(compileQuery({ groups: [[{ kind: 'word', text: 'say"hi' }]], exclude: [], authors: [], orgs: [] }).match).toBe('"say""hi"');
  });

  it('turns an exclusion-only query into a NOT IN subquery instead of a pure NOT', () => {
    const compiled = compileQuery(parseQuery('-survey -review'), { newest: 500 });
    expect(compiled.match).toBeNull();
    expect(compiled.where).toContain('p.id NOT IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH @q_excluded');
    expect(compiled.params).toEqual({ q_excluded: '"survey" OR "review"', q_excluded_newest: 500 });
  });

  it('has no conditions for a plain word query', () => {
    expect(compileQuery(parseQuery('diffusion'))).toEqual({ match: '"diffusion"', where: '1', params: {} });
  });
});

describe('queryKey', () => {
  it('is the same for reordered, re-spaced and re-cased queries', () => {
    expect(queryKey(parseQuery('Diffusion  models'))).toBe(queryKey(parseQuery('models diffusion')));
    expect(queryKey(parseQuery('b OR a -X author:"Jane  Doe"'))).toBe(queryKey(parseQuery('AUTHOR:"jane doe" -x A OR B')));
    expect(queryKey(parseQuery('a a'))).toBe('a');
  });

  it('tells different queries apart', () => {
    expect(queryKey(parseQuery('a b'))).not.toBe(queryKey(parseQuery('a OR b')));
    expect(queryKey(parseQuery('"a b"'))).not.toBe(queryKey(parseQuery('a b')));
    expect(queryKey(parseQuery('a'))).not.toBe(queryKey(parseQuery('-a')));
    expect(queryKey(parseQuery('a min:3'))).not.toBe(queryKey(parseQuery('a min:4')));
  });

  it('is itself a query that parses back to the same key', () => {
    const key = queryKey(parseQuery('Diffusion OR flow "State Space" -survey author:"Jane Doe" org:"Allen AI" since:2026-01-01 min:5'));
    expect(key).toBe('"state space" (diffusion OR flow) -survey author:"jane doe" org:"allen ai" since:2026-01-01 min:5');
    expect(queryKey(parseQuery(key))).toBe(key);
  });
});

describe('describeQuery', () => {
  it('says how the query was understood', () => {
    expect(describeQuery(parseQuery('diffusion flow OR score -survey author:"Jane Doe" org:mit since:2026-01-01 min:5'))).toBe(
      'diffusion and (flow or score); not survey; by author "Jane Doe"; from an organisation matching "mit"; listed on or after 2026-01-01; with at least 5 upvotes',
    );
    expect(describeQuery(parseQuery('***'))).toBe('nothing to search for (no words or filters)');
  });

  it('quotes a searched word that is one of its connectives', () => {
    expect(describeQuery(parseQuery('Attention and Memory -not'))).toBe('Attention and "and" and Memory; not "not"');
  });
});
