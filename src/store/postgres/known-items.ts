import { sql, type SQL } from 'drizzle-orm';
import { CLOSE_EXTRA_WORDS, closeTitleKinds, isExactTitle, KNOWN_ITEM_LIMIT, knownItemTerms, titleTier } from '../../search/known-item.ts';
import type { Query } from '../../search/parse-query.ts';
import { idArray, newestMatches, PROBE_GROWTH, type IdRange } from './newest-matches.ts';
import { queryRows, type PgDb } from './pg-db.ts';
import { termTsquery } from './tsquery.ts';

// Known-item first on PostgreSQL, as on SQLite (../sqlite/plan-search.ts, src/search/known-item.ts):
// the papers whose title is close to a title-like query join the ranking whatever their age, each
// with its tier. First the titles holding every word (title_vector, the twin of SQLite's
// papers_title_fts). When more than KNOWN_ITEM_LIMIT do, the words are common and the titles that
// *are* the query are looked for: the exact title; when there is none, the titles with one word
// more and those ending with the query. As phrases, each of these is a walk of every title holding
// the words with GIN's recheck (no positions in the index) on each: a full-table walk when few
// titles match, 50–250 ms apiece at 1M papers. So, as on SQLite, one walk finds all three kinds:
// the newest CLOSE_TITLES_LIMIT titles holding every word whose last word ends the title or comes
// one word before its end; their tokens tell which is which. A kind is known from that walk when
// the walk saw every such title or found more than KNOWN_ITEM_LIMIT of the kind (its newest ones);
// only a kind still unknown costs its own phrase probe.

/** Titles the one walk reads at most (the newest): bounded cost when the words are everywhere. */
const CLOSE_TITLES_LIMIT = 1_000;

type Tiered = { ids: number[]; tiers: Array<{ id: number; tier: number }> };
type Titled = { id: number; tokens: string[] };

const NONE: Tiered = { ids: [], tiers: [] };

/** The papers whose title is close to a title-like query, with their tiers (titleTier > 0). */
export async function knownItems(db: PgDb, query: Query, range: IdRange): Promise<Tiered> {
  const terms = knownItemTerms(query);
  if (terms === null) return NONE;
  const typedText = terms.join(' ');
  const words = wordsOf(typedText);
  // The newest `limit` + 1 titles holding every word whose title part satisfies `phrases` (one more
  // tells that there are more), newest first.
  const titles = (phrases: SQL | null, limit: number) => titlesHolding(db, typedText, phrases, limit + 1, range);
  // Titles holding every term (a term of several words as a phrase of the title; a term of ASCII
  // letters and digits alone is one word, which the index alone tells).
  const phrases = terms.every((term) => /^[a-z0-9]+$/i.test(term)) ? null : sql`(${sql.join(terms.map(termTsquery), sql` && `)})`;
  const holding = await titles(phrases, KNOWN_ITEM_LIMIT);
  if (holding.length === 0) return NONE;
  if (holding.length <= KNOWN_ITEM_LIMIT) {
    const { typed, found } = await titleTokens(db, typedText, holding);
    return tiered(typed, found);
  }
  const last = phrase(words.slice(-1));
  const close = await titles(sql`(tsquery_phrase(${last}, ${END}) || tsquery_phrase(${last}, ${END}, 2))`, CLOSE_TITLES_LIMIT);
  const { typed, found } = await titleTokens(db, typedText, close);
  const kinds = closeTitleKinds(typed, found, (title) => title.tokens, close.length <= CLOSE_TITLES_LIMIT);
  // Papers whose title is exactly the query outrank every other known item: when there are any,
  // the newest KNOWN_ITEM_LIMIT of them are enough (many papers can share a title, and dropping a
  // probe that found too many lost them all), as on SQLite.
  let endingWith = kinds.endingWith;
  const ending = async () => (endingWith ??= await probe(db, typedText, titles, sql`tsquery_phrase(${phrase(words)}, ${END})`));
  const exact = kinds.exact ?? (await ending()).filter((title) => isExactTitle(typed, title.tokens));
  const chosen = exact.length > 0 ? [exact] : [kinds.oneMore ?? (await probe(db, typedText, titles, oneWordMore(words))), await ending()];
  const picked = new Map<number, Titled>();
  for (const some of chosen) for (const title of some.slice(0, KNOWN_ITEM_LIMIT)) picked.set(title.id, title);
  return tiered(typed, [...picked.values()]);
}

const wordsOf = (text: string) => text.split(/[^\p{L}\p{N}]+/u).filter((word) => word !== '');

/**
 * The newest titles holding every word of `text` whose title part satisfies `phrases` (null: no
 * more), newest first. The words are found by the title index alone: without a phrase, GIN needs
 * no recheck. The phrases are tested on search_vector's title part and its end (weights A and D:
 * the same positions and '|' as title_vector) rather than by a recheck of title_vector, which is
 * mostly stored out of line: four TOAST pages a row, where search_vector is in the row
 * (0010_search_buckets). ts_match_vq is `@@` in a form the planner does not take to the
 * search_vector index (which would read every paper holding the words).
 */
function titlesHolding(db: PgDb, text: string, phrases: SQL | null, limit: number, range: IdRange): Promise<number[]> {
  return newestMatches(db, {
    column: 'title_vector',
    match: sql`plainto_tsquery('paperboy_english', paperboy_fts_text(${text}))`,
    filter: phrases === null ? null : sql`ts_match_vq(ts_filter(p.search_vector, '{a,d}'), ${phrases})`,
    limit,
    growth: PROBE_GROWTH.sparse,
    range,
  });
}

/** The lexeme paperboy_search_vector and paperboy_title_vector put right after a title's last word. */
const END = sql`$$'|'$$::tsquery`;
const phrase = (part: string[]): SQL => termTsquery(part.join(' '));

/**
 * A title with one word more (one position apart): after the first k query words (k ≥ 1), or after
 * them all; anchored at the title's end (a tsquery cannot anchor a phrase at its start).
 */
const oneWordMore = (words: string[]): SQL =>
  sql`(${sql.join(
    [
      ...words.slice(1).map((_, k) => sql`tsquery_phrase(${phrase(words.slice(0, k + 1))}, tsquery_phrase(${phrase(words.slice(k + 1))}, ${END}), 2)`),
      sql`tsquery_phrase(${phrase(words)}, ${END}, 2)`,
    ],
    sql` || `,
  )})`;

/**
 * One phrase probe's newest KNOWN_ITEM_LIMIT + 1 close titles, with their tokens: of its newest
 * CLOSE_TITLES_LIMIT matches, those at most CLOSE_EXTRA_WORDS longer than the query
 * (closeTitleKinds; "ending with the query" matches titles of any length, and the newest of them
 * are mostly long).
 */
async function probe(db: PgDb, typedText: string, titles: (phrases: SQL | null, limit: number) => Promise<number[]>, match: SQL): Promise<Titled[]> {
  const ids = await titles(match, CLOSE_TITLES_LIMIT);
  if (ids.length === 0) return [];
  const { typed, found } = await titleTokens(db, typedText, ids);
  return found.filter((title) => title.tokens.length <= typed.length + CLOSE_EXTRA_WORDS).slice(0, KNOWN_ITEM_LIMIT + 1);
}

/**
 * The typed text's tokens and each title's, in one statement: a title's tokens are the lexemes of
 * its search_vector's title part (weight A) in position order, cut exactly as the typed terms are
 * (title_vector holds the same, but mostly out of line). Titles come back newest first.
 */
async function titleTokens(db: PgDb, typedText: string, ids: number[]): Promise<{ typed: string[]; found: Titled[] }> {
  const rows = await queryRows<{ id: number | null; tokens: string[] }>(
    db,
    sql`SELECT NULL::int AS id, array_agg(u.lexeme ORDER BY pos) AS tokens
          FROM unnest(to_tsvector('paperboy_english', paperboy_fts_text(${typedText}))) AS u CROSS JOIN LATERAL unnest(u.positions) AS pos
        UNION ALL
        (SELECT p.id, array_agg(u.lexeme ORDER BY t.pos) FROM papers p CROSS JOIN LATERAL unnest(ts_filter(p.search_vector, '{a}')) AS u CROSS JOIN LATERAL unnest(u.positions, u.weights) AS t(pos, weight)
          WHERE p.id = ANY(${idArray(ids)}) AND t.weight = 'A' GROUP BY p.id ORDER BY p.id DESC)`,
  );
  const typed = rows.find((row) => row.id === null)?.tokens ?? [];
  const found = rows.flatMap((row) => (row.id === null ? [] : [{ id: row.id, tokens: row.tokens }]));
  return { typed, found };
}

function tiered(typed: string[], found: Titled[]): Tiered {
  if (found.length === 0 || found.length > KNOWN_ITEM_LIMIT * 3) return NONE;
  const tiers = found.flatMap(({ id, tokens }) => {
    const tier = titleTier(typed, tokens);
    return tier > 0 ? [{ id, tier }] : [];
  });
  return { ids: found.map((title) => title.id), tiers };
}
