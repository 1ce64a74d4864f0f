import { describe, expect, it } from 'vitest';
import { textMessage } from '../../src/messages/message.ts';
import type { FollowupItem, FollowupWrite, Store } from '../../src/store/store.ts';
import { backends, storePerTest } from '../support/both-backends.ts';
import { aPaper } from '../support/builders.ts';

const T0 = Date.parse('2026-09-02T10:00:00Z');
const HOUR = 3_600_000;
const KEY = 'digest:discord:C1:2026-09-01';

/** Stores two papers and a sent digest post (message id M1); returns the paper ids. */
async function seed(store: Store): Promise<number[]> {
  const { inserted } = await store.upsertPapers('2026-09-01', [aPaper(), aPaper()], T0);
  const digest = await store.enqueue({ platform: 'discord', targetKind: 'channel', targetId: 'C1', kind: 'digest', idempotencyKey: KEY, message: textMessage('digest'), now: T0 });
  await store.markSent(digest.id, 'M1', T0 + 60_000);
  return inserted;
}

function write(store: Store, digestMessageId: string | null, items: FollowupItem[], now: number, baseline: FollowupItem[] = []): FollowupWrite {
  return {
    digest: { platform: 'discord', targetId: 'C1', idempotencyKey: KEY, messageId: digestMessageId },
    threadName: 'Papers of Tue 1 Sep 2026 · follow-ups',
    items,
    baseline,
    message: (fresh) => textMessage(fresh.map((item) => `${item.paperId}:${item.item}`).join(',')),
    quietSince: now - 6 * HOUR,
    now,
  };
}

describe.each(backends)('follow-ups on $name', (backend) => {
  const store = storePerTest(backend);

  it('lists sent digest posts in the window with what their threads were told; queues each item once, per interval', async () => {
    const [a = 0, b = 0] = await seed(store());
    expect(await store().followupThreads('discord', 'C1', T0 + 2 * 60_000)).toEqual([]);
    const [thread] = await store().followupThreads('discord', 'C1', T0);
    expect(thread).toMatchObject({ digest: { idempotencyKey: KEY, messageId: 'M1' }, lastFollowupAt: null, told: [] });

    // A baseline alone queues nothing and does not start the interval.
    const baselineOnly = await store().recordFollowup(write(store(), 'M1', [], T0 + HOUR, [{ paperId: b, item: 'models:org/x' }]));
    expect(baselineOnly).toEqual({ deliveryId: null, items: 0 });

    const first = await store().recordFollowup(write(store(), 'M1', [{ paperId: a, item: 'rank' }, { paperId: b, item: 'models:org/x' }, { paperId: b, item: 'github' }], T0 + 7 * HOUR));
    expect(first.items).toBe(2);
    const row = await store().getDelivery(first.deliveryId ?? -1);
    expect(row).toMatchObject({ kind: 'followup', idempotencyKey: 'followup:discord:C1:2026-09-01:1', replyTo: 'M1', threadName: 'Papers of Tue 1 Sep 2026 · follow-ups', state: 'pending' });
    expect(JSON.parse(row?.payload ?? '{}')).toMatchObject({ text: `${a}:rank,${b}:github` });

    // Within the interval: nothing, even with news.
    expect(await store().recordFollowup(write(store(), 'M1', [{ paperId: b, item: 'project' }], T0 + 8 * HOUR))).toEqual({ deliveryId: null, items: 0 });
    // After it: only what was not told; numbered 2.
    const second = await store().recordFollowup(write(store(), 'M1', [{ paperId: a, item: 'rank' }, { paperId: b, item: 'project' }], T0 + 14 * HOUR));
    expect(second.items).toBe(1);
    expect((await store().getDelivery(second.deliveryId ?? -1))?.idempotencyKey).toBe('followup:discord:C1:2026-09-01:2');
    // Everything told: nothing queued.
    expect(await store().recordFollowup(write(store(), 'M1', [{ paperId: a, item: 'rank' }], T0 + 30 * HOUR))).toEqual({ deliveryId: null, items: 0 });

    const [after] = await store().followupThreads('discord', 'C1', T0);
    expect(after?.lastFollowupAt).toBe(T0 + 14 * HOUR);
    expect(after?.told.map((item) => `${item.paperId}:${item.item}`).sort()).toEqual([`${a}:rank`, `${b}:github`, `${b}:models:org/x`, `${b}:project`].sort());
  });

  it('tells apart days a regular ingest stored from days only a backfill stored', async () => {
    const backfill = await store().startIngestRun('2026-08-01', 'backfill', T0);
    await store().finishIngestRun({ runId: backfill, feedDate: '2026-08-01', papers: [aPaper()], skipped: 0, silent: true, now: T0 });
    const regular = await store().startIngestRun('2026-09-01', 'cron', T0);
    await store().finishIngestRun({ runId: regular, feedDate: '2026-09-01', papers: [aPaper()], skipped: 0, silent: false, now: T0 });
    const failed = await store().startIngestRun('2026-09-02', 'cron', T0);
    await store().failIngestRun(failed, 'boom', T0);
    expect(await store().regularlyIngestedDays(['2026-08-01', '2026-09-01', '2026-09-02'])).toEqual(new Set(['2026-09-01']));
    expect(await store().regularlyIngestedDays([])).toEqual(new Set());
  });
});
