import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';

// After `--` every word is query text: `paperboy search -- E=mc2` searches for it instead of taking
// it for a mistyped option, and `search -- --limit` (an option's name, searched for) is told how to
// search for that text, not shown an example that would read `--limit` as an option again.

let dir: string;
let env: Record<string, string>;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-double-dash-'));
  env = { DATABASE_PATH: join(dir, 'paperboy.db'), LOG_LEVEL: 'warn' };
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('paperboy search -- <text>', { timeout: 120_000 }, () => {
  it('takes key=value after -- as text, and offers a dashed word quoted', async () => {
    const text = await runCli(['search', '--', 'E=mc2', 'limit=3'], { env, cwd: dir, timeoutMs: 60_000 });
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Search: E=mc2 limit=3 (0 papers of 0 searched)');

    const before = await runCli(['search', 'limit=3', '--', 'x'], { env, cwd: dir, timeoutMs: 60_000 });
    expect(before.code).toBe(2);
    expect(before.stderr).toContain('Unknown option `limit` for search');

    const dashed = await runCli(['search', '--', '--limit'], { env, cwd: dir, timeoutMs: 60_000 });
    expect(dashed.code).toBe(2);
    expect(dashed.stderr).toBe(
      "paperboy: `--limit` reads as leaving out limit (a leading - excludes a word), which leaves nothing to search for. To search for the text itself, quote it: '\"--limit\"'.\n",
    );
  });
});
