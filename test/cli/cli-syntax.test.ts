import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { aPaper } from '../support/builders.ts';
import { runCli } from '../support/run-cli.ts';

// The CLI speaks CLI syntax (flags, `paperboy …`) in its errors and hints, prints watches as
// JSON records, says how to see more results, and checks --user before touching the database.

let dir: string;
let env: Record<string, string>;
const cli = (args: string[]) => runCli(args, { env, cwd: dir });
/** Output with wrapping undone, so assertions do not depend on the terminal width. */
const flat = (text: string) => text.replace(/\s+/g, ' ').trim();

const DISCORD_ID = '123456789012345678';
const WatchJson = z.strictObject({ number: z.number().int(), query: z.string(), since: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), artifacts: z.boolean() });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-cli-syntax-'));
  env = { DATABASE_PATH: join(dir, 'paperboy.db'), HF_BASE_URL: 'http://127.0.0.1:9', LOG_LEVEL: 'info' };
  const store = openSqliteStore(env.DATABASE_PATH ?? '');
  const day = new Date().toISOString().slice(0, 10);
  await store.upsertPapers(day, Array.from({ length: 120 }, (_, i) => aPaper({ title: `Diffusion study ${i}`, upvotes: i })), Date.now());
  await store.upsertPapers(day, Array.from({ length: 40 }, (_, i) => aPaper({ title: `Quasar survey ${i}`, upvotes: i })), Date.now());
  await store.close();
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('paperboy CLI syntax and watch output', { timeout: 180_000 }, () => {
  it('watch list/add/remove --json print watch records, not the chat message', async () => {
    const added = await cli(['watch', 'add', '--user', 'u1', '--json', '--', 'diffusion', '-survey']);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    const today = new Date().toISOString().slice(0, 10);
    expect(WatchJson.parse(JSON.parse(added.stdout))).toEqual({ number: 1, query: 'diffusion -survey', since: today, artifacts: true });
    await cli(['watch', 'add', '--user', 'u1', 'quasar']);
    const listed = await cli(['watch', 'list', '--user', 'u1', '--json']);
    expect(listed.code).toBe(0);
    expect(z.array(WatchJson).parse(JSON.parse(listed.stdout))).toEqual([
      { number: 1, query: 'diffusion -survey', since: today, artifacts: true },
      { number: 2, query: 'quasar', since: today, artifacts: true },
    ]);
    const removed = await cli(['watch', 'remove', '--user', 'u1', '--json', '1']);
    expect(removed.code).toBe(0);
    expect(WatchJson.parse(JSON.parse(removed.stdout))).toEqual({ number: 1, query: 'diffusion -survey', since: today, artifacts: true });
    const empty = await cli(['watch', 'list', '--user', 'u2', '--json']);
    expect(JSON.parse(empty.stdout)).toEqual([]);
  });

  it('watch hints and errors use CLI syntax with the same user', async () => {
    const added = await cli(['watch', 'add', '--user', DISCORD_ID, '--platform', 'discord', 'state', 'space']);
    expect(added.code).toBe(0);
    expect(flat(added.stdout)).toContain(`paperboy watch list --user ${DISCORD_ID} --platform discord`);
    expect(added.stdout).not.toContain('/papers');
    const listed = await cli(['watch', 'list', '--user', DISCORD_ID, '--platform', 'discord']);
    expect(flat(listed.stdout)).toContain(`Remove one with \`paperboy watch remove --user ${DISCORD_ID} --platform discord <number>\``);
    expect(listed.stdout).not.toContain('/papers');
    const none = await cli(['watch', 'list', '--user', 'nobody']);
    expect(flat(none.stdout)).toContain('`paperboy watch add --user nobody <query>`');
    expect(none.stdout).not.toContain('/papers');
    const again = await cli(['watch', 'add', '--user', DISCORD_ID, '--platform', 'discord', 'space', 'state']);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('paperboy: You already watch `state space` (number 1 in your watches).\n');
    const missing = await cli(['watch', 'remove', '--user', DISCORD_ID, '--platform', 'discord', '5']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('paperboy: You have no watch 5 (you have 1).\n');
    const noQuery = await cli(['watch', 'add', '--user', 'u3']);
    expect(noQuery.code).toBe(2);
    expect(noQuery.stderr).toBe('paperboy: `<query>` is required. Usage: paperboy watch add --user u3 <query> [--artifacts yes|no] [--json]\n');
    const stray = await cli(['watch', 'add', '--user', 'u3', 'limit=3', 'diffusion']);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('paperboy: Unknown option `limit` for watch add (options: --artifacts yes|no, --json). To use `limit=3` as query text, quote it: \'"limit=3"\'. Usage: paperboy watch ');
    const malformed = await cli(['search', 'diffusion', 'min:-1']);
    expect(malformed.stderr).toBe('paperboy: `min:-1` is malformed: min: takes a whole number of upvotes from 0 to 1,000,000, like min:10. To search for the text itself, quote it: \'"min:-1"\'.\n');
    expect(stray.stderr).not.toContain('/papers');
  });

  it('option errors name flags and show the CLI usage', async () => {
    const sort = await cli(['today', '--sort', 'sideways']);
    expect(sort.code).toBe(2);
    expect(sort.stderr).toBe('paperboy: `--sort` must be one of: upvotes, new, rising (you gave `sideways`). Usage: paperboy today [--limit N] [--sort upvotes|new|rising] [--source hf|arxiv] [--json]\n');
    for (const limit of ['0', '101', 'abc', '2.5']) {
      const bad = await cli(['search', 'diffusion', '--limit', limit]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toBe(`paperboy: --limit must be a whole number from 1 to 100 (got ${limit}). Usage: paperboy search <query> [--limit N] [--json]\n`);
    }
  });

  it('search says how many more there are and how to see them; --limit goes up to 100', async () => {
    const first = await cli(['search', 'quasar']);
    expect(first.code).toBe(0);
    expect(flat(first.stdout)).toContain('Showing 10 of 40 papers; add --limit 40 to see more (at most 100).');
    const forty = await cli(['search', 'quasar', '--limit', '40', '--json']);
    expect(z.array(z.object({ id: z.string() })).parse(JSON.parse(forty.stdout))).toHaveLength(40);
    const all = await cli(['search', 'quasar', '--limit', '40']);
    expect(all.stdout).not.toContain('Showing');
    const hundred = await cli(['search', 'diffusion', '--limit', '100', '--json']);
    const ids = z.array(z.object({ id: z.string() })).parse(JSON.parse(hundred.stdout)).map((paper) => paper.id);
    expect(new Set(ids).size).toBe(100);
    const capped = await cli(['search', 'diffusion', '--limit', '100']);
    expect(flat(capped.stdout)).toContain('Showing 100 of 120 papers; --limit goes up to 100: narrow the query to see the rest.');
    const today = await cli(['today', '--limit', '5']);
    expect(flat(today.stdout)).toContain('Showing 5 of 160 papers; add --limit 100 to see more, or leave --limit out for all of them.');
  });

  it.each([
    [['--user', 'x'.repeat(10_000)], /^paperboy: --user must be a short console name \(letters, digits, \. _ -; at most 64\), got 'x{20}…'/],
    [['--user', '123', '--platform', 'discord'], /^paperboy: --user must be a Discord user id \(17 to 20 digits\), got '123'/],
    [['--user', 'u1', '--platform', 'slack'], /^paperboy: --user must be a Slack user id \(U or W and uppercase letters or digits, e\.g\. U024BE7LH\), got 'u1'/],
    [['--user', 'a b'], /^paperboy: --user must be a short console name/],
    // No --platform, an id of a chat platform: said, never an empty console list.
    [['--user', '123456789012345678'], /^paperboy: --user 123456789012345678 looks like a Discord user id: add --platform discord \(or --platform console\)/],
    [['--user', 'U024BE7LH'], /^paperboy: --user U024BE7LH looks like a Slack user id: add --platform slack/],
    [['--user', 'u1\u202E\n'], /^paperboy: --user must be a short console name .*, got 'u1\\u202E\\u000A'\./],
  ])('refuses a malformed --user %#', async (flags, message) => {
    const result = await cli(['watch', 'list', ...flags]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr.length).toBeLessThan(300);
  });

  it('says an empty --limit is empty', async () => {
    const result = await cli(['search', 'diffusion', '--limit', '']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^paperboy: --limit must be a whole number from 1 to 100 \(got an empty value\)/);
  });

  it('watch remove takes a query with the same meaning, and any all-digit reference as a number', async () => {
    expect((await cli(['watch', 'add', '--user', 'dave', 'Diffusion video'])).code).toBe(0);
    expect((await cli(['watch', 'add', '--user', 'dave', '"state space" -survey'])).code).toBe(0);
    const huge = await cli(['watch', 'remove', '--user', 'dave', '99999999999999999999']);
    expect(huge.code).toBe(1);
    expect(huge.stderr).toMatch(/^paperboy: You have no watch 99999999999999999999 \(you have 2\)\./);
    const byOrder = await cli(['watch', 'remove', '--user', 'dave', 'video diffusion']);
    expect(byOrder.stderr).toBe('');
    expect(flat(byOrder.stdout)).toBe('Removed the watch `Diffusion video`. You have 1 watch left.');
    const byExclusion = await cli(['watch', 'remove', '--user', 'dave', '--', '-survey', '"state space"']);
    expect(byExclusion.stderr).toBe('');
    expect(flat(byExclusion.stdout)).toBe('Removed the watch `"state space" -survey`. You have 0 watches left.');
  });

  it('accepts real ids for each platform', async () => {
    for (const flags of [['--user', DISCORD_ID, '--platform', 'discord'], ['--user', 'U024BE7LH', '--platform', 'slack'], ['--user', 'W0ALICE42', '--platform', 'slack'], ['--user', 'ops.bot-1']]) {
      const result = await cli(['watch', 'list', ...flags]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    }
  });
});
