import { ApplicationCommandOptionType, PermissionFlagsBits } from 'discord.js';
import { commandsPayload } from '../../../src/platforms/discord/commands-payload.ts';

// Raw INTERACTION_CREATE payloads as Discord sends them, for the fake gateway to dispatch.
// Option types are looked up in the registration payload, so tests name options only.

export const GUILD_ID = '300000000000000001';
export const CHANNEL_ID = '300000000000000002';
export const COMMAND_ID = '300000000000000003';

export type Where =
  /** A server channel; `permissions` is the member's computed permission bitfield. */
  | { kind: 'guild'; userId: string; permissions: bigint; channelId?: string }
  | { kind: 'dm'; userId: string };

export const admin = (userId = '400000000000000001'): Where => ({ kind: 'guild', userId, permissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.SendMessages });
export const member = (userId = '400000000000000002'): Where => ({ kind: 'guild', userId, permissions: PermissionFlagsBits.SendMessages | PermissionFlagsBits.ViewChannel });
export const dm = (userId = '400000000000000003'): Where => ({ kind: 'dm', userId });

let counter = 0;
function nextId(): string {
  counter += 1;
  return String(500000000000000000n + BigInt(counter));
}

function user(id: string) {
  return { id, username: `user${id.slice(-4)}`, discriminator: '0', global_name: null, avatar: null };
}

function envelope(type: number, applicationId: string, where: Where, data: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const id = nextId();
  const base = {
    id,
    application_id: applicationId,
    type,
    token: `token-${id}`,
    version: 1,
    locale: 'en-US',
    app_permissions: String(PermissionFlagsBits.SendMessages | PermissionFlagsBits.EmbedLinks | PermissionFlagsBits.ViewChannel),
    entitlements: [],
    data,
    ...extra,
  };
  if (where.kind === 'dm') {
    return { ...base, user: user(where.userId), channel_id: `9${where.userId}`, channel: { id: `9${where.userId}`, type: 1 }, context: 1, authorizing_integration_owners: { '0': GUILD_ID } };
  }
  const channelId = where.channelId ?? CHANNEL_ID;
  return {
    ...base,
    guild_id: GUILD_ID,
    guild_locale: 'en-US',
    channel_id: channelId,
    channel: { id: channelId, type: 0, guild_id: GUILD_ID, name: 'papers' },
    member: { user: user(where.userId), roles: [], permissions: String(where.permissions), joined_at: '2026-01-01T00:00:00.000Z', deaf: false, mute: false, flags: 0 },
    context: 0,
    authorizing_integration_owners: { '0': GUILD_ID },
  };
}

type OptionValue = string | number | boolean;

/** The options of `/papers <name>` as registered with Discord (the global commands payload). */
export function registeredOptions(name: string) {
  const [first = '', second] = name.split(' ');
  const top = commandsPayload('global')[0]?.options ?? [];
  const group = second ? top.find((option) => option.name === first) : undefined;
  const sub = second
    ? group && 'options' in group
      ? group.options?.find((option) => option.name === second)
      : undefined
    : top.find((option) => option.name === first);
  if (!sub || sub.type !== ApplicationCommandOptionType.Subcommand) throw new Error(`no subcommand ${name}`);
  return sub.options ?? [];
}

/** The option list of `/papers <name>` with each value typed as registered; `focused` marks one for autocomplete. */
function commandOptions(name: string, values: Record<string, OptionValue>, focused?: string): unknown[] {
  const [first = '', second] = name.split(' ');
  const registered = registeredOptions(name);
  const leaves = Object.entries(values).map(([key, value]) => {
    const spec = registered.find((option) => option.name === key);
    if (!spec) throw new Error(`${name} has no option ${key}`);
    return { name: key, type: spec.type, value, ...(key === focused ? { focused: true } : {}) };
  });
  const subOption = { type: ApplicationCommandOptionType.Subcommand, name: second ?? first, options: leaves };
  return second ? [{ type: ApplicationCommandOptionType.SubcommandGroup, name: first, options: [subOption] }] : [subOption];
}

/** `/papers <name> option:value …` (type 2, APPLICATION_COMMAND). */
export function chatInput(applicationId: string, where: Where, name: string, values: Record<string, OptionValue> = {}) {
  return envelope(2, applicationId, where, { id: COMMAND_ID, name: 'papers', type: 1, options: commandOptions(name, values) });
}

/** Typing in an option with autocomplete (type 4). */
export function autocompleteRequest(applicationId: string, where: Where, name: string, focused: string, values: Record<string, OptionValue>) {
  return envelope(4, applicationId, where, { id: COMMAND_ID, name: 'papers', type: 1, options: commandOptions(name, values, focused) });
}

/** Pressing a button (type 3) on a message the bot posted (`flags` 64 = ephemeral). */
export function buttonPress(applicationId: string, where: Where, customId: string, messageFlags = 0) {
  const channelId = where.kind === 'dm' ? `9${where.userId}` : (where.channelId ?? CHANNEL_ID);
  const message = {
    id: nextId(),
    channel_id: channelId,
    type: 20,
    content: '',
    embeds: [],
    components: [],
    author: { id: applicationId, username: 'paperboy', discriminator: '0', global_name: null, avatar: null, bot: true },
    timestamp: '2026-09-01T10:00:00.000Z',
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    pinned: false,
    flags: messageFlags,
  };
  return envelope(3, applicationId, where, { custom_id: customId, component_type: 2 }, { message });
}
