import type Database from 'better-sqlite3';

// papers_title_fts ends every title with a word naming its length: `paperboytitleend7` after a
// title of seven index tokens (migration 0012). The known-item probe asks for titles holding every
// query word *and* of the query's length or up to two words longer, and that word's postings hold
// only the titles of one length: 7,000 to 23,000 each of lengths 3 to 5 at a million papers.
// (One end word shared by every title, as before, made each probe seek through a million
// postings.) Only the triggers need the length, and SQL cannot count unicode61 tokens, so the
// function below is registered on every connection that opens the database (openDb), before the
// migrations run. A program that writes `papers` without it (the sqlite3 shell) gets "no such
// function: paperboy_title_end" and changes nothing.

/** What every title's end word starts with; the length follows. */
export const TITLE_END = 'paperboytitleend';

/** The SQL function the title-index triggers call. */
const TITLE_END_FUNCTION = 'paperboy_title_end';

/** The end word of a title of `length` index tokens. */
export const titleEnd = (length: number): string => `${TITLE_END}${length}`;

/**
 * How many tokens unicode61 makes of `text`: a token starts at a letter, number or private-use
 * character and goes on through those and the combining diacritics SQLite knows (a virama, say,
 * ends it). The porter stemmer never drops a token, and the spelling folds rewrite letters as
 * letters, so the folded text has as many. (A letter newer than SQLite's Unicode tables splits a
 * word in SQLite and not here: that title's end word is off by one and the probe misses it, as it
 * would any title whose length does not match.)
 */
function indexTokenCount(text: string): number {
  let count = 0;
  let inToken = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return unicodeTokenCount(text);
    const tokenChar = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (tokenChar && !inToken) count += 1;
    inToken = tokenChar;
  }
  return count;
}

const ALNUM = /[\p{L}\p{N}\p{Co}]/u;

/** sqlite3Fts5UnicodeIsdiacritic: some of U+0300–U+0331, by SQLite's two bit masks. */
function isDiacritic(c: number): boolean {
  if (c < 768 || c > 817) return false;
  return c < 800 ? ((0x08029fdf >>> (c - 768)) & 1) === 1 : ((0x000361f8 >>> (c - 800)) & 1) === 1;
}

function unicodeTokenCount(text: string): number {
  let count = 0;
  let inToken = false;
  for (const char of text) {
    if (ALNUM.test(char)) {
      if (!inToken) count += 1;
      inToken = true;
    } else if (!(inToken && isDiacritic(char.codePointAt(0) ?? 0))) inToken = false;
  }
  return count;
}

/** Registers paperboy_title_end(title) on the connection: the end word for that title. */
export function registerTitleEnd(sqlite: Database.Database): void {
  sqlite.function(TITLE_END_FUNCTION, { deterministic: true }, (title: unknown) => titleEnd(typeof title === 'string' ? indexTokenCount(title) : 0));
}
