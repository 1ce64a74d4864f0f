import { asciiLower } from '../search/compile-query.ts';
import { isEmptyQuery, parseQuery } from '../search/parse-query.ts';

// A watch ready for the in-memory matcher: every term reduced to the stemmed tokens FTS5 would
// search for (so `rigor` is ['rigor'] and "state-space models" is ['state', 'space', 'model']). The
// semantics are those of compileQuery's FTS5 expression, term by term:
//   groups   AND of ORs; a term is a phrase (adjacent tokens) in any column
//   authors  a phrase in the authors column only (FTS5 `authors : "…"`)
//   exclude  no excluded phrase in any column (FTS5 NOT)
//   orgs     ASCII-case-insensitive substring of papers.organization (SQLite lower() + instr())
//   since    papers.latest_feed_date >= since;  minUpvotes  papers.upvotes >= min
// A term with no tokens (text FTS5 indexes nothing for) never matches, as FTS5's empty phrase.

export type StemmedTerm = { text: string; tokens: string[] };

export type CompiledWatch = {
  id: number;
  platform: string;
  userId: string;
  createdAt: number;
  query: string;
  groups: StemmedTerm[][];
  authors: StemmedTerm[];
  exclude: StemmedTerm[];
  orgs: string[];
  since: string | undefined;
  minUpvotes: number | undefined;
};

export type WatchSource = { id: number; platform: string; userId: string; createdAt: number; query: string };

/** Every text `compileWatch` will ask `stem` for: term texts and author names. */
export function watchTexts(watch: WatchSource): string[] {
  const query = parseQuery(watch.query);
  return [...query.groups.flat().map((t) => t.text), ...query.authors, ...query.exclude.map((t) => t.text)];
}

/** null for a query that asks for nothing (search finds nothing for it either). */
export function compileWatch(watch: WatchSource, stem: (text: string) => string[]): CompiledWatch | null {
  const query = parseQuery(watch.query);
  if (isEmptyQuery(query)) return null;
  const stemmed = (text: string): StemmedTerm => ({ text, tokens: stem(text) });
  return {
    id: watch.id,
    platform: watch.platform,
    userId: watch.userId,
    createdAt: watch.createdAt,
    query: watch.query,
    groups: query.groups.map((group) => group.map((term) => stemmed(term.text))),
    authors: query.authors.map(stemmed),
    exclude: query.exclude.map((term) => stemmed(term.text)),
    orgs: query.orgs.map(asciiLower),
    since: query.since,
    minUpvotes: query.minUpvotes,
  };
}
