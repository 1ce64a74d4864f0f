import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';

// `paperboy today` takes `--sort rising`: its usage says so, wherever it is printed.

let dir: string;
let env: Record<string, string>;
const cli = (args: string[]) => runCli(args, { env, cwd: dir, timeoutMs: 60_000 });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-today-usage-'));
  env = { DATABASE_PATH: join(dir, 'paperboy.db'), LOG_LEVEL: 'warn' };
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('paperboy today usage', { timeout: 120_000 }, () => {
  it('names --sort rising in help and after a bad --limit, as after a bad --sort', async () => {
    const usage = 'paperboy today [--limit N] [--sort upvotes|new|rising] [--source hf|arxiv] [--json]';
    expect((await cli(['help', 'today'])).stdout).toContain(usage.replace('paperboy ', ''));
    expect((await cli(['today', '--limit', '0'])).stderr).toContain(`Usage: ${usage}`);
    expect((await cli(['today', '--sort', 'best'])).stderr).toContain(`Usage: ${usage}`);
  });
});
