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
/** The Term for a term's text (an author name when `authorsOnly`): one object per distinct text and scope. */
export type TermOf = (text: string, authorsOnly: boolean) => Term;

export type MatchQuery = {
  /** Identity: equal signatures mean equal semantics. */
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

/** Calls `visit` with every text `compileMatchQuery` will ask `term` for: term texts and author names. */
export function forEachWatchText(query: Query, visit: (text: string) => void): void {
  for (const group of query.groups) for (const term of group) visit(term.text);
  for (const name of query.authors) visit(name);
  for (const term of query.exclude) visit(term.text);
}

// Most queries have no authors, exclusions or filters: they share these (compiled queries are read-only).
const NO_TERMS: Term[] = [];
const NO_STRINGS: string[] = [];
const NO_SOURCES: PaperSource[] = [];

/** Term ids, comma-separated: part of a signature. */
function idList(terms: Term[]): string {
  let list = '';
  for (let i = 0; i < terms.length; i += 1) list += i === 0 ? `${terms[i]?.id}` : `,${terms[i]?.id}`;
  return list;
}

/** `query` = parseQuery(text). null for a query that asks for nothing (search finds nothing either). */
export function compileMatchQuery(text: string, query: Query, term: TermOf): MatchQuery | null {
  if (isEmptyQuery(query)) return null;
  let signature = '';
  const groups = query.groups.map((group, g) => {
    const terms = group.map((t) => term(t.text, false));
    signature += g === 0 ? idList(terms) : `|${idList(terms)}`;
    return terms;
  });
  const authors = query.authors.length === 0 ? NO_TERMS : query.authors.map((name) => term(name, true));
  const exclude = query.exclude.length === 0 ? NO_TERMS : query.exclude.map((t) => term(t.text, false));
  const orgs = query.orgs.length === 0 ? NO_STRINGS : query.orgs.map(asciiLower);
  const categories = (query.categories ?? []).length === 0 ? NO_STRINGS : [...new Set((query.categories ?? []).map(asciiLower))].sort();
  const sources = (query.sources ?? []).length === 0 ? NO_SOURCES : [...new Set(query.sources ?? [])].sort();
  const hasFilters = orgs.length > 0 || query.since !== undefined || query.minUpvotes !== undefined || categories.length > 0 || sources.length > 0;
  const filterKey = hasFilters ? JSON.stringify([orgs, query.since ?? null, query.minUpvotes ?? null, categories, sources]) : null;
  // One-term queries (the common case) keep their group's array as their positive terms.
  const only = groups.length === 1 && authors.length === 0 ? groups[0] : groups.length === 0 && authors.length > 0 ? authors : undefined;
  return {
    // Term ids and the filters, in a string built without JSON for the many queries with none.
    signature: `${signature};${idList(authors)};${idList(exclude)};${filterKey ?? ''}`,
    text,
    groups,
    authors,
    exclude,
    orgs,
    since: query.since,
    minUpvotes: query.minUpvotes,
    categories,
    sources,
    filterKey,
    positive: only ?? [...groups.flat(), ...authors],
  };
}
