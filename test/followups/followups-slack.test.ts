import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { setDigest } from '../../src/digest/set-digest.ts';
import { createDeliveryWorker } from '../../src/delivery/send-pending.ts';
import { createScheduler } from '../../src/scheduler.ts';
import { deliveries } from '../../src/store/sqlite/schema.ts';
import { hfItem, startFakeHf, type FakeHf } from '../support/fake-hf.ts';
import { startHarness, type Harness } from '../platforms/slack/slack-harness.ts';
import { allStrings } from '../platforms/slack/slack-test-kit.ts';

// Follow-ups on Slack: replies in the digest message's thread (thread_ts), through the outbox.

let h: Harness | undefined;
let hf: FakeHf | undefined;
afterEach(async () => {
  await h?.close();
  await hf?.close();
  h = undefined;
  hf = undefined;
});

const CHANNEL = 'C0DIGEST';
const DAY = '2026-08-31';

async function setUp() {
  hf = await startFakeHf();
  const fakeHf = hf;
  const day = (riser: number) => {
    const items = [
      hfItem({ id: '2608.00001', title: 'Diffusion for proteins', upvotes: 40 }),
      hfItem({ id: '2608.00002', title: 'Reasoning agents', upvotes: 30 }),
      hfItem({ id: '2608.00003', title: 'A late riser <!channel> about <@U123> retrieval', upvotes: riser }),
    ];
    fakeHf.setDay(DAY, items);
    for (const item of items) fakeHf.setPaper(String((item.paper as { id: string }).id), item.paper as Record<string, unknown>);
  };
  const harness = await startHarness('socket', { env: { HF_BASE_URL: fakeHf.url } });
  h = harness;
  harness.deps.clock.set('2026-08-31T12:00:00Z');
  await setDigest(harness.deps, { platform: 'slack', id: CHANNEL, workspaceId: 'T0FAKE' }, 'U0ADMIN', { time: '09:00', timezone: 'UTC', top: 2 });
  const scheduler = createScheduler(harness.deps, { senders: [harness.slack.sender], platforms: ['slack'] });
  const runAt = async (at: string) => {
    harness.deps.clock.set(at);
    await scheduler.runIngestNow([DAY, '2026-09-01']);
    await scheduler.worker.runOnce();
  };
  return { h: harness, day, runAt };
}

describe('follow-ups on Slack', () => {
  it('replies once in the digest message thread, pinging nobody', async () => {
    const { h, day, runAt } = await setUp();
    day(10);
    await runAt('2026-09-01T10:00:00Z');
    const [digest, ...others] = h.fake.messages.filter((m) => m.channel === CHANNEL);
    expect(others).toHaveLength(0);
    day(95);
    await runAt('2026-09-01T16:05:00Z');
    await runAt('2026-09-01T16:35:00Z');
    const replies = h.fake.messages.filter((m) => m.threadTs === digest?.ts);
    expect(replies).toHaveLength(1);
    const text = allStrings(replies[0]).join('\n');
    expect(text).toContain('climbed to #1 with 95 ▲');
    expect(text).toContain('https://huggingface.co/papers/2608.00003');
    // Feed text cannot ping: Slack's special mentions arrive escaped.
    expect(text).not.toMatch(/<!channel>|<@U123>/);
    expect(replies[0]?.metadata?.event_payload).toMatchObject({ key: 'followup:slack:C0DIGEST:2026-08-31:1', part: 1 });
    // Nothing new at the channel's root.
    expect(h.fake.messages.filter((m) => m.channel === CHANNEL && !m.threadTs)).toHaveLength(1);
  });

  it('a follow-up a crash left sending is not posted twice: the thread is read before posting', async () => {
    const { h, day, runAt } = await setUp();
    day(10);
    await runAt('2026-09-01T10:00:00Z');
    day(95);
    await runAt('2026-09-01T16:05:00Z');
    expect(h.fake.messages.filter((m) => m.threadTs)).toHaveLength(1);
    // The process died after Slack had the reply, before the outbox recorded it.
    h.deps.db.update(deliveries).set({ state: 'sending', messageId: null }).where(eq(deliveries.kind, 'followup')).run();
    const restarted = createDeliveryWorker(h.deps, [h.slack.sender]);
    await restarted.reconcile();
    await restarted.runOnce();
    expect(h.fake.messages.filter((m) => m.threadTs)).toHaveLength(1);
    const [row] = h.deps.db.select().from(deliveries).where(eq(deliveries.kind, 'followup')).all();
    expect(row?.state).toBe('sent');
    expect(row?.messageId).toBe(`${CHANNEL}:${h.fake.messages.find((m) => m.threadTs)?.ts}`);
  });

  it('a deleted digest message drops the follow-up: never posted at the root, never retried', async () => {
    const { h, day, runAt } = await setUp();
    day(10);
    await runAt('2026-09-01T10:00:00Z');
    const [digest] = h.fake.messages.filter((m) => m.channel === CHANNEL);
    h.fake.deleteMessage(CHANNEL, digest?.ts ?? '');
    day(95);
    await runAt('2026-09-01T16:05:00Z');
    await runAt('2026-09-01T16:35:00Z');
    expect(h.fake.calls('chat.postMessage')).toHaveLength(1);
    const rows = h.deps.db.select().from(deliveries).where(eq(deliveries.kind, 'followup')).all();
    expect(rows.map((row) => [row.state, row.attempts])).toEqual([['failed', 1]]);
    expect(h.deps.logLines().some((line) => line.msg === 'follow-up dropped: the digest message or its thread was deleted')).toBe(true);
  });
});
