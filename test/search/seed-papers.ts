import type { FeedPaper } from '../../src/feed/feed-paper.ts';
import type { Db } from '../../src/store/sqlite/open-db.ts';
import { upsertPapers } from '../../src/store/sqlite/papers.ts';
import { aPaper } from '../support/builders.ts';

/** Stores papers through the real ingest path, each on its feed day; returns their papers.id in order. */
export function seedPapers(db: Db, papers: Array<Partial<FeedPaper> & { feedDate?: string }>): number[] {
  return papers.map(({ feedDate = '2026-08-31', ...overrides }) => {
    const { inserted } = upsertPapers(db, feedDate, [aPaper(overrides)], Date.parse(`${feedDate}T06:00:00Z`));
    const id = inserted[0];
    if (id === undefined) throw new Error('seedPapers: the paper was not new');
    return id;
  });
}

/** `seedPapers` for a record of named papers: `ids.get('survey')`. */
export function seedNamedPapers<K extends string>(db: Db, papers: Record<K, Partial<FeedPaper> & { feedDate?: string }>): { id(name: K): number } {
  const entries = Object.entries<Partial<FeedPaper> & { feedDate?: string }>(papers);
  const stored = seedPapers(db, entries.map(([, paper]) => paper));
  const byName = new Map(entries.map(([name], i) => [name, stored[i] ?? -1]));
  return { id: (name) => byName.get(name) ?? -1 };
}
