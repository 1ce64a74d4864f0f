import type Database from 'better-sqlite3';
import type { Db } from './open-db.ts';
import { foldSpelling } from '../../search/variants.ts';

// Stemming must agree with FTS5's porter tokenizer to the letter, so we never reimplement it: texts
// go through a scratch FTS5 table in the connection's temp schema, built with the tokenizer read
// from papers_fts's own definition, and come back out of an fts5vocab 'instance' table as
// (row, column, position, stemmed token). Temp tables are private to the connection and vanish with it.
// Texts are folded first, as the migration's triggers fold what papers_fts indexes (variants.ts).

export const COLUMNS = ['title', 'abstract', 'authors'] as const;
export type Column = (typeof COLUMNS)[number];
/** Stemmed tokens of one row, by column, in position order. */
export type TokenizedRow = Record<Column, string[]>;

const FALLBACK_TOKENIZER = 'porter unicode61 remove_diacritics 2';
const ready = new WeakSet<Database.Database>();

/** The tokenize= argument papers_fts was created with (the migration's, whatever it becomes). */
export function papersFtsTokenizer(sqlite: Database.Database): string {
  const row = sqlite.prepare<[], { sql: string }>("SELECT sql FROM sqlite_master WHERE name = 'papers_fts'").get();
  return /tokenize\s*=\s*'([^']*)'/i.exec(row?.sql ?? '')?.[1] ?? FALLBACK_TOKENIZER;
}

function ensureScratch(sqlite: Database.Database): void {
  if (ready.has(sqlite)) return;
  const tokenizer = papersFtsTokenizer(sqlite).replaceAll("'", "''");
  sqlite.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.paperboy_scratch USING fts5(title, abstract, authors, tokenize = '${tokenizer}')`);
  sqlite.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.paperboy_scratch_terms USING fts5vocab(temp, 'paperboy_scratch', 'instance')");
  ready.add(sqlite);
}

/** Each row's columns tokenised exactly as papers_fts would index them. */
export function tokenizeRows(db: Db, rows: Array<Partial<Record<Column, string>>>): TokenizedRow[] {
  const result = rows.map((): TokenizedRow => ({ title: [], abstract: [], authors: [] }));
  if (rows.length === 0) return result;
  const sqlite = db.$client;
  ensureScratch(sqlite);
  const insert = sqlite.prepare('INSERT INTO temp.paperboy_scratch(rowid, title, abstract, authors) VALUES (?, ?, ?, ?)');
  const clear = sqlite.prepare('DELETE FROM temp.paperboy_scratch');
  // One row per (text, column), not per token: crossing into JS per row is the expensive part.
  // A token never contains a space (unicode61 splits on it), so a space joins them safely.
  const read = sqlite.prepare<[], { doc: number; col: string; terms: string }>(
    "SELECT doc, col, group_concat(term, ' ' ORDER BY offset) AS terms FROM temp.paperboy_scratch_terms GROUP BY doc, col",
  );
  try {
    // One transaction (a savepoint when the caller holds one): per-row commits cost 4× more.
    sqlite.transaction(() => rows.forEach((row, i) => insert.run(i + 1, foldSpelling(row.title ?? ''), foldSpelling(row.abstract ?? ''), foldSpelling(row.authors ?? ''))))();
    for (const { doc, col, terms } of read.iterate()) {
      const target = result[doc - 1];
      if (target && isColumn(col)) target[col] = terms.split(' ');
    }
  } finally {
    clear.run();
  }
  return result;
}

/** Stemmed tokens of each text (`Rigorous models` → ['rigor', 'model']). */
export function tokenizeTexts(db: Db, texts: string[]): string[][] {
  return tokenizeRows(db, texts.map((title) => ({ title }))).map((row) => row.title);
}

function isColumn(name: string): name is Column {
  return name === 'title' || name === 'abstract' || name === 'authors';
}
