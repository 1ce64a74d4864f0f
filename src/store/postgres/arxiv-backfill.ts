import { and, asc, between, eq, inArray, min, sql } from 'drizzle-orm';
import { mergeCategories, readCategories } from '../../papers/arxiv-paper.ts';
import { arxivBackfillValues } from '../row-values.ts';
import type { ArxivBackfillPage } from '../store.ts';
import { lockPaperWrites } from './papers.ts';
import type { PgDb } from './pg-db.ts';
import { arxivBackfillDays, papers } from './schema.ts';

// The arXiv API backfill's pages on PostgreSQL, the twin of ../sqlite/arxiv-backfill.ts.

const BULK_ROWS = 1000;

export function storeArxivBackfillPage(db: PgDb, write: ArxivBackfillPage): Promise<{ inserted: number; updated: number }> {
  return db.transaction(async (tx) => {
    // Ids below every stored paper are taken from min(id): no other paper write may interleave.
    await lockPaperWrites(tx);
    const unique = [...new Map(write.papers.map((paper) => [paper.arxivId, paper])).values()];
    const known = new Map<string, { id: number; categories: string }>();
    for (let i = 0; i < unique.length; i += BULK_ROWS) {
      const ids = unique.slice(i, i + BULK_ROWS).map((paper) => paper.arxivId);
      for (const row of await tx.select({ arxivId: papers.arxivId, id: papers.id, categories: papers.categories }).from(papers).where(inArray(papers.arxivId, ids))) {
        known.set(row.arxivId, row);
      }
    }
    const fresh = unique.filter((paper) => !known.has(paper.arxivId));
    const [lowest] = await tx.select({ id: min(papers.id) }).from(papers);
    // Below every stored paper: never above the alert watermark, never ranked as the newest.
    let below = Math.min(lowest?.id ?? 1, 1) - fresh.length;
    for (let i = 0; i < fresh.length; i += BULK_ROWS) {
      await tx.insert(papers).values(fresh.slice(i, i + BULK_ROWS).map((paper) => ({ ...arxivBackfillValues(paper, write.day, write.now), id: below++ })));
    }
    for (const paper of unique) {
      const stored = known.get(paper.arxivId);
      if (!stored) continue;
      const categories = JSON.stringify(mergeCategories(readCategories(stored.categories), paper.categories));
      const version = paper.version === null ? sql`${papers.arxivVersion}` : sql`greatest(${papers.arxivVersion}, ${paper.version}::integer)`;
      await tx.update(papers).set({ categories, listedOnArxiv: true, arxivVersion: version, updatedAt: write.now }).where(eq(papers.id, stored.id));
    }
    if (write.dayDone) {
      await tx.insert(arxivBackfillDays).values({ category: write.category, day: write.day, papers: unique.length, at: write.now }).onConflictDoNothing();
    }
    return { inserted: fresh.length, updated: unique.length - fresh.length };
  });
}

export async function arxivBackfilledDays(db: PgDb, category: string, from: string, to: string): Promise<string[]> {
  const rows = await db
    .select({ day: arxivBackfillDays.day })
    .from(arxivBackfillDays)
    .where(and(eq(arxivBackfillDays.category, category), between(arxivBackfillDays.day, from, to)))
    .orderBy(asc(arxivBackfillDays.day));
  return rows.map((row) => row.day);
}
