import { describe, expect, it } from 'vitest';
import { selectDigest } from '../../src/digest/select-digest.ts';
import { snapshotUpvotes } from '../../src/trending/snapshot-upvotes.ts';
import { aPaper } from '../support/builders.ts';
import { alice as admin, commandDeps, general, run } from '../commands/harness.ts';

// `digest set sort=rising`: the day's papers by upvote velocity before `top` cuts.

const at = (iso: string) => Date.parse(iso);

describe('digest sort=rising', () => {
  it('puts the paper climbing fastest first; sort=upvotes keeps the most upvoted first', async () => {
    const deps = commandDeps();
    const day = '2026-08-31';
    const steps: Array<[string, number, number]> = [
      ['2026-08-31T06:00:00Z', 80, 0],
      ['2026-08-31T20:00:00Z', 82, 40],
    ];
    for (const [iso, popular, climbing] of steps) {
      await deps.store.upsertPapers(day, [aPaper({ arxivId: '2608.00001', title: 'Popular', upvotes: popular }), aPaper({ arxivId: '2608.00002', title: 'Climbing', upvotes: climbing })], at(iso));
      await snapshotUpvotes(deps.store, day, at(iso));
    }
    const now = at('2026-09-01T09:00:00Z');
    const titles = async (sort: 'upvotes' | 'rising') => (await selectDigest(deps.store, { top: 1, minUpvotes: 0, query: '', sort }, [day], now)).included.map((p) => p.title);
    expect(await titles('upvotes')).toEqual(['Popular']);
    expect(await titles('rising')).toEqual(['Climbing']);

    const set = await run(deps, 'digest set', { sort: 'rising' }, { user: admin, channel: general, isAdmin: true });
    expect(set.fields.find((f) => f.name === 'Papers')?.value).toBe('top 5, rising first');
    expect((await deps.store.getDigest('discord', general.id))?.sort).toBe('rising');
  });
});
