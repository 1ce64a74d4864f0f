export type UserErrorCode =
  | 'bad_query'
  | 'bad_option'
  | 'bad_date'
  | 'bad_paper_id'
  | 'not_found'
  | 'watch_limit'
  | 'watch_duplicate'
  | 'not_admin'
  | 'not_in_channel'
  | 'rate_limited'
  /** Hugging Face did not answer a request made for the user: try again in a minute. */
  | 'hf_unavailable'
  | 'stale_page'
  | 'unknown_command';

/** Safe to show to the user as is; `code` is stable for tests. */
export class UserError extends Error {
  constructor(
    readonly code: UserErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'UserError';
  }
}

/** Network trouble, 5xx, 429, SQLITE_BUSY: try again later. `retryAfterMs` when the server said. */
export class TransientError extends Error {
  constructor(
    message: string,
    options?: ErrorOptions & { retryAfterMs?: number },
  ) {
    super(message, options);
    this.name = 'TransientError';
    this.retryAfterMs = options?.retryAfterMs;
  }
  readonly retryAfterMs: number | undefined;
}

/** Why a send or request will not work; the delivery worker acts on auth, dm_closed, channel_gone, missing_access and thread_gone (handle-send-failure.ts), the rest fail the one delivery. */
export type PermanentReason =
  /** The platform refused the bot token: stop sending on that platform. */
  | 'auth'
  /** The user refuses DMs: pause their alerts until their next command. */
  | 'dm_closed'
  /** The channel no longer exists / the bot may not post there: pause the channel's digest. */
  | 'channel_gone'
  | 'missing_access'
  /** The platform refused the request for a reason not tied to its content; the same request would be refused again. */
  | 'rejected'
  /** The platform refused this message's content (Slack's msg_* and invalid_* errors, nothing to send). */
  | 'rejected_message'
  /** A follow-up's digest message or thread was deleted: drop the follow-up, keep the digest. */
  | 'thread_gone'
  /** The platform answered in a shape we do not understand. */
  | 'bad_response'
  /** An HTTP status that retrying will not change (HttpStatusError). */
  | `http_${number}`
  /** The arXiv API answered with an error entry (a malformed id list). */
  | 'arxiv_api_error'
  /** Anything else that retrying will not fix (a 4xx, a schema mismatch). */
  | 'permanent';

/** Will not get better by retrying: schema mismatch, 403/404, channel gone, DMs closed. */
export class PermanentError extends Error {
  constructor(
    message: string,
    options?: ErrorOptions & { reason?: PermanentReason },
  ) {
    super(message, options);
    this.name = 'PermanentError';
    this.reason = options?.reason ?? 'permanent';
  }
  readonly reason: PermanentReason;
}

type ErrorKind = 'user' | 'transient' | 'permanent';

const transientCodes = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
]);

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = 'code' in err ? err.code : undefined;
  if (typeof code === 'string') return code;
  const cause = 'cause' in err ? err.cause : undefined;
  return cause === err ? undefined : errorCode(cause);
}

/** Maps any thrown value (ours, fetch, HTTP status, SQLite codes) to one of the three kinds. */
export function classify(err: unknown): ErrorKind {
  if (err instanceof UserError) return 'user';
  if (err instanceof TransientError) return 'transient';
  if (err instanceof PermanentError) return 'permanent';
  if (err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError')) return 'transient';
  const code = errorCode(err);
  if (code && transientCodes.has(code)) return 'transient';
  if (err instanceof TypeError && err.message === 'fetch failed') return 'transient';
  return 'permanent';
}

/** Classifies an HTTP status: 408/425/429/5xx are worth a retry, other 4xx are not. */
export function classifyStatus(status: number): ErrorKind {
  if (status === 408 || status === 425 || status === 429 || status >= 500) return 'transient';
  return 'permanent';
}
