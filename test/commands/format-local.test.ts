import { describe, expect, it } from 'vitest';
import { formatDuration, formatLocal } from '../../commands/format-local.ts';
import { nextDigestAt } from '../../src/digest/local-time.ts';

describe('nextDigestAt', () => {
  it('is later today when the local time has not come yet', () => {
    // 06:00 UTC = 08:00 in Berlin (CEST, UTC+2)
    const next = nextDigestAt('09:00', 'Europe/Berlin', Date.parse('2026-09-01T06:00:00Z'));
    expect(new Date(next).toISOString()).toBe('2026-09-01T07:00:00.000Z');
  });

  it('is tomorrow once today’s time has passed', () => {
    const next = nextDigestAt('09:00', 'Europe/Berlin', Date.parse('2026-09-01T07:00:00Z'));
    expect(new Date(next).toISOString()).toBe('2026-09-02T07:00:00.000Z');
  });

  it('follows the zone across a DST change (Berlin goes back to UTC+1 on 2026-10-25)', () => {
    const next = nextDigestAt('09:00', 'Europe/Berlin', Date.parse('2026-10-24T08:00:00Z'));
    expect(new Date(next).toISOString()).toBe('2026-10-25T08:00:00.000Z');
  });

  it('handles zones west of UTC and the local date being a day behind', () => {
    // 02:00 UTC on Sep 2 is 19:00 on Sep 1 in Los Angeles (UTC-7)
    const next = nextDigestAt('20:30', 'America/Los_Angeles', Date.parse('2026-09-02T02:00:00Z'));
    expect(new Date(next).toISOString()).toBe('2026-09-02T03:30:00.000Z');
  });
});

describe('formatLocal / formatDuration', () => {
  it('shows the local wall time, the zone and how far away it is', () => {
    const now = Date.parse('2026-09-01T06:00:00Z');
    expect(formatLocal(Date.parse('2026-09-01T07:00:00Z'), 'Europe/Berlin', now)).toBe('2026-09-01 09:00 GMT+2 (in 1 h)');
  });

  it('says ago for the past', () => {
    expect(formatDuration(-90 * 60_000)).toBe('1 h 30 min ago');
    expect(formatDuration(30_000)).toBe('in 30 s');
    expect(formatDuration(3 * 24 * 3_600_000)).toBe('in 3 days');
  });
});
