import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { migrationsFolder } from '../../src/store/sqlite/open-db.ts';
import { papersFtsTokenizer, tokenizeTexts } from '../../src/store/sqlite/tokenize-texts.ts';
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
});
