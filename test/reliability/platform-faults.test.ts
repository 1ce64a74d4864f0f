import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { startBot, type RunningBot } from '../../src/main.ts';
import { message } from '../../src/messages/message.ts';
import type { Store } from '../../src/store/store.ts';
import { captureStream } from '../support/capture.ts';
import { startFakeDiscord, type FakeDiscord } from '../support/fake-discord.ts';
import { startFakeHf, type FakeHf } from '../support/fake-hf.ts';
import { FAKE_APP_TOKEN, FAKE_BOT_TOKEN, startFakeSlack, type FakeSlack } from '../support/fake-slack.ts';
import { until } from '../support/wait.ts';

// Both adapters in one bot (startBot, as `npm start` runs it). When one platform stops accepting
// the bot's token (Discord 401, Slack invalid_auth), that platform's sending stops, its rows stay
// queued (not failed, not lost), and the other platform keeps delivering.

type Running = { bot: RunningBot; discord: FakeDiscord; slack: FakeSlack; hf: FakeHf; logs: () => string; dir: string };
let running: Running | undefined;

afterEach(async () => {
  if (!running) return;
  await running.bot.stop();
  await Promise.all([running.discord.close(), running.slack.close(), running.hf.close()]);
  rmSync(running.dir, { recursive: true, force: true });
  running = undefined;
});

async function startBoth(): Promise<Running> {
  const discord = await startFakeDiscord({ token: 'platform-faults-discord-token' });
  const slack = await startFakeSlack();
  const hf = await startFakeHf();
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-platform-faults-'));
  const sink = captureStream();
  const config = loadConfig({
    DATABASE_PATH: join(dir, 'paperboy.db'),
    HF_BASE_URL: hf.url,
    INGEST_CRON: '0 0 1 1 *',
    CATCH_UP_DAYS: '0',
    LOG_LEVEL: 'info',
    DISCORD_TOKEN: discord.token,
    DISCORD_APPLICATION_ID: discord.applicationId,
    DISCORD_API_URL: discord.apiUrl,
    SLACK_BOT_TOKEN: FAKE_BOT_TOKEN,
    SLACK_APP_TOKEN: FAKE_APP_TOKEN,
    SLACK_API_URL: slack.apiUrl,
  });
  const bot = await startBot(config, { stdout: new PassThrough(), stdin: new PassThrough(), log: createLogger(config, sink.stream) });
  running = { bot, discord, slack, hf, logs: sink.text, dir };
  expect(bot.platforms).toEqual(['discord', 'slack']);
  return running;
}

let keyCounter = 0;
async function queue(store: Store, platform: 'discord' | 'slack', count: number): Promise<string[]> {
  const keys: string[] = [];
  for (let i = 0; i < count; i += 1) {
    keyCounter += 1;
    const channel = platform === 'discord' ? `30000000000000${String(1000 + (i % 3))}` : `C0FAULT${i % 3}`;
    const key = `digest:${platform}:${channel}:fault-${keyCounter}`;
    await store.enqueue({
      platform,
      targetKind: 'channel',
      targetId: channel,
      kind: 'digest',
      idempotencyKey: key,
      message: message({ kind: 'digest', visibility: 'public', title: `Digest ${keyCounter}`, text: 'papers' }),
      now: Date.now(),
    });
    keys.push(key);
  }
  return keys;
}

/** The rows as the bot's database file holds them, read on a connection of the test's own. */
function states(databasePath: string, keys: string[]) {
  const db = new Database(databasePath, { readonly: true });
  let rows: unknown[];
  try {
    rows = db
      .prepare(`SELECT idempotency_key AS key, state, attempts, message_id AS messageId FROM deliveries WHERE idempotency_key IN (${keys.map(() => '?').join(',')})`)
      .all(...keys);
  } finally {
    db.close();
  }
  return z.array(z.object({ key: z.string(), state: z.string(), attempts: z.number(), messageId: z.string().nullable() })).parse(rows);
}

/**
 * Two more passes of the delivery worker, each seen through a row of `platform` it sends: queued
 * one after the other (store.enqueue does not wake the worker, its poll finds them), so each
 * is a pass in which the stopped platform's due rows could have been claimed.
 */
async function laterPasses(store: Store, databasePath: string, platform: 'discord' | 'slack'): Promise<string[]> {
  const keys: string[] = [];
  for (let pass = 0; pass < 2; pass += 1) {
    const batch = await queue(store, platform, 1);
    await until(() => states(databasePath, batch).every((row) => row.state === 'sent'), `a later ${platform} row to be sent`, { timeoutMs: 20_000 });
    keys.push(...batch);
  }
  return keys;
}

describe('a platform that loses its token stops alone', () => {
  it('Discord answers 401: Discord sending stops with its rows still queued; Slack keeps delivering', async () => {
    const { bot, discord, slack, logs } = await startBoth();
    const file = bot.deps.config.DATABASE_PATH;
    const creates = () => discord.requests.filter((r) => r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path)).length;
    // From now on Discord refuses the token on every message.
    discord.fail('POST', /^\/channels\/\d+\/messages$/, { kind: 'status', status: 401, message: '401: Unauthorized' }, 1_000);
    const discordKeys = await queue(bot.deps.store, 'discord', 6);
    const slackKeys = await queue(bot.deps.store, 'slack', 6);

    await until(() => states(file, slackKeys).every((row) => row.state === 'sent'), 'the Slack rows to be sent', { timeoutMs: 20_000 });
    await until(() => logs().includes('discord refused the bot token'), 'the Discord auth log line', { timeoutMs: 20_000 });
    const triedBefore = creates();
    expect(triedBefore).toBeGreaterThanOrEqual(1);

    // Slack goes on working while Discord stays stopped: a second batch, a few poll cycles later.
    const later = await queue(bot.deps.store, 'slack', 3);
    await until(() => states(file, later).every((row) => row.state === 'sent'), 'the later Slack rows to be sent', { timeoutMs: 20_000 });
    const passes = await laterPasses(bot.deps.store, file, 'slack');
    expect(creates()).toBe(triedBefore);
    expect(slack.messages.map((m) => m.metadata?.event_payload.key).sort()).toEqual([...slackKeys, ...later, ...passes].sort());

    // Discord's rows are neither lost nor failed: queued for a restart with a valid token.
    expect(states(file, discordKeys).map((row) => row.state)).toEqual(Array(6).fill('pending'));
    expect(states(file, discordKeys).every((row) => row.attempts === 0)).toBe(true);
    expect(discord.messages).toEqual([]);
    expect(logs()).toMatch(/"level":50[^\n]*discord refused the bot token: sending on discord stopped/);
  }, 60_000);

  it('Slack answers invalid_auth: Slack sending stops with its rows still queued; Discord keeps delivering', async () => {
    const { bot, discord, slack, logs } = await startBoth();
    const file = bot.deps.config.DATABASE_PATH;
    slack.revokeToken();
    const discordKeys = await queue(bot.deps.store, 'discord', 6);
    const slackKeys = await queue(bot.deps.store, 'slack', 6);

    await until(() => states(file, discordKeys).every((row) => row.state === 'sent'), 'the Discord rows to be sent', { timeoutMs: 20_000 });
    await until(() => logs().includes('Slack refused the bot token'), 'the Slack auth log line', { timeoutMs: 20_000 });
    const postsBefore = slack.calls('chat.postMessage').length;

    const later = await queue(bot.deps.store, 'discord', 3);
    await until(() => states(file, later).every((row) => row.state === 'sent'), 'the later Discord rows to be sent', { timeoutMs: 20_000 });
    await laterPasses(bot.deps.store, file, 'discord');
    expect(slack.calls('chat.postMessage').length).toBe(postsBefore);
    expect(discord.messages).toHaveLength(11);
    expect(slack.messages).toEqual([]);
    expect(states(file, slackKeys).map((row) => row.state)).toEqual(Array(6).fill('pending'));
    expect(states(file, slackKeys).every((row) => row.attempts === 0)).toBe(true);
  }, 60_000);
});
