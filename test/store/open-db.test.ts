import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { closeDb, DatabaseOpenError, openDb } from '../../src/store/sqlite/open-db.ts';

const dirs: string[] = [];
function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-open-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('openDb (SQLite only: the database file)', () => {
  it('creates the data directory and a 0600 file in WAL mode with every table', () => {
    const path = join(tempDir(), 'nested', 'dir', 'paperboy.db');
    const db = openDb(path);
    expect(existsSync(path)).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(Number(db.$client.pragma('busy_timeout', { simple: true }))).toBeGreaterThan(0);
    const tables = db.$client
      .prepare("SELECT name FROM sqlite_master WHERE type IN ('table','trigger')")
      .all()
      .map((row) => (row as { name: string }).name);
    for (const name of ['papers', 'papers_fts', 'papers_fts_ai', 'paper_days', 'watches', 'deliveries', 'channel_digests', 'ingest_runs']) {
      expect(tables).toContain(name);
    }
    closeDb(db);
  });

  it('is idempotent: reopening applies nothing twice and keeps data', () => {
    const path = join(tempDir(), 'paperboy.db');
    const first = openDb(path);
    first.$client.prepare("INSERT INTO meta (key, value, updated_at) VALUES ('k', 'v', 0)").run();
    const migrations = first.$client.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get();
    closeDb(first);
    const second = openDb(path);
    expect(second.$client.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get()).toEqual(migrations);
    expect(second.$client.prepare("SELECT value FROM meta WHERE key = 'k'").get()).toEqual({ value: 'v' });
    closeDb(second);
  });

  it('refuses a file that is not SQLite and leaves it untouched', () => {
    const path = join(tempDir(), 'paperboy.db');
    const garbage = 'this is not a database, it is a shopping list\n'.repeat(200);
    writeFileSync(path, garbage);
    expect(() => openDb(path)).toThrow(DatabaseOpenError);
    expect(() => openDb(path)).toThrow(/will not overwrite/);
    expect(statSync(path).size).toBe(Buffer.byteLength(garbage));
  });

  it('keeps the FTS index in sync through the triggers', () => {
    const db = openDb(':memory:');
    const insert = db.$client.prepare(
      "INSERT INTO papers (arxiv_id, title, abstract, authors, latest_feed_date, first_seen_at, updated_at) VALUES (?, ?, ?, ?, '2026-09-01', 0, 0)",
    );
    const { lastInsertRowid } = insert.run('2609.00001', 'Rigorous bounds for transformers', 'We prove things.', '["Jane Doe"]');
    const find = (q: string) => db.$client.prepare('SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?').all(q).length;
    expect(find('rigor')).toBe(1);
    expect(find('"jane doe"')).toBe(1);
    db.$client.prepare('UPDATE papers SET title = ? WHERE id = ?').run('Loose bounds for transformers', lastInsertRowid);
    expect(find('rigor')).toBe(0);
    expect(find('loose')).toBe(1);
    db.$client.prepare('UPDATE papers SET upvotes = 99 WHERE id = ?').run(lastInsertRowid);
    expect(find('loose')).toBe(1);
    db.$client.prepare('DELETE FROM papers WHERE id = ?').run(lastInsertRowid);
    expect(find('loose')).toBe(0);
  });

  it('refuses a foreign SQLite database before migrating, in one line naming DATABASE_PATH, and writes nothing into it', () => {
    const path = join(tempDir(), 'shop.db');
    const shop = new Database(path);
    shop.exec("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('Ada'), ('Grace');");
    shop.exec('CREATE TABLE papers (id INTEGER PRIMARY KEY, sku TEXT)');
    shop.close();
    const before = readFileSync(path);
    let error: unknown;
    try {
      openDb(path);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DatabaseOpenError);
    const message = error instanceof Error ? error.message : '';
    expect(message).toContain('DATABASE_PATH');
    expect(message).toContain('customers');
    expect(message).not.toContain('\n');
    expect(message).not.toMatch(/CREATE TABLE|Failed to run the query/);
    // Not a byte written: no migration table, no WAL switch in the header.
    expect(readFileSync(path).equals(before)).toBe(true);
    const after = new Database(path, { readonly: true });
    expect(after.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all()).toEqual(['customers', 'papers']);
    after.close();
  });

  it('refuses a database with another application\'s drizzle migrations, or one an earlier version left a stray empty migration table in', () => {
    const other = join(tempDir(), 'other-drizzle.db');
    const otherDb = new Database(other);
    otherDb.exec('CREATE TABLE __drizzle_migrations (id INTEGER PRIMARY KEY, hash text NOT NULL, created_at numeric)');
    otherDb.exec("INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('abc', 1600000000000); CREATE TABLE invoices (id INTEGER PRIMARY KEY)");
    otherDb.close();
    expect(() => openDb(other)).toThrow(/DATABASE_PATH.*another application/);

    const stray = join(tempDir(), 'stray.db');
    const strayDb = new Database(stray);
    strayDb.exec('CREATE TABLE __drizzle_migrations (id INTEGER PRIMARY KEY, hash text NOT NULL, created_at numeric); CREATE TABLE notes (body TEXT)');
    strayDb.close();
    const before = readFileSync(stray);
    expect(() => openDb(stray)).toThrow(/DATABASE_PATH.*notes/);
    expect(readFileSync(stray).equals(before)).toBe(true);
  });

  it('migrates an empty SQLite file (no tables yet)', () => {
    const path = join(tempDir(), 'empty.db');
    const empty = new Database(path);
    empty.pragma('user_version = 0');
    empty.exec('VACUUM');
    empty.close();
    const db = openDb(path);
    expect(db.$client.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'papers'").pluck().get()).toBe(1);
    closeDb(db);
  });

  it('refuses a directory as DATABASE_PATH in one line', () => {
    const dir = tempDir();
    expect(() => openDb(dir)).toThrow(DatabaseOpenError);
    expect(() => openDb(dir)).toThrow(/DATABASE_PATH.* is a directory/);
  });

  it('refuses a path below a regular file (EEXIST/ENOTDIR), naming DATABASE_PATH', () => {
    const file = join(tempDir(), 'notes.txt');
    writeFileSync(file, 'x');
    expect(() => openDb(join(file, 'sub', 'paperboy.db'))).toThrow(DatabaseOpenError);
    expect(() => openDb(join(file, 'sub', 'paperboy.db'))).toThrow(/DATABASE_PATH.*notes\.txt is not a directory/);
    expect(() => openDb(join(file, 'paperboy.db'))).toThrow(/DATABASE_PATH.*notes\.txt is not a directory/);
  });

  it.runIf(process.platform === 'linux')('refuses directories that cannot be created (/proc, /sys) at once, naming DATABASE_PATH', () => {
    // A recursive mkdir under /proc used to spin forever (Node retries ENOENT there).
    expect(() => openDb('/proc/nope/x.db')).toThrow(/DATABASE_PATH.*cannot create the directory \/proc\/nope/);
    expect(() => openDb('/sys/nope/deeper/x.db')).toThrow(/DATABASE_PATH.*cannot create the directory \/sys\/nope/);
    expect(() => openDb('/sys/x.db')).toThrow(/DATABASE_PATH.*cannot create the file \/sys\/x\.db/);
  });

  it.runIf(process.platform === 'linux')('refuses a device such as /dev/null in one line instead of a bare "disk I/O error"', () => {
    expect(() => openDb('/dev/null')).toThrow(/DATABASE_PATH=\/dev\/null is not a regular file/);
  });

  it('explains a symlink loop and a symlinked directory whose target is gone, naming DATABASE_PATH', () => {
    const dir = tempDir();
    symlinkSync(join(dir, 'loop'), join(dir, 'loop'));
    symlinkSync(join(dir, 'gone'), join(dir, 'dangling'));
    expect(() => openDb(join(dir, 'loop'))).toThrow(/DATABASE_PATH.*too many levels of symbolic links/);
    expect(() => openDb(join(dir, 'loop', 'x.db'))).toThrow(/DATABASE_PATH.*too many levels of symbolic links/);
    expect(() => openDb(join(dir, 'dangling', 'x.db'))).toThrow(/DATABASE_PATH.*dangling is a symbolic link to .*gone, which does not exist/);
  });

  it('creates nested directories that do not exist yet', () => {
    const base = tempDir();
    mkdirSync(join(base, 'a'));
    const db = openDb(join(base, 'a', 'b', 'c', 'x.db'));
    expect(existsSync(join(base, 'a', 'b', 'c', 'x.db'))).toBe(true);
    closeDb(db);
  });
});
