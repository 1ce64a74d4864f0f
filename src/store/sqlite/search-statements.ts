import type Database from 'better-sqlite3';
import type { Db } from './open-db.ts';

// A search runs up to ten statements, and compiling them cost ~0.4 ms of every search (FTS5
// statements are not cheap to prepare). Their SQL text varies only with the query's filters and a
// few fixed limits, so each text is prepared once per connection; user text is always bound.

/** Texts kept per connection; past this many (unusual filter combinations) they start over. */
const MAX_STATEMENTS = 200;
const cache = new WeakMap<Database.Database, Map<string, Database.Statement<unknown[], unknown>>>();

/** The connection's statement for `sql`, prepared on first use. A caller must not change its mode (pluck, raw) unless it always does. */
export function searchStatement<P extends unknown[] | object, R>(db: Db, sql: string): Database.Statement<P, R> {
  const sqlite = db.$client;
  let statements = cache.get(sqlite);
  if (statements === undefined) {
    statements = new Map();
    cache.set(sqlite, statements);
  }
  let statement = statements.get(sql);
  if (statement === undefined) {
    if (statements.size >= MAX_STATEMENTS) statements.clear();
    statement = sqlite.prepare(sql);
    statements.set(sql, statement);
  }
  return statement as unknown as Database.Statement<P, R>;
}
