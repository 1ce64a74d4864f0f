import type { Db } from './open-db.ts';
import { anyTermExpression } from './fts5-query.ts';
import type { Query } from '../../search/parse-query.ts';

// Which words of a paper a query hit, as the paper spells them ("rigorous" for `rigor`), for alerts
// and result cards. FTS5's highlight() marks each matched phrase instance; a control character
// is stripped from stored text by cleanText, so it is a safe marker. better-sqlite3 binds a JS
// number as REAL, and FTS5 ignores a REAL rowid constraint (it returned the first matching paper
// instead): the id is cast to INTEGER.

const OPEN = '\u0001';
const CLOSE = '\u0002';
const MARKED = /\u0001([^\u0001\u0002]*)\u0002/g;

type Highlighted = { title: string | null; abstract: string | null; authors: string | null };

/** The distinct matched words/phrases of one paper, lowercased, title first; [] if none. */
export function matchedTerms(db: Db, paperId: number, query: Query): string[] {
  const expression = anyTermExpression(query);
  if (expression === null) return [];
  const row = db.$client
    .prepare<{ match: string; paper_id: number }, Highlighted>(
      `SELECT highlight(papers_fts, 0, '${OPEN}', '${CLOSE}') AS title, highlight(papers_fts, 1, '${OPEN}', '${CLOSE}') AS abstract,
              highlight(papers_fts, 2, '${OPEN}', '${CLOSE}') AS authors
       FROM papers_fts WHERE papers_fts MATCH @match AND rowid = CAST(@paper_id AS INTEGER)`,
    )
    .get({ match: expression, paper_id: paperId });
  if (!row) return [];
  const terms = [row.title, row.abstract, row.authors].flatMap((text) =>
    [...(text ?? '').matchAll(MARKED)].map((m) => (m[1] ?? '').replace(/\s+/g, ' ').trim().toLowerCase()),
  );
  return [...new Set(terms.filter((term) => term !== ''))];
}
