import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startFakeDiscord } from '../support/fake-discord.ts';
import { readFixture, startFakeHf, type FakeHf } from '../support/fake-hf.ts';
import { runCli } from '../support/run-cli.ts';

// The real binary against a fake Hugging Face and a temp database: ingest, then read back.

const Item = z.object({
  id: z.string(),
  title: z.string(),
  upvotes: z.number(),
  date: z.string(),
  url: z.string(),
  authors: z.array(z.string()),
  summary: z.string(),
});
const SearchItem = Item.extend({ score: z.number() });

let hf: FakeHf;
let dir: string;
let env: Record<string, string>;
const cli = (args: string[], extraEnv: Record<string, string> = {}) => runCli(args, { env: { ...env, ...extraEnv }, cwd: dir });

beforeAll(async () => {
  hf = await startFakeHf({ '2024-10-25': readFixture('daily_papers-2024-10-25.json') as unknown[] });
  dir = mkdtempSync(join(tmpdir(), 'paperboy-cli-'));
  env = { DATABASE_PATH: join(dir, 'data', 'paperboy.db'), HF_BASE_URL: hf.url, LOG_LEVEL: 'info' };
});

afterAll(async () => {
  await hf.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('paperboy CLI', { timeout: 60_000 }, () => {
  it('ingest --from --to fetches each day and prints one line per day when not on a terminal', async () => {
    const result = await cli(['ingest', '--from', '2024-10-24', '--to', '2024-10-25']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      '2024-10-24 empty (no papers listed that day)',
      '2024-10-25 ok: 29 papers, 29 new, 0 updated',
      'Ingested 2 days (2024-10-24 to 2024-10-25): 29 papers, 29 new, 0 failed.',
      'A backfill: its papers send no alert DMs (only a plain ingest or --date of today/yesterday does).',
      '',
    ]);
    expect(hf.requestsFor('2024-10-25').length).toBeGreaterThan(0);
    expect(hf.requestsFor('2024-10-24').length).toBeGreaterThan(0);
    // A backfill is history: the bot must not DM watches about it later (alert watermark moved past it).
    const db = new Database(env.DATABASE_PATH ?? '', { readonly: true });
    const watermark = db.prepare("SELECT value FROM meta WHERE key = 'alerts_planned_through_paper_id'").get();
    const newest = db.prepare('SELECT max(id) AS id FROM papers').get();
    db.close();
    expect(watermark).toEqual({ value: String(z.object({ id: z.number() }).parse(newest).id) });
  });

  it('search --json prints one JSON array of ranked results with the required fields', async () => {
    const result = await cli(['search', 'hallucinations', '--limit', '5', '--json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const items = z.array(SearchItem).parse(JSON.parse(result.stdout));
    // The two papers with the word in their title (others may match on the abstract).
    expect(items.map((item) => item.id)).toEqual(expect.arrayContaining(['2410.16251', '2410.18860']));
    expect(items.length).toBeLessThanOrEqual(5);
    expect(items.map((item) => item.score)).toEqual([...items.map((item) => item.score)].sort((a, b) => b - a));
    for (const item of items) {
      expect(item.date).toBe('2024-10-25');
      expect(item.url).toBe(`https://huggingface.co/papers/${item.id}`);
    }
  });

  it('search for nothing prints an empty array', async () => {
    const result = await cli(['search', 'xylophone', 'quasar', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([]);
  });

  it('today --json prints the whole latest day, most upvoted first', async () => {
    const result = await cli(['today', '--json']);
    expect(result.code).toBe(0);
    const items = z.array(Item).parse(JSON.parse(result.stdout));
    expect(items).toHaveLength(29);
    expect(items[0]).toMatchObject({ id: '2410.17243', upvotes: 64, date: '2024-10-25', url: 'https://huggingface.co/papers/2410.17243' });
    expect(items.map((item) => item.upvotes)).toEqual([...items.map((item) => item.upvotes)].sort((a, b) => b - a));
    expect(new Set(items.map((item) => item.id)).size).toBe(29);
  });

  it('today without --json is readable text', async () => {
    const result = await cli(['today', '--limit', '3']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Top papers for 2024-10-25 \(29\)/);
    expect(result.stdout).toContain('1. Breaking the Memory Barrier: Near Infinite Batch Size Scaling for Contrastive Loss [2410.17243]');
    expect(result.stdout).not.toContain('4. ');
  });

  it('paper --json prints one object with the abstract', async () => {
    const result = await cli(['paper', 'https://arxiv.org/abs/2410.17243v1', '--json']);
    expect(result.code).toBe(0);
    const paper = Item.extend({ abstract: z.string() }).parse(JSON.parse(result.stdout));
    expect(paper.id).toBe('2410.17243');
    expect(paper.abstract.length).toBeGreaterThan(200);
  });

  it('a paper Hugging Face has no page for fails with exit 1 and one line on stderr, nothing on stdout', async () => {
    const result = await cli(['paper', '2401.00001', '--json']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^paperboy: Hugging Face has no page for 2401\.00001, and arXiv did not answer: https:\/\/arxiv\.org\/abs\/2401\.00001$/m);
  });

  it('usage errors exit 2', async () => {
    const badLimit = await cli(['search', 'llm', '--limit', '101']);
    expect(badLimit.code).toBe(2);
    expect(badLimit.stderr).toMatch(/^paperboy: --limit must be a whole number from 1 to 100 \(got 101\)/);
    expect(badLimit.stderr.trimEnd().split('\n')).toHaveLength(1);
    const unknown = await cli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('paperboy: unknown command "frobnicate". Run paperboy help for the list.\n');
    const flag = await cli(['today', '--colour', 'red']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/unknown option --colour/);
  });

  it('a bad configuration names every bad variable and exits 1', async () => {
    const result = await cli(['today'], { HF_BASE_URL: 'not a url', LOG_LEVEL: 'loud' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/HF_BASE_URL/);
    expect(result.stderr).toMatch(/LOG_LEVEL/);
  });

  it('manages a user’s watches', async () => {
    const added = await cli(['watch', 'add', '--user', '123456789012345678', '--platform', 'discord', '--', 'hallucinations', '-survey']);
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/^Watching: hallucinations -survey/);
    const listed = await cli(['watch', 'list', '--user', '123456789012345678', '--platform', 'discord']);
    expect(listed.stdout).toMatch(/1\. hallucinations -survey/);
    const removed = await cli(['watch', 'remove', '--user', '123456789012345678', '--platform', 'discord', '1']);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toMatch(/Removed the watch `hallucinations -survey`/);
    const missingUser = await cli(['watch', 'list']);
    expect(missingUser.code).toBe(2);
  });

  it('digest preview --json shows what the console digest would post', async () => {
    const result = await cli(['digest', 'preview', '--date', '2024-10-25', '--json']);
    expect(result.code).toBe(0);
    const preview = z.object({ feedDates: z.array(z.string()), wouldPost: z.literal(true), papers: z.array(Item), leftOut: z.array(z.object({ paper: Item, reason: z.string() })) }).parse(JSON.parse(result.stdout));
    expect(preview.papers.length).toBeGreaterThan(0);
    expect(preview.papers[0]?.id).toBe('2410.17243');
  });

  it('backup writes a consistent copy of the database', async () => {
    const target = join(dir, 'backup.db');
    const result = await cli(['backup', target]);
    expect(result.code).toBe(0);
    expect(existsSync(target)).toBe(true);
    const copy = new Database(target, { readonly: true });
    expect(copy.prepare('SELECT count(*) FROM papers').pluck().get()).toBe(29);
    copy.close();
    const again = await cli(['backup', target]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists; pass --force/);
  });

  it('register-commands explains the missing Discord settings', async () => {
    const result = await cli(['register-commands']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('paperboy: register-commands needs DISCORD_TOKEN and DISCORD_APPLICATION_ID (in .env or the environment).\n');
  });

  it('register-commands puts /papers into a guild on Discord; invite-url prints the link', async () => {
    const discord = await startFakeDiscord();
    try {
      const discordEnv = { DISCORD_TOKEN: discord.token, DISCORD_APPLICATION_ID: discord.applicationId, DISCORD_API_URL: discord.apiUrl };
      const result = await cli(['register-commands', '--guild', '123456789012345678'], discordEnv);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('Registered /papers in guild 123456789012345678 (available at once).\n');
      const put = discord.requests.find((request) => request.method === 'PUT');
      expect(put?.path).toBe(`/applications/${discord.applicationId}/guilds/123456789012345678/commands`);
      const invite = await cli(['invite-url'], discordEnv);
      expect(invite.code).toBe(0);
      expect(invite.stdout).toMatch(new RegExp(`^https://discord\\.com/.*client_id=${discord.applicationId}`));
    } finally {
      await discord.close();
    }
  });

  it('help lists every command', async () => {
    const result = await cli(['help']);
    expect(result.code).toBe(0);
    for (const name of ['start', 'ingest', 'search', 'today', 'paper', 'watch', 'digest preview', 'register-commands', 'invite-url', 'backup']) {
      expect(result.stdout).toContain(name);
    }
  });
});
