import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { addDays, daysBetween, toFeedDate } from '../../src/clock.ts';
import { generateArchive } from '../support/archive-days.ts';
import { startFakeHf, type FakeHf } from '../support/fake-hf.ts';
import { runCli } from '../support/run-cli.ts';

// `paperboy backfill` as a user runs it: the real binary, a fake Hugging Face, a temp database.

const Outcome = z.object({
  from: z.string(),
  to: z.string(),
  status: z.string(),
  days: z.number(),
  stored: z.number(),
  fetchedNow: z.number(),
  failedDays: z.array(z.string()),
  papers: z.number(),
  error: z.string().nullable(),
});

const today = toFeedDate(Date.now());
const from = addDays(today, -40);
const to = addDays(today, -2);
let hf: FakeHf;
let dir: string;
let env: Record<string, string>;
const cli = (args: string[], extra: Record<string, string> = {}) => runCli(args, { env: { ...env, ...extra }, cwd: dir, timeoutMs: 60_000 });

beforeAll(async () => {
  hf = await startFakeHf();
  dir = mkdtempSync(join(tmpdir(), 'paperboy-cli-backfill-'));
  env = { DATABASE_PATH: join(dir, 'paperboy.db'), HF_BASE_URL: hf.url, LOG_LEVEL: 'info', BACKFILL_FROM: from, HF_MAX_REQUESTS_PER_MINUTE: '100000' };
  for (const [day, items] of generateArchive(from, today).items) hf.setDay(day, items);
});

afterAll(async () => {
  await hf.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('paperboy backfill', { timeout: 90_000 }, () => {
  it('fetches BACKFILL_FROM to the day before yesterday, one plain line a day off a terminal, and skips stored days the next time', async () => {
    const first = await cli(['backfill', '--to', addDays(today, -10)]);
    expect(first.code).toBe(0);
    const lines = first.stdout.trim().split('\n');
    // Newest first; weekends are empty on HF.
    expect(lines[0]).toMatch(new RegExp(`^${addDays(today, -10)} (ok: 3 papers, 3 new, 0 updated|empty \\(no papers listed that day\\))$`));
    const listed = 3 * lines.filter((line) => line.endsWith(' ok: 3 papers, 3 new, 0 updated')).length;
    expect(lines.at(-1)).toBe(`Archive ${from} to ${addDays(today, -10)}: 31 of 31 days stored (31 fetched now), ${listed} papers listed in the range. A backfill: its papers send no alert DMs.`);
    expect(first.stdout).not.toContain('\u001b[');

    const requestsBefore = hf.requests.length;
    const second = await cli(['backfill', '--json']);
    expect(second.code).toBe(0);
    const outcome = Outcome.parse(JSON.parse(second.stdout));
    expect(outcome).toMatchObject({ from, to, status: 'complete', days: 39, stored: 39, fetchedNow: 8, failedDays: [], error: null });
    const fetched = hf.requests.slice(requestsBefore).map((r) => r.date);
    expect(fetched).toEqual(daysBetween(addDays(today, -9), to).reverse());
  });

  it('exit 1 and the failed days listed when a day keeps failing', async () => {
    const bad = addDays(today, -45);
    hf.setDay(bad, { fault: 'body', body: '{"error":"maintenance"}' });
    const result = await cli(['backfill', '--from', addDays(today, -46), '--to', addDays(today, -44)]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n').at(-1)).toBe(`paperboy: 1 day failed (${bad}); run the same command again to retry them.`);
    expect(hf.requestsFor(bad).length).toBe(3);
  });

  it.each([
    [['--from', 'soon'], '"soon" is not a date'],
    [['--from', '2023-01-01'], '--from 2023-01-01 is before 2023-05-04, the first day of Daily Papers'],
    [['--to', '2999-01-01'], '--to 2999-01-01 is in the future'],
    [['--from', addDays(today, -3), '--to', addDays(today, -5)], 'is after --to'],
    [['--from', '2999-01-01'], '--from 2999-01-01 is in the future'],
    [['--from', addDays(today, -1)], `is after ${addDays(today, -2)}, the day before yesterday, where a backfill ends by default`],
    [['--from', ''], '--from needs a date'],
    [['2024-01-01'], 'takes no arguments'],
  ])('exit 2 for %j', async (args, message) => {
    const result = await cli(['backfill', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });

  it('exit 2 with BACKFILL_FROM=off and no --from', async () => {
    const result = await cli(['backfill'], { BACKFILL_FROM: 'off' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('BACKFILL_FROM is off: say where to start with --from YYYY-MM-DD');
  });
});
