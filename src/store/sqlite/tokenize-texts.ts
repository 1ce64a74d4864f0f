import type Database from 'better-sqlite3';
import type { Db } from './open-db.ts';
import { preparedOnce } from './prepared-once.ts';
import { TOKEN_COLUMNS, type TokenColumn, type TokenizedRow } from '../store.ts';
import { foldSpelling } from '../../search/variants.ts';

// Stemming must agree with FTS5's porter tokenizer to the letter, so we never reimplement it: texts
// go through a scratch FTS5 table in the connection's temp schema, built with the tokenizer read
// from papers_fts's own definition, and come back out of an fts5vocab 'instance' table as
// (row, column, position, stemmed token). Temp tables are private to the connection and vanish with it.
// Texts are folded first, as the migration's triggers fold what papers_fts indexes (variants.ts).
//
// A pass through the scratch table costs 17–38 µs a row plus its tokens, and the words of papers
// repeat endlessly (a search's known-item step reads up to 1,000 titles; a day's 500 abstracts hold
// ~100k words, ~10k distinct), so each word is tokenised once per connection and remembered; a text
// is then split into words and looked up in JavaScript. Why that split gives FTS5's tokens: unicode61's token characters are letters,
// numbers and private-use characters (and combining marks, with remove_diacritics); everything else
// separates tokens. A text with no private-use character or mark splits on the same characters as
// /[^\p{L}\p{N}]+/, but for symbols SQLite's Unicode tables count as letters (some emoji and
// currency signs: JavaScript drops them, so a title's tokens here can lack one FTS5 has; known-item
// search has FTS5 check such titles, and title-end.ts asks FTS5 for exact words). A letter only
// JavaScript knows splits the word in SQLite, and tokenising the word alone splits it the same way.
// The folds only rewrite runs of ASCII letters, so folding a word alone folds it as the whole text
// would. The porter stemmer stems each token alone. Texts with a
// private-use character or mark go through the scratch table whole.


const FALLBACK_TOKENIZER = 'porter unicode61 remove_diacritics 2';

/** Words remembered per connection; forgotten all at once past this many. */
const MAX_WORDS = 100_000;
const remembered = new WeakMap<Database.Database, Map<string, string[]>>();
const UNSAFE = /[\p{Co}\p{M}]/u;
const SEPARATORS = /[^\p{L}\p{N}]+/u;
/** Exactly one unicode61 token whatever SQLite's Unicode tables: such words are tokenised together, one text. */
const ASCII_WORD = /^[A-Za-z0-9]+$/;

/**
 * The words of an ASCII text (runs of letters and digits, which is all \p{L} and \p{N} hold below
 * U+0080), or null when it has any other character. A scan of char codes: the regex split cost
 * most of tokenising a search's thousand-odd titles.
 */
export function asciiWords(text: string): string[] | null {
  const words: string[] = [];
  let start = -1;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return null;
    const inWord = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (inWord && start === -1) start = i;
    else if (!inWord && start !== -1) {
      words.push(text.slice(start, i));
      start = -1;
    }
  }
  if (start !== -1) words.push(text.slice(start));
  return words;
}

/** The words FTS5 tokenises separately, or null: tokenise the text whole. */
function wordsOf(text: string): string[] | null {
  const ascii = asciiWords(text);
  if (ascii !== null) return ascii;
  return UNSAFE.test(text) ? null : text.split(SEPARATORS).filter((word) => word !== '');
}

/** The tokenize= argument papers_fts was created with (the migration's, whatever it becomes). */
export function papersFtsTokenizer(sqlite: Database.Database): string {
  const row = sqlite.prepare<[], { sql: string }>("SELECT sql FROM sqlite_master WHERE name = 'papers_fts'").get();
  return /tokenize\s*=\s*'([^']*)'/i.exec(row?.sql ?? '')?.[1] ?? FALLBACK_TOKENIZER;
}

// The scratch tables and their statements, made once per connection (temp tables: nothing else drops them).
const scratchStatements = preparedOnce((sqlite) => {
  const tokenizer = papersFtsTokenizer(sqlite).replaceAll("'", "''");
  sqlite.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.paperboy_scratch USING fts5(title, tokenize = '${tokenizer}')`);
  sqlite.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.paperboy_scratch_terms USING fts5vocab(temp, 'paperboy_scratch', 'instance')");
  return {
    insert: sqlite.prepare('INSERT INTO temp.paperboy_scratch(rowid, title) VALUES (?, ?)'),
    clear: sqlite.prepare('DELETE FROM temp.paperboy_scratch'),
    // One row per text, not per token: crossing into JS per row is the expensive part. A token
    // never contains a space (unicode61 splits on it), so a space joins them safely.
    read: sqlite.prepare<[], { doc: number; terms: string }>(
      "SELECT doc, group_concat(term, ' ' ORDER BY offset) AS terms FROM temp.paperboy_scratch_terms GROUP BY doc",
    ),
  };
});

/** Each text's tokens through the scratch table, one row per text. */
function tokenizeWhole(sqlite: Database.Database, texts: string[]): string[][] {
  const result = texts.map((): string[] => []);
  if (texts.length === 0) return result;
  const { insert, clear, read } = scratchStatements(sqlite);
  try {
    // One transaction (a savepoint when the caller holds one): per-row commits cost 4× more.
    sqlite.transaction(() => texts.forEach((text, i) => insert.run(i + 1, foldSpelling(text))))();
    for (const { doc, terms } of read.iterate()) result[doc - 1] = terms.split(' ');
  } finally {
    clear.run();
  }
  return result;
}

/** Tokens of each new word: the plain ASCII ones as one text (one token each), the others one by one. */
function tokenizeWords(sqlite: Database.Database, words: string[]): string[][] {
  const ascii = words.filter((word) => ASCII_WORD.test(word));
  const other = words.filter((word) => !ASCII_WORD.test(word));
  const joined = ascii.length > 0 ? [ascii.join(' ')] : [];
  const results = tokenizeWhole(sqlite, [...joined, ...other]);
  const together = joined.length > 0 ? (results[0] ?? []) : [];
  const tokens = new Map<string, string[]>();
  if (together.length === ascii.length) ascii.forEach((word, i) => tokens.set(word, [together[i] ?? '']));
  else tokenizeWhole(sqlite, ascii).forEach((one, i) => tokens.set(ascii[i] ?? '', one));
  other.forEach((word, i) => tokens.set(word, results[joined.length + i] ?? []));
  return words.map((word) => tokens.get(word) ?? []);
}

/** Each text's tokens exactly as papers_fts indexes it. */
export function tokenizeTexts(db: Db, texts: string[]): string[][] {
  const sqlite = db.$client;
  const words = remembered.get(sqlite) ?? new Map<string, string[]>();
  remembered.set(sqlite, words);
  const split = texts.map(wordsOf);
  const missing = () => {
    const unknown = new Set<string>();
    for (const parts of split) for (const word of parts ?? []) if (!words.has(word)) unknown.add(word);
    return unknown;
  };
  let unknown = missing();
  if (unknown.size + words.size > MAX_WORDS) {
    words.clear();
    unknown = missing();
  }
  const fresh = [...unknown];
  if (fresh.length > 0) tokenizeWords(sqlite, fresh).forEach((tokens, i) => words.set(fresh[i] ?? '', tokens));
  const whole = tokenizeWhole(sqlite, texts.filter((_, i) => split[i] === null));
  let nextWhole = 0;
  return split.map((parts) => {
    if (parts === null) return whole[nextWhole++] ?? [];
    const tokens: string[] = [];
    for (const word of parts) for (const token of words.get(word) ?? []) tokens.push(token);
    return tokens;
  });
}

/** Each row's columns tokenised exactly as papers_fts would index them. */
export function tokenizeRows(db: Db, rows: Array<Partial<Record<TokenColumn, string>>>): TokenizedRow[] {
  const texts = rows.flatMap((row) => TOKEN_COLUMNS.map((column) => row[column] ?? ''));
  const tokens = tokenizeTexts(db, texts);
  return rows.map((_, r) => ({ title: tokens[r * 3] ?? [], abstract: tokens[r * 3 + 1] ?? [], authors: tokens[r * 3 + 2] ?? [] }));
}
