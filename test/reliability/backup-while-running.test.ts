import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedPaper } from '../../src/papers/feed-paper.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { aPaper } from '../support/builders.ts';
import { runCli } from '../support/run-cli.ts';
import { sleep, until } from '../support/wait.ts';

// `paperboy backup <file>` (SQLite's online backup API) while another connection keeps writing:
// the command finishes, and the copy opens, passes SQLite's and FTS5's integrity checks, and
// holds everything that was committed before it started.

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-backup-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function bulky(i: number): FeedPaper {
  return aPaper({ arxivId: `2605.${String(i).padStart(5, '0')}`, title: `Backed up paper ${i} on diffusion`, abstract: `Abstract ${i}. ${'Words about models and data. '.repeat(40)}` });
}

function countIn(db: Database.Database, sql: string): number {
  return Number(db.prepare(sql).pluck().get());
}

describe('paperboy backup while the database is being written', () => {
  it('finishes, and the copy opens with every paper committed before it started', async () => {
    const databasePath = join(dir, 'live.db');
    const backupPath = join(dir, 'copy.db');
    const store = openSqliteStore(databasePath);
    // Several MB, so the copy takes many backup steps and the writer gets in between them.
    const seeded = 4_000;
    for (let start = 0; start < seeded; start += 500) {
      await store.upsertPapers('2026-08-31', Array.from({ length: 500 }, (_, i) => bulky(start + i)), Date.now());
    }
    const pages = Number(store.db.$client.pragma('page_count', { simple: true }));
    expect(pages).toBeGreaterThan(1_000);

    // From here on, what the writer commits stays in the WAL file (as it may in a running bot
    // between checkpoints): a copy that read only the main file would miss it.
    store.db.$client.pragma('wal_checkpoint(TRUNCATE)');
    store.db.$client.pragma('wal_autocheckpoint = 0');

    // The other connection: one new paper every few ms, each with its FTS rows, until the backup ends.
    let written = 0;
    let writing = true;
    const writer = (async () => {
      while (writing) {
        await store.upsertPapers('2026-09-01', [bulky(seeded + written)], Date.now());
        written += 1;
        await sleep(3);
      }
    })();
    // Let the writer get going first.
    await until(() => written >= 20, 'the writer to commit 20 papers', { stepMs: 5 });
    const writtenBefore = written;

    const result = await runCli(['backup', backupPath], { env: { DATABASE_PATH: databasePath, LOG_LEVEL: 'warn' }, cwd: dir, timeoutMs: 60_000 });
    const writtenAfter = written;
    writing = false;
    await writer;

    expect(result.code, `${result.stderr}\n${result.stdout}`).toBe(0);
    expect(result.stdout).toContain('Backed up the database');
    expect(writtenAfter).toBeGreaterThan(writtenBefore);
    expect(existsSync(backupPath)).toBe(true);

    const copy = new Database(backupPath, { readonly: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      const papers = countIn(copy, 'SELECT count(*) FROM papers');
      // Everything committed before the backup started is there; at most what was written until it ended.
      expect(papers).toBeGreaterThanOrEqual(seeded + writtenBefore);
      expect(papers).toBeLessThanOrEqual(seeded + writtenAfter);
      expect(countIn(copy, 'SELECT count(*) FROM paper_days')).toBe(papers);
      // The full-text index is consistent with its content table.
      expect(countIn(copy, "SELECT count(*) FROM papers_fts WHERE papers_fts MATCH 'diffusion'")).toBe(papers);
    } finally {
      copy.close();
    }
    // Writable, the copy passes FTS5's own integrity check and migrates as a no-op (it is a real paperboy database).
    const reopened = openSqliteStore(backupPath);
    try {
      expect(() => reopened.db.$client.exec("INSERT INTO papers_fts(papers_fts, rank) VALUES('integrity-check', 1)")).not.toThrow();
    } finally {
      await reopened.close();
    }
    await store.close();
  }, 120_000);

  it('the copy is private to its owner (0600), like the database it copies', async () => {
    const databasePath = join(dir, 'private.db');
    await openSqliteStore(databasePath).close();
    const target = join(dir, 'private-copy.db');
    const result = await runCli(['backup', target], { env: { DATABASE_PATH: databasePath, LOG_LEVEL: 'warn' }, cwd: dir, timeoutMs: 60_000 });
    expect(result.code, result.stderr).toBe(0);
    expect((statSync(databasePath).mode & 0o777).toString(8)).toBe('600');
    // The copy holds the same watches and user ids: it must not be readable by other users.
    expect((statSync(target).mode & 0o777).toString(8)).toBe('600');
  }, 60_000);

  it('refuses to overwrite an existing file without --force', async () => {
    const databasePath = join(dir, 'small.db');
    await openSqliteStore(databasePath).close();
    const target = join(dir, 'exists.db');
    await openSqliteStore(target).close();
    const result = await runCli(['backup', target], { env: { DATABASE_PATH: databasePath, LOG_LEVEL: 'warn' }, cwd: dir, timeoutMs: 60_000 });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--force');
  }, 60_000);

  it('refuses to back up onto the live database or its -wal/-shm, even with --force, while a writer keeps going and loses nothing', async () => {
    const databasePath = join(dir, 'running.db');
    const store = openSqliteStore(databasePath);
    const inode = statSync(databasePath).ino;
    let written = 0;
    let writing = true;
    const writer = (async () => {
      while (writing) {
        await store.upsertPapers('2026-09-01', [bulky(written)], Date.now());
        written += 1;
        await sleep(3);
      }
    })();
    await until(() => written >= 5, 'the writer to commit 5 papers', { stepMs: 5 });
    // The writer's connection has the -wal and -shm open.
    expect(existsSync(`${databasePath}-wal`) && existsSync(`${databasePath}-shm`)).toBe(true);
    for (const target of [databasePath, `${databasePath}-wal`, `${databasePath}-shm`]) {
      const result = await runCli(['backup', target, '--force'], { env: { DATABASE_PATH: databasePath, LOG_LEVEL: 'warn' }, cwd: dir, timeoutMs: 60_000 });
      expect(result.code, `${target}: ${result.stdout}`).toBe(2);
      expect(result.stderr).toContain('is the live database');
    }
    const before = written;
    await until(() => written >= before + 5, 'the writer to commit 5 more papers', { stepMs: 5 });
    writing = false;
    await writer;
    expect(statSync(databasePath).ino).toBe(inode);
    await store.close();
    // Every paper the writer committed, before and after the refused backups, is in the file.
    const reopened = new Database(databasePath, { readonly: true });
    try {
      expect(countIn(reopened, 'SELECT count(*) FROM papers')).toBe(written);
    } finally {
      reopened.close();
    }
  }, 60_000);

  it('refuses, even with --force, to back up onto another running bot\'s database, which keeps all its writes', async () => {
    const databasePath = join(dir, 'source.db');
    await openSqliteStore(databasePath).close();
    // The other bot: its own database, written all along.
    const otherPath = join(dir, 'b.db');
    const other = openSqliteStore(otherPath);
    const inode = statSync(otherPath).ino;
    let written = 0;
    let writing = true;
    const writer = (async () => {
      while (writing) {
        await other.upsertPapers('2026-09-01', [bulky(written)], Date.now());
        written += 1;
        await sleep(3);
      }
    })();
    await until(() => written >= 5, 'the writer to commit 5 papers', { stepMs: 5 });
    const result = await runCli(['backup', otherPath, '--force'], { env: { DATABASE_PATH: databasePath, LOG_LEVEL: 'warn' }, cwd: dir, timeoutMs: 60_000 });
    const before = written;
    await until(() => written >= before + 5, 'the writer to commit 5 more papers', { stepMs: 5 });
    writing = false;
    await writer;
    expect(result.code, result.stdout).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`${otherPath} is an SQLite database in use by another process`);
    expect(result.stderr).toMatch(/stop the program using it, or back up to another file/);
    expect(statSync(otherPath).ino).toBe(inode);
    await other.close();
    const reopened = new Database(otherPath, { readonly: true });
    try {
      expect(reopened.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(countIn(reopened, 'SELECT count(*) FROM papers')).toBe(written);
    } finally {
      reopened.close();
    }
  }, 60_000);
});
