import type { Db } from './open-db.ts';
import { authorExpression, compileQuery, ftsTerm, positiveExpression } from './fts5-query.ts';
import { estimateMatches } from '../../search/estimate-matches.ts';
import { KNOWN_ITEM_LIMIT, knownItemTerms, TITLE_END, titleTier } from '../../search/known-item.ts';
import type { Query } from '../../search/parse-query.ts';
import { hasVariants, literalQuery, unfoldedSpellings, VARIANT_WEIGHT } from '../../search/variants.ts';
import { tokenizeRows, tokenizeTexts } from './tokenize-texts.ts';

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
// - Known-item first (src/search/known-item.ts): when the query could be a title, papers_title_fts
//   (titles only) gives the papers whose title holds every query word, or, when more than
//   KNOWN_ITEM_LIMIT do, whose title is the query (anchored phrases, one word missing at most).
//   They join the candidates whatever their age, each with its tier (how closely its title is
//   the query), which ranks above the score.
// - A paper found only through a query variant (variants.ts: `LLM` finding "large language
//   model") has its relevance multiplied by VARIANT_WEIGHT: the words as typed rank first.

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
  /** Known-item tier of a candidate `c` (0 to 4, ranked before the score), and its parameters. */
  tier: string;
  tierParams: Array<string | number>;
  /** More papers match than the window holds. */
  capped: boolean;
  /** When capped: about how many papers match (the window's share of the newest ids, extrapolated). */
  estimatedMatches?: number;
};

type Row = { id: number };

/** Is there an n-th newest row matching `match`? (FTS5 walks backwards and stops at n.) */
function hasAtLeast(db: Db, match: string, n: number): boolean {
  return nthNewest(db, match, n) !== undefined;
}

function nthNewest(db: Db, match: string, n: number): number | undefined {
  return db.$client.prepare<unknown[], Row>(`SELECT rowid AS id FROM papers_fts WHERE papers_fts MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ${n - 1}`).get(match)?.id;
}

function idRange(db: Db, fallback: number): { min: number; max: number } {
  // Two subqueries: SQLite reads min() or max() alone off the rowid, but scans the table for both.
  const range = db.$client.prepare<[], { lo: number | null; hi: number | null }>('SELECT (SELECT min(id) FROM papers) AS lo, (SELECT max(id) FROM papers) AS hi').get();
  return { min: range?.lo ?? fallback, max: range?.hi ?? fallback };
}

/** Every phrase bm25 would compute an IDF for: positive, author and excluded ones. */
function phrasesOf(query: Query): string[] {
  return [
    ...query.groups.flat().map((term) => ftsTerm(term.text)),
    ...query.authors.map(authorExpression),
    ...query.exclude.map((term) => ftsTerm(term.text)),
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
      tier: '0',
      tierParams: [],
      capped: db.$client.prepare(`SELECT 1 FROM papers ORDER BY id DESC LIMIT 1 OFFSET ${RANK_WINDOW}`).get() !== undefined,
    };
  }
  const compiled = compileQuery(query);
  const match = compiled.match ?? positive;
  const oldest = nthNewest(db, match, RANK_WINDOW + 1);
  const capped = oldest !== undefined;
  const phrases = phrasesOf(query);
  const selective = phrases.length <= MAX_BM25_PHRASES && phrases.every((phrase) => !hasAtLeast(db, phrase, BM25_DF_LIMIT));
  const known = knownItems(db, query);
  const rel = selective ? `-${BM25}` : '1.0';
  const window = `SELECT rowid AS id, ${rel} AS rel FROM papers_fts WHERE papers_fts MATCH ? ORDER BY rowid DESC LIMIT ${RANK_WINDOW}`;
  // Known items older than the window join it (a paper in both counts once). Their ids go in as
  // one JSON array: FTS5 ignores a `rowid = ?` bound to a JS number (a REAL) next to MATCH, and
  // SQLite turns a one-value IN list into just that. With bm25, `+rowid` keeps the id test out of
  // FTS5: given the ids, FTS5 runs one lookup per id and bm25's IDF pass with each (~3 ms apiece),
  // while the whole (selective) match is one pass.
  const knownRowid = selective ? '+rowid' : 'rowid';
  // Every match newer than the (RANK_WINDOW + 1)-th newest is in the window already.
  const older = oldest === undefined ? [] : known.ids.filter((id) => id <= oldest);
  const candidates =
    older.length === 0
      ? window
      : `SELECT id, max(rel) AS rel FROM (SELECT * FROM (${window}) UNION ALL SELECT rowid AS id, ${rel} AS rel FROM papers_fts WHERE papers_fts MATCH ? AND ${knownRowid} IN (SELECT value FROM json_each(?))) GROUP BY id`;
  const titleScore = selective ? { relevance: 'c.rel', relevanceParams: [] } : titleRelevance(db, query);
  const variantFactor = variantWeight(query, known.ids);
  return {
    candidates,
    candidateParams: older.length === 0 ? [match] : [match, match, JSON.stringify(older)],
    where: compiled.where,
    whereParams: compiled.params,
    relevance: variantFactor ? `${titleScore.relevance} * ${variantFactor.sql}` : titleScore.relevance,
    relevanceParams: variantFactor ? [...titleScore.relevanceParams, ...variantFactor.params] : titleScore.relevanceParams,
    tier: known.tiers.length === 0 ? '0' : `(CASE c.id ${known.tiers.map(() => 'WHEN ? THEN ?').join(' ')} ELSE 0 END)`,
    tierParams: known.tiers.flatMap(({ id, tier }) => [id, tier]),
    capped,
    ...(oldest !== undefined ? { estimatedMatches: estimateMatches(RANK_WINDOW, oldest, idRange(db, oldest)) } : {}),
  };
}

/**
 * The papers whose title is close to a title-like query, with their tiers. First the titles
 * holding every query word (from the title-only index); when more than KNOWN_ITEM_LIMIT do, the
 * words are common, and anchored phrases look instead (papers_title_fts ends every title with
 * TITLE_END): the exact title; a title with one word more, after the first k query words; one
 * ending with the query (a word before it). Each probe reads the newest KNOWN_ITEM_LIMIT + 1
 * rows at most, and only the titles found are tokenised.
 */
function knownItems(db: Db, query: Query): { ids: number[]; tiers: Array<{ id: number; tier: number }> } {
  const terms = knownItemTerms(query);
  if (terms === null) return { ids: [], tiers: [] };
  const probe = db.$client.prepare<unknown[], { id: number; title: string }>(
    `SELECT t.rowid AS id, p.title AS title FROM (SELECT rowid FROM papers_title_fts WHERE papers_title_fts MATCH ? ORDER BY rowid DESC LIMIT ${KNOWN_ITEM_LIMIT + 1}) t JOIN papers p ON p.id = t.rowid`,
  );
  let rows = probe.all(terms.map(ftsTerm).join(' AND '));
  if (rows.length > KNOWN_ITEM_LIMIT) {
    const words = terms.join(' ').split(/[^\p{L}\p{N}]+/u).filter((word) => word !== '');
    const phrase = (part: string[]) => ftsTerm(part.join(' '));
    const all = phrase(words);
    const toEnd = (part: string[]) => phrase([...part, TITLE_END]);
    const oneMore = [
      ...words.slice(1).map((_, k) => `(^ ${phrase(words.slice(0, k + 1))} AND ${toEnd(words.slice(k + 1))})`),
      `(^ ${all} AND NEAR(${all} ${ftsTerm(TITLE_END)}, 1))`,
    ];
    const found = new Map<number, { id: number; title: string }>();
    for (const match of [`^ ${toEnd(words)}`, oneMore.join(' OR '), toEnd(words)]) {
      const some = probe.all(match);
      if (some.length <= KNOWN_ITEM_LIMIT) for (const row of some) found.set(row.id, row);
    }
    rows = [...found.values()];
  }
  if (rows.length === 0 || rows.length > KNOWN_ITEM_LIMIT * 3) return { ids: [], tiers: [] };
  const [typed, ...titles] = tokenizeRows(db, [{ title: terms.join(' ') }, ...rows.map((row) => ({ title: row.title }))]);
  const tiers = rows.flatMap((row, i) => {
    const tier = titleTier(typed?.title ?? [], titles[i]?.title ?? []);
    return tier > 0 ? [{ id: row.id, tier }] : [];
  });
  return { ids: rows.map((row) => row.id), tiers };
}

/**
 * VARIANT_WEIGHT unless the paper matches the query as typed; null when the query has no variants.
 * The typed query's newest RANK_WINDOW matches are read once (an uncorrelated IN list), not
 * tested per candidate: they hold every typed match of the window, since typed matches are a
 * subset of all matches. Known items hold every typed word in their title.
 */
function variantWeight(query: Query, known: number[]): { sql: string; params: Array<string | number> } | null {
  if (!hasVariants(query)) return null;
  const typed = positiveExpression(literalQuery(query));
  if (typed === null) return null;
  const knownTest = known.length > 0 ? ` OR c.id IN (${known.map(() => '?').join(',')})` : '';
  return {
    sql: `(CASE WHEN c.id IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? ORDER BY rowid DESC LIMIT ${RANK_WINDOW})${knownTest} THEN 1.0 ELSE ${VARIANT_WEIGHT} END)`,
    params: [typed, ...known],
  };
}

/**
 * 1 + TITLE_BOOST × (share of word groups whose stemmed tokens all occur in the lowercased title).
 * A stem is a prefix of most forms of its word (`rigor` of "rigorous"), so a substring test finds
 * them; it only orders papers that already match, so its rare misses cost nothing but order.
 * Stems are folded (`optimiz`) and titles are not, so each stem is also tried in its unfolded
 * spellings (`optimis`): folding every title in SQL would cost more than the whole search.
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
      params.push(...tokens.flatMap(unfoldedSpellings));
      return `(${tokens.map((token) => `(${unfoldedSpellings(token).map(() => 'instr(lower(p.title), ?) > 0').join(' OR ')})`).join(' AND ')})`;
    });
    return `(${termTests.join(' OR ')})`;
  });
  return { relevance: `(1.0 + ${TITLE_BOOST} * (${groupTests.join(' + ')}) / ${groups.length}.0)`, relevanceParams: params };
}
