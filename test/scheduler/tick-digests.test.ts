import { afterEach, describe, expect, it } from 'vitest';
import { deliveryMessage } from '../../src/store/sqlite/outbox.ts';
import { createScheduler } from '../../src/scheduler.ts';
import { getDigest, setDigest } from '../../src/store/sqlite/digests.ts';
import { closeDb, openDb, type Db } from '../../src/store/sqlite/open-db.ts';
import { upsertPapers } from '../../src/store/sqlite/papers.ts';
import { deliveries, ingestRuns } from '../../src/store/sqlite/schema.ts';
import { aPaper } from '../support/builders.ts';
import { createRecordingSender } from '../support/recording-sender.ts';
import { createTempDbFile } from '../support/test-db.ts';
import { testDeps, type TestDeps } from '../support/test-deps.ts';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

const channel = { platform: 'discord', id: 'C1' } as const;
const admin = { platform: 'discord', id: 'U-admin' } as const;

/** Papers for `feedDate` plus the ingest run that makes the day complete (started after it ended). */
function ingested(db: Db, feedDate: string, count: number): void {
  const after = Date.parse(`${feedDate}T00:00:00Z`) + 86_400_000 + 30 * 60_000;
  const list = Array.from({ length: count }, (_, i) => aPaper({ title: `${feedDate} paper ${i + 1}`, upvotes: 100 - i }));
  upsertPapers(db, feedDate, list, after);
  db.insert(ingestRuns).values({ feedDate, status: count > 0 ? 'ok' : 'empty', fetched: count, startedAt: after, finishedAt: after + 1_000 }).run();
}

function rows(db: Db) {
  return db.select().from(deliveries).orderBy(deliveries.id).all();
}

function fileDeps(now: string): { deps: TestDeps; path: string } {
  const file = createTempDbFile();
  cleanups.push(file.cleanup);
  return { deps: testDeps({ now, db: file.db }), path: file.path };
}

function scheduler(deps: TestDeps) {
  return createScheduler(deps, { senders: [createRecordingSender('discord')], platforms: ['discord'] });
}

describe('tickDigests', () => {
  it('posts yesterday at the local time, once, however often it ticks', () => {
    const deps = testDeps({ now: '2026-08-31T10:00:00Z' });
    setDigest(deps, channel, admin, { time: '09:00', timezone: 'UTC', top: 2 });
    ingested(deps.db, '2026-08-31', 3);
    const s = scheduler(deps);
    expect(s.tickDigests(new Date('2026-09-01T08:59:00Z'))).toBe(0);
    expect(s.tickDigests(new Date('2026-09-01T09:00:00Z'))).toBe(1);
    for (let minute = 1; minute <= 120; minute += 1) expect(s.tickDigests(new Date(Date.parse('2026-09-01T09:00:00Z') + minute * 60_000))).toBe(0);
    const [row, ...rest] = rows(deps.db);
    expect(rest).toEqual([]);
    expect(row).toMatchObject({ state: 'pending', kind: 'digest', targetKind: 'channel', targetId: 'C1', idempotencyKey: 'digest:discord:C1:2026-08-31' });
    const msg = row && deliveryMessage(row);
    expect(msg?.title).toBe('Daily papers — Mon 31 Aug 2026');
    expect(msg?.papers.map((p) => p.title)).toEqual(['2026-08-31 paper 1', '2026-08-31 paper 2']);
    expect(msg?.more).toEqual({ count: 1, url: 'https://huggingface.co/papers/date/2026-08-31' });
    expect(getDigest(deps.db, 'discord', 'C1')?.lastFeedDate).toBe('2026-08-31');
  });

  it('after a restart (same database file, new process) does not post the day again', () => {
    const { deps, path } = fileDeps('2026-08-31T10:00:00Z');
    setDigest(deps, channel, admin, { time: '09:00' });
    ingested(deps.db, '2026-08-31', 2);
    expect(scheduler(deps).tickDigests(new Date('2026-09-01T09:00:00Z'))).toBe(1);
    closeDb(deps.db);
    const reopened = openDb(path);
    cleanups.unshift(() => closeDb(reopened));
    const restarted = testDeps({ now: '2026-09-01T09:02:00Z', db: reopened });
    expect(scheduler(restarted).tickDigests()).toBe(0);
    expect(rows(reopened)).toHaveLength(1);
  });

  it('a day missed while down is posted once on the first tick after start-up', () => {
    const deps = testDeps({ now: '2026-08-31T10:00:00Z' });
    setDigest(deps, channel, admin, { time: '09:00' });
    ingested(deps.db, '2026-08-31', 2);
    // Down from Sep 1 08:00 to 15:00.
    const s = scheduler(deps);
    expect(s.tickDigests(new Date('2026-09-01T15:00:00Z'))).toBe(1);
    expect(s.tickDigests(new Date('2026-09-01T15:01:00Z'))).toBe(0);
    expect(rows(deps.db).map((r) => r.idempotencyKey)).toEqual(['digest:discord:C1:2026-08-31']);
    const [row] = rows(deps.db);
    expect(row && deliveryMessage(row).text).toBe('Top 2 of 2 papers.');
  });

  it('three missed days become ONE "while I was offline" post, never repeated', () => {
    const deps = testDeps({ now: '2026-08-28T10:00:00Z' });
    setDigest(deps, channel, admin, { time: '09:00', top: 3 });
    for (const day of ['2026-08-28', '2026-08-29', '2026-08-30']) ingested(deps.db, day, 2);
    const s = scheduler(deps);
    expect(s.tickDigests(new Date('2026-08-31T12:00:00Z'))).toBe(1);
    expect(s.tickDigests(new Date('2026-08-31T12:01:00Z'))).toBe(0);
    const [row, ...rest] = rows(deps.db);
    expect(rest).toEqual([]);
    expect(row?.idempotencyKey).toBe('digest:discord:C1:2026-08-28..2026-08-30');
    const msg = row && deliveryMessage(row);
    expect(msg?.title).toBe('Daily papers — Fri 28 Aug – Sun 30 Aug 2026');
    expect(msg?.text).toMatch(/^While I was offline I missed 3 days: here are the top 3 of 6 papers/);
    expect(msg?.papers).toHaveLength(3);
    // The next day goes back to one day per post.
    ingested(deps.db, '2026-08-31', 1);
    expect(s.tickDigests(new Date('2026-09-01T09:00:00Z'))).toBe(1);
    expect(rows(deps.db).map((r) => r.idempotencyKey)).toEqual(['digest:discord:C1:2026-08-28..2026-08-30', 'digest:discord:C1:2026-08-31']);
  });

  it('waits for the feed day to be ingested after it ended, then posts', () => {
    const deps = testDeps({ now: '2026-08-31T10:00:00Z' });
    setDigest(deps, channel, admin, { time: '09:00' });
    const s = scheduler(deps);
    expect(s.tickDigests(new Date('2026-09-01T09:00:00Z'))).toBe(0);
    ingested(deps.db, '2026-08-31', 1);
    expect(s.tickDigests(new Date('2026-09-01T09:30:00Z'))).toBe(1);
  });

  it('an empty day is recorded (for status) but not posted, unless post_when_empty', () => {
    const deps = testDeps({ now: '2026-08-29T10:00:00Z' });
    setDigest(deps, channel, admin, { time: '09:00' });
    setDigest(deps, { platform: 'discord', id: 'C2' }, admin, { time: '09:00', postWhenEmpty: true });
    ingested(deps.db, '2026-08-29', 0);
    const s = scheduler(deps);
    expect(s.tickDigests(new Date('2026-08-30T09:00:00Z'))).toBe(2);
    const byChannel = Object.fromEntries(rows(deps.db).map((r) => [r.targetId, r]));
    expect(byChannel.C1).toMatchObject({ state: 'skipped' });
    expect(byChannel.C2).toMatchObject({ state: 'pending' });
    const note = byChannel.C2 && deliveryMessage(byChannel.C2);
    expect(note?.text).toBe('No papers on Sat 29 Aug 2026: the feed was empty.');
    expect(s.tickDigests(new Date('2026-08-30T09:01:00Z'))).toBe(0);
  });

  it('leaves digests of platforms that are not running alone (their watermark waits)', () => {
    const deps = testDeps({ now: '2026-08-31T10:00:00Z' });
    setDigest(deps, { platform: 'slack', id: 'S1' }, { platform: 'slack', id: 'U' }, { time: '09:00' });
    ingested(deps.db, '2026-08-31', 1);
    expect(scheduler(deps).tickDigests(new Date('2026-09-01T09:00:00Z'))).toBe(0);
    expect(getDigest(deps.db, 'slack', 'S1')?.lastFeedDate).toBe('2026-08-30');
  });

  it('the queued digest reaches the channel through the worker', async () => {
    const deps = testDeps({ now: '2026-08-31T10:00:00Z' });
    setDigest(deps, channel, admin, { time: '09:00' });
    ingested(deps.db, '2026-08-31', 2);
    const sender = createRecordingSender('discord');
    const s = createScheduler(deps, { senders: [sender], platforms: ['discord'] });
    deps.clock.set('2026-09-01T09:00:00Z');
    s.tickDigests();
    await s.worker.runOnce();
    expect(sender.sent.map((m) => [m.target.id, m.message.title])).toEqual([['C1', 'Daily papers — Mon 31 Aug 2026']]);
    expect(rows(deps.db)[0]).toMatchObject({ state: 'sent', messageId: 'discord-msg-1' });
  });
});
