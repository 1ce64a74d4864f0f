import { and, asc, count, desc, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import { isRevision, mergeCategories, readCategories, type ArxivItem } from '../../papers/arxiv-paper.ts';
import { arxivListingChanges, arxivPaperValues } from '../row-values.ts';
import type { ArxivAnnouncementWrite, ArxivPollRecord, ArxivPollRow, PaperRow } from '../store.ts';
import type { Db } from './open-db.ts';
import { preparedOnce } from './prepared-once.ts';
import type { Tx } from './papers.ts';
import { arxivListings, arxivPolls, papers } from './schema.ts';

// arXiv announcements on SQLite; the rules are src/arxiv's (see Store.storeArxivAnnouncement).

const LISTED = ['new', 'cross'];

type ItemOutcome = { kind: 'inserted' | 'updated'; paperId: number } | { kind: 'skipped' };
type Known = { id: number; categories: string; arxivVersion: number | null };
type ListingRow = typeof arxivListings.$inferInsert;

/** The stored papers among `ids`, one query per 500 (SQLite caps a statement's parameters). */
function knownPapers(tx: Tx, ids: string[]): Map<string, Known> {
  const known = new Map<string, Known>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = tx
      .select({ arxivId: papers.arxivId, id: papers.id, categories: papers.categories, arxivVersion: papers.arxivVersion })
      .from(papers)
      .where(inArray(papers.arxivId, ids.slice(i, i + 500)))
      .all();
    for (const row of rows) known.set(row.arxivId, row);
  }
  return known;
}

function writeListings(tx: Tx, rows: ListingRow[]): void {
  for (let i = 0; i < rows.length; i += 500) {
    tx.insert(arxivListings)
      .values(rows.slice(i, i + 500))
      .onConflictDoUpdate({ target: [arxivListings.announcement, arxivListings.paperId], set: { announceType: sql`excluded.announce_type`, position: sql`excluded.position` } })
      .run();
  }
}

// Prepared once per connection, like papers.ts: preparing a statement on papers compiles its
// full-text triggers, and doing that per item was ~85 % of storing a 2,000-item announcement.
function prepareStatements(client: Db['$client']) {
  return {
    insert: client.prepare(`INSERT INTO papers (arxiv_id, title, abstract, authors, published_at, categories, listed_on_hf,
        listed_on_arxiv, arxiv_version, latest_feed_date, first_seen_at, updated_at)
      VALUES (@arxivId, @title, @abstract, @authors, @publishedAt, @categories, 0, 1, @arxivVersion, @latestFeedDate, @now, @now)`),
    // NULL leaves a column as it is; which columns a listing changes is arxivListingChanges' rule.
    update: client.prepare(`UPDATE papers SET
        arxiv_version = coalesce(@arxivVersion, arxiv_version), title = coalesce(@title, title),
        abstract = coalesce(@abstract, abstract), authors = coalesce(@authors, authors),
        categories = coalesce(@categories, categories), listed_on_arxiv = listed_on_arxiv OR @listed,
        latest_feed_date = CASE WHEN @listed AND NOT listed_on_hf THEN max(latest_feed_date, @announcement) ELSE latest_feed_date END,
        updated_at = @now
      WHERE id = @id`),
  };
}

const statements = preparedOnce(prepareStatements);

function writeItem(client: Db['$client'], announcement: string, item: ArxivItem, existing: Known | undefined, now: number): ItemOutcome {
  const categories = JSON.stringify(mergeCategories(existing ? readCategories(existing.categories) : [], item.categories));
  const prepared = statements(client);
  if (existing) {
    // The listing's feed day is the statement's CASE (the same rule, in SQL): the value passed
    // here only marks that the listing dates the paper, which `listed` carries.
    const changes = arxivListingChanges(item, existing.arxivVersion, categories, sql`latest_feed_date`, now);
    prepared.update.run({
      id: existing.id,
      arxivVersion: changes.arxivVersion ?? null,
      title: changes.title ?? null,
      abstract: changes.abstract ?? null,
      authors: changes.authors ?? null,
      categories: changes.categories ?? null,
      listed: changes.latestFeedDate === undefined ? 0 : 1,
      announcement,
      now,
    });
    return { kind: 'updated', paperId: existing.id };
  }
  if (isRevision(item.announceType)) return { kind: 'skipped' };
  const values = arxivPaperValues(item, categories, announcement, now);
  const { arxivId, title, abstract, authors, publishedAt, arxivVersion, latestFeedDate } = values;
  const paperId = Number(prepared.insert.run({ arxivId, title, abstract, authors, publishedAt, categories, arxivVersion, latestFeedDate, now }).lastInsertRowid);
  return { kind: 'inserted', paperId };
}

export function storeArxivAnnouncement(db: Db, write: ArxivAnnouncementWrite): { pollId: number; inserted: number[]; updated: number; revisionsSkipped: number } {
  return db.transaction(
    (tx) => {
      const inserted: number[] = [];
      let updated = 0;
      let revisionsSkipped = 0;
      const known = knownPapers(tx, write.items.map((item) => item.arxivId));
      const listings: ListingRow[] = [];
      const seen = new Set<string>();
      write.items.forEach((item, position) => {
        // One listing per paper: the first of an id listed twice counts (as the RSS parser does).
        if (seen.has(item.arxivId)) return;
        seen.add(item.arxivId);
        const outcome = writeItem(db.$client, write.announcement, item, known.get(item.arxivId), write.now);
        if (outcome.kind === 'skipped') {
          revisionsSkipped += 1;
          return;
        }
        if (outcome.kind === 'updated') updated += 1;
        else inserted.push(outcome.paperId);
        listings.push({ announcement: write.announcement, paperId: outcome.paperId, announceType: item.announceType, position });
      });
      writeListings(tx, listings);
      const pollId = tx
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
        .returning({ id: arxivPolls.id })
        .get().id;
      return { pollId, inserted, updated, revisionsSkipped };
    },
    { behavior: 'immediate' },
  );
}

export function recordArxivPoll(db: Db, poll: ArxivPollRecord): number {
  return db.insert(arxivPolls).values(poll).returning({ id: arxivPolls.id }).get().id;
}

export function arxivPollState(db: Db): { lastPoll: ArxivPollRow | null; lastStored: ArxivPollRow | null } {
  const lastPoll = db.select().from(arxivPolls).orderBy(desc(arxivPolls.id)).limit(1).get() ?? null;
  const lastStored = db.select().from(arxivPolls).where(eq(arxivPolls.status, 'ok')).orderBy(desc(arxivPolls.announcement), desc(arxivPolls.id)).limit(1).get() ?? null;
  return { lastPoll, lastStored };
}

export function arxivAnnouncementStored(db: Db, announcement: string, categories: string): boolean {
  return db.select({ id: arxivPolls.id }).from(arxivPolls).where(and(eq(arxivPolls.announcement, announcement), eq(arxivPolls.categories, categories), eq(arxivPolls.status, 'ok'))).limit(1).get() !== undefined;
}

export function listArxivAnnouncement(db: Db, announcement: string, options: { limit: number; offset: number }): { total: number; papers: PaperRow[] } {
  const where = and(eq(arxivListings.announcement, announcement), inArray(arxivListings.announceType, LISTED));
  const total = db.select({ n: count() }).from(arxivListings).where(where).get()?.n ?? 0;
  const rows = db
    .select(getTableColumns(papers))
    .from(arxivListings)
    .innerJoin(papers, eq(papers.id, arxivListings.paperId))
    .where(where)
    .orderBy(asc(arxivListings.position))
    .limit(options.limit)
    .offset(options.offset)
    .all();
  return { total, papers: rows };
}
