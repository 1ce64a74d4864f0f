import { describe, expect, it } from 'vitest';
import { titleTokens } from '../../src/store/sqlite/search-title-tokens.ts';
import { tokenizeTexts } from '../../src/store/sqlite/tokenize-texts.ts';
import { createTestStore } from '../support/test-db.ts';

// titleTokens splits titles into words in JavaScript and tokenises each distinct word once per
// connection: it must give exactly what tokenising the whole title through FTS5 gives.
const titles = [
  'Rigorous Models of Modelling',
  'State-of-the-Art GPT-4 Optimisation: a Behaviour Study',
  'naïve café Über Straße',
  'Ｆｕｌｌｗｉｄｔｈ ＬＬＭｓ and ﬁne ligatures',
  '深度学习 for 日本語 text',
  '🚀 Rocket!! emoji — dashes – and “quotes”',
  'Cafe\u0301 with a combining accent',
  'Private \uE000use\uE001 characters',
  'x² and ½ and Ⅻ numbers',
  "it's O'Reilly's 3.14 v1.2-beta",
  'ALL CAPS TITLE WITH GREY CENTRE',
  '',
  '   ',
];

describe('titleTokens (per-word memo of the FTS5 tokenizer)', () => {
  it('gives the tokens FTS5 gives the whole title', () => {
    const { db } = createTestStore();
    const expected = tokenizeTexts(db, titles);
    expect(titleTokens(db, titles)).toEqual(expected);
    // Again, from remembered words only, and mixed with new ones.
    expect(titleTokens(db, [...titles].reverse())).toEqual([...expected].reverse());
    expect(titleTokens(db, ['Rigorous new words', 'Modelling café'])).toEqual(tokenizeTexts(db, ['Rigorous new words', 'Modelling café']));
  });

  it('agrees on random text drawn from letters, digits, marks and separators', () => {
    const { db } = createTestStore();
    const pieces = ['a', 'B', 'é', 'e\u0301', 'ß', 'ﬁ', '7', '²', '-', ' ', '.', "'", '深', '\uE000', '🚀', 'Ω', 'ı', 'İ', 'ing', 'tion', 'our', 'ise'];
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed;
    };
    const texts = Array.from({ length: 300 }, () => Array.from({ length: 1 + (next() % 12) }, () => pieces[next() % pieces.length]).join(''));
    expect(titleTokens(db, texts)).toEqual(tokenizeTexts(db, texts));
  });
});
