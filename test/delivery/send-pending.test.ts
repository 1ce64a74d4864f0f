import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS } from '../../src/delivery/backoff.ts';
import { createDeliveryWorker } from '../../src/delivery/send-pending.ts';
import { setDigest } from '../../src/digest/set-digest.ts';
import { message, textMessage } from '../../src/messages/message.ts';
import { rateLimitEvents, users } from '../../src/store/sqlite/schema.ts';
import type { NewDelivery } from '../../src/store/store.ts';
import { createRecordingSender } from '../support/recording-sender.ts';
import { testDeps, type TestDeps } from '../support/test-deps.ts';
import { sleep } from '../support/wait.ts';

let keys = 0;
async function queue(deps: TestDeps, overrides: Partial<NewDelivery> = {}): Promise<number> {
  keys += 1;
  const queued = await deps.store.enqueue({
    platform: 'discord',
    targetKind: 'channel',
    targetId: 'C1',
    kind: 'digest',
    idempotencyKey: `test:${keys}`,
    message: textMessage(`message ${keys}`),
    now: deps.clock.now(),
    ...overrides,
  });
  return queued.id;
}

async function state(deps: TestDeps, id: number) {
  const row = await deps.store.getDelivery(id);
  if (!row) throw new Error(`no delivery ${id}`);
  return row;
}

/** Jitter pinned to the top of the window, so delays are exact: 2 s, 4 s, 8 s … */
const maxJitter = () => 1;

describe('delivery worker', () => {
  it('sends due rows and marks them sent with the platform message id', async () => {
    const deps = testDeps();
    const sender = createRecordingSender('discord');
    const digest = message({ kind: 'digest', visibility: 'public', title: 'Daily papers — Mon 31 Aug 2026', text: 'Top 1 of 1 paper.' });
    const id = await queue(deps, { message: digest });
    const worker = createDeliveryWorker(deps, [sender]);
    expect(await worker.runOnce()).toBe(1);
    expect(await state(deps, id)).toMatchObject({ state: 'sent', messageId: 'discord-msg-1', attempts: 1 });
    expect(sender.sent).toHaveLength(1);
    expect(sender.sent[0]?.message).toEqual(digest);
    expect(sender.sent[0]?.target).toEqual({ platform: 'discord', kind: 'channel', id: 'C1' });
    expect(sender.sent[0]?.delivery).toEqual({ id, key: (await state(deps, id)).idempotencyKey });
    expect(await worker.runOnce()).toBe(0);
  });

  it('retries transient failures with exponential backoff, then marks the row failed', async () => {
    const deps = testDeps();
    const sender = createRecordingSender('discord');
    sender.script(...Array.from({ length: MAX_ATTEMPTS }, () => ({ kind: 'transient' as const })));
    const id = await queue(deps);
    const worker = createDeliveryWorker(deps, [sender], { random: maxJitter });
    const waits: number[] = [];
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt += 1) {
      await worker.runOnce();
      const row = await state(deps, id);
      expect(row).toMatchObject({ state: 'pending', attempts: attempt });
      waits.push(row.nextAttemptAt - deps.clock.now());
      // Not due a moment early…
      deps.clock.advance(row.nextAttemptAt - deps.clock.now() - 1);
      expect(await worker.runOnce()).toBe(0);
      deps.clock.advance(1);
    }
    expect(waits).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000]);
    await worker.runOnce();
    expect(await state(deps, id)).toMatchObject({ state: 'failed', attempts: MAX_ATTEMPTS });
    expect((await state(deps, id)).lastError).toMatch(/TransientError/);
    expect(deps.logLines().some((l) => l.msg === 'delivery failed after every retry' && l.deliveryId === id)).toBe(true);
    expect(sender.sent).toEqual([]);
  });

  it('caps the backoff at 10 minutes and jitters below the window', async () => {
    const deps = testDeps();
    const sender = createRecordingSender('discord');
    sender.script({ kind: 'transient' });
    const id = await queue(deps);
    // Pretend six tries already failed: the 7th waits at most 2 s × 2^6 = 128 s; × 0.25 jitter = 32 s.
    deps.db.$client.prepare('UPDATE deliveries SET attempts = 6 WHERE id = ?').run(id);
    await createDeliveryWorker(deps, [sender], { random: () => 0.25 }).runOnce();
    expect((await state(deps, id)).nextAttemptAt - deps.clock.now()).toBe(32_000);
  });

  it('obeys Retry-After on a 429 and records the wait', async () => {
    const deps = testDeps();
    const sender = createRecordingSender('slack');
    sender.script({ kind: 'transient', retryAfterMs: 30_000 });
    const id = await queue(deps, { platform: 'slack' });
    const worker = createDeliveryWorker(deps, [sender], { random: maxJitter });
    await worker.runOnce();
    expect((await state(deps, id)).nextAttemptAt).toBe(deps.clock.now() + 30_000);
    deps.clock.advance(29_999);
    expect(await worker.runOnce()).toBe(0);
    deps.clock.advance(1);
    expect(await worker.runOnce()).toBe(1);
    expect(await state(deps, id)).toMatchObject({ state: 'sent', attempts: 2 });
    expect(deps.db.select().from(rateLimitEvents).all()).toMatchObject([{ source: 'slack', waitMs: 30_000 }]);
  });

  it('dm_closed: marks the user (notice owed once), fails the row, no retry', async () => {
    const deps = testDeps();
    const sender = createRecordingSender('discord');
    sender.script({ kind: 'permanent', reason: 'dm_closed' });
    const id = await queue(deps, { targetKind: 'user', targetId: 'U1', kind: 'alert' });
    const worker = createDeliveryWorker(deps, [sender]);
    await worker.runOnce();
    expect((await state(deps, id)).state).toBe('failed');
    expect((await state(deps, id)).lastError).toMatch(/^dm_closed/);
    const user = deps.db.select().from(users).where(and(eq(users.platform, 'discord'), eq(users.userId, 'U1'))).get();
    expect(user).toMatchObject({ dmClosedAt: deps.clock.now(), dmClosedNoticeOwed: true });
    expect(await deps.store.takeDmClosedNotice({ platform: 'discord', id: 'U1' })).toBe(true);
    expect(await deps.store.takeDmClosedNotice({ platform: 'discord', id: 'U1' })).toBe(false);
    deps.clock.advance(3_600_000);
    expect(await worker.runOnce()).toBe(0);
  });

  it.each(['channel_gone', 'missing_access'] as const)('%s: pauses the digest (config kept), fails the target rows, logs what to do', async (reason) => {
    const deps = testDeps();
    await setDigest(deps, { platform: 'discord', id: 'C1' }, 'admin', { top: 7 });
    const sender = createRecordingSender('discord');
    sender.script({ kind: 'permanent', reason });
    const first = await queue(deps);
    const second = await queue(deps);
    const other = await queue(deps, { targetId: 'C2' });
    await createDeliveryWorker(deps, [sender]).runOnce();
    expect(await state(deps, first)).toMatchObject({ state: 'failed' });
    expect(await state(deps, second)).toMatchObject({ state: 'failed' });
    expect(await state(deps, other)).toMatchObject({ state: 'sent' });
    expect(await deps.store.getDigest('discord', 'C1')).toMatchObject({ pausedReason: reason, top: 7, enabled: true });
    const line = deps.logLines().find((l) => l.level === 40 && typeof l.msg === 'string' && l.msg.startsWith('paused digest for channel C1'));
    expect(line?.msg).toContain('invite the bot / restore access and run /papers digest set');
  });

  it('auth: stops sending on that platform, keeps its rows pending, other platforms go on', async () => {
    const deps = testDeps();
    const discord = createRecordingSender('discord');
    const slack = createRecordingSender('slack');
    discord.script({ kind: 'auth' });
    const d1 = await queue(deps);
    const d2 = await queue(deps, { targetId: 'C2' });
    const s1 = await queue(deps, { platform: 'slack' });
    const worker = createDeliveryWorker(deps, [discord, slack], { concurrency: 1 });
    await worker.runOnce();
    expect(worker.stoppedPlatforms()).toEqual(['discord']);
    expect(await state(deps, d1)).toMatchObject({ state: 'pending', attempts: 0 });
    expect(await state(deps, d2)).toMatchObject({ state: 'pending', attempts: 0 });
    expect(await state(deps, s1)).toMatchObject({ state: 'sent' });
    deps.clock.advance(3_600_000);
    expect(await worker.runOnce()).toBe(0);
    expect(discord.attempts).toHaveLength(1);
    expect(deps.logLines().some((l) => l.level === 50 && String(l.msg).includes('discord refused the bot token'))).toBe(true);
  });

  it('other permanent errors fail the row without touching the target', async () => {
    const deps = testDeps();
    const sender = createRecordingSender('discord');
    sender.script({ kind: 'permanent', reason: 'rejected_message' });
    const id = await queue(deps);
    await createDeliveryWorker(deps, [sender]).runOnce();
    expect(await state(deps, id)).toMatchObject({ state: 'failed' });
    expect((await state(deps, id)).lastError).toMatch(/^rejected_message/);
  });

  it('sends to many targets at once (at most `concurrency`), one message at a time per target, in order', async () => {
    const deps = testDeps();
    const sender = createRecordingSender('discord');
    const ids: Record<string, number[]> = {};
    for (let t = 0; t < 6; t += 1) {
      for (let n = 0; n < 3; n += 1) (ids[`C${t}`] ??= []).push(await queue(deps, { targetId: `C${t}` }));
    }
    expect(await createDeliveryWorker(deps, [sender], { concurrency: 4 }).runOnce()).toBe(18);
    expect(sender.maxConcurrent()).toEqual({ overall: 4, perTarget: 1 });
    for (const [target, expected] of Object.entries(ids)) {
      expect(sender.sent.filter((s) => s.target.id === target).map((s) => s.delivery.id)).toEqual(expected);
    }
  });

  it('leaves rows of platforms without a sender pending', async () => {
    const deps = testDeps();
    const id = await queue(deps, { platform: 'slack' });
    expect(await createDeliveryWorker(deps, [createRecordingSender('discord')]).runOnce()).toBe(0);
    expect((await state(deps, id)).state).toBe('pending');
  });
});

describe('start-up reconciliation of rows left sending', () => {
  async function crashMidSend(deps: TestDeps, platform = 'slack'): Promise<number> {
    const id = await queue(deps, { platform });
    await deps.store.claimDue(deps.clock.now(), { limit: 1, platforms: [platform] });
    expect((await state(deps, id)).state).toBe('sending');
    return id;
  }

  it('with findSent: a message the platform already has is marked sent, not resent', async () => {
    const deps = testDeps();
    const id = await crashMidSend(deps);
    const sender = createRecordingSender('slack', { findSent: true });
    sender.seedDelivered((await state(deps, id)).idempotencyKey, 'ts-123');
    const worker = createDeliveryWorker(deps, [sender]);
    await worker.reconcile();
    await worker.runOnce();
    expect(await state(deps, id)).toMatchObject({ state: 'sent', messageId: 'ts-123' });
    expect(sender.findSentCalls).toHaveLength(1);
    expect(sender.attempts).toEqual([]);
  });

  it('with findSent: a message the platform does not have is sent again', async () => {
    const deps = testDeps();
    const id = await crashMidSend(deps);
    const sender = createRecordingSender('slack', { findSent: true });
    const worker = createDeliveryWorker(deps, [sender]);
    await worker.reconcile();
    await worker.runOnce();
    expect(await state(deps, id)).toMatchObject({ state: 'sent', messageId: 'slack-msg-1' });
    expect(sender.sent).toHaveLength(1);
  });

  it('without findSent (idempotent sender): resends', async () => {
    const deps = testDeps();
    const id = await crashMidSend(deps, 'discord');
    const sender = createRecordingSender('discord');
    const worker = createDeliveryWorker(deps, [sender]);
    await worker.reconcile();
    await worker.runOnce();
    expect(await state(deps, id)).toMatchObject({ state: 'sent' });
    expect(sender.sent.map((s) => s.delivery.id)).toEqual([id]);
  });

  it('with findSent failing: the row stays sending (no blind resend) and is asked about again later', async () => {
    const deps = testDeps();
    const id = await crashMidSend(deps);
    const sender = createRecordingSender('slack', { findSent: true });
    sender.failFindSent(1);
    const worker = createDeliveryWorker(deps, [sender], { pollMs: 5 });
    worker.start();
    await expect.poll(() => sender.findSentCalls.length).toBe(1);
    expect((await state(deps, id)).state).toBe('sending');
    expect(sender.attempts).toEqual([]);
    // 30 s later the worker asks again; the platform does not have it, so it is sent once.
    deps.clock.advance(30_000);
    await expect.poll(async () => (await state(deps, id)).state).toBe('sent');
    await worker.stop();
    expect(sender.findSentCalls).toHaveLength(2);
    expect(sender.sent).toHaveLength(1);
  });

  it('a stuck row blocks its target until reconciled', async () => {
    const deps = testDeps();
    await crashMidSend(deps, 'discord');
    const later = await queue(deps, { platform: 'discord' });
    const worker = createDeliveryWorker(deps, [createRecordingSender('discord')]);
    expect(await worker.runOnce()).toBe(0);
    expect((await state(deps, later)).state).toBe('pending');
  });

  it('start() reconciles and then delivers on its own; stop() waits for the send in flight', async () => {
    const deps = testDeps();
    const stuck = await crashMidSend(deps, 'discord');
    const sender = createRecordingSender('discord');
    sender.script({ kind: 'ok' }, { kind: 'wait' });
    const held = await queue(deps, { platform: 'discord', targetId: 'C9' });
    const worker = createDeliveryWorker(deps, [sender], { pollMs: 5 });
    worker.start();
    await expect.poll(() => sender.attempts.length).toBe(2);
    const stopped = worker.stop();
    let done = false;
    void stopped.then(() => {
      done = true;
    });
    // No event says that stop() is still waiting: give it the time it would take to return early.
    await sleep(20);
    expect(done).toBe(false);
    sender.release();
    await stopped;
    expect((await state(deps, stuck)).state).toBe('sent');
    expect((await state(deps, held)).state).toBe('sent');
  });

  it('stop() gives up waiting after drainMs; the row stays sending for the next start', async () => {
    const deps = testDeps();
    const sender = createRecordingSender('discord');
    sender.script({ kind: 'wait' });
    const id = await queue(deps);
    const worker = createDeliveryWorker(deps, [sender], { pollMs: 5, drainMs: 50 });
    worker.start();
    await expect.poll(() => sender.attempts.length).toBe(1);
    await worker.stop();
    expect((await state(deps, id)).state).toBe('sending');
    sender.release();
  });
});
