import { and, asc, count, desc, eq, getTableColumns, gte, inArray, lt, lte, max, sql } from 'drizzle-orm';
import { parseArxivId } from '../../feed/arxiv-id.ts';
import type { FeedPaper } from '../../feed/feed-paper.ts';
import { knownFacts } from '../row-values.ts';
import type { PaperRow } from '../store.ts';
import type { Db } from './open-db.ts';
import { paperDays, papers } from './schema.ts';

/** The handle inside `db.transaction(tx => …)`: lets ingest commit papers and its run status together. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** `upsertPapers` inside a transaction the caller already holds. */
export function writePapers(tx: Tx, feedDate: string, list: FeedPaper[], now: number): { inserted: number[]; updated: number } {
  const inserted: number[] = [];
  let updated = 0;
  list.forEach((paper, position) => {
    const existing = tx.select({ id: papers.id }).from(papers).where(eq(papers.arxivId, paper.arxivId)).get();
    let paperId: number;
    if (existing) {
      tx.update(papers)
        .set({
          ...knownFacts(paper),
          title: paper.title,
          upvotes: paper.upvotes,
          // A paper first seen on arXiv keeps its categories and gains the Hugging Face listing.
          listedOnHf: true,
          // A paper listed on two days belongs to the later one (catch-up may ingest out of order).
          latestFeedDate: sql`max(${papers.latestFeedDate}, ${feedDate})`,
          updatedAt: now,
        })
        .where(eq(papers.id, existing.id))
        .run();
      paperId = existing.id;
      updated += 1;
    } else {
      const row = tx
        .insert(papers)
        .values({ ...knownFacts(paper), arxivId: paper.arxivId, title: paper.title, upvotes: paper.upvotes, latestFeedDate: feedDate, firstSeenAt: now, updatedAt: now })
        .returning({ id: papers.id })
        .get();
      paperId = row.id;
      inserted.push(paperId);
    }
    tx.insert(paperDays)
      .values({ paperId, feedDate, position, seenAt: now })
      .onConflictDoUpdate({ target: [paperDays.feedDate, paperDays.paperId], set: { position } })
      .run();
  });
  return { inserted, updated };
}

/**
 * Inserts new papers and refreshes known ones (upvotes, comments, stars, AI fields, text) for one
 * feed day, in one transaction. Never deletes: a paper missing from a re-fetch stays.
 * `inserted` = papers.id of papers seen for the first time.
 */
export function upsertPapers(db: Db, feedDate: string, list: FeedPaper[], now: number): { inserted: number[]; updated: number } {
  return db.transaction((tx) => writePapers(tx, feedDate, list, now), { behavior: 'immediate' });
}

export function getPaperByArxivId(db: Db, arxivId: string): PaperRow | undefined {
  return db.select().from(papers).where(eq(papers.arxivId, arxivId)).get();
}

/** Rows for `ids`, in the order given (unknown ids are left out). */
export function getPapersByIds(db: Db, ids: number[]): PaperRow[] {
  const byId = new Map<number, PaperRow>();
  // Chunked: one bound parameter per id, and SQLite caps the parameters of a statement.
  for (let i = 0; i < ids.length; i += 500) {
    for (const row of db.select().from(papers).where(inArray(papers.id, ids.slice(i, i + 500))).all()) byId.set(row.id, row);
  }
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [row] : [];
  });
}

/**
 * The papers listed on one feed day (via paper_days, so a paper on two days shows on both).
 * Cost is bounded by the day's size, not the table's: the (feed_date, paper_id) key narrows first.
 */
export function listPapersForDay(
  db: Db,
  feedDate: string,
  options: { limit: number; offset: number; sort: 'upvotes' | 'new' },
): { total: number; papers: PaperRow[] } {
  const total = db.select({ n: count() }).from(paperDays).where(eq(paperDays.feedDate, feedDate)).get()?.n ?? 0;
  const order =
    options.sort === 'new'
      ? [sql`${papers.publishedAt} IS NULL`, desc(papers.publishedAt), asc(paperDays.position)]
      : [desc(papers.upvotes), asc(paperDays.position)];
  const rows = db
    .select(getTableColumns(papers))
    .from(paperDays)
    .innerJoin(papers, eq(papers.id, paperDays.paperId))
    .where(eq(paperDays.feedDate, feedDate))
    .orderBy(...order)
    .limit(options.limit)
    .offset(options.offset)
    .all();
  return { total, papers: rows };
}

/** The most recent feed day on or before `onOrBefore` that has at least one paper (index seek). */
export function latestFeedDayWithPapers(db: Db, onOrBefore: string): string | null {
  return db.select({ day: max(paperDays.feedDate) }).from(paperDays).where(lte(paperDays.feedDate, onOrBefore)).get()?.day ?? null;
}

/** FTS5 query for "every word of `text`, the last one as a prefix", restricted to titles; null if no words. */
function titlePrefixQuery(text: string): string | null {
  const words = (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 8).map((w) => w.slice(0, 40));
  if (words.length === 0) return null;
  // Every word quoted (never FTS syntax), so no user text can make MATCH fail.
  const terms = words.map((w, i) => `"${w}"${i === words.length - 1 ? ' *' : ''}`);
  return `{title} : (${terms.join(' AND ')})`;
}

/**
 * Autocomplete for `/papers paper`: the newest papers, or those whose arXiv id starts with
 * `prefix`, or whose title contains its words (the last word as a prefix). Bounded at 1M papers:
 * id prefixes seek the unique index; title words look at the 200 newest FTS matches only.
 */
export function listRecentPapers(db: Db, options: { limit: number; prefix?: string }): PaperRow[] {
  const prefix = options.prefix?.trim().slice(0, 200) ?? '';
  const newestFirst = [desc(papers.latestFeedDate), desc(papers.upvotes)];
  if (!prefix) return db.select().from(papers).orderBy(...newestFirst).limit(options.limit).all();
  const exact = parseArxivId(prefix);
  if (exact) {
    const row = getPaperByArxivId(db, exact);
    if (row) return [row];
  }
  if (/^[\d.]+$|^[a-z-]+(\.[A-Z]{2})?\/\d*$/.test(prefix)) {
    return db
      .select()
      .from(papers)
      .where(and(gte(papers.arxivId, prefix), lt(papers.arxivId, `${prefix}\uffff`)))
      .orderBy(desc(papers.arxivId))
      .limit(options.limit)
      .all();
  }
  const match = titlePrefixQuery(prefix);
  if (!match) return [];
  const candidates = sql`SELECT rowid FROM papers_fts WHERE papers_fts MATCH ${match} ORDER BY rowid DESC LIMIT 200`;
  return db.select().from(papers).where(sql`${papers.id} IN (${candidates})`).orderBy(...newestFirst).limit(options.limit).all();
}
