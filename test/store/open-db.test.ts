import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closeDb, DatabaseOpenError, openDb } from '../../src/store/open-db.ts';

const dirs: string[] = [];
function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-open-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('openDb', () => {
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
});
