import { webApi } from '@slack/bolt';
import { classify, PermanentError, TransientError } from '../../errors.ts';

// Slack answers HTTP 200 with `ok: false` and an error string for almost everything; the
// WebClient turns that into WebAPIPlatformError. This maps those strings (and HTTP/network
// failures) onto the delivery contract of src/platform.ts.

/** The `error` string of an `ok: false` answer, or null for any other failure. */
export function slackErrorCode(err: unknown): string | null {
  return err instanceof webApi.WebAPIPlatformError ? err.data.error : null;
}

const authErrors = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'org_login_required']);
const channelGone = new Set(['channel_not_found', 'is_archived']);
const dmClosed = new Set(['cannot_dm_bot', 'user_not_found', 'user_disabled', 'messages_tab_disabled', 'channel_not_found', 'is_archived', 'not_in_channel']);
const missingAccess = new Set(['not_in_channel', 'restricted_action', 'restricted_action_read_only_channel', 'restricted_action_thread_only_channel', 'restricted_action_non_threadable_channel', 'missing_scope', 'no_permission', 'ekm_access_denied', 'team_access_not_granted']);
const retryable = new Set(['ratelimited', 'rate_limited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'team_added_to_org']);

type SlackTargetKind = 'channel' | 'user';

/**
 * TransientError (retry later) or PermanentError with the reason the delivery worker acts on:
 * `auth`, `channel_gone`, `missing_access`, `dm_closed`, `rejected_message` (our blocks were
 * refused: a bug, never retried) or `rejected`. `hint` is appended to the message (what an admin can do).
 */
export function mapSlackError(err: unknown, target: SlackTargetKind, hint = ''): TransientError | PermanentError {
  const suffix = hint ? ` ${hint}` : '';
  const code = slackErrorCode(err);
  if (code !== null) {
    const message = `Slack refused: ${code}.${suffix}`;
    if (authErrors.has(code)) return new PermanentError(`Slack refused the bot token (${code}): set a valid SLACK_BOT_TOKEN and restart.`, { cause: err, reason: 'auth' });
    if (retryable.has(code)) return new TransientError(message, { cause: err });
    if (target === 'user' && dmClosed.has(code)) return new PermanentError(message, { cause: err, reason: 'dm_closed' });
    if (target === 'channel' && channelGone.has(code)) return new PermanentError(message, { cause: err, reason: 'channel_gone' });
    if (missingAccess.has(code)) return new PermanentError(message, { cause: err, reason: 'missing_access' });
    if (code.startsWith('msg_') || code.startsWith('invalid_') || code === 'too_many_attachments' || code === 'no_text') {
      return new PermanentError(message, { cause: err, reason: 'rejected_message' });
    }
    return new PermanentError(message, { cause: err, reason: 'rejected' });
  }
  if (err instanceof webApi.WebAPIRateLimitedError) {
    return new TransientError(`Slack rate limit: retry in ${err.retryAfter} s`, { cause: err, retryAfterMs: err.retryAfter * 1000 });
  }
  if (err instanceof webApi.WebAPIHTTPError) {
    const message = `Slack answered HTTP ${err.statusCode}.${suffix}`;
    return err.statusCode >= 500 || err.statusCode === 408 || err.statusCode === 429
      ? new TransientError(message, { cause: err })
      : new PermanentError(message, { cause: err, reason: 'rejected' });
  }
  if (err instanceof webApi.WebAPIRequestError) return new TransientError(`Could not reach Slack: ${err.original.message}`, { cause: err });
  if (err instanceof TransientError || err instanceof PermanentError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return classify(err) === 'transient' ? new TransientError(message, { cause: err }) : new PermanentError(message, { cause: err, reason: 'rejected' });
}

/**
 * The WebClient retries a call itself after waiting out a 429 (it throws a plain "A rate limit
 * was exceeded" error into its retry loop, wrapped as a request error). Every other failure we
 * want back at once, so the outbox decides (and a post that may have arrived is not repeated).
 */
export function isRateLimitRetry(err: unknown): boolean {
  const original = err instanceof webApi.WebAPIRequestError ? err.original : err;
  return original instanceof Error && original.message.startsWith('A rate limit was exceeded');
}
