import { describe, expect, it } from 'vitest';
import { parseCliArgs, UsageError } from '../../src/platforms/console/cli-args.ts';

const spec = { limit: 'value', json: 'boolean' } as const;

describe('parseCliArgs', () => {
  it('keeps query words that start with a single dash as positionals', () => {
    expect(parseCliArgs(['diffusion', '-survey', '--limit', '5', '--json'], spec)).toEqual({
      positionals: ['diffusion', '-survey'],
      flags: { limit: '5', json: true },
      literal: 0,
    });
  });

  it('reads --flag=value and stops at --, counting the words after it as text', () => {
    expect(parseCliArgs(['--limit=3', 'a', '--', '--json', 'x'], spec)).toEqual({ positionals: ['a', '--json', 'x'], flags: { limit: '3' }, literal: 2 });
  });

  it.each([
    [['--nope'], /unknown option --nope/],
    [['--limit'], /--limit needs a value/],
    [['--limit', '--json'], /--limit needs a value/],
    [['--json=yes'], /takes no value/],
    [['--limit', '1', '--limit', '2'], /given twice/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCliArgs(argv, spec)).toThrow(UsageError);
    expect(() => parseCliArgs(argv, spec)).toThrow(message);
  });
});
