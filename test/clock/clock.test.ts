import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, fixedClock, isFeedDate } from '../../src/clock.ts';

describe('feed days', () => {
  it('accepts real dates and rejects the rest without throwing', () => {
    expect(isFeedDate('2026-09-01')).toBe(true);
    expect(isFeedDate('2024-02-29')).toBe(true);
    for (const bad of ['2026-13-01', '2026-02-30', '2025-02-29', '2026-9-1', '', 'yesterday', '2026-09-01T00:00']) {
      expect(isFeedDate(bad)).toBe(false);
    }
  });

  it('adds days across months and lists inclusive ranges', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(daysBetween('2026-08-30', '2026-09-02')).toEqual(['2026-08-30', '2026-08-31', '2026-09-01', '2026-09-02']);
    expect(daysBetween('2026-09-02', '2026-09-01')).toEqual([]);
  });

  it('moves a fixed clock only by hand', () => {
    const clock = fixedClock('2026-09-01T23:59:00Z');
    expect(clock.today()).toBe('2026-09-01');
    clock.advance(60_000);
    expect(clock.today()).toBe('2026-09-02');
  });
});
