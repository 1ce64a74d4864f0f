import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';

// Every CLI command refuses a word it does not take as a usage error (exit 2, one line), before it
// does anything: `register-commands extra` must not register, `invite-url extra` must not print.

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-stray-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

// Discord at a closed port: nothing may reach it in these tests.
const env = {
  DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'paperboy-stray-db-')), 'paperboy.db'),
  LOG_LEVEL: 'warn',
  DISCORD_TOKEN: 'abc.def.ghi',
  DISCORD_APPLICATION_ID: '123456789012345678',
  DISCORD_API_URL: 'http://127.0.0.1:9/api',
};

describe('stray arguments', { timeout: 120_000 }, () => {
  it.each([
    [['register-commands', 'extra'], /register-commands takes no arguments \(got extra\)/],
    [['register-commands', '--guild', '123456789012345678', 'extra'], /register-commands takes no arguments \(got extra\)/],
    [['invite-url', 'extra'], /invite-url takes no arguments \(got extra\)/],
    [['help', 'search', 'extra'], /help takes at most one command/],
    [['help', 'nope'], /unknown command "nope"/],
    [['start', 'extra'], /start takes no arguments/],
    [['today', 'foo'], /today takes no arguments/],
    [['ingest', 'foo'], /ingest takes no arguments/],
    [['paper', '2410.17243', 'extra'], /paper needs exactly one/],
    [['digest', 'preview', '2026-08-31', 'extra'], /digest supports/],
    [['watch', 'list', '--user', 'alice', 'extra'], /watch list takes no arguments/],
    [['backup', 'a.db', 'extra'], /backup needs one target file/],
  ])('%j is a usage error', async (args, message) => {
    const result = await runCli(args, { env, cwd: dir, timeoutMs: 60_000 });
    expect(result.code, result.stdout).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('help <command> prints that command\'s usage', async () => {
    const result = await runCli(['help', 'backup'], { env, cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('Usage: paperboy backup <file or directory> [--force]\n    copy the database safely, even while the bot runs\n');
  });
});
