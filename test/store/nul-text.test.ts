import { describe, expect, it } from 'vitest';
import { lastFeedDayOfKey } from '../../src/digest/enqueue-digest.ts';
import { textMessage } from '../../src/messages/message.ts';
import type { DigestWrite } from '../../src/store/store.ts';
import { aPaper } from '../support/builders.ts';
import { backends, storePerTest } from '../support/both-backends.ts';

// A NUL character (U+0000) can reach the store in free text: a query a user types, an error a
// platform returns, a paper's text. SQLite stores it; PostgreSQL's text type cannot hold it and
// refused the whole statement (src/store/postgres/pg-text.ts). Every method that writes free text
// accepts it on both backends and stores the rest of the text. (Ids and keys are the platforms'
// and ours, never free text.)

const NUL = '\u0000';
const visible = (text: string | null | undefined) => text?.replaceAll(NUL, '');
const user = { platform: 'discord', id: 'U1' };
const defaults: DigestWrite['defaults'] = { time: '09:00', timezone: 'UTC', top: 5, minUpvotes: 0, query: '', postWhenEmpty: false };

describe.each(backends)('text with a NUL character on $name', (backend) => {
  const store = storePerTest(backend);

  it('digests: the query', async () => {
    const channel = { platform: 'discord', id: 'C1', workspaceId: 'G1' };
    const row = await store().saveDigest({ channel, userId: 'admin', patch: { query: `diffusion${NUL}` }, defaults, startFeedDay: () => '2026-08-31', postedFeedDay: lastFeedDayOfKey, now: 1 });
    expect(visible(row.query)).toBe('diffusion');
  });

  it('watches: the query and its key', async () => {
    const inserted = await store().insertWatch(user, { query: `a${NUL}b`, queryKey: `a${NUL}b` }, 5, 1);
    expect(inserted.ok).toBe(true);
    expect((await store().listWatches(user)).map((w) => visible(w.query))).toEqual(['ab']);
  });

  it('ingest runs, outbox errors and message payloads', async () => {
    const run = await store().startIngestRun('2026-09-01', 'cron', 1);
    await store().failIngestRun(run, `HTTP 500: ${NUL}`, 2);
    expect(visible((await store().lastFailedIngest())?.error)).toBe('HTTP 500: ');
    const { id } = await store().enqueue({ platform: 'discord', targetKind: 'user', targetId: 'U1', kind: 'alert', idempotencyKey: 'k1', message: textMessage(`hi${NUL}`), now: 0 });
    await store().reschedule(id, 5, `timeout${NUL}`);
    expect(visible((await store().getDelivery(id))?.lastError)).toBe('timeout');
    await store().markFailed(id, `gone${NUL}`);
    expect(visible((await store().getDelivery(id))?.lastError)).toBe('gone');
    const other = await store().enqueue({ platform: 'discord', targetKind: 'channel', targetId: 'C2', kind: 'digest', idempotencyKey: 'k2', message: textMessage('x'), now: 0 });
    expect(await store().failPendingForTarget({ platform: 'discord', targetKind: 'channel', targetId: 'C2' }, `Missing${NUL}`)).toBe(1);
    expect(visible((await store().getDelivery(other.id))?.lastError)).toBe('Missing');
  });

  it('meta values, page cursor options and rate-limit routes', async () => {
    await store().setMeta('k', `v${NUL}`, 1);
    expect(visible(await store().getMeta('k'))).toBe('v');
    const cursor = await store().savePageCursor({ platform: 'discord', userId: user.id, command: 'search', options: { query: `x${NUL}y` } }, 1);
    expect(visible(String((await store().loadPageCursor(cursor))?.options.query))).toBe('xy');
    await store().recordRateLimitWait({ source: 'discord', route: `/r${NUL}`, waitMs: 5, at: 1 });
    expect((await store().recentRateLimitWaits(0)).map((w) => visible(w.route))).toEqual(['/r']);
  });

  it('papers: every text field, new and refreshed', async () => {
    const { inserted } = await store().upsertPapers('2026-09-01', [aPaper({ title: `Null${NUL} bytes`, abstract: `x${NUL}`, authors: [`Ann${NUL}`], aiSummary: NUL })], 1);
    expect(inserted).toHaveLength(1);
    const [row] = await store().getPapersByIds(inserted);
    expect(visible(row?.title)).toBe('Null bytes');
    expect(JSON.parse(row?.authors ?? '[]')).toEqual([`Ann${NUL}`]);
    expect(await store().upsertPapers('2026-09-02', [aPaper({ arxivId: row?.arxivId, title: `Null${NUL} again` })], 2)).toEqual({ inserted: [], updated: 1 });
  });
});
