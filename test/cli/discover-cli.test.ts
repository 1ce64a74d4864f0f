import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readFixture, startFakeHf, type FakeHf } from '../support/fake-hf.ts';
import { runCli } from '../support/run-cli.ts';

// The real binary: ingest the 2024-10-25 fixture (upvote snapshots are written), then trending,
// similar and saved, as text and --json.

const Noted = z.object({ id: z.string(), title: z.string(), note: z.string() });

let hf: FakeHf;
let dir: string;
let env: Record<string, string>;
const cli = (args: string[]) => runCli(args, { env, cwd: dir });

beforeAll(async () => {
  hf = await startFakeHf({ '2024-10-25': readFixture('daily_papers-2024-10-25.json') as unknown[] });
  dir = mkdtempSync(join(tmpdir(), 'paperboy-discover-'));
  env = { DATABASE_PATH: join(dir, 'paperboy.db'), HF_BASE_URL: hf.url, LOG_LEVEL: 'warn' };
});

afterAll(async () => {
  await hf.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('paperboy trending, similar, saved', { timeout: 60_000 }, () => {
  it('ingest writes snapshots; trending ranks them; similar names the shared words', async () => {
    expect((await cli(['ingest', '--date', '2024-10-25'])).code).toBe(0);
    const db = new Database(env.DATABASE_PATH ?? '');
    expect(db.prepare('SELECT count(*) AS n FROM upvote_snapshots').get()).toEqual({ n: 29 });
    // A 2024 day read today: upvotes we never saw it gain count for nothing.
    expect(JSON.parse((await cli(['trending', '--window', 'month', '--json'])).stdout)).toEqual([]);
    // Give one paper a baseline of 0 upvotes 40 days ago: its upvotes were gained this month.
    db.prepare("INSERT INTO upvote_snapshots (paper_id, at, upvotes) SELECT id, ?, 0 FROM papers WHERE arxiv_id = '2410.17243'").run(Date.now() - 40 * 24 * 3600 * 1000);
    const upvotes = z.object({ upvotes: z.number() }).parse(db.prepare("SELECT upvotes FROM papers WHERE arxiv_id = '2410.17243'").get()).upvotes;
    db.close();
    const trending = await cli(['trending', '--window', 'month', '--json']);
    expect(trending.code).toBe(0);
    const ranked = z.array(Noted).parse(JSON.parse(trending.stdout));
    expect(ranked.map((p) => p.id)).toEqual(['2410.17243']);
    expect(ranked[0]?.note).toMatch(new RegExp(`^\\+${upvotes} ▲ in the last 30 days`));

    const bad = await cli(['trending', '--window', 'year']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('day|week|month');

    const similar = await cli(['similar', 'https://huggingface.co/papers/2410.18785', '--json']);
    expect(similar.code).toBe(0);
    const like = z.array(Noted).parse(JSON.parse(similar.stdout));
    expect(like[0]?.id).toBe('2410.16251');
    expect(like[0]?.note).toMatch(/^Shares: .*knowledge/);
  });

  it('saved without --user says so in its own words, exit 2', async () => {
    const missing = await cli(['saved']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('saved needs --user <id> (the chat user id whose reading list to show)');
  });

  it('saved --format bibtex prints the bare file of a chat user’s list', async () => {
    const db = new Database(env.DATABASE_PATH ?? '');
    db.prepare("INSERT INTO saved_papers (platform, user_id, paper_id, saved_at) SELECT 'slack', 'U024BE7LH', id, 1 FROM papers WHERE arxiv_id = '2410.17243'").run();
    db.close();
    const bib = await cli(['saved', '--user', 'U024BE7LH', '--platform', 'slack', '--format', 'bibtex']);
    expect(bib.code).toBe(0);
    expect(bib.stdout).toMatch(/^@misc\{\w+2024breaking,\n  title=\{Breaking the Memory Barrier/);
    expect(bib.stdout).toContain('  eprint={2410.17243},\n  archivePrefix={arXiv},');
    const list = await cli(['saved', '--user', 'U024BE7LH', '--platform', 'slack', '--json']);
    expect(z.array(z.object({ id: z.string() })).parse(JSON.parse(list.stdout)).map((p) => p.id)).toEqual(['2410.17243']);
  });
});
