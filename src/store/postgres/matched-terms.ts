import { sql, type SQL } from 'drizzle-orm';
import type { Query } from '../../search/parse-query.ts';
import { queryRows, type PgDb } from './pg-db.ts';
import { termTsquery } from './tsquery.ts';

// Which words of a paper a query hit, as the paper spells them ("rigorous" for `rigor`), for alert
// "matched" lines: the twin of ../sqlite/matched-terms.ts. ts_headline marks every word of a text
// that matches a tsquery, with control characters as markers (cleanText strips them from stored
// text). Each term gets its own headline, so adjacent words are one phrase only when one term
// matched them (FTS5's highlight() marks each phrase instance apart). The text is read as the
// index read it (paperboy_fts_text: punctuation as spaces; a 0 appended to two-letter words in s
// or y, taken off again), and the matches are ordered by column, then position, as on SQLite.

const OPEN = '\u0001';
const CLOSE = '\u0002';
const OPTIONS = `StartSel=${OPEN}, StopSel=${CLOSE}, HighlightAll=true`;
const COLUMNS = ['title', 'abstract', 'authors'] as const;
type Column = (typeof COLUMNS)[number];

const headline = (column: Column, query: SQL) => sql`ts_headline('paperboy_english', paperboy_fts_text(${sql.identifier(column)}), ${query}, ${OPTIONS})`;
const wordCount = (text: string) => Math.max(1, (text.match(/[\p{L}\p{N}]+/gu) ?? []).length);
const unpad = (word: string) => word.replace(/^(\p{L}[sy])0$/iu, '$1');

/**
 * Phrase instances in one headline: runs of marked words split into `size`-word phrases, with the
 * offset of each. ts_headline marks a phrase's words wherever they occur, so a shorter piece of a
 * run is not an instance.
 */
function instances(marked: string, size: number): Array<{ offset: number; text: string }> {
  const found: Array<{ offset: number; text: string }> = [];
  let plain = 0;
  let run: Array<{ offset: number; word: string }> = [];
  const flush = () => {
    for (let i = 0; i < run.length; i += size) {
      const chunk = run.slice(i, i + size);
      if (chunk.length < size) break;
      found.push({ offset: chunk[0]?.offset ?? 0, text: chunk.map((w) => unpad(w.word)).join(' ').toLowerCase() });
    }
    run = [];
  };
  for (const part of marked.split(OPEN)) {
    const close = part.indexOf(CLOSE);
    if (close === -1) {
      if (part.trim() !== '') flush();
      plain += part.length;
      continue;
    }
    const word = part.slice(0, close).trim();
    const after = part.slice(close + 1);
    if (word !== '') run.push({ offset: plain, word });
    plain += close + after.length;
    if (after.trim() !== '') flush();
  }
  flush();
  return found;
}

/** The distinct matched words/phrases of one paper, lowercased, title first; [] if none. */
export async function matchedTerms(db: PgDb, paperId: number, query: Query): Promise<string[]> {
  // Author names match in the authors column only, as on SQLite (`authors : "…"`).
  const terms = [
    ...query.groups.flat().map((term) => ({ text: term.text, columns: COLUMNS })),
    ...query.authors.map((name) => ({ text: name, columns: ['authors'] as const })),
  ];
  if (terms.length === 0) return [];
  const cells = terms.flatMap((term, k) => term.columns.map((column) => ({ k, column, size: wordCount(term.text), key: `h${k}_${column}` })));
  const select = sql.join(
    cells.map((cell) => sql`${headline(cell.column, termTsquery(terms[cell.k]?.text ?? ''))} AS ${sql.identifier(cell.key)}`),
    sql`, `,
  );
  const [row] = await queryRows<Record<string, string | null>>(db, sql`SELECT ${select} FROM papers WHERE id = ${paperId}`);
  if (!row) return [];
  const found = cells.flatMap((cell) =>
    instances(row[cell.key] ?? '', cell.size).map((instance) => ({ column: COLUMNS.indexOf(cell.column), ...instance })),
  );
  found.sort((a, b) => a.column - b.column || a.offset - b.offset);
  return [...new Set(found.map((f) => f.text.replace(/\s+/g, ' ').trim()).filter((text) => text !== ''))];
}
