import { webApi, type Logger as BoltLogger } from '@slack/bolt';
import type { Deps } from '../../deps.ts';
import { isRateLimitRetry } from './map-slack-error.ts';

/** A hung request must not hold the delivery worker (or a command) forever. */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * WebClient options for every client of the adapter (Bolt's, Socket Mode's, the Sender's).
 * `slackApiUrl` comes from SLACK_API_URL so tests can use a fake. Retries: only after a 429,
 * which the WebClient waits out itself (Retry-After, whole seconds); any other failure comes back
 * at once: a command reply should not hang for minutes, and the outbox has its own backoff.
 */
export function slackClientOptions(deps: Deps, logger: BoltLogger): webApi.WebClientOptions {
  const retryConfig: webApi.RetryOptions & { onFailedAttempt(err: Error): void } = {
    retries: 3,
    // The 429 wait already happened inside the WebClient: retry right after it.
    minTimeout: 0,
    maxTimeout: 0,
    // p-retry (under the WebClient) stops retrying when this throws.
    onFailedAttempt(err: Error) {
      if (!isRateLimitRetry(err)) throw err;
    },
  };
  return {
    slackApiUrl: deps.config.SLACK_API_URL,
    logger,
    retryConfig,
    timeout: REQUEST_TIMEOUT_MS,
  };
}

/** Records every 429 wait a client takes (for `/papers status` and metrics). */
export function recordRateLimits(deps: Deps, client: webApi.WebClient): void {
  client.on(webApi.WebClientEvent.RATE_LIMITED, (retrySec: number, details: { url?: string }) => {
    const route = typeof details?.url === 'string' ? new URL(details.url, deps.config.SLACK_API_URL).pathname.split('/').pop() ?? null : null;
    // Fire and forget: the WebClient does not wait for its listeners, and a lost record only
    // leaves a gap in status and metrics.
    deps.store
      .recordRateLimitWait({ source: 'slack', route, waitMs: retrySec * 1000, at: deps.clock.now() })
      .catch((err: unknown) => deps.log.warn({ err }, 'could not record a Slack rate-limit wait'));
  });
}
