import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuery } from '../../src/search/parse-query.ts';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { aPaper } from '../support/builders.ts';
import type { Store } from '../../src/store/store.ts';
import { backends } from '../support/both-backends.ts';

// Alert "matched" lines: both backends name the same words, as the paper spells them.

const papers = [
  aPaper({ arxivId: '2609.00001', title: 'Rigorous Bounds for Diffusion Models', abstract: 'We prove rigorous bounds. Models of diffusion converge.' }),
  aPaper({ arxivId: '2609.00002', title: 'Selective State Space Models', abstract: 'A state space model with selective scans.', authors: ['Jane Doe', 'Tri Dao'] }),
  aPaper({ arxivId: '2609.00003', title: 'Graph Learning at Scale', abstract: 'Graphs, as is well known, scale.', authors: ['Graph Smith'] }),
  aPaper({ arxivId: '2609.00004', title: 'Rigorous State-Space Models for GPT-4', abstract: 'Self-Attention, then state space again.' }),
];
const cases: Array<[number, string]> = [
  [1, 'rigor'],
  [1, 'diffusion models'],
  [1, '"diffusion models" OR bounds'],
  [2, '"state space" selective OR nothing'],
  [2, 'author:"jane doe"'],
  [2, 'author:dao selective'],
  [2, 'unrelated'],
  [2, '-graph'],
  [3, 'graph'],
  [3, 'author:graph'],
  [3, 'scale'],
  [3, 'as is'],
  [3, '"well known" graphs'],
  [2, '"space model" scans'],
];

describe('matchedTerms agrees with SQLite', () => {
  let sqlite: SqliteStore;
  const expected = new Map<string, string[]>();
  beforeAll(async () => {
    sqlite = openSqliteStore(':memory:');
    await sqlite.upsertPapers('2026-09-01', papers, 0);
    for (const [id, text] of cases) expected.set(`${id} ${text}`, await sqlite.matchedTerms(id, parseQuery(text)));
  });
  afterAll(async () => sqlite?.close());

  describe.each(backends)('on $name', ({ name, open }) => {
    let store: Store;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ store, close } = await open());
      await store.upsertPapers('2026-09-01', papers, 0);
    }, 120_000);
    afterAll(async () => close?.());

    it.each(cases)('paper %i, query %s', async (id, text) => {
      expect(await store.matchedTerms(id, parseQuery(text))).toEqual(expected.get(`${id} ${text}`));
    });

    it('spells words as the paper does', async () => {
      expect(await store.matchedTerms(1, parseQuery('rigor'))).toEqual(['rigorous']);
    });

    // better-sqlite3 binds a JS number as REAL, and FTS5 ignored `rowid = ?` with a REAL: the
    // highlight was read off the oldest paper the query matches, until the id was cast to INTEGER.
    it('names the words of the paper asked for, not of an older paper the query also matches', async () => {
      expect(await store.matchedTerms(4, parseQuery('attention OR diffusion'))).toEqual(['attention']);
      expect(await store.matchedTerms(2, parseQuery('models'))).toEqual(['models', 'model']);
    });

    // FTS5 highlight() marks the paper's own text, so a hyphenated word keeps its hyphen and each
    // spelling of a phrase is its own line; PostgreSQL quotes the stored text by word number.
    it('spells hyphenated words as the paper does', async () => {
      // A store of its own: the paper is the only one, whatever the bug above does.
      const own = await open();
      try {
        const [id] = (await own.store.upsertPapers('2026-09-02', [aPaper({ title: 'Rigorous State-Space Models for GPT-4', abstract: 'Self-Attention, then state space again.' })], 0)).inserted;
        expect(await own.store.matchedTerms(id ?? 0, parseQuery('gpt-4'))).toEqual(['gpt-4']);
        expect(await own.store.matchedTerms(id ?? 0, parseQuery('"self attention"'))).toEqual(['self-attention']);
        expect(await own.store.matchedTerms(id ?? 0, parseQuery('"state space" models'))).toEqual(['state-space', 'models', 'state space']);
      } finally {
        await own.close();
      }
    }, 120_000);
  });
});
