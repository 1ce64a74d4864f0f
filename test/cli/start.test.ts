import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { hfItems, startFakeHf, type FakeHf } from '../support/fake-hf.ts';
import { createServer } from 'node:net';
import { logLines, runCli, startCliProcess } from '../support/run-cli.ts';

// `npm start` with no tokens: console mode, catch-up ingest on start-up, clean SIGTERM.

let hf: FakeHf | undefined;
let dir: string | undefined;
let running: ReturnType<typeof startCliProcess> | undefined;

afterEach(async () => {
  // A test that failed before its SIGTERM must not leave the bot running after the suite.
  if (running && running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGKILL');
  running = undefined;
  await hf?.close();
  hf = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('paperboy start', () => {
  it('starts the console platform, ingests on start-up and exits 0 on SIGTERM', async () => {
    const today = new Date().toISOString().slice(0, 10);
    hf = await startFakeHf({ [today]: hfItems(3, '2609') });
    dir = mkdtempSync(join(tmpdir(), 'paperboy-start-'));
    const databasePath = join(dir, 'data', 'paperboy.db');
    const bot = startCliProcess(['start'], {
      cwd: dir,
      // A cron that will not fire during the test: only the start-up catch-up ingests.
      env: { DATABASE_PATH: databasePath, HF_BASE_URL: hf.url, INGEST_CRON: '0 0 1 1 *', LOG_LEVEL: 'info' },
    });
    running = bot;
    await bot.waitForOutput(/"msg":"paperboy ready"/);
    await bot.waitForOutput(/"msg":"ingested feed day".*"status":"ok"|"status":"ok".*"msg":"ingested feed day"/);
    const ready = logLines(bot.stdout()).find((line) => line.msg === 'paperboy ready');
    expect(ready).toMatchObject({ platforms: ['console'] });
    expect(hf.requestsFor(today).length).toBeGreaterThan(0);

    const db = new Database(databasePath, { readonly: true });
    expect(db.prepare('SELECT count(*) FROM papers').pluck().get()).toBe(3);
    db.close();

    bot.child.kill('SIGTERM');
    const hardLimit = new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 10_000).unref());
    const exit = await Promise.race([bot.exited, hardLimit]);
    if (exit === 'hung') bot.child.kill('SIGKILL');
    expect(exit).toEqual({ code: 0, signal: null });
    // Nothing was configured to post: no digest or alert on stdout, only log lines.
    expect(bot.stdout()).not.toMatch(/Digest for|Alert for/);
    expect(bot.stdout().split('\n').filter((line) => line.trim() !== '' && !line.startsWith('{'))).toEqual([]);
    expect(logLines(bot.stdout()).some((line) => line.msg === 'stopped')).toBe(true);
    expect(bot.stderr()).toBe('');
  }, 60_000);

  it('a HEALTH_PORT already in use stops start-up in one line naming it, exit 1, no stack', async () => {
    dir = mkdtempSync(join(tmpdir(), 'paperboy-start-'));
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '0.0.0.0', resolve));
    const address = taken.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const result = await runCli(['start'], { cwd: dir, env: { DATABASE_PATH: join(dir, 'paperboy.db'), HEALTH_PORT: String(port), LOG_LEVEL: 'warn', CATCH_UP_DAYS: '0' }, timeoutMs: 20_000 });
      expect(result.signal, 'start hung').toBeNull();
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n')).toEqual([
        `paperboy: could not start: HEALTH_PORT=${port} is already in use (another paperboy replica, or another program?): choose another port for each replica on one machine.`,
      ]);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  }, 60_000);
});
