import {
  MessageFlags,
  type AutocompleteInteraction,
  type BaseInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { runCardAction, type ListPage } from '../../../commands/card-action.ts';
import { autocomplete, dispatchCommand, turnPage } from '../../../commands/dispatch.ts';
import { findCommand } from '../../../commands/index.ts';
import type { Deps } from '../../deps.ts';
import type { Logger } from '../../log.ts';
import { errorMessage, type CardAction, type Message } from '../../messages/message.ts';
import { settleWithin } from '../../settle-within.ts';
import { COMMAND_NAME } from './commands-payload.ts';
import { channelOf, commandNameOf, isAdminOf, rawOptionsOf, userOf } from './interaction-context.ts';
import { DEFER_AFTER_MS, MAX_CHOICE_NAME, MAX_CHOICE_VALUE, MAX_CHOICES } from './limits.ts';
import { parseCardCustomId } from './card-buttons.ts';
import { parsePageCustomId } from './paging-buttons.ts';
import { editOptions, isPrivate, replyOptions, updateOptions } from './reply-options.ts';

// Interactions in, neutral replies out. Discord wants the first response within 3 s: a command
// marked `slow` is deferred at once, any other is deferred if it has not answered after
// `deferAfterMs`. The dispatcher never throws; this layer only fails when Discord does, and
// that is logged (the interaction is lost, the process is not).

export type InteractionOptions = {
  /** Defer when the command has not answered after this long (ms); 0 defers every command at once. */
  deferAfterMs?: number;
};

export async function handleInteraction(deps: Deps, interaction: BaseInteraction, options: InteractionOptions = {}): Promise<void> {
  const log = deps.log.child({ module: 'discord', platform: 'discord', userId: interaction.user.id, interactionId: interaction.id });
  try {
    if (interaction.isChatInputCommand() && interaction.commandName === COMMAND_NAME) await handleCommand(deps, interaction, options, log);
    else if (interaction.isAutocomplete() && interaction.commandName === COMMAND_NAME) await handleAutocomplete(deps, interaction);
    else if (interaction.isButton()) await handleButton(deps, interaction, options, log);
  } catch (err) {
    // Usually Discord refusing a late or repeated response (10062 Unknown interaction).
    log.warn({ err }, 'could not answer an interaction');
  }
}

async function handleCommand(deps: Deps, interaction: ChatInputCommandInteraction, options: InteractionOptions, parentLog: Logger): Promise<void> {
  const name = commandNameOf(interaction);
  const definition = findCommand(name);
  const log = parentLog.child({ command: name });
  log.debug('command received');
  const work = dispatchCommand(deps, {
    name,
    rawOptions: rawOptionsOf(interaction),
    user: userOf(interaction),
    channel: channelOf(interaction),
    isAdmin: isAdminOf(interaction),
  });
  const deferPrivate = definition?.personal === true;
  const early = definition?.slow ? null : await withinMs(work, options.deferAfterMs ?? DEFER_AFTER_MS);
  if (early) {
    await interaction.reply(replyOptions(early));
    return;
  }
  await interaction.deferReply(deferPrivate ? { flags: MessageFlags.Ephemeral } : {});
  const reply = await work;
  if (isPrivate(reply) === deferPrivate) {
    await interaction.editReply(editOptions(reply));
    return;
  }
  // A deferred reply keeps the visibility it was deferred with: send the answer as a follow-up
  // with the right one, and remove the "thinking…" placeholder.
  await interaction.followUp(replyOptions(reply));
  await interaction.deleteReply();
}

async function handleAutocomplete(deps: Deps, interaction: AutocompleteInteraction): Promise<void> {
  // Autocomplete cannot be deferred: the dispatcher answers from the database at once.
  const focused = interaction.options.getFocused(true);
  const choices = await autocomplete(deps, {
    name: commandNameOf(interaction),
    option: focused.name,
    partial: String(focused.value),
    user: userOf(interaction),
    channel: channelOf(interaction),
  });
  await interaction.respond(
    choices.slice(0, MAX_CHOICES).map((choice) => ({ name: choice.name.slice(0, MAX_CHOICE_NAME), value: choice.value.slice(0, MAX_CHOICE_VALUE) })),
  );
}

async function handleButton(deps: Deps, interaction: ButtonInteraction, options: InteractionOptions, log: Logger): Promise<void> {
  const card = parseCardCustomId(interaction.customId);
  if (card) {
    await handleCardButton(deps, interaction, card, options, log);
    return;
  }
  const request = parsePageCustomId(interaction.customId);
  if (!request) {
    await interaction.reply(replyOptions(errorMessage('This button no longer does anything. Run the command again.')));
    return;
  }
  log.debug({ cursor: request.cursor, page: request.page }, 'page requested');
  const work = turnPage(deps, { ...request, user: userOf(interaction), channel: channelOf(interaction) });
  const originalPrivate = interaction.message.flags.has(MessageFlags.Ephemeral);
  // A refusal (stale or someone else's list) goes to the presser alone; the list stays as it was.
  await updateInPlace(interaction, work, options, (msg) => isPrivate(msg) && !originalPrivate);
}

/** Replaces the message the button sits on with the work's answer, or answers the presser alone when `isNote` says so. */
async function updateInPlace(interaction: ButtonInteraction, work: Promise<Message>, options: InteractionOptions, isNote: (msg: Message) => boolean): Promise<void> {
  const early = await withinMs(work, options.deferAfterMs ?? DEFER_AFTER_MS);
  if (early) {
    await (isNote(early) ? interaction.reply(replyOptions({ ...early, visibility: 'private' })) : interaction.update(updateOptions(early)));
    return;
  }
  await interaction.deferUpdate();
  const answer = await work;
  await (isNote(answer) ? interaction.followUp(replyOptions({ ...answer, visibility: 'private' })) : interaction.editReply(editOptions(answer)));
}

/**
 * Save / Similar under a card: the answer goes to the presser alone; the message stays as it was.
 * Remove (on the reading list): the list is replaced by its page without the paper.
 */
async function handleCardButton(
  deps: Deps,
  interaction: ButtonInteraction,
  card: { action: CardAction; arxivId: string; listPage?: ListPage },
  options: InteractionOptions,
  log: Logger,
): Promise<void> {
  log.debug(card, 'card button pressed');
  const work = runCardAction(deps, { ...card, user: userOf(interaction), channel: channelOf(interaction) });
  if (card.action === 'remove') {
    await updateInPlace(interaction, work, options, (msg) => msg.kind === 'error');
    return;
  }
  const early = await withinMs(work, options.deferAfterMs ?? DEFER_AFTER_MS);
  if (early) {
    await interaction.reply(replyOptions({ ...early, visibility: 'private' }));
    return;
  }
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  await interaction.editReply(editOptions(await work));
}

/** The work's result if it settles within `ms`, else null (the work keeps running). `ms` ≤ 0: always null. */
async function withinMs<T>(work: Promise<T>, ms: number): Promise<T | null> {
  return ms <= 0 ? null : ((await settleWithin(work, ms)) ?? null);
}
