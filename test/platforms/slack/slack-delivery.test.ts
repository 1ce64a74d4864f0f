import { afterEach, describe, expect, it } from 'vitest';
import { createDeliveryWorker } from '../../../src/delivery/send-pending.ts';
import { createScheduler } from '../../../src/scheduler.ts';
import { setDigest } from '../../../src/digest/set-digest.ts';
import { addWatch } from '../../../src/watches/add-watch.ts';
import { hfItem, startFakeHf, type FakeHf } from '../../support/fake-hf.ts';
import { startHarness, type Harness } from './slack-harness.ts';
import { aCard, aDigest, allStrings } from './slack-test-kit.ts';

// The adapter's Sender inside the real outbox worker and scheduler: what a running bot does.

let h: Harness | undefined;
let hf: FakeHf | undefined;

afterEach(async () => {
  await h?.close();
  await hf?.close();
  h = undefined;
  hf = undefined;
});

const CHANNEL = 'C0DIGEST';
const admin = 'U0ADMIN';

function enqueueDigest(harness: Harness, key: string, papers = [aCard()]) {
  return harness.deps.store.enqueue({
    platform: 'slack',
    targetKind: 'channel',
    targetId: CHANNEL,
    kind: 'digest',
    idempotencyKey: key,
    message: aDigest(papers),
    now: harness.deps.clock.now(),
  });
}

describe('Slack delivery through the outbox', () => {
  it('posts the channel digest and the watch alert DM after an ingest', async () => {
    hf = await startFakeHf({
      '2026-08-31': [
        hfItem({ id: '2608.00001', title: 'Diffusion <!channel> for <@U123> proteins', upvotes: 40 }),
        hfItem({ id: '2608.00002', title: 'Reasoning agents', upvotes: 30 }),
      ],
      '2026-09-01': [],
    });
    h = await startHarness('socket', { env: { HF_BASE_URL: hf.url } });
    // Set up the day before: a new digest starts with the next scheduled post.
    h.deps.clock.set('2026-08-31T12:00:00Z');
    await setDigest(h.deps, { platform: 'slack', id: CHANNEL, workspaceId: 'T0FAKE' }, admin, { time: '09:00', timezone: 'UTC', top: 5 });
    h.deps.clock.set('2026-09-01T10:00:00Z');
    await addWatch(h.deps, { platform: 'slack', id: 'U0ALICE' }, 'diffusion');
    const scheduler = createScheduler(h.deps, { senders: [h.slack.sender], platforms: ['slack'] });

    await scheduler.runIngestNow(['2026-08-31', '2026-09-01']);
    await scheduler.worker.runOnce();

    const digest = h.fake.messages.filter((m) => m.channel === CHANNEL);
    const alert = h.fake.messages.filter((m) => m.channel === 'DU0ALICE');
    expect(digest).toHaveLength(1);
    expect(alert).toHaveLength(1);
    expect(digest[0]?.metadata?.event_payload.key).toMatch(/^digest:slack:C0DIGEST:2026-08-31/);
    expect(allStrings(digest[0]?.blocks).join('\n')).toContain('Reasoning agents');
    expect(allStrings(alert[0]?.blocks).join('\n')).toContain('Diffusion &lt;!channel&gt; for &lt;@U123&gt; proteins');
    expect(allStrings(alert[0]?.blocks).join('\n')).not.toContain('Reasoning agents');
    // Nothing posted anywhere can ping: no raw <!…> or <@…> in blocks or fallback text.
    expect(allStrings(h.fake.messages).some((s) => /<[!@]/.test(s))).toBe(false);
    await scheduler.stop();
  });

  it('after a crash, an item left "sending" whose message is already in Slack is marked sent, not posted again', async () => {
    h = await startHarness('socket');
    const { id } = await enqueueDigest(h, 'digest:slack:C0DIGEST:2026-08-31');
    const [row] = await h.deps.store.claimDue(h.deps.clock.now(), { limit: 1, platforms: ['slack'] });
    if (!row) throw new Error('not claimed');
    // The previous process posted it, then died before writing 'sent'.
    await h.slack.sender.send({ platform: 'slack', kind: 'channel', id: CHANNEL }, aDigest([aCard()]), { id, key: row.idempotencyKey });
    const posts = h.fake.calls('chat.postMessage').length;

    const worker = createDeliveryWorker(h.deps, [h.slack.sender]);
    await worker.reconcile();
    await worker.runOnce();

    expect(await h.deps.store.getDelivery(id)).toMatchObject({ state: 'sent', messageId: `${CHANNEL}:${h.fake.messages[0]?.ts}` });
    expect(h.fake.calls('chat.postMessage')).toHaveLength(posts);
    expect(h.fake.messages).toHaveLength(1);
  });

  it('after a crash before Slack had it, the item is sent exactly once', async () => {
    h = await startHarness('socket');
    const { id } = await enqueueDigest(h, 'digest:slack:C0DIGEST:2026-08-30');
    await h.deps.store.claimDue(h.deps.clock.now(), { limit: 1, platforms: ['slack'] });
    const worker = createDeliveryWorker(h.deps, [h.slack.sender]);
    await worker.reconcile();
    await worker.runOnce();
    expect((await h.deps.store.getDelivery(id))?.state).toBe('sent');
    expect(h.fake.messages).toHaveLength(1);
  });

  it('a 429 while sending is waited out and the digest is posted exactly once', async () => {
    h = await startHarness('socket');
    const { id } = await enqueueDigest(h, 'digest:slack:C0DIGEST:429');
    h.fake.fault('chat.postMessage', { kind: 'ratelimit', retryAfter: 1 });
    await createDeliveryWorker(h.deps, [h.slack.sender]).runOnce();
    expect((await h.deps.store.getDelivery(id))?.state).toBe('sent');
    expect(h.fake.messages).toHaveLength(1);
  });

  it('not_in_channel: joins once and posts; when joining fails the digest is paused with invite instructions', async () => {
    h = await startHarness('socket');
    await setDigest(h.deps, { platform: 'slack', id: CHANNEL }, admin, { time: '09:00' });
    h.fake.setChannel(CHANNEL, { member: false });
    const joined = await enqueueDigest(h, 'digest:slack:C0DIGEST:a');
    const worker = createDeliveryWorker(h.deps, [h.slack.sender]);
    await worker.runOnce();
    expect((await h.deps.store.getDelivery(joined.id))?.state).toBe('sent');

    h.fake.setChannel(CHANNEL, { member: false, joinable: false });
    const refused = await enqueueDigest(h, 'digest:slack:C0DIGEST:b');
    await worker.runOnce();
    expect(await h.deps.store.getDelivery(refused.id)).toMatchObject({ state: 'failed' });
    expect((await h.deps.store.getDelivery(refused.id))?.lastError).toContain('/invite @paperboy');
    expect((await h.deps.store.getDigest('slack', CHANNEL))?.pausedReason).toBe('missing_access');
    expect(h.fake.calls('conversations.join')).toHaveLength(2);
  });

  it.each([
    ['channel_not_found', { exists: false }],
    ['is_archived', { archived: true }],
  ])('%s pauses the digest (configuration kept) and fails the item', async (code, state) => {
    h = await startHarness('socket');
    await setDigest(h.deps, { platform: 'slack', id: CHANNEL }, admin, { time: '09:00', top: 7 });
    h.fake.setChannel(CHANNEL, state);
    const { id } = await enqueueDigest(h, `digest:slack:C0DIGEST:${code}`);
    await createDeliveryWorker(h.deps, [h.slack.sender]).runOnce();
    expect((await h.deps.store.getDelivery(id))?.state).toBe('failed');
    expect((await h.deps.store.getDelivery(id))?.lastError).toContain(code);
    expect(await h.deps.store.getDigest('slack', CHANNEL)).toMatchObject({ pausedReason: 'channel_gone', top: 7 });
  });

  it('invalid_auth stops Slack (sending and receiving) with a clear error; the item stays queued', async () => {
    h = await startHarness('http');
    const { id } = await enqueueDigest(h, 'digest:slack:C0DIGEST:auth');
    h.fake.revokeToken();
    const worker = createDeliveryWorker(h.deps, [h.slack.sender]);
    await worker.runOnce();
    expect(worker.stoppedPlatforms()).toEqual(['slack']);
    expect((await h.deps.store.getDelivery(id))?.state).toBe('pending');
    const messages = h.deps.logLines().map((line) => String(line.msg));
    expect(messages.some((msg) => msg.includes('Slack refused the bot token'))).toBe(true);
    // The HTTP receiver is closed: Slack's requests no longer reach a stale app.
    await h.fake.waitFor(async () => !(await fetch(h?.eventsUrl ?? '').then(() => true, () => false)), 'the receiver to close');
    expect(h.fake.messages).toEqual([]);
  });
});
