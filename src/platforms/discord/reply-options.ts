import { MessageFlags, type AttachmentPayload, type InteractionEditReplyOptions, type InteractionReplyOptions, type InteractionUpdateOptions } from 'discord.js';
import type { Message } from '../../messages/message.ts';
import { renderEmbeds } from './render-embeds.ts';

// The rendered message in the shapes discord.js's interaction methods take. Every one of them
// carries `allowedMentions: { parse: [] }`: nothing paperboy says may ping anyone.

export const noMentions = { parse: [] };

export function isPrivate(msg: Message): boolean {
  return msg.visibility === 'private';
}

/**
 * Embeds, buttons and the attached file (discord.js then sends multipart/form-data: `payload_json`
 * and `files[0]`). With a file, the code block would only repeat it: the embed leaves it out.
 */
function rendered(msg: Message): ReturnType<typeof renderEmbeds> & { files?: AttachmentPayload[] } {
  const { embeds, components } = renderEmbeds(msg.attachment ? { ...msg, code: undefined } : msg);
  if (!msg.attachment) return { embeds, components };
  return { embeds, components, files: [{ attachment: Buffer.from(msg.attachment.text, 'utf8'), name: msg.attachment.name }] };
}

/** First reply or follow-up: private messages are ephemeral. */
export function replyOptions(msg: Message): InteractionReplyOptions {
  return { ...rendered(msg), allowedMentions: noMentions, ...(isPrivate(msg) ? { flags: MessageFlags.Ephemeral } : {}) };
}

/** Editing the deferred reply (its visibility was fixed when it was deferred). */
export function editOptions(msg: Message): InteractionEditReplyOptions {
  return { ...rendered(msg), allowedMentions: noMentions };
}

/** Replacing the message a paging button sits on. */
export function updateOptions(msg: Message): InteractionUpdateOptions {
  return { ...rendered(msg), allowedMentions: noMentions };
}
