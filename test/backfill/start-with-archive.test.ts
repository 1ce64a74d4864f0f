import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { addDays, toFeedDate } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { startBot, type RunningBot } from '../../src/main.ts';
import { generateArchive } from '../support/archive-days.ts';
import { captureStream } from '../support/capture.ts';
import { startFakeHf, type FakeHf } from '../support/fake-hf.ts';
import { until } from '../support/wait.ts';

// A fresh start (console mode) against a fake Hugging Face serving years of days: the bot answers
// commands while the archive comes in, status shows the progress and then "complete", and papers
// from 2023 become searchable.

let bot: RunningBot | undefined;
let hf: FakeHf | undefined;
let dir: string | undefined;

afterEach(async () => {
  await bot?.stop();
  bot = undefined;
  await hf?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a fresh start with the archive backfill on', () => {
  it('answers commands during the backfill, shows its progress, then "complete", and finds 2023 papers', async () => {
    const today = toFeedDate(Date.now());
    const from = '2023-11-01';
    hf = await startFakeHf();
    const archive = generateArchive(from, today, 2);
    for (const [day, items] of archive.items) hf.setDay(day, items);
    dir = mkdtempSync(join(tmpdir(), 'paperboy-start-archive-'));
    const config = loadConfig({
      DATABASE_PATH: join(dir, 'paperboy.db'),
      HF_BASE_URL: hf.url,
      INGEST_CRON: '0 0 1 1 *',
      BACKFILL_FROM: from,
      HF_MAX_REQUESTS_PER_MINUTE: '100000',
      LOG_LEVEL: 'info',
    });
    const out = captureStream();
    const logs = captureStream();
    // The console answers commands when its input is a terminal.
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    bot = await startBot(config, { stdout: out.stream, stdin, log: createLogger(config, logs.stream) });
    await bot.catchUp;

    const total = Math.round((Date.parse(addDays(today, -2)) - Date.parse(from)) / 86_400_000) + 1;
    stdin.write('/papers status\n');
    await until(() => /Archive: /.test(out.text()), 'a status reply during the backfill', { timeoutMs: 30_000 });
    expect(out.text()).toMatch(new RegExp(`Archive: [\\d,]+ of ${total.toLocaleString('en-US')} days \\(\\d+ %\\), about`));

    await until(() => logs.text().includes('"msg":"archive backfill complete"'), 'the backfill to finish', { timeoutMs: 120_000 });
    expect(logs.text()).toMatch(/"msg":"archive backfill: 50 of \d+ days"/);
    out.clear();
    stdin.write('/papers status\n');
    await until(() => /Archive: complete/.test(out.text()), 'status after the backfill', { timeoutMs: 30_000 });
    const to = addDays(today, -2);
    const inRange = [...archive.items].filter(([day]) => day <= to).reduce((sum, [, items]) => sum + items.length, 0);
    expect(out.text()).toContain(`Archive: complete (${inRange.toLocaleString('en-US')} papers listed ${from} to ${to})`);

    out.clear();
    stdin.write('/papers search "archive paper 1 of 2023-11-01"\n');
    await until(() => /Search: /.test(out.text()), 'the search reply', { timeoutMs: 30_000 });
    expect(out.text()).toContain('2311.10001');
    expect(out.text()).toContain(`of ${archive.papers.toLocaleString('en-US')} searched)`);
  }, 180_000);
});
