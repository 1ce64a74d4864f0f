import { embedLength, REST } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PermanentError, TransientError } from '../../../src/errors.ts';
import { message, type PaperCard } from '../../../src/messages/message.ts';
import { createDiscordSender } from '../../../src/platforms/discord/discord-sender.ts';
import { MAX_EMBED_TOTAL } from '../../../src/platforms/discord/limits.ts';
import type { SendTarget } from '../../../src/platform.ts';
import { startFakeDiscord, type FakeDiscord } from '../../support/fake-discord.ts';
import { testDeps } from '../../support/test-deps.ts';

const open: FakeDiscord[] = [];
afterEach(async () => {
  for (const fake of open.splice(0)) await fake.close();
});

async function setup() {
  const fake = await startFakeDiscord();
  open.push(fake);
  const deps = testDeps();
  // No retries of 5xx inside REST for the tests that count requests exactly.
  const rest = new REST({ api: fake.apiUrl, retries: 1 }).setToken(fake.token);
  return { fake, deps, rest, sender: createDiscordSender(deps, rest) };
}

const channel: SendTarget = { platform: 'discord', kind: 'channel', id: '700000000000000001' };
const user: SendTarget = { platform: 'discord', kind: 'user', id: '800000000000000001' };
const messagesPath = /^\/channels\/\d+\/messages$/;

function card(title: string, summary = 'Summary.'): PaperCard {
  return {
    id: '2609.00001',
    title,
    url: 'https://huggingface.co/papers/2609.00001',
    arxivUrl: 'https://arxiv.org/abs/2609.00001',
    pdfUrl: 'https://arxiv.org/pdf/2609.00001',
    thumbnailUrl: null,
    authors: ['A. Author'],
    organization: null,
    upvotes: 3,
    comments: null,
    github: null,
    projectPage: null,
    summary,
    feedDate: '2026-09-01',
    publishedAt: null,
  };
}

const digest = message({ kind: 'digest', visibility: 'public', title: 'Daily papers', text: 'Top 1 of 1 paper.', papers: [card('A paper')] });

const SentBody = z.object({
  nonce: z.string(),
  enforce_nonce: z.literal(true),
  allowed_mentions: z.object({ parse: z.array(z.string()) }),
  embeds: z.array(
    z.object({
      title: z.string().optional(),
      description: z.string().optional(),
      fields: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
      footer: z.object({ text: z.string() }).optional(),
    }),
  ),
});

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the send to fail');
}

describe('Discord sender', () => {
  it('posts a digest to a channel with a nonce, enforce_nonce and no mentions', async () => {
    const { fake, sender } = await setup();
    const result = await sender.send(channel, digest, { id: 1, key: 'digest:discord:700000000000000001:2026-09-01' });
    expect(fake.messages).toHaveLength(1);
    expect(result.messageId).toBe(fake.messages[0]?.id);
    const body = SentBody.parse(fake.messages[0]?.body);
    expect(body.nonce.length).toBeGreaterThan(0);
    expect(body.nonce.length).toBeLessThanOrEqual(25);
    // Each delivery its own nonce (the same delivery keeps its own: the next test).
    await sender.send(channel, digest, { id: 2, key: 'digest:discord:700000000000000001:2026-09-02' });
    expect(SentBody.parse(fake.messages[1]?.body).nonce).not.toBe(body.nonce);
    expect(body.allowed_mentions.parse).toEqual([]);
    expect(body.embeds[0]?.title).toBe('Daily papers');
    const request = fake.requests.find((r) => messagesPath.test(r.path));
    expect(request?.authorization).toBe(`Bot ${fake.token}`);
  });

  it('sends the same delivery twice as one message (the nonce returns the first)', async () => {
    const { fake, sender } = await setup();
    const delivery = { id: 7, key: 'digest:discord:700000000000000001:2026-09-02' };
    const first = await sender.send(channel, digest, delivery);
    const second = await sender.send(channel, digest, delivery);
    expect(second.messageId).toBe(first.messageId);
    expect(fake.messages).toHaveLength(1);
    expect(fake.requests.filter((r) => messagesPath.test(r.path))).toHaveLength(2);
  });

  it('opens a DM channel for an alert, then posts into it', async () => {
    const { fake, sender } = await setup();
    const alert = message({ kind: 'alert', visibility: 'private', title: 'New paper for your watch', text: 'From the feed.', papers: [card('Match')] });
    await sender.send(user, alert, { id: 2, key: 'alert:discord:800000000000000001:1' });
    await sender.send(user, alert, { id: 3, key: 'alert:discord:800000000000000001:2' });
    const opens = fake.requests.filter((r) => r.method === 'POST' && r.path === '/users/@me/channels');
    // The DM channel is remembered after the first open.
    expect(opens).toHaveLength(1);
    expect(opens[0]?.body).toEqual({ recipient_id: user.id });
    expect(fake.messages.map((m) => m.channelId)).toEqual([`9${user.id}`, `9${user.id}`]);
  });

  it('waits out a 429 (Retry-After) and creates the message exactly once', async () => {
    const { fake, sender } = await setup();
    fake.fail('POST', messagesPath, { kind: 'rate-limit', retryAfter: 0.2 });
    const result = await sender.send(channel, digest, { id: 4, key: 'digest:discord:ratelimit' });
    expect(fake.requests.filter((r) => messagesPath.test(r.path))).toHaveLength(2);
    expect(fake.messages).toHaveLength(1);
    expect(result.messageId).toBe(fake.messages[0]?.id);
  });

  it('maps 50007 (cannot DM this user) to dm_closed', async () => {
    const { fake, sender } = await setup();
    fake.fail('POST', messagesPath, { kind: 'status', status: 403, code: 50007, message: 'Cannot send messages to this user' });
    const err = await failure(sender.send(user, digest, { id: 5, key: 'alert:discord:x:1' }));
    expect(err).toBeInstanceOf(PermanentError);
    expect(err instanceof PermanentError && err.reason).toBe('dm_closed');
    expect(fake.messages).toHaveLength(0);
  });

  it.each([
    [50001, 403, 'missing_access'],
    [50013, 403, 'missing_access'],
    [10003, 404, 'channel_gone'],
    [0, 401, 'auth'],
  ])('maps code %i (HTTP %i) on a channel to %s', async (code, status, reason) => {
    const { fake, sender } = await setup();
    fake.fail('POST', messagesPath, { kind: 'status', status, code });
    const err = await failure(sender.send(channel, digest, { id: 6, key: `digest:discord:${code}` }));
    expect(err).toBeInstanceOf(PermanentError);
    expect(err instanceof PermanentError && err.reason).toBe(reason);
  });

  it('turns 5xx (after REST retried) and dropped connections into TransientError', async () => {
    const { fake, sender } = await setup();
    fake.fail('POST', messagesPath, { kind: 'status', status: 502 }, 2);
    const err = await failure(sender.send(channel, digest, { id: 8, key: 'digest:discord:502' }));
    expect(err).toBeInstanceOf(TransientError);
    // retries: 1 → REST tried twice before giving up.
    expect(fake.requests.filter((r) => messagesPath.test(r.path))).toHaveLength(2);
    fake.fail('POST', messagesPath, { kind: 'reset' });
    expect(await failure(sender.send(channel, digest, { id: 9, key: 'digest:discord:reset' }))).toBeInstanceOf(TransientError);
    // Then Discord is back: the same delivery is created once.
    await sender.send(channel, digest, { id: 9, key: 'digest:discord:reset' });
    expect(fake.messages).toHaveLength(1);
  });

  it('posts mention-injection text with allowed_mentions.parse = [] and escaped', async () => {
    const { fake, sender } = await setup();
    const evil = message({ kind: 'digest', visibility: 'public', title: 'Daily', text: 'x', papers: [card('@everyone <@123> free GPUs @here', 'ping <@&55> @everyone')] });
    await sender.send(channel, evil, { id: 10, key: 'digest:discord:evil' });
    const body = SentBody.parse(fake.messages[0]?.body);
    expect(body.allowed_mentions).toEqual({ parse: [] });
    const text = JSON.stringify(body.embeds);
    expect(text).not.toMatch(/(^|[^\\])@(everyone|here)/);
    expect(text).not.toMatch(/(^|[^\\])<@/);
  });

  it('keeps a 7000-character digest within 6000 characters of embeds', async () => {
    const { fake, sender } = await setup();
    const long = 'lorem ipsum dolor sit amet '.repeat(40);
    const papers = Array.from({ length: 10 }, (_, i) => card(`Paper ${i} ${'title '.repeat(30)}`, long));
    expect(papers.reduce((sum, p) => sum + p.title.length + p.summary.length, 0)).toBeGreaterThan(7000);
    await sender.send(channel, message({ kind: 'digest', visibility: 'public', title: 'Daily', text: 'Top 10.', papers }), { id: 11, key: 'digest:discord:long' });
    const body = SentBody.parse(fake.messages[0]?.body);
    expect(body.embeds.length).toBeLessThanOrEqual(10);
    expect(body.embeds.reduce((sum, embed) => sum + embedLength(embed), 0)).toBeLessThanOrEqual(MAX_EMBED_TOTAL);
  });
});
