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
// MatchQuery, so each distinct query is evaluated once per batch; terms meaning the same (`LLM` in
// 4,000 queries) share one id, so the papers holding a term are found once per batch.

/** A phrase to find: its stemmed tokens and where (any column, or authors only); `id` names both (interned). */
export type Term = { tokens: string[]; authorsOnly: boolean; id: number };
/** The Term for a phrase's stemmed tokens joined by spaces (an author name's when `authorsOnly`): one object per distinct tokens and scope. */
type TermOf = (tokens: string, authorsOnly: boolean) => Term;

/**
 * A watch text compiled as far as it goes without the index's term ids: what compileMatchQuery
 * needs, kept as JSON (watch-form.ts) so a restart neither parses nor stems the text again. A term
 * is its stemmed tokens joined by spaces ('' for none: neither tokenizer puts a space in a token);
 * g: groups, a: authors, x: exclusions, o: orgs (ASCII-lowercased), s: since, m: min upvotes,
 * c: categories (lowercased, distinct, sorted), r: sources (distinct, sorted). Empty lists and
 * absent filters are left out: most forms are `{"g":[["diffus"]]}`.
 */
export type WatchForm = { g?: string[][]; a?: string[]; x?: string[]; o?: string[]; s?: string; m?: number; c?: string[]; r?: PaperSource[] };

export type MatchQuery = {
  /**
   * Identity: the form as stored (watch-form.ts encodeForm). A form is canonical (stemmed tokens,
   * sorted filters, written by one function), so equal signatures mean equal semantics.
   */
  signature: string;
  /** One watch's text with these semantics (for FTS5 highlight() when a word split is unsure). */
  text: string;
  groups: Term[][];
  authors: Term[];
  exclude: Term[];
  orgs: string[];
  since: string | undefined;
  minUpvotes: number | undefined;
  /** Lowercased. */
  categories: string[];
  sources: PaperSource[];
  /** Names the filters (org, since, min, cat, source) when there are any: equal ones pass the same papers. */
  filterKey: string | null;
  /** Group terms then authors, for the matched words of an alert. */
  positive: Term[];
};

/** Calls `visit` with every text `watchForm` will ask `stems` for: term texts and author names. */
export function forEachWatchText(query: Query, visit: (text: string) => void): void {
  for (const group of query.groups) for (const term of group) visit(term.text);
  for (const name of query.authors) visit(name);
  for (const term of query.exclude) visit(term.text);
}

/** `query` = parseQuery(text), its texts stemmed by `stems`. null for a query that asks for nothing (search finds nothing either). */
export function watchForm(query: Query, stems: (text: string) => string[]): WatchForm | null {
  if (isEmptyQuery(query)) return null;
  const joined = (text: string) => stems(text).join(' ');
  const form: WatchForm = {};
  if (query.groups.length > 0) form.g = query.groups.map((group) => group.map((t) => joined(t.text)));
  if (query.authors.length > 0) form.a = query.authors.map(joined);
  if (query.exclude.length > 0) form.x = query.exclude.map((t) => joined(t.text));
  if (query.orgs.length > 0) form.o = query.orgs.map(asciiLower);
  if (query.since !== undefined) form.s = query.since;
  if (query.minUpvotes !== undefined) form.m = query.minUpvotes;
  if ((query.categories ?? []).length > 0) form.c = [...new Set((query.categories ?? []).map(asciiLower))].sort();
  if ((query.sources ?? []).length > 0) form.r = [...new Set(query.sources ?? [])].sort();
  return form;
}

// Most queries have no authors, exclusions or filters: they share these (compiled queries are read-only).
const NO_TERMS: Term[] = [];
const NO_STRINGS: string[] = [];
const NO_SOURCES: PaperSource[] = [];

/** The matcher's query for `text`, whose form is `form`, stored as `encoded` (see watchForm). */
export function compileMatchQuery(text: string, form: WatchForm, encoded: string, term: TermOf): MatchQuery {
  const groups = (form.g ?? []).map((group) => group.map((tokens) => term(tokens, false)));
  const authors = form.a === undefined ? NO_TERMS : form.a.map((tokens) => term(tokens, true));
  const exclude = form.x === undefined ? NO_TERMS : form.x.map((tokens) => term(tokens, false));
  const orgs = form.o ?? NO_STRINGS;
  const categories = form.c ?? NO_STRINGS;
  const sources = form.r ?? NO_SOURCES;
  const hasFilters = orgs.length > 0 || form.s !== undefined || form.m !== undefined || categories.length > 0 || sources.length > 0;
  const filterKey = hasFilters ? JSON.stringify([orgs, form.s ?? null, form.m ?? null, categories, sources]) : null;
  // One-term queries (the common case) keep their group's array as their positive terms.
  const only = groups.length === 1 && authors.length === 0 ? groups[0] : groups.length === 0 && authors.length > 0 ? authors : undefined;
  return {
    signature: encoded,
    text,
    groups,
    authors,
    exclude,
    orgs,
    since: form.s,
    minUpvotes: form.m,
    categories,
    sources,
    filterKey,
    positive: only ?? [...groups.flat(), ...authors],
  };
}
