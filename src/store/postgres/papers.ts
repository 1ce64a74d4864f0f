import { and, asc, count, countDistinct, desc, eq, getTableColumns, gte, inArray, lte, max, min, ne, sql } from 'drizzle-orm';
import type { FeedPaper } from '../../papers/feed-paper.ts';
import { knownFacts, unlistedValues } from '../row-values.ts';
import { NO_FEED_DAY, type PaperRow } from '../store.ts';
import type { PgDb } from './pg-db.ts';
import { pgText, pgTextValues } from './pg-text.ts';
import { paperDays, papers } from './schema.ts';

/** A paper row as the Store returns it: every column but the search vectors (PostgreSQL's own). */
const { searchVector: _searchVector, titleVector: _titleVector, ...paperColumns } = getTableColumns(papers);
export { paperColumns };

/** The handle inside `db.transaction(tx => …)`. */
export type PgTx = Parameters<Parameters<PgDb['transaction']>[0]>[0];

/**
 * Transaction-level advisory lock held by every transaction that writes papers: ids are taken at
 * insert but become visible at commit, so two concurrent writers (two replicas that both believe
 * they lead) could otherwise commit ids out of order under the alert watermark.
 */
const PAPERS_WRITE_LOCK = 0x70627077; // 'pbpw'

export async function lockPaperWrites(tx: PgTx): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${PAPERS_WRITE_LOCK})`);
}

/**
 * `upsertPapers` inside a transaction that holds PAPERS_WRITE_LOCK: a paper is looked up, then
 * refreshed or inserted, in feed order, so new papers get ascending ids with no gaps, as on
 * SQLite. (INSERT … ON CONFLICT would take a sequence value for every known paper too.)
 */
export async function writePapers(tx: PgTx, feedDate: string, list: FeedPaper[], now: number): Promise<{ inserted: number[]; updated: number }> {
  const inserted: number[] = [];
  let updated = 0;
  for (const [position, paper] of list.entries()) {
    const facts = pgTextValues(knownFacts(paper));
    const [existing] = await tx.select({ id: papers.id }).from(papers).where(eq(papers.arxivId, paper.arxivId));
    let paperId: number;
    if (existing) {
      await tx
        .update(papers)
        .set({
          ...facts,
          title: pgText(paper.title),
          upvotes: paper.upvotes,
          // A paper first seen on arXiv keeps its categories and gains the Hugging Face listing.
          listedOnHf: true,
          // A paper listed on two days belongs to the later one (catch-up may ingest out of order).
          latestFeedDate: sql`greatest(${papers.latestFeedDate}, ${feedDate})`,
          updatedAt: now,
        })
        .where(eq(papers.id, existing.id));
      paperId = existing.id;
      updated += 1;
    } else {
      const [row] = await tx
        .insert(papers)
        .values({ ...facts, arxivId: paper.arxivId, title: pgText(paper.title), upvotes: paper.upvotes, latestFeedDate: feedDate, firstSeenAt: now, updatedAt: now })
        .returning({ id: papers.id });
      if (!row) throw new Error(`insert of paper ${paper.arxivId} returned no row`);
      paperId = row.id;
      inserted.push(paperId);
    }
    await tx
      .insert(paperDays)
      .values({ paperId, feedDate, position, seenAt: now })
      .onConflictDoUpdate({ target: [paperDays.feedDate, paperDays.paperId], set: { position } });
  }
  return { inserted, updated };
}

/** Rows per multi-row statement: 17 bound values a paper, far under PostgreSQL's 65,535. */
const BULK_ROWS = 1000;

/**
 * The backfill's `writePapers`: the same rows (and ids in feed order), in a few statements a day
 * instead of three a paper. Known papers (rare in history: a paper listed on two days) are
 * refreshed one by one as in writePapers; new ones go in one multi-row INSERT each BULK_ROWS,
 * whose rows take sequence values in the order listed; paper_days in one multi-row upsert.
 * Needs PAPERS_WRITE_LOCK like writePapers.
 */
export async function writePapersBulk(tx: PgTx, feedDate: string, list: FeedPaper[], now: number): Promise<{ inserted: number[]; updated: number }> {
  const idOf = new Map<string, number>();
  for (let i = 0; i < list.length; i += BULK_ROWS) {
    const ids = list.slice(i, i + BULK_ROWS).map((paper) => paper.arxivId);
    for (const row of await tx.select({ id: papers.id, arxivId: papers.arxivId }).from(papers).where(inArray(papers.arxivId, ids))) idOf.set(row.arxivId, row.id);
  }
  let updated = 0;
  // New papers, once each (a paper listed twice in a day is inserted once).
  const firstListing = new Map<string, FeedPaper>();
  for (const paper of list) {
    const id = idOf.get(paper.arxivId);
    if (id === undefined) {
      if (!firstListing.has(paper.arxivId)) firstListing.set(paper.arxivId, paper);
      continue;
    }
    await tx
      .update(papers)
      .set({ ...knownFacts(paper), title: paper.title, upvotes: paper.upvotes, latestFeedDate: sql`greatest(${papers.latestFeedDate}, ${feedDate})`, updatedAt: now })
      .where(eq(papers.id, id));
    updated += 1;
  }
  const inserted: number[] = [];
  // A day older than the newest stored one goes below every stored paper (see
  // ../sqlite/papers.ts, placement()): ids `below`, `below + 1`, … in feed order.
  const fresh = [...firstListing.values()];
  let below = await placement(tx, feedDate, fresh.length);
  for (let i = 0; i < fresh.length; i += BULK_ROWS) {
    const chunk = fresh.slice(i, i + BULK_ROWS);
    const rows = await tx
      .insert(papers)
      .values(
        chunk.map((paper) => ({
          ...knownFacts(paper),
          ...(below === null ? {} : { id: below++ }),
          arxivId: paper.arxivId,
          title: paper.title,
          upvotes: paper.upvotes,
          latestFeedDate: feedDate,
          firstSeenAt: now,
          updatedAt: now,
        })),
      )
      .returning({ id: papers.id, arxivId: papers.arxivId });
    for (const row of rows) idOf.set(row.arxivId, row.id);
    // Feed order, as writePapers reports them.
    for (const paper of chunk) inserted.push(idOf.get(paper.arxivId) ?? 0);
  }
  const days = list.map((paper, position) => ({ paperId: idOf.get(paper.arxivId) ?? 0, feedDate, position, seenAt: now }));
  for (let i = 0; i < days.length; i += BULK_ROWS) {
    await tx
      .insert(paperDays)
      .values(days.slice(i, i + BULK_ROWS))
      .onConflictDoUpdate({ target: [paperDays.feedDate, paperDays.paperId], set: { position: sql`excluded.position` } });
  }
  return { inserted, updated };
}

/** The first id of a backfilled day's `count` new papers when they go below every stored paper, else null. */
async function placement(tx: PgTx, feedDate: string, count: number): Promise<number | null> {
  if (count === 0) return null;
  const [newest] = await tx.select({ feedDate: papers.latestFeedDate }).from(papers).where(ne(papers.latestFeedDate, NO_FEED_DAY)).orderBy(desc(papers.id)).limit(1);
  if (newest === undefined || feedDate >= newest.feedDate) return null;
  const [lowest] = await tx.select({ id: min(papers.id) }).from(papers);
  return Math.min(lowest?.id ?? 1, 1) - count;
}

/** Inserts new papers and refreshes known ones for one feed day, in one transaction. Never deletes. */
export function upsertPapers(db: PgDb, feedDate: string, list: FeedPaper[], now: number): Promise<{ inserted: number[]; updated: number }> {
  return db.transaction(async (tx) => {
    await lockPaperWrites(tx);
    return writePapers(tx, feedDate, list, now);
  });
}

/** See Store.storeUnlistedPaper. Under PAPERS_WRITE_LOCK: ids stay in commit order (alert-watermark.ts). */
export function storeUnlistedPaper(db: PgDb, paper: FeedPaper, now: number, arxiv?: { categories: string[]; version: number | null }): Promise<PaperRow> {
  return db.transaction(async (tx) => {
    await lockPaperWrites(tx);
    const [known] = await tx.select(paperColumns).from(papers).where(eq(papers.arxivId, paper.arxivId));
    if (known) return known;
    const [row] = await tx
      .insert(papers)
      // Fetched on request: neither source listed it (`source:hf` leaves it out until Daily Papers does).
      .values({ ...knownFacts(paper), ...unlistedValues(arxiv), arxivId: paper.arxivId, title: paper.title, upvotes: paper.upvotes, latestFeedDate: NO_FEED_DAY, firstSeenAt: now, updatedAt: now })
      .returning(paperColumns);
    if (!row) throw new Error(`insert of paper ${paper.arxivId} returned no row`);
    return row;
  });
}

/** Distinct papers listed on a feed day from `from` to `to` (both included). */
export async function countPapersListed(db: PgDb, from: string, to: string): Promise<number> {
  const [row] = await db.select({ n: countDistinct(paperDays.paperId) }).from(paperDays).where(and(gte(paperDays.feedDate, from), lte(paperDays.feedDate, to)));
  return row?.n ?? 0;
}

export async function getPaperByArxivId(db: PgDb, arxivId: string): Promise<PaperRow | undefined> {
  const [row] = await db.select(paperColumns).from(papers).where(eq(papers.arxivId, arxivId));
  return row;
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

/** The papers listed on one feed day (via paper_days, so a paper on two days shows on both). */
export async function listPapersForDay(
  db: PgDb,
  feedDate: string,
  options: { limit: number; offset: number; sort: 'upvotes' | 'new' },
): Promise<{ total: number; papers: PaperRow[] }> {
  const [counted] = await db.select({ n: count() }).from(paperDays).where(eq(paperDays.feedDate, feedDate));
  // SQLite sorts NULL first in DESC; PostgreSQL last: `IS NULL` first makes the order explicit on both.
  const order =
    options.sort === 'new'
      ? [sql`${papers.publishedAt} IS NULL`, desc(papers.publishedAt), asc(paperDays.position)]
      : [desc(papers.upvotes), asc(paperDays.position)];
  const rows = await db
    .select(paperColumns)
    .from(paperDays)
    .innerJoin(papers, eq(papers.id, paperDays.paperId))
    .where(eq(paperDays.feedDate, feedDate))
    .orderBy(...order)
    .limit(options.limit)
    .offset(options.offset);
  return { total: counted?.n ?? 0, papers: rows };
}

/** The most recent feed day on or before `onOrBefore` that has at least one paper (index seek). */
export async function latestFeedDayWithPapers(db: PgDb, onOrBefore: string): Promise<string | null> {
  const [row] = await db.select({ day: max(paperDays.feedDate) }).from(paperDays).where(lte(paperDays.feedDate, onOrBefore));
  return row?.day ?? null;
}
