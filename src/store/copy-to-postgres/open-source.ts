import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { DatabaseOpenError, describeFsError, innermostMessage } from '../sqlite/db-path.ts';
import { detectForeignDatabase } from '../sqlite/foreign-database.ts';
import { migrationsFolder } from '../sqlite/open-db.ts';

// The SQLite install `migrate-to-postgres --from` copies. Opened read-only and never created or
// migrated: a file that is not this version's paperboy database is refused in one line that says
// what to do, before anything is written anywhere.

const Journal = z.object({ entries: z.array(z.object({ when: z.number() }).loose()).min(1) }).loose();
const LastMigration = z.object({ created_at: z.coerce.number(), applied: z.coerce.number() });

export function openCopySource(path: string): Database.Database {
  let stat;
  try {
    stat = statSync(path, { throwIfNoEntry: false });
  } catch (err) {
    throw new DatabaseOpenError(`--from ${path}: cannot reach it (${describeFsError(err)}).`, { cause: err });
  }
  if (!stat) throw new DatabaseOpenError(`--from ${path}: no such file; give the SQLite database of the install to copy (DATABASE_PATH, e.g. ./data/paperboy.db).`);
  if (stat.isDirectory()) throw new DatabaseOpenError(`--from ${path} is a directory; give the database file, e.g. ${join(path, 'paperboy.db')}.`);
  if (!stat.isFile()) throw new DatabaseOpenError(`--from ${path} is not a regular file; give the SQLite database file, e.g. ./data/paperboy.db.`);
  let sqlite: Database.Database;
  try {
    sqlite = new Database(path, { readonly: true, fileMustExist: true });
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('schema_version', { simple: true });
  } catch (err) {
    throw new DatabaseOpenError(`--from ${path} is not a readable SQLite database (${innermostMessage(err)}).`, { cause: err });
  }
  try {
    const problem = sourceProblem(sqlite);
    if (problem) throw new DatabaseOpenError(`--from ${path} ${problem}`);
  } catch (err) {
    sqlite.close();
    throw err;
  }
  return sqlite;
}

/** Why this database cannot be copied as it is, or null when it is this version's paperboy database. */
function sourceProblem(sqlite: Database.Database): string | null {
  const foreign = detectForeignDatabase(sqlite, migrationsFolder);
  if (foreign) return `is not a paperboy database (${foreign}); nothing was copied.`;
  const hasMigrations = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get() !== undefined;
  const last = hasMigrations
    ? LastMigration.safeParse(sqlite.prepare('SELECT created_at, (SELECT count(*) FROM __drizzle_migrations) AS applied FROM __drizzle_migrations ORDER BY created_at DESC LIMIT 1').get())
    : undefined;
  if (!last?.success) return 'is an empty database (no paperboy tables): there is nothing to copy.';
  const journal = Journal.parse(JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')));
  const latest = journal.entries.at(-1)?.when ?? 0;
  if (last.data.created_at > latest) {
    return 'was written by a newer paperboy (its schema is ahead of this version): run migrate-to-postgres from that version.';
  }
  if (last.data.created_at < latest) {
    const at = journal.entries.findIndex((entry) => entry.when === last.data.created_at) + 1;
    return (
      `was written by an older paperboy (schema ${at || last.data.applied} of ${journal.entries.length}): upgrade it first by opening it once ` +
      'with this version on SQLite (stop the bot, then run e.g. `DATABASE_URL= DATABASE_PATH=<that file> paperboy today`), ' +
      'then run migrate-to-postgres again.'
    );
  }
  return null;
}
