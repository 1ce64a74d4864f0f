import { getTableColumns, inArray, sql } from 'drizzle-orm';
import type { FeedPaper } from '../../feed/feed-paper.ts';
import type { PaperRow } from '../store.ts';
import type { PgDb } from './pg-db.ts';
import { paperDays, papers } from './schema.ts';

/** A paper row as the Store returns it: every column but the search vector (PostgreSQL's own). */
const { searchVector: _searchVector, ...paperColumns } = getTableColumns(papers);
export { paperColumns };

/** Optional facts the feed may omit on a later fetch: a missing value never erases a known one (as on SQLite). */
function knownFacts(paper: FeedPaper) {
  const facts: Partial<typeof papers.$inferInsert> = {};
  if (paper.abstract) facts.abstract = paper.abstract;
  if (paper.authors.length > 0) facts.authors = JSON.stringify(paper.authors);
  if (paper.organization !== null) facts.organization = paper.organization;
  if (paper.publishedAt !== null) facts.publishedAt = paper.publishedAt;
  if (paper.numComments !== null) facts.numComments = paper.numComments;
  if (paper.githubRepo !== null) facts.githubRepo = paper.githubRepo;
  if (paper.githubStars !== null) facts.githubStars = paper.githubStars;
  if (paper.projectPage !== null) facts.projectPage = paper.projectPage;
  if (paper.aiSummary !== null) facts.aiSummary = paper.aiSummary;
  if (paper.aiKeywords !== null) facts.aiKeywords = JSON.stringify(paper.aiKeywords);
  if (paper.thumbnail !== null) facts.thumbnail = paper.thumbnail;
  return facts;
}

/** The handle inside `db.transaction(tx => …)`. */
export type PgTx = Parameters<Parameters<PgDb['transaction']>[0]>[0];

/**
 * `upsertPapers` inside a transaction the caller holds: one statement per paper (insert, or
 * refresh a known one), in feed order, so new papers get ascending ids as on SQLite.
 */
export async function writePapers(tx: PgTx, feedDate: string, list: FeedPaper[], now: number): Promise<{ inserted: number[]; updated: number }> {
  const inserted: number[] = [];
  let updated = 0;
  for (const [position, paper] of list.entries()) {
    const facts = knownFacts(paper);
    const [row] = await tx
      .insert(papers)
      .values({ ...facts, arxivId: paper.arxivId, title: paper.title, upvotes: paper.upvotes, latestFeedDate: feedDate, firstSeenAt: now, updatedAt: now })
      .onConflictDoUpdate({
        target: papers.arxivId,
        set: {
          ...facts,
          title: paper.title,
          upvotes: paper.upvotes,
          // A paper listed on two days belongs to the later one (catch-up may ingest out of order).
          latestFeedDate: sql`greatest(${papers.latestFeedDate}, excluded.latest_feed_date)`,
          updatedAt: now,
        },
      })
      // xmax = 0 only on a freshly inserted row version.
      .returning({ id: papers.id, isNew: sql<boolean>`(xmax = 0)` });
    if (!row) throw new Error(`upsert of paper ${paper.arxivId} returned no row`);
    if (row.isNew) inserted.push(row.id);
    else updated += 1;
    await tx
      .insert(paperDays)
      .values({ paperId: row.id, feedDate, position, seenAt: now })
      .onConflictDoUpdate({ target: [paperDays.feedDate, paperDays.paperId], set: { position } });
  }
  return { inserted, updated };
}

/** Inserts new papers and refreshes known ones for one feed day, in one transaction. Never deletes. */
export function upsertPapers(db: PgDb, feedDate: string, list: FeedPaper[], now: number): Promise<{ inserted: number[]; updated: number }> {
  return db.transaction((tx) => writePapers(tx, feedDate, list, now));
}

/** Rows for `ids`, in the order given (unknown ids are left out). */
export async function getPapersByIds(db: PgDb, ids: number[]): Promise<PaperRow[]> {
  if (ids.length === 0) return [];
  const byId = new Map<number, PaperRow>();
  for (let i = 0; i < ids.length; i += 1000) {
    for (const row of await db.select(paperColumns).from(papers).where(inArray(papers.id, ids.slice(i, i + 1000)))) byId.set(row.id, row);
  }
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [row] : [];
  });
}
