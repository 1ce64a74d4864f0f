import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastFeedDayOfKey } from '../../src/digest/enqueue-digest.ts';
import { textMessage } from '../../src/messages/message.ts';
import { createPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import type { DigestWrite, NewDelivery } from '../../src/store/store.ts';
import { aPaper } from '../support/builders.ts';
import { postgresServerReachable, useTwoConnections } from '../support/postgres-test-db.ts';
import type { Store } from '../../src/store/store.ts';
import { backends } from '../support/both-backends.ts';

const T0 = Date.parse('2026-09-01T08:00:00Z');
const defaults: DigestWrite['defaults'] = { time: '09:00', timezone: 'UTC', top: 5, minUpvotes: 0, query: '', postWhenEmpty: false };
const write = (over: Partial<DigestWrite> & { start: string }): DigestWrite => ({
  channel: { platform: 'discord', id: 'C1', workspaceId: 'G1' },
  userId: 'admin',
  patch: {},
  defaults,
  startFeedDay: () => over.start,
  postedFeedDay: lastFeedDayOfKey,
  now: T0,
  ...over,
});
const digestRow = (channelId: string, day: string, platform = 'discord'): NewDelivery => ({
  platform,
  targetKind: 'channel',
  targetId: channelId,
  kind: 'digest',
  idempotencyKey: `digest:${platform}:${channelId}:${day}`,
  message: textMessage(day),
  now: T0,
});

describe.each(backends)('digests on $name', ({ open }) => {
  let store: Store;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, close } = await open());
  }, 120_000);
  afterAll(async () => close?.());

  it('creates with defaults, patches only what is given, and re-enabling never moves the watermark back', async () => {
    const created = await store.saveDigest(write({ start: '2026-08-31', patch: { top: 3 } }));
    expect(created).toMatchObject({ platform: 'discord', channelId: 'C1', workspaceId: 'G1', time: '09:00', top: 3, enabled: true, lastFeedDate: '2026-08-31', updatedBy: 'admin', createdAt: T0 });
    const patched = await store.saveDigest(write({ start: '2026-09-05', patch: { query: 'diffusion', time: '10:00' }, channel: { platform: 'discord', id: 'C1' }, now: T0 + 1 }));
    // Running digest: the watermark stays; the workspace is kept when not given.
    expect(patched).toMatchObject({ top: 3, query: 'diffusion', time: '10:00', lastFeedDate: '2026-08-31', workspaceId: 'G1', createdAt: T0, updatedAt: T0 + 1 });
    expect(await store.disableDigest({ platform: 'discord', id: 'C1' }, 'admin2', T0 + 2)).toMatchObject({ wasEnabled: true, row: { enabled: false, updatedBy: 'admin2' } });
    expect(await store.disableDigest({ platform: 'discord', id: 'C1' }, 'admin3', T0 + 3)).toMatchObject({ wasEnabled: false, row: { updatedBy: 'admin2' } });
    expect(await store.disableDigest({ platform: 'discord', id: 'nope' }, 'admin', T0)).toBeUndefined();
    expect(await store.saveDigest(write({ start: '2026-08-20', now: T0 + 4 }))).toMatchObject({ enabled: true, lastFeedDate: '2026-08-31', query: 'diffusion' });
    expect(await store.saveDigest(write({ start: '2026-09-02', channel: { platform: 'discord', id: 'C2', workspaceId: 'G1' }, now: T0 + 5 }))).toMatchObject({ lastFeedDate: '2026-09-02', top: 5 });
    expect((await store.listDigests()).map((row) => row.channelId)).toEqual(['C1', 'C2']);
    expect(await store.getDigest('discord', 'C2')).toMatchObject({ channelId: 'C2' });
    expect(await store.getDigest('slack', 'C2')).toBeUndefined();
  });

  it('queues a day once, moving the watermark forward only, and reports the latest post', async () => {
    expect(await store.latestDigestPost('discord', 'C1')).toBeUndefined();
    expect(await store.enqueueDigest(digestRow('C1', '2026-09-01'), '2026-09-01')).toBe(true);
    expect(await store.enqueueDigest(digestRow('C1', '2026-09-01'), '2026-09-01')).toBe(false);
    expect(await store.enqueueDigest(digestRow('C1', '2026-08-30'), '2026-08-30')).toBe(false);
    expect(await store.enqueueDigest(digestRow('C9', '2026-09-01'), '2026-09-01')).toBe(false);
    expect(await store.getDigest('discord', 'C1')).toMatchObject({ lastFeedDate: '2026-09-01' });
    expect(await store.latestDigestPost('discord', 'C1')).toEqual({ idempotencyKey: 'digest:discord:C1:2026-09-01', state: 'queued' });
    const [row] = await store.claimDue(T0, { limit: 5, platforms: ['discord'] });
    await store.markSent(row?.id ?? 0, 'M', T0 + 1);
    expect(await store.latestDigestPost('discord', 'C1')).toEqual({ idempotencyKey: 'digest:discord:C1:2026-09-01', state: 'sent' });
    expect(await store.enqueueDigest({ ...digestRow('C1', '2026-09-02'), state: 'skipped' }, '2026-09-02')).toBe(true);
    expect(await store.latestDigestPost('discord', 'C1')).toEqual({ idempotencyKey: 'digest:discord:C1:2026-09-01', state: 'sent' });
  });

  it('pauses and resumes one channel or a whole workspace, from the later of the watermark and the start day', async () => {
    expect(await store.pauseTarget('discord', 'C1', 'missing_access', T0)).toBe(true);
    expect(await store.pauseTarget('discord', 'nope', 'missing_access', T0)).toBe(false);
    expect(await store.getDigest('discord', 'C1')).toMatchObject({ pausedReason: 'missing_access', pausedAt: T0 });
    expect(await store.resumeTarget('discord', 'C1', () => '2026-09-10', T0 + 1)).toBe(true);
    expect(await store.getDigest('discord', 'C1')).toMatchObject({ pausedReason: null, pausedAt: null, lastFeedDate: '2026-09-10', updatedAt: T0 + 1 });
    expect(await store.resumeTarget('discord', 'C1', () => '2026-09-11', T0 + 2)).toBe(false);
    await store.pauseTarget('discord', 'C1', 'channel_gone', T0);
    await store.pauseTarget('discord', 'C2', 'channel_gone', T0);
    const resumed = await store.resumeWorkspace('discord', 'G1', (time) => (time === '10:00' ? '2026-09-01' : '2026-09-12'), T0 + 3);
    expect(resumed.sort()).toEqual(['C1', 'C2']);
    expect((await store.listDigests()).map((row) => [row.channelId, row.lastFeedDate, row.pausedReason])).toEqual([
      ['C1', '2026-09-10', null],
      ['C2', '2026-09-12', null],
    ]);
    expect(await store.resumeWorkspace('discord', 'G1', () => '2026-09-20', T0 + 4)).toEqual([]);
  });

  it('finds the latest complete feed day: ingested by a run that started after the day ended', async () => {
    expect(await store.latestCompleteFeedDay('2026-09-05')).toBeNull();
    const during = await store.startIngestRun('2026-09-03', 'cron', Date.parse('2026-09-03T20:00:00Z'));
    await store.finishIngestRun({ runId: during, feedDate: '2026-09-03', papers: [aPaper({ arxivId: '2609.00003' })], skipped: 0, silent: false, now: Date.parse('2026-09-03T20:01:00Z') });
    expect(await store.latestCompleteFeedDay('2026-09-05')).toBeNull();
    const after = await store.startIngestRun('2026-09-02', 'cron', Date.parse('2026-09-03T00:00:00Z'));
    await store.finishIngestRun({ runId: after, feedDate: '2026-09-02', papers: [], skipped: 0, silent: false, now: Date.parse('2026-09-03T00:01:00Z') });
    expect(await store.latestCompleteFeedDay('2026-09-05')).toBe('2026-09-02');
    expect(await store.latestCompleteFeedDay('2026-09-02')).toBeNull();
  });

  it('a new time or zone moves the watermark back to its start day, never before a posted day nor forward', async () => {
    const channel = { platform: 'discord', id: 'C7' };
    const at = (start: string, patch: DigestWrite['patch']) => store.saveDigest(write({ start, patch, channel }));
    // Set just after midnight at 00:00: the day that time covered counts as old.
    expect(await at('2026-09-01', { time: '00:00' })).toMatchObject({ lastFeedDate: '2026-09-01' });
    // Moved to 23:00, whose last time covered the day before: tonight posts 2026-09-01, never posted.
    expect(await at('2026-08-31', { time: '23:00' })).toMatchObject({ lastFeedDate: '2026-08-31' });
    // Other options leave it; a time whose start day is later never skips a day not posted yet.
    expect(await at('2026-08-20', { top: 7 })).toMatchObject({ lastFeedDate: '2026-08-31' });
    expect(await at('2026-09-03', { time: '06:00' })).toMatchObject({ lastFeedDate: '2026-08-31' });
    // Posted through a range after downtime: no new time brings a day of it back.
    expect(await store.enqueueDigest({ ...digestRow('C7', '2026-09-01'), idempotencyKey: 'digest:discord:C7:2026-09-01..2026-09-03' }, '2026-09-03')).toBe(true);
    expect(await at('2026-08-25', { time: '07:00', timezone: 'Pacific/Kiritimati' })).toMatchObject({ lastFeedDate: '2026-09-03' });
    // A skipped (empty) day posted nothing: a new time may look at it again.
    expect(await store.enqueueDigest({ ...digestRow('C7', '2026-09-04'), state: 'skipped' }, '2026-09-04')).toBe(true);
    expect(await at('2026-09-03', { timezone: 'UTC' })).toMatchObject({ lastFeedDate: '2026-09-03' });
  });
});

const server = await postgresServerReachable();
if (!server) console.info('digests: concurrent ticks need the PostgreSQL server (PGlite has one connection); skipped');

describe.skipIf(!server)('digest ticks on the PostgreSQL server, from several connections', () => {
  const connections = useTwoConnections(4);

  it('queues a day once when replicas tick together, and serialises concurrent saves', async () => {
    const a = createPostgresStore(connections.first().db);
    const b = createPostgresStore(connections.second());
    await Promise.all([a, b, a, b].map((store, i) => store.saveDigest(write({ start: '2026-08-31', patch: { top: i + 1 }, now: T0 + i }))));
    expect(await a.listDigests()).toHaveLength(1);
    const queued = await Promise.all([a, b, a, b, a, b].map((store) => store.enqueueDigest(digestRow('C1', '2026-09-01'), '2026-09-01')));
    expect(queued.filter(Boolean)).toHaveLength(1);
    expect(await a.deliveryCounts()).toMatchObject({ pending: 1 });
  });
});
