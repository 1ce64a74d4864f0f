import { asciiLower } from '../../search/ascii-lower.ts';
import type { Query, Term } from '../../search/parse-query.ts';
import { foldSpelling } from '../../search/variants.ts';

// The one compiler from the query AST to SQLite. User text reaches SQLite only as bound
// parameters: the FTS5 expression is itself a parameter (`papers_fts MATCH ?`), and inside it every
// term is a double-quoted string (`"` doubled), so FTS5 operators typed by a user (NEAR, *, ^, :,
// AND, parentheses) are plain words to it. Every term is folded as the indexed text was
// (variants.ts: `optimisation` is searched as `optimization`).

export type CompiledQuery = {
  /** For `papers_fts MATCH ?`; null = issue no MATCH at all (MATCH '' is an error). */
  match: string | null;
  /** AND-joined conditions on the papers table aliased `p`; '1' when there are none. */
  where: string;
  /** Bound, in order, for the `?` in `where`. */
  params: Array<string | number>;
};

/** `"text"` with `"` doubled: one FTS5 string, tokenised like the indexed text, never syntax. */
function quoteFts(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

/** One query term as an FTS5 string over the folded index. */
export const ftsTerm = (text: string) => quoteFts(foldSpelling(text));
const termExpression = (term: Term) => ftsTerm(term.text);
export const authorExpression = (name: string) => `authors : ${ftsTerm(name)}`;

function groupExpression(group: Term[]): string {
  const inner = group.map(termExpression).join(' OR ');
  return group.length === 1 ? inner : `(${inner})`;
}

/** What every matching paper must contain (words, OR-groups, authors), or null if nothing. */
export function positiveExpression(query: Query): string | null {
  const parts = [...query.groups.filter((g) => g.length > 0).map(groupExpression), ...query.authors.map(authorExpression)];
  return parts.length > 0 ? parts.join(' AND ') : null;
}

/** Any excluded term, or null. One OR node, never a NOT chain (FTS5 caps expression depth at 256). */
function exclusionExpression(query: Query): string | null {
  return query.exclude.length > 0 ? query.exclude.map(termExpression).join(' OR ') : null;
}

/** Any positive term: for highlight(), which should mark every query word a paper contains. */
export function anyTermExpression(query: Query): string | null {
  const parts = [...query.groups.flat().map(termExpression), ...query.authors.map(authorExpression)];
  return parts.length > 0 ? parts.join(' OR ') : null;
}

/**
 * `newest`: the caller only looks at the `newest` most recently added papers, so a NOT-only query
 * needs only that many of the newest excluded rows (an FTS5 backwards walk that stops), not all.
 */
export function compileQuery(query: Query, options: { newest?: number } = {}): CompiledQuery {
  const positive = positiveExpression(query);
  const excluded = exclusionExpression(query);
  const conditions: string[] = [];
  const params: Array<string | number> = [];
  let match: string | null = null;
  if (positive && excluded) match = `(${positive}) NOT (${excluded})`;
  else if (positive) match = positive;
  else if (excluded) {
    // FTS5 has no pure NOT: take every paper, minus those matching any excluded term.
    conditions.push('p.id NOT IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? ORDER BY rowid DESC LIMIT ?)');
    params.push(excluded, options.newest ?? -1);
  }
  for (const org of query.orgs) {
    // Substring, ASCII case-insensitive; instr() needs no LIKE-wildcard escaping of `%` and `_`.
    conditions.push('instr(lower(p.organization), ?) > 0');
    params.push(asciiLower(org));
  }
  // `since` is about the feed: the latest feed day a paper was listed on, not its arXiv date.
  if (query.since !== undefined) {
    conditions.push('p.latest_feed_date >= ?');
    params.push(query.since);
  }
  if (query.minUpvotes !== undefined) {
    conditions.push('p.upvotes >= ?');
    params.push(query.minUpvotes);
  }
  // cat: a category is one JSON string of papers.categories; an archive (`cs`) any of its `"cs.…"`.
  for (const category of query.categories ?? []) {
    const lower = asciiLower(category);
    if (lower.includes('.')) {
      conditions.push('instr(lower(p.categories), ?) > 0');
      params.push(`"${lower}"`);
    } else {
      conditions.push('(instr(lower(p.categories), ?) > 0 OR instr(lower(p.categories), ?) > 0)');
      params.push(`"${lower}"`, `"${lower}.`);
    }
  }
  for (const source of query.sources ?? []) conditions.push(source === 'hf' ? 'p.listed_on_hf = 1' : 'p.listed_on_arxiv = 1');
  return { match, where: conditions.length > 0 ? conditions.join(' AND ') : '1', params };
}
