import {
  PermissionFlagsBits,
  type AutocompleteInteraction,
  type BaseInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
} from 'discord.js';
import type { CommandChannel, CommandUser } from '../../../commands/define-command.ts';

// What the core needs to know about an interaction, read from the payload Discord sent: who,
// where, whether they may manage the server, and the options they typed.

type CommandLike = ChatInputCommandInteraction | AutocompleteInteraction;

export function userOf(interaction: BaseInteraction): CommandUser {
  return { platform: 'discord', id: interaction.user.id, name: interaction.user.username };
}

export function channelOf(interaction: BaseInteraction): CommandChannel {
  const inGuild = interaction.inGuild();
  return {
    platform: 'discord',
    // Every command and button interaction names its channel; the DM fallback keeps the type total.
    id: interaction.channelId ?? `dm:${interaction.user.id}`,
    ...(inGuild ? { workspaceId: interaction.guildId } : {}),
    isDm: !inGuild,
  };
}

/**
 * Manage Server (or Administrator, which implies every permission) in the channel the command was
 * used in, as Discord computed it for the member in this very payload. In DMs nobody is an admin.
 */
export function isAdminOf(interaction: BaseInteraction): boolean {
  if (!interaction.inGuild()) return false;
  return interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild, true) === true;
}

/** `today`, `digest set`: the subcommand group and subcommand the user picked under /papers. */
export function commandNameOf(interaction: CommandLike): string {
  const group = interaction.options.getSubcommandGroup(false);
  const sub = interaction.options.getSubcommand(false) ?? '';
  return group ? `${group} ${sub}` : sub;
}

/** The typed leaf option values (strings, numbers, booleans), by name. */
export function rawOptionsOf(interaction: ChatInputCommandInteraction): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const walk = (options: readonly CommandInteractionOption[]) => {
    for (const option of options) {
      if (option.options) walk(option.options);
      else if (option.value !== undefined) out[option.name] = option.value;
    }
  };
  walk(interaction.options.data);
  return out;
}
