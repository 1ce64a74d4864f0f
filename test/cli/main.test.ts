import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { addDays, toFeedDate } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { startBot, type RunningBot } from '../../src/main.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { addWatch } from '../../src/watches/add-watch.ts';
import { captureStream } from '../support/capture.ts';
import { hfItem, startFakeHf, type FakeHf } from '../support/fake-hf.ts';
import { testDeps } from '../support/test-deps.ts';
import { until } from '../support/wait.ts';

// startBot in console mode, in process: the start-up catch-up ingests, a watch match becomes an
// alert and a due digest becomes a post, both printed by the console platform.

let hf: FakeHf | undefined;
let bot: RunningBot | undefined;
let dir: string | undefined;

afterEach(async () => {
  await bot?.stop();
  await hf?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('startBot (console mode)', () => {
  it('ingests on start-up, prints the alert and the due digest, and stops cleanly', async () => {
    const today = toFeedDate(Date.now());
    const yesterday = addDays(today, -1);
    hf = await startFakeHf({
      [yesterday]: [hfItem({ id: '2609.00001', title: 'Diffusion transformers for video', upvotes: 30 }), hfItem({ id: '2609.00002', title: 'Graph networks', upvotes: 3 })],
      [today]: [hfItem({ id: '2609.00003', title: 'Another diffusion paper', upvotes: 1 })],
    });
    dir = mkdtempSync(join(tmpdir(), 'paperboy-main-'));
    const env = { DATABASE_PATH: join(dir, 'paperboy.db'), HF_BASE_URL: hf.url, INGEST_CRON: '0 0 1 1 *', LOG_LEVEL: 'debug' };

    // Before start: a console digest whose watermark is two days back, and a watch.
    const setup = openSqliteStore(env.DATABASE_PATH);
    const now = Date.now();
    setup.db.$client
      .prepare(
        `INSERT INTO channel_digests (platform, channel_id, time, timezone, top, min_upvotes, query, post_when_empty, enabled, last_feed_date, created_at, updated_at)
         VALUES ('console', 'console', '00:00', 'UTC', 5, 0, '', 0, 1, ?, ?, ?)`,
      )
      .run(addDays(today, -2), now, now);
    await addWatch(testDeps({ store: setup }), { platform: 'console', id: 'console' }, 'diffusion');
    await setup.close();

    const out = captureStream();
    const logs = captureStream();
    const config = loadConfig(env);
    bot = await startBot(config, { stdout: out.stream, stdin: new PassThrough(), log: createLogger(config, logs.stream) });
    expect(bot.platforms).toEqual(['console']);
    expect(logs.text()).toMatch(/"msg":"paperboy ready"/);
    await bot.catchUp;

    await until(() => out.text().includes('Digest for #console') && out.text().includes('Alert for user console'), 'the digest and the alert');
    expect(out.text()).toContain('Diffusion transformers for video');
    expect(hf.requestsFor(today).length).toBeGreaterThan(0);
    expect(hf.requestsFor(yesterday).length).toBeGreaterThan(0);

    await bot.stop();
    // The database is closed: the store refuses every call.
    await expect(bot.deps.store.countRows('papers')).rejects.toThrow(/not open/);
    bot = undefined;
  });

  it('keeps running when a platform fails to start', async () => {
    dir = mkdtempSync(join(tmpdir(), 'paperboy-main-'));
    hf = await startFakeHf();
    // Slack at a closed port: auth.test cannot succeed.
    const config = loadConfig({
      DATABASE_PATH: join(dir, 'paperboy.db'),
      HF_BASE_URL: hf.url,
      INGEST_CRON: '0 0 1 1 *',
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: 'secret-secret',
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
      PORT: '0',
    });
    const logs = captureStream();
    bot = await startBot(config, { stdout: captureStream().stream, stdin: new PassThrough(), log: createLogger(config, logs.stream) });
    expect(bot.platforms).toEqual([]);
    expect(logs.text()).toMatch(/"platform":"slack".*"msg":"platform failed to start"/);
    expect(logs.text()).toMatch(/"msg":"paperboy ready"/);
    expect(logs.text()).not.toContain('xoxb-test-token');
  });
});
