import type { z } from 'zod';
import type { Deps } from '../src/deps.ts';
import type { Message } from '../src/messages/message.ts';
import type { Platform } from '../src/platform.ts';
import type { CommandSyntax } from './command-syntax.ts';

export type CommandUser = { platform: Platform; id: string; name?: string };
export type CommandChannel = {
  platform: Platform;
  id: string;
  /** Discord guild id / Slack team id. */
  workspaceId?: string;
  isDm: boolean;
};

type CommandContext<Options> = {
  options: Options;
  deps: Deps;
  user: CommandUser;
  channel: CommandChannel;
  /** Decided by the adapter from the platform (Manage Server on Discord, admin/owner on Slack). */
  isAdmin: boolean;
  /** Set when the reply is a page of an earlier list (0-based). */
  page?: number;
  /** How to write commands in hints: chat (`/papers unwatch 2`) or the CLI's syntax. */
  syntax: CommandSyntax;
};

export type Choice = { name: string; value: string };

// Zod object whose fields are plain options (string, number, boolean, enum), possibly optional/defaulted.
export type OptionsSchema = z.ZodObject;

export type CommandDefinition<S extends OptionsSchema = OptionsSchema> = {
  /** Full name as typed after /papers: `search`, `digest set`. */
  name: string;
  description: string;
  /** Each field `.describe()`d: the description becomes the Discord option's and the usage line's. */
  options: S;
  /**
   * The option that takes "the rest of the text" on Slack and the CLI (`/papers search diffusion -survey`).
   */
  rest?: keyof z.output<S> & string;
  /**
   * True once the rest is whole (an arXiv id): a bare value typed after it that fits exactly one
   * option sets that option (`similar 2410.17243 3`), as it does in commands without a rest.
   */
  restIsWhole?: (text: string) => boolean;
  /** Options that offer autocomplete on Discord. */
  autocomplete?: Partial<Record<keyof z.output<S> & string, (ctx: AutocompleteContext) => Choice[] | Promise<Choice[]>>>;
  /** Only admins (Manage Server / workspace admin) may run it; checked at run time too. */
  adminOnly?: boolean;
  /** May take longer than ~2 s: adapters defer before running it. */
  slow?: boolean;
  /** Replies are always private (watches, errors). */
  personal?: boolean;
  /** Example lines for help/usage, without the `/papers ` prefix. */
  examples?: string[];
  run(ctx: CommandContext<z.output<S>>): Message | Promise<Message>;
};

type AutocompleteContext = {
  deps: Deps;
  user: CommandUser;
  channel: CommandChannel;
  /** What the user has typed so far in the focused option. */
  partial: string;
};

/** Identity function that keeps the option types of each definition. */
export function defineCommand<S extends OptionsSchema>(definition: CommandDefinition<S>): CommandDefinition<S> {
  return definition;
}
