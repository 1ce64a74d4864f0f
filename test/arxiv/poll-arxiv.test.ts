import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dispatchCommand } from '../../commands/dispatch.ts';
import { runArxivJob } from '../../src/arxiv/arxiv-job.ts';
import { pollArxiv } from '../../src/arxiv/poll-arxiv.ts';
import { ARXIV_SPACING_MS, createArxivGate } from '../../src/arxiv/polite-client.ts';
import { planIngestAlerts } from '../../src/alerts/plan-alerts.ts';
import { ingestDay } from '../../src/feed/ingest.ts';
import type { Message } from '../../src/messages/message.ts';
import { addWatch } from '../../src/watches/add-watch.ts';
import { startFakeArxiv, type FakeArxiv, type RssItemSpec } from '../support/fake-arxiv.ts';
import { hfItem, startFakeHf, type FakeHf } from '../support/fake-hf.ts';
import { testDeps, type TestDeps } from '../support/test-deps.ts';

// The poll job against a fake arXiv: what it stores, what it skips, what it records when arXiv
// misbehaves, and the alerts it plans. Tests use a gate with a short spacing; one measures the real 3 s.

let arxiv: FakeArxiv;
let hf: FakeHf;
const fast = () => createArxivGate({ spacingMs: 5 });
const deps = (now = '2026-09-01T12:00:00Z', env: Record<string, string> = {}): TestDeps =>
  testDeps({ now, env: { ARXIV_CATEGORIES: 'cs.CL,cs.LG', ARXIV_RSS_URL: arxiv.rssUrl, ARXIV_API_URL: arxiv.apiUrl, HF_BASE_URL: hf.url, FEED_TIMEOUT_MS: '300', ...env } });

const items: RssItemSpec[] = [
  { id: '2609.00001', type: 'new', title: 'Dense retrieval for question answering', abstract: 'We improve retrieval.', categories: ['cs.CL', 'cs.IR'] },
  { id: '2609.00002', type: 'cross', title: 'Optimisers for deep networks', categories: ['stat.ML', 'cs.LG'] },
  { id: '2608.00003', type: 'replace', version: 2, title: 'A revised paper we never stored' },
];

beforeAll(async () => {
  arxiv = await startFakeArxiv();
  hf = await startFakeHf();
});
afterAll(async () => {
  await arxiv.close();
  await hf.close();
});
afterEach(() => {
  arxiv.requests.length = 0;
});

async function statusFields(d: TestDeps): Promise<Record<string, string>> {
  const reply: Message = await dispatchCommand(d, { name: 'status', rawOptions: {}, user: { platform: 'console', id: 'u' }, channel: { platform: 'console', id: 'c', isDm: false }, isAdmin: false });
  return Object.fromEntries(reply.fields.map((f) => [f.name, f.value]));
}

describe('pollArxiv', () => {
  it('refetches the current announcement when ARXIV_CATEGORIES changes, and stores the new categories\' papers', async () => {
    const d = deps();
    arxiv.setFeed({ date: '2026-09-01', items: items.slice(0, 2) });
    expect((await pollArxiv(d, 'cron', { gate: fast() })).inserted).toHaveLength(2);
    // cs.IR is added: the same announcement is read again, now with an IR paper in it.
    const wider = testDeps({ now: '2026-09-01T12:00:00Z', store: d.store, env: { ARXIV_CATEGORIES: 'cs.IR, cs.CL,cs.LG', ARXIV_RSS_URL: arxiv.rssUrl, ARXIV_API_URL: arxiv.apiUrl, FEED_TIMEOUT_MS: '300' } });
    arxiv.setFeed({ date: '2026-09-01', items: [...items.slice(0, 2), { id: '2609.00004', type: 'new', title: 'Learned sparse retrieval', categories: ['cs.IR'] }] });
    const refetched = await pollArxiv(wider, 'cron', { gate: fast() });
    expect(refetched).toMatchObject({ status: 'ok', announcement: '2026-09-01', updated: 2 });
    expect(refetched.inserted).toHaveLength(1);
    expect(arxiv.requests.at(-1)?.path).toBe('/rss/cs.IR+cs.CL+cs.LG');
    // The same set in another order and case is the same ask: skipped.
    const reordered = testDeps({ now: '2026-09-01T13:00:00Z', store: d.store, env: { ARXIV_CATEGORIES: 'cs.cl,cs.ir,cs.lg', ARXIV_RSS_URL: arxiv.rssUrl, FEED_TIMEOUT_MS: '300' } });
    expect(await pollArxiv(reordered, 'cron', { gate: fast() })).toMatchObject({ status: 'unchanged', inserted: [] });
    // Back to the first set: stored already for it.
    expect(await pollArxiv(d, 'cron', { gate: fast() })).toMatchObject({ status: 'unchanged' });
    expect(d.db.$client.prepare('SELECT count(*) AS n FROM papers').get()).toEqual({ n: 3 });
  });

  it('asks once for every category, names paperboy, stores the announcement, and skips it on the next poll', async () => {
    const d = deps();
    arxiv.setFeed({ date: '2026-09-01', items });
    const first = await pollArxiv(d, 'cron', { gate: fast() });
    expect(first).toMatchObject({ status: 'ok', announcement: '2026-09-01', updated: 0, skipped: 1, error: null });
    expect(first.inserted).toHaveLength(2);
    expect(arxiv.requests.map((r) => r.path)).toEqual(['/rss/cs.CL+cs.LG']);
    expect(arxiv.requests[0]?.userAgent).toMatch(/^paperboy\//);

    const again = await pollArxiv(d, 'cron', { gate: fast() });
    expect(again).toMatchObject({ status: 'unchanged', announcement: '2026-09-01', inserted: [] });
    expect(d.db.$client.prepare('SELECT count(*) AS n FROM arxiv_polls').get()).toEqual({ n: 1 });
    expect(d.db.$client.prepare('SELECT count(*) AS n FROM papers').get()).toEqual({ n: 2 });
  });

  it('does nothing (and asks nothing) when ARXIV_CATEGORIES is empty', async () => {
    const d = testDeps({ env: { ARXIV_RSS_URL: arxiv.rssUrl } });
    expect((await pollArxiv(d, 'cron', { gate: fast() })).status).toBe('off');
    expect(arxiv.requests).toEqual([]);
  });

  const faults: Array<[string, Parameters<FakeArxiv['setFeed']>[0], RegExp]> = [
    ['malformed XML', { fault: 'malformed' }, /not well-formed XML/],
    ['an HTML maintenance page with status 200', { fault: 'html' }, /not well-formed XML|not its RSS feed/],
    ['an unknown category (an error page)', { fault: 'status', status: 400, body: '<html><body>Bad Request: invalid category cs.XX</body></html>' }, /refused the feed for cs\.CL, cs\.LG \(HTTP 400\)/],
    ['a stalled connection', { fault: 'hang' }, /timed out \(stalled connection\)/],
  ];
  it.each(faults)('records %s as a failed poll, stores nothing, and shows it in status', async (_name, feed, error) => {
    const d = deps();
    arxiv.setFeed(feed);
    const result = await pollArxiv(d, 'cron', { gate: fast() });
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(error);
    expect(d.db.$client.prepare('SELECT count(*) AS n FROM papers').get()).toEqual({ n: 0 });
    expect((await statusFields(d))['arXiv problem']).toMatch(/^last poll failed at 2026-09-01 12:00 UTC: /);
    // The next poll recovers.
    arxiv.setFeed({ date: '2026-09-01', items });
    expect((await pollArxiv(d, 'cron', { gate: fast() })).status).toBe('ok');
    expect((await statusFields(d))['arXiv problem']).toBeUndefined();
    // A failure followed by a poll that finds the feed unchanged is over too.
    d.clock.advance(60_000);
    arxiv.setFeed(feed);
    await pollArxiv(d, 'cron', { gate: fast() });
    expect((await statusFields(d))['arXiv problem']).toMatch(/^last poll failed/);
    d.clock.advance(60_000);
    arxiv.setFeed({ date: '2026-09-01', items });
    expect((await pollArxiv(d, 'cron', { gate: fast() })).status).toBe('unchanged');
    expect((await statusFields(d))['arXiv problem']).toBeUndefined();
  });

  it('fails a feed whose every item is broken, and warns about the few broken items of a good one', async () => {
    const d = deps();
    arxiv.setFeed({ date: '2026-09-01', items: [{ id: '2613.99999', type: 'new' }] });
    expect(await pollArxiv(d, 'cron', { gate: fast() })).toMatchObject({ status: 'failed', error: expect.stringMatching(/all 1 items of the arXiv feed were malformed/) });
    arxiv.setFeed({ date: '2026-09-01', items: [...items, { id: '2613.99999', type: 'new' }] });
    const result = await pollArxiv(d, 'cron', { gate: fast() });
    expect(result).toMatchObject({ status: 'ok', warning: expect.stringMatching(/^skipped 1 item arXiv described badly \(bad id oai:arXiv.org:2613.99999v1\)/) });
    expect((await statusFields(d))['arXiv problem']).toMatch(/^2026-09-01: skipped 1 item/);
  });

  it('obeys a 503 with Retry-After, then stores the feed', async () => {
    const d = deps();
    arxiv.setFeed({ fault: 'retry-after', status: 503, seconds: 1, times: 1, then: { date: '2026-09-01', items } });
    const result = await pollArxiv(d, 'cron', { gate: fast() });
    expect(result.status).toBe('ok');
    expect(arxiv.requests).toHaveLength(2);
    expect((arxiv.requests[1]?.at ?? 0) - (arxiv.requests[0]?.at ?? 0)).toBeGreaterThanOrEqual(990);
    expect(await d.store.recentRateLimitWaits(0)).toMatchObject([{ source: 'arxiv', waitMs: 1000 }]);
  });

  it('an empty feed dated Monday to Friday is "no announcement today (arXiv holiday?)", recorded once; on a weekend it is normal', async () => {
    // Thanksgiving 2026: no announcement on Wednesday evening, so Thursday's feed is empty.
    const d = deps('2026-11-26T15:00:00Z');
    arxiv.setFeed({ date: '2026-11-26', items: [] });
    expect(await pollArxiv(d, 'cron', { gate: fast() })).toMatchObject({ status: 'empty', warning: 'no announcement today (arXiv holiday?)' });
    expect(await pollArxiv(d, 'cron', { gate: fast() })).toMatchObject({ status: 'unchanged' });
    expect(d.db.$client.prepare('SELECT count(*) AS n FROM arxiv_polls').get()).toEqual({ n: 1 });
    expect((await statusFields(d))['arXiv schedule']).toBe('no announcement today (arXiv holiday?); next arXiv announcement: Thu 20:00 ET (Fri 01:00 UTC)');

    const weekend = deps('2026-11-28T15:00:00Z');
    arxiv.setFeed({ date: '2026-11-28', items: [] });
    expect(await pollArxiv(weekend, 'cron', { gate: fast() })).toMatchObject({ status: 'empty', warning: null });
    expect((await statusFields(weekend))['arXiv schedule']).toBe('arXiv does not announce on Fridays and Saturdays; next arXiv announcement: Sun 20:00 ET (Mon 01:00 UTC)');
  });

  it('status names the last announcement stored', async () => {
    const d = deps();
    expect((await statusFields(d))['arXiv (cs.CL, cs.LG)']).toBe('no announcement stored yet');
    arxiv.setFeed({ date: '2026-09-01', items });
    await pollArxiv(d, 'cron', { gate: fast() });
    expect((await statusFields(d))['arXiv (cs.CL, cs.LG)']).toBe('last announcement 2026-09-01: 2 new papers, 0 known updated, stored 2026-09-01 12:00 UTC');
  });
});

describe('politeness', () => {
  it('spaces requests from the whole process at least 3 s apart, one at a time, measured at the server', async () => {
    const gate = createArxivGate({ spacingMs: ARXIV_SPACING_MS });
    const d = deps();
    arxiv.setFeed({ date: '2026-09-01', items });
    // Two jobs at once (a poll and, say, a paper lookup) still go one after the other.
    await Promise.all([pollArxiv(d, 'cron', { gate }), pollArxiv(deps(), 'cli', { gate })]);
    const [a, b] = arxiv.requests.map((r) => r.at);
    expect(arxiv.requests).toHaveLength(2);
    expect((b ?? 0) - (a ?? 0)).toBeGreaterThanOrEqual(ARXIV_SPACING_MS - 5);
  }, 15_000);
});

describe('watches over arXiv', () => {
  it('a watch `retrieval cat:cs.CL` gets one DM for a new arXiv paper and none when Hugging Face lists it later', async () => {
    const d = deps();
    await addWatch(d, { platform: 'console', id: 'ada' }, 'retrieval cat:cs.CL');
    await addWatch(d, { platform: 'console', id: 'bob' }, 'optimisers cat:cs.CL');
    arxiv.setFeed({ date: '2026-09-01', items });
    const result = await runArxivJob(d, 'cron', ['console'], { gate: fast() });
    const alerts = () => d.db.$client.prepare("SELECT target_id AS user, idempotency_key AS key, payload FROM deliveries WHERE kind = 'alert'").all() as Array<{ user: string; key: string; payload: string }>;
    expect(alerts().map((a) => [a.user, a.key])).toEqual([['ada', `alert:console:ada:arxiv${result.pollId}`]]);
    expect(alerts()[0]?.payload).toContain('Dense retrieval for question answering');
    expect(alerts()[0]?.payload).toContain('From the arXiv announcement of ');

    // The same paper reaches Daily Papers: upvotes and HF fields, no second DM.
    hf.setDay('2026-09-01', [hfItem({ id: '2609.00001', title: 'Dense retrieval for question answering', upvotes: 31 })]);
    const run = await ingestDay(d, '2026-09-01', 'cron');
    expect(run).toMatchObject({ status: 'ok', inserted: [] });
    await planIngestAlerts(d, 'cron', [run], ['console']);
    expect(alerts()).toHaveLength(1);
    expect(await d.store.getPaperByArxivId('2609.00001')).toMatchObject({ upvotes: 31, listedOnHf: true, listedOnArxiv: true, categories: '["cs.CL","cs.IR"]' });
  });
});
