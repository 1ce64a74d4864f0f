import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/clock.ts';
import { setDigest } from '../../src/digest/set-digest.ts';
import { textMessage } from '../../src/messages/message.ts';
import { parseStoredMessage } from '../../src/messages/stored-message.ts';
import { createScheduler, type Scheduler } from '../../src/scheduler.ts';
import { channelDigests, deliveries, ingestRuns } from '../../src/store/sqlite/schema.ts';
import { addWatch } from '../../src/watches/add-watch.ts';
import { aPaper } from '../support/builders.ts';
import { hfItem, startFakeHf, type FakeHf } from '../support/fake-hf.ts';
import { createRecordingSender } from '../support/recording-sender.ts';
import { testDeps } from '../support/test-deps.ts';

const open: Array<{ close(): Promise<void> } | Scheduler> = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const thing of open.splice(0).reverse()) await ('close' in thing ? thing.close() : thing.stop());
});

async function fakeHf(): Promise<FakeHf> {
  const hf = await startFakeHf();
  open.push(hf);
  return hf;
}

const channel = { platform: 'discord', id: 'C1' } as const;
const admin = 'U-admin';
const noRetries = { fetch: { retries: 0, sleep: async () => {} } };

describe('scheduler start-up catch-up', () => {
  it('ingests every missed day, then posts the missed digests as ONE offline post, once', async () => {
    const hf = await fakeHf();
    const deps = testDeps({ now: '2026-08-27T10:00:00Z', env: { HF_BASE_URL: hf.url, CATCH_UP_DAYS: '7' } });
    await setDigest(deps, channel, admin, { time: '09:00', top: 3 });
    // Last good ingest: Aug 26, just after it ended; then the bot was down until Sep 1 10:00.
    deps.db.insert(ingestRuns).values({ feedDate: '2026-08-26', status: 'ok', startedAt: Date.parse('2026-08-27T00:30:00Z'), finishedAt: Date.parse('2026-08-27T00:31:00Z') }).run();
    hf.setDay('2026-08-27', [hfItem({ title: 'Thursday paper', upvotes: 7 })]);
    hf.setDay('2026-08-28', [hfItem({ title: 'Friday paper', upvotes: 30 }), hfItem({ title: 'Friday runner-up', upvotes: 3 })]);
    // Aug 29 and 30 are a weekend: the fake serves [] for them.
    hf.setDay('2026-08-31', [hfItem({ title: 'Monday paper', upvotes: 12 })]);
    hf.setDay('2026-09-01', [hfItem({ title: 'Tuesday paper (today)', upvotes: 99 })]);
    deps.clock.set('2026-09-01T10:00:00Z');

    const scheduler = createScheduler(deps, { senders: [createRecordingSender('discord')], platforms: ['discord'], ingest: noRetries });
    const results = await scheduler.catchUp();

    expect(results.map((r) => [r.feedDate, r.status])).toEqual([
      ['2026-08-26', 'empty'],
      ['2026-08-27', 'ok'],
      ['2026-08-28', 'ok'],
      ['2026-08-29', 'empty'],
      ['2026-08-30', 'empty'],
      ['2026-08-31', 'ok'],
      ['2026-09-01', 'ok'],
    ]);
    const rows = deps.db.select().from(deliveries).all();
    expect(rows.map((r) => r.idempotencyKey)).toEqual(['digest:discord:C1:2026-08-27..2026-08-31']);
    const [row] = rows;
    const msg = row && parseStoredMessage(row.payload);
    expect(msg?.text).toMatch(/^While I was offline I missed 5 days/);
    // Ranked together across the days; today's paper is not part of it.
    expect(msg?.papers.map((p) => p.title)).toEqual(['Friday paper', 'Monday paper', 'Thursday paper']);
    expect(msg?.more?.count).toBe(1);

    // Ticking on, or catching up again (a second restart), posts nothing more.
    expect(await scheduler.tickDigests(Date.parse('2026-09-01T10:01:00Z'))).toBe(0);
    await scheduler.catchUp();
    expect(deps.db.select().from(deliveries).all()).toHaveLength(1);
  });

  it('a failing feed is recorded and does not stop the job; digests wait for the day', async () => {
    const hf = await fakeHf();
    const deps = testDeps({ now: '2026-08-31T10:00:00Z', env: { HF_BASE_URL: hf.url } });
    await setDigest(deps, channel, admin, { time: '09:00' });
    hf.setDay('2026-08-31', { fault: 'status', status: 503 });
    deps.clock.set('2026-09-01T09:30:00Z');
    const scheduler = createScheduler(deps, { senders: [], platforms: ['discord'], ingest: noRetries });
    const results = await scheduler.runIngestNow();
    expect(results.map((r) => [r.feedDate, r.status])).toEqual([
      ['2026-08-31', 'failed'],
      ['2026-09-01', 'empty'],
    ]);
    expect(deps.db.select().from(deliveries).all()).toEqual([]);
    hf.setDay('2026-08-31', [hfItem({ title: 'Late but here' })]);
    await scheduler.runIngestNow();
    expect(deps.db.select().from(deliveries).all().map((r) => r.idempotencyKey)).toEqual(['digest:discord:C1:2026-08-31']);
  });

  it('sends one alert DM per user for a whole ingest job, even when both days bring matches', async () => {
    const hf = await fakeHf();
    const deps = testDeps({ now: '2026-09-01T10:00:00Z', env: { HF_BASE_URL: hf.url } });
    await addWatch(deps, { platform: 'discord', id: 'U-ada' }, 'diffusion');
    hf.setDay('2026-08-31', [hfItem({ title: 'Diffusion on Monday' })]);
    hf.setDay('2026-09-01', [hfItem({ title: 'Diffusion on Tuesday' })]);
    const scheduler = createScheduler(deps, { senders: [createRecordingSender('discord')], platforms: ['discord'], ingest: noRetries });
    await scheduler.runIngestNow(['2026-08-31', '2026-09-01']);
    const alerts = deps.db.select().from(deliveries).where(eq(deliveries.kind, 'alert')).all();
    expect(alerts).toHaveLength(1);
    const [alert] = alerts;
    expect((alert && parseStoredMessage(alert.payload).papers.map((p) => p.title))?.sort()).toEqual(['Diffusion on Monday', 'Diffusion on Tuesday']);
  });

  it('never runs two ingests at once', async () => {
    const hf = await fakeHf();
    const deps = testDeps({ now: '2026-09-01T10:00:00Z', env: { HF_BASE_URL: hf.url } });
    const scheduler = createScheduler(deps, { senders: [], platforms: ['console'], ingest: noRetries });
    const both = await Promise.all([scheduler.runIngestNow(), scheduler.runIngestNow()]);
    const runs = deps.db.select().from(ingestRuns).orderBy(ingestRuns.id).all();
    expect(both.flat()).toHaveLength(4);
    // Each run finished before the next started.
    for (let i = 1; i < runs.length; i += 1) expect(runs[i]?.startedAt).toBeGreaterThanOrEqual(runs[i - 1]?.finishedAt ?? Infinity);
  });
});

describe('scheduler cron wiring', () => {
  it('schedules the ingest on INGEST_CRON in UTC and the digest tick every minute', async () => {
    const deps = testDeps({ env: { INGEST_CRON: '15 */6 * * *', CATCH_UP_DAYS: '0' } });
    const scheduler = createScheduler(deps, { senders: [], platforms: ['console'] });
    open.push(scheduler);
    await scheduler.start();
    const { ingest, digests } = scheduler.tasks();
    const ingestRuns = ingest?.getNextRuns(4) ?? [];
    expect(ingestRuns).toHaveLength(4);
    for (const run of ingestRuns) {
      expect(run.getUTCMinutes()).toBe(15);
      expect(run.getUTCHours() % 6).toBe(0);
    }
    const [first, second, third] = (digests?.getNextRuns(3) ?? []).map((t) => t.getTime());
    expect(first && first % 60_000).toBe(0);
    expect([(second ?? 0) - (first ?? 0), (third ?? 0) - (second ?? 0)]).toEqual([60_000, 60_000]);
    await scheduler.stop();
    expect(scheduler.tasks()).toEqual({ ingest: null, digests: null, arxiv: null });
  });

  it('the minute tick posts a digest at its time and the worker sends it (fake timers)', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-09-01T08:58:30Z'));
    const base = testDeps({ env: { CATCH_UP_DAYS: '0' } });
    const deps = { ...base, clock: systemClock };
    await setDigest(deps, channel, admin, { time: '09:00' });
    await deps.store.upsertPapers('2026-08-31', [aPaper({ title: 'Sent by cron' })], Date.parse('2026-09-01T00:30:00Z'));
    deps.db.insert(ingestRuns).values({ feedDate: '2026-08-31', status: 'ok', startedAt: Date.parse('2026-09-01T00:30:00Z') }).run();
    const sender = createRecordingSender('discord');
    const scheduler = createScheduler(deps, { senders: [sender], platforms: ['discord'] });
    open.push(scheduler);
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(deps.db.select().from(deliveries).all()).toEqual([]);
    await vi.advanceTimersByTimeAsync(60_000);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(sender.sent.map((s) => s.message.papers.map((p) => p.title))).toEqual([['Sent by cron']]);
    expect(deps.db.select().from(deliveries).all()).toMatchObject([{ state: 'sent' }]);
  });

  it('with deliveryDelayMs, reconciles and sends only once the delay is over (fake timers)', async () => {
    vi.useFakeTimers();
    const deps = { ...testDeps({ env: { CATCH_UP_DAYS: '0' } }), clock: systemClock };
    const now = Date.now();
    await deps.store.enqueue({ platform: 'discord', targetKind: 'channel', targetId: 'C1', kind: 'digest', idempotencyKey: 'due', message: textMessage('due'), now });
    // Left 'sending' by a leader that may still be draining.
    await deps.store.enqueue({ platform: 'discord', targetKind: 'channel', targetId: 'C2', kind: 'digest', idempotencyKey: 'out', message: textMessage('out'), now });
    deps.db.update(deliveries).set({ state: 'sending' }).where(eq(deliveries.idempotencyKey, 'out')).run();
    const sender = createRecordingSender('discord');
    const scheduler = createScheduler(deps, { senders: [sender], platforms: ['discord'], deliveryDelayMs: 7_000 });
    open.push(scheduler);
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(6_900);
    expect(sender.sent).toEqual([]);
    expect(deps.db.select().from(deliveries).all().map((r) => r.state)).toEqual(['pending', 'sending']);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(sender.sent.map((s) => s.message.text).sort()).toEqual(['due', 'out']);
  });

  it('stopped before deliveryDelayMs, never starts the worker', async () => {
    vi.useFakeTimers();
    const deps = { ...testDeps({ env: { CATCH_UP_DAYS: '0' } }), clock: systemClock };
    await deps.store.enqueue({ platform: 'discord', targetKind: 'channel', targetId: 'C1', kind: 'digest', idempotencyKey: 'due', message: textMessage('due'), now: Date.now() });
    const sender = createRecordingSender('discord');
    const scheduler = createScheduler(deps, { senders: [sender], platforms: ['discord'], deliveryDelayMs: 7_000 });
    await scheduler.start();
    await scheduler.stop();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(sender.sent).toEqual([]);
  });

  it('a broken digest row is logged and the other channels still post', async () => {
    const deps = testDeps({ now: '2026-08-31T10:00:00Z' });
    await setDigest(deps, channel, admin, { time: '09:00' });
    await setDigest(deps, { platform: 'discord', id: 'C2' }, admin, { time: '09:00' });
    deps.db.update(channelDigests).set({ timezone: 'Not/AZone' }).where(eq(channelDigests.channelId, 'C1')).run();
    await deps.store.upsertPapers('2026-08-31', [aPaper()], Date.parse('2026-09-01T00:30:00Z'));
    deps.db.insert(ingestRuns).values({ feedDate: '2026-08-31', status: 'ok', startedAt: Date.parse('2026-09-01T00:30:00Z') }).run();
    const scheduler = createScheduler(deps, { senders: [], platforms: ['discord'] });
    expect(await scheduler.tickDigests(Date.parse('2026-09-01T09:00:00Z'))).toBe(1);
    expect(deps.db.select().from(deliveries).all().map((r) => r.targetId)).toEqual(['C2']);
    expect(deps.logLines().some((l) => l.msg === 'could not enqueue a digest' && l.channelId === 'C1')).toBe(true);
  });
});
