import { sql, type SQL } from 'drizzle-orm';
import type { Query } from '../../search/parse-query.ts';
import { queryRows, type PgDb } from './pg-db.ts';
import { termTsquery } from './tsquery.ts';
import { TOKEN_COLUMNS, type TokenColumn } from '../store.ts';

// Which words of a paper a query hit, as the paper spells them ("rigorous" for `rigor`,
// "self-attention", "Schölkopf"), for alert "matched" lines: the twin of ../sqlite/matched-terms.ts.
// ts_headline marks every word of a text that matches a tsquery, with control characters as
// markers (cleanText strips them from stored text). It reads the text as the index does
// (paperboy_fts_text: accents and spellings folded, punctuation as spaces), and every fold keeps
// the words where they are: the n-th run of letters and digits of the folded text is the n-th of
// the stored one. So a match is located by word number and quoted from the stored text, from its
// first word to its last, punctuation between included, as FTS5's highlight() quotes it. Each term
// gets its own headline, so adjacent words are one phrase only when one term matched them.

const OPEN = '\u0001';
const CLOSE = '\u0002';
const OPTIONS = `StartSel=${OPEN}, StopSel=${CLOSE}, HighlightAll=true`;
const WORD = /[\p{L}\p{N}]+/gu;

const headline = (column: TokenColumn, query: SQL) => sql`ts_headline('paperboy_english', paperboy_fts_text(${sql.identifier(column)}), ${query}, ${OPTIONS})`;
const wordCount = (text: string) => (text.match(WORD) ?? []).length;

/**
 * Phrase instances in one headline, as word numbers: runs of marked words split into `size`-word
 * phrases. ts_headline marks a phrase's words wherever they occur, so a shorter piece of a run is
 * not an instance; text with a word in it between two marked words ends a run.
 */
function instances(marked: string, size: number): Array<{ first: number; last: number }> {
  const found: Array<{ first: number; last: number }> = [];
  let words = 0;
  let run: number[] = [];
  const flush = () => {
    for (let i = 0; i + size <= run.length; i += size) found.push({ first: run[i] ?? 0, last: run[i + size - 1] ?? 0 });
    run = [];
  };
  const plain = (text: string) => {
    const n = wordCount(text);
    if (n > 0) flush();
    words += n;
  };
  for (const part of marked.split(OPEN)) {
    const close = part.indexOf(CLOSE);
    if (close === -1) {
      plain(part);
      continue;
    }
    const n = wordCount(part.slice(0, close));
    for (let i = 0; i < n; i += 1) run.push(words + i);
    words += n;
    plain(part.slice(close + 1));
  }
  flush();
  return found;
}

/** The stored text from the start of word `first` to the end of word `last` (numbered from 0). */
function quote(text: string, first: number, last: number): string {
  const spans = [...text.matchAll(WORD)];
  const from = spans[first];
  const to = spans[last];
  if (!from || !to) return '';
  return text.slice(from.index, to.index + to[0].length);
}

/** The distinct matched words/phrases of one paper, lowercased, title first; [] if none. */
export async function matchedTerms(db: PgDb, paperId: number, query: Query): Promise<string[]> {
  // Author names match in the authors column only, as on SQLite (`authors : "…"`).
  const terms = [
    ...query.groups.flat().map((term) => ({ text: term.text, columns: TOKEN_COLUMNS })),
    ...query.authors.map((name) => ({ text: name, columns: ['authors'] as const })),
  ];
  if (terms.length === 0) return [];
  const cells = terms.flatMap((term, k) => term.columns.map((column) => ({ k, column, size: Math.max(1, wordCount(term.text)), key: `h${k}_${column}` })));
  const select = sql.join(
    cells.map((cell) => sql`${headline(cell.column, termTsquery(terms[cell.k]?.text ?? ''))} AS ${sql.identifier(cell.key)}`),
    sql`, `,
  );
  const [row] = await queryRows<Record<string, string | null>>(db, sql`SELECT title, abstract, authors, ${select} FROM papers WHERE id = ${paperId}`);
  if (!row) return [];
  const found = cells.flatMap((cell) =>
    instances(row[cell.key] ?? '', cell.size).map((instance) => ({
      column: TOKEN_COLUMNS.indexOf(cell.column),
      offset: instance.first,
      text: quote(row[cell.column] ?? '', instance.first, instance.last),
    })),
  );
  found.sort((a, b) => a.column - b.column || a.offset - b.offset);
  return [...new Set(found.map((f) => f.text.replace(/\s+/g, ' ').trim().toLowerCase()).filter((text) => text !== ''))];
}
