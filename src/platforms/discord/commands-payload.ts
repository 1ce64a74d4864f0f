import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandGroupOption,
  type APIApplicationCommandSubcommandOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { CommandDefinition } from '../../../commands/define-command.ts';
import { commands } from '../../../commands/index.ts';
import { optionSpecs, type OptionSpec } from '../../../commands/option-specs.ts';
import { MAX_CHOICES, MAX_COMMAND_DESCRIPTION, MAX_OPTIONS } from './limits.ts';

// The /papers registration, generated from commands/index.ts: one subcommand per definition,
// `digest set` & co. as subcommands of a `digest` group, options from the zod schemas.
//
// Discord sets default_member_permissions per top-level command only, never per subcommand: a
// Manage Server default on /papers would hide `search` from everyone else. So /papers is open to
// all and the digest subcommands are refused at run time to members without Manage Server (the
// dispatcher checks `adminOnly` against the permissions in each interaction's payload, which an
// integration override cannot fake). Server admins who want to hide /papers digest can restrict
// the whole command per role or channel in Server Settings → Integrations.

/** The one top-level command. */
export const COMMAND_NAME = 'papers';

export type CommandsPayload = RESTPostAPIChatInputApplicationCommandsJSONBody[];

const DESCRIPTION = 'Hugging Face Daily Papers: today, search, watches and channel digests';
const groupDescriptions: Record<string, string> = { digest: "This channel's daily digest (members with Manage Server)" };

function describe(text: string): string {
  const trimmed = text.trim() || '-';
  return trimmed.length > MAX_COMMAND_DESCRIPTION ? `${trimmed.slice(0, MAX_COMMAND_DESCRIPTION - 1)}…` : trimmed;
}

function optionOf(spec: OptionSpec, autocomplete: boolean): APIApplicationCommandBasicOption {
  const base = { name: spec.name, description: describe(spec.description), required: spec.required };
  switch (spec.type) {
    case 'boolean':
      return { ...base, type: ApplicationCommandOptionType.Boolean };
    case 'integer':
    case 'number': {
      const range = { ...(spec.min === undefined ? {} : { min_value: spec.min }), ...(spec.max === undefined ? {} : { max_value: spec.max }) };
      return spec.type === 'integer'
        ? { ...base, ...range, type: ApplicationCommandOptionType.Integer }
        : { ...base, ...range, type: ApplicationCommandOptionType.Number };
    }
    case 'string': {
      const lengths = {
        ...(spec.minLength === undefined ? {} : { min_length: spec.minLength }),
        ...(spec.maxLength === undefined ? {} : { max_length: spec.maxLength }),
      };
      // Discord allows choices or autocomplete on an option, not both: a fixed list wins.
      if (spec.choices) {
        const choices = spec.choices.slice(0, MAX_CHOICES).map((value) => ({ name: value, value }));
        return { ...base, ...lengths, type: ApplicationCommandOptionType.String, choices };
      }
      return { ...base, ...lengths, type: ApplicationCommandOptionType.String, autocomplete };
    }
  }
}

/** Options of one subcommand: required ones first (Discord refuses an optional before a required one). */
function subcommandOptions(definition: CommandDefinition): APIApplicationCommandBasicOption[] {
  const completes = new Set(Object.keys(definition.autocomplete ?? {}));
  const specs = optionSpecs(definition.options);
  const ordered = [...specs.filter((spec) => spec.required), ...specs.filter((spec) => !spec.required)];
  if (ordered.length > MAX_OPTIONS) throw new Error(`/${COMMAND_NAME} ${definition.name}: more than ${MAX_OPTIONS} options`);
  return ordered.map((spec) => optionOf(spec, completes.has(spec.name)));
}

function subcommandOf(name: string, definition: CommandDefinition): APIApplicationCommandSubcommandOption {
  return { type: ApplicationCommandOptionType.Subcommand, name, description: describe(definition.description), options: subcommandOptions(definition) };
}

/** The top-level /papers options: plain subcommands, then one group per first word of a two-word name. */
function papersOptions(definitions: readonly CommandDefinition[] = commands): Array<APIApplicationCommandSubcommandOption | APIApplicationCommandSubcommandGroupOption> {
  const options: Array<APIApplicationCommandSubcommandOption | APIApplicationCommandSubcommandGroupOption> = [];
  const groups = new Map<string, APIApplicationCommandSubcommandGroupOption>();
  for (const definition of definitions) {
    const [first = '', second] = definition.name.split(' ');
    if (!second) {
      options.push(subcommandOf(first, definition));
      continue;
    }
    let group = groups.get(first);
    if (!group) {
      group = { type: ApplicationCommandOptionType.SubcommandGroup, name: first, description: describe(groupDescriptions[first] ?? first), options: [] };
      groups.set(first, group);
      options.push(group);
    }
    group.options?.push(subcommandOf(second, definition));
  }
  for (const entry of [options, ...[...groups.values()].map((group) => group.options ?? [])]) {
    if (entry.length > MAX_OPTIONS) throw new Error(`/${COMMAND_NAME}: more than ${MAX_OPTIONS} subcommands in one level`);
  }
  return options;
}

/**
 * The JSON body of `PUT /applications/{id}/commands` (global) or `…/guilds/{id}/commands`.
 * Guild commands take no contexts or integration types (they only exist in that server).
 */
export function commandsPayload(scope: 'global' | 'guild' = 'global', definitions: readonly CommandDefinition[] = commands): CommandsPayload {
  const command: RESTPostAPIChatInputApplicationCommandsJSONBody = {
    type: ApplicationCommandType.ChatInput,
    name: COMMAND_NAME,
    description: DESCRIPTION,
    options: papersOptions(definitions),
    // Everyone may use /papers; digest subcommands are checked at run time (see above).
    default_member_permissions: null,
  };
  if (scope === 'global') {
    // Servers that installed the bot, and the bot's DMs (personal commands work there too).
    command.contexts = [InteractionContextType.Guild, InteractionContextType.BotDM];
    command.integration_types = [ApplicationIntegrationType.GuildInstall];
  }
  return [command];
}
