import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFixture, startFakeHf, type FakeHf } from '../support/fake-hf.ts';
import { runCli } from '../support/run-cli.ts';

// `paperboy digest preview` as the README writes it: a bare date, or --date.

let hf: FakeHf;
let dir: string;
let env: Record<string, string>;
const cli = (args: string[]) => runCli(args, { env, cwd: dir });

beforeAll(async () => {
  hf = await startFakeHf({ '2024-10-25': readFixture('daily_papers-2024-10-25.json') as unknown[] });
  dir = mkdtempSync(join(tmpdir(), 'paperboy-digest-cli-'));
  env = { DATABASE_PATH: join(dir, 'paperboy.db'), HF_BASE_URL: hf.url, LOG_LEVEL: 'warn' };
  const ingest = await cli(['ingest', '--date', '2024-10-25']);
  if (ingest.code !== 0) throw new Error(`ingest failed: ${ingest.stderr}`);
}, 60_000);

afterAll(async () => {
  await hf.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('paperboy digest preview', { timeout: 60_000 }, () => {
  it('takes the day as a bare date or as --date', async () => {
    for (const args of [['digest', 'preview', '2024-10-25'], ['digest', 'preview', '--date', '2024-10-25']]) {
      const result = await cli(args);
      expect(result.stderr, args.join(' ')).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Digest preview — Fri 25 Oct 2024\n/);
      expect(result.stdout).toContain('The digest would post 5 of the');
    }
  });

  it('says a future day is in the future, and what form a date takes', async () => {
    const future = await cli(['digest', 'preview', '2999-01-01']);
    expect(future.code).toBe(2);
    expect(future.stderr).toMatch(/2999-01-01 is in the future: its papers are not listed yet/);
    const malformed = await cli(['digest', 'preview', '2024-1-5']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/must be a feed day as YYYY-MM-DD, like 2026-09-01 \(you gave `2024-1-5`\)/);
    const twice = await cli(['digest', 'preview', '2024-10-25', '--date', '2024-10-24']);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/the date once/);
  });

  it('--json prints the preview as data: the day, whether it would post, the papers and each left-out paper with its reason', async () => {
    const result = await cli(['digest', 'preview', '2024-10-25', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual(['channel', 'feedDates', 'leftOut', 'note', 'papers', 'settings', 'wouldPost']);
    expect(json).toMatchObject({
      channel: { platform: 'console', id: 'console' },
      settings: { saved: false, top: 5, minUpvotes: 0, query: '', postWhenEmpty: false },
      feedDates: ['2024-10-25'],
      wouldPost: true,
    });
    expect(json.note).toMatch(/The console channel has no digest.*previewing the defaults/);
    const papers = json.papers as Array<Record<string, unknown>>;
    expect(papers).toHaveLength(5);
    expect(papers[0]).toMatchObject({ id: expect.any(String), title: expect.any(String), date: '2024-10-25', upvotes: expect.any(Number) });
    const leftOut = json.leftOut as Array<{ paper: Record<string, unknown>; reason: string }>;
    expect(leftOut.length).toBeGreaterThan(0);
    for (const entry of leftOut) expect(entry).toMatchObject({ paper: { id: expect.any(String), date: '2024-10-25' }, reason: 'past_top_n' });
  });

  it('--json for a day never fetched says it would not post, and why', async () => {
    const result = await cli(['digest', 'preview', '2024-10-20', '--json']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ feedDates: ['2024-10-20'], wouldPost: false, papers: [], leftOut: [] });
    expect(json.note).toMatch(/never fetched/);
  });

  it('the text says it previews the console channel’s digest, or the defaults when none is set', async () => {
    const result = await cli(['digest', 'preview', '2024-10-25']);
    // Wrapped at 100 columns.
    expect(result.stdout.replace(/\s+/g, ' ')).toContain('The console channel has no digest (set one with /papers digest set at the prompt of `paperboy start` or `npm start`): previewing the defaults.');
    expect(result.stdout).not.toContain('This channel has no digest yet');
  });
});
