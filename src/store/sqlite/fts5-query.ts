import { asciiLower } from '../../search/ascii-lower.ts';
import type { Query, Term } from '../../search/parse-query.ts';
import { foldSpelling } from '../../search/variants.ts';

// The one compiler from the query AST to SQLite. User text reaches SQLite only as bound
// parameters: the FTS5 expression is itself a parameter (`papers_fts MATCH @match`), and inside it every
// term is a double-quoted string (`"` doubled), so FTS5 operators typed by a user (NEAR, *, ^, :,
// AND, parentheses) are plain words to it. Every term is folded as the indexed text was
// (variants.ts: `optimisation` is searched as `optimization`).

/** Named SQL parameters (better-sqlite3 binds `@name` from an object's `name`). */
export type SqlParams = Record<string, string | number>;

type CompiledQuery = {
  /** For `papers_fts MATCH @match`; null = issue no MATCH at all (MATCH '' is an error). */
  match: string | null;
  /** AND-joined conditions on the papers table aliased `p`; '1' when there are none. */
  where: string;
  /**
   * The named parameters of `where`, all starting `q_` so a statement can add its own (`@match`,
   * `@limit`) to the same object without a clash.
   */
  params: SqlParams;
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
export function exclusionExpression(query: Query): string | null {
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
  const params: SqlParams = {};
  let match: string | null = null;
  if (positive && excluded) match = `(${positive}) NOT (${excluded})`;
  else if (positive) match = positive;
  else if (excluded) {
    // FTS5 has no pure NOT: take every paper, minus those matching any excluded term.
    conditions.push('p.id NOT IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH @q_excluded ORDER BY rowid DESC LIMIT @q_excluded_newest)');
    params.q_excluded = excluded;
    params.q_excluded_newest = options.newest ?? -1;
  }
  query.orgs.forEach((org, i) => {
    // Substring, ASCII case-insensitive; instr() needs no LIKE-wildcard escaping of `%` and `_`.
    conditions.push(`instr(lower(p.organization), @q_org_${i}) > 0`);
    params[`q_org_${i}`] = asciiLower(org);
  });
  // `since` is about the feed: the latest feed day a paper was listed on, not its arXiv date.
  if (query.since !== undefined) {
    conditions.push('p.latest_feed_date >= @q_since');
    params.q_since = query.since;
  }
  if (query.minUpvotes !== undefined) {
    conditions.push('p.upvotes >= @q_min_upvotes');
    params.q_min_upvotes = query.minUpvotes;
  }
  // cat: a category is one JSON string of papers.categories; an archive (`cs`) any of its `"cs.…"`.
  (query.categories ?? []).forEach((category, i) => {
    const lower = asciiLower(category);
    params[`q_category_${i}`] = `"${lower}"`;
    if (lower.includes('.')) {
      conditions.push(`instr(lower(p.categories), @q_category_${i}) > 0`);
    } else {
      conditions.push(`(instr(lower(p.categories), @q_category_${i}) > 0 OR instr(lower(p.categories), @q_archive_${i}) > 0)`);
      params[`q_archive_${i}`] = `"${lower}.`;
    }
  });
  for (const source of query.sources ?? []) conditions.push(source === 'hf' ? 'p.listed_on_hf = 1' : 'p.listed_on_arxiv = 1');
  return { match, where: conditions.length > 0 ? conditions.join(' AND ') : '1', params };
}
