import type { Query } from './parse-query.ts';

// Known-item search: someone pastes a paper's title (or most of it) and means that paper. Both
// backends probe the titles that hold every query word (a cheap title-only lookup when the
// words are selective), add those papers to the ranked candidates whatever their age, and rank
// them by how closely the title is the query (`titleTier`) above every other match
// (docs/ranking.md, "Known-item first").

/** Titles holding every query word, at most: more and the words do not name one paper. */
export const KNOWN_ITEM_LIMIT = 200;
const MAX_WORDS = 32;

/** Fewer words are a topic, not a title: they would only pay for the probe. */
const MIN_WORDS = 3;

/**
 * The typed terms, in order, when the query could be a title: three to 32 words in all, every
 * word group a single typed term (no `a OR b`). Null otherwise.
 */
export function knownItemTerms(query: Query): string[] | null {
  const terms: string[] = [];
  for (const group of query.groups) {
    const typed = group.filter((term) => !term.variant);
    if (typed.length !== 1) return null;
    terms.push(typed[0]?.text ?? '');
  }
  const words = terms.join(' ').split(/[^\p{L}\p{N}]+/u).filter((word) => word !== '').length;
  return words >= MIN_WORDS && words <= MAX_WORDS ? terms : null;
}

/**
 * How closely a title (its index tokens) is the query (its index tokens, in typed order):
 * 4 the whole title; 3 the whole title but one word; 2 a phrase within the title; 1 in order
 * within it, one word apart; 0 none of these.
 */
export function titleTier(query: string[], title: string[]): number {
  if (query.length === 0) return 0;
  const gaps = fewestGaps(query, title);
  if (gaps === null) return 0;
  if (gaps === 0 && title.length === query.length) return 4;
  if (gaps <= 1 && title.length === query.length + 1) return 3;
  if (gaps === 0) return 2;
  return gaps === 1 ? 1 : 0;
}

/** Fewest skipped title tokens between the query's tokens matched in order (0 = a phrase), or null. */
function fewestGaps(query: string[], title: string[]): number | null {
  let best: number | null = null;
  for (let start = 0; start < title.length; start += 1) {
    if (title[start] !== query[0]) continue;
    let position = start;
    let gaps = 0;
    let matched = 1;
    for (; matched < query.length; matched += 1) {
      const next = title.indexOf(query[matched] ?? '', position + 1);
      if (next === -1) break;
      gaps += next - position - 1;
      position = next;
    }
    if (matched === query.length && (best === null || gaps < best)) best = gaps;
  }
  return best;
}

/** Known items of these kinds, newest KNOWN_ITEM_LIMIT + 1 of each; undefined: not known from the rows given. */
type CloseKinds<T> = { exact?: T[]; oneMore?: T[]; endingWith?: T[] };

const startsWith = (tokens: string[], part: string[]) => part.length <= tokens.length && part.every((token, i) => tokens[i] === token);
const endsWith = (tokens: string[], part: string[]) => part.length <= tokens.length && part.every((token, i) => tokens[tokens.length - part.length + i] === token);

/** A title (its index tokens) that is the query (its index tokens), nothing more. */
export const isExactTitle = (query: string[], title: string[]): boolean => title.length === query.length && startsWith(title, query);

/** How much longer than the query a close title may be, in words ("A new" + the query). */
export const CLOSE_EXTRA_WORDS = 2;

/**
 * Both backends' one-walk rule: among `rows` (titles holding every query word, maybe narrowed by
 * conditions every title of the three kinds meets), the exact titles, the titles with one word
 * more (after the first k query words, or at the end) and those ending with the query, newest
 * KNOWN_ITEM_LIMIT + 1 of each by id; no title of a kind is more than CLOSE_EXTRA_WORDS longer than
 * the query. `complete`: the rows are every such title, so each kind is all there is; otherwise a
 * kind is known only when the rows hold more than KNOWN_ITEM_LIMIT of it.
 */
export function closeTitleKinds<T extends { id: number }>(query: string[], rows: T[], tokensOf: (row: T) => string[], complete: boolean): CloseKinds<T> {
  if (query.length === 0) return {};
  const n = query.length;
  const at = (title: string[], position: number) => position >= 0 && query.every((token, i) => title[position + i] === token);
  const pick = (test: (title: string[]) => boolean) => {
    const some = rows
      .filter((row) => {
        const title = tokensOf(row);
        return title.length <= n + CLOSE_EXTRA_WORDS && test(title);
      })
      .sort((a, b) => b.id - a.id)
      .slice(0, KNOWN_ITEM_LIMIT + 1);
    return complete || some.length > KNOWN_ITEM_LIMIT ? some : undefined;
  };
  return {
    exact: pick((title) => isExactTitle(query, title)),
    oneMore: pick(
      (title) =>
        title.length === n + 1 &&
        (query.some((_, k) => k > 0 && startsWith(title, query.slice(0, k)) && endsWith(title, query.slice(k))) || at(title, 0)),
    ),
    endingWith: pick((title) => at(title, title.length - n)),
  };
}
