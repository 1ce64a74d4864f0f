import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { papersFtsTokenizer, tokenizeRows, tokenizeTexts } from '../../src/store/sqlite/tokenize-texts.ts';
import { migrationsFolder } from '../../src/store/sqlite/open-db.ts';
import { createTestDb } from '../support/test-db.ts';

describe('tokenizeTexts (SQLite is the stemmer)', () => {
  it('uses the tokenizer papers_fts was created with', () => {
    const db = createTestDb();
    const migration = readFileSync(`${migrationsFolder}/0001_papers_fts.sql`, 'utf8');
    expect(migration).toContain(`tokenize='${papersFtsTokenizer(db.$client)}'`);
  });

  it('stems, folds case and diacritics, and splits like FTS5', () => {
    const db = createTestDb();
    expect(tokenizeTexts(db, ['Rigorous Models', 'naïve café', 'state-of-the-art', '🚀 !!', '深度学习 GPT-4'])).toEqual([
      ['rigor', 'model'],
      ['naiv', 'cafe'],
      ['state', 'of', 'the', 'art'],
      [],
      ['深度学习', 'gpt', '4'],
    ]);
  });

  it('keeps columns apart and leaves the scratch table empty', () => {
    const db = createTestDb();
    expect(tokenizeRows(db, [{ title: 'Graphs', abstract: 'We study graphs', authors: '["Jane Doe"]' }, {}])).toEqual([
      { title: ['graph'], abstract: ['we', 'studi', 'graph'], authors: ['jane', 'doe'] },
      { title: [], abstract: [], authors: [] },
    ]);
    expect(db.$client.prepare('SELECT count(*) AS n FROM temp.paperboy_scratch').get()).toEqual({ n: 0 });
  });

  it('works inside a caller transaction', () => {
    const db = createTestDb();
    const tokens = db.transaction(() => tokenizeTexts(db, ['Diffusion models']));
    expect(tokens).toEqual([['diffus', 'model']]);
  });
});
