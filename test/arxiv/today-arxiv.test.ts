import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchCommand } from '../../commands/dispatch.ts';
import { pollArxiv } from '../../src/arxiv/poll-arxiv.ts';
import { createArxivGate } from '../../src/arxiv/polite-client.ts';
import { renderPlainText } from '../../src/messages/message.ts';
import { startFakeArxiv, type FakeArxiv } from '../support/fake-arxiv.ts';
import { runCli } from '../support/run-cli.ts';
import { testDeps } from '../support/test-deps.ts';

// `/papers today source:arxiv` (Discord option, Slack/CLI `source=arxiv`, `paperboy today --source arxiv`)
// lists the latest announcement's new and cross-listed papers in arXiv's order, not its revisions.

let arxiv: FakeArxiv;
let dir: string;
beforeAll(async () => {
  arxiv = await startFakeArxiv();
  dir = mkdtempSync(join(tmpdir(), 'paperboy-arxiv-'));
});
afterAll(async () => {
  await arxiv.close();
  rmSync(dir, { recursive: true, force: true });
});

const feed = {
  date: '2026-09-01',
  items: [
    { id: '2609.00001', type: 'new' as const, title: 'Dense retrieval for question answering', categories: ['cs.CL', 'cs.IR'] },
    { id: '2609.00002', type: 'cross' as const, title: 'Optimisers for deep networks', categories: ['stat.ML', 'cs.LG'] },
    { id: '2609.00003', type: 'new' as const, title: 'Tokenisers compared', categories: ['cs.CL'] },
  ],
};
const user = { platform: 'console' as const, id: 'u' };
const channel = { platform: 'console' as const, id: 'c', isDm: false };

describe('today source=arxiv', () => {
  it('says the source is off, then that nothing is stored, then lists the announcement in listing order', async () => {
    const off = testDeps();
    expect((await dispatchCommand(off, { name: 'today', rawOptions: { source: 'arxiv' }, user, channel, isAdmin: false })).text).toMatch(/The arXiv source is off/);

    const d = testDeps({ env: { ARXIV_CATEGORIES: 'cs.CL,cs.LG', ARXIV_RSS_URL: arxiv.rssUrl } });
    expect((await dispatchCommand(d, { name: 'today', rawOptions: { source: 'arxiv' }, user, channel, isAdmin: false })).text).toMatch(/No arXiv announcement stored yet/);
    arxiv.setFeed(feed);
    await pollArxiv(d, 'cron', { gate: createArxivGate({ spacingMs: 5 }) });
    // A later revision of one of them does not make the list.
    arxiv.setFeed({ date: '2026-09-02', items: [{ id: '2609.00001', type: 'replace', version: 2, title: 'Dense retrieval, revised' }] });
    await pollArxiv(d, 'cron', { gate: createArxivGate({ spacingMs: 5 }) });

    const reply = await dispatchCommand(d, { name: 'today', rawOptions: { source: 'arxiv', limit: 2 }, user, channel, isAdmin: false });
    // The latest announcement with papers is the one of 2026-09-02, but it only revised a paper.
    expect(reply.title).toBe('arXiv announcement of 2026-09-02 (0 new and cross-listed)');
    expect(reply.papers).toEqual([]);
    expect(reply.text).toBe('Categories: cs.CL, cs.LG');

    // Switched off later: the last announcement is still shown, saying so; a sort arXiv has no data for is named.
    const switchedOff = { ...d, config: { ...d.config, ARXIV_CATEGORIES: [] } };
    const stale = await dispatchCommand(switchedOff, { name: 'today', rawOptions: { source: 'arxiv', sort: 'rising' }, user, channel, isAdmin: false });
    expect(stale.title).toBe('arXiv announcement of 2026-09-02 (0 new and cross-listed)');
    expect(stale.text).toBe(
      "The arXiv source is off (ARXIV_CATEGORIES is empty): this is the last announcement stored.\nIn arXiv's listing order: sort=rising applies to Hugging Face days.",
    );
  });

  it('shows arXiv-only papers with their categories and arXiv link; Hugging Face is the default source', async () => {
    const d = testDeps({ env: { ARXIV_CATEGORIES: 'cs.CL,cs.LG', ARXIV_RSS_URL: arxiv.rssUrl } });
    arxiv.setFeed(feed);
    await pollArxiv(d, 'cron', { gate: createArxivGate({ spacingMs: 5 }) });
    const reply = await dispatchCommand(d, { name: 'today', rawOptions: { source: 'arxiv', limit: 2 }, user, channel, isAdmin: false });
    expect(reply.title).toBe('arXiv announcement of 2026-09-01 (3 new and cross-listed)');
    expect(reply.papers.map((p) => p.id)).toEqual(['2609.00001', '2609.00002']);
    expect(reply.papers[0]).toMatchObject({ url: 'https://arxiv.org/abs/2609.00001', categories: ['cs.CL', 'cs.IR'], arxivOnly: true, thumbnailUrl: null });
    expect(reply.paging).toMatchObject({ page: 0, pageCount: 2, total: 3 });
    const text = renderPlainText(reply);
    expect(text).toContain('arXiv · cs.CL, cs.IR · 2026-09-01');
    expect(text).not.toContain('▲ 0');
    expect((await dispatchCommand(d, { name: 'today', rawOptions: {}, user, channel, isAdmin: false })).text).toMatch(/No papers stored yet/);
  });
});

describe('the CLI', () => {
  it('`ingest --source arxiv` polls now and `today --source arxiv` lists the announcement', async () => {
    arxiv.setFeed(feed);
    const env = { DATABASE_PATH: join(dir, 'cli.db'), ARXIV_CATEGORIES: 'cs.CL,cs.LG', ARXIV_RSS_URL: arxiv.rssUrl, LOG_LEVEL: 'warn', HF_BASE_URL: 'http://127.0.0.1:9' };
    expect((await runCli(['watch', 'add', '--user', 'ada', 'retrieval'], { env, cwd: dir })).code).toBe(0);
    const ingest = await runCli(['ingest', '--source', 'arxiv'], { env, cwd: dir });
    expect(ingest.stderr).toBe('');
    // What it stored, then what it queued for watches, as the Hugging Face ingest says it.
    expect(ingest.stdout.trim().split('\n')).toEqual([
      'Stored the arXiv announcement of 2026-09-01: 3 new papers, 0 known papers updated, 0 skipped.',
      'Queued 1 alert DM for matching watches: the bot sends them now if it is running, else when it starts.',
    ]);
    expect(ingest.code).toBe(0);
    const again = await runCli(['ingest', '--source', 'arxiv', '--json'], { env, cwd: dir });
    expect(JSON.parse(again.stdout)).toMatchObject({ announcement: '2026-09-01', status: 'unchanged' });
    const today = await runCli(['today', '--source', 'arxiv', '--json'], { env, cwd: dir });
    expect(today.code).toBe(0);
    expect((JSON.parse(today.stdout) as Array<{ id: string }>).map((p) => p.id)).toEqual(['2609.00001', '2609.00002', '2609.00003']);
    const bad = await runCli(['ingest', '--source', 'biorxiv'], { env, cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--source takes hf or arxiv/);
    const range = await runCli(['ingest', '--source', 'arxiv', '--from', '2026-01-01'], { env, cwd: dir });
    expect(range.code).toBe(2);
  }, 60_000);

  it('a failed poll exits 1 and says why', async () => {
    arxiv.setFeed({ fault: 'html' });
    const env = { DATABASE_PATH: join(dir, 'fail.db'), ARXIV_CATEGORIES: 'cs.CL', ARXIV_RSS_URL: arxiv.rssUrl, LOG_LEVEL: 'silent', HF_BASE_URL: 'http://127.0.0.1:9' };
    const result = await runCli(['ingest', '--source', 'arxiv'], { env, cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/The arXiv poll failed: the arXiv RSS feed is not well-formed XML/);
  }, 60_000);

  it('refuses an invalid ARXIV_CATEGORIES at start-up, naming it', async () => {
    const result = await runCli(['today'], { env: { DATABASE_PATH: join(dir, 'x.db'), ARXIV_CATEGORIES: 'cs.CL, cs/LG' }, cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("ARXIV_CATEGORIES must be comma-separated arXiv categories (archive or archive.SUBJECT, e.g. cs.CL,cs.LG,stat.ML or cs), got 'cs/LG'");
  });
});
