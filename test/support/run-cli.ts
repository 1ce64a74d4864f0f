import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { inject } from 'vitest';
import { z } from 'zod';

// Runs the real `paperboy` binary (node bin/paperboy.js) as a child process, with a clean
// environment: only what the test passes, so a developer's tokens never leak into a test.

/**
 * bin/paperboy.js of the current sources compiled for this test run (test/support/compile-bot.ts,
 * the vitest globalSetup), never a dist/ build that may be older than the sources.
 */
export const binPath = compiledBin();

function compiledBin(): string {
  const path = inject('compiledBin');
  if (!path) throw new Error('No compiled bot: run the tests with vitest.config.ts, whose globalSetup compiles it.');
  return path;
}

export type CliResult = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

function cleanEnv(env: Record<string, string>): Record<string, string> {
  // The archive backfill only where a test turns it on: it would fetch years of days from the fake.
  // Every platform at a closed port unless the test passes its fake: a test never reaches the internet.
  const base: Record<string, string> = {
    LOG_LEVEL: 'info',
    BACKFILL_FROM: 'off',
    HF_BASE_URL: 'http://127.0.0.1:9',
    DISCORD_API_URL: 'http://127.0.0.1:9/api',
    SLACK_API_URL: 'http://127.0.0.1:9/api/',
    ARXIV_RSS_URL: 'http://127.0.0.1:9/rss/',
    ARXIV_API_URL: 'http://127.0.0.1:9/api/query',
  };
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'SYSTEMROOT']) {
    const value = process.env[key];
    if (value !== undefined) base[key] = value;
  }
  return { ...base, ...env };
}

export function spawnCli(args: string[], options: { env: Record<string, string>; cwd: string }): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [binPath, ...args], { env: cleanEnv(options.env), cwd: options.cwd, stdio: 'pipe' });
}

/** Runs to completion (killed after `timeoutMs`, which then fails the caller's assertions). */
export function runCli(args: string[], options: { env: Record<string, string>; cwd: string; timeoutMs?: number }): Promise<CliResult> {
  const child = spawnCli(args, options);
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** A long-running child (`start`): its output so far, waiting for a line, and its exit. */
export function startCliProcess(args: string[], options: { env: Record<string, string>; cwd: string }) {
  const child = spawnCli(args, options);
  let stdout = '';
  let stderr = '';
  const waiters: Array<() => void> = [];
  const onData = () => waiters.splice(0).forEach((wake) => wake());
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    onData();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
    onData();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    /** Resolves once stdout matches `pattern`; rejects after `timeoutMs` with the output so far. */
    async waitForOutput(pattern: RegExp, timeoutMs = 20_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(stdout)) {
        if (Date.now() > deadline) throw new Error(`no ${String(pattern)} within ${timeoutMs} ms.\nstdout:\n${stdout}\nstderr:\n${stderr}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
  };
}

const LogLine = z.record(z.string(), z.unknown());

/** The JSON log lines (pino) a child printed. */
export function logLines(output: string): Array<Record<string, unknown>> {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .flatMap((line) => {
      try {
        const parsed = LogLine.safeParse(JSON.parse(line));
        return parsed.success ? [parsed.data] : [];
      } catch {
        return [];
      }
    });
}
