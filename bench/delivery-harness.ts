import { Writable } from 'node:stream';
import { systemClock } from '../src/clock.ts';
import { loadConfig } from '../src/config.ts';
import { createDeliveryWorker } from '../src/delivery/send-pending.ts';
import type { Deps } from '../src/deps.ts';
import { createLogger } from '../src/log.ts';
import { message, type Message } from '../src/messages/message.ts';
import { toPaperCard } from '../src/messages/paper-card.ts';
import type { Sender } from '../src/platform.ts';
import type { Store } from '../src/store/store.ts';
import { generateNewDays } from './generate-corpus.ts';
import { say } from './progress.ts';
import type { RateLimitStats } from './rate-limited-discord.ts';
import { nowMs } from './stats.ts';
import type { Vocabulary } from './vocabulary.ts';

// Shared harness of the delivery figures: N queued digest messages (5 paper cards each, the real
// outbox rows) sent by the real delivery worker, started as main.ts starts it, through a platform's
// real Sender to a rate-limited fake on 127.0.0.1. The rate is measured at the fake.

export type DeliveryRun = {
  messages: number;
  sent: number;
  failed: number;
  /** From the first accepted request to the last, seconds. */
  spanSeconds: number;
  accepted: number;
  rejected: number;
  /** Wall time from worker start to the last row sent (or the deadline). */
  wallSeconds: number;
};

/** Deps of a bench bot: real config (env), info-level JSON logs into a sink, system clock, a scratch store. */
export function benchDeps(env: Record<string, string>, store: Store): Deps {
  const config = loadConfig({ LOG_LEVEL: 'info', DATABASE_PATH: ':memory:', ...env });
  // Logging stays on at the bot's default level (it is part of the cost), written nowhere.
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  return { config, log: createLogger(config, sink), store, clock: systemClock, fetch: globalThis.fetch };
}

/** A digest-sized message built from real rows through toPaperCard. */
export async function sampleDigest(store: Store, seed: number, vocabulary: Vocabulary): Promise<Message> {
  const [day] = generateNewDays({ seed, days: 1, perDay: 5, firstDate: '2026-11-02', vocabulary });
  if (!day) throw new Error('no sample day');
  const { inserted } = await store.upsertPapers(day.feedDate, day.papers, Date.now());
  const papers = (await store.getPapersByIds(inserted)).map((row) => toPaperCard(row));
  return message({ kind: 'digest', visibility: 'public', title: `Top papers for ${day.feedDate}`, text: '', papers });
}

/**
 * Queues `perTarget` messages for each target (round by round, so every target's rows are in
 * order), runs the worker until all are sent or `deadlineMs` passes, and reads the fake's counters.
 */
export async function runDelivery(options: {
  deps: Deps;
  sender: Sender;
  targets: string[];
  perTarget: number;
  message: Message;
  stats: RateLimitStats;
  deadlineMs: number;
}): Promise<DeliveryRun> {
  const { deps, sender, targets, perTarget, stats } = options;
  const enqueuedAt = Date.now();
  // Queued before the clock starts: one unit per row costs setup time only.
  for (let round = 0; round < perTarget; round += 1) {
    for (const target of targets) {
      await deps.store.enqueue({
        platform: sender.platform,
        targetKind: 'channel',
        targetId: target,
        kind: 'digest',
        idempotencyKey: `bench:${sender.platform}:${target}:${round}`,
        message: options.message,
        now: enqueuedAt,
      });
    }
  }
  const total = targets.length * perTarget;
  say(`delivery: ${total} ${sender.platform} messages queued to ${targets.length} targets`);
  const worker = createDeliveryWorker(deps, [sender]);
  const start = nowMs();
  worker.start();
  let counts = await deps.store.deliveryCounts(sender.platform);
  let lastReport = start;
  // Bounded: stops at the deadline whatever the worker does.
  while (counts.sent + counts.failed < total && nowMs() - start < options.deadlineMs) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    counts = await deps.store.deliveryCounts(sender.platform);
    if (nowMs() - lastReport > 15_000) {
      say(`delivery:   ${counts.sent}/${total} sent, ${stats.rejected} × 429 so far`);
      lastReport = nowMs();
    }
  }
  const wallSeconds = (nowMs() - start) / 1000;
  await worker.stop();
  const first = stats.acceptedAt[0] ?? 0;
  const last = stats.acceptedAt.at(-1) ?? 0;
  return {
    messages: total,
    sent: counts.sent,
    failed: counts.failed,
    spanSeconds: (last - first) / 1000,
    accepted: stats.accepted,
    rejected: stats.rejected,
    wallSeconds,
  };
}

