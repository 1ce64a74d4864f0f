import { and, asc, between, eq, inArray } from 'drizzle-orm';
import { mergeCategories, readCategories } from '../../papers/arxiv-paper.ts';
import { arxivBackfillValues } from '../row-values.ts';
import type { ArxivBackfillPage } from '../store.ts';
import type { Db } from './open-db.ts';
import { preparedOnce } from './prepared-once.ts';
import { arxivBackfillDays, papers } from './schema.ts';

// The arXiv API backfill's pages on SQLite (see Store.storeArxivBackfillPage). Statements on papers
// are prepared once per connection: preparing one compiles the full-text triggers.

function prepareStatements(client: Db['$client']) {
  return {
    lowestId: client.prepare<[], { id: number | null }>('SELECT min(id) AS id FROM papers'),
    insertAt: client.prepare(`INSERT INTO papers (id, arxiv_id, title, abstract, authors, published_at, categories, listed_on_hf,
        listed_on_arxiv, arxiv_version, latest_feed_date, first_seen_at, updated_at)
      VALUES (@id, @arxivId, @title, @abstract, @authors, @publishedAt, @categories, 0, 1, @arxivVersion, @latestFeedDate, @now, @now)`),
    update: client.prepare(`UPDATE papers SET categories = @categories, listed_on_arxiv = 1,
        arxiv_version = CASE WHEN arxiv_version IS NULL OR @version > arxiv_version THEN coalesce(@version, arxiv_version) ELSE arxiv_version END,
        updated_at = @now
      WHERE id = @id`),
  };
}

const statements = preparedOnce(prepareStatements);

export function storeArxivBackfillPage(db: Db, write: ArxivBackfillPage): { inserted: number; updated: number } {
  return db.transaction(
    (tx) => {
      const prepared = statements(db.$client);
      const unique = [...new Map(write.papers.map((paper) => [paper.arxivId, paper])).values()];
      const known = new Map<string, { id: number; categories: string }>();
      for (let i = 0; i < unique.length; i += 500) {
        const ids = unique.slice(i, i + 500).map((paper) => paper.arxivId);
        for (const row of tx.select({ arxivId: papers.arxivId, id: papers.id, categories: papers.categories }).from(papers).where(inArray(papers.arxivId, ids)).all()) {
          known.set(row.arxivId, row);
        }
      }
      const fresh = unique.filter((paper) => !known.has(paper.arxivId));
      // Below every stored paper: never above the alert watermark, never ranked as the newest.
      let below = Math.min(prepared.lowestId.get()?.id ?? 1, 1) - fresh.length;
      for (const paper of fresh) {
        const { arxivId, title, abstract, authors, publishedAt, categories, arxivVersion, latestFeedDate } = arxivBackfillValues(paper, write.day, write.now);
        prepared.insertAt.run({ id: below, arxivId, title, abstract, authors, publishedAt, categories, arxivVersion, latestFeedDate, now: write.now });
        below += 1;
      }
      for (const paper of unique) {
        const stored = known.get(paper.arxivId);
        if (!stored) continue;
        const categories = JSON.stringify(mergeCategories(readCategories(stored.categories), paper.categories));
        prepared.update.run({ id: stored.id, categories, version: paper.version, now: write.now });
      }
      if (write.dayDone) {
        tx.insert(arxivBackfillDays)
          .values({ category: write.category, day: write.day, papers: unique.length, at: write.now })
          .onConflictDoNothing()
          .run();
      }
      return { inserted: fresh.length, updated: unique.length - fresh.length };
    },
    { behavior: 'immediate' },
  );
}

export function arxivBackfilledDays(db: Db, category: string, from: string, to: string): string[] {
  return db
    .select({ day: arxivBackfillDays.day })
    .from(arxivBackfillDays)
    .where(and(eq(arxivBackfillDays.category, category), between(arxivBackfillDays.day, from, to)))
    .orderBy(asc(arxivBackfillDays.day))
    .all()
    .map((row) => row.day);
}
