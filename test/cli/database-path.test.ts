import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';

// A DATABASE_PATH that cannot be used stops the CLI and `start` at once with one line on stderr
// naming DATABASE_PATH: never a hang, a stack, raw errno text or a page of SQL.

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-dbpath-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function expectOneLineRefusal(args: string[], databasePath: string) {
  // A hang is killed after 20 s, which fails the exit-code assertion.
  const result = await runCli(args, { env: { DATABASE_PATH: databasePath, LOG_LEVEL: 'warn', CATCH_UP_DAYS: '0' }, cwd: dir, timeoutMs: 20_000 });
  expect(result.signal, 'the command hung and was killed').toBeNull();
  expect(result.code, result.stderr).toBe(1);
  const lines = result.stderr.trim().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toContain('DATABASE_PATH');
  expect(lines[0]).not.toMatch(/^\s+at |CREATE TABLE|Failed to run the query|^paperboy: E[A-Z]+:/);
  return lines[0] ?? '';
}

describe('an unusable DATABASE_PATH', { timeout: 60_000 }, () => {
  it.runIf(process.platform === 'linux')('under /proc fails in one line instead of spinning at 100 % CPU', async () => {
    const line = await expectOneLineRefusal(['today'], '/proc/nope/x.db');
    expect(line).toContain('cannot create the directory /proc/nope');
  });

  it.runIf(process.platform === 'linux')('under /sys (EPERM) fails in one line', async () => {
    expect(await expectOneLineRefusal(['today'], '/sys/nope/x.db')).toContain('operation not permitted');
  });

  it('below a regular file (EEXIST) fails in one line', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    expect(await expectOneLineRefusal(['today'], join(file, 'x.db'))).toContain('is not a directory');
  });

  it('that is a directory fails in one line', async () => {
    expect(await expectOneLineRefusal(['today'], dir)).toContain('is a directory');
  });

  it("that is another application's SQLite file stops `today` and `start` in one line and leaves the file as it was", async () => {
    const path = join(dir, 'shop.sqlite');
    const shop = new Database(path);
    shop.exec("CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT); INSERT INTO orders (item) VALUES ('tea');");
    shop.close();
    const before = readFileSync(path);
    for (const args of [['today'], ['start']]) {
      expect(await expectOneLineRefusal(args, path)).toContain("another application's database");
    }
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});
