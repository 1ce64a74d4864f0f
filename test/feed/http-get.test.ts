import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentError, TransientError } from '../../src/errors.ts';
import { getJson, HttpStatusError, serverWaitMs, type GetJsonOptions } from '../../src/feed/http-get.ts';
import { startFakeHf, type FakeHf } from '../support/fake-hf.ts';
import { testDeps } from '../support/test-deps.ts';

let fake: FakeHf;
beforeAll(async () => {
  fake = await startFakeHf();
});
afterAll(() => fake.close());

let dayCounter = 0;
/** A fresh date per test, so fault counters and request logs do not mix. */
function nextDate(): string {
  dayCounter += 1;
  return `2025-01-${String(dayCounter).padStart(2, '0')}`;
}

function setup(overrides: Partial<GetJsonOptions> = {}) {
  const deps = testDeps();
  const sleeps: number[] = [];
  const options: GetJsonOptions = {
    source: 'hf',
    timeoutMs: 2_000,
    retries: 3,
    backoffBaseMs: 10,
    random: () => 1,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...overrides,
  };
  const url = (date: string) => `${fake.url}/api/daily_papers?date=${date}&limit=100&p=0`;
  return { deps, sleeps, options, url };
}

describe('getJson against the fake feed', () => {
  it('returns the parsed body of a 200', async () => {
    const { deps, options, url } = setup();
    const date = nextDate();
    fake.setDay(date, [{ a: 1 }]);
    await expect(getJson(deps, url(date), options)).resolves.toEqual([{ a: 1 }]);
    expect(fake.requestsFor(date)).toHaveLength(1);
  });

  it('retries a 500 and succeeds on the next attempt', async () => {
    const { deps, options, url, sleeps } = setup();
    const date = nextDate();
    fake.setDay(date, { fault: 'error-then-ok', items: [{ ok: true }] });
    await expect(getJson(deps, url(date), options)).resolves.toEqual([{ ok: true }]);
    expect(fake.requestsFor(date)).toHaveLength(2);
    expect(sleeps).toEqual([10]);
    expect(deps.logLines().some((l) => l.msg === 'server error; retrying' && l.status === 500)).toBe(true);
  });

  it('gives up after 4 attempts of 5xx with a TransientError, backing off exponentially (full jitter, here at its maximum)', async () => {
    const { deps, options, url, sleeps } = setup();
    const date = nextDate();
    fake.setDay(date, { fault: 'error-then-ok', items: [], times: 10, status: 503 });
    const err = await getJson(deps, url(date), options).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect(String(err)).toContain('HTTP 503');
    expect(fake.requestsFor(date)).toHaveLength(4);
    expect(sleeps).toEqual([10, 20, 40]);
  });

  it('keeps jittered waits within [0, base·2^n] and under the cap', async () => {
    const { deps, options, url, sleeps } = setup({ random: () => 0.5, backoffBaseMs: 100, backoffMaxMs: 250 });
    const date = nextDate();
    fake.setDay(date, { fault: 'error-then-ok', items: [], times: 10 });
    await getJson(deps, url(date), options).catch(() => undefined);
    expect(sleeps).toEqual([50, 100, 125]);
  });

  it('honours Retry-After seconds on 429 and records the wait', async () => {
    const { deps, options, url, sleeps } = setup();
    const date = nextDate();
    fake.setDay(date, { fault: 'retry-after', seconds: 7, items: [1, 2] });
    await expect(getJson(deps, url(date), { ...options, route: '/api/daily_papers' })).resolves.toEqual([1, 2]);
    expect(fake.requestsFor(date)).toHaveLength(2);
    expect(sleeps).toEqual([7_000]);
    expect(await deps.store.recentRateLimitWaits(0)).toEqual([
      { source: 'hf', route: '/api/daily_papers', waitMs: 7_000, at: deps.clock.now() },
    ]);
  });

  it('honours the RateLimit header t= (HF style) on 429', async () => {
    const { deps, options, url, sleeps } = setup();
    const date = nextDate();
    fake.setDay(date, { fault: 'ratelimit-header', t: 55, items: ['x'] });
    await expect(getJson(deps, url(date), options)).resolves.toEqual(['x']);
    expect(sleeps).toEqual([55_000]);
    const [wait] = await deps.store.recentRateLimitWaits(0);
    expect(wait).toMatchObject({ source: 'hf', waitMs: 55_000, route: '/api/daily_papers' });
  });

  it('does not sit out a wait longer than the cap: TransientError with retryAfterMs, wait still recorded', async () => {
    const { deps, options, url, sleeps } = setup({ maxRateLimitWaitMs: 60_000 });
    const date = nextDate();
    fake.setDay(date, { fault: 'retry-after', seconds: 600, items: [] });
    const err = await getJson(deps, url(date), options).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect(err instanceof TransientError ? err.retryAfterMs : undefined).toBe(600_000);
    expect(sleeps).toEqual([]);
    expect(fake.requestsFor(date)).toHaveLength(1);
    expect((await deps.store.recentRateLimitWaits(0)).map((w) => w.waitMs)).toEqual([600_000]);
  });

  it('times out a request that hangs and retries it', async () => {
    const { deps, options, url } = setup({ timeoutMs: 150, retries: 1 });
    const date = nextDate();
    fake.setDay(date, { fault: 'hang' });
    const err = await getJson(deps, url(date), options).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect(String(err)).toContain('timed out');
    expect(fake.requestsFor(date)).toHaveLength(2);
  });

  it('retries a reset connection', async () => {
    const { deps, options, url } = setup();
    const date = nextDate();
    fake.setDay(date, { fault: 'reset', times: 2, items: ['after reset'] });
    await expect(getJson(deps, url(date), options)).resolves.toEqual(['after reset']);
    expect(fake.requestsFor(date)).toHaveLength(3);
  });

  it('fails with a TransientError when the connection keeps being reset', async () => {
    const { deps, options, url } = setup({ retries: 2 });
    const date = nextDate();
    fake.setDay(date, { fault: 'reset' });
    await expect(getJson(deps, url(date), options)).rejects.toBeInstanceOf(TransientError);
    expect(fake.requestsFor(date)).toHaveLength(3);
  });

  it.each([
    ['malformed JSON', { fault: 'malformed-json' } as const, 'application/json'],
    ['an HTML page with 200', { fault: 'html' } as const, 'text/html'],
  ])('turns %s into a TransientError without retrying', async (_name, fault, contentType) => {
    const { deps, options, url } = setup();
    const date = nextDate();
    fake.setDay(date, fault);
    const err = await getJson(deps, url(date), options).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect(String(err)).toContain(contentType);
    expect(fake.requestsFor(date)).toHaveLength(1);
  });

  it.each([400, 401, 404])('does not retry HTTP %i: HttpStatusError (a PermanentError) with the status', async (status) => {
    const { deps, options, url } = setup();
    const date = nextDate();
    fake.setDay(date, { fault: 'status', status });
    const err = await getJson(deps, url(date), options).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpStatusError);
    expect(err).toBeInstanceOf(PermanentError);
    expect(err instanceof HttpStatusError ? err.status : 0).toBe(status);
    expect(fake.requestsFor(date)).toHaveLength(1);
  });

  it('retries a refused connection, then reports it as transient', async () => {
    const closed = await startFakeHf();
    const base = closed.url;
    await closed.close();
    const { deps, options, sleeps } = setup({ retries: 1 });
    await expect(getJson(deps, `${base}/api/daily_papers`, options)).rejects.toBeInstanceOf(TransientError);
    expect(sleeps).toHaveLength(1);
  });
});

describe('serverWaitMs', () => {
  const now = Date.parse('2026-09-01T10:00:00Z');
  it.each([
    [{ 'retry-after': '3' }, 3_000],
    [{ 'retry-after': 'Tue, 01 Sep 2026 10:00:30 GMT' }, 30_000],
    [{ ratelimit: '"api";r=0;t=42' }, 42_000],
    [{ 'retry-after': '5', ratelimit: '"api";r=0;t=42' }, 42_000],
    [{ 'retry-after': 'soon' }, null],
    [{}, null],
  ])('%j → %s ms', (headers, expected) => {
    expect(serverWaitMs(new Headers(headers), now)).toBe(expected);
  });
});
