import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/clock.ts';
import { nextPost } from '../../src/digest/next-post.ts';
import { scheduledFeedDay } from '../../src/digest/local-time.ts';

// "Next post" must name the very minute the due rule (scheduledFeedDay, read every minute) moves
// on to a new feed day, also on DST nights: a skipped local time (02:30 on a spring-forward night)
// posts at the end of the gap, a repeated one at its first occurrence.

const minute = 60_000;

/** The first minute after `from` at which the due rule names a feed day after `posted` (searched minute by minute). */
function firstDueMinute(time: string, timezone: string, from: number, posted: string): number {
  for (let at = from + minute; at < from + 3 * 24 * 60 * minute; at += minute) {
    if (scheduledFeedDay(time, timezone, at) > posted) return at;
  }
  throw new Error('no change within three days');
}

const nights: Array<[zone: string, day: string, what: string]> = [
  ['Europe/Berlin', '2026-03-29', 'spring forward 02:00 → 03:00'],
  ['Europe/Berlin', '2026-10-25', 'fall back 03:00 → 02:00'],
  ['America/New_York', '2026-03-08', 'spring forward 02:00 → 03:00'],
  ['America/New_York', '2026-11-01', 'fall back 02:00 → 01:00'],
  ['Australia/Lord_Howe', '2026-10-04', 'spring forward by half an hour'],
  ['Australia/Lord_Howe', '2026-04-05', 'fall back by half an hour'],
  ['Pacific/Auckland', '2026-09-27', 'spring forward 02:00 → 03:00'],
];
const times = ['00:00', '01:30', '01:45', '02:00', '02:15', '02:30', '02:59', '03:00', '09:00', '23:30'];

describe('nextPost on DST nights', () => {
  it.each(nights)('%s %s (%s): the announced minute is the minute the digest becomes due', (zone, day, _what) => {
    for (const time of times) {
      // From noon UTC two days before, with the previous day already posted.
      const from = Date.parse(`${addDays(day, -2)}T12:00:00Z`);
      for (let step = 0, now = from; step < 3; step += 1) {
        const lastFeedDate = scheduledFeedDay(time, zone, now);
        const next = nextPost({ time, timezone: zone, lastFeedDate }, now);
        const at = new Date(now).toISOString();
        expect(next.due, `${zone} ${time} from ${at}`).toBe(false);
        if (next.due) return;
        const due = firstDueMinute(time, zone, now, lastFeedDate);
        expect(new Date(next.at).toISOString(), `${zone} ${time} from ${at}`).toBe(new Date(due).toISOString());
        expect(next.feedDay).toBe(scheduledFeedDay(time, zone, due));
        now = due;
      }
    }
  });

  it('announces a skipped 02:30 in Berlin for 03:00 local, when it is posted', () => {
    const next = nextPost({ time: '02:30', timezone: 'Europe/Berlin', lastFeedDate: '2026-03-27' }, Date.parse('2026-03-28T12:00:00Z'));
    expect(next).toEqual({ due: false, at: Date.parse('2026-03-29T01:00:00Z'), feedDay: '2026-03-28' });
  });
});
