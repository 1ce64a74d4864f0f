import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';

// `paperboy watch … --json` tells a script each watch's artifacts setting, and `watch add
// --artifacts no` of a watch one has already (which changes its setting) prints that watch, not null.
// `watch remove` takes the words that added the watch, `artifacts:no` among them.

let dir: string;
let env: Record<string, string>;
const cli = (args: string[]) => runCli(args, { env, cwd: dir, timeoutMs: 60_000 });
const json = async (args: string[]): Promise<unknown> => {
  const result = await cli([...args, '--json']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-watch-artifacts-'));
  env = { DATABASE_PATH: join(dir, 'paperboy.db'), LOG_LEVEL: 'warn' };
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('paperboy watch --json and artifacts', { timeout: 120_000 }, () => {
  it('prints artifacts in every record, and the watch whose setting changed', async () => {
    const since = new Date().toISOString().slice(0, 10);
    expect(await json(['watch', 'add', '--user', 'carl', 'gan'])).toEqual({ number: 1, query: 'gan', since, artifacts: true });
    expect(await json(['watch', 'add', '--user', 'carl', 'diffusion', 'artifacts:no'])).toEqual({ number: 2, query: 'diffusion', since, artifacts: false });
    expect(await json(['watch', 'add', '--user', 'carl', '--artifacts', 'no', 'GAN'])).toEqual({ number: 1, query: 'gan', since, artifacts: false });
    expect(await json(['watch', 'list', '--user', 'carl'])).toEqual([
      { number: 1, query: 'gan', since, artifacts: false },
      { number: 2, query: 'diffusion', since, artifacts: false },
    ]);
    // The words that added a watch remove it: `artifacts:no` is its option, not its query.
    expect(await json(['watch', 'remove', '--user', 'carl', 'diffusion', 'artifacts:no'])).toEqual({ number: 2, query: 'diffusion', since, artifacts: false });
  });
});
