import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, toFeedDate } from '../../src/clock.ts';
import { message } from '../../src/messages/message.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { startFakeDiscord, type FakeDiscord } from '../support/fake-discord.ts';
import { startFakeHf, type FakeHf } from '../support/fake-hf.ts';
import { FAKE_BOT_TOKEN, startFakeSlack, type FakeSlack } from '../support/fake-slack.ts';
import { binPath } from '../support/run-cli.ts';
import { until } from '../support/wait.ts';

// Secrets never reach the logs: the real bot runs as a child process with recognisable tokens,
// at LOG_LEVEL=trace, against fakes that refuse them in every way we know (Discord 401 on a send
// and at log-in, Slack invalid_auth for the bot and the app token, HF 401 and resets), and all it
// printed is searched for the token values. The database files are created 0600 even under
// umask 000, and hold no token either.
//
// Admin-only digest configuration is not repeated here; the adapter tests cover it exactly:
// test/platforms/discord/interactions.test.ts "an admin sets the channel digest; a member without
// Manage Server is refused privately" (an INTERACTION_CREATE from a member whose computed
// permissions lack ManageGuild: what Discord sends when a server's permission override exposes
// the command) and "Administrator counts as Manage Server; DMs never do";
// test/platforms/slack/slash-commands.test.ts "digest set is refused (privately) to a member who
// is not a workspace admin; an admin per users.info may".

const secrets = {
  discord: 'SECRET-discord-token-Mz9qX7Lw2p',
  discordWrong: 'SECRET-wrong-discord-Jk5Nm8Rt4e',
  slackBot: FAKE_BOT_TOKEN,
  slackBotWrong: 'xoxb-SECRET-wrong-bot-Uv3Cx0Pa7',
  slackApp: 'xapp-SECRET-app-token-Qr8Zt3Ge6',
  signing: 'SECRET-signing-secret-Hy6Vb1Kd9',
  hf: 'hf_SECRETtokenPq4Ws9Lm2',
};
/** Distinctive pieces of each secret: a truncated or re-encoded leak still contains one. */
const cores = ['Mz9qX7Lw2p', 'Jk5Nm8Rt4e', 'fake-bot-token', 'Uv3Cx0Pa7', 'Qr8Zt3Ge6', 'Hy6Vb1Kd9', 'Pq4Ws9Lm2'];

let hf: FakeHf;
let discord: FakeDiscord;
let slack: FakeSlack;
let dir: string;
const children: Array<ReturnType<typeof spawn>> = [];

beforeAll(async () => {
  hf = await startFakeHf();
  discord = await startFakeDiscord({ token: secrets.discord });
  slack = await startFakeSlack();
  dir = mkdtempSync(join(tmpdir(), 'paperboy-secrets-'));
  const today = toFeedDate(Date.now());
  hf.setDay(today, { fault: 'status', status: 401, body: '{"error":"Invalid credentials in Authorization header"}' });
  hf.setDay(addDays(today, -1), { fault: 'reset' });
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all([discord?.close(), slack?.close(), hf?.close()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** `paperboy start` under umask 000 (so a file we forget to protect would come out 0666), output captured. */
function startBot(env: Record<string, string>) {
  const base: Record<string, string> = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR']) {
    const value = process.env[key];
    if (value !== undefined) base[key] = value;
  }
  const child = spawn('/bin/sh', ['-c', 'umask 000 && exec "$0" "$@"', process.execPath, binPath, 'start'], { env: { ...base, ...env }, cwd: dir, stdio: 'pipe' });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    output: () => output,
    async waitFor(patterns: RegExp[], timeoutMs = 40_000) {
      await until(
        () => patterns.every((p) => p.test(output)),
        () => `missing ${patterns.filter((p) => !p.test(output)).join(', ')} in:\n${output.slice(-4000)}`,
        { timeoutMs, stepMs: 100 },
      );
    },
    async stop() {
      child.kill('SIGTERM');
      const hard = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(hard);
      return code;
    },
  };
}

/** While the bot runs: the database, its WAL and shared-memory files are private to the owner. */
function expectPrivateFiles(databasePath: string): void {
  for (const suffix of ['', '-wal', '-shm']) {
    const file = databasePath + suffix;
    expect(existsSync(file), file).toBe(true);
    expect((statSync(file).mode & 0o777).toString(8), file).toBe('600');
  }
}

function leaks(text: string): string[] {
  return [...Object.values(secrets), ...cores].filter((secret) => text.includes(secret));
}

describe('secrets and files', () => {
  it('no token appears in anything the bot prints, while Discord, Slack and HF refuse them; the database files are 0600', async () => {
    const databasePath = join(dir, 'data', 'paperboy.db');
    // A delivery Discord will refuse with 401 once the bot is up.
    const seed = openSqliteStore(databasePath);
    await seed.enqueue({
      platform: 'discord',
      targetKind: 'channel',
      targetId: '300000000000000777',
      kind: 'digest',
      idempotencyKey: 'digest:discord:300000000000000777:2026-09-01',
      message: message({ kind: 'digest', visibility: 'public', title: 'Digest', text: 'papers' }),
      now: Date.now(),
    });
    await seed.close();
    discord.fail('POST', /^\/channels\/\d+\/messages$/, { kind: 'status', status: 401, message: '401: Unauthorized' }, 100);

    const bot = startBot({
      DATABASE_PATH: databasePath,
      HF_BASE_URL: hf.url,
      HF_TOKEN: secrets.hf,
      INGEST_CRON: '0 0 1 1 *',
      LOG_LEVEL: 'trace',
      FEED_TIMEOUT_MS: '2000',
      DISCORD_TOKEN: secrets.discord,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      SLACK_BOT_TOKEN: secrets.slackBot,
      SLACK_APP_TOKEN: secrets.slackApp,
      SLACK_SIGNING_SECRET: secrets.signing,
      SLACK_API_URL: slack.apiUrl,
    });
    await bot.waitFor([/discord refused the bot token/, /"platform":"slack"[^\n]*platform failed to start|platform failed to start[^\n]*"platform":"slack"/, /"msg":"ingest failed"/]);
    // The fakes did get the tokens: they were sent, and refused.
    expect(discord.requests.some((r) => r.authorization === `Bot ${secrets.discord}`)).toBe(true);
    expect(slack.calls('apps.connections.open').map((c) => c.token)).toContain(secrets.slackApp);
    expect(hf.requests.some((r) => r.authorization === `Bearer ${secrets.hf}`)).toBe(true);

    expectPrivateFiles(databasePath);
    expect(await bot.stop()).toBe(0);

    expect(leaks(bot.output())).toEqual([]);
    for (const suffix of ['', '-wal']) {
      if (existsSync(databasePath + suffix)) expect(leaks(readFileSync(databasePath + suffix).toString('latin1')), suffix || 'db').toEqual([]);
    }
  }, 90_000);

  it('no token appears when Discord refuses the log-in and Slack refuses the bot token at start-up; a database it creates is 0600', async () => {
    // Created by the child itself, under umask 000.
    const databasePath = join(dir, 'fresh', 'data', 'paperboy.db');
    const bot = startBot({
      DATABASE_PATH: databasePath,
      HF_BASE_URL: hf.url,
      INGEST_CRON: '0 0 1 1 *',
      CATCH_UP_DAYS: '0',
      LOG_LEVEL: 'trace',
      DISCORD_TOKEN: secrets.discordWrong,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      SLACK_BOT_TOKEN: secrets.slackBotWrong,
      SLACK_APP_TOKEN: secrets.slackApp,
      SLACK_API_URL: slack.apiUrl,
    });
    await bot.waitFor([/"platform":"discord"[^\n]*platform failed to start|platform failed to start[^\n]*"platform":"discord"/, /"platform":"slack"[^\n]*platform failed to start|platform failed to start[^\n]*"platform":"slack"/, /paperboy ready/]);
    expect(discord.requests.some((r) => r.authorization === `Bot ${secrets.discordWrong}`)).toBe(true);
    expect(slack.calls('auth.test').map((c) => c.token)).toContain(secrets.slackBotWrong);
    expectPrivateFiles(databasePath);
    expect(await bot.stop()).toBe(0);
    expect(leaks(bot.output())).toEqual([]);
  }, 90_000);
});
