import { describe, expect, it } from 'vitest';
import { dispatchCommand } from '../../commands/dispatch.ts';
import { setDigest } from '../../src/digest/set-digest.ts';
import { parseStoredMessage } from '../../src/messages/stored-message.ts';
import { createScheduler } from '../../src/scheduler.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';
import { aPaper } from '../support/builders.ts';
import { createRecordingSender } from '../support/recording-sender.ts';
import { testDeps, type TestDeps } from '../support/test-deps.ts';

// The operator empties ARXIV_CATEGORIES after channels set `source=arxiv` or `all`: an announcement
// stored before (recent enough to post) is then neither posted nor previewed, as `digest show`
// says ("off on this server … nothing from arXiv is posted"). 2026-09-01 is a Tuesday.

const arxivChannel = { platform: 'discord', id: 'C-arxiv' } as const;
const allChannel = { platform: 'discord', id: 'C-all' } as const;

/** Two digests set and one announcement stored while the source was on; the same store, source off. */
async function setUpThenTurnOff(): Promise<{ store: Store; off: TestDeps }> {
  const store = openSqliteStore(':memory:');
  const on = testDeps({ store, now: '2026-09-01T05:00:00Z', env: { ARXIV_CATEGORIES: 'cs.CL' } });
  await setDigest(on, arxivChannel, 'U-admin', { time: '09:00', timezone: 'UTC', source: 'arxiv', post_when_empty: true });
  await setDigest(on, allChannel, 'U-admin', { time: '09:00', timezone: 'UTC', source: 'all' });
  const runId = await store.startIngestRun('2026-08-31', 'cron', Date.parse('2026-09-01T00:30:00Z'));
  await store.finishIngestRun({ runId, feedDate: '2026-08-31', papers: [aPaper({ arxivId: '2608.00001', title: 'Daily one', upvotes: 7 })], skipped: 0, silent: false, now: Date.parse('2026-09-01T00:31:00Z') });
  await store.storeArxivAnnouncement({
    announcement: '2026-09-01',
    categories: 'cs.cl',
    items: [{ arxivId: '2609.00001', version: 1, title: 'Announced before the source went off', abstract: 'We study.', authors: ['Ada'], categories: ['cs.CL'], publishedAt: null, announceType: 'new' }],
    skipped: 0,
    warning: null,
    trigger: 'cron',
    now: Date.parse('2026-09-01T06:00:00Z'),
  });
  return { store, off: testDeps({ store, now: '2026-09-01T08:00:00Z', env: { ARXIV_CATEGORIES: '' } }) };
}

describe('digests of the arXiv source once it is off', () => {
  it('post nothing from arXiv: the all digest posts the feed day alone, the arXiv digest records a skip (even with post_when_empty)', async () => {
    const { store, off } = await setUpThenTurnOff();
    const scheduler = createScheduler(off, { senders: [createRecordingSender('discord')], platforms: ['discord'] });
    expect(await scheduler.tickDigests(Date.parse('2026-09-01T09:00:00Z'))).toBe(2);

    const all = (await store.recentDigestDeliveries('discord', 'C-all', 10)).map((row) => parseStoredMessage(row.payload));
    expect(all.map((post) => post.papers.map((card) => card.title))).toEqual([['Daily one']]);
    expect(all[0]?.title).toBe('Daily papers — Mon 31 Aug 2026');
    expect((await store.getDigest('discord', 'C-all'))?.lastAnnouncement).toBeNull();

    const arxiv = await store.recentDigestDeliveries('discord', 'C-arxiv', 10);
    expect(arxiv.map((row) => [row.idempotencyKey, row.state])).toEqual([['digest:discord:C-arxiv:arxiv-none-2026-08-31', 'skipped']]);
    expect((await store.getDigest('discord', 'C-arxiv'))?.lastAnnouncement).toBeNull();
  });

  it('preview nothing from arXiv either', async () => {
    const { off } = await setUpThenTurnOff();
    const preview = (channel: typeof arxivChannel | typeof allChannel) =>
      dispatchCommand(off, { name: 'digest preview', rawOptions: {}, user: { platform: 'discord', id: 'U-admin' }, channel: { ...channel, isDm: false }, isAdmin: true });

    const arxiv = await preview(arxivChannel);
    expect(arxiv.papers).toEqual([]);
    expect(arxiv.text).toMatch(/The arXiv source is off on this server \(ARXIV_CATEGORIES is empty\): an arXiv digest has nothing to post\.$/);

    const all = await preview(allChannel);
    expect(all.papers.map((card) => card.title)).toEqual(['Daily one']);
    expect(all.text).not.toMatch(/With arXiv's latest announcement/);
    expect(all.text).toMatch(/The digest would post 1 of the 1 papers? of Mon 31 Aug 2026/);
  });
});
