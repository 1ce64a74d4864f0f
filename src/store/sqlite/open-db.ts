import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { DatabaseOpenError, describeFsError, ensureParentDirectory, innermostMessage, statIfReachable } from './db-path.ts';
import { detectForeignDatabase } from './foreign-database.ts';
import * as schema from './schema.ts';
import { registerTitleEnd } from './title-end.ts';

export { DatabaseOpenError } from './db-path.ts';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** Shipped with the package; resolved from this file, never from the working directory. */
export const migrationsFolder = fileURLToPath(new URL('../../../migrations/sqlite', import.meta.url));

/**
 * An empty in-memory database as migrated in this process, serialized: each later ':memory:' open
 * starts from a copy (a few ms) instead of running every migration again (~100 ms). The tests open
 * thousands of them.
 */
let migratedMemory: Buffer | undefined;

/**
 * Opens (creating when missing, mode 0600) the SQLite file, sets WAL + busy_timeout and applies
 * pending migrations. Throws DatabaseOpenError (one line naming DATABASE_PATH) for a path that
 * cannot be created, a directory, a file that is not SQLite, or another application's database;
 * none of those is ever written to.
 */
export function openDb(path: string): Db {
  const memory = path === ':memory:' || path === '';
  if (!memory) prepareFile(path);
  let sqlite: Database.Database;
  try {
    sqlite = new Database(memory ? (migratedMemory ?? ':memory:') : path);
    sqlite.pragma('busy_timeout = 5000');
    // Reading the schema touches page 1: a file that is not SQLite fails here (SQLITE_NOTADB).
    // Not quick_check: it reads the whole file (20 s at a million papers) on every start.
    sqlite.pragma('schema_version', { simple: true });
  } catch (err) {
    throw new DatabaseOpenError(
      `DATABASE_PATH=${path} is not a readable SQLite database (${innermostMessage(err)}); ` +
        'paperboy will not overwrite it: restore a backup or point DATABASE_PATH elsewhere.',
      { cause: err },
    );
  }
  // Before anything writes (even the WAL switch rewrites the header): someone else's file stays as it was.
  // A new in-memory database is empty or a copy of our own migrated one: never someone else's.
  const foreign = memory ? null : detectForeignDatabase(sqlite, migrationsFolder);
  if (foreign) {
    sqlite.close();
    throw new DatabaseOpenError(
      `DATABASE_PATH=${path} is another application's database (${foreign}); paperboy will not write into it: ` +
        'point DATABASE_PATH at a new file, e.g. ./data/paperboy.db.',
    );
  }
  // The title index's triggers call it (title-end.ts): before any write, the migrations included.
  registerTitleEnd(sqlite);
  const db = drizzle(sqlite, { schema });
  let step = 'setting it up';
  try {
    if (!memory) sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    if (!memory) {
      for (const suffix of ['', '-wal', '-shm']) {
        if (existsSync(path + suffix)) chmodSync(path + suffix, 0o600);
      }
    }
    step = 'migrating it';
    if (!memory || migratedMemory === undefined) migrate(db, { migrationsFolder });
    if (memory) migratedMemory ??= sqlite.serialize();
  } catch (err) {
    sqlite.close();
    // Drizzle's own message quotes the whole SQL statement; the cause is what helps.
    throw new DatabaseOpenError(`DATABASE_PATH=${path}: ${step} failed (${innermostMessage(err)}).`, { cause: err });
  }
  return db;
}

export function closeDb(db: Db): void {
  if (db.$client.open) db.$client.close();
}

/** Creates the directories and an empty 0600 file, or says in one line why it cannot. */
function prepareFile(path: string): void {
  const file = resolve(path);
  ensureParentDirectory(file, path);
  const stat = statIfReachable(file, path);
  if (stat?.isDirectory()) {
    throw new DatabaseOpenError(`DATABASE_PATH=${path} is a directory; point it at a file, e.g. ${resolve(file, 'paperboy.db')}.`);
  }
  // SQLite would take /dev/null or a FIFO and fail later with a bare "disk I/O error".
  if (stat && !stat.isFile()) throw new DatabaseOpenError(`DATABASE_PATH=${path} is not a regular file; point it at a file, e.g. ./data/paperboy.db.`);
  if (stat) return;
  try {
    closeSync(openSync(file, 'a', 0o600));
  } catch (err) {
    throw new DatabaseOpenError(`DATABASE_PATH=${path}: cannot create the file ${file} (${describeFsError(err)}).`, { cause: err });
  }
}
