import { parseQuery } from '../search/parse-query.ts';
import { userKey } from '../store/alerted-by-user.ts';
import type { Store } from '../store/store.ts';
import { bitCount, createBitset, hasBit, lowestIndex, setBit, withoutLowest, type Bitset } from './bitset.ts';
import type { MatchQuery } from './compile-watch.ts';
import { createEvaluator, prefixCounts, type BatchEvaluator } from './evaluate-watch.ts';
import { loadPaperBatch, type BatchPaper, type PaperBatch } from './paper-batch.ts';
import { getWatchIndex, type WatchIndex } from './watch-index.ts';

// Which users get which of the new papers. Percolator-style: the papers are tokenised once; each
// distinct watch query (kept compiled in the watch index) is evaluated once over bitsets of the
// papers holding each of its terms, with FTS5's semantics (test/watches proves it agrees with
// searchPapers). Then each user's matches are the union of their watches' papers minus those they
// have; only the matches a DM shows are credited to a watch (the user's first matching one, in
// list order) and spelled; the others are paper ids. A (watch text, paper) match is one object,
// spelled once, whichever users share that watch text.

type WatchMatch = { paperId: number; watchQuery: string; terms: string[] };
/**
 * `paperIds`: every new match of the user; `matches`: the first of them (at most `shown`), with
 * watch and words. Arrays and matches may be shared between users: read-only.
 */
export type UserMatches = { platform: string; userId: string; paperIds: number[]; matches: WatchMatch[] };

/** Per user, the papers of this batch already alerted to them, as a bitset over the batch. */
async function alreadyAlerted(store: Store, batch: PaperBatch): Promise<Map<string, Bitset>> {
  const bitOf = new Map(batch.papers.map((paper) => [paper.id, paper.index]));
  const done = new Map<string, Bitset>();
  for (const row of await store.alertedAmong([...bitOf.keys()])) {
    const bit = bitOf.get(row.paperId);
    if (bit === undefined) continue;
    const key = userKey(row.platform, row.userId);
    const bits = done.get(key) ?? createBitset(batch.papers.length);
    setBit(bits, bit);
    done.set(key, bits);
  }
  return done;
}

/** The papers each distinct query matches: query q's are words [q * size, (q + 1) * size) of `bits` when `matched[q]`. */
function evaluateQueries(batch: PaperBatch, index: WatchIndex, evaluator: BatchEvaluator): { bits: Uint32Array; matched: Uint8Array } {
  const { size } = batch;
  const bits = new Uint32Array(index.queries.length * size);
  const matched = new Uint8Array(index.queries.length);
  const out = new Uint32Array(size);
  index.queries.forEach((query, q) => {
    if (!evaluator.evaluate(query, out)) return;
    matched[q] = 1;
    bits.set(out, q * size);
  });
  return { bits, matched };
}

/**
 * The matched words of a (query, paper) pair as the paper spells them; one-term queries (the
 * common case) share their term's array. When a word split is unsure, FTS5's highlight() on the
 * stored paper says it exactly: those pairs wait for `finish`, one store read per (paper, query).
 */
function createSpeller(evaluator: BatchEvaluator) {
  const unsure = new Map<string, { paperId: number; text: string; matches: WatchMatch[] }>();
  const termsOf = (query: MatchQuery, paper: BatchPaper): string[] | null => {
    const only = query.positive.length === 1 ? query.positive[0] : undefined;
    if (only) return evaluator.spell(only, paper);
    const terms: string[] = [];
    for (const term of query.positive) {
      // A term of an OR group may not be in this paper: the batch's bitsets say so without a lookup.
      if (!hasBit(evaluator.termBits(term), paper.index)) continue;
      const spelled = evaluator.spell(term, paper);
      if (spelled === null) return null;
      const word = spelled[0];
      if (word !== undefined && !terms.includes(word)) terms.push(word);
    }
    return terms;
  };
  return {
    /** Sets `match.terms`, or leaves it to `finish` when only the stored paper can tell. */
    spell(match: WatchMatch, query: MatchQuery, paper: BatchPaper): void {
      const terms = termsOf(query, paper);
      if (terms !== null) {
        match.terms = terms;
        return;
      }
      const key = `${paper.index}:${query.signature}`;
      const waiting = unsure.get(key);
      if (waiting) waiting.matches.push(match);
      else unsure.set(key, { paperId: paper.id, text: query.text, matches: [match] });
    },
    async finish(store: Store): Promise<void> {
      for (const { paperId, text, matches } of unsure.values()) {
        const terms = await store.matchedTerms(paperId, parseQuery(text));
        for (const match of matches) match.terms = terms;
      }
    },
  };
}

/**
 * Per distinct query and watch text, what users share: the query's paper ids, and the (text, paper)
 * matches with their words, each made when a DM first shows it. A query's papers are numbered by
 * rank (their position among its papers in batch order).
 */
function createShared(index: WatchIndex, batch: PaperBatch, bits: Uint32Array, evaluator: BatchEvaluator, shown: number) {
  const { size } = batch;
  const speller = createSpeller(evaluator);
  const prefixes: Array<Uint16Array | undefined> = [];
  const ids: Array<number[] | undefined> = [];
  const textMatches: Array<Array<WatchMatch | undefined> | undefined> = [];
  const firstShown: Array<WatchMatch[] | undefined> = [];
  const prefixOf = (q: number): Uint16Array => (prefixes[q] ??= prefixCounts(bits.subarray(q * size, (q + 1) * size)));
  const countOf = (q: number): number => (prefixOf(q)[size - 1] ?? 0) + bitCount(bits[q * size + size - 1] ?? 0);
  const idsOf = (q: number): number[] => {
    let list = ids[q];
    if (!list) {
      list = new Array<number>(countOf(q));
      let n = 0;
      for (let i = 0, at = q * size; i < size; i += 1, at += 1) {
        for (let left = bits[at] ?? 0; left !== 0; left = withoutLowest(left)) list[n++] = batch.papers[lowestIndex(left, i)]?.id ?? 0;
      }
      ids[q] = list;
    }
    return list;
  };
  /** The match of watch text t (of query q) and a paper q matches. */
  const matchOf = (t: number, q: number, paper: BatchPaper): WatchMatch => {
    const word = paper.index >>> 5;
    const rank = (prefixOf(q)[word] ?? 0) + bitCount((bits[q * size + word] ?? 0) & ((1 << (paper.index & 31)) - 1));
    const list = (textMatches[t] ??= new Array<WatchMatch | undefined>(countOf(q)));
    let match = list[rank];
    if (!match) {
      match = { paperId: paper.id, watchQuery: index.texts[t] ?? '', terms: NO_TERMS };
      speller.spell(match, index.queries[q] as MatchQuery, paper);
      list[rank] = match;
    }
    return match;
  };
  return {
    idsOf,
    matchOf,
    /** What a user whose only matching watch has text t (of query q) is shown. */
    firstShown(t: number, q: number): WatchMatch[] {
      let list = firstShown[t];
      if (!list) {
        list = [];
        for (let i = 0, at = q * size; i < size && list.length < shown; i += 1, at += 1) {
          for (let left = bits[at] ?? 0; left !== 0 && list.length < shown; left = withoutLowest(left)) list.push(matchOf(t, q, batch.papers[lowestIndex(left, i)] as BatchPaper));
        }
        firstShown[t] = list;
      }
      return list;
    },
    finish: speller.finish,
  };
}

type Shared = ReturnType<typeof createShared>;

/**
 * For each user, the new papers matching any of their watches, each paper once (credited to the
 * user's first matching watch in list order, with the words it matched), never a paper already in
 * alerted_papers for that user. Users are ordered by platform and id, papers as in `newPaperIds`.
 * Only the first `shown` papers of a user (what one DM shows) come with their watch and words;
 * `paperIds` lists them all. Arrays and match objects are shared between users: treat them as
 * read-only.
 */
export async function matchWatches(store: Store, newPaperIds: number[], options: { shown?: number } = {}): Promise<UserMatches[]> {
  if (newPaperIds.length === 0) return [];
  const shown = options.shown ?? Number.POSITIVE_INFINITY;
  const index = await getWatchIndex(store);
  if (index.queries.length === 0) return [];
  const batch = await loadPaperBatch(store, newPaperIds);
  if (batch.papers.length === 0) return [];
  const evaluator = createEvaluator(batch, index.idBound);
  const { bits, matched } = evaluateQueries(batch, index, evaluator);
  if (!matched.includes(1)) return [];
  const alerted = await alreadyAlerted(store, batch);
  const shared = createShared(index, batch, bits, evaluator, shown);
  const { size } = batch;
  const { watchQueries, watchTexts } = index;
  const result: UserMatches[] = [];
  const fresh = new Uint32Array(size);
  for (const user of index.users) {
    // The user's watches that match any new paper: the first (and how many).
    let first = -1;
    let matching = 0;
    for (let w = user.start; w < user.end; w += 1) {
      if (matched[watchQueries[w] ?? 0] !== 1) continue;
      if (first < 0) first = w;
      matching += 1;
    }
    if (matching === 0) continue;
    const before = alerted.size > 0 ? alerted.get(userKey(user.platform, user.userId)) : undefined;
    if (matching === 1 && !before) {
      // One matching watch and nothing alerted before (the common case): what every user of that watch text gets.
      const q = watchQueries[first] ?? 0;
      result.push({ platform: user.platform, userId: user.userId, paperIds: shared.idsOf(q), matches: shared.firstShown(watchTexts[first] ?? 0, q) });
      continue;
    }
    // The union of the user's watches' papers, less those alerted to them before.
    fresh.fill(0);
    for (let w = first; w < user.end; w += 1) {
      const q = watchQueries[w] ?? 0;
      if (matched[q] !== 1) continue;
      for (let i = 0, at = q * size; i < size; i += 1, at += 1) fresh[i] = (fresh[i] ?? 0) | (bits[at] ?? 0);
    }
    let count = 0;
    for (let i = 0; i < size; i += 1) {
      if (before) fresh[i] = (fresh[i] ?? 0) & ~(before[i] ?? 0);
      count += bitCount(fresh[i] ?? 0);
    }
    if (count > 0) result.push({ platform: user.platform, userId: user.userId, ...collect(fresh, count, user, first, index, bits, matched, batch, shared, shown) });
  }
  await shared.finish(store);
  return result.sort((a, b) => (a.platform === b.platform ? compare(a.userId, b.userId) : compare(a.platform, b.platform)));
}

/**
 * The user's `count` new matches in batch order; the first `shown` credited to the user's first
 * watch (in list order, from watch `first`) that matches the paper, with its words.
 */
function collect(
  fresh: Bitset,
  count: number,
  user: WatchIndex['users'][number],
  first: number,
  index: WatchIndex,
  bits: Uint32Array,
  matched: Uint8Array,
  batch: PaperBatch,
  shared: Shared,
  shown: number,
): { paperIds: number[]; matches: WatchMatch[] } {
  const paperIds = new Array<number>(count);
  const matches: WatchMatch[] = [];
  const { size } = batch;
  const { watchQueries, watchTexts } = index;
  let n = 0;
  for (let i = 0; i < size; i += 1) {
    for (let left = fresh[i] ?? 0; left !== 0; left = withoutLowest(left)) {
      const bit = lowestIndex(left, i);
      const paper = batch.papers[bit] as BatchPaper;
      paperIds[n] = paper.id;
      n += 1;
      if (matches.length >= shown) continue;
      const mask = 1 << (bit & 31);
      for (let w = first; w < user.end; w += 1) {
        const q = watchQueries[w] ?? 0;
        if (matched[q] !== 1 || ((bits[q * size + i] ?? 0) & mask) === 0) continue;
        matches.push(shared.matchOf(watchTexts[w] ?? 0, q, paper));
        break;
      }
    }
  }
  return { paperIds, matches };
}

// Until spelled (shared, as every `terms` array is: an empty literal per match was 16 MB of garbage).
const NO_TERMS: string[] = [];

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
