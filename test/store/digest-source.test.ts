import { describe, expect, it } from 'vitest';
import { lastFeedDayOfKey } from '../../src/digest/enqueue-digest.ts';
import { textMessage } from '../../src/messages/message.ts';
import type { DigestWrite, NewDelivery } from '../../src/store/store.ts';
import { backends, storePerTest } from '../support/both-backends.ts';

// The store's part of arXiv digests on both backends: the `source` column (default hf, kept when
// not patched) and the announcement watermark moved with the outbox row, forward only.

const T0 = Date.parse('2026-09-01T08:00:00Z');
const write = (patch: DigestWrite['patch'] = {}): DigestWrite => ({
  channel: { platform: 'slack', id: 'C1' },
  userId: 'admin',
  patch,
  defaults: { time: '09:00', timezone: 'UTC', top: 5, minUpvotes: 0, query: '', postWhenEmpty: false },
  startFeedDay: () => '2026-08-30',
  postedFeedDay: lastFeedDayOfKey,
  now: T0,
});
const post = (key: string): NewDelivery => ({ platform: 'slack', targetKind: 'channel', targetId: 'C1', kind: 'digest', idempotencyKey: `digest:slack:C1:${key}`, message: textMessage(key), now: T0 });

describe.each(backends)('digest source and announcement watermark on $name', (backend) => {
  const store = storePerTest(backend);

  it('defaults to hf, saves a source, and keeps it when another option changes', async () => {
    expect(await store().saveDigest(write())).toMatchObject({ source: 'hf', lastAnnouncement: null });
    expect(await store().saveDigest(write({ source: 'arxiv' }))).toMatchObject({ source: 'arxiv' });
    expect(await store().saveDigest(write({ top: 3 }))).toMatchObject({ source: 'arxiv', top: 3 });
  });

  it('moves the announcement with the slot in one unit, never back, and not at all when the slot was taken', async () => {
    await store().saveDigest(write({ source: 'arxiv' }));
    expect(await store().enqueueDigest(post('arxiv-2026-09-01'), '2026-08-31', '2026-09-01')).toBe(true);
    expect(await store().getDigest('slack', 'C1')).toMatchObject({ lastFeedDate: '2026-08-31', lastAnnouncement: '2026-09-01' });
    // The same slot again (a second tick, another replica): nothing queued, nothing moved.
    expect(await store().enqueueDigest(post('arxiv-2026-09-02'), '2026-08-31', '2026-09-02')).toBe(false);
    expect(await store().getDigest('slack', 'C1')).toMatchObject({ lastAnnouncement: '2026-09-01' });
    // A later slot naming an older announcement leaves the watermark where it is.
    expect(await store().enqueueDigest(post('arxiv-2026-08-28'), '2026-09-01', '2026-08-28')).toBe(true);
    expect(await store().getDigest('slack', 'C1')).toMatchObject({ lastFeedDate: '2026-09-01', lastAnnouncement: '2026-09-01' });
    // A slot without an announcement leaves it too.
    expect(await store().enqueueDigest({ ...post('arxiv-none-2026-09-02'), state: 'skipped' }, '2026-09-02')).toBe(true);
    expect(await store().getDigest('slack', 'C1')).toMatchObject({ lastFeedDate: '2026-09-02', lastAnnouncement: '2026-09-01' });
    expect((await store().recentDigestDeliveries('slack', 'C1', 10)).map((row) => row.idempotencyKey)).toEqual([
      'digest:slack:C1:arxiv-none-2026-09-02',
      'digest:slack:C1:arxiv-2026-08-28',
      'digest:slack:C1:arxiv-2026-09-01',
    ]);
  });
});
