import { describe, expect, it } from 'vitest';
import { announcementDateOf, isAnnouncementDate, scheduleText } from '../../src/arxiv/schedule.ts';
import { zonedInstant } from '../../src/digest/local-time.ts';

// arXiv announces Sunday to Thursday at 20:00 New York time. In 2026 New York moves to EDT on
// Sun 8 March and back to EST on Sun 1 November; 20:00 ET is 00:00 UTC in summer, 01:00 in winter.

const noonInNewYork = (date: string) => zonedInstant(date, 12 * 60, 'America/New_York');
const closed = 'arXiv does not announce on Fridays and Saturdays; ';

describe('scheduleText, every day of the week across the spring DST change', () => {
  const week: Array<[string, string]> = [
    ['2026-03-04', 'next arXiv announcement: Wed 20:00 ET (Thu 01:00 UTC)'],
    ['2026-03-05', 'next arXiv announcement: Thu 20:00 ET (Fri 01:00 UTC)'],
    // Friday in EST, the next announcement already in EDT.
    ['2026-03-06', `${closed}next arXiv announcement: Sun 20:00 ET (Mon 00:00 UTC)`],
    ['2026-03-07', `${closed}next arXiv announcement: Sun 20:00 ET (Mon 00:00 UTC)`],
    ['2026-03-08', 'next arXiv announcement: Sun 20:00 ET (Mon 00:00 UTC)'],
    ['2026-03-09', 'next arXiv announcement: Mon 20:00 ET (Tue 00:00 UTC)'],
    ['2026-03-10', 'next arXiv announcement: Tue 20:00 ET (Wed 00:00 UTC)'],
  ];
  it.each(week)('at noon in New York on %s', (date, text) => {
    expect(scheduleText(noonInNewYork(date))).toBe(text);
  });
});

describe('scheduleText, every day of the week across the autumn DST change', () => {
  const week: Array<[string, string]> = [
    ['2026-10-28', 'next arXiv announcement: Wed 20:00 ET (Thu 00:00 UTC)'],
    ['2026-10-29', 'next arXiv announcement: Thu 20:00 ET (Fri 00:00 UTC)'],
    ['2026-10-30', `${closed}next arXiv announcement: Sun 20:00 ET (Mon 01:00 UTC)`],
    ['2026-10-31', `${closed}next arXiv announcement: Sun 20:00 ET (Mon 01:00 UTC)`],
    ['2026-11-01', 'next arXiv announcement: Sun 20:00 ET (Mon 01:00 UTC)'],
    ['2026-11-02', 'next arXiv announcement: Mon 20:00 ET (Tue 01:00 UTC)'],
    ['2026-11-03', 'next arXiv announcement: Tue 20:00 ET (Wed 01:00 UTC)'],
  ];
  it.each(week)('at noon in New York on %s', (date, text) => {
    expect(scheduleText(noonInNewYork(date))).toBe(text);
  });
});

describe('the schedule reads New York time, not UTC', () => {
  it('Thursday 22:00 in New York is already Friday in UTC, but still Thursday for arXiv', () => {
    const now = Date.parse('2026-03-06T03:00:00Z');
    expect(announcementDateOf(now)).toBe('2026-03-05');
    expect(scheduleText(now)).toBe('next arXiv announcement: Sun 20:00 ET (Mon 00:00 UTC)');
  });

  it('Saturday 23:30 in New York (Sunday in UTC) still says arXiv does not announce', () => {
    expect(scheduleText(Date.parse('2026-11-01T03:30:00Z'))).toBe(`${closed}next arXiv announcement: Sun 20:00 ET (Mon 01:00 UTC)`);
  });

  it('the announcement at 20:00 itself is past: the next one follows', () => {
    const thursdayEight = zonedInstant('2026-03-05', 20 * 60, 'America/New_York');
    expect(scheduleText(thursdayEight - 60_000)).toBe('next arXiv announcement: Thu 20:00 ET (Fri 01:00 UTC)');
    // Friday and Saturday have none; Sunday's is already in daylight saving time.
    expect(scheduleText(thursdayEight)).toBe('next arXiv announcement: Sun 20:00 ET (Mon 00:00 UTC)');
  });

  it('feeds dated Monday to Friday carry announcements; Saturday and Sunday ones do not', () => {
    expect(['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08'].map(isAnnouncementDate)).toEqual([
      true, true, true, true, true, false, false,
    ]);
  });
});
