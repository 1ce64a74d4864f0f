import type { Db } from './open-db.ts';
import { compileQuery, positiveExpression, quoteFts } from './fts5-query.ts';
import type { Query } from '../../search/parse-query.ts';
import { tokenizeTexts } from './tokenize-texts.ts';

// How one search runs: which rows are scored, and with which relevance. Work is bounded at any
// corpus size (docs/ranking.md has the measurements behind each choice):
// - Candidates are the RANK_WINDOW newest matches: `ORDER BY rowid DESC LIMIT n` lets FTS5 walk its
//   postings backwards and stop. (A `rowid >= ?` range does not: FTS5 still reads the whole
//   doclist, as slow as counting every match.) Older matches only set `capped`.
// - bm25() first counts, for its IDF, every row of the table containing each of the query's phrases
//   (FTS5's xQueryPhrase pass), whatever the LIMIT: ~30 ms for one common phrase at 100k papers,
//   ten times that at 1M. So bm25 is used only when every phrase is selective (in fewer than
//   BM25_DF_LIMIT papers, which the same backwards probe tells cheaply). Otherwise relevance is the
//   share of the query's word groups found in the title (a substring test on the stemmed forms):
//   for terms that common, bm25's differences are small and the title is what tells papers apart.

export const RANK_WINDOW = 1_000;
export const BM25_DF_LIMIT = 2_000;
/** More phrases than this and the probes alone would cost too much: use the title relevance. */
const MAX_BM25_PHRASES = 6;
/** Title weight of the broad-query relevance: a query found in the title scores 3, elsewhere 1. */
const TITLE_BOOST = 2.0;

export const BM25 = 'bm25(papers_fts, 10.0, 3.0, 2.0)';

export type SearchPlan = {
  /** Candidate rows `c(id, rel)`, already limited to the window. Its `?` come first. */
  candidates: string;
  candidateParams: Array<string | number>;
  /** Conditions on `p` (papers) for the SQL filters, and their parameters. */
  where: string;
  whereParams: Array<string | number>;
  /** Relevance expression over `c.rel` and `p`; its `?` come before the candidates'. */
  relevance: string;
  relevanceParams: Array<string | number>;
  /** More papers match than the window holds. */
  capped: boolean;
};

/** Is there an n-th newest row matching `match`? (FTS5 walks backwards and stops at n.) */
function hasAtLeast(db: Db, match: string, n: number): boolean {
  return db.$client.prepare(`SELECT 1 FROM papers_fts WHERE papers_fts MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ${n - 1}`).get(match) !== undefined;
}

/** Every phrase bm25 would compute an IDF for: positive, author and excluded ones. */
function phrasesOf(query: Query): string[] {
  return [
    ...query.groups.flat().map((term) => quoteFts(term.text)),
    ...query.authors.map((name) => `authors : ${quoteFts(name)}`),
    ...query.exclude.map((term) => quoteFts(term.text)),
  ];
}

export function planSearch(db: Db, query: Query): SearchPlan {
  const positive = positiveExpression(query);
  if (positive === null) {
    // Filters or exclusions only: no relevance, and the newest papers are the window.
    const compiled = compileQuery(query, { newest: RANK_WINDOW });
    return {
      candidates: `SELECT id, 1.0 AS rel FROM papers ORDER BY id DESC LIMIT ${RANK_WINDOW}`,
      candidateParams: [],
      where: compiled.where,
      whereParams: compiled.params,
      relevance: 'c.rel',
      relevanceParams: [],
      capped: db.$client.prepare(`SELECT 1 FROM papers ORDER BY id DESC LIMIT 1 OFFSET ${RANK_WINDOW}`).get() !== undefined,
    };
  }
  const compiled = compileQuery(query);
  const match = compiled.match ?? positive;
  const capped = hasAtLeast(db, match, RANK_WINDOW + 1);
  const phrases = phrasesOf(query);
  const selective = phrases.length <= MAX_BM25_PHRASES && phrases.every((phrase) => !hasAtLeast(db, phrase, BM25_DF_LIMIT));
  const base = { candidateParams: [match], where: compiled.where, whereParams: compiled.params, capped };
  if (selective) {
    return {
      ...base,
      candidates: `SELECT rowid AS id, -${BM25} AS rel FROM papers_fts WHERE papers_fts MATCH ? ORDER BY rowid DESC LIMIT ${RANK_WINDOW}`,
      relevance: 'c.rel',
      relevanceParams: [],
    };
  }
  return {
    ...base,
    candidates: `SELECT rowid AS id, 1.0 AS rel FROM papers_fts WHERE papers_fts MATCH ? ORDER BY rowid DESC LIMIT ${RANK_WINDOW}`,
    ...titleRelevance(db, query),
  };
}

/**
 * 1 + TITLE_BOOST × (share of word groups whose stemmed tokens all occur in the lowercased title).
 * A stem is a prefix of most forms of its word (`rigor` of "rigorous"), so a substring test finds
 * them; it only orders papers that already match, so its rare misses cost nothing but order.
 */
function titleRelevance(db: Db, query: Query): { relevance: string; relevanceParams: Array<string | number> } {
  const groups = query.groups.slice(0, MAX_BM25_PHRASES);
  if (groups.length === 0) return { relevance: 'c.rel', relevanceParams: [] };
  const stems = tokenizeTexts(db, groups.flat().map((term) => term.text));
  let next = 0;
  const params: string[] = [];
  const groupTests = groups.map((group) => {
    const termTests = group.map(() => {
      const tokens = stems[next] ?? [];
      next += 1;
      if (tokens.length === 0) return '0';
      params.push(...tokens);
      return `(${tokens.map(() => 'instr(lower(p.title), ?) > 0').join(' AND ')})`;
    });
    return `(${termTests.join(' OR ')})`;
  });
  return { relevance: `(1.0 + ${TITLE_BOOST} * (${groupTests.join(' + ')}) / ${groups.length}.0)`, relevanceParams: params };
}
