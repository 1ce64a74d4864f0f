import { describe, expect, it } from 'vitest';
import { turnPage } from '../../commands/dispatch.ts';
import { aPaper } from '../support/builders.ts';
import { alice, bob, commandDeps, general, run, seed } from './harness.ts';

describe('/papers today', () => {
  it("lists today's papers by upvotes, public, with the day's HF page", async () => {
    const deps = commandDeps();
    await seed(deps, '2026-09-01', [aPaper({ title: 'Low', upvotes: 2 }), aPaper({ title: 'High', upvotes: 50 }), aPaper({ title: 'Mid', upvotes: 9 })]);
    const reply = await run(deps, 'today');
    expect(reply.kind).toBe('list');
    expect(reply.visibility).toBe('public');
    expect(reply.title).toBe('Top papers for 2026-09-01 (3)');
    expect(reply.titleUrl).toBe('https://huggingface.co/papers/date/2026-09-01');
    expect(reply.papers.map((p) => p.title)).toEqual(['High', 'Mid', 'Low']);
    expect(reply.text).toBe('');
    expect(reply.paging).toBeUndefined();
  });

  it('falls back to the most recent day with papers and says so', async () => {
    const deps = commandDeps();
    await seed(deps, '2026-08-28', [aPaper({ title: 'Friday paper' })]);
    const reply = await run(deps, 'today');
    expect(reply.title).toContain('2026-08-28');
    expect(reply.text).toBe('No papers for today (2026-09-01) yet; showing 2026-08-28, the most recent day with papers.');
    expect(reply.papers.map((p) => p.title)).toEqual(['Friday paper']);
  });

  it('explains an empty database', async () => {
    const reply = await run(commandDeps(), 'today');
    expect(reply.kind).toBe('text');
    expect(reply.text).toMatch(/No papers stored yet/);
    expect(reply.text).toMatch(/paperboy ingest --from/);
  });

  it('sorts by newest first with sort=new', async () => {
    const deps = commandDeps();
    await seed(deps, '2026-09-01', [
      aPaper({ title: 'Old', upvotes: 99, publishedAt: Date.parse('2026-08-01T00:00:00Z') }),
      aPaper({ title: 'New', upvotes: 1, publishedAt: Date.parse('2026-08-31T00:00:00Z') }),
    ]);
    const reply = await run(deps, 'today', { sort: 'new' });
    expect(reply.title).toMatch(/^Newest papers/);
    expect(reply.papers.map((p) => p.title)).toEqual(['New', 'Old']);
  });

  it('pages: a cursor row, page 2 through turnPage, clamped past the end', async () => {
    const deps = commandDeps();
    await seed(deps, '2026-09-01', Array.from({ length: 12 }, (_, i) => aPaper({ title: `Paper ${i}`, upvotes: 100 - i })));
    const first = await run(deps, 'today', { limit: 5 });
    expect(first.papers.map((p) => p.title)).toEqual(['Paper 0', 'Paper 1', 'Paper 2', 'Paper 3', 'Paper 4']);
    expect(first.paging).toMatchObject({ page: 0, pageCount: 3, total: 12 });
    const cursor = first.paging?.cursor ?? '';
    expect(cursor).toMatch(/^[\w-]{12}$/);
    const row = deps.db.$client.prepare('SELECT user_id, command, options FROM page_cursors WHERE id = ?').get(cursor);
    expect(row).toEqual({ user_id: alice.id, command: 'today', options: JSON.stringify({ limit: 5, sort: 'upvotes', source: 'hf' }) });

    const second = await turnPage(deps, { cursor, page: 1, user: alice, channel: general });
    expect(second.papers.map((p) => p.title)).toEqual(['Paper 5', 'Paper 6', 'Paper 7', 'Paper 8', 'Paper 9']);
    expect(second.paging).toEqual({ cursor, page: 1, pageCount: 3, total: 12 });

    const beyond = await turnPage(deps, { cursor, page: 9, user: alice, channel: general });
    expect(beyond.paging?.page).toBe(2);
    expect(beyond.papers.map((p) => p.title)).toEqual(['Paper 10', 'Paper 11']);
  });

  it("refuses someone else's cursor, an unknown one and one older than 7 days", async () => {
    const deps = commandDeps();
    await seed(deps, '2026-09-01', Array.from({ length: 8 }, () => aPaper()));
    const first = await run(deps, 'today', { limit: 5 });
    const cursor = first.paging?.cursor ?? '';

    const foreign = await turnPage(deps, { cursor, page: 1, user: bob, channel: general });
    expect(foreign).toMatchObject({ kind: 'error', visibility: 'private' });
    expect(foreign.text).toMatch(/someone else's list.*\/papers today/);

    const unknown = await turnPage(deps, { cursor: 'nope', page: 1, user: alice, channel: general });
    expect(unknown.text).toMatch(/expired/);

    deps.clock.advance(8 * 24 * 3_600_000);
    const old = await turnPage(deps, { cursor, page: 1, user: alice, channel: general });
    expect(old).toMatchObject({ kind: 'error' });
    expect(old.text).toMatch(/expired/);
  });

  it('validates limit with a message naming the option and the usage', async () => {
    const reply = await run(commandDeps(), 'today', { limit: '99' });
    expect(reply).toMatchObject({ kind: 'error', visibility: 'private' });
    expect(reply.text).toBe('`limit` must be at most 25 (you gave `99`).\nUsage: /papers today [limit=1-25] [sort=upvotes|new|rising] [source=hf|arxiv]');
  });

  it('states the option\'s own bound for a number past the safe-integer range', async () => {
    for (const command of ['today', 'search']) {
      const reply = await run(commandDeps(), command, { limit: '99999999999999999999', ...(command === 'search' ? { query: 'x' } : {}) });
      expect(reply.text.split('\n')[0]).toBe('`limit` must be at most 25 (you gave `99999999999999999999`).');
    }
  });
});
