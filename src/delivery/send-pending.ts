import type { Deps } from '../deps.ts';
import type { DeliveryRef, Sender, SendTarget } from '../platforms/types.ts';
import { parseStoredMessage } from '../messages/stored-message.ts';
import type { DeliveryRow } from '../store/store.ts';
import { handleSendFailure } from './handle-send-failure.ts';

export type DeliveryWorker = {
  /** Sends every row due now (bounded concurrency, one at a time per target); resolves with how many were tried. */
  runOnce(): Promise<number>;
  /** Resolves rows a crash left 'sending': asks the Sender (`findSent`) or resends. */
  reconcile(): Promise<void>;
  /** Reconciles, then polls for due rows until `stop()`. */
  start(): void;
  /** Asks a started worker to look for due rows now (after an enqueue). */
  wake(): void;
  /** Stops claiming; waits for in-flight sends, at most `drainMs` (rows still out stay 'sending' for the next start). */
  stop(): Promise<void>;
  /** Platforms whose token was refused (`auth`): their rows wait, pending, for a restart. */
  stoppedPlatforms(): string[];
};

export type WorkerOptions = {
  /** Targets sent to at once. */
  concurrency?: number;
  pollMs?: number;
  drainMs?: number;
  /** Jitter source (tests pass a fixed one). */
  random?: () => number;
};

const RECONCILE_RETRY_MS = 30_000;

function targetOf(sender: Sender, row: DeliveryRow): SendTarget {
  const thread = row.replyTo === null ? {} : { thread: { parentId: row.replyTo, name: row.threadName ?? 'follow-ups' } };
  return { platform: sender.platform, kind: row.targetKind === 'user' ? 'user' : 'channel', id: row.targetId, ...thread };
}

function refOf(row: DeliveryRow): DeliveryRef {
  return { id: row.id, key: row.idempotencyKey };
}

export function createDeliveryWorker(deps: Deps, senders: Sender[], options: WorkerOptions = {}): DeliveryWorker {
  const log = deps.log.child({ module: 'delivery' });
  const concurrency = options.concurrency ?? 4;
  const pollMs = options.pollMs ?? 1_000;
  const drainMs = options.drainMs ?? 10_000;
  const random = options.random ?? Math.random;
  const byPlatform = new Map<string, Sender>(senders.map((sender) => [sender.platform, sender]));
  const stopped = new Set<string>();
  const inFlight = new Map<number, Promise<void>>();
  let running: Promise<number> | null = null;
  let reconcileAgainAt: number | null = null;
  let started = false;
  let stopping = false;
  let timer: NodeJS.Timeout | null = null;
  let loopDone: Promise<void> = Promise.resolve();
  const now = () => deps.clock.now();

  /** The delivery boundary: never rejects; every outcome ends in a row state and, if needed, a log line. */
  async function sendOne(sender: Sender, row: DeliveryRow): Promise<void> {
    const context = { deliveryId: row.id, key: row.idempotencyKey, platform: row.platform, targetId: row.targetId, attempt: row.attempts };
    try {
      const result = await sender.send(targetOf(sender, row), parseStoredMessage(row.payload), refOf(row));
      await deps.store.markSent(row.id, result.messageId, now());
      log.info({ ...context, messageId: result.messageId }, 'delivered');
    } catch (err) {
      try {
        const outcome = await handleSendFailure(deps, row, err, { random });
        if (outcome.retryAfterMs !== undefined) {
          await deps.store.recordRateLimitWait({ source: row.platform, route: 'delivery', waitMs: outcome.retryAfterMs, at: now() });
        }
        if (outcome.stopPlatform) stopped.add(row.platform);
      } catch (bookkeepingErr) {
        // The row stays 'sending'; the next start-up reconciles it.
        log.error({ ...context, err: bookkeepingErr }, 'could not record a delivery failure');
      }
    }
  }

  function activePlatforms(): string[] {
    return [...byPlatform.keys()].filter((platform) => !stopped.has(platform));
  }

  async function drainDue(): Promise<number> {
    let tried = 0;
    for (;;) {
      const free = concurrency - inFlight.size;
      const rows = !stopping && free > 0 ? await deps.store.claimDue(now(), { limit: free, platforms: activePlatforms() }) : [];
      for (const row of rows) {
        const sender = byPlatform.get(row.platform);
        if (!sender) continue;
        const sending = sendOne(sender, row).finally(() => inFlight.delete(row.id));
        inFlight.set(row.id, sending);
        tried += 1;
      }
      if (inFlight.size === 0) return tried;
      await Promise.race(inFlight.values());
      // Let timers and I/O run between passes: a send that fails at once and is due again at once
      // must not starve the event loop (signals, the gateway heartbeat, shutdown).
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  function runOnce(): Promise<number> {
    running ??= drainDue().finally(() => {
      running = null;
    });
    return running;
  }

  async function reconcileRow(row: DeliveryRow): Promise<void> {
    const sender = byPlatform.get(row.platform);
    // Platform not running this time: its row waits for a run that has the sender.
    if (!sender) return;
    if (!sender.findSent) {
      // Idempotent sender (Discord's nonce): sending again cannot duplicate.
      await deps.store.reschedule(row.id, now(), 'interrupted mid-send; resending');
      log.info({ deliveryId: row.id, key: row.idempotencyKey }, 'resending an interrupted delivery');
      return;
    }
    try {
      const messageId = await sender.findSent(targetOf(sender, row), refOf(row));
      if (messageId !== null) {
        await deps.store.markSent(row.id, messageId, now());
        log.info({ deliveryId: row.id, key: row.idempotencyKey, messageId }, 'interrupted delivery had arrived; marked sent');
      } else {
        await deps.store.reschedule(row.id, now(), 'interrupted before the platform had it; resending');
        log.info({ deliveryId: row.id, key: row.idempotencyKey }, 'resending an interrupted delivery');
      }
    } catch (err) {
      // Unknown whether it arrived: resending could duplicate, so the row stays 'sending' and we ask later.
      reconcileAgainAt = now() + RECONCILE_RETRY_MS;
      log.warn({ deliveryId: row.id, key: row.idempotencyKey, err }, 'could not check an interrupted delivery; will ask again');
    }
  }

  async function reconcile(): Promise<void> {
    reconcileAgainAt = null;
    for (const row of await deps.store.listStuckSending([...inFlight.keys()])) await reconcileRow(row);
  }

  function schedule(delayMs: number) {
    if (stopping) return;
    timer = setTimeout(() => {
      timer = null;
      loopDone = loopStep();
    }, delayMs);
    timer.unref();
  }

  /** The worker's boundary: a failing step (SQLite busy, a bug) is logged and the loop goes on. */
  async function loopStep(): Promise<void> {
    try {
      if (reconcileAgainAt !== null && reconcileAgainAt <= now()) await reconcile();
      await runOnce();
    } catch (err) {
      log.error({ err }, 'delivery loop step failed');
    }
    schedule(pollMs);
  }

  return {
    runOnce,
    reconcile,
    start() {
      if (started) return;
      started = true;
      loopDone = reconcile()
        .catch((err: unknown) => log.error({ err }, 'start-up reconciliation failed'))
        .then(() => loopStep());
    },
    wake() {
      if (!started || stopping || timer === null) return;
      clearTimeout(timer);
      timer = null;
      loopDone = loopStep();
    },
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      timer = null;
      let bounded: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        bounded = setTimeout(resolve, drainMs);
      });
      await Promise.race([Promise.all([loopDone, running, ...inFlight.values()]), deadline]);
      clearTimeout(bounded);
      if (inFlight.size > 0) log.warn({ inFlight: [...inFlight.keys()] }, 'stopped with deliveries still in flight; they are reconciled at the next start');
    },
    stoppedPlatforms: () => [...stopped],
  };
}
