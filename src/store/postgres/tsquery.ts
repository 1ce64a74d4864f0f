import { sql, type SQL } from 'drizzle-orm';
import { asciiLower } from '../../search/ascii-lower.ts';
import type { Query, Term } from '../../search/parse-query.ts';
import { hasVariants, literalQuery, VARIANT_WEIGHT } from '../../search/variants.ts';
import { queryRows, type PgDb } from './pg-db.ts';

// The one compiler from the query AST to PostgreSQL full text (the twin of ../sqlite/fts5-query.ts).
// User text is never tsquery syntax: each term is a bound parameter given to
// `phraseto_tsquery('paperboy_english', paperboy_fts_text($n))`, which cuts it into words exactly
// as the indexed text was cut (migration 0000_text_search) and makes them one phrase (stemmed,
// adjacent, like a quoted FTS5 string), and the pieces are combined in SQL with the
// tsquery operators `&&`, `||` and `!!`. So `&|!():*<>` typed by a user are plain punctuation.
// The tsvector is papers.search_vector: title weight A, abstract B, authors C.

export type CompiledTsQuery = {
  /** What every matching paper contains (words, OR groups, authors), as a tsquery; null if nothing. */
  positive: SQL | null;
  /** Any excluded term, as a tsquery; null if none. */
  excluded: SQL | null;
  /** The full-text tsquery (positive, minus the exclusions); null when the query has no positive part. */
  tsquery: SQL | null;
  /**
   * When a positive term is a phrase: what the search keys index (paperboy_search_keys, migration
   * 0013) must hold for a paper to match the positive part, every term's words and word pairs.
   * Null when no term is a phrase (search_vector's own index needs no positions then).
   */
  keys: SQL | null;
  /** That each `author:` phrase lies in the vector's authors part, on papers aliased `p` (the index cannot tell). */
  authors: SQL[];
  /** The full-text condition on papers aliased `p` (the tsquery, and authors in the vector's authors part); null when no positive part. */
  match: SQL | null;
  /** Every other condition on `p` (exclusions of a NOT-only query, org, since, min, cat, source). */
  filters: SQL[];
};

const VECTOR = sql`p.search_vector`;
const ASCII_UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** One term as a tsquery: its words stemmed and adjacent (a one-word phrase is that word). */
export const termTsquery = (text: string | SQL): SQL => sql`phraseto_tsquery('paperboy_english', paperboy_fts_text(${text}))`;

/** The words and word pairs a paper's search keys (migration 0013) hold when it matches the term. */
const termKeys = (text: string | SQL): SQL => sql`paperboy_term_keys(${text})`;

/**
 * Terms' tsqueries and search keys as PostgreSQL made them, in text form (resolveTerms). Cutting a
 * term (paperboy_fts_text's folds, the parser) costs about 0.3 ms, and every statement naming it
 * paid that again when planned: a search names each term in three to five statements.
 */
export type ResolvedTerms = ReadonlyMap<string, { tsquery: string; keys: string }>;

/**
 * A phrase's word-pair keys alone, AND-ed (null when it has none), from its text as
 * paperboy_fts_text folded it. Its words add nothing the pairs leave out: the candidates are
 * tested against the phrase anyway (newest-matches.ts), and a hash shared with another pair lets
 * through only the odd paper more. But the words of a phrase are mostly common ("in context"), and
 * GIN reads their long posting lists for every probe: at 100k papers the window of
 * `find in-context` took 9.8 ms of server CPU instead of 12.7 ms without them.
 */
const pairKeys = (folded: SQL): SQL =>
  sql`(SELECT string_agg('''' || u.lexeme || '''', ' & ') FROM unnest(paperboy_word_pairs(to_tsvector('paperboy_english', ${folded}))) AS u)`;

/** paperboy_term_keys (words and pairs) of a folded text. */
const foldedTermKeys = (folded: SQL): SQL =>
  sql`(SELECT coalesce(string_agg('''' || u.lexeme || '''', ' & '), '')::tsquery::text FROM unnest(paperboy_search_keys(to_tsvector('paperboy_english', ${folded}))) AS u)`;

/**
 * Every term of `query` (words, phrases, authors, exclusions) cut once, in one statement. A term
 * of one word is its own key; a phrase's (a `<->` in its tsquery) are its word pairs, or its
 * words and pairs if it has no pair. Each term is folded by paperboy_fts_text once (`OFFSET 0`
 * keeps the planner from copying the function, which is large, into every place that uses it:
 * planning and evaluating it three times took 2.6 ms of server CPU for a 3-term query, 0.8 ms once).
 */
export async function resolveTerms(db: PgDb, query: Query): Promise<ResolvedTerms> {
  const texts = [...new Set([...query.groups.flat().map((t) => t.text), ...query.authors, ...query.exclude.map((t) => t.text)])];
  if (texts.length === 0) return new Map();
  const folded = sql`f.text`;
  const rows = await queryRows<{ term: string; tsquery: string; keys: string }>(
    db,
    sql`SELECT t.term, q.tsquery, CASE WHEN strpos(q.tsquery, '<') > 0 THEN coalesce(${pairKeys(folded)}, ${foldedTermKeys(folded)}) ELSE q.tsquery END AS keys
        FROM json_array_elements_text(${JSON.stringify(texts)}::json) AS t(term)
          CROSS JOIN LATERAL (SELECT paperboy_fts_text(t.term) AS text OFFSET 0) AS f
          CROSS JOIN LATERAL (SELECT phraseto_tsquery('paperboy_english', ${folded})::text AS tsquery) AS q`,
  );
  return new Map(rows.map(({ term, tsquery, keys }) => [term, { tsquery, keys }]));
}

const joinTsqueries = (parts: SQL[], operator: '&&' | '||'): SQL => sql`(${sql.join(parts, sql.raw(` ${operator} `))})`;

/**
 * Whether a term not resolved is several words, a phrase (`in-context`, "knowledge bases"), guessed
 * from its text: a wrong guess only picks the slower index, never other papers.
 */
const looksLikePhrase = (text: string): boolean => (text.match(/[\p{L}\p{N}]+/gu) ?? []).length > 1;

/** A tsquery operand in text form: a quoted lexeme, `''` for a quote inside it (the same pattern in JavaScript and PostgreSQL). */
const OPERAND = /'((?:[^']|'')*)'/g;

/** A term's tsquery (text form) with every word restricted to the authors part (weight C). */
const inAuthors = (tsquery: string): string => tsquery.replace(OPERAND, "'$1':C");

export function compileTsquery(query: Query, resolved: ResolvedTerms = new Map()): CompiledTsQuery {
  const tsqueryOf = (text: string): SQL => {
    const known = resolved.get(text);
    return known ? sql`${known.tsquery}::tsquery` : termTsquery(text);
  };
  const keysOf = (text: string): SQL => {
    const known = resolved.get(text);
    return known ? sql`${known.keys}::tsquery` : termKeys(text);
  };
  const isPhrase = (text: string): boolean => {
    const known = resolved.get(text);
    return known ? known.tsquery.includes('<') : looksLikePhrase(text);
  };
  const authorsPart = (name: string): SQL => {
    const known = resolved.get(name);
    return known ? sql`${inAuthors(known.tsquery)}::tsquery` : sql`regexp_replace(${termTsquery(name)}::text, ${OPERAND.source}, ${"'\\1':C"}, 'g')::tsquery`;
  };
  const groups = query.groups.filter((g) => g.length > 0);
  const groupTsquery = (group: Term[]): SQL => joinTsqueries(group.map((t) => tsqueryOf(t.text)), '||');
  const positiveParts = [...groups.map((g) => groupTsquery(g)), ...query.authors.map(tsqueryOf)];
  const positive = positiveParts.length > 0 ? joinTsqueries(positiveParts, '&&') : null;
  const phrases = [...groups.flat().map((t) => t.text), ...query.authors].some(isPhrase);
  const keys = phrases
    ? joinTsqueries([...groups.map((g) => joinTsqueries(g.map((t) => keysOf(t.text)), '||')), ...query.authors.map(keysOf)], '&&')
    : null;
  const excluded = query.exclude.length > 0 ? joinTsqueries(query.exclude.map((term) => tsqueryOf(term.text)), '||') : null;
  const filters: SQL[] = [];
  let tsquery: SQL | null = null;
  // One NOT over an OR of the exclusions, as on SQLite; tsquery's `!` keeps it inside the index lookup.
  if (positive && excluded) tsquery = sql`(${positive} && !!${excluded})`;
  else if (positive) tsquery = positive;
  else if (excluded) filters.push(sql`NOT (${VECTOR} @@ ${excluded})`);
  // The author phrase must lie in the authors part: every word of it is matched on weight-C
  // (authors) positions only, so the phrase cannot straddle title and authors. (As
  // `ts_filter(vector, '{c}') @@ phrase`, which gives the same answer, it copied every candidate's
  // authors part first: a third of a prolific author's window.) ts_match_vq, not `@@`, which the
  // planner could take to the index. Part of the match, as `authors : "…"` is part of FTS5's
  // MATCH: the window holds the newest papers by that author.
  const authors = query.authors.map((name) => sql`ts_match_vq(${VECTOR}, ${authorsPart(name)})`);
  const match = tsquery ? sql.join([sql`${VECTOR} @@ ${tsquery}`, ...authors], sql` AND `) : null;
  for (const org of query.orgs) {
    // Substring, ASCII case-insensitive like SQLite's lower(); strpos needs no LIKE escaping.
    filters.push(sql`strpos(translate(p.organization, ${ASCII_UPPER}, ${ASCII_UPPER.toLowerCase()}), ${asciiLower(org)}) > 0`);
  }
  // `since` is about the feed: the latest feed day a paper was listed on, not its arXiv date.
  if (query.since !== undefined) filters.push(sql`p.latest_feed_date >= ${query.since}`);
  if (query.minUpvotes !== undefined) filters.push(sql`p.upvotes >= ${query.minUpvotes}`);
  // cat: a category is one JSON string of papers.categories; an archive (`cs`) any of its `"cs.…"`.
  for (const category of query.categories ?? []) {
    const lower = asciiLower(category);
    const categories = sql`translate(p.categories, ${ASCII_UPPER}, ${ASCII_UPPER.toLowerCase()})`;
    if (lower.includes('.')) filters.push(sql`strpos(${categories}, ${`"${lower}"`}) > 0`);
    else filters.push(sql`(strpos(${categories}, ${`"${lower}"`}) > 0 OR strpos(${categories}, ${`"${lower}.`}) > 0)`);
  }
  for (const source of query.sources ?? []) filters.push(source === 'hf' ? sql`p.listed_on_hf` : sql`p.listed_on_arxiv`);
  return { positive, excluded, tsquery, keys, authors, match, filters };
}

/**
 * A matching paper's relevance before popularity and freshness: ts_rank (weights `{D, C, B, A}`)
 * of the query as typed when the paper matches it, else VARIANT_WEIGHT × ts_rank of the whole
 * query. ts_rank of an OR divides by its number of terms, so ranking a typed match by the query
 * with its variants cut it to a fraction (`LLM` OR "large language model": a title with LLM fell
 * below abstracts holding both forms).
 */
export function relevanceOf(query: Query, compiled: CompiledTsQuery, weights: string, resolved: ResolvedTerms = new Map()): SQL {
  if (!compiled.positive) return sql`1.0`;
  const rank = (tsquery: SQL) => sql`ts_rank(${weights}::float4[], ${VECTOR}, ${tsquery})`;
  const typed = hasVariants(query) ? compileTsquery(literalQuery(query), resolved).positive : null;
  if (!typed) return rank(compiled.positive);
  return sql`(CASE WHEN ${VECTOR} @@ ${typed} THEN ${rank(typed)} ELSE ${VARIANT_WEIGHT} * ${rank(compiled.positive)} END)`;
}

/** Every condition of the query on `p`, AND-joined (`true` when there is none). */
export function whereOf(compiled: CompiledTsQuery): SQL {
  const all = compiled.match ? [compiled.match, ...compiled.filters] : compiled.filters;
  return all.length > 0 ? sql.join(all, sql` AND `) : sql`true`;
}
