import type { Deps } from '../deps.ts';
import type { DeliveryRef, Sender, SendTarget } from '../platform.ts';
import { parseStoredMessage } from '../messages/stored-message.ts';
import type { DeliveryRow } from '../store/store.ts';
import { settleWithin } from '../settle-within.ts';
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

/**
 * The polling loop's phases. TRANSITIONS is the one place that decides the next phase:
 *   idle ─start→ working ─stepped→ sleeping ─due (pollMs, or wake())→ working ─stepped→ …
 *   idle, working or sleeping ─stop→ stopped: final, nothing is claimed any more.
 * An event a phase does not list is ignored: a second start(), a wake() while working (the pass
 * under way or the next poll finds those rows), anything once stopped.
 */
type Phase =
  | { name: 'idle' }
  | { name: 'working'; step: Promise<void> }
  | { name: 'sleeping'; timer: NodeJS.Timeout }
  | { name: 'stopped' };
type PhaseName = Phase['name'];
type LoopEvent = 'start' | 'stepped' | 'due' | 'stop';

const TRANSITIONS: Record<PhaseName, Partial<Record<LoopEvent, Exclude<PhaseName, 'idle'>>>> = {
  idle: { start: 'working', stop: 'stopped' },
  working: { stepped: 'sleeping', stop: 'stopped' },
  sleeping: { due: 'working', stop: 'stopped' },
  stopped: {},
};

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
  /** The pass under way, shared by every runOnce() caller (the loop and tests). */
  let pass: Promise<number> | null = null;
  let reconcileAgainAt: number | null = null;
  let phase: Phase = { name: 'idle' };
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

  /** Claims rows for the free slots (none once stopped) and starts their sends; returns how many. */
  async function claimAndSend(): Promise<number> {
    const free = concurrency - inFlight.size;
    if (phase.name === 'stopped' || free <= 0) return 0;
    let started = 0;
    for (const row of await deps.store.claimDue(now(), { limit: free, platforms: activePlatforms() })) {
      const sender = byPlatform.get(row.platform);
      if (!sender) continue;
      inFlight.set(row.id, sendOne(sender, row).finally(() => inFlight.delete(row.id)));
      started += 1;
    }
    return started;
  }

  /** Keeps the slots full while rows are due; ends when no send is in flight. */
  async function sendDue(): Promise<number> {
    let tried = await claimAndSend();
    while (inFlight.size > 0) {
      await Promise.race(inFlight.values());
      // Let timers and I/O run between rounds: a send that fails at once and is due again at once
      // must not starve the event loop (signals, the gateway heartbeat, shutdown).
      await new Promise((resolve) => setImmediate(resolve));
      tried += await claimAndSend();
    }
    return tried;
  }

  function runOnce(): Promise<number> {
    pass ??= sendDue().finally(() => {
      pass = null;
    });
    return pass;
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

  /** One step of the loop, the worker's boundary: a failure (SQLite busy, a bug) is logged and the loop goes on. */
  async function step(first: boolean): Promise<void> {
    if (first) await reconcile().catch((err: unknown) => log.error({ err }, 'start-up reconciliation failed'));
    try {
      if (reconcileAgainAt !== null && reconcileAgainAt <= now()) await reconcile();
      await runOnce();
    } catch (err) {
      log.error({ err }, 'delivery loop step failed');
    }
  }

  /** Moves the loop on: the next phase comes from TRANSITIONS, and entering it starts its work. */
  function advance(event: LoopEvent): void {
    const next = TRANSITIONS[phase.name][event];
    if (next === undefined) return;
    if (phase.name === 'sleeping') clearTimeout(phase.timer);
    switch (next) {
      case 'working':
        // `.then` runs after this assignment, so the step's end always finds the phase it ends.
        phase = { name: 'working', step: step(event === 'start').then(() => advance('stepped')) };
        return;
      case 'sleeping': {
        const timer = setTimeout(() => advance('due'), pollMs);
        timer.unref();
        phase = { name: 'sleeping', timer };
        return;
      }
      case 'stopped':
        phase = { name: 'stopped' };
    }
  }

  return {
    runOnce,
    reconcile,
    start: () => advance('start'),
    wake: () => advance('due'),
    async stop() {
      const step = phase.name === 'working' ? phase.step : undefined;
      advance('stop');
      await settleWithin(Promise.all([step, pass, ...inFlight.values()]), drainMs);
      if (inFlight.size > 0) log.warn({ inFlight: [...inFlight.keys()] }, 'stopped with deliveries still in flight; they are reconciled at the next start');
    },
    stoppedPlatforms: () => [...stopped],
  };
}
