import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArxivGate } from '../../src/arxiv/polite-client.ts';
import { setDigest } from '../../src/digest/set-digest.ts';
import type { DigestOptions } from '../../src/digest/digest-options.ts';
import type { Message } from '../../src/messages/message.ts';
import { parseStoredMessage } from '../../src/messages/stored-message.ts';
import { createScheduler } from '../../src/scheduler.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';
import { backends, storePerTest } from '../support/both-backends.ts';
import { aPaper } from '../support/builders.ts';
import { startFakeArxiv, type FakeArxiv, type RssItemSpec } from '../support/fake-arxiv.ts';
import { createRecordingSender } from '../support/recording-sender.ts';
import { createTempStoreFile } from '../support/test-db.ts';
import { testDeps, type AnyStoreTestDeps } from '../support/test-deps.ts';

// `digest set source=arxiv|all` through the real store (both backends), the fake arXiv's RSS, the
// poll and the scheduler's digest tick: what is posted, ranked how, and exactly once per announcement.
// 2026-09-01 is a Tuesday; the digests post at 09:00 UTC.

let arxiv: FakeArxiv;
beforeAll(async () => {
  arxiv = await startFakeArxiv();
});
afterAll(() => arxiv.close());

const channel = { platform: 'discord', id: 'C1' } as const;
const admin = 'U-admin';

function depsFor(store: Store, now: string, categories = 'cs.CL,cs.LG'): AnyStoreTestDeps {
  return testDeps({ store, now, env: { ARXIV_CATEGORIES: categories, ARXIV_RSS_URL: arxiv.rssUrl } });
}

function schedulerFor(deps: AnyStoreTestDeps) {
  return createScheduler(deps, { senders: [createRecordingSender('discord')], platforms: ['discord'], arxiv: { gate: createArxivGate({ spacingMs: 1 }) } });
}

/** Polls the fake arXiv, which lists `items` as the announcement of `date`, at `at`. */
async function announce(deps: AnyStoreTestDeps, at: string, date: string, items: RssItemSpec[]): Promise<void> {
  deps.clock.set(at);
  arxiv.setFeed({ date, items });
  expect((await schedulerFor(deps).runArxivNow()).status).toBe('ok');
}

/** A Hugging Face feed day, complete (ingested by a run that started after it ended). */
async function dailyPapers(store: Store, feedDate: string, papers: Array<{ arxivId: string; title?: string; upvotes: number }>): Promise<void> {
  const after = Date.parse(`${feedDate}T00:00:00Z`) + 86_400_000 + 30 * 60_000;
  const runId = await store.startIngestRun(feedDate, 'cron', after);
  await store.finishIngestRun({ runId, feedDate, papers: papers.map((paper) => aPaper(paper)), skipped: 0, silent: false, now: after + 1_000 });
}

async function posts(store: Store): Promise<Array<{ key: string; state: string; message: Message }>> {
  const rows = await store.recentDigestDeliveries('discord', 'C1', 50);
  return rows.reverse().map((row) => ({ key: row.idempotencyKey, state: row.state, message: parseStoredMessage(row.payload) }));
}

const item = (id: string, type: RssItemSpec['type'], title: string, categories = ['cs.CL'], abstract = 'We study a problem.'): RssItemSpec => ({ id, type, title, categories, abstract });

describe.each(backends)('arXiv digests ($name)', (backend) => {
  const store = storePerTest(backend);

  async function digest(deps: AnyStoreTestDeps, options: DigestOptions): Promise<void> {
    await setDigest(deps, channel, admin, { time: '09:00', timezone: 'UTC', ...options });
  }

  it("posts the announcement's top N (upvotes when known, else listing order) with …and N more, once, never a replacement", async () => {
    const deps = depsFor(store(), '2026-09-01T05:00:00Z');
    // Two of the papers are known from Daily Papers: B with 10 upvotes, R (replaced today) with 50.
    await dailyPapers(store(), '2026-08-31', [
      { arxivId: '2608.00002', title: 'B on Daily Papers', upvotes: 10 },
      { arxivId: '2608.00009', title: 'R on Daily Papers', upvotes: 50 },
    ]);
    await digest(deps, { top: 2, source: 'arxiv' });
    await announce(deps, '2026-09-01T06:00:00Z', '2026-09-01', [
      item('2609.00001', 'new', 'A first'),
      item('2608.00002', 'new', 'B second', ['cs.LG']),
      item('2609.00003', 'cross', 'C cross-listed', ['cs.AI', 'cs.CL']),
      item('2608.00009', 'replace', 'R revised'),
      item('2609.00004', 'new', 'D fourth'),
    ]);
    // History from the API backfill is never an announcement.
    await store().storeArxivBackfillPage({
      category: 'cs.CL',
      day: '2026-08-31',
      papers: [{ arxivId: '2608.07777', version: 1, title: 'Backfilled', abstract: 'Old.', authors: ['Ada'], categories: ['cs.CL'], publishedAt: null }],
      dayDone: true,
      now: Date.parse('2026-09-01T06:30:00Z'),
    });
    const s = schedulerFor(deps);
    expect(await s.tickDigests(Date.parse('2026-09-01T08:59:00Z'))).toBe(0);
    expect(await s.tickDigests(Date.parse('2026-09-01T09:00:00Z'))).toBe(1);
    for (const at of ['2026-09-01T09:01:00Z', '2026-09-01T15:00:00Z', '2026-09-02T08:59:00Z']) expect(await s.tickDigests(Date.parse(at))).toBe(0);
    // A restart: a new scheduler over the same database finds nothing due.
    expect(await schedulerFor(depsFor(store(), '2026-09-01T09:30:00Z')).tickDigests(Date.parse('2026-09-01T09:30:00Z'))).toBe(0);

    const [post, ...rest] = await posts(store());
    expect(rest).toEqual([]);
    expect(post?.key).toBe('digest:discord:C1:arxiv-2026-09-01');
    expect(post?.state).toBe('pending');
    expect(post?.message.title).toBe('New on arXiv — Tue 1 Sep 2026');
    expect(post?.message.text).toBe('Top 2 of 4 new and cross-listed papers.');
    expect(post?.message.papers.map((card) => card.id)).toEqual(['2608.00002', '2609.00001']);
    expect(post?.message.more).toEqual({ count: 2, url: 'https://arxiv.org/list/cs.CL/new' });
    expect((await store().getDigest('discord', 'C1'))?.lastAnnouncement).toBe('2026-09-01');
  });

  it('posts each announcement once at the next scheduled time; a time without one stays quiet (a skipped row)', async () => {
    const deps = depsFor(store(), '2026-09-01T05:00:00Z');
    await digest(deps, { top: 3, source: 'arxiv' });
    await announce(deps, '2026-09-01T06:00:00Z', '2026-09-01', [item('2609.00001', 'new', 'Tuesday paper')]);
    const s = schedulerFor(deps);
    expect(await s.tickDigests(Date.parse('2026-09-01T09:00:00Z'))).toBe(1);
    // Wednesday's announcement reaches the RSS after Wednesday's post time: Thursday posts it.
    expect(await s.tickDigests(Date.parse('2026-09-02T09:00:00Z'))).toBe(1);
    await announce(deps, '2026-09-02T10:00:00Z', '2026-09-02', [item('2609.00002', 'new', 'Wednesday paper')]);
    expect(await s.tickDigests(Date.parse('2026-09-02T10:01:00Z'))).toBe(0);
    expect(await s.tickDigests(Date.parse('2026-09-03T09:00:00Z'))).toBe(1);
    expect(await s.tickDigests(Date.parse('2026-09-03T09:05:00Z'))).toBe(0);
    expect((await posts(store())).map((post) => [post.key, post.state, post.message.papers.map((card) => card.title)])).toEqual([
      ['digest:discord:C1:arxiv-2026-09-01', 'pending', ['Tuesday paper']],
      ['digest:discord:C1:arxiv-none-2026-09-01', 'skipped', []],
      ['digest:discord:C1:arxiv-2026-09-02', 'pending', ['Wednesday paper']],
    ]);
  });

  it('posts nothing on the weekend, or a short note with post_when_empty; Monday brings the next announcement', async () => {
    const deps = depsFor(store(), '2026-09-04T05:00:00Z');
    await digest(deps, { source: 'arxiv' });
    await announce(deps, '2026-09-04T06:00:00Z', '2026-09-04', [item('2609.00040', 'new', 'Friday paper')]);
    const s = schedulerFor(deps);
    expect(await s.tickDigests(Date.parse('2026-09-04T09:00:00Z'))).toBe(1);
    // Friday's and Saturday's evenings announce nothing: the feed still lists Friday's announcement.
    arxiv.setFeed({ date: '2026-09-04', items: [item('2609.00040', 'new', 'Friday paper')] });
    deps.clock.set('2026-09-05T06:00:00Z');
    expect((await s.runArxivNow()).status).toBe('unchanged');
    expect(await s.tickDigests(Date.parse('2026-09-05T09:00:00Z'))).toBe(1);
    deps.clock.set('2026-09-05T12:00:00Z');
    await digest(deps, { post_when_empty: true });
    expect(await s.tickDigests(Date.parse('2026-09-06T09:00:00Z'))).toBe(1);
    await announce(deps, '2026-09-07T06:00:00Z', '2026-09-07', [item('2609.00070', 'new', 'Monday paper')]);
    expect(await s.tickDigests(Date.parse('2026-09-07T09:00:00Z'))).toBe(1);
    const all = await posts(store());
    expect(all.map((post) => [post.key, post.state])).toEqual([
      ['digest:discord:C1:arxiv-2026-09-04', 'pending'],
      ['digest:discord:C1:arxiv-none-2026-09-04', 'skipped'],
      ['digest:discord:C1:arxiv-none-2026-09-05', 'pending'],
      ['digest:discord:C1:arxiv-2026-09-07', 'pending'],
    ]);
    expect(all[2]?.message.text).toBe(
      'No new arXiv announcement since Fri 4 Sep 2026: arXiv does not announce on Friday and Saturday evenings (US Eastern) nor on its holidays.',
    );
    expect(all[3]?.message.papers.map((card) => card.title)).toEqual(['Monday paper']);
  });

  it('narrows by the query (cat:cs.CL retrieval OR rag), ranks by relevance and links to the category the query names', async () => {
    const deps = depsFor(store(), '2026-09-01T05:00:00Z', 'cs.LG,cs.CL');
    await digest(deps, { top: 1, source: 'arxiv', query: 'cat:cs.CL retrieval OR rag' });
    await announce(deps, '2026-09-01T06:00:00Z', '2026-09-01', [
      item('2609.00001', 'new', 'Dense passages for question answering', ['cs.CL'], 'A retrieval model.'),
      item('2609.00002', 'new', 'RAG for tabular data', ['cs.LG'], 'Retrieval over tables.'),
      item('2609.00003', 'new', 'Graph networks', ['cs.CL'], 'Message passing.'),
      item('2609.00004', 'cross', 'Retrieval-augmented generation: RAG that retrieves', ['cs.IR', 'cs.CL'], 'Retrieval and RAG, evaluated.'),
      item('2609.00005', 'replace', 'Retrieval revised', ['cs.CL'], 'Retrieval.'),
    ]);
    expect(await schedulerFor(deps).tickDigests(Date.parse('2026-09-01T09:00:00Z'))).toBe(1);
    const [post] = await posts(store());
    expect(post?.message.papers.map((card) => card.id)).toEqual(['2609.00004']);
    expect(post?.message.more).toEqual({ count: 1, url: 'https://arxiv.org/list/cs.CL/new' });
    expect(post?.message.text).toBe('Top 1 of 4 new and cross-listed papers, most relevant to the query first.');
    expect(post?.message.footer).toBe('Filters: query: cat:cs.CL retrieval OR rag');
  });

  it('source=all: the feed day first (by upvotes), then the announcement’s new papers, each paper once', async () => {
    const deps = depsFor(store(), '2026-08-31T10:00:00Z');
    await digest(deps, { top: 4, source: 'all' });
    await dailyPapers(store(), '2026-08-31', [
      { arxivId: '2608.00001', title: 'P1 daily', upvotes: 30 },
      { arxivId: '2609.00010', title: 'X on both', upvotes: 20 },
      { arxivId: '2608.00002', title: 'P2 daily', upvotes: 5 },
    ]);
    await announce(deps, '2026-09-01T06:00:00Z', '2026-09-01', [
      item('2609.00010', 'new', 'X on both'),
      item('2609.00011', 'new', 'Y arXiv only'),
      item('2609.00012', 'cross', 'Z arXiv only', ['cs.LG']),
    ]);
    const s = schedulerFor(deps);
    expect(await s.tickDigests(Date.parse('2026-09-01T09:00:00Z'))).toBe(1);
    expect(await s.tickDigests(Date.parse('2026-09-01T09:01:00Z'))).toBe(0);
    // The next feed day: Daily Papers only, as the announcement was posted.
    await dailyPapers(store(), '2026-09-01', [{ arxivId: '2609.00020', title: 'Q daily', upvotes: 3 }]);
    expect(await s.tickDigests(Date.parse('2026-09-02T09:00:00Z'))).toBe(1);
    const [first, second] = await posts(store());
    expect(first?.key).toBe('digest:discord:C1:2026-08-31');
    expect(first?.message.title).toBe('Daily papers — Mon 31 Aug 2026 + arXiv Tue 1 Sep 2026');
    expect(first?.message.papers.map((card) => card.title)).toEqual(['P1 daily', 'X on both', 'P2 daily', 'Y arXiv only']);
    expect(first?.message.text).toBe('Top 4 of 5 papers (3 from Daily Papers, 1 new on arXiv).');
    expect(first?.message.more).toEqual({ count: 1, url: 'https://arxiv.org/list/cs.CL/new' });
    expect(second?.key).toBe('digest:discord:C1:2026-09-01');
    expect(second?.message.title).toBe('Daily papers — Tue 1 Sep 2026');
    expect(second?.message.papers.map((card) => card.title)).toEqual(['Q daily']);
    expect((await store().getDigest('discord', 'C1'))).toMatchObject({ lastFeedDate: '2026-09-01', lastAnnouncement: '2026-09-01' });
  });
});

describe('an arXiv digest across a restart (SQLite file)', () => {
  it('records an announcement nothing passed as skipped, and a new process posts neither it nor the one it posted', async () => {
    const file = createTempStoreFile();
    try {
      const deps = depsFor(file.store, '2026-09-01T05:00:00Z');
      await setDigest(deps, channel, admin, { time: '09:00', timezone: 'UTC', source: 'arxiv', query: 'quantum' });
      await announce(deps, '2026-09-01T06:00:00Z', '2026-09-01', [item('2609.00001', 'new', 'Graph networks')]);
      expect(await schedulerFor(deps).tickDigests(Date.parse('2026-09-01T09:00:00Z'))).toBe(1);
      await announce(deps, '2026-09-02T06:00:00Z', '2026-09-02', [item('2609.00002', 'new', 'Quantum language models')]);
      expect(await schedulerFor(deps).tickDigests(Date.parse('2026-09-02T09:00:00Z'))).toBe(1);
      await file.store.close();

      const reopened = openSqliteStore(file.path);
      try {
        const again = depsFor(reopened, '2026-09-02T09:30:00Z');
        const s = schedulerFor(again);
        expect(await s.tickDigests(Date.parse('2026-09-02T09:30:00Z'))).toBe(0);
        expect((await posts(reopened)).map((post) => [post.key, post.state, post.message.papers.map((card) => card.title)])).toEqual([
          ['digest:discord:C1:arxiv-2026-09-01', 'skipped', []],
          ['digest:discord:C1:arxiv-2026-09-02', 'pending', ['Quantum language models']],
        ]);
        expect((await posts(reopened))[0]?.message.text).toBe("None of the 1 new paper of the arXiv announcement of Tue 1 Sep 2026 passed this channel's filters.");
        // The next time finds no new announcement: quiet.
        expect(await s.tickDigests(Date.parse('2026-09-03T09:00:00Z'))).toBe(1);
        expect((await posts(reopened)).at(-1)).toMatchObject({ key: 'digest:discord:C1:arxiv-none-2026-09-02', state: 'skipped' });
      } finally {
        await reopened.close();
      }
    } finally {
      file.cleanup();
    }
  });
});
