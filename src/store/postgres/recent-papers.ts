import { and, desc, gte, lt, sql } from 'drizzle-orm';
import { parseArxivId } from '../../papers/arxiv-id.ts';
import type { PaperRow } from '../store.ts';
import { idArray, newestMatches, PROBE_GROWTH } from './newest-matches.ts';
import { getPaperByArxivId, paperColumns } from './papers.ts';
import type { PgDb } from './pg-db.ts';
import { papers } from './schema.ts';
import { termTsquery } from './tsquery.ts';

/**
 * "Every word of `text`, the last one as a prefix" as a tsquery; null if no words. Whole words
 * are cut and stemmed as the index was (termTsquery). The prefix is stemmed too, as FTS5's porter
 * tokenizer stems a prefix token (`diffusion*` looks for `diffus…`), except under 3 characters,
 * which FTS5 never stems ('simple'). It holds letters and digits only, so it cannot be tsquery
 * syntax, and it is a bound parameter anyway.
 */
function titlePrefixTsquery(text: string) {
  const words = (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 8).map((w) => w.slice(0, 40));
  const last = words.pop();
  if (last === undefined) return null;
  const prefix = last.length < 3 ? sql`to_tsquery('simple', ${`${last}:*`})` : sql`to_tsquery('paperboy_english', ${`${last}:*`})`;
  const parts = [...words.map(termTsquery), prefix];
  return sql`(${sql.join(parts, sql` && `)})`;
}

/**
 * Autocomplete for `/papers paper`, as on SQLite (../sqlite/papers.ts): the newest papers, or
 * those whose arXiv id starts with `prefix`, or whose title has its words (the last one a prefix).
 * Bounded at 1M papers: id prefixes seek the unique index; title words look at the 200 newest
 * matches of the titles' own index (title_vector) only.
 */
export async function listRecentPapers(db: PgDb, options: { limit: number; prefix?: string }): Promise<PaperRow[]> {
  const prefix = options.prefix?.trim().slice(0, 200) ?? '';
  const newestFirst = [desc(papers.latestFeedDate), desc(papers.upvotes)];
  if (!prefix) return db.select(paperColumns).from(papers).orderBy(...newestFirst).limit(options.limit);
  const exact = parseArxivId(prefix);
  if (exact) {
    const row = await getPaperByArxivId(db, exact);
    if (row) return [row];
  }
  if (/^[\d.]+$|^[a-z-]+(\.[A-Z]{2})?\/\d*$/.test(prefix)) {
    // COLLATE "C": byte order, as SQLite compares text, so the range is exactly the prefix's.
    return db
      .select(paperColumns)
      .from(papers)
      .where(and(gte(sql`${papers.arxivId} COLLATE "C"`, prefix), lt(sql`${papers.arxivId} COLLATE "C"`, `${prefix}\uffff`)))
      .orderBy(desc(sql`${papers.arxivId} COLLATE "C"`))
      .limit(options.limit);
  }
  const match = titlePrefixTsquery(prefix);
  if (!match) return [];
  const ids = await newestMatches(db, { column: 'title_vector', match, filter: null, limit: 200, growth: PROBE_GROWTH.sparse });
  if (ids.length === 0) return [];
  return db.select(paperColumns).from(papers).where(sql`${papers.id} = ANY(${idArray(ids)})`).orderBy(...newestFirst).limit(options.limit);
}
