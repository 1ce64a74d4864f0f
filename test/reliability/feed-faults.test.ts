import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchCommand } from '../../commands/dispatch.ts';
import type { Message } from '../../src/messages/message.ts';
import { createScheduler } from '../../src/scheduler.ts';
import { hfItem, hfItems, startFakeHf, type FakeDay, type FakeHf } from '../support/fake-hf.ts';
import { testDeps, type TestDeps } from '../support/test-deps.ts';

// Feed faults end to end through the scheduler's ingest job (what cron runs): whatever Hugging
// Face (or the network) does, the job resolves, the papers already stored stay as they were,
// each problem is one clear log line, `/papers status` shows the failed ingest, and the next
// good run completes the day.
//
// Covered at the ingestDay/getJson level in test/feed and not repeated here: a day that shrinks
// on re-fetch deletes nothing (ingest.test.ts "deletes nothing when a day shrinks on re-fetch"),
// and a 400 for a bad date (a UserError, not a fault).

const GOOD_DAY = '2026-08-31';
const DAY = '2026-09-01';
const user = { platform: 'discord', id: 'U-ops' } as const;
const channel = { platform: 'discord', id: 'C-ops', workspaceId: 'G1', isDm: false } as const;
// Retries as in production (3), without real waiting.
const ingest = { fetch: { sleep: async () => undefined, backoffBaseMs: 1 } };

let hf: FakeHf;
beforeAll(async () => {
  hf = await startFakeHf();
});
afterAll(() => hf.close());

type Fields = Record<string, string>;
function fieldsOf(msg: Message): Fields {
  return Object.fromEntries(msg.fields.map((field) => [field.name, field.value]));
}

async function status(deps: TestDeps): Promise<Fields> {
  return fieldsOf(await dispatchCommand(deps, { name: 'status', rawOptions: {}, user, channel, isAdmin: false }));
}

function count(deps: TestDeps, sql: string): number {
  return Number(deps.db.$client.prepare(sql).pluck().get());
}

/**
 * A bot with one good day stored (3 papers), ready for a faulty fetch of DAY. The feed timeout is
 * short so the hang and stall cases end quickly; a test of a large body gives its own.
 */
async function withStoredDay(feedTimeoutMs = 300) {
  const deps = testDeps({ now: '2026-09-01T08:00:00Z', env: { HF_BASE_URL: hf.url, FEED_TIMEOUT_MS: String(feedTimeoutMs), COMMAND_RATE_LIMIT: '1000' } });
  const scheduler = createScheduler(deps, { senders: [], platforms: ['discord'], ingest });
  hf.setDay(GOOD_DAY, hfItems(3, '2608'));
  const [first] = await scheduler.runIngestNow([GOOD_DAY]);
  expect(first?.status).toBe('ok');
  const before = deps.db.$client.prepare('SELECT * FROM papers ORDER BY id').all();
  deps.clock.advance(30 * 60_000);
  return { deps, scheduler, before, logFrom: deps.logLines().length };
}

const faults: Array<[string, FakeDay, RegExp]> = [
  ['HTTP 500 on every attempt', { fault: 'error-then-ok', items: [], times: 99, status: 500 }, /HTTP 500/],
  ['HTTP 502 on every attempt', { fault: 'error-then-ok', items: [], times: 99, status: 502 }, /HTTP 502/],
  ['HTTP 503 on every attempt', { fault: 'error-then-ok', items: [], times: 99, status: 503 }, /HTTP 503/],
  ['the connection reset every time', { fault: 'reset' }, /failed after 4 attempts/],
  ['no answer at all (timeout)', { fault: 'hang' }, /timed out/],
  ['429 with RateLimit t= longer than we wait', { fault: 'ratelimit-header', items: [], t: 600, times: 99 }, /rate limited.*retry in 600 s/],
  ['429 with RateLimit t= on every attempt', { fault: 'ratelimit-header', items: [], t: 2, times: 99 }, /rate limited/],
  ['an HTML page with 200', { fault: 'html' }, /did not return JSON \(text\/html/],
  ['truncated JSON', { fault: 'malformed-json' }, /did not return JSON/],
  ['a JSON object instead of a list', { fault: 'body', body: '{"error":"maintenance"}' }, /instead of a list/],
  ['a list of garbage items', ['junk', 42, null, { paper: {} }, { paper: { id: 7 } }, { title: 'no paper' }], /all 6 feed items were malformed/],
];

describe('feed faults through the scheduler', () => {
  it.each(faults)('%s: the job resolves, stored papers stay, one clear line, status shows it, the next good run completes', async (_name, fault, cause) => {
    const { deps, scheduler, before, logFrom } = await withStoredDay();
    hf.setDay(DAY, fault);

    const results = await scheduler.runIngestNow([DAY]);
    expect(results).toMatchObject([{ feedDate: DAY, status: 'failed' }]);
    expect(results[0]?.error).toMatch(cause);
    // Stored data kept, byte for byte.
    expect(deps.db.$client.prepare('SELECT * FROM papers ORDER BY id').all()).toEqual(before);
    expect(count(deps, `SELECT count(*) FROM paper_days WHERE feed_date = '${DAY}'`)).toBe(0);

    // Exactly one line says the ingest of DAY failed and why; nothing at error level (no crash, no stack).
    const lines = deps.logLines().slice(logFrom);
    const failed = lines.filter((line) => line.msg === 'ingest failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ level: 40, feedDate: DAY, trigger: 'cron' });
    expect(String(failed[0]?.error)).toMatch(cause);
    expect(lines.filter((line) => Number(line.level) >= 50)).toEqual([]);
    expect(lines.some((line) => line.msg === 'ingest job failed for a day')).toBe(false);

    // An admin sees it in chat.
    const shown = await status(deps);
    expect(shown['Last failed ingest']).toContain(`feed day ${DAY}`);
    expect(shown['Last failed ingest']).toMatch(cause);
    expect(shown['Last successful ingest']).toContain(`feed day ${GOOD_DAY}`);
    expect(shown['Papers stored']).toBe('3');

    // The feed recovers: the next run completes the day, and status moves on.
    deps.clock.advance(30 * 60_000);
    hf.setDay(DAY, hfItems(2, '2609'));
    const next = await scheduler.runIngestNow([DAY]);
    expect(next).toMatchObject([{ feedDate: DAY, status: 'ok', fetched: 2 }]);
    expect(count(deps, 'SELECT count(*) FROM papers')).toBe(5);
    const after = await status(deps);
    expect(after['Last failed ingest']).toBeUndefined();
    expect(after['Last successful ingest']).toContain(`feed day ${DAY}`);
    await scheduler.stop();
  });

  it('429 waits are recorded and visible in status', async () => {
    const { deps, scheduler } = await withStoredDay();
    hf.setDay(DAY, { fault: 'ratelimit-header', items: [], t: 2, times: 99 });
    await scheduler.runIngestNow([DAY]);
    // One wait per attempt: the first try and 3 retries.
    expect(count(deps, "SELECT count(*) FROM rate_limit_events WHERE source = 'hf'")).toBe(4);
    expect((await status(deps))['Rate-limit waits (24 h)']).toMatch(/^4 \(hf 4\), 8 s asked for in total$/);
    await scheduler.stop();
  });

  it('a 10 MB response is stored whole, without a crash, and the next run still works', async () => {
    // The timeout covers the body: 300 ms is too short for 10 MB on a busy machine (not the fault tested here).
    const { deps, scheduler } = await withStoredDay(15_000);
    const abstract = `${'We study diffusion at scale. '.repeat(3_500)}End.`;
    const items = hfItems(100, '2610').map((item) => ({ ...item, paper: { ...Object(item.paper), summary: abstract } }));
    const body = JSON.stringify(items);
    expect(body.length).toBeGreaterThan(10_000_000);
    // As one raw body: a single page of 100 items (then p=1 gets the same page again, which the
    // feed reader recognises as a server that ignores paging).
    hf.setDay(DAY, { fault: 'body', body });
    const [result] = await scheduler.runIngestNow([DAY]);
    expect(result).toMatchObject({ status: 'ok', fetched: 100, skipped: 0 });
    expect(count(deps, 'SELECT count(*) FROM papers')).toBe(103);
    expect((await deps.store.getPaperByArxivId('2610.10000'))?.abstract.length).toBeGreaterThan(90_000);
    expect(count(deps, "SELECT count(*) FROM papers_fts WHERE papers_fts MATCH 'diffusion'")).toBeGreaterThanOrEqual(100);

    hf.setDay(DAY, hfItems(1, '2611'));
    expect(await scheduler.runIngestNow([DAY])).toMatchObject([{ status: 'ok', fetched: 1 }]);
    await scheduler.stop();
  });

  it('an item whose id turns into a number is skipped with one warning; the stored paper is kept, the rest refreshed', async () => {
    const { deps, scheduler, logFrom } = await withStoredDay();
    hf.setDay(DAY, [hfItem({ id: '2609.00001', title: 'Stable one', upvotes: 1 }), hfItem({ id: '2609.00010', title: 'Drifting one', upvotes: 1 })]);
    expect(await scheduler.runIngestNow([DAY])).toMatchObject([{ status: 'ok', fetched: 2 }]);
    const drifting = await deps.store.getPaperByArxivId('2609.00010');
    expect(drifting).toBeDefined();

    // HF now sends that id as a JSON number: 2609.00010 reads back as 2609.0001, another paper.
    hf.setDay(DAY, [hfItem({ id: '2609.00001', title: 'Stable one', upvotes: 9 }), hfItem({ id: 2609.0001, title: 'Drifting one', upvotes: 9 })]);
    const [result] = await scheduler.runIngestNow([DAY]);
    expect(result).toMatchObject({ status: 'ok', fetched: 1, skipped: 1, updated: 1, inserted: [] });
    expect((await deps.store.getPaperByArxivId('2609.00001'))?.upvotes).toBe(9);
    // Kept as it was, and no paper was minted from the mangled id.
    expect(await deps.store.getPaperByArxivId('2609.00010')).toEqual(drifting);
    expect(count(deps, 'SELECT count(*) FROM papers')).toBe(5);
    expect(count(deps, "SELECT count(*) FROM papers WHERE arxiv_id = '2609.0001'")).toBe(0);
    const warnings = deps.logLines().slice(logFrom).filter((line) => line.msg === 'skipped malformed feed item');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 40, feedDate: DAY, index: 1 });
    await scheduler.stop();
  });
});
