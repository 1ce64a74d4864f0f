import { DiscordAPIError, HTTPError, RateLimitError, RESTJSONErrorCodes } from 'discord.js';
import { ZodError } from 'zod';
import { PermanentError, TransientError, type PermanentReason } from '../../errors.ts';
import type { SendTarget } from '../../platform.ts';

// Discord's answers, as the delivery worker understands them. @discordjs/rest has already
// waited out 429s and retried 5xx and dropped connections (3 times) before anything lands here.

const permanentReasons = new Map<number, (target: SendTarget) => PermanentReason>([
  // The user shares no server with the bot, or blocks DMs from server members.
  [RESTJSONErrorCodes.CannotSendMessagesToThisUser, () => 'dm_closed'],
  [RESTJSONErrorCodes.UnknownUser, () => 'dm_closed'],
  [RESTJSONErrorCodes.UnknownChannel, () => 'channel_gone'],
  [RESTJSONErrorCodes.UnknownGuild, () => 'channel_gone'],
  [RESTJSONErrorCodes.MissingAccess, () => 'missing_access'],
  [RESTJSONErrorCodes.MissingPermissions, () => 'missing_access'],
]);

/** TransientError (try again later) or PermanentError with the reason the worker acts on. */
export function mapDiscordError(err: unknown, target: SendTarget): TransientError | PermanentError {
  const what = `Discord refused the message to ${target.kind} ${target.id}`;
  if (err instanceof DiscordAPIError) {
    if (err.status === 401) return new PermanentError('Discord refused the bot token (401)', { cause: err, reason: 'auth' });
    if (err.status === 429) return new TransientError('Discord rate limit', { cause: err });
    // A DM channel we remembered is gone: the sender forgets it and opens a fresh one next time.
    if (err.code === RESTJSONErrorCodes.UnknownChannel && target.kind === 'user') return new TransientError(`${what}: DM channel gone`, { cause: err });
    const reason = typeof err.code === 'number' ? permanentReasons.get(err.code)?.(target) : undefined;
    if (reason) return new PermanentError(`${what}: ${err.message} (${err.code})`, { cause: err, reason });
    if (err.status === 403) return new PermanentError(`${what}: ${err.message}`, { cause: err, reason: 'missing_access' });
    if (err.status === 404) return new PermanentError(`${what}: ${err.message}`, { cause: err, reason: target.kind === 'user' ? 'dm_closed' : 'channel_gone' });
    if (err.status >= 500) return new TransientError(`Discord error ${err.status}`, { cause: err });
    // 400 Invalid Form Body and the like: the same message would be refused again.
    return new PermanentError(`${what}: ${err.message} (${err.code})`, { cause: err, reason: 'rejected' });
  }
  if (err instanceof RateLimitError) return new TransientError('Discord rate limit', { cause: err, retryAfterMs: err.retryAfter });
  if (err instanceof HTTPError) return new TransientError(`Discord answered ${err.status} (after retries)`, { cause: err });
  // After a 401 @discordjs/rest forgets the token and refuses every later request with this.
  if (err instanceof Error && /Expected token to be set/.test(err.message)) {
    return new PermanentError('Discord token missing or refused earlier', { cause: err, reason: 'auth' });
  }
  // We could not read Discord's answer: sending it again would not help.
  if (err instanceof ZodError) return new PermanentError('unexpected answer from Discord', { cause: err, reason: 'bad_response' });
  // Network trouble (refused, reset, timed out): the nonce makes a resend safe.
  return new TransientError(`could not reach Discord: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}
