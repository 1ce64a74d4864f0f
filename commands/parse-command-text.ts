import type { CommandDefinition } from './define-command.ts';
import { commands, findCommand } from './index.ts';
import { optionSpecs, type OptionSpec } from './option-specs.ts';
import { normaliseQuotes } from '../src/search/normalise-quotes.ts';
import { chatSyntax } from './command-syntax.ts';
import { strayOptionProblem } from './stray-option.ts';
import { stripControls } from './strip-controls.ts';
import { commandUsage } from './validate-options.ts';

// Slack and the console get one line of text after `/papers`. The same definitions that make
// Discord's options decide how it is read:
//
// - The first word picks the subcommand; `digest set` and friends take two words. Nothing at all
//   means `help`.
// - `key=value` or `key:value` sets an option when `key` is one of that subcommand's options
//   (aliases: tz → timezone, min → min_upvotes, empty → post_when_empty). Quote values with
//   spaces: `query="diffusion -survey"`; `\"` is a quote inside one (`query="a OR \"b c\""`), and
//   curly quotes (“ ” ‘ ’) count as quotes. A bare word equal to a yes/no option's name turns it on;
//   a bare value that fits exactly one option (`today new`, `today 10`) sets that option; so does
//   one after a whole arXiv id in `similar` (`similar 2410.17243 3`).
// - Subcommands that take free text (search, watch, unwatch, paper) put every other word in it;
//   after a lone `--` every word is that text (`search -- limit=3` searches for "limit=3").
//   There `author:`, `org:`, `since:`, `min:`, `cat:` and `source:` belong to the query language, so
//   `search min:5 author:"Jane Doe"` is one query, not options; `limit=5` or `limit:5` is an option.
//   Any other `word=value` there is refused with the options (quote it to search for it).
// - Anything else is an error that shows the subcommand's usage line.

type ParsedCommandText = { name: string; rawOptions: Record<string, string> };

const aliases: Record<string, string> = { tz: 'timezone', min: 'min_upvotes', empty: 'post_when_empty' };

/** Filter keys of the query language: in free text they are never options. */
const queryFilterKeys = new Set(['author', 'org', 'since', 'min', 'cat', 'source']);

/**
 * Options of `watch` kept in unwatch's text, so the text that added a watch names it
 * (`unwatch artifacts=no "world model"`); removeWatch reads them as the watch's option.
 */
const textKeptOptions: Record<string, Set<string>> = { unwatch: new Set(['artifacts']) };

type Token = { raw: string };

export function parseCommandText(text: string): ParsedCommandText | { error: string } {
  const tokens = tokenize(normaliseQuotes(text).replace(/^\s*\/?papers(?=\s|$)/i, ''));
  if (tokens.length === 0) return { name: 'help', rawOptions: {} };
  const first = (tokens[0]?.raw ?? '').toLowerCase();
  const two = `${first} ${(tokens[1]?.raw ?? '').toLowerCase()}`;
  const definition = findCommand(two) ?? findCommand(first);
  if (!definition) return { error: unknownCommand(first, tokens[1]?.raw) };
  const consumed = definition.name.includes(' ') ? 2 : 1;
  return readOptions(definition, tokens.slice(consumed));
}

function readOptions(definition: CommandDefinition, tokens: Token[]): ParsedCommandText | { error: string } {
  const specs = new Map(optionSpecs(definition.options).map((spec) => [spec.name, spec]));
  const rest = definition.rest;
  const rawOptions: Record<string, string> = {};
  const restParts: string[] = [];
  const fail = (problem: string) => ({ error: `${problem}\nUsage: ${commandUsage(definition)}` });

  for (const [index, token] of tokens.entries()) {
    // `--` ends the options, as on a command line: every word after it is the text, as typed.
    if (rest !== undefined && token.raw === '--') {
      restParts.push(...tokens.slice(index + 1).map((after) => unescape(after.raw)));
      break;
    }
    const pair = /^([A-Za-z][\w-]*)([=:])([\s\S]*)$/.exec(token.raw);
    if (pair) {
      const [, rawKey = '', separator = '', rawValue = ''] = pair;
      const typed = rawKey.toLowerCase().replace(/-/g, '_');
      const key = specs.has(typed) ? typed : (aliases[typed] ?? typed);
      const isQueryFilter = rest !== undefined && separator === ':' && queryFilterKeys.has(typed);
      if (specs.has(key) && !isQueryFilter) {
        if (key === rest) {
          // `query="a -b"` groups words; `query:"exact phrase"` keeps the phrase as typed.
          restParts.push(separator === '=' ? unquote(rawValue) : unescape(rawValue));
          continue;
        }
        if (key in rawOptions) return fail(`\`${key}\` is given twice.`);
        rawOptions[key] = unquote(rawValue);
        continue;
      }
      // In free text only `:` belongs to the query language; `word=value` was meant as an option.
      if (rest !== undefined && (separator === ':' || textKeptOptions[definition.name]?.has(typed))) {
        restParts.push(unescape(token.raw));
        continue;
      }
      if (rest !== undefined) {
        const options = chatSyntax.optionList(definition);
        return fail(strayOptionProblem({ command: definition.name, word: unescape(token.raw), options, rest, syntax: chatSyntax }));
      }
      return fail(`Unknown option \`${rawKey}\` for ${definition.name}.`);
    }
    if (rest !== undefined) {
      const whole = restParts.length > 0 && definition.restIsWhole?.(restParts.join(' ')) === true;
      const target = whole ? positionalTarget([...specs.values()].filter((spec) => spec.name !== rest), rawOptions, token.raw) : undefined;
      if (target) rawOptions[target.name] = target.value;
      else restParts.push(unescape(token.raw));
      continue;
    }
    const target = positionalTarget([...specs.values()], rawOptions, token.raw);
    if (!target) return fail(`Unexpected \`${clip(token.raw)}\`: write options as key=value and quote values with spaces.`);
    rawOptions[target.name] = target.value;
  }
  if (rest !== undefined && restParts.length > 0) rawOptions[rest] = restParts.join(' ');
  return { name: definition.name, rawOptions };
}

/** The one unset option a bare word can only mean, or undefined when it is not clear. */
function positionalTarget(specs: OptionSpec[], set: Record<string, string>, word: string): { name: string; value: string } | undefined {
  const free = specs.filter((spec) => !(spec.name in set));
  const lower = word.toLowerCase();
  const flag = free.find((spec) => spec.type === 'boolean' && spec.name === lower.replace(/-/g, '_'));
  if (flag) return { name: flag.name, value: 'true' };
  const fits = free.filter(
    (spec) => spec.choices?.includes(lower) || ((spec.type === 'integer' || spec.type === 'number') && /^[+-]?\d+(\.\d+)?$/.test(word)),
  );
  const only = fits.length === 1 ? fits[0] : undefined;
  if (!only) return undefined;
  return { name: only.name, value: only.choices ? lower : word };
}

/** Splits on whitespace outside double quotes; each token keeps its quotes (and `\"` escapes) as typed. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text.charAt(i);
    if (char === '\\' && text.charAt(i + 1) === '"') {
      // An escaped quote is text, inside a quoted value or not.
      current += '\\"';
      i += 1;
      continue;
    }
    if (char === '"') quoted = !quoted;
    if (!quoted && /\s/.test(char)) {
      if (current) tokens.push({ raw: current });
      current = '';
      continue;
    }
    current += char;
  }
  if (current) tokens.push({ raw: current });
  return tokens;
}

/** `"a \"b\""` → `a "b"`: the outer quotes go, escaped ones become plain quotes. */
function unquote(value: string): string {
  const trimmed = value.trim();
  let inner = trimmed;
  if (trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') && !trimmed.endsWith('\\"')) inner = trimmed.slice(1, -1);
  else if (trimmed.startsWith('"') && !trimmed.slice(1).replaceAll('\\"', '').includes('"')) inner = trimmed.slice(1);
  return unescape(inner);
}

function unescape(text: string): string {
  return text.replaceAll('\\"', '"');
}

function unknownCommand(first: string, second: string | undefined): string {
  const group = commands.filter((command) => command.name.startsWith(`${first} `));
  if (group.length > 0) {
    const subs = group.map((command) => command.name.slice(first.length + 1)).join(', ');
    const got = second ? ` \`${clip(second)}\` is not one of them.` : '';
    return `\`${first}\` needs one of: ${subs}.${got} Example: /papers ${group[0]?.examples?.[0] ?? group[0]?.name ?? first}`;
  }
  return `Unknown command \`${clip(first)}\`. Commands: ${commands.map((command) => command.name).join(', ')}. Try /papers help.`;
}

/** User text as echoed in an error: one line, no control characters, short. */
function clip(text: string, max = 40): string {
  const plain = stripControls(text);
  return plain.length > max ? `${plain.slice(0, max - 1)}…` : plain;
}
