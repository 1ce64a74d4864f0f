import { describe, expect, it } from 'vitest';
import { selectDigest } from '../../src/digest/select-digest.ts';
import type { FeedPaper } from '../../src/papers/feed-paper.ts';
import type { Store } from '../../src/store/store.ts';
import { aPaper } from '../support/builders.ts';
import { createTestStore } from '../support/test-db.ts';

const NOW = Date.parse('2026-09-01T01:00:00Z');

async function day(store: Store, feedDate: string, papers: Array<Partial<FeedPaper>>): Promise<void> {
  await store.upsertPapers(feedDate, papers.map((p) => aPaper(p)), NOW);
}

function titles(list: Array<{ title: string }>): string[] {
  return list.map((p) => p.title);
}

function reasons(selection: Awaited<ReturnType<typeof selectDigest>>): Record<string, string> {
  return Object.fromEntries(selection.excluded.map((e) => [e.paper.title, e.reason]));
}

describe('selectDigest', () => {
  it('takes the top N of the day by upvotes and explains the rest', async () => {
    const store = createTestStore();
    await day(store, '2026-08-31', [
      { title: 'Third', upvotes: 5 },
      { title: 'First', upvotes: 50 },
      { title: 'Second', upvotes: 20 },
      { title: 'Fourth', upvotes: 1 },
    ]);
    await day(store, '2026-08-30', [{ title: 'Other day', upvotes: 99 }]);
    const selection = await selectDigest(store, { top: 2, minUpvotes: 0, query: '' }, ['2026-08-31']);
    expect(titles(selection.included)).toEqual(['First', 'Second']);
    expect(reasons(selection)).toEqual({ Third: 'past_top_n', Fourth: 'past_top_n' });
    expect(selection.dayTotal).toBe(4);
  });

  it('applies min upvotes, then the query (include and exclude), then top N', async () => {
    const store = createTestStore();
    await day(store, '2026-08-31', [
      { title: 'Diffusion models for video', upvotes: 40 },
      { title: 'A survey of diffusion models', upvotes: 30 },
      { title: 'Rigorous bounds for diffusion', upvotes: 20 },
      { title: 'Diffusion with few votes', upvotes: 2 },
      { title: 'Graph neural networks', upvotes: 60 },
      { title: 'Diffusion transformers', upvotes: 10 },
    ]);
    const selection = await selectDigest(store, { top: 2, minUpvotes: 5, query: 'diffusion -survey' }, ['2026-08-31']);
    expect(titles(selection.included)).toEqual(['Diffusion models for video', 'Rigorous bounds for diffusion']);
    expect(reasons(selection)).toEqual({
      'Diffusion with few votes': 'below_min_upvotes',
      'Graph neural networks': 'not_matching_query',
      'A survey of diffusion models': 'excluded_by_query',
      'Diffusion transformers': 'past_top_n',
    });
  });

  it('matches stemmed words, phrases, OR groups and exclusion-only queries like search does', async () => {
    const store = createTestStore();
    await day(store, '2026-08-31', [
      { title: 'Rigorous proofs', upvotes: 3 },
      { title: 'Large language models as agents', upvotes: 2 },
      { title: 'A survey of agents', upvotes: 1 },
    ]);
    const pick = async (query: string) => titles((await selectDigest(store, { top: 25, minUpvotes: 0, query }, ['2026-08-31'])).included);
    expect(await pick('rigor')).toEqual(['Rigorous proofs']);
    expect(await pick('"language models"')).toEqual(['Large language models as agents']);
    expect(await pick('proofs OR survey')).toEqual(['Rigorous proofs', 'A survey of agents']);
    expect(await pick('-survey')).toEqual(['Rigorous proofs', 'Large language models as agents']);
    // Any text is accepted: FTS syntax in user input is just words.
    expect(await pick('NEAR( "unclosed * col:x')).toEqual([]);
  });

  it('ranks several days together and counts a paper listed on two of them once', async () => {
    const store = createTestStore();
    const shared = aPaper({ title: 'Listed twice', upvotes: 15 });
    await store.upsertPapers('2026-08-29', [aPaper({ title: 'Old but good', upvotes: 30 }), shared], NOW);
    await store.upsertPapers('2026-08-30', [shared, aPaper({ title: 'Middle', upvotes: 10 })], NOW);
    await store.upsertPapers('2026-08-31', [aPaper({ title: 'Newest', upvotes: 20 })], NOW);
    const selection = await selectDigest(store, { top: 3, minUpvotes: 0, query: '' }, ['2026-08-29', '2026-08-30', '2026-08-31']);
    expect(titles(selection.included)).toEqual(['Old but good', 'Newest', 'Listed twice']);
    expect(reasons(selection)).toEqual({ Middle: 'past_top_n' });
    expect(selection.dayTotal).toBe(4);
  });

  it('is empty for a day without papers', async () => {
    const store = createTestStore();
    expect(await selectDigest(store, { top: 5, minUpvotes: 0, query: 'anything' }, ['2026-08-29'])).toEqual({ included: [], excluded: [], dayTotal: 0 });
  });
});
