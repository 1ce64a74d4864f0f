import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createArxivGate } from '../../src/arxiv/polite-client.ts';
import { runArxivBackfill } from '../../src/backfill/arxiv-backfill.ts';
import { planPendingAlerts } from '../../src/alerts/plan-alerts.ts';
import { addWatch } from '../../src/watches/add-watch.ts';
import { atomEntryXml, atomFeed, startFakeArxiv, type FakeArxiv, type SearchAnswer } from '../support/fake-arxiv.ts';
import { runCli } from '../support/run-cli.ts';
import { testDeps, type TestDeps } from '../support/test-deps.ts';

// `backfill --source arxiv` against a fake arXiv API: the search it asks for, paging, resuming
// after a failure or a kill, and silence (no alert for history).

let arxiv: FakeArxiv;
const fast = () => createArxivGate({ spacingMs: 1 });
const deps = (categories = 'cs.CL'): TestDeps =>
  testDeps({ now: '2026-09-02T12:00:00Z', env: { ARXIV_CATEGORIES: categories, ARXIV_API_URL: arxiv.apiUrl, FEED_TIMEOUT_MS: '500' } });

/** `count` papers per (category, day), ids derived from both; answers pages as arXiv does. */
function history(count: (category: string, day: string) => number): SearchAnswer {
  return ({ searchQuery, start, maxResults }) => {
    const match = /^cat:(\S+) AND submittedDate:\[(\d{4})(\d{2})(\d{2})0000 TO \d{8}2359\]$/.exec(searchQuery);
    if (!match) return { status: 400, body: atomFeed('<entry><id>https://arxiv.org/api/errors#bad_query</id><title>Error</title><summary>bad query</summary></entry>', 1) };
    const [, category = '', y, m, d] = match;
    const day = `${y}-${m}-${d}`;
    const total = count(category, day);
    const entries = [];
    for (let i = start; i < Math.min(total, start + maxResults); i += 1) {
      entries.push(atomEntryXml({ id: `${y?.slice(2)}${m}.${category === 'cs.CL' ? 1 : 2}${d}${String(i).padStart(2, '0')}`, title: `Retrieval history ${category} ${day} ${i}`, categories: [category], published: `${day}T10:00:00Z` }));
    }
    return { body: atomFeed(entries.join('\n'), total, start) };
  };
}

beforeAll(async () => {
  arxiv = await startFakeArxiv();
});
afterAll(async () => arxiv.close());
afterEach(() => {
  arxiv.requests.length = 0;
  arxiv.setSearch(null);
});

describe('the arXiv API backfill', () => {
  it('asks per category and day, newest first, in pages of max_results, and stores every paper silently', async () => {
    const d = deps('cs.CL,cs.IR');
    await addWatch(d, { platform: 'console', id: 'u' }, 'retrieval');
    arxiv.setSearch(history((category, day) => (category === 'cs.CL' && day === '2026-08-31' ? 5 : 1)));
    const outcome = await runArxivBackfill(d, { from: '2026-08-30', to: '2026-08-31', pageSize: 2, gate: fast() });
    expect(outcome).toMatchObject({ status: 'complete', progress: { total: 4, done: 4, inserted: 8, updated: 0, failed: [] } });
    const asked = arxiv.requests.map((r) => new URL(`http://x${r.path}${r.search}`).searchParams);
    expect(asked.map((p) => [p.get('search_query'), p.get('start'), p.get('max_results')])).toEqual([
      ['cat:cs.CL AND submittedDate:[202608310000 TO 202608312359]', '0', '2'],
      ['cat:cs.CL AND submittedDate:[202608310000 TO 202608312359]', '2', '2'],
      ['cat:cs.CL AND submittedDate:[202608310000 TO 202608312359]', '4', '2'],
      ['cat:cs.CL AND submittedDate:[202608300000 TO 202608302359]', '0', '2'],
      ['cat:cs.IR AND submittedDate:[202608310000 TO 202608312359]', '0', '2'],
      ['cat:cs.IR AND submittedDate:[202608300000 TO 202608302359]', '0', '2'],
    ]);
    expect(asked.every((p) => p.get('sortBy') === 'submittedDate' && p.get('sortOrder') === 'ascending')).toBe(true);
    expect(d.db.$client.prepare("SELECT count(*) AS n FROM papers WHERE listed_on_arxiv = 1 AND latest_feed_date IN ('2026-08-30', '2026-08-31')").get()).toEqual({ n: 8 });
    // History is never news: the watch matches every paper, and nothing is planned.
    const plan = await planPendingAlerts(d, 'after-backfill', ['console']);
    expect(plan.deliveries).toBe(0);
    // Run again: every (category, day) is done, nothing is asked.
    arxiv.requests.length = 0;
    expect(await runArxivBackfill(d, { from: '2026-08-30', to: '2026-08-31', pageSize: 2, gate: fast() })).toMatchObject({ status: 'complete', progress: { done: 4, requests: 0 } });
    expect(arxiv.requests).toEqual([]);
  });

  it('resumes after a failure or a kill mid-day: the day is asked again from its first page, the others are not', async () => {
    const d = deps();
    let failFrom = 2;
    const good = history(() => 3);
    // The second page of 2026-08-31 fails (a 500 through every retry): the day stays undone.
    arxiv.setSearch((query) => (query.searchQuery.includes('20260831') && query.start >= failFrom ? { status: 500, body: 'oops' } : good(query)));
    const first = await runArxivBackfill(d, { from: '2026-08-30', to: '2026-08-31', pageSize: 2, gate: fast() });
    expect(first.status).toBe('complete');
    expect(first.progress).toMatchObject({ total: 2, done: 1 });
    expect(first.progress.failed).toEqual([expect.stringMatching(/^cs\.CL 2026-08-31: .*HTTP 500/)]);
    expect(await d.store.arxivBackfilledDays('cs.cl', '2026-08-30', '2026-08-31')).toEqual(['2026-08-30']);
    failFrom = Number.POSITIVE_INFINITY;
    arxiv.requests.length = 0;
    const second = await runArxivBackfill(d, { from: '2026-08-30', to: '2026-08-31', pageSize: 2, gate: fast() });
    expect(second.progress).toMatchObject({ done: 2, failed: [], inserted: 1, updated: 2 });
    expect(arxiv.requests.map((r) => new URL(`http://x${r.search}`).searchParams.get('start'))).toEqual(['0', '2']);
    expect(d.db.$client.prepare('SELECT count(*) AS n FROM papers').get()).toEqual({ n: 6 });
  });

  it('treats an empty page before arXiv\'s total as a failure, not as the end of the day', async () => {
    const d = deps();
    arxiv.setSearch(({ start }) => ({ body: atomFeed(start === 0 ? atomEntryXml({ id: '2608.00001' }) : '', 3, start) }));
    const outcome = await runArxivBackfill(d, { from: '2026-08-31', to: '2026-08-31', pageSize: 1, gate: fast() });
    expect(outcome.progress.failed).toEqual([expect.stringMatching(/empty page at 1 of 3/)]);
    expect(await d.store.arxivBackfilledDays('cs.cl', '2026-08-31', '2026-08-31')).toEqual([]);
  });

  it('on the CLI: `backfill --source arxiv --from D --to D`, and its usage errors', async () => {
    arxiv.setSearch(history(() => 2));
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-arxiv-backfill-'));
    const base = { DATABASE_PATH: join(dir, 'paperboy.db'), ARXIV_API_URL: arxiv.apiUrl };
    const env = { ...base, ARXIV_CATEGORIES: 'cs.CL' };
    const cli = (args: string[], withEnv: Record<string, string> = env) => runCli(args, { env: withEnv, cwd: dir, timeoutMs: 60_000 });
    const ok = await cli(['backfill', '--source', 'arxiv', '--from', '2026-08-31', '--to', '2026-08-31', '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ source: 'arxiv', status: 'complete', total: 1, done: 1, inserted: 2, failed: [] });
    const noFrom = await cli(['backfill', '--source', 'arxiv']);
    expect(noFrom.code).toBe(2);
    expect(noFrom.stderr).toMatch(/--source arxiv needs --from YYYY-MM-DD/);
    const off = await cli(['backfill', '--source', 'arxiv', '--from', '2026-08-31'], base);
    expect(off.code).toBe(1);
    expect(off.stderr).toMatch(/arXiv source is off/);
    // A usage error is one whatever the configuration: exit 2, before "the source is off".
    const offNoFrom = await cli(['backfill', '--source', 'arxiv'], base);
    expect(offNoFrom.code).toBe(2);
    expect(offNoFrom.stderr).toMatch(/--source arxiv needs --from YYYY-MM-DD/);
    const bad = await cli(['backfill', '--source', 'rss']);
    expect(bad.stderr).toMatch(/--source takes hf or arxiv/);
    rmSync(dir, { recursive: true, force: true });
  }, 180_000);
});
