import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { autocomplete, dispatchCommand } from '../../commands/dispatch.ts';
import { commands } from '../../commands/index.ts';
import { optionSpecs } from '../../commands/option-specs.ts';
import { parseCommandText } from '../../commands/parse-command-text.ts';
import { MessageSchema } from '../../src/messages/message.ts';
import { aPaper } from '../support/builders.ts';
import { alice, commandDeps, general, seed } from './harness.ts';

// Hostile text in every string option: FTS syntax, SQL, quotes, control characters, huge
// values, lone surrogates. The dispatcher must answer every one with a valid Message.
const hostile = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '"',
    '""',
    'NEAR(',
    'a AND',
    'OR',
    'title:x',
    '-',
    '*',
    "'; DROP TABLE papers; --",
    'author:"',
    'since:9999-99-99',
    'min:-1',
    'min:99999999999999999999',
    '\u0000',
    '\ud800',
    '@everyone',
    'x'.repeat(10_000),
  ),
);

async function freshDeps() {
  const deps = commandDeps({ MAX_WATCHES_PER_USER: '1000' });
  await seed(deps, '2026-09-01', [aPaper({ title: 'Diffusion "quoted" AND title' }), aPaper({ title: 'NEAR things' })]);
  return deps;
}

const stringOptions = commands.flatMap((command) =>
  optionSpecs(command.options)
    .filter((spec) => spec.type === 'string' && !spec.choices)
    .map((spec) => ({ command: command.name, option: spec.name })),
);

describe('dispatch never throws', () => {
  it('covers a string option of every command that has one', () => {
    expect(stringOptions.map((o) => `${o.command}.${o.option}`)).toEqual(
      expect.arrayContaining(['search.query', 'paper.id', 'watch.query', 'unwatch.watch', 'digest set.time', 'digest set.timezone', 'digest set.query', 'digest preview.date']),
    );
  });

  it.each(stringOptions)('$command $option: 2000 hostile values', async ({ command, option }) => {
    const deps = await freshDeps();
    await fc.assert(
      fc.asyncProperty(hostile, async (value) => {
        const reply = await dispatchCommand(deps, { name: command, rawOptions: { [option]: value }, user: alice, channel: general, isAdmin: true });
        expect(MessageSchema.safeParse(reply).success).toBe(true);
        expect(reply.text).not.toMatch(/Something went wrong/);
      }),
      { numRuns: 2000 },
    );
    const choices = await autocomplete(deps, { name: command, option, partial: 'x"(*', user: alice, channel: general });
    expect(Array.isArray(choices)).toBe(true);
  }, 120_000);

  it('survives values of the wrong type and unknown keys for every command', async () => {
    const deps = await freshDeps();
    const names = commands.map((command) => command.name);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names), fc.dictionary(fc.string({ maxLength: 12 }), fc.anything()), fc.boolean(), async (name, rawOptions, isAdmin) => {
        const reply = await dispatchCommand(deps, { name, rawOptions, user: alice, channel: general, isAdmin });
        expect(MessageSchema.safeParse(reply).success).toBe(true);
      }),
      { numRuns: 1000 },
    );
  }, 120_000);

  it('any text parses or gives an error, and what parses dispatches', async () => {
    const deps = await freshDeps();
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('search ', 'digest set ', 'today ', 'paper ').chain((prefix) => hostile.map((tail) => prefix + tail))), async (text) => {
        const parsed = parseCommandText(text);
        if ('error' in parsed) {
          expect(parsed.error.length).toBeGreaterThan(0);
          return;
        }
        const reply = await dispatchCommand(deps, { ...parsed, user: alice, channel: general, isAdmin: true });
        expect(MessageSchema.safeParse(reply).success).toBe(true);
        expect(reply.text).not.toMatch(/Something went wrong/);
      }),
      { numRuns: 2000 },
    );
  }, 120_000);
});
