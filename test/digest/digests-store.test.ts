import { describe, expect, it } from 'vitest';
import { digestSet } from '../../commands/digest-set.ts';
import { validateOptions } from '../../commands/validate-options.ts';
import { MAX_MIN_UPVOTES, type DigestOptions } from '../../src/digest/digest-options.ts';
import { scheduledFeedDay } from '../../src/digest/local-time.ts';
import { setDigest as saveDigest } from '../../src/digest/set-digest.ts';
import { UserError } from '../../src/errors.ts';
import { ingestRuns } from '../../src/store/sqlite/schema.ts';
import { testDeps, type TestDeps } from '../support/test-deps.ts';

const channel = { platform: 'discord', id: 'C1', workspaceId: 'G1' } as const;
const admin = 'U-admin';

/** Options as `/papers digest set` passes them: validated by the one schema, then saved. */
async function setDigest(deps: TestDeps, where: typeof channel, userId: string, raw: Record<string, unknown>) {
  return saveDigest(deps, where, userId, validateOptions(digestSet, raw) as DigestOptions);
}

async function codeOf(work: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await work();
  } catch (err) {
    if (err instanceof UserError) return err.code;
    throw err;
  }
  return undefined;
}

/** The start-day rule the digest commands pass to the store, at `at`. */
const startAt = (at: number) => (time: string, zone: string) => scheduledFeedDay(time, zone, at);

describe('setDigest', () => {
  it('creates a digest with the config defaults and top 5', async () => {
    const deps = testDeps({ now: '2026-09-01T10:00:00Z', env: { DEFAULT_DIGEST_TIME: '08:15', DEFAULT_TIMEZONE: 'Europe/Berlin' } });
    const digest = await setDigest(deps, channel, admin, {});
    expect(digest).toMatchObject({
      platform: 'discord',
      channelId: 'C1',
      workspaceId: 'G1',
      time: '08:15',
      timezone: 'Europe/Berlin',
      top: 5,
      minUpvotes: 0,
      query: '',
      postWhenEmpty: false,
      enabled: true,
      updatedBy: 'U-admin',
    });
    expect(await deps.store.listDigests()).toHaveLength(1);
  });

  it('changes only the fields in the patch', async () => {
    const deps = testDeps();
    await setDigest(deps, channel, admin, { time: '07:00', timezone: 'America/New_York', top: 10, min_upvotes: 3, query: 'llm -survey', post_when_empty: true });
    const updated = await setDigest(deps, channel, 'U2', { top: 3 });
    expect(updated).toMatchObject({ time: '07:00', timezone: 'America/New_York', top: 3, minUpvotes: 3, query: 'llm -survey', postWhenEmpty: true, updatedBy: 'U2' });
  });

  it('normalises the time and the zone name', async () => {
    const deps = testDeps();
    expect(await setDigest(deps, channel, admin, { time: '9:05', timezone: 'europe/berlin' })).toMatchObject({ time: '09:05', timezone: 'Europe/Berlin' });
  });

  it('spells the configured default zone like a typed one', async () => {
    const deps = testDeps({ env: { DEFAULT_TIMEZONE: 'europe/kyiv' } });
    expect((await setDigest(deps, channel, admin, {})).timezone).toBe('Europe/Kyiv');
  });

  it('keeps the zone name the admin typed, not the old name ICU resolves it to', async () => {
    const deps = testDeps();
    expect((await setDigest(deps, channel, admin, { timezone: 'Europe/Kyiv' })).timezone).toBe('Europe/Kyiv');
    expect((await setDigest(deps, channel, admin, { timezone: 'asia/kolkata' })).timezone).toBe('Asia/Kolkata');
    expect((await setDigest(deps, channel, admin, { timezone: 'Asia/Ho_Chi_Minh' })).timezone).toBe('Asia/Ho_Chi_Minh');
    expect((await deps.store.getDigest('discord', 'C1'))?.timezone).toBe('Asia/Ho_Chi_Minh');
  });

  it('refuses bad values with bad_option, naming the option', async () => {
    const deps = testDeps();
    expect(await codeOf(() => setDigest(deps, channel, admin, { time: '25:00' }))).toBe('bad_option');
    expect(await codeOf(() => setDigest(deps, channel, admin, { time: 'nine' }))).toBe('bad_option');
    expect(await codeOf(() => setDigest(deps, channel, admin, { timezone: 'Mars/Olympus' }))).toBe('bad_option');
    expect(await codeOf(() => setDigest(deps, channel, admin, { top: 0 }))).toBe('bad_option');
    expect(await codeOf(() => setDigest(deps, channel, admin, { top: 26 }))).toBe('bad_option');
    expect(await codeOf(() => setDigest(deps, channel, admin, { min_upvotes: -1 }))).toBe('bad_option');
    expect(await codeOf(() => setDigest(deps, channel, admin, { min_upvotes: MAX_MIN_UPVOTES + 1 }))).toBe('bad_option');
    await expect(setDigest(deps, channel, admin, { min_upvotes: 1e20 })).rejects.toThrow(`min_upvotes\` must be at most ${MAX_MIN_UPVOTES}`);
    expect(await codeOf(() => setDigest(deps, channel, admin, { query: 'x'.repeat(301) }))).toBe('bad_option');
    await expect(setDigest(deps, channel, admin, { timezone: 'Mars/Olympus' })).rejects.toThrow(/timezone/);
    expect(await deps.store.listDigests()).toEqual([]);
  });

  it('starts the watermark at the day its latest passed post time covered: the next post is the next due time', async () => {
    // 10:00 UTC, digest at 09:00: today's 09:00 (covering Aug 31) already passed.
    const after = testDeps({ now: '2026-09-01T10:00:00Z' });
    expect((await setDigest(after, channel, admin, { time: '09:00', timezone: 'UTC' })).lastFeedDate).toBe('2026-08-31');
    // 08:00 UTC: today's 09:00 is still to come, so Aug 31 will be posted at 09:00.
    const before = testDeps({ now: '2026-09-01T08:00:00Z' });
    expect((await setDigest(before, channel, admin, { time: '09:00', timezone: 'UTC' })).lastFeedDate).toBe('2026-08-30');
  });

  it('keeps the watermark when an active digest is edited, and never moves it back', async () => {
    const deps = testDeps({ now: '2026-09-01T10:00:00Z' });
    await setDigest(deps, channel, admin, { time: '09:00' });
    deps.clock.set('2026-09-03T10:00:00Z');
    expect((await setDigest(deps, channel, admin, { top: 7 })).lastFeedDate).toBe('2026-08-31');
  });

  it('disable keeps the row; set re-enables it from the next due time, keeping the config', async () => {
    const deps = testDeps({ now: '2026-09-01T10:00:00Z' });
    await setDigest(deps, channel, admin, { top: 9, query: 'agents' });
    expect(await deps.store.disableDigest(channel, admin, deps.clock.now())).toMatchObject({ row: { enabled: false }, wasEnabled: true });
    expect(await deps.store.getDigest('discord', 'C1')).toMatchObject({ enabled: false, top: 9, query: 'agents' });
    deps.clock.set('2026-09-05T10:00:00Z');
    const back = await setDigest(deps, channel, admin, {});
    expect(back).toMatchObject({ enabled: true, top: 9, query: 'agents', lastFeedDate: '2026-09-04' });
  });

  it('disable says whether the digest was on, so a second `off` can say it already was', async () => {
    const deps = testDeps();
    await setDigest(deps, channel, admin, {});
    expect((await deps.store.disableDigest(channel, admin, deps.clock.now()))?.wasEnabled).toBe(true);
    expect(await deps.store.disableDigest(channel, admin, deps.clock.now())).toMatchObject({ row: { enabled: false }, wasEnabled: false });
  });

  it('disable of a channel without a digest finds nothing (the command says not_found)', async () => {
    const deps = testDeps();
    expect(await deps.store.disableDigest(channel, admin, deps.clock.now())).toBeUndefined();
  });
});

describe('pauseTarget / resumeTarget', () => {
  it('pauses with a reason, keeping the config; resume posts from the next due time', async () => {
    const deps = testDeps({ now: '2026-09-01T10:00:00Z' });
    await setDigest(deps, channel, admin, { top: 4 });
    expect(await deps.store.pauseTarget('discord', 'C1', 'missing_access', 123)).toBe(true);
    expect(await deps.store.getDigest('discord', 'C1')).toMatchObject({ pausedReason: 'missing_access', pausedAt: 123, top: 4, enabled: true });
    expect(await deps.store.resumeTarget('discord', 'C1', startAt(Date.parse('2026-09-04T10:00:00Z')), Date.parse('2026-09-04T10:00:00Z'))).toBe(true);
    expect(await deps.store.getDigest('discord', 'C1')).toMatchObject({ pausedReason: null, pausedAt: null, top: 4, lastFeedDate: '2026-09-03' });
    expect(await deps.store.resumeTarget('discord', 'C1', startAt(Date.parse('2026-09-04T10:00:00Z')), Date.parse('2026-09-04T10:00:00Z'))).toBe(false);
    expect(await deps.store.pauseTarget('discord', 'nope', 'channel_gone', 1)).toBe(false);
  });

  it('setDigest resumes a paused digest', async () => {
    const deps = testDeps({ now: '2026-09-01T10:00:00Z' });
    await setDigest(deps, channel, admin, {});
    await deps.store.pauseTarget('discord', 'C1', 'channel_gone', 1);
    expect((await setDigest(deps, channel, admin, {})).pausedReason).toBeNull();
  });
});

describe('latestCompleteFeedDay', () => {
  function run(deps: ReturnType<typeof testDeps>, feedDate: string, status: string, startedAt: string) {
    deps.db.insert(ingestRuns).values({ feedDate, status, startedAt: Date.parse(startedAt), finishedAt: Date.parse(startedAt) + 1000 }).run();
  }

  it('is the latest past day ingested successfully by a run that started after the day ended', async () => {
    const deps = testDeps();
    const today = '2026-09-01';
    expect(await deps.store.latestCompleteFeedDay(today)).toBeNull();
    run(deps, '2026-08-30', 'ok', '2026-08-31T00:30:00Z');
    run(deps, '2026-08-31', 'ok', '2026-08-31T23:30:00Z'); // before its end: not final
    run(deps, '2026-09-01', 'ok', '2026-09-01T09:30:00Z'); // today: never complete
    expect(await deps.store.latestCompleteFeedDay(today)).toBe('2026-08-30');
    run(deps, '2026-08-31', 'failed', '2026-09-01T00:30:00Z');
    expect(await deps.store.latestCompleteFeedDay(today)).toBe('2026-08-30');
    run(deps, '2026-08-31', 'empty', '2026-09-01T01:00:00Z');
    expect(await deps.store.latestCompleteFeedDay(today)).toBe('2026-08-31');
  });
});
