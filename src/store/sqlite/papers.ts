import { and, asc, count, countDistinct, desc, eq, getTableColumns, gte, inArray, lt, lte, max, sql } from 'drizzle-orm';
import { parseArxivId } from '../../papers/arxiv-id.ts';
import type { FeedPaper } from '../../papers/feed-paper.ts';
import { knownFacts, unlistedValues } from '../row-values.ts';
import { NO_FEED_DAY, type PaperRow } from '../store.ts';
import type { Db } from './open-db.ts';
import { preparedOnce } from './prepared-once.ts';
import { paperDays, papers } from './schema.ts';

/** The handle inside `db.transaction(tx => …)`: lets ingest commit papers and its run status together. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

type Statements = ReturnType<typeof prepareStatements>;

// Prepared once per connection: building each query per paper (the query builder) cost ~85 % of
// a backfill's time. The columns and the "a missing fact never erases a known one" rule are
// knownFacts' (row-values.ts): a fact it leaves out is bound as NULL and coalesced away.
function prepareStatements(client: Db['$client']) {
  return {
    find: client.prepare<[string], { id: number; latestFeedDate: string }>('SELECT id, latest_feed_date AS latestFeedDate FROM papers WHERE arxiv_id = ?'),
    insert: client.prepare(`INSERT INTO papers (arxiv_id, title, abstract, authors, organization, published_at, upvotes,
        num_comments, github_repo, github_stars, project_page, ai_summary, ai_keywords, thumbnail, latest_feed_date,
        first_seen_at, updated_at)
      VALUES (@arxivId, @title, coalesce(@abstract, ''), coalesce(@authors, '[]'), @organization, @publishedAt, @upvotes,
        @numComments, @githubRepo, @githubStars, @projectPage, @aiSummary, @aiKeywords, @thumbnail, @feedDate, @now, @now)`),
    insertAt: client.prepare(`INSERT INTO papers (id, arxiv_id, title, abstract, authors, organization, published_at, upvotes,
        num_comments, github_repo, github_stars, project_page, ai_summary, ai_keywords, thumbnail, latest_feed_date,
        first_seen_at, updated_at)
      VALUES (@id, @arxivId, @title, coalesce(@abstract, ''), coalesce(@authors, '[]'), @organization, @publishedAt, @upvotes,
        @numComments, @githubRepo, @githubStars, @projectPage, @aiSummary, @aiKeywords, @thumbnail, @feedDate, @now, @now)`),
    update: client.prepare(`UPDATE papers SET title = @title, upvotes = @upvotes,
        abstract = coalesce(@abstract, abstract), authors = coalesce(@authors, authors),
        organization = coalesce(@organization, organization), published_at = coalesce(@publishedAt, published_at),
        num_comments = coalesce(@numComments, num_comments), github_repo = coalesce(@githubRepo, github_repo),
        github_stars = coalesce(@githubStars, github_stars), project_page = coalesce(@projectPage, project_page),
        ai_summary = coalesce(@aiSummary, ai_summary), ai_keywords = coalesce(@aiKeywords, ai_keywords),
        thumbnail = coalesce(@thumbnail, thumbnail), latest_feed_date = max(latest_feed_date, @feedDate), updated_at = @now,
        listed_on_hf = 1 -- a paper first seen on arXiv keeps its categories and gains the Daily Papers listing
      WHERE id = @id`),
    // Where a backfill's older day goes in the id order: see placement().
    newestDated: client.prepare<[string], { feedDate: string }>('SELECT latest_feed_date AS feedDate FROM papers WHERE latest_feed_date != ? ORDER BY id DESC LIMIT 1'),
    lowestId: client.prepare<[], { id: number | null }>('SELECT min(id) AS id FROM papers'),
    day: client.prepare(`INSERT INTO paper_days (paper_id, feed_date, position, seen_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (feed_date, paper_id) DO UPDATE SET position = excluded.position`),
  };
}

const preparedFor = preparedOnce(prepareStatements);
const statements = (db: Pick<Db, '$client'>): Statements => preparedFor(db.$client);

/** A paper's bound values: knownFacts' columns, NULL for a fact the feed left out. */
function boundValues(paper: FeedPaper, feedDate: string, now: number) {
  const facts = knownFacts(paper);
  return {
    arxivId: paper.arxivId,
    title: paper.title,
    abstract: facts.abstract ?? null,
    authors: facts.authors ?? null,
    organization: facts.organization ?? null,
    publishedAt: facts.publishedAt ?? null,
    upvotes: paper.upvotes,
    numComments: facts.numComments ?? null,
    githubRepo: facts.githubRepo ?? null,
    githubStars: facts.githubStars ?? null,
    projectPage: facts.projectPage ?? null,
    aiSummary: facts.aiSummary ?? null,
    aiKeywords: facts.aiKeywords ?? null,
    thumbnail: facts.thumbnail ?? null,
    feedDate,
    now,
  };
}

/**
 * `upsertPapers` inside a transaction the caller already holds on `db`'s connection (a day's
 * ingest, a backfill's day). A paper listed on two days belongs to the later one (catch-up may
 * ingest out of order). `silent` (a backfill): see placement().
 */
export function writePapers(db: Db, feedDate: string, list: FeedPaper[], now: number, silent = false): { inserted: number[]; updated: number } {
  const prepared = statements(db);
  const { find, insert, insertAt, update, day } = prepared;
  // arXiv id → paper id, of the papers stored already and then of those this call inserts (a paper
  // listed twice in a day is inserted once, then refreshed).
  const ids = new Map<string, number>();
  for (const paper of list) {
    const row = ids.has(paper.arxivId) ? undefined : find.get(paper.arxivId);
    if (row) ids.set(paper.arxivId, row.id);
  }
  const fresh = new Set(list.filter((paper) => !ids.has(paper.arxivId)).map((paper) => paper.arxivId)).size;
  let below = silent ? placement(prepared, feedDate, fresh) : null;
  const inserted: number[] = [];
  let updated = 0;
  list.forEach((paper, position) => {
    const values = boundValues(paper, feedDate, now);
    let paperId = ids.get(paper.arxivId);
    if (paperId !== undefined) {
      update.run({ ...values, id: paperId });
      updated += 1;
    } else {
      if (below === null) paperId = Number(insert.run(values).lastInsertRowid);
      else {
        paperId = below;
        below += 1;
        insertAt.run({ ...values, id: paperId });
      }
      ids.set(paper.arxivId, paperId);
      inserted.push(paperId);
    }
    day.run(paperId, feedDate, position, now);
  });
  return { inserted, updated };
}

/**
 * The first id of a backfilled day's `fresh` new papers when they go BELOW every stored paper, or
 * null (on top, as usual). Search ranks a broad query's newest matches by id (plan-search.ts), so a
 * day older than the newest stored feed day must not take ids above it: the archive backfill
 * stores years of history after the recent days, newest first, and each older day goes below
 * the one before. A day at least as new as the newest stored one goes on top. Ids below the
 * lowest one are free; they are never above 0, so never above the alert watermark (which starts
 * at 0): a backfill's papers never reach alert planning.
 */
function placement(prepared: Statements, feedDate: string, fresh: number): number | null {
  if (fresh === 0) return null;
  const newest = prepared.newestDated.get(NO_FEED_DAY);
  if (newest === undefined || feedDate >= newest.feedDate) return null;
  return Math.min(prepared.lowestId.get()?.id ?? 1, 1) - fresh;
}

/**
 * Inserts new papers and refreshes known ones (upvotes, comments, stars, AI fields, text) for one
 * feed day, in one transaction. Never deletes: a paper missing from a re-fetch stays.
 * `inserted` = papers.id of papers seen for the first time.
 */
export function upsertPapers(db: Db, feedDate: string, list: FeedPaper[], now: number): { inserted: number[]; updated: number } {
  return db.transaction(() => writePapers(db, feedDate, list, now), { behavior: 'immediate' });
}

/** See Store.storeUnlistedPaper: inserted through the same statement as a feed day's papers. */
export function storeUnlistedPaper(db: Db, paper: FeedPaper, now: number, arxiv?: { categories: string[]; version: number | null }): PaperRow {
  return db.transaction(
    () => {
      const known = getPaperByArxivId(db, paper.arxivId);
      if (known) return known;
      const id = Number(statements(db).insert.run(boundValues(paper, NO_FEED_DAY, now)).lastInsertRowid);
      // Fetched on request: neither source listed it (`source:hf` leaves it out until Daily Papers does).
      db.update(papers).set(unlistedValues(arxiv)).where(eq(papers.id, id)).run();
      const row = db.select().from(papers).where(eq(papers.id, id)).get();
      if (!row) throw new Error(`paper ${paper.arxivId} vanished after its insert`);
      return row;
    },
    { behavior: 'immediate' },
  );
}

/** Distinct papers listed on a feed day from `from` to `to` (both included; a walk of the feed-day key). */
export function countPapersListed(db: Db, from: string, to: string): number {
  return db.select({ n: countDistinct(paperDays.paperId) }).from(paperDays).where(and(gte(paperDays.feedDate, from), lte(paperDays.feedDate, to))).get()?.n ?? 0;
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
