import type { FeedPaper } from '../../src/papers/feed-paper.ts';
import type { Store } from '../../src/store/store.ts';
import { aPaper } from '../support/builders.ts';

/** Stores papers through the real ingest path, each on its feed day; returns their papers.id in order. */
export async function seedPapers(store: Store, papers: Array<Partial<FeedPaper> & { feedDate?: string }>): Promise<number[]> {
  const ids: number[] = [];
  for (const { feedDate = '2026-08-31', ...overrides } of papers) {
    const { inserted } = await store.upsertPapers(feedDate, [aPaper(overrides)], Date.parse(`${feedDate}T06:00:00Z`));
    const id = inserted[0];
    if (id === undefined) throw new Error('seedPapers: the paper was not new');
    ids.push(id);
  }
  return ids;
}

/** `seedPapers` for a record of named papers: `ids.get('survey')`. */
export async function seedNamedPapers<K extends string>(store: Store, papers: Record<K, Partial<FeedPaper> & { feedDate?: string }>): Promise<{ id(name: K): number }> {
  const entries = Object.entries<Partial<FeedPaper> & { feedDate?: string }>(papers);
  const stored = await seedPapers(store, entries.map(([, paper]) => paper));
  const byName = new Map(entries.map(([name], i) => [name, stored[i] ?? -1]));
  return { id: (name) => byName.get(name) ?? -1 };
}
