import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saved } from '../../commands/saved.ts';
import { cliSyntax } from '../../src/platforms/console/cli-syntax.ts';
import { runCli } from '../support/run-cli.ts';

// `paperboy saved` as a careless user types it: a BibTeX export of an empty list redirected into a
// file must leave the file empty (the note goes to stderr); its usage offers only flags it takes.

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
    // The shell has no Save button to press: it says where saving happens instead.
    expect(bib.stderr).toContain('Save button under a card on Discord or Slack');
    expect(bib.stderr).not.toContain('Press Save');
    const json = await cli(['saved', '--user', 'bob', '--format', 'bibtex', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({ bibtex: '' });
  });
});

describe('the usage paperboy saved prints after a bad value', () => {
  it('offers only flags the CLI takes (no --limit: it prints the whole list)', () => {
    const syntax = cliSyntax({ platform: 'console', id: 'bob' });
    expect(syntax.usage(saved)).toBe('paperboy saved --user bob [--format list|bibtex] [--json]');
    expect(syntax.optionList(saved)).toEqual(['--format list|bibtex', '--json']);
  });
});
