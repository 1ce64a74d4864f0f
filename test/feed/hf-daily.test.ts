import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransientError, UserError } from '../../src/errors.ts';
import { fetchDailyPapers, type FetchOptions } from '../../src/feed/hf-daily.ts';
import { hfItem, hfItems, readFixture, startFakeHf, type FakeHf } from '../support/fake-hf.ts';
import { testDeps } from '../support/test-deps.ts';

let fake: FakeHf;
beforeAll(async () => {
  fake = await startFakeHf({ '2024-10-25': fixtureList() });
});
afterAll(() => fake.close());

function fixtureList(): unknown[] {
  const body = readFixture('daily_papers-2024-10-25.json');
  if (!Array.isArray(body)) throw new Error('fixture is not a list');
  return body;
}

const noWait: FetchOptions = { sleep: async () => undefined, backoffBaseMs: 1 };
const depsFor = (env: Record<string, string> = {}) => testDeps({ env: { HF_BASE_URL: fake.url, ...env } });

let dayCounter = 0;
function nextDate(): string {
  dayCounter += 1;
  return `2025-02-${String(dayCounter).padStart(2, '0')}`;
}

describe('fetchDailyPapers', () => {
  it('fetches the fixture day in one request with date, limit=100 and p=0', async () => {
    const { papers, skipped } = await fetchDailyPapers(depsFor(), '2024-10-25', noWait);
    expect(papers).toHaveLength(29);
    expect(skipped).toBe(0);
    expect(fake.requestsFor('2024-10-25')).toEqual([
      { path: '/api/daily_papers', date: '2024-10-25', page: 0, limit: 100, authorization: undefined, at: expect.any(Number) },
    ]);
  });

  it('pages until a short page: 150 items → p=0 and p=1', async () => {
    const date = nextDate();
    fake.setDay(date, hfItems(150, '2503'));
    const { papers } = await fetchDailyPapers(depsFor(), date, noWait);
    expect(papers).toHaveLength(150);
    expect(fake.requestsFor(date).map((r) => r.page)).toEqual([0, 1]);
    expect(papers[0]?.arxivId).toBe('2503.10000');
    expect(papers[149]?.arxivId).toBe('2503.10149');
  });

  it('asks for the next page after exactly 100 items and stops on the empty one', async () => {
    const date = nextDate();
    fake.setDay(date, hfItems(100, '2504'));
    const { papers } = await fetchDailyPapers(depsFor(), date, noWait);
    expect(papers).toHaveLength(100);
    expect(fake.requestsFor(date).map((r) => r.page)).toEqual([0, 1]);
  });

  it('stops when the server ignores p and repeats a full page', async () => {
    const date = nextDate();
    fake.setDay(date, { fault: 'body', body: JSON.stringify(hfItems(100, '2505')) });
    const deps = depsFor();
    const { papers } = await fetchDailyPapers(deps, date, noWait);
    expect(papers).toHaveLength(100);
    expect(fake.requestsFor(date)).toHaveLength(2);
    expect(deps.logLines().some((l) => l.msg === 'full page with no new papers; stopping')).toBe(true);
  });

  it('dedupes a paper listed twice (keeping its first position)', async () => {
    const date = nextDate();
    const items = hfItems(3, '2506');
    fake.setDay(date, [...items, hfItem({ id: '2506.10000', upvotes: 1 })]);
    const { papers } = await fetchDailyPapers(depsFor(), date, noWait);
    expect(papers.map((p) => p.arxivId)).toEqual(['2506.10000', '2506.10001', '2506.10002']);
    expect(papers[0]?.upvotes).toBe(3);
  });

  it('skips a garbage item and a numeric-id item among good ones, one warn line each', async () => {
    const date = nextDate();
    fake.setDay(date, [hfItem({ id: '2507.00001' }), { paper: { id: 2507.0002 }, title: 'lost digits' }, 'garbage', hfItem({ id: '2507.00003' })]);
    const deps = depsFor();
    const { papers, skipped } = await fetchDailyPapers(deps, date, noWait);
    expect(papers.map((p) => p.arxivId)).toEqual(['2507.00001', '2507.00003']);
    expect(skipped).toBe(2);
    const warns = deps.logLines().filter((l) => l.msg === 'skipped malformed feed item');
    expect(warns).toHaveLength(2);
    expect(warns[0]).toMatchObject({ level: 40, feedDate: date, index: 1, id: '2507.0002' });
  });

  it('returns nothing for an empty day ([] on weekends)', async () => {
    const date = nextDate();
    fake.setDay(date, []);
    await expect(fetchDailyPapers(depsFor(), date, noWait)).resolves.toEqual({ papers: [], skipped: 0, received: 0 });
  });

  it('maps HTTP 400 to UserError bad_date with a clear message', async () => {
    const date = nextDate();
    fake.setDay(date, { fault: 'status', status: 400, body: '{"error":"Invalid date"}' });
    const err = await fetchDailyPapers(depsFor(), date, noWait).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err instanceof UserError ? err.code : '').toBe('bad_date');
    expect(String(err)).toContain(date);
  });

  it.each(['2025-02-30', '2025-13-01', 'today', ''])('refuses the malformed date %j before any request', async (date) => {
    const before = fake.requests.length;
    await expect(fetchDailyPapers(depsFor(), date, noWait)).rejects.toMatchObject({ code: 'bad_date' });
    expect(fake.requests.length).toBe(before);
  });

  it.each([
    ['an object', { fault: 'body', body: '{"error":"maintenance"}' } as const],
    ['null', { fault: 'body', body: 'null' } as const],
    ['HTML with 200', { fault: 'html' } as const],
    ['truncated JSON', { fault: 'malformed-json' } as const],
  ])('treats %s as a TransientError for the day', async (_name, fault) => {
    const date = nextDate();
    fake.setDay(date, fault);
    await expect(fetchDailyPapers(depsFor(), date, noWait)).rejects.toBeInstanceOf(TransientError);
  });

  it('sends the HF token as a Bearer header and never logs it', async () => {
    const date = nextDate();
    const token = 'hf_secretTOKEN1234567890';
    fake.setDay(date, { fault: 'error-then-ok', items: hfItems(2, '2508') });
    const deps = depsFor({ HF_TOKEN: token, LOG_LEVEL: 'trace' });
    await fetchDailyPapers(deps, date, noWait);
    expect(fake.requestsFor(date).map((r) => r.authorization)).toEqual([`Bearer ${token}`, `Bearer ${token}`]);
    const lines = deps.logLines();
    expect(lines.length).toBeGreaterThan(0);
    expect(JSON.stringify(lines)).not.toContain(token);
  });

  it('accepts HF_BASE_URL with a trailing slash', async () => {
    const date = nextDate();
    fake.setDay(date, hfItems(1, '2509'));
    const { papers } = await fetchDailyPapers(depsFor({ HF_BASE_URL: `${fake.url}/` }), date, noWait);
    expect(papers).toHaveLength(1);
  });
});
