import { asciiLower } from '../../search/ascii-lower.ts';
import type { Db } from './open-db.ts';
import { authorExpression, compileQuery, exclusionExpression, ftsTerm, positiveExpression, type SqlParams } from './fts5-query.ts';
import { estimateMatches } from '../../search/estimate-matches.ts';
import { CLOSE_EXTRA_WORDS, closeTitleKinds, KNOWN_ITEM_LIMIT, knownItemTerms, titleTier } from '../../search/known-item.ts';
import type { Query, Term } from '../../search/parse-query.ts';
import { unfoldedSpellings, VARIANT_WEIGHT } from '../../search/variants.ts';
import { RANK_WINDOW } from '../store.ts';
import { searchStatement } from './search-statements.ts';
import { indexWords, titleEnd } from './title-end.ts';
import { tokenizeTexts } from './tokenize-texts.ts';

// How one search runs: which rows are scored, and with which relevance. Work is bounded at any
// corpus size (docs/ranking.md has the measurements behind each choice):
// - Candidates are the RANK_WINDOW newest matches: `ORDER BY rowid DESC LIMIT n` lets FTS5 walk its
//   postings backwards and stop. (A `rowid >= ?` range does not: FTS5 still reads the whole
//   doclist, as slow as counting every match.) The walk reads RANK_WINDOW + 1 rows, once: the
//   extra row only says `capped` (more match than are ranked) and where the window ends. (A query
//   of one term walks on to BM25_DF_LIMIT rows instead, which also answers its bm25 probe.)
// - The walk's rows come back to JavaScript as (id, rel, tier) and are scored there
//   (search-papers.ts reads the candidates' rows by id): the window is not walked a second time,
//   and the known items and the variant weight join it without SQL of their own.
// - bm25() first counts, for its IDF, every row of the table containing each of the query's phrases
//   (FTS5's xQueryPhrase pass), whatever the LIMIT: ~30 ms for one common phrase at 100k papers,
//   ten times that at 1M. So bm25 is used only when every phrase is selective (in fewer than
//   BM25_DF_LIMIT papers and in under a quarter of them, which the same backwards probe tells
//   cheaply). Otherwise relevance is the share of the query's word groups found in the title (a
//   substring test on the stemmed forms): for terms that common, bm25's differences are small
//   and the title is what tells papers apart. The quarter matters in small stores: a phrase in
//   half the papers or more has an IDF at FTS5's floor (1e-6), and every score became ~0.
// - Known-item first (src/search/known-item.ts): when the query could be a title, papers_title_fts
//   (titles only) gives the papers whose title holds every query word, or, when more than
//   KNOWN_ITEM_LIMIT do, whose title is the query or nearly (found among the titles of about the
//   query's length: the title index ends each title with a word naming its length).
//   They join the candidates whatever their age, each with its tier (how closely its title is
//   the query), which ranks above the score.
// - A paper found only through a query variant (variants.ts: `LLM` finding "large language
//   model") has its relevance multiplied by VARIANT_WEIGHT: the words as typed rank first.

export const BM25_DF_LIMIT = 2_000;
/** bm25 also needs every phrase in under this share of the papers (its IDF is ln 3 there). */
const BM25_DF_SHARE = 0.25;
/** More phrases than this and the probes alone would cost too much: use the title relevance. */
const MAX_BM25_PHRASES = 6;
/** Title weight of the broad-query relevance: a query found in the title scores 3, elsewhere 1. */
const TITLE_BOOST = 2.0;

const BM25 = 'bm25(papers_fts, 10.0, 3.0, 2.0)';

/** One row to rank: its relevance so far (bm25 or 1, times the variant weight) and known-item tier. */
type Candidate = { id: number; rel: number; tier: number };

type SearchPlan = {
  /** The rows to rank, each once: the window and the known items older than it. */
  candidates: Candidate[];
  /** Conditions on `p` (papers) for the SQL filters. */
  where: string;
  /** The factor of a candidate's relevance its title gives (the title relevance), or null: 1. */
  titleWeight: ((title: string) => number) | null;
  /** The named parameters of `where`. */
  params: SqlParams;
  /** More papers match than the window holds. */
  capped: boolean;
  /** When capped: about how many papers match (the window's share of the newest ids, extrapolated). */
  estimatedMatches?: number;
};

type Walked = { id: number; rel: number };

/** Is there an n-th newest row matching `match`? (FTS5 walks backwards and stops at n.) */
function hasAtLeast(db: Db, match: string, n: number): boolean {
  return searchStatement<{ match: string }, Walked>(db, `SELECT rowid AS id FROM papers_fts WHERE papers_fts MATCH @match ORDER BY rowid DESC LIMIT 1 OFFSET ${n - 1}`).get({ match }) !== undefined;
}

function idRange(db: Db, fallback: number): { min: number; max: number } {
  // Two subqueries: SQLite reads min() or max() alone off the rowid, but scans the table for both.
  const range = searchStatement<[], { lo: number | null; hi: number | null }>(db, 'SELECT (SELECT min(id) FROM papers) AS lo, (SELECT max(id) FROM papers) AS hi').get();
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

/** The window's rows and `capped`, from RANK_WINDOW + 1 rows of one backwards walk. */
function splitWindow(walked: Walked[]): { window: Walked[]; oldest: number | undefined } {
  return { window: walked.slice(0, RANK_WINDOW), oldest: walked[RANK_WINDOW]?.id };
}

/** The newest `limit` rows matching `match`, newest first: FTS5 walks its postings backwards and stops. */
function walk(db: Db, match: string, rel: string, limit: number): Walked[] {
  return searchStatement<{ match: string; limit: number }, Walked>(db, `SELECT rowid AS id, ${rel} AS rel FROM papers_fts WHERE papers_fts MATCH @match ORDER BY rowid DESC LIMIT @limit`).all({ match, limit });
}

/** A phrase of one word (no separator inside the quotes): its probe reads no positions, so it is the cheap one. */
const isOneWord = (phrase: string) => /^"[\p{L}\p{N}]+"$/u.test(phrase);

/**
 * Whether bm25 is used: every phrase in fewer than `dfLimit` papers. `walked`: the newest
 * RANK_WINDOW + 1 matches when finding that out already walked them (the window needs no walk of
 * its own). A query of one term and nothing else walks its matches to `dfLimit` rows once: that
 * many make it broad, and their newest are the window; fewer, and it is selective (its probe would
 * have walked the same rows). Otherwise each phrase is probed, one-word phrases first: their probes
 * read no positions, and one common word decides it. (With an exclusion the walk to `dfLimit`
 * matches could run far past the term's own `dfLimit`th paper.)
 */
function selectivity(db: Db, query: Query, match: string, dfLimit: number): { selective: boolean; walked: Walked[] | null } {
  const phrases = phrasesOf(query);
  if (phrases.length > MAX_BM25_PHRASES) return { selective: false, walked: null };
  if (phrases.length === 1 && query.groups.length === 1 && query.groups[0]?.length === 1) {
    const ids = searchStatement<{ match: string; limit: number }, number>(db, 'SELECT rowid FROM papers_fts WHERE papers_fts MATCH @match ORDER BY rowid DESC LIMIT @limit')
      .pluck()
      .all({ match, limit: Math.max(dfLimit, RANK_WINDOW + 1) });
    if (ids.length < dfLimit) return { selective: true, walked: null };
    return { selective: false, walked: ids.slice(0, RANK_WINDOW + 1).map((id) => ({ id, rel: 1 })) };
  }
  const cheapFirst = [...phrases].sort((a, b) => Number(isOneWord(b)) - Number(isOneWord(a)));
  return { selective: cheapFirst.every((phrase) => !hasAtLeast(db, phrase, dfLimit)), walked: null };
}

/** `stored`: how many papers the store holds (storedPaperCount). */
export function planSearch(db: Db, query: Query, stored: number): SearchPlan {
  const positive = positiveExpression(query);
  if (positive === null) {
    // Filters or exclusions only: no relevance, and the newest papers are the window.
    const compiled = compileQuery(query, { newest: RANK_WINDOW });
    const { window, oldest } = splitWindow(searchStatement<[], Walked>(db, `SELECT id, 1.0 AS rel FROM papers ORDER BY id DESC LIMIT ${RANK_WINDOW + 1}`).all());
    return { candidates: window.map(({ id }) => ({ id, rel: 1, tier: 0 })), where: compiled.where, titleWeight: null, params: compiled.params, capped: oldest !== undefined };
  }
  const compiled = compileQuery(query);
  const match = compiled.match ?? positive;
  const dfLimit = Math.max(1, Math.min(BM25_DF_LIMIT, Math.floor(stored * BM25_DF_SHARE)));
  const { selective, walked } = selectivity(db, query, match, dfLimit);
  const rel = selective ? `-${BM25}` : '1.0';
  const { window, oldest } = splitWindow(walked ?? walk(db, match, rel, RANK_WINDOW + 1));
  // Nothing matches (known items must match too): no title to look at, no relevance to build.
  if (window.length === 0) return { candidates: [], where: compiled.where, titleWeight: null, params: compiled.params, capped: false };
  const known = knownItems(db, query);
  // Known items older than the window join it if they match the whole query. A known item's title
  // holds every typed word group (holdingTerms checked its tokens), so without bm25 to read and
  // with no author to test, only the exclusions are left to look up.
  // Otherwise the ids go to FTS5 with the whole query: one lookup of every phrase per id (~0.1 ms
  // at 100k papers, 0.3 ms at 1M, for hundreds of ids). The ids go in as one JSON array: FTS5
  // ignores a `rowid = ?` bound to a JS number (a REAL) next to MATCH, and SQLite turns a
  // one-value IN list into just that. With bm25, `+rowid` keeps the id test out of FTS5: given the
  // ids, FTS5 runs one lookup per id and bm25's IDF pass with each (~3 ms apiece), while the whole
  // (selective) match is one pass.
  const older = oldest === undefined ? [] : known.ids.filter((id) => id <= oldest);
  const ftsRows = (expression: string, ids: number[]) =>
    searchStatement<{ match: string; ids: string }, Walked>(
      db,
      `SELECT rowid AS id, ${rel} AS rel FROM papers_fts WHERE papers_fts MATCH @match AND ${selective ? '+rowid' : 'rowid'} IN (SELECT value FROM json_each(@ids))`,
    ).all({ match: expression, ids: JSON.stringify(ids) });
  const excluded = exclusionExpression(query);
  // A title or query with characters outside ASCII is checked by FTS5 all the same: the tokens
  // holdingTerms compared come from a JavaScript split, and unicode61 counts some symbols (emoji)
  // as words.
  const wordsMatch = !selective && query.authors.length === 0;
  const checked = wordsMatch ? older.filter((id) => known.plain.has(id)) : [];
  const unchecked = wordsMatch ? older.filter((id) => !known.plain.has(id)) : older;
  let olderRows: Walked[] = unchecked.length > 0 ? ftsRows(match, unchecked) : [];
  if (checked.length > 0) {
    const dropped = new Set(excluded === null ? [] : ftsRows(excluded, checked).map((row) => row.id));
    olderRows = [...olderRows, ...checked.filter((id) => !dropped.has(id)).map((id) => ({ id, rel: 1 }))];
  }
  const variantOnly = variantOnlyMatches(db, query, window);
  const knownIds = new Set(known.ids);
  const tiers = new Map(known.tiers.map(({ id, tier }) => [id, tier]));
  const candidates = [...window, ...olderRows].map(({ id, rel: score }) => ({
    id,
    rel: variantOnly.has(id) && !knownIds.has(id) ? score * VARIANT_WEIGHT : score,
    tier: tiers.get(id) ?? 0,
  }));
  return {
    candidates,
    where: compiled.where,
    titleWeight: selective ? null : titleRelevance(db, query),
    params: compiled.params,
    capped: oldest !== undefined,
    ...(oldest !== undefined ? { estimatedMatches: estimateMatches(RANK_WINDOW, oldest, idRange(db, oldest)) } : {}),
  };
}

/**
 * The papers whose title is close to a title-like query, with their tiers. First the titles
 * holding every typed term (papers_title_fts, titles only). When more than KNOWN_ITEM_LIMIT hold its
 * words, they are common, and the titles that *are* the query are looked for among those of about its
 * length: papers_title_fts ends every title with a word naming its length (title-end.ts), so one
 * walk finds the titles holding every term that are as long as the query or up to
 * CLOSE_EXTRA_WORDS words longer, and their tokens tell which are exact, which have one word more
 * and which end with the query (closeTitleKinds). Only those titles are read.
 */
function knownItems(db: Db, query: Query): { ids: number[]; tiers: Array<{ id: number; tier: number }>; plain: Set<number> } {
  const none = { ids: [], tiers: [], plain: new Set<number>() };
  const terms = knownItemTerms(query);
  if (terms === null) return none;
  const typed = terms.join(' ');
  const stems = titleStems(db);
  stems.load([typed]);
  const tokens = stems.of(typed);
  if (tokens.length === 0) return none;
  // Words alone make a cheaper walk than the terms' phrases (no positions to read); the tokens of
  // the titles read tell which hold the terms (a typed end word, `paperboytitleend5`, matches
  // titles by their length in the walks, and only those holding it as a word in the check).
  const words = indexWords(typed);
  const everyWord = words.map(ftsTerm).join(' AND ');
  // Ascending where the order does not matter: FTS5 walks a doclist forwards more cheaply.
  const matching = (match: string, limit: number, order: 'ASC' | 'DESC') =>
    searchStatement<{ match: string; limit: number }, number>(db, `SELECT rowid FROM papers_title_fts WHERE papers_title_fts MATCH @match ORDER BY rowid ${order} LIMIT @limit`)
      .pluck()
      .all({ match, limit });
  const holdingIds = matching(everyWord, KNOWN_ITEM_LIMIT + 1, 'ASC');
  let rows: Titled[];
  if (holdingIds.length <= KNOWN_ITEM_LIMIT) rows = titlesOf(db, holdingIds);
  else {
    // The close titles hold every word, and are as long as the query or up to CLOSE_EXTRA_WORDS
    // longer (their tokens tell which kind each is). All of them, or when there are more than
    // CLOSE_TITLES_LIMIT, the newest.
    const n = words.length;
    const lengths = Array.from({ length: CLOSE_EXTRA_WORDS + 1 }, (_, extra) => ftsTerm(titleEnd(n + extra)));
    const closeMatch = `${everyWord} AND (${lengths.join(' OR ')})`;
    let closeIds = matching(closeMatch, CLOSE_TITLES_LIMIT + 1, 'ASC');
    const complete = closeIds.length <= CLOSE_TITLES_LIMIT;
    if (!complete) closeIds = matching(closeMatch, CLOSE_TITLES_LIMIT, 'DESC');
    const close = titlesOf(db, closeIds);
    stems.load(close.map((row) => row.title));
    const kinds = closeTitleKinds(tokens, close, (row) => stems.of(row.title), complete);
    // More close titles than were read: a kind they hold too few of gets its own probe.
    const probe = (match: string) => titlesOf(db, matching(match, KNOWN_ITEM_LIMIT + 1, 'DESC'));
    const probes = closeProbes(words);
    // Papers whose title is exactly the query outrank every other known item: when there are any,
    // the newest KNOWN_ITEM_LIMIT of them are enough (many papers can share a title: the bench
    // corpus reuses its fixture titles).
    const exact = kinds.exact ?? probe(probes.exact);
    const found = new Map<number, Titled>();
    for (const some of exact.length > 0 ? [exact] : [kinds.oneMore ?? probe(probes.oneMore), kinds.endingWith ?? probe(probes.endingWith)]) {
      for (const row of some.slice(0, KNOWN_ITEM_LIMIT)) found.set(row.id, row);
    }
    rows = [...found.values()];
  }
  // Known items match the query as typed (planSearch counts on it): a title holding the words
  // but not a term's phrase (a word between "camel" and "bench" for `camel-bench`) is not one.
  rows = holdingTerms(rows, terms, stems);
  if (rows.length === 0) return none;
  const tiers = rows.flatMap((row) => {
    const tier = titleTier(tokens, stems.of(row.title));
    return tier > 0 ? [{ id: row.id, tier }] : [];
  });
  const plain = NON_ASCII.test(typed) ? [] : rows.flatMap((row) => (NON_ASCII.test(row.title) ? [] : [row.id]));
  return { ids: rows.map((row) => row.id), tiers, plain: new Set(plain) };
}

/**
 * Close titles read at most (the newest): more titles than this of about the query's length
 * holding all its words, and the query does not name one paper.
 */
const CLOSE_TITLES_LIMIT = 1_000;

type Titled = { id: number; title: string };

const phrase = (words: string[], end?: number) => ftsTerm([...words, ...(end === undefined ? [] : [titleEnd(end)])].join(' '));

/**
 * FTS5 expressions for each close-title kind of a query of `n` index words (closeTitleKinds): the
 * exact title; one word more, after the first k words or after them all; the query at the end
 * with one or two words before it. A phrase ending with a title's end word ends that title.
 */
function closeProbes(words: string[]): { exact: string; oneMore: string; endingWith: string } {
  const n = words.length;
  const longer = Array.from({ length: CLOSE_EXTRA_WORDS }, (_, extra) => n + extra + 1);
  const anyOf = (parts: string[]) => parts.map((part) => `(${part})`).join(' OR ');
  return {
    exact: `^ ${phrase(words, n)}`,
    oneMore: anyOf([
      ...words.slice(1).map((_, k) => `^ ${phrase(words.slice(0, k + 1))} AND ${phrase(words.slice(k + 1), n + 1)}`),
      `^ ${phrase(words)} AND ${ftsTerm(titleEnd(n + 1))}`,
    ]),
    endingWith: longer.map((length) => phrase(words, length)).join(' OR '),
  };
}

/** The papers' titles, newest first (a kind keeps its newest). */
function titlesOf(db: Db, ids: number[]): Titled[] {
  if (ids.length === 0) return [];
  return searchStatement<{ ids: string }, Titled>(db, 'SELECT id, title FROM papers WHERE id IN (SELECT value FROM json_each(@ids)) ORDER BY id DESC').all({ ids: JSON.stringify(ids) });
}

/** Texts' title tokens, each distinct text tokenised once per search. */
function titleStems(db: Db): { load: (texts: string[]) => void; of: (text: string) => string[] } {
  const cache = new Map<string, string[]>();
  return {
    load(texts) {
      const missing = [...new Set(texts)].filter((text) => !cache.has(text));
      tokenizeTexts(db, missing).forEach((tokens, i) => cache.set(missing[i] ?? '', tokens));
    },
    of: (text) => cache.get(text) ?? [],
  };
}

/** The rows whose title holds every typed term as FTS5 matches it: the term's tokens in a row. */
function holdingTerms(rows: Titled[], terms: string[], stems: ReturnType<typeof titleStems>): Titled[] {
  stems.load([...terms, ...rows.map((row) => row.title)]);
  const termTokens = terms.map((term) => stems.of(term));
  const holds = (title: string[], tokens: string[]) => {
    for (let start = title.indexOf(tokens[0] ?? ''); start !== -1; start = title.indexOf(tokens[0] ?? '', start + 1)) {
      if (tokens.every((token, i) => title[start + i] === token)) return true;
    }
    return false;
  };
  return rows.filter((row) => termTokens.every((tokens) => tokens.length > 0 && holds(stems.of(row.title), tokens)));
}

/**
 * The window's papers found only through a query variant (their relevance is weighted down). A
 * paper matching the query misses it as typed exactly when, for some word group, it holds one of
 * the group's variants and none of its typed terms: one backwards walk of those papers (variants
 * are mostly rare forms, `incontext`), stopped at the window's oldest id. (Before, the typed query
 * was walked as far as the window: as long a walk as the window's own.)
 */
function variantOnlyMatches(db: Db, query: Query, window: Walked[]): Set<number> {
  const anyOf = (terms: Term[]) => terms.map((term) => ftsTerm(term.text)).join(' OR ');
  const missed = query.groups.flatMap((group) => {
    const typed = group.filter((term) => !term.variant);
    const variants = group.filter((term) => term.variant);
    // A group of variants alone is not in the typed query (literalQuery drops it): it misses nothing.
    return typed.length > 0 && variants.length > 0 ? [`((${anyOf(variants)}) NOT (${anyOf(typed)}))`] : [];
  });
  const found = new Set<number>();
  const oldest = window[window.length - 1]?.id;
  if (missed.length === 0 || oldest === undefined) return found;
  const ids = new Set(window.map((row) => row.id));
  const statement = searchStatement<{ match: string }, number>(db, 'SELECT rowid FROM papers_fts WHERE papers_fts MATCH @match ORDER BY rowid DESC').pluck();
  for (const id of statement.iterate({ match: missed.join(' OR ') })) {
    if (id < oldest) break;
    if (ids.has(id)) found.add(id);
  }
  return found;
}

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * 1 + TITLE_BOOST × (share of word groups whose stemmed tokens all occur in the ASCII-lowercased
 * title, as SQLite's lower() would make it). A stem is a prefix of most forms of its word (`rigor`
 * of "rigorous"), so a substring test finds them; it only orders papers that already match, so its
 * rare misses cost nothing but order. Stems are folded (`optimiz`) and titles are not, so each stem
 * is also tried in its unfolded spellings (`optimis`): folding every title would cost more than the
 * test. Run in JavaScript over the candidates' titles: as SQL (instr(lower(p.title), …) per
 * spelling) it was a third of the ranking statement.
 */
function titleRelevance(db: Db, query: Query): ((title: string) => number) | null {
  const groups = query.groups.slice(0, MAX_BM25_PHRASES);
  if (groups.length === 0) return null;
  const stems = tokenizeTexts(db, groups.flat().map((term) => term.text));
  let next = 0;
  // Per group, its terms; per term, its stems; per stem, its spellings (a term with no token never matches).
  const tests = groups.map((group) =>
    group.map(() => {
      const tokens = stems[next] ?? [];
      next += 1;
      return tokens.map((token) => unfoldedSpellings(token));
    }),
  );
  return (title) => {
    // toLowerCase is asciiLower on ASCII text and several times faster than its regex (a thousand titles a query).
    const lower = NON_ASCII.test(title) ? asciiLower(title) : title.toLowerCase();
    const found = tests.filter((terms) => terms.some((tokens) => tokens.length > 0 && tokens.every((spellings) => spellings.some((spelling) => lower.includes(spelling))))).length;
    return 1 + (TITLE_BOOST * found) / groups.length;
  };
}
