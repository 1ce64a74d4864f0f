import { spawnSync } from 'node:child_process';
import { existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedPaper } from '../../src/papers/feed-paper.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { aPaper } from '../support/builders.ts';
import { binPath, runCli } from '../support/run-cli.ts';

// `paperboy backup <file>`: where the copy goes, what it refuses, and that an existing file is
// only ever replaced by a complete copy (temp file in the same directory, then rename).

let dir: string;
let databasePath: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-backup-cli-'));
  databasePath = join(dir, 'data', 'live.db');
  const store = openSqliteStore(databasePath);
  await store.upsertPapers('2026-08-31', [aPaper({ arxivId: '2608.00001', title: 'Kept paper' })], Date.now());
  await store.close();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const backup = (args: string[]) => runCli(['backup', ...args], { env: { DATABASE_PATH: databasePath, LOG_LEVEL: 'warn' }, cwd: dir, timeoutMs: 60_000 });

function papersIn(path: string): number {
  const copy = new Database(path, { readonly: true });
  try {
    return Number(copy.prepare('SELECT count(*) FROM papers').pluck().get());
  } finally {
    copy.close();
  }
}

function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  return lines[0] ?? '';
}

describe('paperboy backup', { timeout: 60_000 }, () => {
  it('refuses, even with --force, the database itself through a symlink, a symlinked directory or a hard link, and its -wal/-shm not created yet', async () => {
    const inode = statSync(databasePath).ino;
    symlinkSync(join(dir, 'data'), join(dir, 'data-link'));
    symlinkSync(databasePath, join(dir, 'alias.db'));
    linkSync(databasePath, join(dir, 'hard.db'));
    // No connection is open: live.db-wal and live.db-shm do not exist; writing them would corrupt the next open.
    for (const target of ['alias.db', 'data-link/live.db', 'hard.db', 'data-link/live.db-wal', 'data-link/live.db-shm', 'data']) {
      const result = await backup([target, '--force']);
      // 2: a target that can never be written over, so the call must change (README, exit codes).
      expect(result.code, `${target}: ${result.stdout}`).toBe(2);
      expect(oneLine(result.stderr)).toMatch(/is the live database/);
    }
    expect(statSync(databasePath).ino).toBe(inode);
    expect(papersIn(databasePath)).toBe(1);
  });

  it('into a directory writes <directory>/<database file name>', async () => {
    const into = join(dir, 'backups');
    mkdirSync(into);
    const result = await backup([into]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(join(into, 'live.db'));
    expect(papersIn(join(into, 'live.db'))).toBe(1);
    // Once there, the same command needs --force, and says which file.
    const again = await backup([into]);
    expect(again.code).toBe(1);
    expect(oneLine(again.stderr)).toContain(`${join(into, 'live.db')} already exists; pass --force to overwrite it`);
    expect((await backup([into, '--force'])).code).toBe(0);
    // No temp file left behind (the -wal/-shm beside it are from opening the copy above).
    expect(readdirSync(into).filter((name) => !/-(wal|shm)$/.test(name))).toEqual(['live.db']);
    expect(papersIn(join(into, 'live.db'))).toBe(1);
  });

  it('shows a file name with a newline escaped, on one line', async () => {
    const result = await backup(['odd\nname.db']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(result.stdout).toContain('odd\\u000aname.db');
    expect(papersIn(join(dir, 'odd\nname.db'))).toBe(1);
  });

  it('into a directory that does not exist says so in one line', async () => {
    for (const target of ['missing/copy.db', 'missing-dir/']) {
      const result = await backup([target]);
      expect(result.code).toBe(1);
      const line = oneLine(result.stderr);
      expect(line).toMatch(/the directory .*missing(-dir)? does not exist/);
      expect(line).not.toContain('ENOENT');
    }
  });

  it('--force replaces an existing file only with a complete copy: a copy that fails leaves the old file as it was', async () => {
    // Big enough that the copy cannot fit under the file-size limit below.
    const bigPath = join(dir, 'big.db');
    const big = openSqliteStore(bigPath);
    const papers: FeedPaper[] = Array.from({ length: 400 }, (_, i) =>
      aPaper({ arxivId: `2608.${String(i + 10).padStart(5, '0')}`, abstract: 'Words about data. '.repeat(200) }),
    );
    await big.upsertPapers('2026-08-31', papers, Date.now());
    await big.close();
    const target = join(dir, 'yesterday.db');
    writeFileSync(target, 'the only other copy of the data');
    // RLIMIT_FSIZE of 256 KiB: writing the copy fails with EFBIG part-way.
    const run = spawnSync('sh', ['-c', 'ulimit -f 512 && exec "$0" "$@"', process.execPath, binPath, 'backup', target, '--force'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', DATABASE_PATH: bigPath, LOG_LEVEL: 'warn' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, run.stdout).toBe(1);
    expect(oneLine(run.stderr)).toContain(`could not write the backup to ${target}`);
    expect(readFileSync(target, 'utf8')).toBe('the only other copy of the data');
    // The partial copy is removed.
    expect(readdirSync(dir).filter((name) => name.includes('.tmp'))).toEqual([]);
  });

  it('refuses, even with --force, a target that is not a regular file (a FIFO, a socket, through a symlink too), in one line, exit 2', async () => {
    const fifo = join(dir, 'fifo1');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    symlinkSync('fifo1', join(dir, 'fifo-link'));
    const socketPath = join(dir, 'sock1');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    try {
      for (const target of ['fifo1', 'fifo-link', 'sock1']) {
        const result = await backup([target, '--force']);
        expect(result.code, `${target}: ${result.stdout}`).toBe(2);
        expect(oneLine(result.stderr)).toMatch(/is not a regular file \((a FIFO|a socket)\)/);
        expect(result.stdout).toBe('');
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(lstatSync(join(dir, 'fifo-link')).isSymbolicLink()).toBe(true);
    expect(readdirSync(dir).filter((name) => name.includes('.tmp'))).toEqual([]);
  });

  it('writes through a symlink like cp: the link stays, the file it points to gets the copy; a dangling link creates its target', async () => {
    writeFileSync(join(dir, 'notes.txt'), 'old notes');
    symlinkSync('notes.txt', join(dir, 'lnk'));
    const without = await backup(['lnk']);
    expect(without.code).toBe(1);
    expect(oneLine(without.stderr)).toContain(`${join(dir, 'notes.txt')} already exists; pass --force`);
    const result = await backup(['lnk', '--force']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(join(dir, 'notes.txt'));
    expect(lstatSync(join(dir, 'lnk')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'lnk'))).toBe('notes.txt');
    expect(papersIn(join(dir, 'notes.txt'))).toBe(1);

    mkdirSync(join(dir, 'later'));
    symlinkSync(join(dir, 'later', 'fresh.db'), join(dir, 'dangling'));
    const fresh = await backup(['dangling']);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(lstatSync(join(dir, 'dangling')).isSymbolicLink()).toBe(true);
    expect(papersIn(join(dir, 'later', 'fresh.db'))).toBe(1);

    symlinkSync('loop-b', join(dir, 'loop-a'));
    symlinkSync('loop-a', join(dir, 'loop-b'));
    const loop = await backup(['loop-a', '--force']);
    expect(loop.code).toBe(2);
    expect(oneLine(loop.stderr)).toMatch(/too many levels of symbolic links/);
  });

  it('refuses, even with --force, another SQLite database with a -wal or -journal holding changes beside it, its -wal itself, or one another process holds locked', async () => {
    // Left by a bot that crashed on other.db, with commits not yet in the file: they would be replayed onto the copy.
    for (const suffix of ['-wal', '-journal']) {
      const other = join(dir, `other${suffix}.db`);
      writeFileSync(other, 'a database');
      writeFileSync(`${other}${suffix}`, 'its log');
      const result = await backup([other, '--force']);
      expect(result.code, `${suffix}: ${result.stdout}`).toBe(2);
      const line = oneLine(result.stderr);
      expect(line).toContain(`${other}${suffix}`);
      expect(line).toMatch(/stop the program using it, or back up to another file/);
      expect(readFileSync(other, 'utf8')).toBe('a database');
    }
    // The companion of another database is refused the same way.
    const companion = await backup([join(dir, 'other-wal.db-wal'), '--force']);
    expect(companion.code).toBe(2);
    expect(oneLine(companion.stderr)).toContain(`is the -wal file of the SQLite database ${join(dir, 'other-wal.db')}`);
    // A rollback-journal database in the middle of a write by another process (this one).
    const locked = join(dir, 'locked.db');
    const db = new Database(locked);
    try {
      db.pragma('journal_mode = DELETE');
      db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
      db.exec('BEGIN IMMEDIATE');
      // The hot journal does not exist until a page is written; the lock alone must be enough.
      expect(existsSync(`${locked}-journal`)).toBe(false);
      const result = await backup([locked, '--force']);
      expect(result.code, result.stdout).toBe(2);
      expect(oneLine(result.stderr)).toMatch(/is an SQLite database in use by another process/);
      db.exec('ROLLBACK');
    } finally {
      db.close();
    }
    const check = new Database(locked, { readonly: true });
    expect(check.prepare('SELECT count(*) FROM t').pluck().get()).toBe(1);
    check.close();
  });
});
