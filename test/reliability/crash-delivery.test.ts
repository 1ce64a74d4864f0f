import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { message } from '../../src/messages/message.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { startDelayProxy, type DelayProxy } from '../support/crash-proxy.ts';
import { crashSeed, seededRandom } from '../support/crash-random.ts';
import { startFakeDiscord, type FakeDiscord } from '../support/fake-discord.ts';
import { startFakeHf, type FakeHf } from '../support/fake-hf.ts';
import { FAKE_APP_TOKEN, FAKE_BOT_TOKEN, startFakeSlack, type FakeSlack } from '../support/fake-slack.ts';
import { spawnCli } from '../support/run-cli.ts';
import { sleep } from '../support/wait.ts';

// The outbox's promise under fire: 200 deliveries (100 Discord, 100 Slack; channels and DMs) are
// queued, then the real bot (`node bin/paperboy.js start`) is SIGKILLed again and again at seeded
// random moments, most of them while a send is on the wire (the fakes sit behind proxies that
// slow every request down), and restarted each time. A last clean run drains the rest. Then every
// delivery must have reached its platform exactly once: Discord counts created messages per
// nonce (a repeated nonce with enforce_nonce gets the first message back, as on Discord), Slack
// counts posted messages per delivery key in their metadata.

const SEED = crashSeed(20260901);
const MIN_KILLS = 20;
/**
 * Kill cycles stop after this long even if fewer kills happened (the test then fails on the
 * count). A restart costs 1.5 s on an idle machine (tsx, discord.js, Bolt, two log-ins) and up to
 * 8 s on a machine whose 2 cores are shared by a dozen processes: 20 kills take 30 s to 160 s.
 */
const KILL_PHASE_BUDGET_MS = 200_000;

const Row = z.object({ idempotency_key: z.string(), platform: z.string(), target_id: z.string(), state: z.string(), message_id: z.string().nullable(), attempts: z.number() });
const DiscordBody = z.looseObject({ nonce: z.string(), enforce_nonce: z.literal(true) });
const SlackMeta = z.object({ event_type: z.literal('paperboy_delivery'), event_payload: z.looseObject({ key: z.string() }) });

type Planned = { platform: 'discord' | 'slack'; targetKind: 'channel' | 'user'; targetId: string; key: string };

/** 100 per platform: 10 channels × 6 digests and 20 users × 2 alerts. */
function plan(): Planned[] {
  const rows: Planned[] = [];
  for (const platform of ['discord', 'slack'] as const) {
    for (let c = 0; c < 10; c += 1) {
      const channel = platform === 'discord' ? `3000000000000001${String(c).padStart(2, '0')}` : `C0CRASH${String(c).padStart(2, '0')}`;
      for (let d = 1; d <= 6; d += 1) rows.push({ platform, targetKind: 'channel', targetId: channel, key: `digest:${platform}:${channel}:2026-08-${String(d).padStart(2, '0')}` });
    }
    for (let u = 0; u < 20; u += 1) {
      const user = platform === 'discord' ? `4000000000000002${String(u).padStart(2, '0')}` : `U0CRASH${String(u).padStart(2, '0')}`;
      for (let r = 1; r <= 2; r += 1) rows.push({ platform, targetKind: 'user', targetId: user, key: `alert:${platform}:${user}:${r}` });
    }
  }
  return rows;
}

/** A request that is (part of) a delivery, as opposed to log-in traffic. */
function isSend(path: string): boolean {
  return /\/channels\/\d+\/messages$|\/users\/@me\/channels$|chat\.postMessage|conversations\.(open|history)/.test(path);
}

let hf: FakeHf;
let discord: FakeDiscord;
let slack: FakeSlack;
let discordProxy: DelayProxy;
let slackProxy: DelayProxy;
let dir: string;
const children: Array<ReturnType<typeof spawnCli>> = [];

beforeAll(async () => {
  const random = seededRandom(SEED ^ 0x5eed);
  // 0–4 ms before the platform has it, 10–30 ms before the bot hears back.
  const delay = () => ({ before: random.int(0, 4), after: random.int(10, 30) });
  hf = await startFakeHf();
  discord = await startFakeDiscord({ token: 'crash-test-discord-token' });
  slack = await startFakeSlack();
  discordProxy = await startDelayProxy(discord.apiUrl.replace(/\/api$/, ''), { delay });
  slackProxy = await startDelayProxy(slack.url, { delay });
  dir = mkdtempSync(join(tmpdir(), 'paperboy-crash-'));
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all([discordProxy?.close(), slackProxy?.close()]);
  await Promise.all([discord?.close(), slack?.close(), hf?.close()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function readRows(path: string) {
  const db = new Database(path, { readonly: true });
  try {
    return z.array(Row).parse(db.prepare('SELECT idempotency_key, platform, target_id, state, message_id, attempts FROM deliveries ORDER BY id').all());
  } finally {
    db.close();
  }
}

function exited(child: ReturnType<typeof spawnCli>): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

describe('crash test: SIGKILL mid-send, restart, repeat', () => {
  it(`every one of 200 queued deliveries reaches Discord or Slack exactly once (seed ${SEED})`, async () => {
    const databasePath = join(dir, 'paperboy.db');
    const planned = plan();
    const setup = openSqliteStore(databasePath);
    const now = Date.now();
    for (const [i, row] of planned.entries()) {
      const text = `Delivery ${i + 1} of ${planned.length} (${row.key})`;
      await setup.enqueue({
        platform: row.platform,
        targetKind: row.targetKind,
        targetId: row.targetId,
        kind: row.targetKind === 'channel' ? 'digest' : 'alert',
        idempotencyKey: row.key,
        message: message({ kind: row.targetKind === 'channel' ? 'digest' : 'alert', visibility: 'public', title: `Crash test ${i + 1}`, text }),
        now,
      });
    }
    await setup.close();

    const env = {
      DATABASE_PATH: databasePath,
      HF_BASE_URL: hf.url,
      INGEST_CRON: '0 0 1 1 *',
      CATCH_UP_DAYS: '0',
      LOG_LEVEL: 'warn',
      DISCORD_TOKEN: discord.token,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: `${discordProxy.url}/api`,
      SLACK_BOT_TOKEN: FAKE_BOT_TOKEN,
      SLACK_APP_TOKEN: FAKE_APP_TOKEN,
      SLACK_API_URL: `${slackProxy.url}/api/`,
    };
    const random = seededRandom(SEED);
    const stats = { kills: 0, killsMidSend: 0, killsDuringStartUp: 0, leftSending: 0 };
    const started = Date.now();
    const stderrs: string[] = [];

    while (stats.kills < MIN_KILLS && Date.now() - started < KILL_PHASE_BUDGET_MS) {
      const spawnedAt = Date.now();
      const child = spawnCli(['start'], { env, cwd: dir });
      children.push(child);
      let stderr = '';
      child.stdout.resume();
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      // One kill in four at a random moment of start-up (migrations, log-in, reconciliation);
      // the others a random few ms after this run's first delivery request.
      if (random.next() < 0.25) {
        await sleep(random.int(300, 5_000));
        stats.killsDuringStartUp += 1;
      } else {
        const deadline = Date.now() + 15_000;
        const sent = () => [...discordProxy.requests, ...slackProxy.requests].some((r) => r.at >= spawnedAt && isSend(r.path));
        while (!sent() && Date.now() < deadline && child.exitCode === null) await sleep(5);
        await sleep(random.int(0, 60));
      }
      if (discordProxy.inFlight() + slackProxy.inFlight() > 0) stats.killsMidSend += 1;
      child.kill('SIGKILL');
      const exit = await exited(child);
      stderrs.push(stderr);
      expect(exit.signal, `run ${stats.kills + 1} ended on its own: ${stderr}`).toBe('SIGKILL');
      stats.kills += 1;
      stats.leftSending += readRows(databasePath).filter((row) => row.state === 'sending').length;
    }

    // A last run without kills drains whatever is left, then stops on SIGTERM.
    const final = spawnCli(['start'], { env, cwd: dir });
    children.push(final);
    let finalOut = '';
    final.stdout.on('data', (chunk: Buffer) => (finalOut += chunk.toString('utf8')));
    final.stderr.on('data', (chunk: Buffer) => (finalOut += chunk.toString('utf8')));
    const drainDeadline = Date.now() + 30_000;
    while (Date.now() < drainDeadline && readRows(databasePath).some((row) => row.state !== 'sent')) await sleep(100);
    final.kill('SIGTERM');
    expect(await exited(final), finalOut).toEqual({ code: 0, signal: null });

    const rows = readRows(databasePath);
    const summary = {
      seed: SEED,
      ...stats,
      seconds: Math.round((Date.now() - started) / 1000),
      sent: rows.filter((row) => row.state === 'sent').length,
      expected: planned.length,
      discordCreates: discord.messages.length,
      discordCreateRequests: discord.requests.filter((r) => r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path)).length,
      slackPosts: slack.messages.length,
      slackPostRequests: slack.calls('chat.postMessage').length,
      slackHistoryChecks: slack.calls('conversations.history').length,
    };
    console.info(`crash test: ${JSON.stringify(summary)}`);

    // Every row sent, with the platform's message id.
    expect(rows).toHaveLength(planned.length);
    expect(rows.filter((row) => row.state !== 'sent' || !row.message_id)).toEqual([]);
    const byKey = new Map(rows.map((row) => [row.idempotency_key, row]));

    // Discord: exactly one created message per delivery nonce, and it is the one the row records.
    const discordKeys = planned.filter((p) => p.platform === 'discord').map((p) => p.key);
    const createdPerNonce = new Map<string, string[]>();
    const nonceOfMessage = new Map<string, string>();
    for (const created of discord.messages) {
      const { nonce } = DiscordBody.parse(created.body);
      createdPerNonce.set(nonce, [...(createdPerNonce.get(nonce) ?? []), created.id]);
      nonceOfMessage.set(created.id, nonce);
    }
    const discordDuplicates = [...createdPerNonce].filter(([, ids]) => ids.length !== 1);
    expect(discordDuplicates).toEqual([]);
    // Each delivery's row names a created message, a message of its own (its own nonce).
    const createdPerKey = new Map<string, string[]>();
    for (const key of discordKeys) {
      const messageId = byKey.get(key)?.message_id ?? '';
      const nonce = nonceOfMessage.get(messageId);
      expect(nonce, `${key}: its message ${messageId} was never created on Discord`).toBeDefined();
      if (nonce) createdPerKey.set(key, createdPerNonce.get(nonce) ?? []);
    }
    expect(new Set([...createdPerKey.values()].flat()).size).toBe(discordKeys.length);
    expect(discord.messages).toHaveLength(discordKeys.length);

    // Slack: exactly one posted message per delivery key (metadata), and it is the row's.
    const slackKeys = planned.filter((p) => p.platform === 'slack').map((p) => p.key);
    const postedPerKey = new Map<string, string[]>();
    for (const posted of slack.messages) {
      const meta = SlackMeta.parse(posted.metadata);
      const key = meta.event_payload.key;
      postedPerKey.set(key, [...(postedPerKey.get(key) ?? []), `${posted.channel}:${posted.ts}`]);
    }
    const slackDuplicates = [...postedPerKey].filter(([, ids]) => ids.length !== 1);
    expect(slackDuplicates).toEqual([]);
    expect([...postedPerKey.keys()].sort()).toEqual([...slackKeys].sort());
    for (const [key, ids] of postedPerKey) expect(byKey.get(key)?.message_id).toBe(ids[0]);

    // Nothing lost: all 200 keys arrived somewhere.
    expect(new Set([...createdPerKey.keys(), ...postedPerKey.keys()]).size).toBe(200);

    // And the test must have hit the dangerous windows, or it proves nothing.
    expect(stats.kills).toBeGreaterThanOrEqual(20);
    expect(stats.killsMidSend).toBeGreaterThanOrEqual(5);
    expect(stats.leftSending).toBeGreaterThanOrEqual(1);
  }, 300_000);
});
