import { describe, expect, it } from 'vitest';
import { chatSyntax } from '../../../commands/command-syntax.ts';
import { parseCliArgs } from '../../../src/platforms/console/cli-args.ts';
import { cliSyntax } from '../../../src/platforms/console/cli-syntax.ts';

// A hint in a CLI reply is a command to paste into a shell: it must survive the shell's quoting
// and use the CLI's flags, not the chat's key=value.

/** What a POSIX shell passes for a line of plain words, 'single-quoted' and "double-quoted" parts. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  const re = /'([^']*)'|"([^"]*)"|(\S+)/g;
  let current = '';
  let last = 0;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    if (m.index > last && /\s/.test(line.slice(last, m.index)) && current) {
      words.push(current);
      current = '';
    }
    current += m[1] ?? m[2] ?? m[3] ?? '';
    last = re.lastIndex;
  }
  if (current) words.push(current);
  return words;
}

describe('CLI hints', () => {
  const syntax = cliSyntax({ platform: 'discord', id: '123456789012345678' });

  it('single-quote a query holding a phrase, so the shell hands the phrase over whole', () => {
    const hint = syntax.command('watch', '"state space model" -survey');
    expect(hint).toBe(`paperboy watch add --user 123456789012345678 --platform discord '"state space model" -survey'`);
    expect(shellWords(hint).at(-1)).toBe('"state space model" -survey');
    expect(chatSyntax.command('watch', '"state space model" -survey')).toBe('/papers watch "state space model" -survey');
  });

  it('write key=value options as flags', () => {
    const hint = syntax.command('saved', 'format=bibtex');
    expect(hint).toBe('paperboy saved --user 123456789012345678 --platform discord --format bibtex');
    const args = parseCliArgs(shellWords(hint).slice(2), { user: 'value', platform: 'value', format: 'value' });
    expect(args.flags.format).toBe('bibtex');
  });
});
