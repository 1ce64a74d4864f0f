import type { FeedPaper } from '../src/papers/feed-paper.ts';
import type { Db } from '../src/store/sqlite/open-db.ts';

// The ingest baseline: the same rows upsertPapers writes (papers + paper_days, same defaults and
// "a missing fact never erases a known one" rule), with raw prepared statements and no FTS triggers.
// With `rebuildFts` afterwards it is also the bulk path: plain INSERTs, then one FTS5 'rebuild'.

export type PlainInserter = (feedDate: string, list: FeedPaper[], now: number) => { inserted: number[]; updated: number };

const ftsTriggers = ['papers_fts_ai', 'papers_fts_ad', 'papers_fts_au'];

/** Saves the FTS trigger definitions and drops them (only in a bench database). */
export function dropFtsTriggers(db: Db): string[] {
  const client = db.$client;
  const definitions = ftsTriggers.map((name) => {
    const row: unknown = client.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?").pluck().get(name);
    if (typeof row !== 'string') throw new Error(`trigger ${name} not found: has the FTS migration changed?`);
    return row;
  });
  for (const name of ftsTriggers) client.exec(`DROP TRIGGER ${name}`);
  return definitions;
}

/** Re-creates the dropped triggers and re-indexes every paper (FTS5 'rebuild' reads the content table). */
export function rebuildFts(db: Db, triggerDefinitions: string[]): void {
  const client = db.$client;
  client.exec("INSERT INTO papers_fts(papers_fts) VALUES ('rebuild')");
  for (const definition of triggerDefinitions) client.exec(definition);
}

export function createPlainInserter(db: Db): PlainInserter {
  const client = db.$client;
  const find = client.prepare('SELECT id FROM papers WHERE arxiv_id = ?').pluck();
  const insert = client.prepare(`INSERT INTO papers (arxiv_id, title, abstract, authors, organization, published_at, upvotes,
      num_comments, github_repo, github_stars, project_page, ai_summary, ai_keywords, thumbnail, latest_feed_date,
      first_seen_at, updated_at)
    VALUES (@arxivId, @title, coalesce(@abstract, ''), coalesce(@authors, '[]'), @organization, @publishedAt, @upvotes,
      @numComments, @githubRepo, @githubStars, @projectPage, @aiSummary, @aiKeywords, @thumbnail, @feedDate, @now, @now)`);
  const update = client.prepare(`UPDATE papers SET title = @title, upvotes = @upvotes,
      abstract = coalesce(@abstract, abstract), authors = coalesce(@authors, authors),
      organization = coalesce(@organization, organization), published_at = coalesce(@publishedAt, published_at),
      num_comments = coalesce(@numComments, num_comments), github_repo = coalesce(@githubRepo, github_repo),
      github_stars = coalesce(@githubStars, github_stars), project_page = coalesce(@projectPage, project_page),
      ai_summary = coalesce(@aiSummary, ai_summary), ai_keywords = coalesce(@aiKeywords, ai_keywords),
      thumbnail = coalesce(@thumbnail, thumbnail), latest_feed_date = max(latest_feed_date, @feedDate), updated_at = @now
    WHERE id = @id`);
  const day = client.prepare(`INSERT INTO paper_days (paper_id, feed_date, position, seen_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (feed_date, paper_id) DO UPDATE SET position = excluded.position`);
  const write = client.transaction((feedDate: string, list: FeedPaper[], now: number) => {
    const inserted: number[] = [];
    let updated = 0;
    list.forEach((paper, position) => {
      const params = {
        arxivId: paper.arxivId,
        title: paper.title,
        abstract: paper.abstract || null,
        authors: paper.authors.length > 0 ? JSON.stringify(paper.authors) : null,
        organization: paper.organization,
        publishedAt: paper.publishedAt,
        upvotes: paper.upvotes,
        numComments: paper.numComments,
        githubRepo: paper.githubRepo,
        githubStars: paper.githubStars,
        projectPage: paper.projectPage,
        aiSummary: paper.aiSummary,
        aiKeywords: paper.aiKeywords === null ? null : JSON.stringify(paper.aiKeywords),
        thumbnail: paper.thumbnail,
        feedDate,
        now,
      };
      const existing: unknown = find.get(paper.arxivId);
      let id: number;
      if (typeof existing === 'number') {
        update.run({ ...params, id: existing });
        id = existing;
        updated += 1;
      } else {
        id = Number(insert.run(params).lastInsertRowid);
        inserted.push(id);
      }
      day.run(id, feedDate, position, now);
    });
    return { inserted, updated };
  });
  return (feedDate, list, now) => write.immediate(feedDate, list, now);
}
