import { sql } from 'drizzle-orm';
import type { TermCounts } from '../store.ts';
import { queryRows, type PgDb } from './pg-db.ts';

// Document frequencies from the stored tsvector: per term, the papers whose search_vector holds
// the lexeme (a GIN index lookup each). Terms come from tokenize(), which takes off the 0 that
// paperboy_fts_text appends to two-letter words in s or y; it is put back to match the vector.

export async function termDocumentCounts(db: PgDb, terms: string[]): Promise<TermCounts> {
  const distinct = [...new Set(terms)];
  const lexemes = distinct.map((term) => (/^[a-z][sy]$/.test(term) ? `${term}0` : term));
  const rows = await queryRows<{ i: number | string; n: number | string; documents: number | string }>(
    db,
    sql`SELECT t.i, (SELECT count(*) FROM papers WHERE search_vector @@ quote_literal(t.lexeme)::tsquery) AS n,
               (SELECT count(*) FROM papers) AS documents
        FROM jsonb_array_elements_text(${JSON.stringify(lexemes)}::jsonb) WITH ORDINALITY AS t(lexeme, i)`,
  );
  const counts = new Map<string, number>(distinct.map((term) => [term, 0]));
  let documents = 0;
  for (const row of rows) {
    const term = distinct[Number(row.i) - 1];
    if (term !== undefined) counts.set(term, Number(row.n));
    documents = Number(row.documents);
  }
  if (rows.length === 0) documents = Number((await queryRows<{ n: number | string }>(db, sql`SELECT count(*) AS n FROM papers`))[0]?.n ?? 0);
  return { documents, counts };
}
