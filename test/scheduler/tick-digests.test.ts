import { afterEach, describe, expect, it } from 'vitest';
import { setDigest } from '../../src/digest/set-digest.ts';
import { parseStoredMessage } from '../../src/messages/stored-message.ts';
import { createScheduler } from '../../src/scheduler.ts';
import { deliveries, ingestRuns } from '../../src/store/sqlite/schema.ts';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { aPaper } from '../support/builders.ts';
import { createRecordingSender } from '../support/recording-sender.ts';
import { createTempStoreFile } from '../support/test-db.ts';
import { testDeps, type TestDeps } from '../support/test-deps.ts';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

const channel = { platform: 'discord', id: 'C1' } as const;
const admin = 'U-admin';

/** Papers for `feedDate` plus the ingest run that makes the day complete (started after it ended). */
async function ingested(store: SqliteStore, feedDate: string, count: number): Promise<void> {
  const after = Date.parse(`${feedDate}T00:00:00Z`) + 86_400_000 + 30 * 60_000;
  const list = Array.from({ length: count }, (_, i) => aPaper({ title: `${feedDate} paper ${i + 1}`, upvotes: 100 - i }));
  await store.upsertPapers(feedDate, list, after);
  store.db.insert(ingestRuns).values({ feedDate, status: count > 0 ? 'ok' : 'empty', fetched: count, startedAt: after, finishedAt: after + 1_000 }).run();
}

function rows(db: SqliteStore['db']) {
  return db.select().from(deliveries).orderBy(deliveries.id).all();
}

function fileDeps(now: string): { deps: TestDeps; path: string } {
  const file = createTempStoreFile();
  cleanups.push(file.cleanup);
  return { deps: testDeps({ now, store: file.store }), path: file.path };
}

function scheduler(deps: TestDeps) {
  return createScheduler(deps, { senders: [createRecordingSender('discord')], platforms: ['discord'] });
}

describe('tickDigests', () => {
  it('posts yesterday at the local time, once, however often it ticks', async () => {
    const deps = testDeps({ now: '2026-08-31T10:00:00Z' });
    await setDigest(deps, channel, admin, { time: '09:00', timezone: 'UTC', top: 2 });
    await ingested(deps.store, '2026-08-31', 3);
    const s = scheduler(deps);
    expect(await s.tickDigests(Date.parse('2026-09-01T08:59:00Z'))).toBe(0);
    expect(await s.tickDigests(Date.parse('2026-09-01T09:00:00Z'))).toBe(1);
    for (let minute = 1; minute <= 120; minute += 1) expect(await s.tickDigests(Date.parse('2026-09-01T09:00:00Z') + minute * 60_000)).toBe(0);
    const [row, ...rest] = rows(deps.db);
    expect(rest).toEqual([]);
    expect(row).toMatchObject({ state: 'pending', kind: 'digest', targetKind: 'channel', targetId: 'C1', idempotencyKey: 'digest:discord:C1:2026-08-31' });
    const msg = row && parseStoredMessage(row.payload);
    expect(msg?.title).toBe('Daily papers — Mon 31 Aug 2026');
    expect(msg?.papers.map((p) => p.title)).toEqual(['2026-08-31 paper 1', '2026-08-31 paper 2']);
    expect(msg?.more).toEqual({ count: 1, url: 'https://huggingface.co/papers/date/2026-08-31' });
    expect((await deps.store.getDigest('discord', 'C1'))?.lastFeedDate).toBe('2026-08-31');
  });

  it('after a restart (same database file, new process) does not post the day again', async () => {
    const { deps, path } = fileDeps('2026-08-31T10:00:00Z');
    await setDigest(deps, channel, admin, { time: '09:00' });
    await ingested(deps.store, '2026-08-31', 2);
    expect(await scheduler(deps).tickDigests(Date.parse('2026-09-01T09:00:00Z'))).toBe(1);
    await deps.store.close();
    const reopened = openSqliteStore(path);
    cleanups.unshift(() => void reopened.close());
    const restarted = testDeps({ now: '2026-09-01T09:02:00Z', store: reopened });
    expect(await scheduler(restarted).tickDigests()).toBe(0);
    expect(rows(reopened.db)).toHaveLength(1);
  });

  it('a day missed while down is posted once on the first tick after start-up', async () => {
    const deps = testDeps({ now: '2026-08-31T10:00:00Z' });
    await setDigest(deps, channel, admin, { time: '09:00' });
    await ingested(deps.store, '2026-08-31', 2);
    // Down from Sep 1 08:00 to 15:00.
    const s = scheduler(deps);
    expect(await s.tickDigests(Date.parse('2026-09-01T15:00:00Z'))).toBe(1);
    expect(await s.tickDigests(Date.parse('2026-09-01T15:01:00Z'))).toBe(0);
    expect(rows(deps.db).map((r) => r.idempotencyKey)).toEqual(['digest:discord:C1:2026-08-31']);
    const [row] = rows(deps.db);
    expect(row && parseStoredMessage(row.payload).text).toBe('Top 2 of 2 papers.');
  });

  it('three missed days become ONE "while I was offline" post, never repeated', async () => {
    const deps = testDeps({ now: '2026-08-28T10:00:00Z' });
    await setDigest(deps, channel, admin, { time: '09:00', top: 3 });
    for (const day of ['2026-08-28', '2026-08-29', '2026-08-30']) await ingested(deps.store, day, 2);
    const s = scheduler(deps);
    expect(await s.tickDigests(Date.parse('2026-08-31T12:00:00Z'))).toBe(1);
    expect(await s.tickDigests(Date.parse('2026-08-31T12:01:00Z'))).toBe(0);
    const [row, ...rest] = rows(deps.db);
    expect(rest).toEqual([]);
    expect(row?.idempotencyKey).toBe('digest:discord:C1:2026-08-28..2026-08-30');
    const msg = row && parseStoredMessage(row.payload);
    expect(msg?.title).toBe('Daily papers — Fri 28 Aug – Sun 30 Aug 2026');
    expect(msg?.text).toMatch(/^While I was offline I missed 3 days: here are the top 3 of 6 papers/);
    expect(msg?.papers).toHaveLength(3);
    // The next day goes back to one day per post.
    await ingested(deps.store, '2026-08-31', 1);
    expect(await s.tickDigests(Date.parse('2026-09-01T09:00:00Z'))).toBe(1);
    expect(rows(deps.db).map((r) => r.idempotencyKey)).toEqual(['digest:discord:C1:2026-08-28..2026-08-30', 'digest:discord:C1:2026-08-31']);
  });

  it('waits for the feed day to be ingested after it ended, then posts', async () => {
    const deps = testDeps({ now: '2026-08-31T10:00:00Z' });
    await setDigest(deps, channel, admin, { time: '09:00' });
    const s = scheduler(deps);
    expect(await s.tickDigests(Date.parse('2026-09-01T09:00:00Z'))).toBe(0);
    await ingested(deps.store, '2026-08-31', 1);
    expect(await s.tickDigests(Date.parse('2026-09-01T09:30:00Z'))).toBe(1);
  });

  it('an empty day is recorded (for status) but not posted, unless post_when_empty', async () => {
    const deps = testDeps({ now: '2026-08-29T10:00:00Z' });
    await setDigest(deps, channel, admin, { time: '09:00' });
    await setDigest(deps, { platform: 'discord', id: 'C2' }, admin, { time: '09:00', post_when_empty: true });
    await ingested(deps.store, '2026-08-29', 0);
    const s = scheduler(deps);
    expect(await s.tickDigests(Date.parse('2026-08-30T09:00:00Z'))).toBe(2);
    const byChannel = Object.fromEntries(rows(deps.db).map((r) => [r.targetId, r]));
    expect(byChannel.C1).toMatchObject({ state: 'skipped' });
    expect(byChannel.C2).toMatchObject({ state: 'pending' });
    const note = byChannel.C2 && parseStoredMessage(byChannel.C2.payload);
    expect(note?.text).toBe('No papers on Sat 29 Aug 2026: the feed was empty.');
    expect(await s.tickDigests(Date.parse('2026-08-30T09:01:00Z'))).toBe(0);
  });

  it('a day whose later re-fetch returned [] still posts its stored papers (never "the feed was empty")', async () => {
    const deps = testDeps({ now: '2026-08-31T10:00:00Z' });
    await setDigest(deps, channel, admin, { time: '09:00', post_when_empty: true });
    await ingested(deps.store, '2026-08-31', 2);
    const later = Date.parse('2026-09-01T06:00:00Z');
    deps.db.insert(ingestRuns).values({ feedDate: '2026-08-31', status: 'empty', fetched: 0, startedAt: later, finishedAt: later + 1_000 }).run();
    expect(await scheduler(deps).tickDigests(Date.parse('2026-09-01T09:00:00Z'))).toBe(1);
    const [row] = rows(deps.db);
    expect(row?.state).toBe('pending');
    expect(row && parseStoredMessage(row.payload).text).toBe('Top 2 of 2 papers.');
  });

  it('leaves digests of platforms that are not running alone (their watermark waits)', async () => {
    const deps = testDeps({ now: '2026-08-31T10:00:00Z' });
    await setDigest(deps, { platform: 'slack', id: 'S1' }, 'U', { time: '09:00' });
    await ingested(deps.store, '2026-08-31', 1);
    expect(await scheduler(deps).tickDigests(Date.parse('2026-09-01T09:00:00Z'))).toBe(0);
    expect((await deps.store.getDigest('slack', 'S1'))?.lastFeedDate).toBe('2026-08-30');
  });

  it('the queued digest reaches the channel through the worker', async () => {
    const deps = testDeps({ now: '2026-08-31T10:00:00Z' });
    await setDigest(deps, channel, admin, { time: '09:00' });
    await ingested(deps.store, '2026-08-31', 2);
    const sender = createRecordingSender('discord');
    const s = createScheduler(deps, { senders: [sender], platforms: ['discord'] });
    deps.clock.set('2026-09-01T09:00:00Z');
    await s.tickDigests();
    await s.worker.runOnce();
    expect(sender.sent.map((m) => [m.target.id, m.message.title])).toEqual([['C1', 'Daily papers — Mon 31 Aug 2026']]);
    expect(rows(deps.db)[0]).toMatchObject({ state: 'sent', messageId: 'discord-msg-1' });
  });
});
