import Database from 'better-sqlite3';
import { asciiWords } from './tokenize-texts.ts';

// papers_title_fts ends every title with a word naming its length: `paperboytitleend7` after a
// title of seven index tokens (migration 0012). The known-item probe asks for titles holding every
// query word *and* of the query's length or up to two words longer, and that word's postings hold
// only the titles of one length: 7,000 to 23,000 each of lengths 3 to 5 at a million papers.
// (One end word shared by every title, as before, made each probe seek through a million
// postings.) Only the triggers need the length, and SQL cannot count FTS5 tokens, so the
// function below is registered on every connection that opens the database (openDb), before the
// migrations run. A program that writes `papers` without it (the sqlite3 shell) gets "no such
// function: paperboy_title_end" and changes nothing.

/** What every title's end word starts with; the length follows. */
const TITLE_END = 'paperboytitleend';

/** The SQL function the title-index triggers call. */
const TITLE_END_FUNCTION = 'paperboy_title_end';

/** The end word of a title of `length` index tokens. */
export const titleEnd = (length: number): string => `${TITLE_END}${length}`;

/**
 * The words the title index's tokenizer makes of `text`, in order, before stemming (lowercase,
 * diacritics removed): as FTS5 query words they find exactly the tokens the text was indexed as.
 * An ASCII text's words are its runs of letters and digits, split here; any other text goes
 * through FTS5 itself (a private in-memory database with the tokenizer minus its stemmer):
 * unicode61's idea of a letter follows SQLite's own Unicode tables (some emoji and currency signs
 * are letters to it, a virama ends a word, a decomposed accent is folded into its letter), which
 * no JavaScript character class reproduces. The porter stemmer never drops or splits a token, and
 * the spelling folds rewrite letters as letters, so the folded, stemmed text has as many.
 */
export function indexWords(text: string): string[] {
  return asciiWords(text)?.map((word) => word.toLowerCase()) ?? fts5Words(text);
}

/** papers_title_fts's tokenizer (migration 0003) without `porter`; a migration that changes it changes this. */
const TITLE_WORDS_TOKENIZER = 'unicode61 remove_diacritics 2';

let scratch: { insert: Database.Statement<[string]>; words: Database.Statement<[], string>; clear: Database.Statement<[]> } | undefined;

/** The words FTS5 makes of `text`, from a scratch table in a database of this process's own. */
function fts5Words(text: string): string[] {
  scratch ??= (() => {
    const db = new Database(':memory:');
    db.exec(`CREATE VIRTUAL TABLE title_words USING fts5(title, tokenize = '${TITLE_WORDS_TOKENIZER}')`);
    db.exec("CREATE VIRTUAL TABLE title_word_rows USING fts5vocab(title_words, 'instance')");
    return {
      insert: db.prepare<[string]>('INSERT INTO title_words(rowid, title) VALUES (1, ?)'),
      words: db.prepare<[], string>('SELECT term FROM title_word_rows ORDER BY offset').pluck(),
      clear: db.prepare<[]>('DELETE FROM title_words'),
    };
  })();
  scratch.insert.run(text);
  try {
    return scratch.words.all();
  } finally {
    scratch.clear.run();
  }
}

/** Registers paperboy_title_end(title) on the connection: the end word for that title. */
export function registerTitleEnd(sqlite: Database.Database): void {
  sqlite.function(TITLE_END_FUNCTION, { deterministic: true }, (title: unknown) => titleEnd(typeof title === 'string' ? indexWords(title).length : 0));
}
