import type { z } from 'zod';
import { UserError } from '../src/errors.ts';
import { chatSyntax, type CommandSyntax } from './command-syntax.ts';
import type { CommandDefinition } from './define-command.ts';
import { coerceOptions, optionSpecs, type OptionSpec } from './option-specs.ts';
import { stripControls } from './strip-controls.ts';

/** `/papers search <query> [limit=1-25]`: the chat usage line (help, Slack text errors). */
export function commandUsage(definition: CommandDefinition): string {
  return chatSyntax.usage(definition);
}

/**
 * Raw option values (typed from Discord, text from Slack/CLI) → the command's parsed options.
 * Throws UserError('bad_option') naming the first bad option, with the command's usage line
 * written in `syntax` (chat or CLI).
 */
export function validateOptions(definition: CommandDefinition, raw: Record<string, unknown>, syntax: CommandSyntax = chatSyntax): Record<string, unknown> {
  const specs = new Map(optionSpecs(definition.options).map((spec) => [spec.name, spec]));
  const present = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined && value !== null));
  for (const key of Object.keys(present)) {
    if (!specs.has(key)) {
      const known = [...specs.keys()].map((name) => syntax.option(definition, name));
      const hint = known.length === 0 ? `${definition.name} takes no options` : `${definition.name} takes ${known.join(', ')}`;
      throw new UserError('bad_option', `Unknown option \`${shorten(key)}\`: ${hint}.\nUsage: ${syntax.usage(definition)}`);
    }
  }
  const result = definition.options.safeParse(coerceOptions(definition.options, present));
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const name = String(issue?.path[0] ?? '');
  const spec = specs.get(name);
  const given = present[name];
  const problem = issue ? describeIssue(issue, spec, given) : 'is not valid';
  const echo = given === undefined ? '' : ` (you gave \`${shorten(String(given))}\`)`;
  const shown = name ? syntax.option(definition, name) : 'options';
  throw new UserError('bad_option', `\`${shown}\` ${problem}${echo}.\nUsage: ${syntax.usage(definition)}`);
}

function describeIssue(issue: z.core.$ZodIssue, spec: OptionSpec | undefined, given: unknown): string {
  if (given === undefined) return 'is required';
  switch (issue.code) {
    // The option's own bound, not zod's: `.int()` reports the safe-integer range first.
    case 'too_big':
      return issue.origin === 'string' ? `must be at most ${String(issue.maximum)} characters` : `must be at most ${String(spec?.max ?? issue.maximum)}`;
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'must not be empty' : `must be at least ${String(issue.minimum)} characters`;
      return `must be at least ${String(spec?.min ?? issue.minimum)}`;
    case 'invalid_value':
      return `must be one of: ${(spec?.choices ?? issue.values.map(String)).join(', ')}`;
    case 'invalid_type':
      if (spec?.type === 'integer') return 'must be a whole number';
      if (spec?.type === 'number') return 'must be a number';
      if (spec?.type === 'boolean') return 'must be yes or no';
      return 'must be text';
    default:
      // Custom checks (regex, refine) carry messages written for people.
      return issue.message;
  }
}

function shorten(text: string, max = 40): string {
  const oneLine = stripControls(text);
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
