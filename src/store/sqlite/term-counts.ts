import type { TermCounts } from '../store.ts';
import type { Db } from './open-db.ts';

// Document frequencies straight from the full-text index: an fts5vocab 'row' table over
// papers_fts gives, per term, how many papers hold it. It lives in the connection's temp schema
// (no migration, gone with the connection); a lookup by term is an index seek.

const ready = new WeakSet<Db['$client']>();

export function termDocumentCounts(db: Db, terms: string[]): TermCounts {
  const sqlite = db.$client;
  if (!ready.has(sqlite)) {
    sqlite.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.papers_fts_rows USING fts5vocab(main, 'papers_fts', 'row')");
    ready.add(sqlite);
  }
  return sqlite.transaction(() => {
    const documents = sqlite.prepare<[], { n: number }>('SELECT count(*) AS n FROM papers').get()?.n ?? 0;
    const counts = new Map<string, number>();
    const read = sqlite.prepare<[string], { doc: number }>('SELECT doc FROM temp.papers_fts_rows WHERE term = ?');
    for (const term of new Set(terms)) counts.set(term, read.get(term)?.doc ?? 0);
    return { documents, counts };
  })();
}
