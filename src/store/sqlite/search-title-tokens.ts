import type Database from 'better-sqlite3';
import type { Db } from './open-db.ts';
import { tokenizeTexts } from './tokenize-texts.ts';

// Known-item search compares a query's tokens with those of up to a thousand titles per search.
// Tokenising each title through the scratch FTS5 table costs 17–38 µs a title (the insert, the
// vocabulary read): up to ~40 ms for one query at 1M papers. A title's tokens are its words'
// tokens in order, and the words of the titles a store holds repeat endlessly, so each word is
// tokenised once per connection and remembered; a title is then split and looked up in JavaScript.
//
// Why splitting in JavaScript gives FTS5's tokens: unicode61's token characters are letters,
// numbers and private-use characters (and combining marks, with remove_diacritics), everything
// else separates tokens. A text with no private-use character or mark splits on the same
// characters as /[^\p{L}\p{N}]+/ (SQLite's Unicode tables are older than JavaScript's: a letter
// to SQLite is one to JavaScript; a letter only JavaScript knows splits the word in SQLite, and
// tokenising the word alone splits it the same way). The fold (variants.ts) only rewrites runs of
// ASCII letters, so folding a word alone folds it as the whole text would. The porter stemmer
// stems each token alone. Texts with a private-use character or mark go through the scratch
// table whole, as before.

/** Words remembered per connection; forgotten all at once past this many (a title corpus's vocabulary is far smaller). */
const MAX_WORDS = 100_000;
const known = new WeakMap<Database.Database, Map<string, string[]>>();

const UNSAFE = /[\p{Co}\p{M}]/u;
const SEPARATORS = /[^\p{L}\p{N}]+/u;

function rememberedWords(sqlite: Database.Database): Map<string, string[]> {
  const words = known.get(sqlite) ?? new Map<string, string[]>();
  known.set(sqlite, words);
  return words;
}

/**
 * The words of an ASCII text (runs of letters and digits, which is all \p{L} and \p{N} hold below
 * U+0080), or null when it has any other character. A scan of char codes: the regex split cost
 * most of tokenising a query's thousand-odd titles.
 */
function asciiWords(text: string): string[] | null {
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

/** Each text's tokens exactly as papers_fts / papers_title_fts index it. */
export function titleTokens(db: Db, texts: string[]): string[][] {
  const words = rememberedWords(db.$client);
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
  const whole = texts.filter((_, i) => split[i] === null);
  // One scratch-table pass for the new words and the texts tokenised whole.
  const tokens = fresh.length + whole.length > 0 ? tokenizeTexts(db, [...fresh, ...whole]) : [];
  fresh.forEach((word, i) => words.set(word, tokens[i] ?? []));
  let nextWhole = fresh.length;
  return split.map((parts) => {
    if (parts === null) {
      nextWhole += 1;
      return tokens[nextWhole - 1] ?? [];
    }
    const result: string[] = [];
    for (const word of parts) for (const token of words.get(word) ?? []) result.push(token);
    return result;
  });
}
