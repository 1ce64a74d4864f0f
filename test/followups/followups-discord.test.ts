import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createDeliveryWorker } from '../../src/delivery/send-pending.ts';
import { createScheduler, type Scheduler } from '../../src/scheduler.ts';
import { deliveries } from '../../src/store/sqlite/schema.ts';
import { hfItem, startFakeHf, type FakeHf } from '../support/fake-hf.ts';
import { startHarness, textOf, MessageData, type Harness } from '../platforms/discord/discord-harness.ts';
import { admin, CHANNEL_ID, chatInput } from '../platforms/discord/interaction-payloads.ts';

// Follow-ups in a digest's thread on Discord, end to end: slash command, ingests from the fake
// Hugging Face, the outbox, the fake Discord's thread endpoints.

const open: Array<{ close(): Promise<void> } | Scheduler> = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await ('close' in thing ? thing.close() : thing.stop());
});

const DAY = '2026-09-01';
const A = { id: '2609.00101', title: 'Diffusion transformers at scale' };
const B = { id: '2609.00102', title: 'Agents that plan' };
const C = { id: '2609.00103', title: 'A late riser about retrieval' };
const D = { id: '2609.00104', title: 'Sparse attention, slowly noticed' };

async function setUp(options: { top?: number } = {}) {
  const hf: FakeHf = await startFakeHf();
  open.push(hf);
  const h: Harness = await startHarness({ register: false, now: '2026-09-02T09:30:00Z', env: { HF_BASE_URL: hf.url, COMMAND_RATE_LIMIT: '1000' } });
  open.push(h);
  await h.interact(chatInput(h.fake.applicationId, admin(), 'digest set', { time: '10:00', timezone: 'UTC', top: options.top ?? 2 }));
  const scheduler = createScheduler(h.deps, { senders: [h.discord.sender], platforms: ['discord'], ingest: { fetch: { retries: 0, sleep: async () => {} } } });
  open.push(scheduler);
  const day = (upvotes: { a: number; b: number; c: number; d: number }, extra: Record<string, Record<string, unknown>> = {}) => {
    const items = [
      hfItem({ ...A, upvotes: upvotes.a, ...extra.a }),
      hfItem({ ...B, upvotes: upvotes.b, ...extra.b }),
      hfItem({ ...C, upvotes: upvotes.c }),
      hfItem({ ...D, upvotes: upvotes.d }),
    ];
    hf.setDay(DAY, items);
    for (const item of items) hf.setPaper(String((item.paper as { id: string }).id), item.paper as Record<string, unknown>);
  };
  /** An ingest job at `at` (UTC), then the outbox. */
  const runAt = async (at: string, days = [DAY]) => {
    h.deps.clock.set(at);
    await scheduler.runIngestNow(days);
    await scheduler.worker.runOnce();
  };
  return { hf, h, scheduler, day, runAt };
}

function digestMessage(h: Harness) {
  const posts = h.fake.messages.filter((m) => m.channelId === CHANNEL_ID);
  expect(posts).toHaveLength(1);
  return posts[0] ?? { id: '', body: {} };
}

function textOfBody(body: unknown): string {
  return textOf(MessageData.parse(body));
}

describe('follow-ups on Discord', () => {
  it('tells the thread once about a late riser and released code, batched by the interval, never after 7 days', async () => {
    const { hf, h, day, runAt } = await setUp();
    day({ a: 40, b: 30, c: 20, d: 10 });
    await runAt('2026-09-02T10:05:00Z');
    const digest = digestMessage(h);
    expect(textOfBody(digest.body)).toContain(A.title);
    expect(textOfBody(digest.body)).not.toContain(C.title);

    // An hour later: the first look at the posted papers' repos (the baseline), nothing to tell.
    hf.setRepos(B.id, { models: ['org/already-there'] });
    await runAt('2026-09-02T11:05:00Z');
    expect(h.fake.threads).toHaveLength(0);

    // C climbs, A gets code, B a new model; three hours after the post the interval holds them back.
    day({ a: 41, b: 31, c: 85, d: 10 }, { a: { githubRepo: 'https://github.com/org/diffusion', githubStars: 120 } });
    hf.setRepos(B.id, { models: ['org/already-there', 'org/agents-7b'] });
    await runAt('2026-09-02T13:05:00Z');
    expect(h.fake.threads).toHaveLength(0);

    // Past FOLLOWUP_INTERVAL (6h): one follow-up, in a public thread on the digest message.
    await runAt('2026-09-02T16:10:00Z');
    expect(h.fake.threads).toEqual([{ id: digest.id, parentChannelId: CHANNEL_ID, name: 'Papers of Tue 1 Sep 2026 · follow-ups', autoArchiveDuration: 10080 }]);
    const inThread = h.fake.messages.filter((m) => m.channelId === digest.id);
    expect(inThread).toHaveLength(1);
    const text = textOfBody(inThread[0]?.body);
    expect(text).toContain(C.title);
    expect(text).toContain('climbed to #1 with 85 ▲');
    expect(text).toContain('code released: github.com/org/diffusion (★ 120)');
    expect(text).toContain('new model on Hugging Face: https://huggingface.co/org/agents-7b');
    expect(text).not.toContain('already-there');
    expect(inThread[0]?.body).toMatchObject({ allowed_mentions: { parse: [] }, enforce_nonce: true });
    // Nothing reached the channel's root besides the digest.
    expect(h.fake.messages.filter((m) => m.channelId === CHANNEL_ID)).toHaveLength(1);

    // Told already: later passes stay quiet, also past the next interval.
    await runAt('2026-09-02T23:00:00Z');
    expect(h.fake.messages.filter((m) => m.channelId === digest.id)).toHaveLength(1);

    // D climbs: the second follow-up goes to the same thread (Discord answers 160004 to a second start).
    day({ a: 41, b: 31, c: 85, d: 60 }, { a: { githubRepo: 'https://github.com/org/diffusion', githubStars: 130 } });
    await runAt('2026-09-03T06:00:00Z', [DAY, '2026-09-03']);
    expect(h.fake.threads).toHaveLength(1);
    const second = h.fake.messages.filter((m) => m.channelId === digest.id);
    expect(second).toHaveLength(2);
    expect(textOfBody(second[1]?.body)).toContain('climbed to #2 with 60 ▲');
    expect(textOfBody(second[1]?.body)).not.toContain(C.title);

    // Seven days after the post: no more follow-ups, whatever happens.
    day({ a: 41, b: 31, c: 85, d: 60 }, { b: { githubRepo: 'https://github.com/org/agents' } });
    await runAt('2026-09-09T10:06:00Z', [DAY, '2026-09-09']);
    expect(h.fake.messages.filter((m) => m.channelId === digest.id)).toHaveLength(2);
    const kinds = h.deps.db.select().from(deliveries).all().map((row) => [row.kind, row.state]);
    expect(kinds.filter(([kind]) => kind === 'followup')).toEqual([['followup', 'sent'], ['followup', 'sent']]);
  });

  it('a follow-up a crash left sending is sent again without a duplicate (same thread, same nonce)', async () => {
    const { h, day, runAt } = await setUp();
    day({ a: 40, b: 30, c: 20, d: 10 });
    await runAt('2026-09-02T10:05:00Z');
    const digest = digestMessage(h);
    day({ a: 40, b: 30, c: 90, d: 10 });
    await runAt('2026-09-02T16:10:00Z');
    expect(h.fake.messages.filter((m) => m.channelId === digest.id)).toHaveLength(1);
    // The process died after Discord had the message, before the outbox recorded it.
    h.deps.db.update(deliveries).set({ state: 'sending', messageId: null }).where(eq(deliveries.kind, 'followup')).run();
    const restarted = createDeliveryWorker(h.deps, [h.discord.sender]);
    await restarted.reconcile();
    await restarted.runOnce();
    const inThread = h.fake.messages.filter((m) => m.channelId === digest.id);
    expect(inThread).toHaveLength(1);
    expect(h.fake.threads).toHaveLength(1);
    const [row] = h.deps.db.select().from(deliveries).where(eq(deliveries.kind, 'followup')).all();
    expect([row?.state, row?.messageId]).toEqual(['sent', inThread[0]?.id]);
  });

  it('replies to the digest message where threads are not allowed', async () => {
    const { h, day, runAt } = await setUp();
    h.fake.forbidThreads(CHANNEL_ID);
    day({ a: 40, b: 30, c: 20, d: 10 });
    await runAt('2026-09-02T10:05:00Z');
    const digest = digestMessage(h);
    day({ a: 40, b: 30, c: 90, d: 10 });
    await runAt('2026-09-02T16:10:00Z');
    const replies = h.fake.messages.filter((m) => m.channelId === CHANNEL_ID && m.id !== digest.id);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.body).toMatchObject({ message_reference: { message_id: digest.id, fail_if_not_exists: true }, allowed_mentions: { parse: [] } });
    expect(textOfBody(replies[0]?.body)).toContain('climbed to #1 with 90 ▲');
  });

  it('drops the follow-up with a log line when the digest message or its thread was deleted; the digest stays on', async () => {
    const { h, day, runAt } = await setUp();
    day({ a: 40, b: 30, c: 20, d: 10 });
    await runAt('2026-09-02T10:05:00Z');
    const digest = digestMessage(h);
    h.fake.deleteMessage(digest.id);
    day({ a: 40, b: 30, c: 90, d: 10 });
    await runAt('2026-09-02T16:10:00Z');
    await runAt('2026-09-02T16:20:00Z');
    const followups = h.deps.db.select().from(deliveries).where(eq(deliveries.kind, 'followup')).all();
    expect(followups.map((row) => [row.state, row.attempts])).toEqual([['failed', 1]]);
    expect(followups[0]?.lastError).toContain('thread_gone');
    expect(h.fake.messages.filter((m) => m.id !== digest.id)).toHaveLength(0);
    expect(h.deps.logLines().some((line) => line.msg === 'follow-up dropped: the digest message or its thread was deleted')).toBe(true);
    const digestRow = await h.deps.store.getDigest('discord', CHANNEL_ID);
    expect(digestRow?.pausedReason).toBeNull();
  });

  it('a deleted thread drops the next follow-up instead of posting to the channel', async () => {
    const { h, day, runAt } = await setUp();
    day({ a: 40, b: 30, c: 20, d: 10 });
    await runAt('2026-09-02T10:05:00Z');
    const digest = digestMessage(h);
    day({ a: 40, b: 30, c: 90, d: 10 });
    await runAt('2026-09-02T16:10:00Z');
    expect(h.fake.threads).toHaveLength(1);
    h.fake.deleteThread(digest.id);
    day({ a: 40, b: 30, c: 90, d: 80 });
    await runAt('2026-09-02T22:20:00Z');
    const states = h.deps.db.select().from(deliveries).where(eq(deliveries.kind, 'followup')).all().map((row) => row.state);
    expect(states).toEqual(['sent', 'failed']);
    expect(h.fake.messages.filter((m) => m.channelId === CHANNEL_ID)).toHaveLength(1);
  });

  it('none for a day that only a backfill stored, and none with followups:no', async () => {
    const { h, day, scheduler, runAt } = await setUp();
    day({ a: 40, b: 30, c: 20, d: 10 });
    h.deps.clock.set('2026-09-02T10:05:00Z');
    await scheduler.runIngestNow([DAY], 'backfill');
    await scheduler.worker.runOnce();
    digestMessage(h);
    day({ a: 40, b: 30, c: 90, d: 10 });
    await runAt('2026-09-02T16:10:00Z', ['2026-09-02']);
    expect(h.deps.db.select().from(deliveries).where(eq(deliveries.kind, 'followup')).all()).toHaveLength(0);

    // A regular ingest of the day makes it news; the channel turned follow-ups off, so still none.
    await h.interact(chatInput(h.fake.applicationId, admin(), 'digest set', { followups: false }));
    await runAt('2026-09-02T16:20:00Z');
    expect(h.deps.db.select().from(deliveries).where(eq(deliveries.kind, 'followup')).all()).toHaveLength(0);
    await h.interact(chatInput(h.fake.applicationId, admin(), 'digest set', { followups: true }));
    await runAt('2026-09-02T16:30:00Z');
    expect(h.deps.db.select().from(deliveries).where(eq(deliveries.kind, 'followup')).all()).toHaveLength(1);
  });
});
