import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { TokenizedRow } from '../../src/store/store.ts';
import type { Store } from '../../src/store/store.ts';
import { backends } from '../support/both-backends.ts';

// The watch matcher compares tokens of watches and of papers in memory, so tokenize must cut and
// stem as the backend's index does. The PostgreSQL text search was made to agree with FTS5, so on
// ordinary English text both backends give the same tokens.

const rows = [
  { title: 'Rigorous Models of LLMs: as is, by the way', abstract: 'We study GPT-4o and the models; models again.', authors: '["Ann Lee","Bo Chen"]' },
  { title: 'See https://github.com/org/repo for code (v2.5)' },
  { abstract: 'Only an abstract: running, runs, ran.' },
  {},
];

describe('tokenize agrees with SQLite', () => {
  let sqlite: SqliteStore;
  let expected: TokenizedRow[];
  beforeAll(async () => {
    sqlite = openSqliteStore(':memory:');
    expected = await sqlite.tokenize(rows);
  });
  afterAll(async () => sqlite?.close());

  describe.each(backends)('on $name', ({ name, open }) => {
    let store: Store;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ store, close } = await open());
    }, 120_000);
    afterAll(async () => close?.());

    it('gives the tokens in order, repeats kept, empty columns empty', async () => {
      const tokens = await store.tokenize(rows);
      expect(tokens).toEqual(expected);
      expect(tokens[0]?.title).toEqual(['rigor', 'model', 'of', 'llm', 'as', 'is', 'by', 'the', 'wai']);
      expect(tokens[3]).toEqual({ title: [], abstract: [], authors: [] });
      expect(await store.tokenize([])).toEqual([]);
    });

    // FTS5's unicode61 folds diacritics, so a watch typed without accents matches the accented
    // paper; PostgreSQL folds the same letters (migrations/postgres/0005_fold_accents.sql).
    it('folds accents as FTS5 does', async () => {
      const [tokens] = await store.tokenize([{ title: 'Naïve Bayes in the café', authors: '["Bernhard Schölkopf","José Núñez"]' }]);
      expect(tokens).toEqual({ title: ['naiv', 'bay', 'in', 'the', 'cafe'], abstract: [], authors: ['bernhard', 'scholkopf', 'jose', 'nunez'] });
    });
  });
});
