import { asciiLower } from '../search/ascii-lower.ts';
import { isEmptyQuery, type PaperSource, type Query } from '../search/parse-query.ts';

// A watch ready for the in-memory matcher: every term reduced to the stemmed tokens FTS5 would
// search for (so `rigor` is ['rigor'] and "state-space models" is ['state', 'space', 'model']). The
// semantics are those of the SQLite store's FTS5 expression (compileQuery), term by term:
//   groups   AND of ORs; a term is a phrase (adjacent tokens) in any column
//   authors  a phrase in the authors column only (FTS5 `authors : "…"`)
//   exclude  no excluded phrase in any column (FTS5 NOT)
//   orgs     ASCII-case-insensitive substring of papers.organization (SQLite lower() + instr())
//   since    papers.latest_feed_date >= since;  minUpvotes  papers.upvotes >= min
//   categories  each among papers.categories (an archive: any of its categories), ASCII case-insensitive
//   sources     each listed the paper (papers.listed_on_hf / listed_on_arxiv)
// A term with no tokens (text FTS5 indexes nothing for) never matches, as FTS5's empty phrase.
// Watches meaning the same (e.g. `Diffusion` of one user, `diffusion` of 300 others) share one
// MatchQuery, so each distinct query is evaluated once per batch.

export type StemmedTerm = { text: string; tokens: string[] };
/** A term a match shows: where to look (any column, or authors only); `id` names both (interned). */
export type PositiveTerm = { tokens: string[]; authorsOnly: boolean; id: number };
/** Small integers for strings, stable for the life of the index cache (cheap Map keys). */
export type Interner = (key: string) => number;

export type MatchQuery = {
  /** Identity: equal signatures mean equal semantics. */
  signature: string;
  /** One watch's text with these semantics (for FTS5 highlight() when a word split is unsure). */
  text: string;
  groups: StemmedTerm[][];
  authors: StemmedTerm[];
  exclude: StemmedTerm[];
  orgs: string[];
  since: string | undefined;
  minUpvotes: number | undefined;
  /** Lowercased. */
  categories: string[];
  sources: PaperSource[];
  /** Only one-word terms and exclusions, no authors: token bitsets alone decide, no positions needed. */
  exact: boolean;
  /** Group terms then authors, for the matched words of an alert. */
  positive: PositiveTerm[];
  /** Names `positive` (interned): queries with the same one show the same words for a paper. */
  positiveId: number;
};

export type CompiledWatch = { id: number; platform: string; userId: string; query: string; match: MatchQuery };

export type WatchSource = { id: number; platform: string; userId: string; createdAt: number; query: string };

/** Every text `compileMatchQuery` will ask `stem` for: term texts and author names. */
export function watchTexts(query: Query): string[] {
  return [...query.groups.flat().map((t) => t.text), ...query.authors, ...query.exclude.map((t) => t.text)];
}

/** `query` = parseQuery(text). null for a query that asks for nothing (search finds nothing either). */
export function compileMatchQuery(text: string, query: Query, stem: (text: string) => string[], intern: Interner): MatchQuery | null {
  if (isEmptyQuery(query)) return null;
  const stemmed = (term: string): StemmedTerm => ({ text: term, tokens: stem(term) });
  const groups = query.groups.map((group) => group.map((term) => stemmed(term.text)));
  const authors = query.authors.map(stemmed);
  const exclude = query.exclude.map((term) => stemmed(term.text));
  const orgs = query.orgs.map(asciiLower);
  const categories = [...new Set((query.categories ?? []).map(asciiLower))].sort();
  const sources = [...new Set(query.sources ?? [])].sort();
  const oneWord = (term: StemmedTerm) => term.tokens.length === 1;
  const positiveTerm = (term: StemmedTerm, authorsOnly: boolean): PositiveTerm => ({ tokens: term.tokens, authorsOnly, id: intern(`${authorsOnly ? 'a' : 'w'}:${term.tokens.join(' ')}`) });
  const tokens = (term: StemmedTerm) => term.tokens;
  const positive = [...groups.flat().map((term) => positiveTerm(term, false)), ...authors.map((term) => positiveTerm(term, true))];
  return {
    signature: JSON.stringify([groups.map((g) => g.map(tokens)), authors.map(tokens), exclude.map(tokens), orgs, query.since ?? null, query.minUpvotes ?? null, categories, sources]),
    text,
    groups,
    authors,
    exclude,
    orgs,
    since: query.since,
    minUpvotes: query.minUpvotes,
    categories,
    sources,
    exact: authors.length === 0 && groups.every((group) => group.every(oneWord)) && exclude.every(oneWord),
    positive,
    positiveId: intern(positive.map((term) => term.id).join(',')),
  };
}
