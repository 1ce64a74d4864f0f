import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PermanentError, TransientError } from '../../../src/errors.ts';
import { createBoltLogger } from '../../../src/platforms/slack/bolt-logger.ts';
import { recordRateLimits, slackClientOptions } from '../../../src/platforms/slack/slack-client-options.ts';
import { createSlackSender } from '../../../src/platforms/slack/slack-sender.ts';
import type { Sender } from '../../../src/platform.ts';
import { FAKE_APP_TOKEN, FAKE_BOT_TOKEN, startFakeSlack, type FakeSlack } from '../../support/fake-slack.ts';
import { testDeps, type TestDeps } from '../../support/test-deps.ts';
import { aCard, aDigest } from './slack-test-kit.ts';

let fake: FakeSlack;
let deps: TestDeps;
let sender: Sender;
let authFailures: PermanentError[];

const channel = { platform: 'slack' as const, kind: 'channel' as const, id: 'C0DIGEST' };
const user = { platform: 'slack' as const, kind: 'user' as const, id: 'U0ALICE' };
const ref = (key: string) => ({ id: 1, key });
// The posts to a channel are paced as in the bot, 100 ms apart instead of 1,010: what these tests
// assert does not depend on the gap's length, and the suite need not wait a second per post.
const CHANNEL_INTERVAL_MS = 100;

function senderFor(apiUrl: string): Sender {
  const client = new webApi.WebClient(FAKE_BOT_TOKEN, slackClientOptions({ ...deps, config: { ...deps.config, SLACK_API_URL: apiUrl } }, createBoltLogger(deps.log, [])));
  recordRateLimits(deps, client);
  return createSlackSender(deps, client, { onAuthFailure: (err) => authFailures.push(err) }, CHANNEL_INTERVAL_MS);
}

async function sendError(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the send to fail');
}

beforeEach(async () => {
  fake = await startFakeSlack();
  deps = testDeps({ env: { SLACK_BOT_TOKEN: FAKE_BOT_TOKEN, SLACK_APP_TOKEN: FAKE_APP_TOKEN, SLACK_API_URL: fake.apiUrl } });
  authFailures = [];
  sender = senderFor(fake.apiUrl);
});

afterEach(async () => {
  await fake.close();
});

describe('Slack sender', () => {
  it('posts a digest with unfurling off and the delivery key in the message metadata', async () => {
    const result = await sender.send(channel, aDigest([aCard(), aCard()]), ref('digest:slack:C0DIGEST:2026-08-31'));
    expect(fake.messages).toHaveLength(1);
    const [posted] = fake.messages;
    expect(result.messageId).toBe(`C0DIGEST:${posted?.ts}`);
    expect(posted).toMatchObject({
      channel: 'C0DIGEST',
      unfurlLinks: 'false',
      unfurlMedia: 'false',
      metadata: { event_type: 'paperboy_delivery', event_payload: { key: 'digest:slack:C0DIGEST:2026-08-31', part: 1, parts: 1 } },
    });
    expect(posted?.text).toContain('Daily papers');
    expect(posted?.blocks.length).toBeGreaterThan(3);
  });

  it('sends an alert as a DM: conversations.open, then chat.postMessage in the DM channel', async () => {
    await sender.send(user, aDigest([aCard()], { kind: 'alert', visibility: 'private', title: 'New paper for your watch' }), ref('alert:slack:U0ALICE:7'));
    expect(fake.calls().map((call) => call.method)).toEqual(['conversations.open', 'chat.postMessage']);
    expect(fake.messages[0]?.channel).toBe('DU0ALICE');
  });

  it('waits out a 429 (Retry-After) inside the WebClient and posts exactly once', async () => {
    fake.fault('chat.postMessage', { kind: 'ratelimit', retryAfter: 1 });
    await sender.send(channel, aDigest([aCard()]), ref('digest:slack:C0DIGEST:429'));
    expect(fake.calls('chat.postMessage').map((call) => call.answered)).toEqual(['ratelimited', 'ok']);
    expect(fake.messages).toHaveLength(1);
    // Recorded fire-and-forget from the WebClient's event: wait for the write.
    await vi.waitFor(async () => {
      const waits = await deps.store.recentRateLimitWaits(0);
      expect(waits.map((wait) => ({ source: wait.source, route: wait.route, waitMs: wait.waitMs }))).toEqual([{ source: 'slack', route: 'chat.postMessage', waitMs: 1000 }]);
    });
  });

  it('logs a 429 wait it could not record; the post still goes out (no unhandled rejection)', async () => {
    await deps.store.close();
    fake.fault('chat.postMessage', { kind: 'ratelimit', retryAfter: 1 });
    await sender.send(channel, aDigest([aCard()]), ref('digest:slack:C0DIGEST:429-unrecorded'));
    expect(fake.messages).toHaveLength(1);
    await vi.waitFor(() => expect(deps.logLines().map((line) => line.msg)).toContain('could not record a Slack rate-limit wait'));
  });

  it('joins a public channel it is not in, once, then posts', async () => {
    fake.setChannel('C0DIGEST', { member: false });
    await sender.send(channel, aDigest([aCard()]), ref('digest:slack:C0DIGEST:join'));
    expect(fake.calls().map((call) => `${call.method}:${call.answered}`)).toEqual(['chat.postMessage:not_in_channel', 'conversations.join:ok', 'chat.postMessage:ok']);
    expect(fake.messages).toHaveLength(1);
  });

  it('gives up with missing_access and says how to invite the bot when it cannot join', async () => {
    fake.setChannel('C0DIGEST', { member: false, joinable: false });
    const err = await sendError(sender.send(channel, aDigest([aCard()]), ref('digest:slack:C0DIGEST:nojoin')));
    expect(err).toBeInstanceOf(PermanentError);
    expect(err instanceof PermanentError && err.reason).toBe('missing_access');
    expect(err instanceof Error && err.message).toContain('/invite @paperboy');
    expect(fake.calls('conversations.join')).toHaveLength(1);
    expect(fake.messages).toHaveLength(0);
  });

  it.each([
    ['a deleted channel', { exists: false }, 'channel_not_found'],
    ['an archived channel', { archived: true }, 'is_archived'],
  ])('maps %s to channel_gone', async (_name, state, code) => {
    fake.setChannel('C0DIGEST', state);
    const err = await sendError(sender.send(channel, aDigest([aCard()]), ref(`digest:slack:C0DIGEST:${code}`)));
    expect(err instanceof PermanentError && err.reason).toBe('channel_gone');
    expect(err instanceof Error && err.message).toContain(code);
    expect(fake.calls('chat.postMessage')).toHaveLength(1);
  });

  it.each([
    ['conversations.open', 'cannot_dm_bot'],
    ['conversations.open', 'user_not_found'],
    ['chat.postMessage', 'messages_tab_disabled'],
  ])('maps %s %s to dm_closed for an alert', async (method, error) => {
    fake.fault(method, { kind: 'error', error });
    const err = await sendError(sender.send(user, aDigest([aCard()], { kind: 'alert', visibility: 'private' }), ref(`alert:slack:U0ALICE:${error}`)));
    expect(err instanceof PermanentError && err.reason).toBe('dm_closed');
  });

  it.each(['invalid_auth', 'account_inactive', 'token_revoked'])('maps %s to auth and reports it once', async (error) => {
    fake.fault('chat.postMessage', { kind: 'error', error }, 2);
    for (const key of ['a', 'b']) {
      const err = await sendError(sender.send(channel, aDigest([aCard()]), ref(key)));
      expect(err instanceof PermanentError && err.reason).toBe('auth');
      expect(err instanceof Error && err.message).toContain('SLACK_BOT_TOKEN');
    }
    expect(authFailures).toHaveLength(1);
  });

  it('posts again without thumbnails when Slack cannot fetch an image (invalid_blocks)', async () => {
    fake.fault('chat.postMessage', { kind: 'error', error: 'invalid_blocks' });
    await sender.send(channel, aDigest([aCard(), aCard()]), ref('digest:slack:C0DIGEST:img'));
    expect(fake.calls('chat.postMessage').map((call) => call.answered)).toEqual(['invalid_blocks', 'ok']);
    expect(JSON.stringify(fake.calls('chat.postMessage')[0]?.body.blocks)).toContain('"image"');
    expect(fake.messages).toHaveLength(1);
    expect(JSON.stringify(fake.messages[0]?.blocks)).not.toContain('"image"');
    expect(JSON.stringify(fake.messages[0]?.blocks)).toContain('Card number');
  });

  it('treats a 5xx as transient without retrying inside the client (the outbox retries)', async () => {
    fake.fault('chat.postMessage', { kind: 'status', status: 503 });
    const err = await sendError(sender.send(channel, aDigest([aCard()]), ref('digest:slack:C0DIGEST:503')));
    expect(err).toBeInstanceOf(TransientError);
    expect(fake.calls('chat.postMessage')).toHaveLength(1);
  });

  it('treats an unreachable Slack as transient', async () => {
    const closed = await startFakeSlack();
    const url = closed.apiUrl;
    await closed.close();
    const err = await sendError(senderFor(url).send(channel, aDigest([aCard()]), ref('digest:slack:C0DIGEST:down')));
    expect(err).toBeInstanceOf(TransientError);
  });

  it('posts a 60-paper digest as a head message and thread replies, paced, each part carrying the key', async () => {
    const cards = Array.from({ length: 60 }, () => aCard({ summary: 'A long summary sentence about models. '.repeat(12) }));
    const result = await sender.send(channel, aDigest(cards), ref('digest:slack:C0DIGEST:big'));
    const [head, ...rest] = fake.messages;
    expect(rest.length).toBeGreaterThan(0);
    // Each post reached Slack at least the channel's interval after the answer to the one before.
    const answeredAt = fake.calls('chat.postMessage').map((call) => call.at);
    expect(answeredAt.slice(1).map((at, i) => at - (answeredAt[i] ?? 0) >= CHANNEL_INTERVAL_MS)).toEqual(rest.map(() => true));
    expect(result.messageId).toBe(`C0DIGEST:${head?.ts}`);
    expect(rest.every((m) => m.threadTs === head?.ts)).toBe(true);
    expect(fake.messages.map((m) => m.metadata?.event_payload)).toEqual(
      fake.messages.map((_, i) => ({ key: 'digest:slack:C0DIGEST:big', part: i + 1, parts: fake.messages.length })),
    );
    expect(fake.messages.every((m) => m.blocks.length <= 50)).toBe(true);
    const links = fake.messages.flatMap((m) => JSON.stringify(m.blocks).match(/huggingface\.co\/papers\/2609\.\d+\|/g) ?? []);
    expect(new Set(links).size).toBe(60);
  });
});

describe('Slack sender: findSent (restart reconciliation)', () => {
  it('finds a message already posted for the delivery key in conversations.history', async () => {
    fake.addMessage({ channel: 'C0DIGEST', metadata: { event_type: 'paperboy_delivery', event_payload: { key: 'other', part: 1, parts: 1 } } });
    const posted = fake.addMessage({ channel: 'C0DIGEST', metadata: { event_type: 'paperboy_delivery', event_payload: { key: 'mine', part: 1, parts: 1 } } });
    expect(await sender.findSent?.(channel, ref('mine'))).toBe(`C0DIGEST:${posted.ts}`);
    expect(await sender.findSent?.(channel, ref('never-sent'))).toBeNull();
    expect(fake.calls('conversations.history').every((call) => call.body.include_all_metadata === 'true')).toBe(true);
  });

  it('joins a channel it posted to without being a member, to read its history', async () => {
    const posted = fake.addMessage({ channel: 'C0DIGEST', metadata: { event_type: 'paperboy_delivery', event_payload: { key: 'mine', part: 1, parts: 1 } } });
    fake.setChannel('C0DIGEST', { member: false });
    expect(await sender.findSent?.(channel, ref('mine'))).toBe(`C0DIGEST:${posted.ts}`);
    expect(fake.calls('conversations.join')).toHaveLength(1);
  });

  it('answers not sent when it may not join the channel to read its history (the post could not have arrived either)', async () => {
    fake.setChannel('C0DIGEST', { member: false, joinable: false });
    expect(await sender.findSent?.(channel, ref('mine'))).toBeNull();
    expect(fake.calls().map((call) => `${call.method}:${call.answered}`)).toEqual(['conversations.history:not_in_channel', 'conversations.join:method_not_supported_for_channel_type']);
  });

  it('finds a DM alert through the DM channel', async () => {
    const posted = fake.addMessage({ channel: 'DU0ALICE', metadata: { event_type: 'paperboy_delivery', event_payload: { key: 'alert:1', part: 1, parts: 1 } } });
    expect(await sender.findSent?.(user, ref('alert:1'))).toBe(`DU0ALICE:${posted.ts}`);
  });

  it('completes a split digest interrupted after its head, without posting the head again', async () => {
    const key = 'digest:slack:C0DIGEST:split';
    const head = fake.addMessage({ channel: 'C0DIGEST', metadata: { event_type: 'paperboy_delivery', event_payload: { key, part: 1, parts: 3 } } });
    fake.addMessage({ channel: 'C0DIGEST', threadTs: head.ts, metadata: { event_type: 'paperboy_delivery', event_payload: { key, part: 2, parts: 3 } } });
    const cards = Array.from({ length: 60 }, () => aCard({ summary: 'A long summary sentence about models. '.repeat(12) }));
    const digest = aDigest(cards);
    expect(await sender.findSent?.(channel, ref(key))).toBeNull();
    // The worker resends: only what is missing goes out, in the head's thread.
    const before = fake.messages.length;
    const result = await sender.send(channel, digest, ref(key));
    expect(result.messageId).toBe(`C0DIGEST:${head.ts}`);
    const added = fake.messages.slice(before);
    expect(added.length).toBeGreaterThan(0);
    expect(added.every((m) => m.threadTs === head.ts && Number(m.metadata?.event_payload.part) >= 3)).toBe(true);
  });
});
