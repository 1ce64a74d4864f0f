import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, closeDb, type Db } from '../../src/store/sqlite/open-db.ts';
import { titleEnd } from '../../src/store/sqlite/title-end.ts';

// The title index ends each title with a word naming its length (paperboy_title_end, counted in
// JavaScript): the count must be the number of tokens FTS5 itself makes of the title, or the
// known-item walk would miss that title. Checked against the index's own tokens, for titles of
// every kind of character unicode61 treats differently.

const TITLES = [
  'Sparse attention makes protein language models fold faster',
  'GPT-4o: a text-based, vision-language model (v2.0)!',
  '  leading and trailing spaces  ',
  'Ünïcödé façade naïve café Æsir Øresund',
  'Cafe\u0301 combining accents e\u0301te\u0301',
  'Private use \uE000\uE001 glyphs',
  '注意力机制 and 大型语言模型 for Ελληνικά, русский',
  'Emoji 🚀 rockets ✨ and ∑ math ≤ symbols',
  '🤗 Transformers 🤖 robots 🧠 brains 🦙 llamas',
  'Prices in ₽ and ₿ and \u2066isolated\u2069 text',
  'हिन्दी भाषा मॉडल',
  '\u0301leading mark and a\u0301\u0331\u0332b marks',
  'Colour modelling of behaviour optimisation',
  "O'Neil's x-ray 3D-CNN 1,000,000 tokens",
  '',
];

describe('the title index end word', () => {
  let db: Db;
  beforeAll(() => {
    db = openDb(':memory:');
    const insert = db.$client.prepare(
      "INSERT INTO papers (arxiv_id, title, abstract, authors, upvotes, latest_feed_date, first_seen_at, updated_at) VALUES (?, ?, 'x', '[]', 0, '2026-01-01', 0, 0)",
    );
    TITLES.forEach((title, i) => insert.run(`2601.${String(10000 + i)}`, title));
    db.$client.exec("CREATE VIRTUAL TABLE temp.title_terms USING fts5vocab(main, 'papers_title_fts', 'instance')");
  });
  afterAll(() => closeDb(db));

  it('names the number of tokens FTS5 made of each title', () => {
    const tokens = db.$client.prepare<[number], { term: string }>('SELECT term FROM temp.title_terms WHERE doc = ? ORDER BY offset');
    TITLES.forEach((title, i) => {
      const terms = tokens.all(i + 1).map((row) => row.term);
      expect(terms.at(-1), title).toBe(titleEnd(terms.length - 1));
    });
  });

  it('is rewritten when a title changes, and removed with the paper', () => {
    const terms = (doc: number) => db.$client.prepare<[number], string>('SELECT term FROM temp.title_terms WHERE doc = ? ORDER BY offset').pluck().all(doc);
    db.$client.prepare("UPDATE papers SET title = 'Two words' WHERE arxiv_id = '2601.10000'").run();
    expect(terms(1)).toEqual(['two', 'word', titleEnd(2)]);
    db.$client.prepare("DELETE FROM papers WHERE arxiv_id = '2601.10000'").run();
    expect(terms(1)).toEqual([]);
    // FTS5's own check of the index's structure (not against papers.title: the index holds the folded text and end word).
    expect(() => db.$client.prepare("INSERT INTO papers_title_fts(papers_title_fts) VALUES ('integrity-check')").run()).not.toThrow();
  });
});
