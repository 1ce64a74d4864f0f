import { and, asc, count, desc, eq, inArray, sql } from 'drizzle-orm';
import { isRevision, mergeCategories, readCategories, type ArxivItem } from '../../papers/arxiv-paper.ts';
import { arxivListingChanges, arxivPaperValues } from '../row-values.ts';
import type { ArxivAnnouncementWrite, ArxivPollRecord, ArxivPollRow, PaperRow } from '../store.ts';
import { lockPaperWrites, paperColumns, type PgTx } from './papers.ts';
import type { PgDb } from './pg-db.ts';
import { arxivListings, arxivPolls, papers } from './schema.ts';

// arXiv announcements on PostgreSQL, the twin of ../sqlite/arxiv-listings.ts.

const LISTED = ['new', 'cross'];

type ItemOutcome = { kind: 'inserted' | 'updated'; paperId: number } | { kind: 'skipped' };
type Known = { id: number; categories: string; arxivVersion: number | null };
type ListingRow = typeof arxivListings.$inferInsert;

async function knownPapers(tx: PgTx, ids: string[]): Promise<Map<string, Known>> {
  const known = new Map<string, Known>();
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await tx
      .select({ arxivId: papers.arxivId, id: papers.id, categories: papers.categories, arxivVersion: papers.arxivVersion })
      .from(papers)
      .where(inArray(papers.arxivId, ids.slice(i, i + 1000)));
    for (const row of rows) known.set(row.arxivId, row);
  }
  return known;
}

async function writeListings(tx: PgTx, rows: ListingRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    await tx
      .insert(arxivListings)
      .values(rows.slice(i, i + 1000))
      .onConflictDoUpdate({ target: [arxivListings.announcement, arxivListings.paperId], set: { announceType: sql`excluded.announce_type`, position: sql`excluded.position` } });
  }
}

async function writeItem(tx: PgTx, announcement: string, item: ArxivItem, existing: Known | undefined, now: number): Promise<ItemOutcome> {
  const categories = JSON.stringify(mergeCategories(existing ? readCategories(existing.categories) : [], item.categories));
  let paperId: number;
  let kind: 'inserted' | 'updated';
  if (existing) {
    const listingFeedDay = sql`CASE WHEN ${papers.listedOnHf} THEN ${papers.latestFeedDate} ELSE greatest(${papers.latestFeedDate}, ${announcement}) END`;
    await tx
      .update(papers)
      .set(arxivListingChanges(item, existing.arxivVersion, categories, listingFeedDay, now))
      .where(eq(papers.id, existing.id));
    paperId = existing.id;
    kind = 'updated';
  } else {
    if (isRevision(item.announceType)) return { kind: 'skipped' };
    const [row] = await tx
      .insert(papers)
      .values(arxivPaperValues(item, categories, announcement, now))
      .returning({ id: papers.id });
    if (!row) throw new Error(`insert of paper ${item.arxivId} returned no row`);
    paperId = row.id;
    kind = 'inserted';
  }
  return { kind, paperId };
}

export function storeArxivAnnouncement(db: PgDb, write: ArxivAnnouncementWrite): Promise<{ pollId: number; inserted: number[]; updated: number; revisionsSkipped: number }> {
  return db.transaction(async (tx) => {
    // Papers get ids in commit order (see PAPERS_WRITE_LOCK): the alert watermark relies on it.
    await lockPaperWrites(tx);
    const inserted: number[] = [];
    let updated = 0;
    let revisionsSkipped = 0;
    const known = await knownPapers(tx, write.items.map((item) => item.arxivId));
    const listings: ListingRow[] = [];
    const seen = new Set<string>();
    for (const [position, item] of write.items.entries()) {
      // One listing per paper: the first of an id listed twice counts (as the RSS parser does).
      if (seen.has(item.arxivId)) continue;
      seen.add(item.arxivId);
      const outcome = await writeItem(tx, write.announcement, item, known.get(item.arxivId), write.now);
      if (outcome.kind === 'skipped') {
        revisionsSkipped += 1;
        continue;
      }
      if (outcome.kind === 'updated') updated += 1;
      else inserted.push(outcome.paperId);
      listings.push({ announcement: write.announcement, paperId: outcome.paperId, announceType: item.announceType, position });
    }
    await writeListings(tx, listings);
    const [poll] = await tx
      .insert(arxivPolls)
      .values({
        announcement: write.announcement,
        categories: write.categories,
        status: 'ok',
        trigger: write.trigger,
        fetched: write.items.length,
        inserted: inserted.length,
        updated,
        skipped: write.skipped + revisionsSkipped,
        warning: write.warning,
        at: write.now,
      })
      .returning({ id: arxivPolls.id });
    if (!poll) throw new Error('insert of an arXiv poll returned no row');
    return { pollId: poll.id, inserted, updated, revisionsSkipped };
  });
}

export async function recordArxivPoll(db: PgDb, poll: ArxivPollRecord): Promise<number> {
  const [row] = await db.insert(arxivPolls).values(poll).returning({ id: arxivPolls.id });
  if (!row) throw new Error('insert of an arXiv poll returned no row');
  return row.id;
}

export async function arxivPollState(db: PgDb): Promise<{ lastPoll: ArxivPollRow | null; lastStored: ArxivPollRow | null }> {
  const [lastPoll] = await db.select().from(arxivPolls).orderBy(desc(arxivPolls.id)).limit(1);
  const [lastStored] = await db.select().from(arxivPolls).where(eq(arxivPolls.status, 'ok')).orderBy(desc(arxivPolls.announcement), desc(arxivPolls.id)).limit(1);
  return { lastPoll: lastPoll ?? null, lastStored: lastStored ?? null };
}

export async function arxivAnnouncementStored(db: PgDb, announcement: string, categories: string): Promise<boolean> {
  const rows = await db.select({ id: arxivPolls.id }).from(arxivPolls).where(and(eq(arxivPolls.announcement, announcement), eq(arxivPolls.categories, categories), eq(arxivPolls.status, 'ok'))).limit(1);
  return rows.length > 0;
}

export async function listArxivAnnouncement(db: PgDb, announcement: string, options: { limit: number; offset: number }): Promise<{ total: number; papers: PaperRow[] }> {
  const where = and(eq(arxivListings.announcement, announcement), inArray(arxivListings.announceType, LISTED));
  const [counted] = await db.select({ n: count() }).from(arxivListings).where(where);
  const rows = await db
    .select(paperColumns)
    .from(arxivListings)
    .innerJoin(papers, eq(papers.id, arxivListings.paperId))
    .where(where)
    .orderBy(asc(arxivListings.position))
    .limit(options.limit)
    .offset(options.offset);
  return { total: counted?.n ?? 0, papers: rows };
}
