import { REST } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeliveryWorker } from '../../../src/delivery/send-pending.ts';
import { message } from '../../../src/messages/message.ts';
import { createDiscordSender } from '../../../src/platforms/discord/discord-sender.ts';
import { setDigest } from '../../../src/digest/set-digest.ts';
import { startFakeDiscord, type FakeDiscord } from '../../support/fake-discord.ts';
import { testDeps } from '../../support/test-deps.ts';

// The Discord sender under the real outbox worker: what Discord's refusals do to the rows,
// the channel's digest and the user's DM state.

const open: FakeDiscord[] = [];
afterEach(async () => {
  for (const fake of open.splice(0)) await fake.close();
});

const CHANNEL = '700000000000000009';
const USER = '800000000000000009';
const messagesPath = /^\/channels\/\d+\/messages$/;

async function setup() {
  const fake = await startFakeDiscord();
  open.push(fake);
  const deps = testDeps();
  const rest = new REST({ api: fake.apiUrl }).setToken(fake.token);
  const worker = createDeliveryWorker(deps, [createDiscordSender(deps, rest)], { random: () => 0.5 });
  const now = deps.clock.now();
  const post = message({ kind: 'digest', visibility: 'public', title: 'Daily papers', text: 'Nothing much.' });
  const enqueueDigest = async (key: string) =>
    (await deps.store.enqueue({ platform: 'discord', targetKind: 'channel', targetId: CHANNEL, kind: 'digest', idempotencyKey: key, message: post, now })).id;
  const enqueueAlert = async (key: string) =>
    (await deps.store.enqueue({ platform: 'discord', targetKind: 'user', targetId: USER, kind: 'alert', idempotencyKey: key, message: { ...post, kind: 'alert', visibility: 'private' }, now })).id;
  return { fake, deps, worker, enqueueDigest, enqueueAlert };
}

describe('Discord deliveries through the outbox worker', () => {
  it('a 429 is waited out inside the send: one message, row sent with its id', async () => {
    const { fake, deps, worker, enqueueDigest } = await setup();
    fake.fail('POST', messagesPath, { kind: 'rate-limit', retryAfter: 0.3 });
    const id = await enqueueDigest('digest:discord:429');
    await worker.runOnce();
    const row = await deps.store.getDelivery(id);
    expect(row?.state).toBe('sent');
    expect(fake.messages).toHaveLength(1);
    expect(row?.messageId).toBe(fake.messages[0]?.id);
  });

  it('50007 on an alert DM: the row fails, the user is marked DMs-closed, no retry', async () => {
    const { fake, deps, worker, enqueueAlert } = await setup();
    fake.fail('POST', messagesPath, { kind: 'status', status: 403, code: 50007, message: 'Cannot send messages to this user' });
    const id = await enqueueAlert('alert:discord:u:1');
    await worker.runOnce();
    expect((await deps.store.getDelivery(id))?.state).toBe('failed');
    expect(await deps.store.isDmClosed({ platform: 'discord', id: USER })).toBe(true);
    // Nothing is retried later.
    await worker.runOnce();
    expect(fake.requests.filter((r) => messagesPath.test(r.path))).toHaveLength(1);
  });

  it('50001 on a digest: the channel digest is paused (config kept), the row fails', async () => {
    const { fake, deps, worker, enqueueDigest } = await setup();
    await setDigest(deps, { platform: 'discord', id: CHANNEL }, USER, { time: '08:30', top: 7 });
    fake.fail('POST', messagesPath, { kind: 'status', status: 403, code: 50001, message: 'Missing Access' });
    const id = await enqueueDigest('digest:discord:50001');
    await worker.runOnce();
    expect((await deps.store.getDelivery(id))?.state).toBe('failed');
    const digest = await deps.store.getDigest('discord', CHANNEL);
    expect(digest?.pausedReason).toBe('missing_access');
    expect(digest?.time).toBe('08:30');
    expect(digest?.top).toBe(7);
    expect(fake.messages).toHaveLength(0);
  });

  it('10003 on a digest pauses it as channel_gone', async () => {
    const { fake, deps, worker, enqueueDigest } = await setup();
    await setDigest(deps, { platform: 'discord', id: CHANNEL }, USER, {});
    fake.fail('POST', messagesPath, { kind: 'status', status: 404, code: 10003, message: 'Unknown Channel' });
    await enqueueDigest('digest:discord:10003');
    await worker.runOnce();
    expect((await deps.store.getDigest('discord', CHANNEL))?.pausedReason).toBe('channel_gone');
  });
});
