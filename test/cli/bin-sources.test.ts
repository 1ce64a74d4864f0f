import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The other CLI tests run a copy of bin/paperboy.js on the sources compiled for the test run (its
// dist/ branch, as `npm start` runs it). This one runs the repository's own bin/paperboy.js with
// PAPERBOY_SOURCES=1, the branch that loads the TypeScript sources through tsx, with no build.

const repoBin = fileURLToPath(new URL('../../bin/paperboy.js', import.meta.url));

describe('bin/paperboy.js with PAPERBOY_SOURCES=1', () => {
  it('runs the TypeScript sources through tsx', () => {
    const result = spawnSync(process.execPath, [repoBin, 'help'], {
      env: { PATH: process.env.PATH ?? '', PAPERBOY_SOURCES: '1' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: paperboy <command>/);
  }, 90_000);
});
