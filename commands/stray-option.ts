import type { CommandSyntax } from './command-syntax.ts';
import { stripControls } from './strip-controls.ts';

// `limit=3 diffusion` in the free text of search or watch: `=` is no part of the query language,
// so the word was meant as an option. Refused with the options instead of silently searching for it.

/** Keys of the query language's filters (`min:5`); with `=` they were meant as those. */
const queryFilterKeys = new Set(['author', 'org', 'since', 'min', 'cat', 'source']);

/** True for `key=value` (key a word): an option as typed in chat, never query text. */
export function isStrayOption(word: string): boolean {
  return /^[A-Za-z][\w-]*=/.test(word);
}

/**
 * What is wrong with `word` and how to write what was meant: the query filter (`min:5`), or the
 * command's options and how to keep it as text, both written in the surface's syntax.
 */
export function strayOptionProblem(stray: { command: string; word: string; options: string[]; rest: string; syntax: CommandSyntax }): string {
  const { command, word, options, rest, syntax } = stray;
  const shown = clip(word);
  const key = shown.slice(0, shown.indexOf('='));
  if (queryFilterKeys.has(key.toLowerCase())) {
    return `\`${shown}\` is not an option of ${command}: in the query, write \`${shown.replace('=', ':')}\`.`;
  }
  const takes = options.length > 0 ? `options: ${options.join(', ')}` : `it takes no options besides the ${rest}`;
  return `Unknown option \`${key}\` for ${command} (${takes}). To use \`${shown.replaceAll('"', '')}\` as query text, quote it: ${syntax.quoted(shown)}.`;
}

function clip(text: string, max = 60): string {
  const plain = stripControls(text);
  return plain.length > max ? `${plain.slice(0, max - 1)}…` : plain;
}
