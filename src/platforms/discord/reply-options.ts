import { MessageFlags, type InteractionEditReplyOptions, type InteractionReplyOptions, type InteractionUpdateOptions } from 'discord.js';
import type { Message } from '../../messages/message.ts';
import { renderEmbeds } from './render-embeds.ts';

// The rendered message in the shapes discord.js's interaction methods take. Every one of them
// carries `allowedMentions: { parse: [] }`: nothing paperboy says may ping anyone.

export const noMentions = { parse: [] };

export function isPrivate(msg: Message): boolean {
  return msg.visibility === 'private';
}

/** First reply or follow-up: private messages are ephemeral. */
export function replyOptions(msg: Message): InteractionReplyOptions {
  const { embeds, components } = renderEmbeds(msg);
  return { embeds, components, allowedMentions: noMentions, ...(isPrivate(msg) ? { flags: MessageFlags.Ephemeral } : {}) };
}

/** Editing the deferred reply (its visibility was fixed when it was deferred). */
export function editOptions(msg: Message): InteractionEditReplyOptions {
  const { embeds, components } = renderEmbeds(msg);
  return { embeds, components, allowedMentions: noMentions };
}

/** Replacing the message a paging button sits on. */
export function updateOptions(msg: Message): InteractionUpdateOptions {
  const { embeds, components } = renderEmbeds(msg);
  return { embeds, components, allowedMentions: noMentions };
}
