import { sql } from 'drizzle-orm';
import { TOKEN_COLUMNS, type TokenColumn, type TokenizedRow } from '../store.ts';
import { queryRows, type PgDb } from './pg-db.ts';

// Texts cut into index terms exactly as papers.search_vector cuts them (migration
// 0000_text_search: paperboy_fts_text, then the paperboy_english configuration), never
// reimplemented in JS. A tsvector keeps each lexeme's positions, so unnesting them and sorting
// by position gives the tokens in text order, repeats included, as SQLite's fts5vocab does.
// paperboy_fts_text appends a 0 to two-letter words in s or y (so they are never stemmed); the 0
// is taken off again, as the word itself is the token.

/** Each row's columns as stemmed tokens, in position order; one statement for the whole batch. */
export async function tokenizeRows(db: PgDb, rows: Array<Partial<Record<TokenColumn, string>>>): Promise<TokenizedRow[]> {
  const result = rows.map((): TokenizedRow => ({ title: [], abstract: [], authors: [] }));
  if (rows.length === 0) return result;
  const found = await queryRows<{ i: string | number; col: string; terms: string[] }>(
    db,
    sql`SELECT r.i, c.col, array_agg(regexp_replace(u.lexeme, '^([[:alpha:]][sy])0$', '\\1') ORDER BY p.pos) AS terms
        FROM jsonb_array_elements(${JSON.stringify(rows)}::jsonb) WITH ORDINALITY AS r(doc, i)
        CROSS JOIN (VALUES ('title'), ('abstract'), ('authors')) AS c(col)
        CROSS JOIN LATERAL unnest(to_tsvector('paperboy_english', paperboy_fts_text(coalesce(r.doc ->> c.col, '')))) AS u
        CROSS JOIN LATERAL unnest(u.positions) AS p(pos)
        GROUP BY r.i, c.col`,
  );
  for (const row of found) {
    const target = result[Number(row.i) - 1];
    if (target && isColumn(row.col)) target[row.col] = row.terms;
  }
  return result;
}

function isColumn(name: string): name is TokenColumn {
  return (TOKEN_COLUMNS as readonly string[]).includes(name);
}
