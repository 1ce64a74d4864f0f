import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { migrationsFolder } from '../../src/store/sqlite/open-db.ts';
import { papersFtsTokenizer, tokenizeTexts } from '../../src/store/sqlite/tokenize-texts.ts';
import { aPaper } from '../support/builders.ts';
import { createTestStore } from '../support/test-db.ts';

describe('store.tokenize (SQLite is the stemmer)', () => {
  it('uses the tokenizer papers_fts was created with', () => {
    const { db } = createTestStore();
    const migration = readFileSync(`${migrationsFolder}/0001_papers_fts.sql`, 'utf8');
    expect(migration).toContain(`tokenize='${papersFtsTokenizer(db.$client)}'`);
  });

  it('stems, folds case and diacritics, and splits like FTS5', async () => {
    const store = createTestStore();
    const texts = ['Rigorous Models', 'naïve café', 'state-of-the-art', '🚀 !!', '深度学习 GPT-4'];
    expect((await store.tokenize(texts.map((title) => ({ title })))).map((row) => row.title)).toEqual([
      ['rigor', 'model'],
      ['naiv', 'cafe'],
      ['state', 'of', 'the', 'art'],
      [],
      ['深度学习', 'gpt', '4'],
    ]);
  });

  it('keeps columns apart and leaves the scratch table empty', async () => {
    const store = createTestStore();
    expect(await store.tokenize([{ title: 'Graphs', abstract: 'We study graphs', authors: '["Jane Doe"]' }, {}])).toEqual([
      { title: ['graph'], abstract: ['we', 'studi', 'graph'], authors: ['jane', 'doe'] },
      { title: [], abstract: [], authors: [] },
    ]);
    expect(store.db.$client.prepare('SELECT count(*) AS n FROM temp.paperboy_scratch').get()).toEqual({ n: 0 });
  });

  it('works inside a transaction of the SQLite store', () => {
    const { db } = createTestStore();
    const tokens = db.transaction(() => tokenizeTexts(db, ['Diffusion models']));
    expect(tokens).toEqual([['diffus', 'model']]);
  });

  // Texts are split into words in JavaScript and each distinct word tokenised once per connection:
  // that must give exactly what FTS5 indexed for the whole text.
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
    '   ',
  ];

  it('gives what papers_fts indexed for each column, from remembered words or not', async () => {
    // Random text from ASCII and non-ASCII letters, marks, private use, digits and separators.
    const pieces = ['a', 'B', 'é', 'e\u0301', 'ß', 'ﬁ', '7', '²', '-', ' ', '.', "'", '深', '\uE000', '🚀', 'Ω', 'ı', 'İ', 'ing', 'tion', 'our', 'ise', 'colour', 'Rigorous', 'GPT4'];
    let seed = 11;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    const text = () => Array.from({ length: 1 + (next() % 30) }, () => pieces[next() % pieces.length]).join('');
    const store = createTestStore();
    const papers = [
      ...titles.map((title) => aPaper({ title, abstract: [...titles].reverse().join(' '), authors: [title] })),
      ...Array.from({ length: 60 }, () => aPaper({ title: text(), abstract: text(), authors: [text(), text()] })),
    ];
    const { inserted } = await store.upsertPapers('2026-09-01', papers, Date.parse('2026-09-01T06:00:00Z'));
    const sqlite = store.db.$client;
    sqlite.exec("CREATE VIRTUAL TABLE temp.indexed USING fts5vocab(main, 'papers_fts', 'instance')");
    const read = sqlite.prepare<[number, string], { terms: string | null }>("SELECT group_concat(term, ' ' ORDER BY offset) AS terms FROM temp.indexed WHERE doc = ? AND col = ?");
    const rows = (await store.getPapersByIds(inserted)).map((row) => ({ title: row.title, abstract: row.abstract, authors: row.authors }));
    const indexed = inserted.map((id) => ({
      title: read.get(id, 'title')?.terms?.split(' ') ?? [],
      abstract: read.get(id, 'abstract')?.terms?.split(' ') ?? [],
      authors: read.get(id, 'authors')?.terms?.split(' ') ?? [],
    }));
    expect(indexed.some((row) => row.title.length > 0 && row.abstract.length > 0)).toBe(true);
    expect(await store.tokenize(rows)).toEqual(indexed);
    // The words are remembered now: the same rows again, and in another order.
    expect(await store.tokenize([...rows].reverse())).toEqual([...indexed].reverse());
  });
});
