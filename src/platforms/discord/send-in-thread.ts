import { DiscordAPIError, RESTJSONErrorCodes, Routes, type RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import { z } from 'zod';
import { PermanentError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import type { SendTarget } from '../../platform.ts';
import { mapDiscordError } from './map-discord-error.ts';

// Follow-ups (src/followups/) go to a public thread started on the digest message. A thread
// started from a message takes that message's id, so the thread of an earlier follow-up (or of an
// attempt a crash interrupted) is found without remembering anything: creating it again answers
// 160004 and the message goes to the same id. Where threads are not allowed (no Create Public
// Threads permission, a channel type without threads) the follow-up replies to the digest message
// instead. A deleted digest message or thread drops the follow-up (`thread_gone`): never the
// channel root, never a retry.

const CreatedMessage = z.object({ id: z.string() });

/** The REST call the sender makes, paced as its other calls are. */
export type DiscordPost = (route: `/${string}`, body: unknown) => Promise<unknown>;

/** A week: the longest archive delay Discord offers, the follow-ups' own window. */
const AUTO_ARCHIVE_MINUTES = 10_080;

const threadsRefused = new Set<number>([
  RESTJSONErrorCodes.MissingPermissions,
  RESTJSONErrorCodes.MissingAccess,
  RESTJSONErrorCodes.CannotExecuteActionOnThisChannelType,
]);

function code(err: unknown): number | null {
  return err instanceof DiscordAPIError && typeof err.code === 'number' ? err.code : null;
}

function gone(target: SendTarget, what: string, err: unknown): PermanentError {
  return new PermanentError(`the ${what} of follow-up in channel ${target.id} is gone`, { cause: err, reason: 'thread_gone' });
}

type Thread = NonNullable<SendTarget['thread']>;

/** Starts the thread, or finds it started; 'reply' when this channel allows no threads. */
async function openThread(post: DiscordPost, target: SendTarget, thread: Thread, log: Logger): Promise<'thread' | 'reply'> {
  try {
    await post(Routes.threads(target.id, thread.parentId), { name: thread.name, auto_archive_duration: AUTO_ARCHIVE_MINUTES });
    return 'thread';
  } catch (err) {
    const c = code(err);
    if (c === RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage) return 'thread';
    if (c === RESTJSONErrorCodes.UnknownMessage) throw gone(target, 'digest message', err);
    if (c !== null && threadsRefused.has(c)) {
      log.info({ channelId: target.id, code: c }, 'threads are not allowed in this channel; replying to the digest message instead');
      return 'reply';
    }
    throw mapDiscordError(err, target);
  }
}

/** Posts a follow-up in the digest message's thread (or as a reply to it); returns the message id. */
export async function sendInThread(post: DiscordPost, target: SendTarget, thread: Thread, body: RESTPostAPIChannelMessageJSONBody, log: Logger): Promise<string> {
  const where = await openThread(post, target, thread, log);
  try {
    if (where === 'thread') return CreatedMessage.parse(await post(Routes.channelMessages(thread.parentId), body)).id;
    const reply = { ...body, message_reference: { message_id: thread.parentId, fail_if_not_exists: true } };
    return CreatedMessage.parse(await post(Routes.channelMessages(target.id), reply)).id;
  } catch (err) {
    const c = code(err);
    // The thread was deleted (its id is no channel any more), or the message replied to is.
    if (where === 'thread' && c === RESTJSONErrorCodes.UnknownChannel) throw gone(target, 'thread', err);
    if (where === 'reply' && (c === RESTJSONErrorCodes.UnknownMessage || c === RESTJSONErrorCodes.InvalidFormBodyOrContentType)) throw gone(target, 'digest message', err);
    throw mapDiscordError(err, target);
  }
}
