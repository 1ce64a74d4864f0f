import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { knownItemTerms, titleTier } from '../../src/search/known-item.ts';
import { parseQuery, type Term } from '../../src/search/parse-query.ts';
import { describeQuery, queryKey } from '../../src/search/query-key.ts';
import { foldSelectSql, foldSpelling, foldSql, literalQuery, SPELLING_FOLDS, unfoldedSpellings } from '../../src/search/variants.ts';

const migration = (dialect: string) => readFileSync(new URL(`../../migrations/${dialect}/0003_search_variants.sql`, import.meta.url), 'utf8');
const texts = (terms: Term[] | undefined) => (terms ?? []).map((term) => `${term.variant ? '+' : ''}${term.text}`);

describe('spelling folds', () => {
  it('folds British spellings to American ones, ASCII-lowercased, word boundaries unmoved', () => {
    expect(foldSpelling('Optimisation of Colour Modelling and Behaviour')).toBe('optimization of color modeling and behavior');
    expect(foldSpelling('Ünïcode stays')).toBe('Ünïcode stays');
    for (const [british, american] of SPELLING_FOLDS) {
      expect(foldSpelling(british)).toBe(american);
      expect(american.length).toBeGreaterThan(0);
      expect(/^[a-z]+$/.test(british) && /^[a-z]+$/.test(american)).toBe(true);
    }
  });

  it('both migrations fold with exactly this table (a changed table needs a new migration)', () => {
    const sqlite = migration('sqlite');
    const columns = (prefix: string): Array<[string, string]> => ['title', 'abstract', 'authors'].map((name) => [name, `${prefix}${name}`]);
    for (const prefix of ['new.', 'old.']) {
      expect(sqlite).toContain(foldSelectSql(columns(prefix), [['id', `${prefix}id`]]));
      expect(sqlite).toContain(foldSelectSql([['title', `${prefix}title`]], [['id', `${prefix}id`]]));
    }
    expect(sqlite).toContain(foldSelectSql(columns(''), [['id', 'id']], 'papers'));
    expect(migration('postgres')).toContain(foldSql('input'));
  });

  it('gives the unfolded spellings of a folded stem, for substring tests on stored titles', () => {
    expect(unfoldedSpellings('optimiz')).toEqual(['optimiz', 'optimis']);
    expect(unfoldedSpellings('diffus')).toEqual(['diffus']);
  });
});

describe('query variants', () => {
  it('adds abbreviations and their expansions as marked alternatives, both ways', () => {
    expect(texts(parseQuery('LLM agents').groups[0])).toEqual(['LLM', '+large language model']);
    expect(texts(parseQuery('LLMs').groups[0])).toEqual(['LLMs', '+large language model']);
    expect(parseQuery('large language models').groups.map(texts)).toEqual([
      ['large', '+llm'],
      ['language', '+llm'],
      ['models', '+llm'],
    ]);
    expect(texts(parseQuery('"retrieval augmented generation"').groups[0])).toEqual(['retrieval augmented generation', '+rag']);
    expect(texts(parseQuery('ViT').groups[0])).toEqual(['ViT', '+vision transformer']);
  });

  it('adds hyphen, space and joined forms', () => {
    expect(texts(parseQuery('self-supervised').groups[0])).toEqual(['self-supervised', '+selfsupervised']);
    expect(texts(parseQuery('selfsupervised').groups[0])).toEqual(['selfsupervised', '+self supervised']);
    expect(parseQuery('self supervised').groups.map(texts)).toEqual([
      ['self', '+selfsupervised'],
      ['supervised', '+selfsupervised'],
    ]);
    expect(texts(parseQuery('GPT-4').groups[0])).toEqual(['GPT-4', '+GPT4']);
    // Dates and numbers are not words to join.
    expect(texts(parseQuery('2026-02-30').groups[0])).toEqual(['2026-02-30']);
    expect(texts(parseQuery('-LLM').exclude)).toEqual(['LLM', '+large language model']);
  });

  it('adds the NFKC form of fullwidth letters and ligatures, keeping the typed form, with its own variants', () => {
    expect(texts(parseQuery('ＬＬＭ').groups[0])).toEqual(['ＬＬＭ', '+LLM', '+large language model']);
    expect(texts(parseQuery('ﬁne-tuning').groups[0])).toEqual(['ﬁne-tuning', '+fine-tuning', '+finetuning']);
    expect(texts(parseQuery('-ﬂow').exclude)).toEqual(['ﬂow', '+flow']);
    expect(texts(parseQuery('diffusion').groups[0])).toEqual(['diffusion']);
  });

  it('leaves variants out of the watch key and the description, which says what else is found', () => {
    expect(queryKey(parseQuery('LLM agents'))).toBe('agents llm');
    expect(literalQuery(parseQuery('LLM agents')).groups).toEqual([[{ kind: 'word', text: 'LLM' }], [{ kind: 'word', text: 'agents' }]]);
    expect(describeQuery(parseQuery('LLM agents'))).toBe('LLM and agents; also finding "large language model"');
  });
});

describe('known-item tiers', () => {
  const tokens = (text: string) => text.split(' ');
  it('ranks the whole title, then the title but one word, then a phrase, then one word apart', () => {
    const query = tokens('a b c');
    expect(titleTier(query, tokens('a b c'))).toBe(4);
    expect(titleTier(query, tokens('a x b c'))).toBe(3);
    expect(titleTier(query, tokens('x a b c'))).toBe(3);
    expect(titleTier(query, tokens('a b c x'))).toBe(3);
    expect(titleTier(query, tokens('x a b c y'))).toBe(2);
    expect(titleTier(query, tokens('x a b y c z'))).toBe(1);
    expect(titleTier(query, tokens('a x y b c'))).toBe(0);
    expect(titleTier(query, tokens('c b a'))).toBe(0);
  });

  it('applies to title-like queries only', () => {
    expect(knownItemTerms(parseQuery('Attention is all you need'))).toEqual(['Attention', 'is', 'all', 'you', 'need']);
    expect(knownItemTerms(parseQuery('LLM coding agents'))).toEqual(['LLM', 'coding', 'agents']);
    expect(knownItemTerms(parseQuery('diffusion models'))).toBeNull();
    expect(knownItemTerms(parseQuery('diffusion'))).toBeNull();
    expect(knownItemTerms(parseQuery('diffusion OR flow models'))).toBeNull();
  });
});
