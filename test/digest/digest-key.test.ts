import { describe, expect, it } from 'vitest';
import { feedDatesOfKey, lastFeedDayOfKey } from '../../src/digest/enqueue-digest.ts';

// `digest show` says "Last day posted" from the outbox key of the last post: a collapsed "while I
// was offline" post covers several days and ends with the last of them.
describe('lastFeedDayOfKey', () => {
  it('reads the day of a one-day post and the last day of a collapsed one', () => {
    expect(lastFeedDayOfKey('digest:discord:123:2026-09-01')).toBe('2026-09-01');
    expect(lastFeedDayOfKey('digest:slack:T1/C2:2026-08-28..2026-09-01')).toBe('2026-09-01');
  });

  it('is undefined for keys of another shape', () => {
    expect(lastFeedDayOfKey('alert:discord:123:42')).toBeUndefined();
    expect(lastFeedDayOfKey('digest:discord:123:2026-09-01..')).toBeUndefined();
  });
});

// Follow-ups go only to posts whose every feed day a regular ingest stored (src/followups/).
describe('feedDatesOfKey', () => {
  it('reads every feed day a key covers', () => {
    expect(feedDatesOfKey('digest:discord:1:2026-09-01')).toEqual(['2026-09-01']);
    expect(feedDatesOfKey('digest:slack:C1:2026-08-30..2026-09-01')).toEqual(['2026-08-30', '2026-08-31', '2026-09-01']);
  });

  it('is empty for keys of another shape', () => {
    expect(feedDatesOfKey('alert:slack:U1:4')).toEqual([]);
    expect(feedDatesOfKey('digest:discord:123:arxiv-2026-09-01')).toEqual([]);
  });
});
