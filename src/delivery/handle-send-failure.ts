import type { Deps } from '../deps.ts';
import { classify, PermanentError, TransientError } from '../errors.ts';
import type { DeliveryRow } from '../store/store.ts';
import { MAX_ATTEMPTS, nextAttemptDelay } from './backoff.ts';

type FailureOutcome = {
  /** The platform said how long to wait (429): recorded as a rate-limit wait. */
  retryAfterMs?: number;
  /** The platform refused our token: stop sending on it. */
  stopPlatform?: boolean;
};

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/**
 * Records what a failed send means for the row (and its target), and logs it:
 * - transient → retry with backoff (Retry-After obeyed), failed after MAX_ATTEMPTS tries;
 * - `auth` → row back to pending, attempt refunded, platform stopped;
 * - `dm_closed` → user marked (no more alerts until their next command, notice owed), row failed;
 * - `channel_gone` / `missing_access` → digest paused (config kept), the target's rows failed;
 * - `thread_gone` → a follow-up whose digest message or thread was deleted: dropped (row failed);
 * - anything else permanent → row failed.
 */
export async function handleSendFailure(
  deps: Pick<Deps, 'store' | 'clock' | 'log'>,
  row: DeliveryRow,
  err: unknown,
  options: { random?: () => number } = {},
): Promise<FailureOutcome> {
  const log = deps.log.child({ module: 'delivery' });
  const now = deps.clock.now();
  const context = { deliveryId: row.id, key: row.idempotencyKey, platform: row.platform, targetId: row.targetId, attempt: row.attempts };
  const error = describe(err);
  const kind = classify(err);

  if (kind === 'transient') {
    const retryAfterMs = err instanceof TransientError ? err.retryAfterMs : undefined;
    if (row.attempts >= MAX_ATTEMPTS) {
      await deps.store.markFailed(row.id, error);
      log.error({ ...context, err }, 'delivery failed after every retry');
      return { retryAfterMs };
    }
    const delayMs = nextAttemptDelay(row.attempts, retryAfterMs, options.random);
    await deps.store.reschedule(row.id, now + delayMs, error);
    log.warn({ ...context, delayMs, retryAfterMs, error }, 'delivery will be retried');
    return { retryAfterMs };
  }

  const reason = err instanceof PermanentError ? err.reason : 'permanent';
  if (reason === 'auth') {
    await deps.store.reschedule(row.id, now, error, { refundAttempt: true });
    log.error(
      { ...context, err },
      `${row.platform} refused the bot token: sending on ${row.platform} stopped (deliveries stay queued); fix the token and restart`,
    );
    return { stopPlatform: true };
  }
  if (reason === 'dm_closed' && row.targetKind === 'user') {
    await deps.store.markDmClosed({ platform: row.platform, id: row.targetId }, now);
    await deps.store.markFailed(row.id, `dm_closed: ${error}`);
    log.info({ ...context, reason }, 'user does not accept DMs: alerts paused until their next command');
    return {};
  }
  if ((reason === 'channel_gone' || reason === 'missing_access') && row.targetKind === 'channel') {
    await deps.store.pauseTarget(row.platform, row.targetId, reason, now);
    await deps.store.markFailed(row.id, `${reason}: ${error}`);
    const alsoFailed = await deps.store.failPendingForTarget(row, `${reason}: target refused an earlier delivery`);
    log.warn(
      { ...context, reason, alsoFailed },
      `paused digest for channel ${row.targetId} (${row.platform}): ${reason}; invite the bot / restore access and run /papers digest set`,
    );
    return {};
  }
  if (reason === 'thread_gone') {
    await deps.store.markFailed(row.id, `${reason}: ${error}`);
    log.warn({ ...context, reason }, 'follow-up dropped: the digest message or its thread was deleted');
    return {};
  }
  await deps.store.markFailed(row.id, `${reason}: ${error}`);
  log.error({ ...context, reason, err }, 'delivery failed permanently');
  return {};
}
