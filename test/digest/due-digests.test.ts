import { describe, expect, it } from 'vitest';
import { toFeedDate } from '../../src/clock.ts';
import { dueDigests, type DueDigest } from '../../src/digest/due-digests.ts';
import { localDateTime, scheduledFeedDay } from '../../src/digest/local-time.ts';
import type { DigestRow } from '../../src/store/store.ts';

function aDigest(overrides: Partial<DigestRow> = {}): DigestRow {
  return {
    platform: 'discord',
    channelId: 'C1',
    workspaceId: null,
    time: '09:00',
    timezone: 'UTC',
    top: 5,
    minUpvotes: 0,
    query: '',
    postWhenEmpty: false,
    sort: 'upvotes',
    followups: true,
    enabled: true,
    pausedReason: null,
    pausedAt: null,
    lastFeedDate: '2026-08-30',
    source: 'hf',
    lastAnnouncement: null,
    updatedBy: null,
    createdAt: 0,
    updatedAt: 0,
    ...overrides,
  };
}

/** Feed day D counts as complete once D + 1 has started (UTC): what a healthy ingest gives. */
function completeAt(at: number): string {
  return toFeedDate(at - 86_400_000);
}

/** Ticks every minute from `from` to `to`, applying each due post to the watermark like the real tick. */
function simulate(digest: DigestRow, from: string, to: string): Array<{ at: string; feedDates: string[]; offline: boolean }> {
  const posts: Array<{ at: string; feedDates: string[]; offline: boolean }> = [];
  let row = digest;
  for (let t = Date.parse(from); t <= Date.parse(to); t += 60_000) {
    for (const due of dueDigests([row], t, completeAt(t))) {
      posts.push({ at: new Date(t).toISOString(), feedDates: due.feedDates, offline: due.offline });
      row = { ...row, lastFeedDate: due.feedDates[due.feedDates.length - 1] ?? null };
    }
  }
  return posts;
}

function only(due: DueDigest[]): DueDigest {
  expect(due).toHaveLength(1);
  const [first] = due;
  if (!first) throw new Error('no due digest');
  return first;
}

describe('dueDigests', () => {
  it('is due at the local time, covering yesterday, and not a minute before', () => {
    const digest = aDigest({ lastFeedDate: '2026-08-30' });
    expect(dueDigests([digest], Date.parse('2026-09-01T08:59:00Z'), '2026-08-31')).toEqual([]);
    const due = only(dueDigests([digest], Date.parse('2026-09-01T09:00:00Z'), '2026-08-31'));
    expect(due).toMatchObject({ feedDates: ['2026-08-31'], offline: false, dropped: [] });
  });

  it('posts each feed day once when ticked every minute for days', () => {
    const posts = simulate(aDigest({ lastFeedDate: '2026-08-30' }), '2026-08-31T00:00:00Z', '2026-09-03T23:59:00Z');
    expect(posts).toEqual([
      { at: '2026-09-01T09:00:00.000Z', feedDates: ['2026-08-31'], offline: false },
      { at: '2026-09-02T09:00:00.000Z', feedDates: ['2026-09-01'], offline: false },
      { at: '2026-09-03T09:00:00.000Z', feedDates: ['2026-09-02'], offline: false },
    ]);
  });

  it('posts a day missed while down once, late, as a normal post', () => {
    // Down from 08:00 to 14:00: the 09:00 post happens at the first tick after the restart.
    const digest = aDigest({ lastFeedDate: '2026-08-30' });
    const due = only(dueDigests([digest], Date.parse('2026-09-01T14:00:00Z'), '2026-08-31'));
    expect(due).toMatchObject({ feedDates: ['2026-08-31'], offline: false });
    const after = { ...digest, lastFeedDate: '2026-08-31' };
    expect(dueDigests([after], Date.parse('2026-09-01T14:01:00Z'), '2026-08-31')).toEqual([]);
    expect(dueDigests([after], Date.parse('2026-09-01T23:59:00Z'), '2026-08-31')).toEqual([]);
  });

  it('collapses three missed days into ONE offline post', () => {
    const digest = aDigest({ lastFeedDate: '2026-08-28' });
    const due = only(dueDigests([digest], Date.parse('2026-09-01T10:00:00Z'), '2026-08-31'));
    expect(due).toMatchObject({ feedDates: ['2026-08-29', '2026-08-30', '2026-08-31'], offline: true, dropped: [] });
  });

  it('keeps at most maxDays in the offline post and reports the older days as dropped', () => {
    const digest = aDigest({ lastFeedDate: '2026-08-20' });
    const due = only(dueDigests([digest], Date.parse('2026-09-01T10:00:00Z'), '2026-08-31', { maxDays: 3 }));
    expect(due.feedDates).toEqual(['2026-08-29', '2026-08-30', '2026-08-31']);
    expect(due.dropped).toHaveLength(8);
    expect(due.dropped[0]).toBe('2026-08-21');
  });

  it('waits for the day to be complete (ingested after it ended) before posting it', () => {
    const digest = aDigest({ lastFeedDate: '2026-08-30' });
    expect(dueDigests([digest], Date.parse('2026-09-01T09:00:00Z'), '2026-08-30')).toEqual([]);
    expect(dueDigests([digest], Date.parse('2026-09-01T09:00:00Z'), null)).toEqual([]);
    expect(only(dueDigests([digest], Date.parse('2026-09-01T09:30:00Z'), '2026-08-31')).feedDates).toEqual(['2026-08-31']);
  });

  it('never posts for disabled or paused digests', () => {
    const now = Date.parse('2026-09-01T10:00:00Z');
    expect(dueDigests([aDigest({ enabled: false }), aDigest({ pausedReason: 'channel_gone', pausedAt: 1 })], now, '2026-08-31')).toEqual([]);
  });

  it('posts at 09:00 Berlin time on both sides of the October DST change, once a day', () => {
    // 2026-10-25 03:00 CEST → 02:00 CET. 09:00 local is 07:00Z before and 08:00Z after.
    const posts = simulate(aDigest({ timezone: 'Europe/Berlin', lastFeedDate: '2026-10-22' }), '2026-10-23T00:00:00Z', '2026-10-26T23:59:00Z');
    expect(posts.map((p) => [p.at, p.feedDates.join()])).toEqual([
      ['2026-10-24T07:00:00.000Z', '2026-10-23'],
      ['2026-10-25T08:00:00.000Z', '2026-10-24'],
      ['2026-10-26T08:00:00.000Z', '2026-10-25'],
    ]);
  });

  it('posts a 02:30 Berlin digest once on the night 02:30 happens twice, and at 03:00 when it is skipped', () => {
    const autumn = simulate(aDigest({ timezone: 'Europe/Berlin', time: '02:30', lastFeedDate: '2026-10-23' }), '2026-10-24T12:00:00Z', '2026-10-25T12:00:00Z');
    // 02:30 CEST = 00:30Z is the first 02:30; the second (02:30 CET = 01:30Z) posts nothing.
    expect(autumn).toEqual([{ at: '2026-10-25T00:30:00.000Z', feedDates: ['2026-10-24'], offline: false }]);
    // 2026-03-29: 02:00 CET jumps to 03:00 CEST; 02:30 never shows, the post goes out at 03:00 (01:00Z).
    const spring = simulate(aDigest({ timezone: 'Europe/Berlin', time: '02:30', lastFeedDate: '2026-03-27' }), '2026-03-28T12:00:00Z', '2026-03-29T12:00:00Z');
    expect(spring).toEqual([{ at: '2026-03-29T01:00:00.000Z', feedDates: ['2026-03-28'], offline: false }]);
  });

  it('follows America/New_York across its November DST change', () => {
    // 2026-11-01 02:00 EDT → 01:00 EST. 18:00 local: 22:00Z (EDT), 23:00Z (EST).
    const posts = simulate(aDigest({ timezone: 'America/New_York', time: '18:00', lastFeedDate: '2026-10-29' }), '2026-10-31T00:00:00Z', '2026-11-02T23:59:00Z');
    expect(posts.map((p) => [p.at, p.feedDates.join()])).toEqual([
      ['2026-10-31T22:00:00.000Z', '2026-10-30'],
      ['2026-11-01T23:00:00.000Z', '2026-10-31'],
      ['2026-11-02T23:00:00.000Z', '2026-11-01'],
    ]);
  });

  it('east of UTC, never covers a feed day that is still running in UTC', () => {
    // 09:00 in Auckland (NZST, UTC+12) is 21:00Z the day before: local yesterday is UTC today.
    const now = Date.parse('2026-07-14T21:00:00Z');
    expect(localDateTime(now, 'Pacific/Auckland')).toEqual({ date: '2026-07-15', minutes: 9 * 60 });
    expect(scheduledFeedDay('09:00', 'Pacific/Auckland', now)).toBe('2026-07-13');
    const posts = simulate(aDigest({ timezone: 'Pacific/Auckland', lastFeedDate: '2026-07-12' }), '2026-07-13T00:00:00Z', '2026-07-15T23:59:00Z');
    // Still at 09:00 local every day (21:00Z), each post one feed day further.
    expect(posts.map((p) => [p.at, p.feedDates.join()])).toEqual([
      ['2026-07-14T21:00:00.000Z', '2026-07-13'],
      ['2026-07-15T21:00:00.000Z', '2026-07-14'],
    ]);
  });
});
