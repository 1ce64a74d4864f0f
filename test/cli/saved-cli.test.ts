import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';

// `paperboy saved` as a careless user types it: a BibTeX export of an empty list redirected into a
// file must leave the file empty (the note goes to stderr).

let dir: string;
let env: Record<string, string>;
const cli = (args: string[]) => runCli(args, { env, cwd: dir, timeoutMs: 60_000 });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-saved-cli-'));
  env = { DATABASE_PATH: join(dir, 'paperboy.db'), LOG_LEVEL: 'warn' };
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('paperboy saved', { timeout: 120_000 }, () => {
  it('--format bibtex of an empty list prints nothing on stdout (`> papers.bib` stays a BibTeX file) and says why on stderr', async () => {
    const bib = await cli(['saved', '--user', 'bob', '--format', 'bibtex']);
    expect(bib.code).toBe(0);
    expect(bib.stdout).toBe('');
    expect(bib.stderr).toMatch(/^paperboy: Your reading list is empty\./);
    const json = await cli(['saved', '--user', 'bob', '--format', 'bibtex', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({ bibtex: '' });
  });
});
