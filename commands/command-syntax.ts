import type { CommandDefinition } from './define-command.ts';
import { optionSpecs, usageLine, type OptionSpec } from './option-specs.ts';

/**
 * How commands are written where the user typed one: `/papers unwatch 2` in chat (Discord, Slack,
 * the console prompt), `paperboy watch remove --user U1 2` on the CLI. The adapter picks one and
 * passes it to the dispatcher; usage lines and the hints in replies are written with it, so every
 * surface reads its own syntax. Names are /papers subcommand names (`unwatch`, `digest set`).
 */
export type CommandSyntax = {
  /** `/papers unwatch <number>`: how to run `name` with `args` here. */
  command(name: string, args?: string): string;
  /** The whole usage line of a command: `/papers search <query> [limit=1-25]`. */
  usage(definition: CommandDefinition): string;
  /** How an option is named in messages: `limit` in chat, `--limit` on the CLI. */
  option(definition: CommandDefinition, name: string): string;
  /** The options a command takes besides its free text, as typed: `limit` or `--limit N`. */
  optionList(definition: CommandDefinition): string[];
  /** `text` quoted so it reaches the query as a phrase: `"min:-1"`, or `'"min:-1"'` in a shell. */
  quoted(text: string): string;
};

export const chatSyntax: CommandSyntax = {
  command: (name, args) => `/papers ${name}${args ? ` ${args}` : ''}`,
  usage: (definition) => `/papers ${usageLine(definition.name, definition.options, definition.rest)}`,
  option: (_definition, name) => name,
  optionList: (definition) => optionSpecs(definition.options).filter((spec) => spec.name !== definition.rest).map((spec) => spec.name),
  quoted: (text) => `"${text.replaceAll('"', '')}"`,
};

/** `N`, `upvotes|new`, `YYYY-MM-DD`: what a value looks like in a usage line. */
export function valueHint(spec: OptionSpec): string {
  if (spec.placeholder) return spec.placeholder;
  if (spec.choices) return spec.choices.join('|');
  if (spec.type === 'boolean') return 'yes|no';
  return spec.type === 'string' ? 'text' : 'N';
}
