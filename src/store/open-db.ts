import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.ts';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** Shipped with the package; resolved from this file, never from the working directory. */
export const migrationsFolder = fileURLToPath(new URL('../../migrations', import.meta.url));

export class DatabaseOpenError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DatabaseOpenError';
  }
}

/**
 * Opens (creating when missing, mode 0600) the SQLite file, sets WAL + busy_timeout and applies
 * pending migrations. A file that is not a readable SQLite database is refused, never overwritten.
 */
export function openDb(path: string): Db {
  const memory = path === ':memory:' || path === '';
  if (!memory) {
    const file = resolve(path);
    mkdirSync(dirname(file), { recursive: true });
    if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  }
  let sqlite: Database.Database;
  try {
    sqlite = new Database(memory ? ':memory:' : path);
    sqlite.pragma('busy_timeout = 5000');
    if (!memory) sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    // Reading the schema touches page 1: a file that is not SQLite fails here (SQLITE_NOTADB).
    // Not quick_check: it reads the whole file (20 s at a million papers) on every start.
    sqlite.pragma('schema_version', { simple: true });
  } catch (err) {
    throw new DatabaseOpenError(
      `Cannot open the database at ${path}: it is not a readable SQLite database (${err instanceof Error ? err.message : String(err)}). ` +
        'paperboy will not overwrite it; restore a backup or point DATABASE_PATH elsewhere.',
      { cause: err },
    );
  }
  if (!memory) {
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(path + suffix)) chmodSync(path + suffix, 0o600);
    }
  }
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder });
  return db;
}

export function closeDb(db: Db): void {
  if (db.$client.open) db.$client.close();
}
